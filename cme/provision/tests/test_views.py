"""The provision pages through the real views, as each route's users."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from cme.accounts.models import Role, User
from cme.accounts.tests.factories import UserFactory
from cme.audit.models import AccessEvent
from cme.cases.workflow import CaseStatus
from cme.provision import selectors
from cme.provision.models import AgendaItem, Panel, PanelMeeting, Placement
from cme.provision.rules import AdmissionStatus, AgendaStatus, ProvisionRoute
from cme.pupils.models import School
from cme.pupils.tests.factories import LocalityFactory

from .factories import (
    admission_for,
    agenda_item_for,
    decided_case,
    located_case,
    meeting_with,
    placed_case,
)
from .pdf_checks import is_tagged_pdf_ua

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _login(client: Client, role: Role) -> User:
    user: User = UserFactory.create(role=role)
    client.force_login(user)
    return user


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


# The CME team -------------------------------------------------------------------------------


def test_an_officer_decides_the_route_and_the_case_moves_on(
    client: Client, cme_officer: User
) -> None:
    case = located_case(actor=cme_officer)
    client.force_login(cme_officer)
    page = client.get(f"/cases/{case.pk}/provision/decide/").content.decode()
    assert "Admission to a mainstream school" in page
    response = client.post(
        f"/cases/{case.pk}/provision/decide/",
        {
            "version": case.version,
            "route": ProvisionRoute.MAINSTREAM,
            "need": "A Year 5 place",
            "involved": "Parent and health visitor",
            "preferred_schools": "Widcombe Junior",
            **_date("applied_on", TODAY()),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/provision/"
    case.refresh_from_db()
    assert case.status == CaseStatus.ARRANGING_PROVISION
    summary = client.get(response["Location"]).content.decode()
    assert "School place application" in summary


def test_a_decision_without_answers_shows_the_error_summary(
    client: Client, cme_officer: User
) -> None:
    case = located_case(actor=cme_officer)
    client.force_login(cme_officer)
    response = client.post(f"/cases/{case.pk}/provision/decide/", {"version": case.version})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Select the route to education" in page
    assert "Enter what the child needs" in page
    assert "<title>Error: " in page


def test_fair_access_without_a_locality_and_a_wrong_date_are_shown_inline(
    client: Client, cme_officer: User
) -> None:
    case = located_case(actor=cme_officer)
    client.force_login(cme_officer)
    response = client.post(
        f"/cases/{case.pk}/provision/decide/",
        {
            "version": case.version,
            "route": ProvisionRoute.FAIR_ACCESS,
            "need": "x",
            "involved": "y",
            "applied_on_day": "31",
            "applied_on_month": "2",
            "applied_on_year": "2025",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select the locality whose panel will consider the case" in page
    assert "The date of the application must be a real date" in page
    assert 'href="#id_applied_on_day"' in page


def test_a_decision_made_on_an_out_of_date_page_is_refused(
    client: Client, cme_officer: User
) -> None:
    case = located_case(actor=cme_officer)
    client.force_login(cme_officer)
    response = client.post(
        f"/cases/{case.pk}/provision/decide/",
        {
            "version": case.version - 1,
            "route": ProvisionRoute.MAINSTREAM,
            "need": "x",
            "involved": "y",
        },
    )
    assert response.status_code == 400
    assert "Someone else changed this case" in response.content.decode()


def test_the_provision_page_alerts_the_officer_when_attendance_falls(
    client: Client, cme_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, placement = placed_case(actor=cme_officer)
    client.force_login(cme_officer)
    client.post(
        f"/placements/{placement.pk}/",
        {"action": "start", "version": case.version + 0, **_date("started_on", TODAY())},
    )
    placement.refresh_from_db()
    assert placement.started_on == TODAY()
    monkeypatch.setattr(
        selectors,
        "post_placement_attendance",
        lambda **_: selectors.SessionCounts(possible=20, attended=15),
    )
    home = client.get("/provision/").content.decode()
    assert "fallen below 90%" in home
    assert "75.0%" in home
    detail = client.get(f"/placements/{placement.pk}/").content.decode()
    assert "Attendance since the child started has fallen below 90%" in detail
    assert "15 of 20 possible sessions" in detail


def test_an_officer_records_that_the_child_settled_and_the_case_closes(
    client: Client, cme_officer: User
) -> None:
    case, placement = placed_case(actor=cme_officer)
    client.force_login(cme_officer)
    client.post(
        f"/placements/{placement.pk}/",
        {"action": "start", "version": case.version, **_date("started_on", TODAY())},
    )
    case.refresh_from_db()
    response = client.post(
        f"/placements/{placement.pk}/",
        {
            "action": "end",
            "version": case.version,
            "outcome": "settled",
            "note": "Attending every day",
            **_date("ended_on", TODAY()),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_placement_that_broke_down_needs_a_reason(client: Client, cme_officer: User) -> None:
    case, placement = placed_case(actor=cme_officer)
    client.force_login(cme_officer)
    response = client.post(
        f"/placements/{placement.pk}/",
        {
            "action": "end",
            "version": case.version,
            "outcome": "broke_down",
            **_date("ended_on", TODAY()),
        },
    )
    assert response.status_code == 400
    assert "Enter why the placement did not work out" in response.content.decode()


def test_an_unknown_action_gets_the_page_with_an_error(client: Client, cme_officer: User) -> None:
    _, placement = placed_case(actor=cme_officer)
    client.force_login(cme_officer)
    response = client.post(f"/placements/{placement.pk}/", {"action": "explode"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


# The admissions team ------------------------------------------------------------------------


def test_the_admissions_team_sees_the_applications_to_act_on_and_records_an_offer(
    client: Client, cme_officer: User, school: School
) -> None:
    applying = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    fair_access = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    _login(client, Role.ADMISSIONS)
    page = client.get("/admissions/").content.decode()
    assert escape(applying.child.full_name) in page
    assert escape(fair_access.child.full_name) not in page
    admission = admission_for(applying)
    response = client.post(
        f"/admissions/{admission.pk}/",
        {
            "action": "offer",
            "version": applying.version,
            "school": str(school.pk),
            **_date("offered_on", TODAY()),
            **_date("start_date", TODAY() + datetime.timedelta(days=3)),
        },
    )
    assert response.status_code == 302
    admission.refresh_from_db()
    assert admission.status == AdmissionStatus.OFFERED
    applying.refresh_from_db()
    assert applying.status == CaseStatus.PLACED
    assert AccessEvent.objects.filter(
        child_id=applying.child_id, purpose="Viewed a school place application"
    ).exists()


def test_an_offer_starting_before_it_was_made_is_refused_inline(
    client: Client, cme_officer: User, school: School
) -> None:
    applying = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    _login(client, Role.ADMISSIONS)
    response = client.post(
        f"/admissions/{admission_for(applying).pk}/",
        {
            "action": "offer",
            "version": applying.version,
            "school": str(school.pk),
            **_date("offered_on", TODAY()),
            **_date("start_date", TODAY() - datetime.timedelta(days=3)),
        },
    )
    assert response.status_code == 400
    assert "The start date must be on or after the offer" in response.content.decode()


def test_the_admissions_team_records_places_by_year_group(client: Client, school: School) -> None:
    _login(client, Role.ADMISSIONS)
    response = client.post(f"/admissions/places/{school.pk}/", {"year_3": "2", "year_4": "-1"})
    assert response.status_code == 400
    assert "Places in Year 4 must be 0 or more" in response.content.decode()
    client.post(f"/admissions/places/{school.pk}/", {"year_3": "2"})
    table = client.get("/admissions/places/").content.decode()
    assert school.name in table


# The SEND team ------------------------------------------------------------------------------


def test_the_send_team_sees_only_the_cases_routed_to_it(
    client: Client, cme_officer: User, send_officer: User, school: School
) -> None:
    send_case = decided_case(ProvisionRoute.SEND, actor=cme_officer)
    other = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    client.force_login(send_officer)
    page = client.get("/send/").content.decode()
    assert escape(send_case.child.full_name) in page
    assert escape(other.child.full_name) not in page
    assert client.get(f"/send/{other.pk}/").status_code == 404
    response = client.post(
        f"/send/{send_case.pk}/",
        {"version": send_case.version, "school": str(school.pk), **_date("start_date", TODAY())},
    )
    assert response.status_code == 302
    assert Placement.objects.get(case=send_case).monitored_by == "ehc_plan_review"


# Panels -------------------------------------------------------------------------------------


def test_the_pupil_support_manager_runs_a_meeting_from_agenda_to_decision(
    client: Client, cme_officer: User, school: School
) -> None:
    locality = LocalityFactory.create(name="Keynsham")
    case = decided_case(ProvisionRoute.FAIR_ACCESS, locality=locality, actor=cme_officer)
    _login(client, Role.PUPIL_SUPPORT_MANAGER)
    assert escape(case.child.full_name) in client.get("/panels/").content.decode()
    response = client.post(
        "/panels/meetings/new/",
        {"locality": str(locality.pk), "location": "Guildhall", **_date("meets_on", TODAY())},
    )
    meeting = PanelMeeting.objects.get()
    assert response["Location"] == f"/panels/meetings/{meeting.pk}/"
    item = agenda_item_for(case)
    client.post(f"/panels/meetings/{meeting.pk}/", {"action": "add", "items": [str(item.pk)]})
    item.refresh_from_db()
    assert item.status == AgendaStatus.ON_AGENDA
    response = client.post(
        f"/panels/items/{item.pk}/",
        {
            "version": case.version,
            "outcome": "agreed",
            "school": str(school.pk),
            "extra_support": "Mentor",
            **_date("start_date", TODAY() + datetime.timedelta(days=7)),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PLACED
    papers = client.get(f"/panel-papers/{meeting.pk}/").content.decode()
    assert escape(case.child.full_name) in papers
    assert "Item 1" in papers


def test_a_panel_decision_without_the_provision_named_is_refused_inline(
    client: Client, cme_officer: User
) -> None:
    case = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting_with(case)
    _login(client, Role.PUPIL_SUPPORT_MANAGER)
    response = client.post(
        f"/panels/items/{agenda_item_for(case).pk}/",
        {"version": case.version, "outcome": "agreed"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select the school, or enter the provision named" in page
    assert "Enter the start date agreed" in page


def test_panel_members_read_only_their_own_panels_papers(client: Client, cme_officer: User) -> None:
    here = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    elsewhere = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    ours, theirs = meeting_with(here), meeting_with(elsewhere)
    member = _login(client, Role.PANEL_MEMBER)
    Panel.objects.get(pk=ours.panel_id).members.add(member)
    listing = client.get("/panel-papers/").content.decode()
    assert f"/panel-papers/{ours.pk}/" in listing
    assert f"/panel-papers/{theirs.pk}/" not in listing
    assert client.get(f"/panel-papers/{theirs.pk}/").status_code == 404
    papers = client.get(f"/panel-papers/{ours.pk}/")
    assert escape(here.child.full_name) in papers.content.decode()
    assert AccessEvent.objects.filter(actor=member, child_id=here.child_id).exists()


def test_the_papers_download_as_a_tagged_pdf(client: Client, cme_officer: User) -> None:
    case = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting = meeting_with(case)
    _login(client, Role.PUPIL_SUPPORT_MANAGER)
    response = client.get(f"/panel-papers/{meeting.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert is_tagged_pdf_ua(response.content) is True


def test_taking_a_case_off_the_agenda(client: Client, cme_officer: User) -> None:
    case = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting = meeting_with(case)
    _login(client, Role.PUPIL_SUPPORT_MANAGER)
    item = agenda_item_for(case)
    client.post(f"/panels/meetings/{meeting.pk}/", {"action": "remove", "item": str(item.pk)})
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaStatus.WAITING


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.text(max_size=20), month=st.text(max_size=20), year=st.text(max_size=20))
def test_any_date_typed_gets_a_page(
    client: Client, cme_officer: User, day: str, month: str, year: str
) -> None:
    client.force_login(cme_officer)
    case = located_case(actor=cme_officer)
    response = client.post(
        f"/cases/{case.pk}/provision/decide/",
        {
            "version": case.version,
            "route": ProvisionRoute.MAINSTREAM,
            "need": "x",
            "involved": "y",
            "applied_on_day": day,
            "applied_on_month": month,
            "applied_on_year": year,
        },
    )
    assert response.status_code in {302, 400}


def test_the_lists_take_a_fixed_number_of_queries_however_many_cases(
    client: Client,
    cme_officer: User,
    django_assert_max_num_queries: pytest.FixtureDef[object],
) -> None:
    client.force_login(cme_officer)

    def cases(count: int) -> None:
        for _ in range(count):
            decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
            decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
            placed_case(actor=cme_officer)

    cases(1)
    with django_assert_max_num_queries(20) as few:  # type: ignore[operator]
        client.get("/provision/")
    cases(4)
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        assert client.get("/provision/").status_code == 200


def test_an_officer_records_home_education_and_its_assessment(
    client: Client, cme_officer: User
) -> None:
    case = located_case(actor=cme_officer)
    client.force_login(cme_officer)
    assert "Record home education" in client.get(f"/cases/{case.pk}/provision/").content.decode()
    response = client.post(
        f"/cases/{case.pk}/provision/home-education/",
        {"status": "unsuitable", "note": "No evidence of education", **_date("on", TODAY())},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/provision/home-education/").content.decode()
    assert "Home education assessed as unsuitable" in page
    assert "No evidence of education" in page


def test_home_education_in_the_future_or_without_a_choice_is_refused(
    client: Client, cme_officer: User
) -> None:
    case = located_case(actor=cme_officer)
    client.force_login(cme_officer)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    future = client.post(
        f"/cases/{case.pk}/provision/home-education/",
        {"status": "suitable", **_date("on", tomorrow)},
    )
    blank = client.post(f"/cases/{case.pk}/provision/home-education/", {})
    for response in (future, blank):
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
    assert selectors.home_education_of(case=case) == []
