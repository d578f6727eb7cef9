"""Which roles may do what: one table, read by `rules` and by the navigation.

Permissions say what kind of page a user may open; the `*_visible_to` selectors in each
app say which records they may see on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules

from .models import Role

LA_CASEWORK_ROLES = frozenset({Role.CME_OFFICER, Role.CME_MANAGER})

# permission name → the roles that hold it
ROLE_PERMISSIONS: dict[str, frozenset[Role]] = {
    "pupils.view_child": frozenset(
        {
            Role.CME_OFFICER,
            Role.CME_MANAGER,
            Role.SCHOOL_ATTENDANCE,
            Role.SEND,
            Role.ADMISSIONS,
            Role.PUPIL_SUPPORT_MANAGER,
            Role.PANEL_MEMBER,
        }
    ),
    "pupils.view_child_history": frozenset({Role.CME_MANAGER}),
    # Merge two records of the same child, and undo a merge.
    "pupils.merge_children": frozenset({Role.CME_MANAGER}),
    "pupils.record_safeguarding_referral": LA_CASEWORK_ROLES,
    # Anyone who can see the child sees that a concern is open; only these read what it says.
    "pupils.read_welfare_concern": LA_CASEWORK_ROLES,
    "pupils.view_school": frozenset(
        {
            Role.CME_OFFICER,
            Role.CME_MANAGER,
            Role.ADMISSIONS,
            Role.SEND,
            Role.PUPIL_SUPPORT_MANAGER,
            Role.PANEL_MEMBER,
            Role.ADMINISTRATOR,
        }
    ),
    "referrals.triage_referral": LA_CASEWORK_ROLES,
    "referrals.record_referral": LA_CASEWORK_ROLES,
    # Confirm or reject the register children the engine proposes for a notification.
    "matching.review_match": LA_CASEWORK_ROLES,
    "cases.view_case": LA_CASEWORK_ROLES,
    "cases.open_case": LA_CASEWORK_ROLES,
    "cases.change_case": LA_CASEWORK_ROLES,
    "cases.approve_closure": frozenset({Role.CME_MANAGER}),
    "accounts.manage_users": frozenset({Role.ADMINISTRATOR}),
}


def has_role(roles: Iterable[Role]) -> Any:
    wanted = frozenset(str(role) for role in roles)

    def user_has_role(user: Any) -> bool:
        return bool(
            getattr(user, "is_authenticated", False) and user.is_active and user.role in wanted
        )

    return rules.predicate(user_has_role)  # type: ignore[no-untyped-call]  # rules is untyped


def register_role_permissions() -> None:
    for permission, roles in ROLE_PERMISSIONS.items():
        rules.set_perm(permission, has_role(roles))  # type: ignore[no-untyped-call]  # rules is untyped


def roles_with(permission: str) -> frozenset[Role]:
    return ROLE_PERMISSIONS[permission]
