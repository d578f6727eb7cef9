"""The demo provision: routes, an offer, a panel meeting with a decision."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cme.accounts.models import Role
from cme.accounts.tests.factories import UserFactory
from cme.cases.workflow import CaseStatus
from cme.provision.demo import create_demo_provision
from cme.provision.models import AgendaItem, PanelMeeting, ProvisionDecision
from cme.provision.rules import AgendaStatus
from cme.pupils.models import School
from cme.pupils.tests.factories import ChildWithEhcPlanFactory, LocalityFactory
from cme.reports.demo import create_demo_national_figures
from cme.reports.models import NationalAttendanceFigure

from .factories import located_case

pytestmark = pytest.mark.django_db


def test_the_demo_routes_located_cases_and_holds_a_panel(school: School) -> None:
    LocalityFactory.create(name="Bath city")
    routes = [Role.CME_OFFICER, Role.ADMISSIONS, Role.PUPIL_SUPPORT_MANAGER, Role.PANEL_MEMBER]
    users = [UserFactory.create(role=role) for role in routes]
    waiting = located_case()  # the demo leaves the first located case waiting
    cases = [located_case() for _ in range(4)]
    cases.append(located_case(child=ChildWithEhcPlanFactory.create()))
    made = create_demo_provision(users=users, today=timezone.localdate(), seed=1)
    assert made.decisions == 5
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.LOCATED
    assert ProvisionDecision.objects.filter(route="send").count() == 1
    assert made.offers == 1
    assert made.meetings == PanelMeeting.objects.count() >= 1
    assert made.panel_decisions == 1
    assert AgendaItem.objects.filter(status=AgendaStatus.AGREED).count() == 1
    for case in cases:
        case.refresh_from_db()
    statuses = {case.status for case in cases}
    assert CaseStatus.PLACED in statuses
    assert CaseStatus.ARRANGING_PROVISION in statuses


def test_the_demo_national_figures_cover_recent_terms() -> None:
    assert create_demo_national_figures(today=timezone.localdate()) == 6
    assert create_demo_national_figures(today=timezone.localdate()) == 0
    assert NationalAttendanceFigure.objects.count() == 6
