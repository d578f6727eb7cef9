"""Find a child: the words typed read as details, ranked by the engine, scoped and logged."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from cme.accounts.models import User
from cme.audit.models import AccessEvent
from cme.matching.search import find_children, read_query
from cme.pupils import services as pupil_services
from cme.pupils.models import School
from cme.pupils.tests.factories import ChildFactory, pupil_at

BIRTHDAY = datetime.date(2014, 2, 11)


def test_a_query_is_read_as_name_date_postcode_and_identifiers() -> None:
    assert read_query("Bill Smith 11/02/2014 ba2 4qp") == {
        "forename": "Bill",
        "surname": "Smith",
        "dob": "2014-02-11",
        "postcode": "BA2 4QP",
    }
    assert read_query("Anna Maria de Souza") == {
        "forename": "Anna",
        "middle_names": "Maria de",
        "surname": "Souza",
    }
    assert read_query("nowak") == {"surname": "nowak"}
    assert read_query("943 476 5919") == {"nhs_number": "9434765919"}


def test_a_identifier_with_a_wrong_check_character_is_no_evidence() -> None:
    assert read_query("943 476 5918") == {}
    assert "upn" not in read_query("Z801200001001")


@given(st.text(max_size=300))
def test_reading_a_query_never_fails(text: str) -> None:
    details = read_query(text)
    assert set(details) <= {
        "forename",
        "middle_names",
        "surname",
        "dob",
        "postcode",
        "upn",
        "nhs_number",
    }


@pytest.mark.django_db
def test_a_short_form_of_the_name_finds_the_child(cme_officer: User) -> None:
    william = ChildFactory.create(forename="William", surname="Hartley", date_of_birth=BIRTHDAY)
    for _ in range(20):
        ChildFactory.create()
    results = find_children(user=cme_officer, query="Bill Hartley 11/02/2014")
    assert results[0].child == william
    assert results[0].probability is not None
    assert any("Date of birth" in reason for reason in results[0].reasons)


@pytest.mark.django_db
def test_day_and_month_swapped_still_finds_the_child(cme_officer: User) -> None:
    child = ChildFactory.create(forename="Amira", surname="Haddad", date_of_birth=BIRTHDAY)
    results = find_children(user=cme_officer, query="Amira Haddad 02/11/2014")
    assert [result.child for result in results][:1] == [child]


@pytest.mark.django_db
def test_a_half_typed_name_lists_the_children_it_fits(cme_officer: User) -> None:
    child = ChildFactory.create(forename="Katarzyna", surname="Nowak-Kowalska")
    results = find_children(user=cme_officer, query="Katar")
    assert [result.child for result in results] == [child]
    assert results[0].probability is None


@pytest.mark.django_db
def test_a_child_added_is_found_by_the_very_next_search(cme_officer: User) -> None:
    for _ in range(5):
        ChildFactory.create()
    find_children(user=cme_officer, query="Jo Bloggs 01/01/2015")  # warms the register
    added = pupil_services.create_child(
        actor=cme_officer, forename="Oluwaseun", surname="Adeyemi", date_of_birth=BIRTHDAY
    )
    results = find_children(user=cme_officer, query="Seun Adeyemi 11/02/2014")
    assert results[0].child == added


@pytest.mark.django_db
def test_a_school_finds_only_its_own_pupils(
    school_user: User, school: School, other_school: School
) -> None:
    own = pupil_at(school, forename="Maya", surname="Patel", date_of_birth=BIRTHDAY)
    pupil_at(other_school, forename="Maya", surname="Patel", date_of_birth=BIRTHDAY)
    results = find_children(user=school_user, query="Maya Patel 11/02/2014")
    assert [result.child for result in results] == [own]


@pytest.mark.django_db
def test_every_search_is_logged_with_its_count(cme_officer: User) -> None:
    ChildFactory.create(forename="Leon", surname="Fraser")
    find_children(user=cme_officer, query="Leon Fraser")
    event = AccessEvent.objects.get(action=AccessEvent.Action.SEARCH)
    assert (event.query, event.result_count) == ("Leon Fraser", 1)


@pytest.mark.django_db
def test_the_page_answers_a_submitted_search_and_the_results_part_alone(
    client: Client, cme_officer: User
) -> None:
    ChildFactory.create(forename="Leon", surname="Fraser")
    client.force_login(cme_officer)
    page = client.get("/children/", {"q": "Leon Fraser"}).content.decode()
    assert "<h1" in page
    assert "Leon Fraser" in page
    part = client.get("/children/", {"q": "Leon Fraser", "fragment": "results"}).content.decode()
    assert "<h1" not in part
    assert "1 child found" in part
