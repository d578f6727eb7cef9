"""Writes to the CME register: opening, moving, allocating, closing and re-opening cases.

Each is one transaction with one audit event; a change made on an out-of-date view of the
case (a stale `version`) is refused and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role
from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.pupils.models import Child

from .categories import CaseCategory
from .models import Case, Family
from .workflow import CaseStatus, CaseTransitionError, ClosureReason, check_transition


class StaleCaseError(Exception):
    """Someone else changed the case since this user's page was loaded."""


def _locked(case: Case, expected_version: int | None) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleCaseError(
            "Someone else changed this case while you were working on it. "
            "Check what they changed, then make your change again."
        )
    return current


def _is_manager(actor: Any) -> bool:
    return bool(getattr(actor, "role", None) == Role.CME_MANAGER)


def open_case(
    *,
    actor: Any,
    child: Child,
    category: CaseCategory,
    summary: str = "",
    allocated_to: Any = None,
    family: Family | None = None,
) -> Case:
    """Put a child on the CME register. A child has at most one open case."""
    with transaction.atomic():
        if Case.objects.filter(child=child).exclude(status=CaseStatus.CLOSED).exists():
            raise CaseTransitionError(f"{child.full_name} already has an open case.")
        now = timezone.now()
        case = Case.objects.create(
            child=child,
            family=family,
            category=category,
            status=CaseStatus.REFERRED,
            status_changed_at=now,
            opened_at=now,
            opened_by=actor if getattr(actor, "is_authenticated", False) else None,
            allocated_to=allocated_to,
            summary=summary,
        )
        audit.record_event(
            kind=AuditEvent.Kind.CASE_OPENED,
            actor=actor,
            subject=case,
            child_id=child.pk,
            summary=f"Case {case.reference} opened: {CaseCategory(category).label}",
            details={"category": category, "family": family.pk if family else None},
        )
    return case


def open_family_cases(
    *, actor: Any, children: Sequence[Child], category: CaseCategory, summary: str = ""
) -> list[Case]:
    """Open linked cases for siblings in one step."""
    with transaction.atomic():
        family = Family.objects.create() if len(children) > 1 else None
        return [
            open_case(actor=actor, child=child, category=category, summary=summary, family=family)
            for child in children
        ]


def move_case(
    *, actor: Any, case: Case, to: CaseStatus, note: str = "", expected_version: int | None = None
) -> Case:
    """Move a case along the workflow (not to closed: use `close_case`)."""
    if to == CaseStatus.CLOSED:
        raise CaseTransitionError("Use close_case to close a case, with a reason.")
    with transaction.atomic():
        current = _locked(case, expected_version)
        before = CaseStatus(current.status)
        check_transition(before, to, by_manager=_is_manager(actor))
        current.status = to
        current.status_changed_at = timezone.now()
        current.version += 1
        current.save(update_fields=["status", "status_changed_at", "version"])
        audit.record_event(
            kind=AuditEvent.Kind.CASE_STATUS_CHANGED,
            actor=actor,
            subject=current,
            child_id=current.child_id,
            summary=f"{before.label} → {to.label}" + (f": {note}" if note else ""),
            changes={"status": [before.value, to.value]},
            details={"note": note},
        )
    return current


def allocate_case(
    *, actor: Any, case: Case, officer: Any, expected_version: int | None = None
) -> Case:
    """Give the case to a CME officer (or take it back to unallocated with officer=None)."""
    if officer is not None and officer.role not in {Role.CME_OFFICER, Role.CME_MANAGER}:
        raise CaseTransitionError("Cases can only be allocated to CME officers or managers.")
    with transaction.atomic():
        current = _locked(case, expected_version)
        before = current.allocated_to
        if before == officer:
            return current
        current.allocated_to = officer
        current.version += 1
        current.save(update_fields=["allocated_to", "version"])
        audit.record_event(
            kind=AuditEvent.Kind.CASE_ALLOCATED,
            actor=actor,
            subject=current,
            child_id=current.child_id,
            summary=f"Allocated to {officer}" if officer else "Allocation removed",
            changes={
                "allocated_to": [str(before) if before else None, str(officer) if officer else None]
            },
        )
    return current


def close_case(
    *,
    actor: Any,
    case: Case,
    reason: ClosureReason,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Close a case once the child is in education or otherwise accounted for."""
    with transaction.atomic():
        current = _locked(case, expected_version)
        check_transition(
            CaseStatus(current.status), CaseStatus.CLOSED, by_manager=_is_manager(actor)
        )
        before = CaseStatus(current.status)
        current.status = CaseStatus.CLOSED
        current.status_changed_at = current.closed_at = timezone.now()
        current.closure_reason = reason
        current.closure_note = note
        current.version += 1
        current.save(
            update_fields=[
                "status",
                "status_changed_at",
                "closed_at",
                "closure_reason",
                "closure_note",
                "version",
            ]
        )
        audit.record_event(
            kind=AuditEvent.Kind.CASE_CLOSED,
            actor=actor,
            subject=current,
            child_id=current.child_id,
            summary=f"Closed: {ClosureReason(reason).label}",
            changes={"status": [before.value, CaseStatus.CLOSED.value]},
            details={"reason": reason, "note": note},
        )
    return current


def reopen_case(*, actor: Any, case: Case, note: str, expected_version: int | None = None) -> Case:
    """Re-open a closed case (the child is missing education again)."""
    with transaction.atomic():
        current = _locked(case, expected_version)
        check_transition(CaseStatus(current.status), CaseStatus.CHECKING)
        if (
            Case.objects.filter(child_id=current.child_id)
            .exclude(status=CaseStatus.CLOSED)
            .exists()
        ):
            raise CaseTransitionError("The child already has another open case.")
        current.status = CaseStatus.CHECKING
        current.status_changed_at = timezone.now()
        current.closed_at = None
        current.closure_reason = ""
        current.closure_note = ""
        current.version += 1
        current.save()
        audit.record_event(
            kind=AuditEvent.Kind.CASE_REOPENED,
            actor=actor,
            subject=current,
            child_id=current.child_id,
            summary=f"Re-opened: {note}",
            details={"note": note},
        )
    return current
