"""Reads over the CME register, scoped to the user's role."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Min, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cme.accounts.models import Role, User
from cme.audit import services as audit
from cme.audit.models import AccessEvent, AuditEvent

from .deadlines import DUE_FOR, days_label, days_overdue, elapsed_label
from .enquiries import OUTSTANDING
from .models import Case, CaseNote, Enquiry, Letter, ServiceNotification
from .workflow import OPEN_STATUSES, CaseStatus

OPEN_VALUES = [status.value for status in CaseStatus if status in OPEN_STATUSES]

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


def with_referred_at(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with `referred_at`: when its first referral arrived, else when it opened."""
    return cases.annotate(referred_at=Coalesce(Min("referrals__received_at"), F("opened_at")))


def case_list(
    *,
    user: Any,
    status: str = "",
    allocation: str = "",
    overdue: bool = False,
    open_only: bool = True,
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    """Cases for the register page, filtered; `allocation` is "", "mine" or "unallocated";
    `overdue` keeps the cases whose current deadline has passed."""
    cases = cases_visible_to(user)
    if open_only:
        cases = cases.filter(status__in=OPEN_VALUES)
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if allocation == "mine":
        cases = cases.filter(allocated_to=user)
    elif allocation == "unallocated":
        cases = cases.filter(allocated_to__isnull=True)
    if overdue:
        cases = cases.filter(due_on__lt=today or timezone.localdate())
    return with_referred_at(cases).order_by("allocated_to_id", "-opened_at")


@dataclass(frozen=True)
class CaseRow:
    """A case as a list or dashboard shows it: with the time since referral and its deadline."""

    case: Case
    referred_at: datetime.datetime
    since_referral: str
    due_on: datetime.date | None
    due_for: str
    days_overdue: int

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def overdue_by(self) -> str:
        return days_label(self.days_overdue)


def case_row(
    case: Case, *, today: datetime.date, referred_at: datetime.datetime | None = None
) -> CaseRow:
    referred = referred_at or getattr(case, "referred_at", None) or case_referred_at(case)
    status = CaseStatus(case.status)
    return CaseRow(
        case=case,
        referred_at=referred,
        since_referral=elapsed_label(timezone.localdate(referred), today),
        due_on=case.due_on,
        due_for=DUE_FOR.get(status, ""),
        days_overdue=days_overdue(case.due_on, today) if case.is_open else 0,
    )


def case_rows(cases: Iterable[Case], *, today: datetime.date) -> list[CaseRow]:
    return [case_row(case, today=today) for case in cases]


def case_referred_at(case: Case) -> datetime.datetime:
    """When the case's first referral arrived, else when the case opened."""
    first = case.referrals.aggregate(first=Min("received_at"))["first"]
    return first or case.opened_at


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


# Deadlines and workload ------------------------------------------------------------------


def overdue_cases_visible_to(user: Any, *, today: datetime.date) -> QuerySet[Case]:
    """Open cases whose current deadline (a state's, or the termly re-check) has passed."""
    return with_referred_at(
        cases_visible_to(user).filter(status__in=OPEN_VALUES, due_on__lt=today)
    ).order_by("due_on", "pk")


def overdue_enquiries_visible_to(user: Any, *, today: datetime.date) -> QuerySet[Enquiry]:
    """Outstanding enquiries past their due date, on open cases `user` may see."""
    return (
        Enquiry.objects.filter(
            case__in=cases_visible_to(user).filter(status__in=OPEN_VALUES),
            status__in=[status.value for status in OUTSTANDING],
            due_on__lt=today,
        )
        .select_related("source", "case", "case__child", "case__allocated_to")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class EnquiryRow:
    enquiry: Enquiry
    days_overdue: int

    @property
    def overdue_by(self) -> str:
        return days_label(self.days_overdue)


@dataclass
class OverdueWork:
    """Overdue cases and enquiries, for one officer or the unallocated cases."""

    officer: User | None = None
    cases: list[CaseRow] = field(default_factory=list)
    enquiries: list[EnquiryRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.enquiries)


def officer_overdue_work(*, user: Any, today: datetime.date) -> OverdueWork:
    """What is overdue on the cases allocated to `user`."""
    cases = overdue_cases_visible_to(user, today=today).filter(allocated_to=user)
    enquiries = overdue_enquiries_visible_to(user, today=today).filter(case__allocated_to=user)
    return OverdueWork(
        officer=user,
        cases=case_rows(cases, today=today),
        enquiries=[EnquiryRow(e, days_overdue(e.due_on, today)) for e in enquiries],
    )


def team_overdue_work(*, user: Any, today: datetime.date) -> list[OverdueWork]:
    """What is overdue across the team, per officer: the unallocated cases first."""
    by_officer: dict[int | None, OverdueWork] = {}
    for case in overdue_cases_visible_to(user, today=today):
        work = by_officer.setdefault(case.allocated_to_id, OverdueWork(officer=case.allocated_to))
        work.cases.append(case_row(case, today=today))
    for enquiry in overdue_enquiries_visible_to(user, today=today):
        owner = enquiry.case
        work = by_officer.setdefault(owner.allocated_to_id, OverdueWork(officer=owner.allocated_to))
        work.enquiries.append(EnquiryRow(enquiry, days_overdue(enquiry.due_on, today)))
    return sorted(
        by_officer.values(),
        key=lambda work: (work.officer is not None, str(work.officer or "")),
    )


@dataclass(frozen=True)
class OfficerLoad:
    officer: User
    by_status: list[int]  # aligned with Workload.statuses
    open_cases: int
    overdue_cases: int
    overdue_enquiries: int
    statuses: list[CaseStatus] = field(default_factory=list)

    @property
    def in_states(self) -> list[tuple[str, int]]:
        """The states the officer has cases in, with how many: ("Locating", 3)."""
        return [
            (status.label, count)
            for status, count in zip(self.statuses, self.by_status, strict=True)
            if count
        ]


@dataclass(frozen=True)
class Workload:
    statuses: list[CaseStatus]
    officers: list[OfficerLoad]
    unallocated: list[CaseRow]


def workload(*, user: Any, today: datetime.date) -> Workload:
    """Per officer, their open cases by state and what is overdue; and the open cases nobody
    has, oldest first. A fixed number of queries, whatever the size of the register."""
    open_cases = cases_visible_to(user).filter(status__in=OPEN_VALUES)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        open_cases.filter(allocated_to__isnull=False)
        .values("allocated_to_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["allocated_to_id"]][row["status"]] = row["n"]
    overdue = dict(
        open_cases.filter(due_on__lt=today, allocated_to__isnull=False)
        .values_list("allocated_to_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    late_enquiries = dict(
        overdue_enquiries_visible_to(user, today=today)
        .filter(case__allocated_to__isnull=False)
        .values_list("case__allocated_to_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statuses = [status for status in CaseStatus if status in OPEN_STATUSES]
    officers = list(officers_for_allocation()) + list(
        User.objects.filter(pk__in=set(counts)).exclude(
            pk__in=officers_for_allocation().values("pk")
        )
    )
    rows = [
        OfficerLoad(
            officer=officer,
            by_status=[counts[officer.pk].get(status.value, 0) for status in statuses],
            open_cases=sum(counts[officer.pk].values()),
            overdue_cases=overdue.get(officer.pk, 0),
            overdue_enquiries=late_enquiries.get(officer.pk, 0),
            statuses=statuses,
        )
        for officer in officers
    ]
    unallocated = with_referred_at(open_cases.filter(allocated_to__isnull=True)).order_by(
        "opened_at", "pk"
    )[:200]
    return Workload(
        statuses=statuses, officers=rows, unallocated=case_rows(unallocated, today=today)
    )


# Notes, letters and service notifications -------------------------------------------------


def note_on_case(*, user: Any, case: Case, note_id: int) -> CaseNote:
    """A note on this case, else 404. A sensitive note's text is read here only (the view
    holds `cases.read_sensitive_notes`), and the read is logged."""
    try:
        note = CaseNote.objects.select_related("written_by").get(pk=note_id, case=case)
    except (CaseNote.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such note") from missing
    if note.sensitive:
        audit.record_access(
            actor=user,
            action=AccessEvent.Action.VIEW,
            subject=note,
            child_id=case.child_id,
            purpose=f"Read a sensitive (safeguarding) note on case {case.reference}",
        )
    return note


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the case timeline. A sensitive note shows no text here: `note_id` links
    to where a permitted reader reads it (and the read is logged)."""

    title: str
    byline: str
    occurred_at: datetime.datetime
    text: str = ""
    sensitive: bool = False
    note_id: int | None = None


def case_timeline_entries(*, case: Case, limit: int = 200) -> list[TimelineEntry]:
    """The child's timeline (everything recorded about them, newest first), with each case
    note's text beside its event; a sensitive note's text is never included."""
    events = list(case_timeline(case=case)[:limit])
    note_ids = [
        int(event.subject_id)
        for event in events
        if event.kind == AuditEvent.Kind.CASE_NOTE_ADDED and event.subject_id.isdigit()
    ]
    notes = {note.pk: note for note in CaseNote.objects.filter(pk__in=note_ids)}
    entries = []
    for event in events:
        note = (
            notes.get(int(event.subject_id))
            if event.kind == AuditEvent.Kind.CASE_NOTE_ADDED and event.subject_id.isdigit()
            else None
        )
        entries.append(
            TimelineEntry(
                title=event.summary,
                byline=event.actor_label,
                occurred_at=event.occurred_at,
                text=note.text if note is not None and not note.sensitive else "",
                sensitive=bool(note and note.sensitive),
                note_id=note.pk if note is not None else None,
            )
        )
    return entries


def case_letters(*, case: Case) -> list[Letter]:
    return list(case.letters.select_related("written_by"))


def access_letter(*, user: Any, case_id: int, letter_id: int) -> Letter:
    """A letter on a case `user` may see, else 404; the download is logged."""
    try:
        letter = Letter.objects.select_related("case").get(
            pk=letter_id, case_id=case_id, case__in=cases_visible_to(user)
        )
    except (Letter.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such letter") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.DOWNLOAD,
        subject=letter,
        child_id=letter.case.child_id,
        purpose=f"Downloaded a letter on case {letter.case.reference}",
    )
    return letter


def case_service_notifications(*, case: Case) -> list[ServiceNotification]:
    return list(case.service_notifications.all())
