"""The attendance worklist on the CME team's home page: how many items are open and how many
nobody has followed up yet, each a link to the list.

Registered with `cme.accounts.home` when the app is ready, so the home page (in accounts,
below attendance) shows it without importing attendance.
"""

from __future__ import annotations

from typing import Any

from cme.accounts.home import HomeSection

from . import selectors


def worklist_section(user: Any) -> HomeSection | None:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "attendance.view_triggers"
    ):
        return None
    return HomeSection(
        template="attendance/_home_worklist.html",
        context={
            "open": selectors.open_triggers(user=user).count(),
            "awaiting": selectors.open_triggers(user=user, awaiting=True).count(),
        },
    )
