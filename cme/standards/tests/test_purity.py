"""cme.standards stays pure Python: no Django, nothing from the rest of cme."""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent
MODULES = sorted(path for path in PACKAGE.glob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_module_imports_only_the_standard_library_and_cme_standards(path: Path) -> None:
    outside = {
        name
        for name in _imported_modules(path)
        if not name.startswith("cme.standards")
        and name.partition(".")[0] not in sys.stdlib_module_names
    }
    assert outside == set()
