"""Who sees which children: the one scoping rule, tested role by role."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.http import Http404

from cme.accounts.models import User
from cme.audit.models import AccessEvent
from cme.pupils import merging, selectors
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import (
    ChildFactory,
    ChildWithEhcPlanFactory,
    CurrentEnrolmentFactory,
    EndedEnrolmentFactory,
    HouseholdFactory,
    pupil_at,
)

pytestmark = pytest.mark.django_db


def test_the_cme_team_sees_every_child(
    cme_officer: User, cme_manager: User, school: School
) -> None:
    on_roll = pupil_at(school)
    on_no_roll = ChildFactory.create()
    for user in (cme_officer, cme_manager):
        assert set(selectors.children_visible_to(user)) == {on_roll, on_no_roll}


def test_a_school_sees_its_own_pupils_only(
    school_user: User, school: School, other_school: School
) -> None:
    ours = pupil_at(school)
    pupil_at(other_school)
    ChildFactory.create()
    assert list(selectors.children_visible_to(school_user)) == [ours]


@time_machine.travel(datetime.date(2025, 9, 1))
def test_a_school_sees_a_leaver_for_90_days_then_no_more(school_user: User, school: School) -> None:
    recent = EndedEnrolmentFactory.create(school=school, end_date=datetime.date(2025, 7, 18)).child
    old = EndedEnrolmentFactory.create(
        school=school, start_date=datetime.date(2020, 9, 1), end_date=datetime.date(2025, 5, 1)
    ).child
    visible = set(selectors.children_visible_to(school_user))
    assert recent in visible
    assert old not in visible


def test_a_pupil_who_moved_on_is_seen_by_the_new_school_not_the_old_one_after_90_days(
    school_user: User, school_user_other_school: User, school: School, other_school: School
) -> None:
    child = ChildFactory.create()
    EndedEnrolmentFactory.create(
        child=child,
        school=other_school,
        start_date=datetime.date(2019, 9, 1),
        end_date=datetime.date(2020, 7, 20),
    )
    CurrentEnrolmentFactory.create(child=child, school=school)
    assert child in selectors.children_visible_to(school_user)
    assert child not in selectors.children_visible_to(school_user_other_school)


def test_the_send_team_sees_children_with_an_ehc_plan(send_officer: User) -> None:
    with_plan = ChildWithEhcPlanFactory.create()
    ChildFactory.create()
    assert list(selectors.children_visible_to(send_officer)) == [with_plan]


def test_partner_agencies_and_administrators_see_no_register(
    partner_agency_user: User, administrator: User, school: School
) -> None:
    pupil_at(school)
    assert selectors.children_visible_to(partner_agency_user).exists() is False
    assert selectors.children_visible_to(administrator).exists() is False


def test_an_inactive_user_sees_nothing(cme_officer: User, school: School) -> None:
    pupil_at(school)
    cme_officer.is_active = False
    assert selectors.children_visible_to(cme_officer).exists() is False


def test_access_out_of_scope_raises_404_and_logs_nothing(
    school_user_other_school: User, school: School
) -> None:
    child = pupil_at(school)
    with pytest.raises(Http404):
        selectors.access_child(user=school_user_other_school, child_id=child.pk)
    assert AccessEvent.objects.exists() is False


def test_search_by_upn_finds_the_child_and_by_former_upn_too(cme_officer: User) -> None:
    child = ChildFactory.create(former_upn="A800200119001")
    assert selectors.search_children(user=cme_officer, query=child.upn.lower()) == [child]


def test_search_by_date_of_birth_and_name_narrows_to_that_child(cme_officer: User) -> None:
    one = ChildFactory.create(
        forename="Amara", surname="Okafor", date_of_birth=datetime.date(2015, 4, 3)
    )
    ChildFactory.create(forename="Amara", surname="Okafor", date_of_birth=datetime.date(2016, 4, 3))
    assert selectors.search_children(user=cme_officer, query="amara 03/04/2015") == [one]


def test_siblings_shown_are_only_those_the_user_may_see(
    school_user: User, school: School, other_school: School
) -> None:
    household = HouseholdFactory.create()
    child = pupil_at(school, household=household)
    sibling_here = pupil_at(school, household=household)
    sibling_elsewhere = pupil_at(other_school, household=household)
    record = selectors.child_record(user=school_user, child=child)
    assert record["siblings"] == [sibling_here]
    assert sibling_elsewhere not in record["siblings"]


def _merged(survivor: Child, duplicate: Child) -> Child:
    merging.merge_children(actor=None, survivor=survivor, duplicate=duplicate, reason="Same")
    duplicate.refresh_from_db()
    return duplicate


def test_a_merged_record_is_left_out_of_lists_and_searches(cme_officer: User) -> None:
    survivor = ChildFactory.create(surname="Okafor")
    duplicate = _merged(survivor, ChildFactory.create(surname="Okafor"))
    assert list(selectors.children_visible_to(cme_officer)) == [survivor]
    found = selectors.search_children(user=cme_officer, query="Okafor")
    assert found == [survivor]
    assert duplicate not in selectors.likely_duplicates(user=cme_officer, child=survivor)


def test_a_merged_records_id_leads_to_the_survivor_and_the_read_is_logged_on_it(
    school_user: User, school: School
) -> None:
    survivor = pupil_at(school)
    duplicate = _merged(survivor, ChildFactory.create())
    child = selectors.access_child(user=school_user, child_id=duplicate.pk)
    assert child == survivor
    access = AccessEvent.objects.get(actor=school_user)
    assert access.child_id == survivor.pk
    assert f"through merged record {duplicate.pk}" in access.purpose


def test_a_merged_records_id_is_404_to_whoever_cannot_see_the_survivor(
    school_user_other_school: User, school: School
) -> None:
    duplicate = _merged(pupil_at(school), ChildFactory.create())
    with pytest.raises(Http404):
        selectors.access_child(user=school_user_other_school, child_id=duplicate.pk)


def test_a_record_merged_twice_over_leads_to_the_last_survivor(cme_officer: User) -> None:
    first, second, third = (ChildFactory.create() for _ in range(3))
    _merged(second, first)
    _merged(third, second)
    assert selectors.access_child(user=cme_officer, child_id=first.pk) == third


def test_the_merge_pages_see_a_merged_record_as_itself(cme_manager: User) -> None:
    duplicate = _merged(ChildFactory.create(), ChildFactory.create())
    child = selectors.access_child(user=cme_manager, child_id=duplicate.pk, follow_merges=False)
    assert child == duplicate


def test_likely_duplicates_share_surname_and_birth_date_or_an_identifier(
    cme_officer: User,
) -> None:
    born = datetime.date(2015, 4, 3)
    child = ChildFactory.create(surname="Nowak", date_of_birth=born)
    same_name_and_birth = ChildFactory.create(surname="NOWAK", date_of_birth=born)
    same_nhs_number = ChildFactory.create(nhs_number=child.nhs_number)
    ChildFactory.create(surname="Nowak", date_of_birth=datetime.date(2016, 4, 3))
    assert set(selectors.likely_duplicates(user=cme_officer, child=child)) == {
        same_name_and_birth,
        same_nhs_number,
    }
