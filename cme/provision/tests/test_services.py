"""Securing education through the services: each route, the panels, placements to settled."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cme.accounts.models import Role, User
from cme.accounts.tests.factories import UserFactory
from cme.audit.models import AuditEvent
from cme.cases.services import StaleCaseError, move_case
from cme.cases.workflow import CaseStatus, ClosureReason
from cme.provision import services
from cme.provision.models import AgendaItem, Placement, ProvisionDecision, SchoolPlaces
from cme.provision.rules import (
    AdmissionStatus,
    AgendaStatus,
    MonitorKind,
    PanelOutcome,
    PlacementOutcome,
    ProvisionRoute,
)
from cme.provision.services import ProvisionError
from cme.pupils.models import School
from cme.pupils.tests.factories import (
    ChildFactory,
    ChildWithEhcPlanFactory,
    LocalityFactory,
    OpenSchoolFactory,
)
from cme.standards.school_age import national_curriculum_year

from .factories import (
    admission_for,
    agenda_item_for,
    decided_case,
    located_case,
    meeting_with,
    placed_case,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _kinds(case_child_id: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(child_id=case_child_id)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_deciding_the_route_on_a_located_case_moves_it_to_arranging_provision(
    cme_officer: User,
) -> None:
    case = located_case(actor=cme_officer)
    decision = services.decide_provision(
        actor=cme_officer,
        case=case,
        route=ProvisionRoute.MAINSTREAM,
        need="A Year 5 place near home",
        involved="Parent and referrer",
        preferred_schools="Widcombe Junior School",
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ARRANGING_PROVISION
    assert decision.is_current is True
    admission = admission_for(case)
    assert admission.status == AdmissionStatus.APPLYING
    assert admission.applied_on == TODAY()
    assert AuditEvent.Kind.PROVISION_DECIDED in _kinds(case.child_id)


def test_a_route_cannot_be_decided_before_the_child_is_located(cme_officer: User) -> None:
    case = located_case(actor=cme_officer)
    case = move_case(actor=cme_officer, case=case, to=CaseStatus.ARRANGING_PROVISION)
    case = move_case(actor=cme_officer, case=case, to=CaseStatus.LOCATING)
    with pytest.raises(ProvisionError, match="decided once the child is located"):
        services.decide_provision(
            actor=cme_officer,
            case=case,
            route=ProvisionRoute.MAINSTREAM,
            need="x",
            involved="y",
        )
    assert ProvisionDecision.objects.filter(case=case).exists() is False


def test_a_child_with_an_ehc_plan_goes_to_the_send_team_and_no_other_child_does(
    cme_officer: User,
) -> None:
    with_plan = located_case(child=ChildWithEhcPlanFactory.create(), actor=cme_officer)
    with pytest.raises(ProvisionError, match="referred to the SEND team"):
        services.decide_provision(
            actor=cme_officer,
            case=with_plan,
            route=ProvisionRoute.MAINSTREAM,
            need="x",
            involved="y",
        )
    without = located_case(child=ChildFactory.create(), actor=cme_officer)
    with pytest.raises(ProvisionError, match="Only a child with an education"):
        services.decide_provision(
            actor=cme_officer, case=without, route=ProvisionRoute.SEND, need="x", involved="y"
        )


def test_fair_access_needs_the_locality_and_puts_the_case_on_its_panels_waiting_list(
    cme_officer: User,
) -> None:
    case = located_case(actor=cme_officer)
    with pytest.raises(ProvisionError, match="Select the locality"):
        services.decide_provision(
            actor=cme_officer, case=case, route=ProvisionRoute.FAIR_ACCESS, need="x", involved="y"
        )
    locality = LocalityFactory.create(name="Keynsham")
    services.decide_provision(
        actor=cme_officer,
        case=case,
        route=ProvisionRoute.FAIR_ACCESS,
        need="Reintegration after exclusion",
        involved="Parent, youth worker",
        locality=locality,
    )
    item = agenda_item_for(case)
    assert item.status == AgendaStatus.WAITING
    assert item.locality == locality


def test_deciding_again_withdraws_the_earlier_application(cme_officer: User) -> None:
    case = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    first = ProvisionDecision.objects.get(case=case)
    services.decide_provision(
        actor=cme_officer,
        case=case,
        route=ProvisionRoute.FAIR_ACCESS,
        need="No school could offer a place",
        involved="Parent",
        locality=LocalityFactory.create(),
        replacing=first.pk,
    )
    first.refresh_from_db()
    assert first.is_current is False
    assert first.admission.status == AdmissionStatus.WITHDRAWN
    assert ProvisionDecision.objects.filter(case=case, superseded_at__isnull=True).count() == 1


def test_deciding_on_an_out_of_date_page_changes_nothing(cme_officer: User) -> None:
    case = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    with pytest.raises(StaleCaseError):
        services.decide_provision(
            actor=cme_officer,
            case=case,
            route=ProvisionRoute.MAINSTREAM,
            need="x",
            involved="y",
            replacing=None,  # the page showed no decision, but there is one
        )
    with pytest.raises(StaleCaseError):
        services.decide_provision(
            actor=cme_officer,
            case=case,
            route=ProvisionRoute.MAINSTREAM,
            need="x",
            involved="y",
            expected_version=case.version - 1,
        )
    assert ProvisionDecision.objects.filter(case=case).count() == 1


def test_an_offer_records_the_placement_takes_a_place_and_moves_the_case_to_placed(
    cme_officer: User, school: School
) -> None:
    admissions = UserFactory.create(role=Role.ADMISSIONS)
    case = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    start = TODAY() + datetime.timedelta(days=5)
    born = case.child.date_of_birth
    assert born is not None
    year = national_curriculum_year(born, start)
    services.set_school_places(actor=admissions, school=school, places={year: 2})
    services.record_offer(
        actor=admissions,
        admission=admission_for(case),
        school=school,
        offered_on=TODAY(),
        start_date=start,
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PLACED
    placement = Placement.objects.get(case=case)
    assert placement.school == school
    assert placement.monitored_by == MonitorKind.SCHOOL
    assert SchoolPlaces.objects.get(school=school, year_group=year).places == 1


def test_no_place_leaves_the_case_for_the_officer_to_decide_again(cme_officer: User) -> None:
    case = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    with pytest.raises(ProvisionError, match="Enter why"):
        services.record_no_place(actor=cme_officer, admission=admission_for(case), note=" ")
    admission = services.record_no_place(
        actor=cme_officer, admission=admission_for(case), note="Every school is full"
    )
    assert admission.status == AdmissionStatus.NO_PLACE
    case.refresh_from_db()
    assert case.status == CaseStatus.ARRANGING_PROVISION


def test_an_offer_cannot_start_before_it_is_made_nor_be_made_twice(
    cme_officer: User, school: School
) -> None:
    case = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    with pytest.raises(ProvisionError, match="on or after the date of the offer"):
        services.record_offer(
            actor=cme_officer,
            admission=admission_for(case),
            school=school,
            offered_on=TODAY(),
            start_date=TODAY() - datetime.timedelta(days=1),
        )
    services.record_offer(
        actor=cme_officer,
        admission=admission_for(case),
        school=school,
        offered_on=TODAY(),
        start_date=TODAY(),
    )
    with pytest.raises(ProvisionError, match="while the child is applying"):
        services.record_offer(
            actor=cme_officer,
            admission=admission_for(case),
            school=school,
            offered_on=TODAY(),
            start_date=TODAY(),
        )


def test_a_panel_agrees_provision_and_the_case_is_placed_with_the_panels_support(
    cme_officer: User, school: School
) -> None:
    psm = UserFactory.create(role=Role.PUPIL_SUPPORT_MANAGER)
    case = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting = meeting_with(case, actor=psm)
    item = agenda_item_for(case)
    assert item.meeting == meeting
    assert item.status == AgendaStatus.ON_AGENDA
    start = meeting.meets_on + datetime.timedelta(days=3)
    services.record_panel_decision(
        actor=psm,
        item=item,
        outcome=PanelOutcome.AGREED,
        school=school,
        extra_support="Reintegration mentor for six weeks",
        start_date=start,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PLACED
    placement = Placement.objects.get(case=case)
    assert placement.monitored_by == MonitorKind.SCHOOL_WITH_PANEL
    assert placement.support == "Reintegration mentor for six weeks"
    assert AuditEvent.Kind.PANEL_DECISION_RECORDED in _kinds(case.child_id)


def test_a_deferred_case_waits_for_the_panels_next_meeting(cme_officer: User) -> None:
    case = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting_with(case)
    item = agenda_item_for(case)
    services.record_panel_decision(actor=cme_officer, item=item, outcome=PanelOutcome.DEFERRED)
    item.refresh_from_db()
    assert item.status == AgendaStatus.DEFERRED
    waiting = agenda_item_for(case)
    assert waiting.pk != item.pk
    assert waiting.status == AgendaStatus.WAITING
    assert waiting.meeting is None


def test_an_agreed_provision_must_be_named_with_a_start_date(cme_officer: User) -> None:
    case = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting_with(case)
    item = agenda_item_for(case)
    with pytest.raises(ProvisionError, match="Select the school"):
        services.record_panel_decision(
            actor=cme_officer, item=item, outcome=PanelOutcome.AGREED, start_date=TODAY()
        )
    with pytest.raises(ProvisionError, match="start date"):
        services.record_panel_decision(
            actor=cme_officer, item=item, outcome=PanelOutcome.AGREED, provision_name="Hub"
        )
    item.refresh_from_db()
    assert item.status == AgendaStatus.ON_AGENDA


def test_only_waiting_cases_of_the_panels_locality_go_on_its_agenda(cme_officer: User) -> None:
    here = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    elsewhere = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting = services.schedule_meeting(
        actor=cme_officer, locality=agenda_item_for(here).locality, meets_on=TODAY()
    )
    with pytest.raises(ProvisionError, match="another locality"):
        services.add_to_agenda(
            actor=cme_officer, meeting=meeting, items=[agenda_item_for(elsewhere)]
        )
    services.add_to_agenda(actor=cme_officer, meeting=meeting, items=[agenda_item_for(here)])
    item = services.remove_from_agenda(actor=cme_officer, item=agenda_item_for(here))
    assert item.status == AgendaStatus.WAITING
    assert AgendaItem.objects.filter(meeting=meeting).exists() is False


def test_the_send_team_records_a_placement_monitored_through_the_ehc_plan(
    cme_officer: User, send_officer: User, school: School
) -> None:
    case = decided_case(ProvisionRoute.SEND, actor=cme_officer)
    placement = services.record_placement(
        actor=send_officer, case=case, school=school, start_date=TODAY()
    )
    assert placement.monitored_by == MonitorKind.EHC_PLAN_REVIEW
    case.refresh_from_db()
    assert case.status == CaseStatus.PLACED


def test_a_placement_names_a_school_or_a_provision(cme_officer: User, school: School) -> None:
    case = decided_case(ProvisionRoute.SEND, actor=cme_officer)
    with pytest.raises(ProvisionError, match="not both"):
        services.record_placement(
            actor=cme_officer,
            case=case,
            school=school,
            provision_name="Hub",
            start_date=TODAY(),
        )
    with pytest.raises(ProvisionError, match="Select the school"):
        services.record_placement(actor=cme_officer, case=case, start_date=TODAY())


def test_starting_then_settling_closes_the_case_as_placed(cme_officer: User) -> None:
    case, placement = placed_case(actor=cme_officer)
    services.record_start(actor=cme_officer, placement=placement, started_on=TODAY())
    case.refresh_from_db()
    assert case.status == CaseStatus.MONITORING
    services.end_placement(
        actor=cme_officer,
        placement=placement,
        outcome=PlacementOutcome.SETTLED,
        ended_on=TODAY(),
        note="Attending well",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.PLACED


def test_a_placement_that_breaks_down_sends_the_case_back_to_arranging_provision(
    cme_officer: User,
) -> None:
    case, placement = placed_case(actor=cme_officer)
    services.record_start(actor=cme_officer, placement=placement, started_on=TODAY())
    with pytest.raises(ProvisionError, match="Enter why"):
        services.end_placement(
            actor=cme_officer,
            placement=placement,
            outcome=PlacementOutcome.BROKE_DOWN,
            ended_on=TODAY(),
        )
    services.end_placement(
        actor=cme_officer,
        placement=placement,
        outcome=PlacementOutcome.BROKE_DOWN,
        ended_on=TODAY(),
        note="Stopped attending after two weeks",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ARRANGING_PROVISION
    placement.refresh_from_db()
    assert placement.is_open is False
    # The officer can now decide the route again.
    services.decide_provision(
        actor=cme_officer,
        case=case,
        route=ProvisionRoute.FAIR_ACCESS,
        need="Support to reintegrate",
        involved="Parent",
        locality=LocalityFactory.create(),
        replacing=ProvisionDecision.objects.get(case=case, superseded_at__isnull=True).pk,
    )


def test_dates_in_the_future_are_refused(cme_officer: User) -> None:
    _, placement = placed_case(actor=cme_officer)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    with pytest.raises(ProvisionError, match="today or in the past"):
        services.record_start(actor=cme_officer, placement=placement, started_on=tomorrow)


def test_places_are_for_reception_to_year_11_and_never_negative(cme_officer: User) -> None:
    school = OpenSchoolFactory.create()
    with pytest.raises(ProvisionError):
        services.set_school_places(actor=cme_officer, school=school, places={12: 1})
    with pytest.raises(ProvisionError):
        services.set_school_places(actor=cme_officer, school=school, places={3: -1})
    services.set_school_places(actor=cme_officer, school=school, places={3: 1, 4: None})
    assert SchoolPlaces.objects.get(school=school, year_group=3).places == 1
