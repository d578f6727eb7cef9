"""Reads for the reports: the register's history, child by child, for the DfE return as at any
date; the schools that get a termly report.

The register as at a past date is rebuilt from what is stored, never from today's state:
- a case's status on each day from its audit trail (opened, each status change, closure,
  re-opening: the trail is append-only, so it is the case's history), at the end of each day;
- rolls from the pupil register's enrolments (start and leaving dates, both days on roll)
  and from the placements recorded in provision (a school place from its start date);
- applications for a school place from their applied, offered, start and closing dates;
- suitable alternative provision from placements with a named provider other than a school.
Home education and its assessment are not stored anywhere in the service yet: no child is
counted or excluded on that ground (a case closed as elective home education is closed).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, QuerySet
from django.http import Http404
from django.utils import timezone

from cme.audit.models import AuditEvent
from cme.cases.categories import CaseCategory
from cme.cases.models import Case
from cme.cases.workflow import CaseStatus
from cme.provision.models import AdmissionRequest, HomeEducationRecord, Placement
from cme.provision.rules import AdmissionStatus, PlacementOutcome
from cme.pupils.models import Enrolment, School, SchoolPhase, SchoolStatus, SchoolType
from cme.referrals.models import Referral

from .dfe_return import (
    ONE_DAY,
    Application,
    CaseState,
    ChildHistory,
    DfeReturn,
    HomeEducation,
    Steps,
    dfe_return,
    value_on,
)
from .models import SchoolReport

CASE_SUBJECT = "cases.case"
STATUS_EVENTS = (
    AuditEvent.Kind.CASE_OPENED,
    AuditEvent.Kind.CASE_STATUS_CHANGED,
    AuditEvent.Kind.CASE_CLOSED,
    AuditEvent.Kind.CASE_REOPENED,
)


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True, slots=True)
class _StatusEvent:
    on: datetime.date
    kind: str
    before: CaseStatus | None
    after: CaseStatus


def _status_event(row: dict[str, Any]) -> _StatusEvent | None:
    kind = row["kind"]
    changes = row["changes"] or {}
    status = changes.get("status")
    pair = status if isinstance(status, list) and len(status) == 2 else [None, None]
    before = CaseStatus(pair[0]) if pair[0] in CaseStatus.values else None
    after: CaseStatus | None
    if kind == AuditEvent.Kind.CASE_OPENED:
        before, after = None, CaseStatus.REFERRED
    elif kind == AuditEvent.Kind.CASE_CLOSED:
        after = CaseStatus.CLOSED
    elif kind == AuditEvent.Kind.CASE_REOPENED:
        before, after = CaseStatus.CLOSED, CaseStatus.CHECKING
    else:
        after = CaseStatus(pair[1]) if pair[1] in CaseStatus.values else None
    if after is None:
        return None
    return _StatusEvent(on=_day(row["occurred_at"]), kind=kind, before=before, after=after)


def case_steps(case: dict[str, Any], events: Sequence[_StatusEvent]) -> Steps[CaseState]:
    """One case's state from the day it opened, replayed from its audit trail; a case
    without a trail (made before the trail existed) is taken to have been referred until its
    last status change."""
    category = CaseCategory(case["category"])
    opened = _day(case["opened_at"])
    missing_since = _day(case["referred_at"]) if case["referred_at"] else opened
    steps: list[tuple[datetime.date, CaseState]] = []
    if not events:
        changed = _day(case["status_changed_at"])
        if changed > opened:
            steps.append((opened, CaseState(CaseStatus.REFERRED, category, missing_since)))
        steps.append(
            (max(changed, opened), CaseState(CaseStatus(case["status"]), category, missing_since))
        )
        return tuple(steps)
    first = events[0]
    if first.kind != AuditEvent.Kind.CASE_OPENED:
        initial = first.before or CaseStatus.REFERRED
        steps.append((opened, CaseState(initial, category, missing_since)))
    for event in events:
        if event.kind == AuditEvent.Kind.CASE_REOPENED:
            missing_since = event.on
        steps.append((max(event.on, opened), CaseState(event.after, category, missing_since)))
    return tuple(steps)


def combine_cases(per_case: Sequence[Steps[CaseState]]) -> Steps[CaseState | None]:
    """A child's cases as one history: on each day, the open case (the latest opened, if the
    trail ever shows two), else none."""
    dates = sorted({start for steps in per_case for start, _ in steps})
    combined: list[tuple[datetime.date, CaseState | None]] = []
    for day in dates:
        states = [value_on(steps, day, None) for steps in per_case]
        open_states = [s for s in states if s is not None and s.status != CaseStatus.CLOSED]
        combined.append((day, open_states[-1] if open_states else None))
    return tuple(combined)


def interval_steps(
    intervals: Iterable[tuple[datetime.date, datetime.date | None]],
) -> Steps[bool]:
    """Whether any of the intervals (first and last day included; None: still going) covers
    each day, as steps from the first interval's start."""
    spans = list(intervals)
    boundaries = sorted(
        {start for start, _ in spans} | {end + ONE_DAY for _, end in spans if end is not None}
    )
    return tuple(
        (
            day,
            any(start <= day and (end is None or day <= end) for start, end in spans),
        )
        for day in boundaries
    )


def _placement_span(row: dict[str, Any]) -> tuple[datetime.date, datetime.date | None]:
    # A placement that broke down ended then; a settled one goes on (the child stays there).
    broke_down = row["outcome"] == PlacementOutcome.BROKE_DOWN
    return row["start_date"], row["ended_on"] if broke_down else None


def application_steps(rows: Sequence[dict[str, Any]]) -> Steps[Application]:
    """Where the child's school place applications stood on each day: applying from the
    application, offered from the offer until the start date, nothing once closed."""
    marks: list[tuple[datetime.date, int, Application]] = []
    for order, row in enumerate(rows):
        marks.append((row["applied_on"], order, Application.APPLYING))
        if row["offered_on"] is not None:
            marks.append((row["offered_on"], order, Application.OFFERED))
        if row["start_date"] is not None:
            marks.append((row["start_date"], order, Application.NONE))
        if row["closed_on"] is not None and row["status"] in {
            AdmissionStatus.NO_PLACE,
            AdmissionStatus.WITHDRAWN,
        }:
            marks.append((row["closed_on"], order, Application.NONE))
    return tuple((day, value) for day, _, value in sorted(marks, key=lambda m: (m[0], m[1])))


HOME_EDUCATION_OF_STATUS: dict[HomeEducationRecord.Status, HomeEducation] = {
    HomeEducationRecord.Status.NOT_ASSESSED: HomeEducation.NOT_ASSESSED,
    HomeEducationRecord.Status.SUITABLE: HomeEducation.SUITABLE,
    HomeEducationRecord.Status.UNSUITABLE: HomeEducation.UNSUITABLE,
    HomeEducationRecord.Status.ENDED: HomeEducation.NONE,
}


def register_histories() -> list[ChildHistory]:
    """Every child who has had a case, with what the register knows of them over time. A
    fixed number of queries, whatever the size of the register."""
    first_referrals = dict(
        Referral.objects.filter(case__isnull=False)
        .values("case_id")
        .annotate(first=Min("received_at"))
        .values_list("case_id", "first")
        .order_by()
    )
    cases: list[dict[str, Any]] = [
        {**row, "referred_at": first_referrals.get(row["pk"])}
        for row in Case.objects.order_by("opened_at", "pk").values(
            "pk",
            "child_id",
            "category",
            "status",
            "opened_at",
            "status_changed_at",
            "child__sex",
            "child__date_of_birth",
        )
    ]
    if not cases:
        return []
    events: dict[int, list[_StatusEvent]] = defaultdict(list)
    for trail in (
        AuditEvent.objects.filter(subject_type=CASE_SUBJECT, kind__in=STATUS_EVENTS)
        .order_by("occurred_at", "pk")
        .values("subject_id", "kind", "occurred_at", "changes")
    ):
        event = _status_event(dict(trail))
        if event is not None and trail["subject_id"].isdigit():
            events[int(trail["subject_id"])].append(event)
    child_ids = {case["child_id"] for case in cases}
    case_child = {case["pk"]: case["child_id"] for case in cases}
    rolls: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for enrolment in Enrolment.objects.filter(child_id__in=child_ids).values(
        "child_id", "start_date", "end_date"
    ):
        rolls[enrolment["child_id"]].append((enrolment["start_date"], enrolment["end_date"]))
    provision: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for placement in Placement.objects.order_by("start_date", "pk").values(
        "case_id", "school_id", "start_date", "ended_on", "outcome"
    ):
        child_id = case_child.get(placement["case_id"])
        if child_id is None:
            continue
        target = rolls if placement["school_id"] is not None else provision
        target[child_id].append(_placement_span(dict(placement)))
    applications: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for admission in AdmissionRequest.objects.order_by("applied_on", "pk").values(
        "case_id", "status", "applied_on", "offered_on", "start_date", "closed_on"
    ):
        child_id = case_child.get(admission["case_id"])
        if child_id is not None:
            applications[child_id].append(dict(admission))

    home_education: dict[int, list[tuple[datetime.date, HomeEducation]]] = defaultdict(list)
    steps = HomeEducationRecord.objects.order_by("on", "pk").values_list("child_id", "status", "on")
    for child_id, status, on in steps:
        home_education[child_id].append(
            (on, HOME_EDUCATION_OF_STATUS[HomeEducationRecord.Status(status)])
        )

    per_child: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        per_child[case["child_id"]].append(case)
    histories = []
    for child_id, child_cases in per_child.items():
        first = child_cases[0]
        histories.append(
            ChildHistory(
                sex=first["child__sex"],
                date_of_birth=first["child__date_of_birth"],
                case=combine_cases([case_steps(c, events[c["pk"]]) for c in child_cases]),
                on_roll=interval_steps(rolls[child_id]),
                alternative_provision=interval_steps(provision[child_id]),
                application=application_steps(applications[child_id]),
                home_education=tuple(home_education[child_id]),
            )
        )
    return histories


def dfe_return_as_at(census_date: datetime.date) -> DfeReturn:
    """The DfE's CME counts as the register stood at the end of `census_date`."""
    return dfe_return(register_histories(), census_date=census_date)


# Termly school reports ---------------------------------------------------------------------

REPORTED_PHASES = (SchoolPhase.PRIMARY, SchoolPhase.MIDDLE_PRIMARY)


def schools_with_termly_reports() -> QuerySet[School]:
    """The maintained primary schools the policy sends a termly attendance report to."""
    return School.objects.filter(
        school_type=SchoolType.MAINTAINED, phase__in=REPORTED_PHASES
    ).exclude(status=SchoolStatus.CLOSED)


def access_reported_school(*, school_id: int) -> School:
    """A school that gets a termly report, else 404. (The school is not child data; the
    report's readers are logged when the children in it are shown.)"""
    try:
        return schools_with_termly_reports().get(pk=school_id)
    except (School.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such school") from missing


def stored_reports(*, term: str) -> dict[int, SchoolReport]:
    return {report.school_id: report for report in SchoolReport.objects.filter(term=term)}


def stored_report(*, school: School, term: str) -> SchoolReport | None:
    return SchoolReport.objects.filter(school=school, term=term).first()
