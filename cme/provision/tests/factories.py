"""Cases at each step of securing education, built through the services (so each has its
audit trail), and one object of each kind for the URL permission matrix."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cme.cases import services as case_services
from cme.cases.categories import CaseCategory
from cme.cases.models import Case
from cme.cases.workflow import CaseStatus
from cme.provision import services
from cme.provision.models import AdmissionRequest, AgendaItem, PanelMeeting, Placement
from cme.provision.rules import ProvisionRoute
from cme.pupils.models import Child, Locality, School
from cme.pupils.tests.factories import (
    ChildFactory,
    ChildWithEhcPlanFactory,
    LocalityFactory,
    OpenSchoolFactory,
)


def located_case(*, child: Child | None = None, actor: Any = None) -> Case:
    """A case whose child has been found: ready for the route to be decided."""
    case = case_services.open_case(
        actor=actor,
        child=child or ChildFactory.create(),
        category=CaseCategory.IDENTIFIED_MISSING,
    )
    case = case_services.move_case(actor=actor, case=case, to=CaseStatus.CHECKING)
    return case_services.move_case(actor=actor, case=case, to=CaseStatus.LOCATED)


def decided_case(
    route: ProvisionRoute,
    *,
    child: Child | None = None,
    locality: Locality | None = None,
    actor: Any = None,
    applied_on: datetime.date | None = None,
) -> Case:
    """A case whose route is decided (provision is being arranged)."""
    if child is None:
        child = (
            ChildWithEhcPlanFactory.create()
            if route == ProvisionRoute.SEND
            else ChildFactory.create()
        )
    case = located_case(child=child, actor=actor)
    services.decide_provision(
        actor=actor,
        case=case,
        route=route,
        need="A school place near home; reading support",
        involved="The parent, the referrer (health visitor) and the child",
        locality=(locality or LocalityFactory.create())
        if route == ProvisionRoute.FAIR_ACCESS
        else None,
        applied_on=applied_on,
    )
    case.refresh_from_db()
    return case


def admission_for(case: Case) -> AdmissionRequest:
    return AdmissionRequest.objects.get(case=case, decision__superseded_at__isnull=True)


def agenda_item_for(case: Case) -> AgendaItem:
    return AgendaItem.objects.filter(case=case).latest("referred_at", "pk")


def meeting_with(
    *cases: Case, meets_on: datetime.date | None = None, actor: Any = None
) -> PanelMeeting:
    """A meeting of the first case's locality panel with the cases on its agenda."""
    items = [agenda_item_for(case) for case in cases]
    meeting = services.schedule_meeting(
        actor=actor,
        locality=items[0].locality,
        meets_on=meets_on or timezone.localdate() + datetime.timedelta(days=7),
        location="Guildhall, Bath",
    )
    services.add_to_agenda(actor=actor, meeting=meeting, items=items)
    return meeting


def placed_case(
    *, school: School | None = None, start_date: datetime.date | None = None, actor: Any = None
) -> tuple[Case, Placement]:
    """A mainstream case with a place offered and recorded: placed, not yet started."""
    case = decided_case(ProvisionRoute.MAINSTREAM, actor=actor)
    today = timezone.localdate()
    services.record_offer(
        actor=actor,
        admission=admission_for(case),
        school=school or OpenSchoolFactory.create(),
        offered_on=today,
        start_date=start_date or today,
    )
    case.refresh_from_db()
    return case, Placement.objects.get(case=case, ended_on__isnull=True)


def provision_objects() -> dict[str, int]:
    """One object of each kind provision's pages take, for the URL permission matrix: a case
    routed to the SEND team, a school place application, a panel meeting with a case on its
    agenda, and a placement."""
    send_case = decided_case(ProvisionRoute.SEND)
    applying = decided_case(ProvisionRoute.MAINSTREAM)
    fair_access = decided_case(ProvisionRoute.FAIR_ACCESS)
    meeting = meeting_with(fair_access)
    _, placement = placed_case()
    return {
        "send_case_id": send_case.pk,
        "admission_id": admission_for(applying).pk,
        "meeting_id": meeting.pk,
        "agenda_item_id": agenda_item_for(fair_access).pk,
        "placement_id": placement.pk,
    }
