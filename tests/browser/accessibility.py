"""Run axe-core (node_modules/axe-core, the version package-lock.json pins) in the page.

The app's Content-Security-Policy allows only same-origin scripts and scripts carrying the
page's nonce, so `page.add_script_tag(path=...)`, which inserts an inline <script> without
the nonce, is refused by Chromium. The axe source is instead evaluated over the DevTools
protocol (`page.evaluate`), which CSP does not govern. `bypass_csp=True` on the context
would also work, but it switches the policy off for the app's own scripts too, and a page
whose own script the CSP blocks must fail the browser tests, not pass them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import Page

AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """
async (tags) => {
  const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map((selector) => String(selector)).join(" "),
      html: node.html,
      summary: node.failureSummary,
    })),
  }));
}
"""


@cache
def _axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise AssertionError(f"axe-core is not installed ({AXE_SOURCE} missing): run `npm ci`")
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.2 AA violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return violations


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        lines.extend(
            f"    at {node['target']}: {node['html'][:160]}" for node in violation["nodes"]
        )
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Fail with one readable line per rule and one per offending element."""
    violations = axe_violations(page)
    if violations:
        raise AssertionError(
            f"axe found {len(violations)} accessibility problem(s) on {page.url}:\n"
            + format_violations(violations)
        )
