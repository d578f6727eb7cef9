"""Reads over the CME register, scoped to the user's role."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cme.accounts.models import Role, User
from cme.audit import services as audit
from cme.audit.models import AccessEvent, AuditEvent

from .models import Case, Enquiry
from .workflow import OPEN_STATUSES, CaseStatus

CASEWORK_ROLES = frozenset({Role.CME_OFFICER, Role.CME_MANAGER})


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases `user` may see: the CME team sees all. Other roles see the cases routed to
    them once provision and referrals land (issues 4 and 8)."""
    cases = Case.objects.select_related("child", "allocated_to")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    if user.role in CASEWORK_ROLES:
        return cases
    return cases.none()


def access_case(*, user: Any, case_id: int, purpose: str = "Viewed the case") -> Case:
    """The case if `user` may see it, else 404 as if it did not exist; the read is logged."""
    try:
        case = cases_visible_to(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such case") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=case,
        child_id=case.child_id,
        purpose=purpose,
    )
    return case


def case_list(
    *, user: Any, status: str = "", allocation: str = "", open_only: bool = True
) -> QuerySet[Case]:
    """Cases for the register page, filtered; `allocation` is "", "mine" or "unallocated"."""
    cases = cases_visible_to(user)
    if open_only:
        cases = cases.filter(status__in=[s.value for s in OPEN_STATUSES])
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if allocation == "mine":
        cases = cases.filter(allocated_to=user)
    elif allocation == "unallocated":
        cases = cases.filter(allocated_to__isnull=True)
    return cases.order_by("allocated_to_id", "-opened_at")


def case_timeline(*, case: Case) -> QuerySet[AuditEvent]:
    """Everything recorded about the case's child, newest first (the MOJ timeline)."""
    return AuditEvent.objects.filter(child_id=case.child_id).order_by("-occurred_at", "-id")


def officers_for_allocation() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=[r.value for r in CASEWORK_ROLES]).order_by(
        "first_name", "last_name"
    )


def open_case_for_child(*, child_id: int) -> Case | None:
    return Case.objects.filter(child_id=child_id).exclude(status=CaseStatus.CLOSED).first()


def children_with_open_cases(*, child_ids: list[int]) -> set[int]:
    return set(
        Case.objects.filter(child_id__in=child_ids)
        .exclude(status=CaseStatus.CLOSED)
        .values_list("child_id", flat=True)
    )


def enquiry_on_case(*, case: Case, enquiry_id: int) -> Enquiry:
    """An enquiry shown on this case (its own or its family's), else 404."""
    family_cases = (
        Case.objects.filter(family_id=case.family_id)
        if case.family_id
        else Case.objects.filter(pk=case.pk)
    )
    try:
        return Enquiry.objects.select_related("source", "case__child").get(
            pk=enquiry_id, case__in=family_cases
        )
    except (Enquiry.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such enquiry") from missing
