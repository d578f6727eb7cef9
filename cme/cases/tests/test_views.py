"""The case pages through the real views."""

from __future__ import annotations

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.cases.models import Case
from cme.cases.tests.factories import OpenCaseFactory
from cme.cases.workflow import CaseStatus
from cme.pupils.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_an_officer_opens_a_case_from_a_childs_record(client: Client, cme_officer: User) -> None:
    child = ChildFactory.create()
    client.force_login(cme_officer)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert f"/children/{child.pk}/open-case/" in page
    response = client.post(
        f"/children/{child.pk}/open-case/",
        {"category": "identified_missing", "summary": "Not seen"},
    )
    case = Case.objects.get(child=child)
    assert response["Location"] == f"/cases/{case.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Identified as missing education" in detail
    assert "Case C" in detail


def test_opening_without_a_category_shows_the_error_summary(
    client: Client, cme_officer: User
) -> None:
    child = ChildFactory.create()
    client.force_login(cme_officer)
    page = client.post(f"/children/{child.pk}/open-case/", {}).content.decode()
    assert "There is a problem" in page
    assert "Select why this child is missing" in page
    assert Case.objects.exists() is False


def test_a_stale_status_change_shows_a_clear_message_and_changes_nothing(
    client: Client, cme_officer: User
) -> None:
    case = OpenCaseFactory.create(version=3)
    client.force_login(cme_officer)
    response = client.post(f"/cases/{case.pk}/move/", {"to": "checking", "version": "2"})
    assert response.status_code == 400
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED


def test_the_register_lists_unallocated_cases(client: Client, cme_manager: User) -> None:
    OpenCaseFactory.create()
    client.force_login(cme_manager)
    page = client.get("/cases/", {"allocation": "unallocated"}).content.decode()
    assert "Unallocated" in page


def test_garbage_in_a_case_form_is_refused_not_a_500(client: Client, cme_officer: User) -> None:
    case = OpenCaseFactory.create()
    client.force_login(cme_officer)
    for data in (
        {"to": "x" * 10_000, "version": "abc"},
        {"version": "-1"},
        {"to": "closed", "version": "1"},
    ):
        assert client.post(f"/cases/{case.pk}/move/", data).status_code == 400


def test_an_officer_records_an_enquiry_and_a_contact_attempt_through_the_pages(
    client: Client, cme_officer: User
) -> None:
    from cme.cases import services

    case = OpenCaseFactory.create()
    case = services.move_case(actor=cme_officer, case=case, to=CaseStatus.CHECKING)
    case = services.move_case(actor=cme_officer, case=case, to=CaseStatus.LOCATING)
    enquiry = services.case_enquiries(case=case)[0]
    client.force_login(cme_officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Reasonable enquiries" in page
    response = client.post(
        f"/cases/{case.pk}/enquiries/{enquiry.pk}/",
        {
            "status": "response_received",
            "requested_on": "20/11/2026",
            "response": "Not known to us",
        },
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "response_received"
    bad = client.post(f"/cases/{case.pk}/contact-attempts/", {"method": "telephone"})
    assert bad.status_code == 400
    assert "Enter the date of the attempt" in bad.content.decode()
    good = client.post(
        f"/cases/{case.pk}/contact-attempts/",
        {
            "method": "telephone",
            "made_on": "21/11/2026",
            "reached_family": "no",
            "outcome": "No answer",
        },
    )
    assert good.status_code == 302
    assert "No answer" in client.get(f"/cases/{case.pk}/").content.decode()


def test_only_a_manager_is_offered_to_approve_closing_with_enquiries_outstanding(
    client: Client, cme_officer: User, cme_manager: User
) -> None:
    case = OpenCaseFactory.create()
    client.force_login(cme_officer)
    assert "I approve closing" not in client.get(f"/cases/{case.pk}/").content.decode()
    client.force_login(cme_manager)
    assert "I approve closing" in client.get(f"/cases/{case.pk}/").content.decode()
