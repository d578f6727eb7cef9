"""Rules import-linter cannot express (docs/architecture.md C5).

Views, forms and template tags never query child data directly (`Pupil.objects` …): they go
through the owning app's selectors, which scope and log the read. No app imports another
app's models module from those layers either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "cme"
PROTECTED_MODELS = {
    "Child",
    "Address",
    "Contact",
    "Enrolment",
    "Referral",
    "Case",
    "Enquiry",
    "AttendanceMark",
}
ENTRYPOINT_FILES = sorted(
    [*ROOT.glob("*/views.py"), *ROOT.glob("*/forms.py"), *ROOT.glob("*/templatetags/*.py")]
)


def _app_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


@pytest.mark.parametrize("path", ENTRYPOINT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_entrypoints_do_not_query_child_data_directly(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences = [
        f"line {node.lineno}: {node.value.id}.objects"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id in PROTECTED_MODELS
    ]
    assert offences == [], "Use the app's selectors (scoped and logged) instead"


@pytest.mark.parametrize("path", ENTRYPOINT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_entrypoints_do_not_import_another_apps_models(path: Path) -> None:
    app = _app_of(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences = [
        f"line {node.lineno}: {node.module}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith("cme.")
        and node.module.endswith(".models")
        and node.module.split(".")[1] != app
    ]
    assert offences == [], "Call the owning app's services or selectors instead"


def test_the_rules_find_files_to_check() -> None:
    assert len(ENTRYPOINT_FILES) >= 3
