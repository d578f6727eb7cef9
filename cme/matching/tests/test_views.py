"""The review queue and the decision page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.matching import services
from cme.matching.models import IdentityMatch
from cme.pupils.models import Child
from cme.pupils.tests.factories import ChildFactory, CurrentAddressFactory

pytestmark = pytest.mark.django_db

BIRTHDAY = datetime.date(2016, 9, 1)


def _twins() -> tuple[Child, Child]:
    a = ChildFactory.create(forename="Ruby", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    b = ChildFactory.create(forename="Rosa", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    for twin in (a, b):
        CurrentAddressFactory.create(child=twin, line_1="9 Ash Grove", postcode="BA2 2LS")
    return a, b


def _doubtful() -> IdentityMatch:
    return services.match_notification(
        source=IdentityMatch.Source.SCHOOL_RETURN,
        reference="RET-7",
        details={"surname": "Cole", "dob": BIRTHDAY.isoformat(), "postcode": "BA2 2LS"},
    )


def test_a_doubtful_match_waits_in_the_queue(client: Client, cme_officer: User) -> None:
    _twins()
    match = _doubtful()
    client.force_login(cme_officer)
    page = client.get("/matches/").content.decode()
    assert f"/matches/{match.pk}/" in page
    assert "RET-7" in page


def test_the_officer_confirms_a_twin_and_the_queue_empties(
    client: Client, cme_officer: User
) -> None:
    _a, b = _twins()
    match = _doubtful()
    client.force_login(cme_officer)
    page = client.get(f"/matches/{match.pk}/").content.decode()
    assert "Ruby Cole" in page
    assert "Rosa Cole" in page
    assert "Check this child" in page
    response = client.post(f"/matches/{match.pk}/", {"child": str(b.pk), "note": "Rang home"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.child_id, match.decided_by) == ("confirmed", b.pk, cme_officer)
    assert f"/matches/{match.pk}/" not in client.get("/matches/").content.decode()


def test_none_of_these_rejects(client: Client, cme_officer: User) -> None:
    _twins()
    match = _doubtful()
    client.force_login(cme_officer)
    client.post(f"/matches/{match.pk}/", {"child": "none"})
    match.refresh_from_db()
    assert match.status == IdentityMatch.Status.REJECTED


def test_no_choice_is_an_error_in_the_summary_not_a_crash(
    client: Client, cme_officer: User
) -> None:
    _twins()
    match = _doubtful()
    client.force_login(cme_officer)
    response = client.post(f"/matches/{match.pk}/", {"child": "999999"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    match.refresh_from_db()
    assert match.status == IdentityMatch.Status.REVIEW


def test_a_school_cannot_review_matches(client: Client, school_user: User) -> None:
    _twins()
    match = _doubtful()
    client.force_login(school_user)
    assert client.get(f"/matches/{match.pk}/").status_code == 403
