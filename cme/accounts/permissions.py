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
    # School returns (regulation 13): a school makes its own; the CME team reads every school's
    # (the selectors scope a school to its own), records other authorities' notifications and
    # processes again a return whose processing failed.
    "returns.make_return": frozenset({Role.SCHOOL_ATTENDANCE}),
    "returns.view_returns": LA_CASEWORK_ROLES | {Role.SCHOOL_ATTENDANCE},
    "returns.record_la_notification": LA_CASEWORK_ROLES,
    "returns.process_return": LA_CASEWORK_ROLES,
    "returns.request_deletion_agreement": frozenset({Role.SCHOOL_ATTENDANCE}),
    "returns.agree_deletion": LA_CASEWORK_ROLES,
    # Confirm or reject the register children the engine proposes for a notification.
    "matching.review_match": LA_CASEWORK_ROLES,
    # School transfers (issue 6): import Common Transfer Files, export or forward one, and
    # search and work the Lost Pupil Database and the S2S worklist.
    "transfers.import_ctf": LA_CASEWORK_ROLES,
    "transfers.export_ctf": LA_CASEWORK_ROLES,
    "transfers.search_lost_pupils": LA_CASEWORK_ROLES,
    # Attendance (issue 7): a child's attendance, for the roles that see children (each sees
    # the children and schools the selectors allow); the worklist of statutory triggers and
    # the authority's and schools' figures, for the CME team.
    "attendance.view_attendance": frozenset(
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
    "attendance.view_triggers": LA_CASEWORK_ROLES,
    # Recording what was done about a worklist item (contacted the school, opened a case...).
    "attendance.follow_up_trigger": LA_CASEWORK_ROLES,
    "attendance.view_figures": LA_CASEWORK_ROLES,
    "cases.view_case": LA_CASEWORK_ROLES,
    "cases.open_case": LA_CASEWORK_ROLES,
    "cases.change_case": LA_CASEWORK_ROLES,
    "cases.approve_closure": frozenset({Role.CME_MANAGER}),
    # A sensitive (safeguarding) case note's text: the CME team, who make the safeguarding
    # referrals and visit the family; any other role that sees a case sees only that one exists.
    "cases.read_sensitive_notes": LA_CASEWORK_ROLES,
    # Every officer's caseload and overdue work, and the unallocated cases to give out.
    "cases.view_workload": frozenset({Role.CME_MANAGER}),
    # Provision (issue 8): the CME team decides each located child's route to education and
    # records placements; each route's own team sees only the cases routed to it (the
    # selectors in cme.provision scope them).
    "provision.decide_provision": LA_CASEWORK_ROLES,
    "provision.view_admissions": frozenset({Role.ADMISSIONS}),
    "provision.record_admission": frozenset({Role.ADMISSIONS}),
    "provision.view_send_cases": frozenset({Role.SEND}),
    "provision.manage_panels": frozenset({Role.PUPIL_SUPPORT_MANAGER}),
    "provision.view_panel_papers": frozenset({Role.PANEL_MEMBER, Role.PUPIL_SUPPORT_MANAGER}),
    # Reports: the DfE's termly CME return (counts only) and the termly school reports.
    "reports.view_dfe_return": frozenset({Role.CME_MANAGER}),
    "reports.view_school_reports": LA_CASEWORK_ROLES,
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
