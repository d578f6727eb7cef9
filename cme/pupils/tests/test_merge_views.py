"""The pages that merge duplicate records and undo a merge, as each role sees them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.cases.tests.factories import OpenCaseFactory
from cme.pupils import merging
from cme.pupils.models import Child, ChildMerge, School
from cme.pupils.tests.factories import ChildFactory, pupil_at

pytestmark = pytest.mark.django_db


def _pair() -> tuple[Child, Child]:
    born = datetime.date(2015, 4, 3)
    survivor = ChildFactory.create(forename="Jon", surname="Okafor", date_of_birth=born)
    duplicate = ChildFactory.create(forename="John", surname="Okafor", date_of_birth=born)
    return survivor, duplicate


def test_a_cme_manager_merges_a_duplicate_from_the_childs_record(
    client: Client, cme_manager: User
) -> None:
    survivor, duplicate = _pair()
    case = OpenCaseFactory.create(child=duplicate)
    client.force_login(cme_manager)

    record = client.get(f"/children/{survivor.pk}/").content.decode()
    assert f"/children/{survivor.pk}/merge/" in record

    choose = client.get(f"/children/{survivor.pk}/merge/")
    assert choose.status_code == 200
    assert f"/children/{survivor.pk}/merge/{duplicate.pk}/" in choose.content.decode()

    chosen = client.post(f"/children/{survivor.pk}/merge/", {"duplicate_id": duplicate.pk})
    assert chosen.status_code == 302
    assert chosen["Location"] == f"/children/{survivor.pk}/merge/{duplicate.pk}/"

    confirm = client.get(chosen["Location"])
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Jon" in page
    assert "John" in page
    assert "1 case" in page

    merged = client.post(
        chosen["Location"], {"take": ["forename"], "reason": "Misspelt forename"}, follow=True
    )
    page = merged.content.decode()
    assert merged.redirect_chain[-1][0] == f"/children/{survivor.pk}/"
    assert "merged into this record" in page
    assert "Merge history" in page
    assert "Undo this merge" in page
    case.refresh_from_db()
    survivor.refresh_from_db()
    assert case.child_id == survivor.pk
    assert survivor.forename == "John"


def test_a_merge_without_a_reason_shows_the_error_summary(
    client: Client, cme_manager: User
) -> None:
    survivor, duplicate = _pair()
    client.force_login(cme_manager)
    response = client.post(f"/children/{survivor.pk}/merge/{duplicate.pk}/", {"reason": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Enter why these records are the same child" in response.content.decode()
    assert ChildMerge.objects.exists() is False


@pytest.mark.parametrize(
    ("entered", "message"),
    [("self", "cannot be merged into itself"), ("999999", "no child record with that ID")],
)
def test_choosing_the_record_itself_or_a_missing_one_is_refused(
    client: Client, cme_manager: User, entered: str, message: str
) -> None:
    survivor, _ = _pair()
    client.force_login(cme_manager)
    duplicate_id = str(survivor.pk) if entered == "self" else entered
    response = client.post(f"/children/{survivor.pk}/merge/", {"duplicate_id": duplicate_id})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_record_already_merged_cannot_be_chosen_again(client: Client, cme_manager: User) -> None:
    survivor, duplicate = _pair()
    merging.merge_children(actor=None, survivor=survivor, duplicate=duplicate, reason="Same")
    other = ChildFactory.create()
    client.force_login(cme_manager)
    response = client.post(f"/children/{other.pk}/merge/", {"duplicate_id": duplicate.pk})
    assert response.status_code == 200
    assert "already been merged" in response.content.decode()


def test_a_merged_records_page_sends_you_to_the_survivor_with_a_notice(
    client: Client, cme_officer: User
) -> None:
    survivor, duplicate = _pair()
    merging.merge_children(actor=None, survivor=survivor, duplicate=duplicate, reason="Same")
    client.force_login(cme_officer)
    response = client.get(f"/children/{duplicate.pk}/", follow=True)
    assert response.redirect_chain == [(f"/children/{survivor.pk}/", 302)]
    assert f"This record (child ID {duplicate.pk}) was merged into" in response.content.decode()


def test_a_cme_manager_undoes_a_merge_after_confirming(client: Client, cme_manager: User) -> None:
    survivor, duplicate = _pair()
    case = OpenCaseFactory.create(child=duplicate)
    merge = merging.merge_children(
        actor=None, survivor=survivor, duplicate=duplicate, reason="Same"
    )
    client.force_login(cme_manager)
    url = f"/children/{survivor.pk}/merges/{merge.pk}/undo/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Undo merge" in confirm.content.decode()

    undone = client.post(url, follow=True)
    assert undone.redirect_chain[-1][0] == f"/children/{survivor.pk}/"
    assert "Merge undone" in undone.content.decode()
    case.refresh_from_db()
    merge.refresh_from_db()
    assert case.child_id == duplicate.pk
    assert merge.unmerged_by == cme_manager

    again = client.post(url)
    assert again.status_code == 200
    assert "This merge was undone" in again.content.decode()


def test_a_merge_of_another_child_cannot_be_undone_from_this_childs_record(
    client: Client, cme_manager: User
) -> None:
    survivor, duplicate = _pair()
    merge = merging.merge_children(
        actor=None, survivor=survivor, duplicate=duplicate, reason="Same"
    )
    client.force_login(cme_manager)
    other = ChildFactory.create()
    assert client.get(f"/children/{other.pk}/merges/{merge.pk}/undo/").status_code == 404


def test_only_cme_managers_may_merge_or_undo(
    client: Client, cme_officer: User, school_user: User, school: School
) -> None:
    survivor = pupil_at(school)
    duplicate = pupil_at(school)
    other = ChildFactory.create()
    merge = merging.merge_children(actor=None, survivor=survivor, duplicate=other, reason="Same")
    for user in (cme_officer, school_user):
        client.force_login(user)
        record = client.get(f"/children/{survivor.pk}/").content.decode()
        assert "Merge a duplicate record" not in record
        assert "Undo this merge" not in record
        assert "Merge history" in record
        assert client.get(f"/children/{survivor.pk}/merge/").status_code == 403
        posted = client.post(
            f"/children/{survivor.pk}/merge/{duplicate.pk}/", {"reason": "Same child"}
        )
        assert posted.status_code == 403
        assert client.post(f"/children/{survivor.pk}/merges/{merge.pk}/undo/").status_code == 403
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert merge.is_undone is False
