"""The CME team's overdue work on the home page: an officer's own, a manager's team's.

Registered with `cme.accounts.home` when the app is ready, so the home page (in accounts,
below cases) shows it without importing cases.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cme.accounts.home import HomeSection

from . import selectors

SHOWN = 20  # rows per table; the rest are a link away
TEAM_SHOWN = 5  # per officer, on a manager's home page; the workload page has the rest


def overdue_work_section(user: Any) -> HomeSection | None:
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.localdate()
    if user.has_perm("cases.view_workload"):
        team = selectors.team_overdue_work(user=user, today=today)
        return HomeSection(
            template="cases/_team_overdue_work.html",
            context={
                "total": sum(work.count for work in team),
                "team": [
                    {
                        "name": str(work.officer) if work.officer else "",
                        "count": work.count,
                        "cases": work.cases[:TEAM_SHOWN],
                        "enquiries": work.enquiries[:TEAM_SHOWN],
                        "more": max(0, len(work.cases) - TEAM_SHOWN)
                        + max(0, len(work.enquiries) - TEAM_SHOWN),
                        "whose": f"{work.officer}'s" if work.officer else "Unallocated",
                    }
                    for work in team
                ],
            },
        )
    if user.has_perm("cases.view_case"):
        work = selectors.officer_overdue_work(user=user, today=today)
        return HomeSection(
            template="cases/_overdue_work.html",
            context={
                "work": work,
                "cases": work.cases[:SHOWN],
                "enquiries": work.enquiries[:SHOWN],
                "more_cases": max(0, len(work.cases) - SHOWN),
                "more_enquiries": max(0, len(work.enquiries) - SHOWN),
            },
        )
    return None
