"""Writes for securing education: deciding the route, the admissions team's offers, the panels'
agendas and decisions, and placements from start to settled.

Each is one transaction with its audit events (on the child's timeline). What a step means
for the case (arranging provision, placed, monitoring, closed) is done through the cases
app's own services, with the case version the user's page showed: a change made on an
out-of-date page is refused and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cme.attendance import services as attendance_services
from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.cases import services as case_services
from cme.cases.models import Case
from cme.cases.services import StaleCaseError
from cme.cases.workflow import CaseStatus, CaseTransitionError, ClosureReason
from cme.pupils.models import Locality, School
from cme.standards.school_age import national_curriculum_year

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
    DECIDABLE_STATUSES,
    OPEN_AGENDA,
    PLACEABLE_STATUSES,
    AdmissionStatus,
    AgendaStatus,
    MonitorKind,
    PanelOutcome,
    PlacementOutcome,
    ProvisionRoute,
    monitor_for,
    routes_for,
)


class ProvisionError(CaseTransitionError):
    """A step the provision rules refuse; the message says why in plain words."""


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _locked_case(case: Case, expected_version: int | None) -> Case:
    # Only the case row is locked (a join would lock, or on PostgreSQL refuse, the others).
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleCaseError(
            "Someone else changed this case while you were working on it. "
            "Check what they changed, then make your change again."
        )
    return current


def _check_not_future(value: datetime.date, *, what: str) -> None:
    if value > timezone.localdate():
        raise ProvisionError(f"{what} must be today or in the past")


def _check_after_birth(value: datetime.date, *, case: Case, what: str) -> None:
    born = case.child.date_of_birth
    if born is not None and value < born:
        raise ProvisionError(f"{what} must be after the child's date of birth")


# Deciding the route -------------------------------------------------------------------------


def decide_provision(
    *,
    actor: Any,
    case: Case,
    route: ProvisionRoute,
    need: str,
    involved: str,
    additional_support: str = "",
    locality: Locality | None = None,
    preferred_schools: str = "",
    applied_on: datetime.date | None = None,
    expected_version: int | None = None,
    replacing: int | None = None,
) -> ProvisionDecision:
    """Record the child's need and the route chosen with the family, the referrer and other
    agencies, and start it: an application for a school place (the admissions team acts on
    it), a referral to the locality's Behaviour and Attendance Panel, or the SEND team. A
    located case moves to arranging provision. Deciding again replaces the current decision
    (`replacing` is the decision the user's page showed) and withdraws what it started."""
    need, involved = need.strip(), involved.strip()
    if not need:
        raise ProvisionError("Enter what the child needs")
    if not involved:
        raise ProvisionError("Enter who took part in the decision")
    with transaction.atomic():
        current = _locked_case(case, expected_version)
        status = CaseStatus(current.status)
        if status not in DECIDABLE_STATUSES:
            raise ProvisionError(
                "The route to education is decided once the child is located, and can be "
                f"changed while provision is arranged. This case is {status.label.lower()}."
            )
        allowed = routes_for(has_ehc_plan=current.child.has_ehc_plan)
        if route not in allowed:
            raise ProvisionError(
                "A child with an education, health and care plan is referred to the SEND team."
                if current.child.has_ehc_plan
                else "Only a child with an education, health and care plan goes to the SEND team."
            )
        if route == ProvisionRoute.FAIR_ACCESS and locality is None:
            raise ProvisionError("Select the locality whose panel will consider the case")
        if applied_on is not None:
            _check_not_future(applied_on, what="The date of the application")
            _check_after_birth(applied_on, case=current, what="The date of the application")
        previous = (
            ProvisionDecision.objects.select_for_update()
            .filter(case=current, superseded_at__isnull=True)
            .first()
        )
        if (previous.pk if previous else None) != replacing:
            raise StaleCaseError(
                "Someone else decided the route for this case while you were working on it. "
                "Check their decision, then decide again if it needs to change."
            )
        now = timezone.now()
        if previous is not None:
            _withdraw(decision=previous, actor=actor, now=now)
        decision = ProvisionDecision.objects.create(
            case=current,
            route=route,
            need=need,
            involved=involved,
            additional_support=additional_support.strip(),
            locality=locality if route == ProvisionRoute.FAIR_ACCESS else None,
            decided_by=_actor_or_none(actor),
            decided_at=now,
        )
        if route == ProvisionRoute.MAINSTREAM:
            AdmissionRequest.objects.create(
                decision=decision,
                case=current,
                applied_on=applied_on or timezone.localdate(),
                preferred_schools=preferred_schools.strip(),
            )
        elif route == ProvisionRoute.FAIR_ACCESS and locality is not None:
            AgendaItem.objects.create(
                decision=decision, case=current, locality=locality, referred_at=now
            )
        audit.record_event(
            kind=AuditEvent.Kind.PROVISION_DECIDED,
            actor=actor,
            subject=decision,
            child_id=current.child_id,
            summary=f"Route decided: {route.label}"
            + (
                f" ({locality.name} panel)"
                if route == ProvisionRoute.FAIR_ACCESS and locality
                else ""
            ),
            details={
                "route": route.value,
                "replaces": previous.pk if previous else None,
                "locality": locality.pk if locality else None,
            },
        )
        if status == CaseStatus.LOCATED:
            case_services.move_case(
                actor=actor,
                case=current,
                to=CaseStatus.ARRANGING_PROVISION,
                note=route.label,
                expected_version=current.version,
            )
    return decision


def _withdraw(*, decision: ProvisionDecision, actor: Any, now: datetime.datetime) -> None:
    """Supersede a decision: its open application and panel referrals are withdrawn."""
    decision.superseded_at = now
    decision.save(update_fields=["superseded_at"])
    withdrawn_admissions = AdmissionRequest.objects.filter(
        decision=decision, status=AdmissionStatus.APPLYING
    ).update(status=AdmissionStatus.WITHDRAWN, closed_on=timezone.localdate(now))
    withdrawn_items = AgendaItem.objects.filter(
        decision=decision, status__in=[s.value for s in OPEN_AGENDA]
    ).update(status=AgendaStatus.WITHDRAWN)
    if withdrawn_admissions or withdrawn_items:
        audit.record_event(
            kind=AuditEvent.Kind.PROVISION_DECIDED,
            actor=actor,
            subject=decision,
            child_id=decision.case.child_id,
            summary="Earlier route withdrawn"
            + (": school place application withdrawn" if withdrawn_admissions else "")
            + (": panel referral withdrawn" if withdrawn_items else ""),
            details={"admissions": withdrawn_admissions, "agenda_items": withdrawn_items},
        )


# Placements ---------------------------------------------------------------------------------


def record_placement(
    *,
    actor: Any,
    case: Case,
    start_date: datetime.date,
    school: School | None = None,
    provision_name: str = "",
    monitored_by: MonitorKind | None = None,
    support: str = "",
    expected_version: int | None = None,
) -> Placement:
    """Record where the child is placed and from when; the case moves to placed. Who monitors
    it follows the route (the school; the school with the panel's support; the EHC plan's
    review) unless given."""
    provision_name = provision_name.strip()
    if school is None and not provision_name:
        raise ProvisionError("Select the school, or enter the name of the provision")
    if school is not None and provision_name:
        raise ProvisionError("Select a school or enter the name of a provision, not both")
    with transaction.atomic():
        current = _locked_case(case, expected_version)
        status = CaseStatus(current.status)
        if status not in PLACEABLE_STATUSES:
            raise ProvisionError(
                "A placement is recorded while provision is being arranged. "
                f"This case is {status.label.lower()}."
            )
        decision = ProvisionDecision.objects.filter(
            case=current, superseded_at__isnull=True
        ).first()
        if decision is None:
            raise ProvisionError("Decide the route to education before recording a placement")
        if Placement.objects.filter(case=current, ended_on__isnull=True).exists():
            raise ProvisionError("The case already has a placement being monitored")
        _check_after_birth(start_date, case=current, what="The start date")
        route = ProvisionRoute(decision.route)
        placement = Placement.objects.create(
            case=current,
            decision=decision,
            route=route,
            school=school,
            provision_name=provision_name,
            start_date=start_date,
            monitored_by=monitored_by or monitor_for(route),
            support=support.strip(),
            recorded_by=_actor_or_none(actor),
        )
        audit.record_event(
            kind=AuditEvent.Kind.PLACEMENT_RECORDED,
            actor=actor,
            subject=placement,
            child_id=current.child_id,
            summary=f"Placed at {placement.provision_label} from {start_date:%d/%m/%Y}",
            details={
                "school": school.pk if school else None,
                "provision_name": provision_name,
                "start_date": start_date,
                "monitored_by": placement.monitored_by,
                "route": route.value,
            },
        )
        case_services.move_case(
            actor=actor,
            case=current,
            to=CaseStatus.PLACED,
            note=f"{placement.provision_label}, from {start_date:%d/%m/%Y}",
            expected_version=current.version,
        )
    return placement


def record_start(
    *,
    actor: Any,
    placement: Placement,
    started_on: datetime.date,
    expected_version: int | None = None,
) -> Placement:
    """The child started at the placement: the case moves to monitoring."""
    _check_not_future(started_on, what="The date the child started")
    with transaction.atomic():
        current = _locked_case(placement.case, expected_version)
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if not placement.is_open or placement.started_on is not None:
            raise ProvisionError("The start of this placement is already recorded")
        if started_on < placement.start_date - datetime.timedelta(days=31):
            raise ProvisionError("The date the child started is long before the placement began")
        placement.started_on = started_on
        placement.save(update_fields=["started_on"])
        audit.record_event(
            kind=AuditEvent.Kind.PLACEMENT_STARTED,
            actor=actor,
            subject=placement,
            child_id=current.child_id,
            summary=f"Started at {placement.provision_label} on {started_on:%d/%m/%Y}",
            details={"started_on": started_on},
        )
        if placement.school is not None:
            # The registers then watch the child's attendance after placement (its trigger).
            attendance_services.watch_attendance_after_placement(
                child=current.child, school=placement.school, placed_on=started_on, actor=actor
            )
        if current.status == CaseStatus.PLACED:
            case_services.move_case(
                actor=actor,
                case=current,
                to=CaseStatus.MONITORING,
                note=f"Started at {placement.provision_label}",
                expected_version=current.version,
            )
    return placement


def end_placement(
    *,
    actor: Any,
    placement: Placement,
    outcome: PlacementOutcome,
    ended_on: datetime.date,
    note: str = "",
    expected_version: int | None = None,
    manager_approved: bool = False,
) -> Placement:
    """End the monitoring of a placement: settled (the case closes: the child is placed) or
    broken down (the case goes back to arranging provision, for the route to be decided
    again). Closing follows the cases rules: with enquiries outstanding, only a CME manager's
    approval closes it."""
    _check_not_future(ended_on, what="The date monitoring ended")
    if outcome == PlacementOutcome.BROKE_DOWN and not note.strip():
        raise ProvisionError("Enter why the placement did not work out")
    with transaction.atomic():
        current = _locked_case(placement.case, expected_version)
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if not placement.is_open:
            raise ProvisionError("Monitoring of this placement has already ended")
        if ended_on < placement.start_date:
            raise ProvisionError("The date monitoring ended must be on or after the start date")
        placement.ended_on = ended_on
        placement.outcome = outcome
        placement.end_note = note.strip()
        placement.save(update_fields=["ended_on", "outcome", "end_note"])
        audit.record_event(
            kind=AuditEvent.Kind.PLACEMENT_ENDED,
            actor=actor,
            subject=placement,
            child_id=current.child_id,
            summary=f"{placement.provision_label}: {outcome.label}",
            details={"outcome": outcome.value, "ended_on": ended_on, "note": note.strip()},
        )
        if outcome == PlacementOutcome.SETTLED:
            case_services.close_case(
                actor=actor,
                case=current,
                reason=ClosureReason.PLACED,
                note=f"Settled at {placement.provision_label}"
                + (f": {note.strip()}" if note.strip() else ""),
                expected_version=current.version,
                manager_approved=manager_approved,
            )
        else:
            case_services.move_case(
                actor=actor,
                case=current,
                to=CaseStatus.ARRANGING_PROVISION,
                note=f"Placement at {placement.provision_label} did not work out",
                expected_version=current.version,
            )
    return placement


# The admissions team ------------------------------------------------------------------------


def record_offer(
    *,
    actor: Any,
    admission: AdmissionRequest,
    school: School,
    offered_on: datetime.date,
    start_date: datetime.date,
    expected_version: int | None = None,
) -> AdmissionRequest:
    """A place offered at `school` from `start_date`: the placement is recorded (the school
    monitors it), the case moves to placed, and a known free place in the child's year group
    is taken."""
    _check_not_future(offered_on, what="The date of the offer")
    if start_date < offered_on:
        raise ProvisionError("The start date must be on or after the date of the offer")
    if not school.is_open:
        raise ProvisionError(f"{school.name} is closed")
    with transaction.atomic():
        admission = AdmissionRequest.objects.select_for_update().get(pk=admission.pk)
        if admission.status != AdmissionStatus.APPLYING:
            raise ProvisionError(
                f"This application is {AdmissionStatus(admission.status).label.lower()}: "
                "an offer can only be recorded while the child is applying"
            )
        if offered_on < admission.applied_on:
            raise ProvisionError("The date of the offer must be on or after the application")
        admission.status = AdmissionStatus.OFFERED
        admission.school = school
        admission.offered_on = offered_on
        admission.start_date = start_date
        admission.save()
        audit.record_event(
            kind=AuditEvent.Kind.ADMISSION_UPDATED,
            actor=actor,
            subject=admission,
            child_id=admission.case.child_id,
            summary=f"School place offered at {school.name}, starting {start_date:%d/%m/%Y}",
            details={"school": school.pk, "offered_on": offered_on, "start_date": start_date},
        )
        _take_a_place(actor=actor, admission=admission, school=school, on=start_date)
        record_placement(
            actor=actor,
            case=admission.case,
            school=school,
            start_date=start_date,
            expected_version=expected_version,
        )
    return admission


def _take_a_place(
    *, actor: Any, admission: AdmissionRequest, school: School, on: datetime.date
) -> None:
    born = admission.case.child.date_of_birth
    if born is None:
        return
    year = national_curriculum_year(born, on)
    places = SchoolPlaces.objects.select_for_update().filter(school=school, year_group=year).first()
    if places is None or places.places == 0:
        return
    places.places -= 1
    places.updated_by = _actor_or_none(actor)
    places.save(update_fields=["places", "updated_by", "updated_at"])
    audit.record_event(
        kind=AuditEvent.Kind.SCHOOL_PLACES_UPDATED,
        actor=actor,
        subject=places,
        summary=f"A place in year group {year} at {school.name} offered",
        changes={"places": [places.places + 1, places.places]},
    )


def record_no_place(
    *, actor: Any, admission: AdmissionRequest, note: str, closed_on: datetime.date | None = None
) -> AdmissionRequest:
    """No place can be offered: the officer decides the route again (Fair Access, perhaps)."""
    if not note.strip():
        raise ProvisionError("Enter why no place can be offered")
    closed_on = closed_on or timezone.localdate()
    _check_not_future(closed_on, what="The date")
    with transaction.atomic():
        admission = AdmissionRequest.objects.select_for_update().get(pk=admission.pk)
        if admission.status != AdmissionStatus.APPLYING:
            raise ProvisionError(
                f"This application is already {AdmissionStatus(admission.status).label.lower()}"
            )
        admission.status = AdmissionStatus.NO_PLACE
        admission.closed_on = closed_on
        admission.note = note.strip()
        admission.save()
        audit.record_event(
            kind=AuditEvent.Kind.ADMISSION_UPDATED,
            actor=actor,
            subject=admission,
            child_id=admission.case.child_id,
            summary="No school place offered: the officer decides the route again",
            details={"note": note.strip(), "closed_on": closed_on},
        )
    return admission


def set_school_places(*, actor: Any, school: School, places: dict[int, int | None]) -> None:
    """The places free at `school` in each year group (None: not known, the row is removed)."""
    if any(count is not None and count < 0 for count in places.values()):
        raise ProvisionError("Places must be 0 or more")
    if any(not 0 <= year <= 11 for year in places):
        raise ProvisionError("Places are for Reception to Year 11")
    with transaction.atomic():
        before = {
            row.year_group: row.places
            for row in SchoolPlaces.objects.select_for_update().filter(school=school)
        }
        for year, count in places.items():
            if count is None:
                SchoolPlaces.objects.filter(school=school, year_group=year).delete()
            else:
                SchoolPlaces.objects.update_or_create(
                    school=school,
                    year_group=year,
                    defaults={"places": count, "updated_by": _actor_or_none(actor)},
                )
        after = {**before, **places}
        changes = audit.field_changes(
            {str(year): count for year, count in before.items()},
            {str(year): count for year, count in after.items()},
        )
        if changes:
            audit.record_event(
                kind=AuditEvent.Kind.SCHOOL_PLACES_UPDATED,
                actor=actor,
                subject=school,
                summary=f"Places available at {school.name} changed",
                changes=changes,
            )


# Panels -------------------------------------------------------------------------------------


def schedule_meeting(
    *,
    actor: Any,
    locality: Locality,
    meets_on: datetime.date,
    starts_at: datetime.time | None = None,
    location: str = "",
) -> PanelMeeting:
    """A meeting of the locality's Behaviour and Attendance Panel (the panel is set up the
    first time one of its meetings is scheduled)."""
    with transaction.atomic():
        panel, _ = Panel.objects.get_or_create(locality=locality)
        meeting = PanelMeeting.objects.create(
            panel=panel,
            meets_on=meets_on,
            starts_at=starts_at,
            location=location.strip(),
            created_by=_actor_or_none(actor),
        )
        audit.record_event(
            kind=AuditEvent.Kind.PANEL_MEETING_SCHEDULED,
            actor=actor,
            subject=meeting,
            summary=f"{panel} meeting scheduled for {meets_on:%d/%m/%Y}",
            details={"meets_on": meets_on, "starts_at": starts_at, "location": location.strip()},
        )
    return meeting


def add_to_agenda(*, actor: Any, meeting: PanelMeeting, items: Sequence[AgendaItem]) -> int:
    """Put referrals waiting for the meeting's panel on its agenda, in the order given."""
    if not items:
        raise ProvisionError("Select the cases to put on the agenda")
    with transaction.atomic():
        locked = list(
            AgendaItem.objects.select_for_update()
            .filter(pk__in=[item.pk for item in items])
            .order_by("referred_at", "pk")
        )
        for item in locked:
            if item.status != AgendaStatus.WAITING:
                raise ProvisionError("A case selected is no longer waiting for a meeting")
            if item.locality_id != meeting.panel.locality_id:
                raise ProvisionError("A case selected is for another locality's panel")
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
        for position, item in enumerate(locked, start=(last or 0) + 1):
            item.meeting = meeting
            item.position = position
            item.status = AgendaStatus.ON_AGENDA
            item.save(update_fields=["meeting", "position", "status"])
            audit.record_event(
                kind=AuditEvent.Kind.PANEL_AGENDA_CHANGED,
                actor=actor,
                subject=item,
                child_id=item.case.child_id,
                summary=f"On the agenda of the {meeting}",
                details={"meeting": meeting.pk, "position": position},
            )
    return len(locked)


def remove_from_agenda(*, actor: Any, item: AgendaItem) -> AgendaItem:
    """Take a case off a meeting's agenda: it waits for another meeting."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.status != AgendaStatus.ON_AGENDA or item.meeting is None:
            raise ProvisionError("This case is not on a meeting's agenda")
        meeting = item.meeting
        item.meeting = None
        item.position = 0
        item.status = AgendaStatus.WAITING
        item.save(update_fields=["meeting", "position", "status"])
        audit.record_event(
            kind=AuditEvent.Kind.PANEL_AGENDA_CHANGED,
            actor=actor,
            subject=item,
            child_id=item.case.child_id,
            summary=f"Taken off the agenda of the {meeting}: waits for another meeting",
            details={"meeting": meeting.pk},
        )
    return item


def record_panel_decision(
    *,
    actor: Any,
    item: AgendaItem,
    outcome: PanelOutcome,
    school: School | None = None,
    provision_name: str = "",
    extra_support: str = "",
    start_date: datetime.date | None = None,
    panel_notes: str = "",
    expected_version: int | None = None,
) -> AgendaItem:
    """The panel's decision on one case: provision agreed (the school or provision named, any
    extra support and the start date: the placement is recorded, monitored by the school with
    the panel's support, and the case moves to placed); deferred (the case waits for the
    panel's next meeting); or returned to the officer (not a Fair Access case)."""
    provision_name = provision_name.strip()
    if outcome == PanelOutcome.AGREED:
        if school is None and not provision_name:
            raise ProvisionError("Select the school, or enter the provision the panel named")
        if start_date is None:
            raise ProvisionError("Enter the start date the panel agreed")
    if outcome == PanelOutcome.RETURNED and not panel_notes.strip():
        raise ProvisionError("Enter why the panel returned the case")
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.status != AgendaStatus.ON_AGENDA or item.meeting is None:
            raise ProvisionError("The panel decides on cases on a meeting's agenda")
        now = timezone.now()
        item.status = AgendaStatus(outcome.value)
        item.panel_notes = panel_notes.strip()
        item.decided_at = now
        item.decided_by = _actor_or_none(actor)
        if outcome == PanelOutcome.AGREED:
            item.school = school
            item.provision_name = "" if school is not None else provision_name
            item.extra_support = extra_support.strip()
            item.start_date = start_date
        item.save()
        audit.record_event(
            kind=AuditEvent.Kind.PANEL_DECISION_RECORDED,
            actor=actor,
            subject=item,
            child_id=item.case.child_id,
            summary=f"Panel on {item.meeting.meets_on:%d/%m/%Y}: {outcome.label.split(':')[0]}"
            + (f": {item.provision_label}" if outcome == PanelOutcome.AGREED else ""),
            details={
                "outcome": outcome.value,
                "school": school.pk if school else None,
                "provision_name": item.provision_name,
                "extra_support": item.extra_support,
                "start_date": start_date,
                "notes": item.panel_notes,
            },
        )
        if outcome == PanelOutcome.DEFERRED:
            AgendaItem.objects.create(
                decision=item.decision,
                case=item.case,
                locality_id=item.locality_id,
                referred_at=now,
            )
        elif outcome == PanelOutcome.AGREED and start_date is not None:
            record_placement(
                actor=actor,
                case=item.case,
                school=school,
                provision_name=item.provision_name,
                start_date=start_date,
                monitored_by=MonitorKind.SCHOOL_WITH_PANEL,
                support=item.extra_support,
                expected_version=expected_version,
            )
    return item


def record_home_education(
    *,
    actor: Any,
    case: Case,
    status: HomeEducationRecord.Status,
    on: datetime.date,
    note: str = "",
) -> HomeEducationRecord:
    """Record a step in the child's home education on an open case (the DfE return counts a
    child in home education assessed as unsuitable, and not one awaiting assessment)."""
    _check_not_future(on, what="The date")
    _check_after_birth(on, case=case, what="The date")
    if case.status == CaseStatus.CLOSED:
        raise ProvisionError("Re-open the case to record home education on it")
    with transaction.atomic():
        record = HomeEducationRecord.objects.create(
            case=case,
            child=case.child,
            status=status,
            on=on,
            note=note.strip(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record_event(
            kind=AuditEvent.Kind.HOME_EDUCATION_RECORDED,
            actor=actor,
            subject=record,
            child_id=case.child_id,
            summary=f"{record.get_status_display()} from {on:%d/%m/%Y}",
            details={"case": case.pk, "status": status.value, "on": on},
        )
    return record
