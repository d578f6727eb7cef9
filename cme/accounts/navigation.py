"""The service navigation each role sees: one list, filtered by permission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavigationItem:
    text: str
    url_name: str
    permission: str | None  # None: every signed-in user


NAVIGATION: tuple[NavigationItem, ...] = (
    NavigationItem("Home", "home", None),
    NavigationItem("Referrals", "referrals:inbox", "referrals.triage_referral"),
    NavigationItem("School returns", "returns:home", "returns.view_returns"),
    NavigationItem("Cases", "cases:case_list", "cases.view_case"),
    NavigationItem("Attendance", "attendance:worklist", "attendance.view_triggers"),
    NavigationItem("Matches", "matching:review_queue", "matching.review_match"),
    NavigationItem("Transfers", "transfers:worklist", "transfers.search_lost_pupils"),
    NavigationItem("Provision", "provision:home", "provision.decide_provision"),
    NavigationItem("Admissions", "provision:admissions", "provision.view_admissions"),
    NavigationItem("SEND cases", "provision:send_cases", "provision.view_send_cases"),
    NavigationItem("Panels", "provision:panels", "provision.manage_panels"),
    NavigationItem("Panel papers", "provision:papers", "provision.view_panel_papers"),
    NavigationItem("Reports", "reports:home", "reports.view_school_reports"),
    NavigationItem("Children", "matching:find_child", "pupils.view_child"),
    NavigationItem("Schools", "pupils:school_list", "pupils.view_school"),
    NavigationItem("Administration", "admin:index", "accounts.manage_users"),
)


def navigation_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """GOV.UK service-navigation items for `user`, the current section marked active."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[dict[str, Any]] = []
    for item in NAVIGATION:
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        href = reverse(item.url_name)
        active = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"href": href, "text": item.text, "active": active})
    items.append({"href": reverse("accounts:sign_out"), "text": "Sign out", "active": False})
    return items
