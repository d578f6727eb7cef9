"""Writes to the CME register: opening, moving, allocating, closing and re-opening cases.

Each is one transaction with one audit event; a change made on an out-of-date view of the
case (a stale `version`) is refused and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role
from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.pupils.models import Child
from cme.standards.school_age import (
    compulsory_school_age_ends,
    compulsory_school_age_starts,
    is_of_compulsory_school_age,
)

from . import service_notifications
from .categories import CaseCategory
from .deadlines import next_term_start, state_due_on
from .enquiries import DEFAULT_SOURCES, CaseFacts, EnquiryStatus, SourceKind, applies
from .models import Case, ContactAttempt, Enquiry, EnquirySource, Family
from .workflow import CaseStatus, CaseTransitionError, ClosureReason, check_transition

# Entering these states starts the reasonable enquiries (the child is confirmed missing).
ENQUIRY_STATES = frozenset({CaseStatus.CONFIRMED_MISSING, CaseStatus.LOCATING})


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


def due_on_entering(status: CaseStatus, *, on: datetime.date | None = None) -> datetime.date | None:
    """When the work of `status` falls due for a case entering it `on` (today by default),
    with the council's deadlines and term dates."""
    return state_due_on(
        status,
        on or timezone.localdate(),
        school_days=settings.CASE_DUE_SCHOOL_DAYS,
        term_dates=settings.TERM_START_DATES,
    )


def open_case(
    *,
    actor: Any,
    child: Child,
    category: CaseCategory,
    summary: str = "",
    allocated_to: Any = None,
    family: Family | None = None,
) -> Case:
    """Put a child on the CME register. A child has at most one open case, and must be of
    compulsory school age (when the date of birth is known)."""
    born = child.date_of_birth
    if born is not None and not is_of_compulsory_school_age(born, timezone.localdate()):
        raise CaseTransitionError(
            f"{child.full_name} is not of compulsory school age today (from "
            f"{compulsory_school_age_starts(born):%d/%m/%Y} to "
            f"{compulsory_school_age_ends(born):%d/%m/%Y}), so cannot be on the CME register."
        )
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
            due_on=due_on_entering(CaseStatus.REFERRED),
        )
        audit.record_event(
            kind=AuditEvent.Kind.CASE_OPENED,
            actor=actor,
            subject=case,
            child_id=child.pk,
            summary=f"Case {case.reference} opened: {CaseCategory(category).label}",
            details={"category": category, "family": family.pk if family else None},
        )
        service_notifications.record_due_notifications(case=case, actor=actor)
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
        current.due_on = due_on_entering(to)
        current.version += 1
        current.save(update_fields=["status", "status_changed_at", "due_on", "version"])
        if to in ENQUIRY_STATES:
            _start_enquiries(case=current)
        audit.record_event(
            kind=AuditEvent.Kind.CASE_STATUS_CHANGED,
            actor=actor,
            subject=current,
            child_id=current.child_id,
            summary=f"{before.label} → {to.label}" + (f": {note}" if note else ""),
            changes={"status": [before.value, to.value]},
            details={"note": note, "due_on": current.due_on},
        )
        service_notifications.record_due_notifications(case=current, actor=actor)
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
    manager_approved: bool = False,
) -> Case:
    """Close a case once the child is in education or otherwise accounted for. Refused while a
    required enquiry is outstanding, unless a manager approves."""
    with transaction.atomic():
        current = _locked(case, expected_version)
        check_transition(
            CaseStatus(current.status), CaseStatus.CLOSED, by_manager=_is_manager(actor)
        )
        outstanding = [e.source.name for e in case_enquiries(case=current) if e.is_outstanding]
        if outstanding and not (manager_approved and _is_manager(actor)):
            more = "…" if len(outstanding) > 3 else ""
            raise CaseTransitionError(
                f"{len(outstanding)} enquiries are still outstanding "
                f"({', '.join(outstanding[:3])}{more}). Record their outcome, or ask a CME "
                "manager to approve closing the case anyway."
            )
        before = CaseStatus(current.status)
        current.status = CaseStatus.CLOSED
        current.status_changed_at = current.closed_at = timezone.now()
        current.closure_reason = reason
        current.closure_note = note
        current.due_on = None
        current.version += 1
        current.save(
            update_fields=[
                "status",
                "status_changed_at",
                "closed_at",
                "closure_reason",
                "closure_note",
                "due_on",
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
            details={"reason": reason, "note": note, "outstanding_enquiries_approved": outstanding},
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
        current.due_on = due_on_entering(CaseStatus.CHECKING)
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
        service_notifications.record_due_notifications(case=current, actor=actor)
    return current


def record_recheck(
    *, actor: Any, case: Case, note: str, expected_version: int | None = None
) -> Case:
    """Record the termly re-check of a case whose whereabouts are unknown: what was checked
    again. The next re-check falls due at the start of the next term."""
    if not note.strip():
        raise CaseTransitionError("Enter what you checked again")
    with transaction.atomic():
        current = _locked(case, expected_version)
        if current.status != CaseStatus.WHEREABOUTS_UNKNOWN:
            raise CaseTransitionError(
                "Only a case whose whereabouts are unknown is re-checked every term."
            )
        before = current.due_on
        current.due_on = next_term_start(timezone.localdate(), term_dates=settings.TERM_START_DATES)
        current.version += 1
        current.save(update_fields=["due_on", "version"])
        audit.record_event(
            kind=AuditEvent.Kind.CASE_RECHECKED,
            actor=actor,
            subject=current,
            child_id=current.child_id,
            summary=f"Whereabouts re-checked: {note.strip()}",
            changes=audit.field_changes({"due_on": before}, {"due_on": current.due_on}),
            details={"note": note.strip()},
        )
    return current


# Reasonable enquiries -------------------------------------------------------------------


def case_facts(case: Case) -> CaseFacts:
    flags = set(case.child.vulnerability_flags or [])
    return CaseFacts(
        armed_forces="armed_forces" in flags,
        left_custody="custody" in flags,
        came_from_another_authority="new_to_country" not in flags and "moved_in" in flags,
        may_have_moved_away=case.category
        in {CaseCategory.IDENTIFIED_MISSING, CaseCategory.REMOVED_DESTINATION_UNKNOWN},
    )


def case_enquiries(*, case: Case) -> list[Enquiry]:
    """The case's enquiries, or its family's, which are recorded once for all the siblings."""
    owner = _enquiry_owner(case)
    return list(Enquiry.objects.filter(case=owner).select_related("source"))


def _enquiry_owner(case: Case) -> Case:
    if case.family_id is None:
        return case
    first = Case.objects.filter(family_id=case.family_id).order_by("pk").first()
    return first or case


def _start_enquiries(*, case: Case) -> None:
    """Generate the required enquiries from the case's facts, once per case or family."""
    owner = _enquiry_owner(case)
    if Enquiry.objects.filter(case=owner).exists():
        return
    if not EnquirySource.objects.exists():
        load_default_enquiry_sources()
    facts = case_facts(owner)
    today = timezone.localdate()
    Enquiry.objects.bulk_create(
        Enquiry(case=owner, source=source, due_on=today + datetime.timedelta(days=source.due_days))
        for source in EnquirySource.objects.filter(is_active=True)
        if applies(SourceKind(source.kind), facts)
    )


def load_default_enquiry_sources() -> None:
    """The policy's enquiry sources: the default when a council has configured none (the data
    migration loads them too; a flushed test database has none)."""
    for order, source in enumerate(DEFAULT_SOURCES):
        EnquirySource.objects.get_or_create(
            name=source.name,
            defaults={"kind": source.kind.value, "due_days": source.due_days, "order": order},
        )


def _check_date(value: datetime.date | None, *, case: Case, what: str) -> None:
    if value is None:
        return
    if value > timezone.localdate():
        raise CaseTransitionError(f"{what} cannot be in the future.")
    born = case.child.date_of_birth
    if born is not None and value < born:
        raise CaseTransitionError(f"{what} cannot be before the child was born.")


def update_enquiry(
    *,
    actor: Any,
    enquiry: Enquiry,
    status: EnquiryStatus,
    requested_on: datetime.date | None = None,
    response: str = "",
    responded_on: datetime.date | None = None,
) -> Enquiry:
    """Record where an enquiry has got to; dates in the future or before the child's birth are
    refused and change nothing."""
    case = enquiry.case
    _check_date(requested_on, case=case, what="The date requested")
    _check_date(responded_on, case=case, what="The date of the response")
    if requested_on and responded_on and responded_on < requested_on:
        raise CaseTransitionError("The response cannot come before the request.")
    with transaction.atomic():
        before = {
            "status": enquiry.status,
            "requested_on": enquiry.requested_on,
            "response": enquiry.response,
            "responded_on": enquiry.responded_on,
        }
        after = {
            "status": status.value,
            "requested_on": requested_on,
            "response": response,
            "responded_on": responded_on,
        }
        enquiry.status = status
        enquiry.requested_on = requested_on
        enquiry.response = response
        enquiry.responded_on = responded_on
        enquiry.recorded_by = actor
        enquiry.save()
        audit.record_event(
            kind=AuditEvent.Kind.ENQUIRY_UPDATED,
            actor=actor,
            subject=enquiry,
            child_id=case.child_id,
            summary=f"Enquiry to {enquiry.source.name}: {status.label}",
            changes=audit.field_changes(before, after),
        )
    return enquiry


def record_contact_attempt(
    *,
    actor: Any,
    case: Case,
    method: ContactAttempt.Method,
    made_on: datetime.date,
    outcome: str,
    reached_family: bool = False,
) -> ContactAttempt:
    """Record a try at reaching the family directly."""
    _check_date(made_on, case=case, what="The date of the attempt")
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            case=case,
            method=method,
            made_on=made_on,
            outcome=outcome,
            reached_family=reached_family,
            recorded_by=actor,
        )
        audit.record_event(
            kind=AuditEvent.Kind.CONTACT_ATTEMPT_RECORDED,
            actor=actor,
            subject=attempt,
            child_id=case.child_id,
            summary=f"{method.label}: {'reached the family' if reached_family else 'no contact'}",
            details={"outcome": outcome},
        )
    return attempt
