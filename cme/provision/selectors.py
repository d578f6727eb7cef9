"""Reads for provision, each scoped to the route's own users.

- The CME team sees every case's provision (through `cases_visible_to`).
- The admissions team sees the school place applications it must act on, and places.
- The SEND team sees the cases routed to it.
- The Pupil Support Manager sees every panel's referrals and meetings; a panel member sees
  the meetings of the panels they sit on.
Reading a child's details on these pages is recorded in the access log.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cme.accounts.models import Role
from cme.attendance import selectors as attendance_selectors
from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.cases.models import Case
from cme.cases.selectors import cases_visible_to
from cme.cases.workflow import CaseStatus
from cme.pupils.models import Enrolment, Locality, School, SchoolStatus
from cme.standards.school_age import national_curriculum_year, year_group_label

from .models import (
    AdmissionRequest,
    AgendaItem,
    HomeEducationRecord,
    Panel,
    PanelMeeting,
    Placement,
    ProvisionDecision,
    SchoolPlaces,
)
from .rules import (
    OPEN_AGENDA,
    AdmissionStatus,
    AgendaStatus,
    ProvisionRoute,
    attendance_needs_attention,
    attendance_percent,
)

OPEN_ADMISSION_VALUES = [AdmissionStatus.APPLYING.value, AdmissionStatus.OFFERED.value]
OPEN_AGENDA_VALUES = [status.value for status in OPEN_AGENDA]
PROVISION_STATUSES = [
    CaseStatus.LOCATED,
    CaseStatus.ARRANGING_PROVISION,
    CaseStatus.PLACED,
    CaseStatus.MONITORING,
]


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _log_child_read(*, user: Any, subject: Any, child_id: int, purpose: str) -> None:
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=subject,
        child_id=child_id,
        purpose=purpose,
    )


def _not_found(what: str) -> Http404:
    return Http404(f"No such {what}")


# The CME team's view of a case's provision --------------------------------------------------


def current_decision(*, case: Case) -> ProvisionDecision | None:
    return (
        ProvisionDecision.objects.filter(case=case, superseded_at__isnull=True)
        .select_related("locality", "decided_by")
        .first()
    )


def open_placement(*, case: Case) -> Placement | None:
    return (
        Placement.objects.filter(case=case, ended_on__isnull=True).select_related("school").first()
    )


@dataclass(frozen=True)
class CaseProvision:
    """Everything about securing education for one case, for its provision page."""

    case: Case
    decision: ProvisionDecision | None
    decisions: list[ProvisionDecision]
    admissions: list[AdmissionRequest]
    agenda_items: list[AgendaItem]
    placements: list[Placement]

    @property
    def open_placement(self) -> Placement | None:
        return next((p for p in self.placements if p.is_open), None)

    @property
    def admission(self) -> AdmissionRequest | None:
        """The current decision's application, if it has one."""
        if self.decision is None:
            return None
        return next((a for a in self.admissions if a.decision_id == self.decision.pk), None)

    @property
    def agenda_item(self) -> AgendaItem | None:
        """The current decision's latest panel referral, if it has one."""
        if self.decision is None:
            return None
        items = [i for i in self.agenda_items if i.decision_id == self.decision.pk]
        return max(items, key=lambda i: (i.referred_at, i.pk)) if items else None


def case_provision(*, case: Case) -> CaseProvision:
    decisions = list(
        ProvisionDecision.objects.filter(case=case).select_related("locality", "decided_by")
    )
    return CaseProvision(
        case=case,
        decision=next((d for d in decisions if d.is_current), None),
        decisions=decisions,
        admissions=list(
            AdmissionRequest.objects.filter(case=case).select_related("school").order_by("-pk")
        ),
        agenda_items=list(
            AgendaItem.objects.filter(case=case)
            .select_related("meeting__panel__locality", "school", "locality")
            .order_by("-referred_at", "-pk")
        ),
        placements=list(Placement.objects.filter(case=case).select_related("school")),
    )


@dataclass(frozen=True)
class ProvisionRow:
    case: Case
    decision: ProvisionDecision | None
    placement: Placement | None
    where: str
    attendance: AttendanceSincePlacement | None = None


def provision_rows(*, user: Any, today: datetime.date, mine: bool = False) -> list[ProvisionRow]:
    """The cases where education is being secured, for the officer's provision page: each with
    its route and where it has got to. A fixed number of queries."""
    cases = (
        cases_visible_to(user)
        .filter(status__in=[status.value for status in PROVISION_STATUSES])
        .prefetch_related(
            Prefetch(
                "provision_decisions",
                queryset=ProvisionDecision.objects.filter(superseded_at__isnull=True),
                to_attr="current_decisions",
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(ended_on__isnull=True).select_related("school"),
                to_attr="open_placements",
            ),
            Prefetch(
                "admission_requests",
                queryset=AdmissionRequest.objects.order_by("-pk"),
                to_attr="all_admissions",
            ),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("meeting").order_by(
                    "-referred_at", "-pk"
                ),
                to_attr="all_agenda_items",
            ),
        )
        .order_by("status_changed_at", "pk")
    )
    if mine:
        cases = cases.filter(allocated_to=user)
    rows = []
    for case in cases:
        decision = next(iter(case.current_decisions), None)
        placement = next(iter(case.open_placements), None)
        rows.append(
            ProvisionRow(
                case=case,
                decision=decision,
                placement=placement,
                where=_where(case, decision, placement),
                attendance=placement_attendance(placement=placement, today=today)
                if placement is not None and placement.started_on is not None
                else None,
            )
        )
    return rows


def _where(case: Case, decision: ProvisionDecision | None, placement: Placement | None) -> str:
    """Where securing education has got to, in words."""
    if placement is not None:
        if placement.started_on is None:
            return f"Placed at {placement.provision_label} from {placement.start_date:%d/%m/%Y}"
        return f"Started at {placement.provision_label} on {placement.started_on:%d/%m/%Y}"
    if decision is None:
        return "Route to be decided"
    if decision.route == ProvisionRoute.MAINSTREAM:
        return _admission_stage(case, decision)
    if decision.route == ProvisionRoute.FAIR_ACCESS:
        return _panel_stage(case, decision)
    return "With the SEND team"


def _admission_stage(case: Case, decision: ProvisionDecision) -> str:
    admissions = case.all_admissions  # type: ignore[attr-defined]  # prefetched to_attr
    admission = next((a for a in admissions if a.decision_id == decision.pk), None)
    if admission is not None and admission.status == AdmissionStatus.NO_PLACE:
        return "No school place offered: decide the route again"
    return "School place applied for: with the admissions team"


def _panel_stage(case: Case, decision: ProvisionDecision) -> str:
    items = case.all_agenda_items  # type: ignore[attr-defined]  # prefetched to_attr
    item = next((i for i in items if i.decision_id == decision.pk), None)
    stages = {
        AgendaStatus.RETURNED: "Returned by the panel: decide the route again",
        AgendaStatus.WAITING: "Referred to the panel: waiting for a meeting",
    }
    if item is None:
        return "Referred to the panel"
    if item.status == AgendaStatus.ON_AGENDA and item.meeting is not None:
        return f"On the panel's agenda for {item.meeting.meets_on:%d/%m/%Y}"
    return stages.get(AgendaStatus(item.status), "Referred to the panel")


# Attendance after a placement ---------------------------------------------------------------


@dataclass(frozen=True)
class SessionCounts:
    possible: int
    attended: int


def post_placement_attendance(
    *, child_id: int, school_id: int, since: datetime.date, until: datetime.date
) -> SessionCounts | None:
    """The child's possible and attended sessions at the school from `since` to `until`, from
    the school's registers (None when the registers hold no possible session yet)."""
    rate = attendance_selectors.attendance_since(
        child_id=child_id, school_id=school_id, since=since, until=until
    )
    if not rate.possible:
        return None
    return SessionCounts(possible=rate.possible, attended=rate.attended)


@dataclass(frozen=True)
class AttendanceSincePlacement:
    possible: int
    attended: int

    @property
    def percent(self) -> float | None:
        return attendance_percent(attended=self.attended, possible=self.possible)

    @property
    def needs_attention(self) -> bool:
        return attendance_needs_attention(attended=self.attended, possible=self.possible)


def placement_attendance(
    *, placement: Placement, today: datetime.date
) -> AttendanceSincePlacement | None:
    """Attendance at a school placement since the child started; None when the placement is
    not at a school, the child has not started, or no figures are available."""
    if placement.school_id is None or placement.started_on is None:
        return None
    until = placement.ended_on or today
    counts = post_placement_attendance(
        child_id=placement.case.child_id,
        school_id=placement.school_id,
        since=placement.started_on,
        until=until,
    )
    if counts is None:
        return None
    return AttendanceSincePlacement(possible=counts.possible, attended=counts.attended)


def access_placement(*, user: Any, placement_id: int) -> Placement:
    """A placement on a case `user` may see, else 404; the read is logged."""
    try:
        placement = Placement.objects.select_related(
            "case__child", "case__allocated_to", "school", "decision"
        ).get(pk=placement_id, case__in=cases_visible_to(user))
    except (Placement.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("placement") from missing
    _log_child_read(
        user=user,
        subject=placement,
        child_id=placement.case.child_id,
        purpose="Viewed a placement",
    )
    return placement


# The admissions team -----------------------------------------------------------------------


def admissions_visible_to(user: Any) -> QuerySet[AdmissionRequest]:
    """The school place applications the admissions team acts on: those still open or
    decided, on open cases. Other roles see none here (the CME team sees each on its case)."""
    admissions = AdmissionRequest.objects.select_related(
        "case__child", "case__allocated_to", "school", "decision"
    )
    if not _authenticated(user) or user.role != Role.ADMISSIONS:
        return admissions.none()
    return admissions.exclude(case__status=CaseStatus.CLOSED).exclude(
        status=AdmissionStatus.WITHDRAWN
    )


def admissions_to_act_on(*, user: Any) -> list[AdmissionRequest]:
    """Applications waiting for a decision, the longest-waiting first."""
    return list(
        admissions_visible_to(user)
        .filter(status=AdmissionStatus.APPLYING)
        .order_by("applied_on", "pk")
    )


def recent_offers(*, user: Any, limit: int = 50) -> list[AdmissionRequest]:
    return list(
        admissions_visible_to(user)
        .filter(status__in=[AdmissionStatus.OFFERED, AdmissionStatus.NO_PLACE])
        .order_by("-updated_at", "-pk")[:limit]
    )


def access_admission(*, user: Any, admission_id: int) -> AdmissionRequest:
    try:
        admission = admissions_visible_to(user).get(pk=admission_id)
    except (AdmissionRequest.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("application") from missing
    _log_child_read(
        user=user,
        subject=admission,
        child_id=admission.case.child_id,
        purpose="Viewed a school place application",
    )
    return admission


def schools_for_places() -> QuerySet[School]:
    """Schools the admissions team can offer places at: the authority's open schools."""
    return School.objects.exclude(status=SchoolStatus.CLOSED).order_by("name")


@dataclass(frozen=True)
class SchoolPlacesRow:
    school: School
    by_year: dict[int, int | None]

    @property
    def total(self) -> int:
        return sum(count or 0 for count in self.by_year.values())


def places_table(*, year_groups: range = range(12)) -> list[SchoolPlacesRow]:
    """Places available at each school by year group (None: not known)."""
    known: dict[int, dict[int, int]] = defaultdict(dict)
    for row in SchoolPlaces.objects.values("school_id", "year_group", "places"):
        known[row["school_id"]][row["year_group"]] = row["places"]
    return [
        SchoolPlacesRow(
            school=school, by_year={year: known[school.pk].get(year) for year in year_groups}
        )
        for school in schools_for_places()
        if school.pk in known
    ]


def access_school_for_places(*, school_id: int) -> School:
    try:
        return schools_for_places().get(pk=school_id)
    except (School.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("school") from missing


def school_for_places(pk: str) -> School:
    """A school chosen in a form (from `schools_for_places`), else 404."""
    try:
        return schools_for_places().get(pk=int(pk))
    except (School.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("school") from missing


def places_for_year(*, year: int | None) -> list[SchoolPlaces]:
    """Schools with places free in a year group, most places first."""
    if year is None:
        return []
    return list(
        SchoolPlaces.objects.filter(year_group=year, places__gt=0)
        .exclude(school__status=SchoolStatus.CLOSED)
        .select_related("school")
        .order_by("-places", "school__name")
    )


def places_at(*, school: School) -> dict[int, int]:
    return {row.year_group: row.places for row in SchoolPlaces.objects.filter(school=school)}


def year_of(date_of_birth: datetime.date | None, on: datetime.date) -> int | None:
    return None if date_of_birth is None else national_curriculum_year(date_of_birth, on)


def year_group_on(date_of_birth: datetime.date | None, on: datetime.date) -> str:
    if date_of_birth is None:
        return "Not known"
    return year_group_label(national_curriculum_year(date_of_birth, on))


# The SEND team -----------------------------------------------------------------------------


def send_cases_visible_to(user: Any) -> QuerySet[Case]:
    """Open cases whose current route is the SEND team, for the SEND team."""
    cases = Case.objects.select_related("child", "allocated_to")
    if not _authenticated(user) or user.role != Role.SEND:
        return cases.none()
    return (
        cases.exclude(status=CaseStatus.CLOSED)
        .filter(
            provision_decisions__route=ProvisionRoute.SEND,
            provision_decisions__superseded_at__isnull=True,
        )
        .distinct()
    )


@dataclass(frozen=True)
class SendCaseRow:
    case: Case
    decision: ProvisionDecision | None
    placement: Placement | None
    year_group: str


def send_case_rows(*, user: Any, today: datetime.date) -> list[SendCaseRow]:
    cases = send_cases_visible_to(user).prefetch_related(
        Prefetch(
            "provision_decisions",
            queryset=ProvisionDecision.objects.filter(superseded_at__isnull=True),
            to_attr="current_decisions",
        ),
        Prefetch(
            "placements",
            queryset=Placement.objects.filter(ended_on__isnull=True).select_related("school"),
            to_attr="open_placements",
        ),
    )
    return [
        SendCaseRow(
            case=case,
            decision=next(iter(case.current_decisions), None),
            placement=next(iter(case.open_placements), None),
            year_group=year_group_on(case.child.date_of_birth, today),
        )
        for case in cases.order_by("status_changed_at", "pk")
    ]


def access_send_case(*, user: Any, case_id: int) -> Case:
    try:
        case = send_cases_visible_to(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("case") from missing
    _log_child_read(user=user, subject=case, child_id=case.child_id, purpose="Viewed a SEND case")
    return case


def localities() -> QuerySet[Locality]:
    return Locality.objects.order_by("name")


def locality(pk: str) -> Locality:
    """A locality chosen in a form, else 404."""
    try:
        return Locality.objects.get(pk=int(pk))
    except (Locality.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("locality") from missing


# Panels -------------------------------------------------------------------------------------


def meetings_visible_to(user: Any) -> QuerySet[PanelMeeting]:
    """The Pupil Support Manager sees every meeting; a panel member those of their panels."""
    meetings = PanelMeeting.objects.select_related("panel__locality")
    if not _authenticated(user):
        return meetings.none()
    if user.role == Role.PUPIL_SUPPORT_MANAGER:
        return meetings
    if user.role == Role.PANEL_MEMBER:
        return meetings.filter(panel__members=user)
    return meetings.none()


def access_meeting(*, user: Any, meeting_id: int) -> PanelMeeting:
    try:
        return meetings_visible_to(user).get(pk=meeting_id)
    except (PanelMeeting.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("meeting") from missing


def agenda_items_visible_to(user: Any) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.select_related(
        "case__child", "case__allocated_to", "decision", "locality", "meeting", "school"
    )
    if not _authenticated(user) or user.role != Role.PUPIL_SUPPORT_MANAGER:
        return items.none()
    return items


def access_agenda_item(*, user: Any, item_id: int) -> AgendaItem:
    try:
        item = agenda_items_visible_to(user).get(pk=item_id)
    except (AgendaItem.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise _not_found("agenda item") from missing
    _log_child_read(
        user=user, subject=item, child_id=item.case.child_id, purpose="Viewed a panel referral"
    )
    return item


@dataclass
class LocalityPanel:
    locality: Locality
    waiting: list[AgendaItem] = field(default_factory=list)
    meetings: list[PanelMeeting] = field(default_factory=list)


def panels_overview(*, user: Any, today: datetime.date) -> list[LocalityPanel]:
    """Per locality: the referrals waiting for a meeting and the meetings from today on."""
    by_locality: dict[int, LocalityPanel] = {
        locality.pk: LocalityPanel(locality=locality) for locality in Locality.objects.all()
    }
    for item in (
        agenda_items_visible_to(user)
        .filter(status=AgendaStatus.WAITING)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("referred_at", "pk")
    ):
        by_locality[item.locality_id].waiting.append(item)
    for meeting in meetings_visible_to(user).filter(meets_on__gte=today).order_by("meets_on"):
        by_locality[meeting.panel.locality_id].meetings.append(meeting)
    return list(by_locality.values())


def past_meetings(*, user: Any, today: datetime.date, limit: int = 20) -> list[PanelMeeting]:
    return list(meetings_visible_to(user).filter(meets_on__lt=today)[:limit])


def agenda(*, meeting: PanelMeeting) -> list[AgendaItem]:
    """The meeting's agenda in order (withdrawn referrals left out)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(status=AgendaStatus.WITHDRAWN)
        .select_related("case__child", "case__allocated_to", "decision", "school")
        .order_by("position", "pk")
    )


def waiting_for(*, meeting: PanelMeeting, user: Any) -> list[AgendaItem]:
    """Referrals from the meeting's locality that wait for a meeting."""
    return list(
        agenda_items_visible_to(user)
        .filter(status=AgendaStatus.WAITING, locality_id=meeting.panel.locality_id)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("referred_at", "pk")
    )


def panel_for(*, locality: Locality) -> Panel | None:
    return Panel.objects.filter(locality=locality).first()


# Panel papers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolHistoryLine:
    school: str
    start_date: datetime.date
    end_date: datetime.date | None
    leaving: str


@dataclass(frozen=True)
class PaperItem:
    number: int
    item: AgendaItem
    year_group: str
    schools: list[SchoolHistoryLine]


@dataclass(frozen=True)
class PanelPapers:
    meeting: PanelMeeting
    members: list[str]
    items: list[PaperItem]


def panel_papers(*, user: Any, meeting: PanelMeeting) -> PanelPapers:
    """The papers for a meeting: each case on the agenda with what the panel needs to decide
    (the child, the need, the support asked for, the schools attended). Every child's details
    read are logged."""
    items = agenda(meeting=meeting)
    enrolments: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in (
        Enrolment.objects.filter(child_id__in=[i.case.child_id for i in items])
        .select_related("school")
        .order_by("-start_date")
    ):
        enrolments[enrolment.child_id].append(enrolment)
    papers = []
    for number, item in enumerate(items, start=1):
        child = item.case.child
        _log_child_read(
            user=user,
            subject=item,
            child_id=child.pk,
            purpose=f"Read the papers for the panel meeting on {meeting.meets_on:%d/%m/%Y}",
        )
        papers.append(
            PaperItem(
                number=number,
                item=item,
                year_group=year_group_on(child.date_of_birth, meeting.meets_on),
                schools=[
                    SchoolHistoryLine(
                        school=e.school.name,
                        start_date=e.start_date,
                        end_date=e.end_date,
                        leaving=e.get_deletion_ground_display() or e.leaving_reason,
                    )
                    for e in enrolments[child.pk]
                ],
            )
        )
    members = [
        str(member) for member in meeting.panel.members.filter(is_active=True).order_by("last_name")
    ]
    return PanelPapers(meeting=meeting, members=members, items=papers)


def home_education_of(*, case: Case) -> list[HomeEducationRecord]:
    """The home-education steps recorded on the case, oldest first."""
    return list(
        HomeEducationRecord.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("on", "pk")
    )
