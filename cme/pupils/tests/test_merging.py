"""Merging duplicate child records and undoing a merge: nothing lost, everything follows."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.utils import timezone

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.cases.tests.factories import OpenCaseFactory
from cme.pupils import merging
from cme.pupils.models import Child, ChildMerge, School, WelfareConcern
from cme.pupils.selectors import IDENTIFYING_FIELDS, child_relations
from cme.pupils.tests.factories import (
    CarerFactory,
    ChildFactory,
    CurrentAddressFactory,
    CurrentEnrolmentFactory,
    EndedEnrolmentFactory,
    OpenSchoolFactory,
)
from cme.referrals.tests.factories import ReceivedReferralFactory

pytestmark = pytest.mark.django_db


def _owner_of_every_row() -> dict[tuple[str, str, Any], Any]:
    """Every row that points at a child, in any app: (model, field, pk) → the child's id."""
    owners: dict[tuple[str, str, Any], Any] = {}
    for relation in child_relations():
        rows = relation.model._base_manager.values_list("pk", relation.field.attname)
        for pk, child_id in rows:
            owners[(relation.label, relation.field.name, pk)] = child_id
    return owners


def _merge(actor: Any, survivor: Child, duplicate: Child, **kwargs: Any) -> ChildMerge:
    return merging.merge_children(
        actor=actor, survivor=survivor, duplicate=duplicate, reason="Same child", **kwargs
    )


def test_every_row_of_the_duplicate_follows_the_survivor(cme_manager: User, school: School) -> None:
    survivor = ChildFactory.create()
    CurrentEnrolmentFactory.create(child=survivor, school=school)
    duplicate = ChildFactory.create()
    enrolment = EndedEnrolmentFactory.create(child=duplicate, school=OpenSchoolFactory.create())
    address = CurrentAddressFactory.create(child=duplicate)
    carer = CarerFactory.create(child=duplicate)
    case = OpenCaseFactory.create(child=duplicate)
    referral = ReceivedReferralFactory.create(child=duplicate, case=case)
    concern = WelfareConcern.objects.create(child=duplicate, concern="Seen with a bruise")

    merge = _merge(cme_manager, survivor, duplicate)

    for row in (enrolment, address, carer, case, referral, concern):
        row.refresh_from_db()
        assert row.child_id == survivor.pk, type(row).__name__
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert {(m["model"], m["pk"]) for m in merge.moved} == {
        ("pupils.Enrolment", enrolment.pk),
        ("pupils.Address", address.pk),
        ("pupils.Contact", carer.pk),
        ("pupils.WelfareConcern", concern.pk),
        ("cases.Case", case.pk),
        ("referrals.Referral", referral.pk),
    }
    assert survivor.enrolments.count() == 2


def test_the_relations_followed_are_found_from_the_models_not_listed_by_hand() -> None:
    followed = {(r.label, r.field.name) for r in child_relations()}
    assert {("cases.Case", "child"), ("referrals.Referral", "child")} <= followed
    assert ("pupils.Child", "merged_into") not in followed
    assert not any(label == "pupils.ChildMerge" for label, _ in followed)


def test_the_survivor_keeps_its_details_unless_the_officer_takes_the_duplicates(
    cme_manager: User,
) -> None:
    survivor = ChildFactory.create(forename="Jon", surname="Smith", middle_names="")
    duplicate = ChildFactory.create(forename="John", surname="Smyth", middle_names="Paul")
    survivor_upn, duplicate_upn = survivor.upn, duplicate.upn

    merge = _merge(
        cme_manager, survivor, duplicate, take_from_duplicate=frozenset({"forename", "upn"})
    )

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.forename, survivor.surname, survivor.middle_names) == ("John", "Smith", "")
    assert survivor.upn == duplicate_upn
    assert duplicate.upn == ""  # a UPN belongs to one record: the duplicate gave it up
    assert merge.survivor_before == {"forename": "Jon", "upn": survivor_upn}
    assert merge.duplicate_before == {"upn": duplicate_upn}

    merging.unmerge_children(actor=cme_manager, merge=merge)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.forename, survivor.upn) == ("Jon", survivor_upn)
    assert (duplicate.forename, duplicate.upn) == ("John", duplicate_upn)


def test_a_date_of_birth_taken_from_the_duplicate_is_restored_on_undo(cme_manager: User) -> None:
    survivor = ChildFactory.create(date_of_birth=datetime.date(2015, 4, 3))
    duplicate = ChildFactory.create(date_of_birth=datetime.date(2015, 3, 4))
    merge = _merge(
        cme_manager, survivor, duplicate, take_from_duplicate=frozenset({"date_of_birth"})
    )
    survivor.refresh_from_db()
    assert survivor.date_of_birth == datetime.date(2015, 3, 4)
    merging.unmerge_children(actor=cme_manager, merge=merge)
    survivor.refresh_from_db()
    assert survivor.date_of_birth == datetime.date(2015, 4, 3)


def test_undoing_moves_back_exactly_the_rows_the_merge_moved(
    cme_manager: User, school: School
) -> None:
    survivor = ChildFactory.create()
    kept = CurrentAddressFactory.create(child=survivor)
    duplicate = ChildFactory.create()
    moved_address = CurrentAddressFactory.create(child=duplicate)
    case = OpenCaseFactory.create(child=duplicate)
    merge = _merge(cme_manager, survivor, duplicate)
    added_since = CurrentAddressFactory.create(child=survivor)

    merging.unmerge_children(actor=cme_manager, merge=merge)

    for row, owner in ((kept, survivor), (moved_address, duplicate), (case, duplicate)):
        row.refresh_from_db()
        assert row.child_id == owner.pk
    added_since.refresh_from_db()
    assert added_since.child_id == survivor.pk
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert merge.unmerged_by == cme_manager
    assert merge.is_undone is True


def test_a_row_deleted_since_the_merge_does_not_stop_the_undo(cme_manager: User) -> None:
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    gone = CarerFactory.create(child=duplicate)
    stays = CarerFactory.create(child=duplicate)
    merge = _merge(cme_manager, survivor, duplicate)
    gone_pk = gone.pk
    gone.delete()

    merging.unmerge_children(actor=cme_manager, merge=merge)

    stays.refresh_from_db()
    assert stays.child_id == duplicate.pk
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CHILD_UNMERGED, child_id=duplicate.pk)
    assert event.details["not_moved_back"] == [f"pupils.Contact {gone_pk} (child)"]


def test_merging_and_undoing_write_an_audit_event_on_both_children(cme_manager: User) -> None:
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    case = OpenCaseFactory.create(child=duplicate)
    merge = _merge(cme_manager, survivor, duplicate)

    merged = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHILD_MERGED)
    assert set(merged.values_list("child_id", flat=True)) == {survivor.pk, duplicate.pk}
    for event in merged:
        assert event.actor == cme_manager
        assert event.details["merge"] == merge.pk
        assert event.details["moved"] == [f"cases.Case {case.pk} (child)"]
        assert event.details["reason"] == "Same child"
    on_duplicate = merged.get(child_id=duplicate.pk)
    assert on_duplicate.changes == {"merged_into": [None, survivor.pk]}

    merging.unmerge_children(actor=cme_manager, merge=merge)

    unmerged = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHILD_UNMERGED)
    assert set(unmerged.values_list("child_id", flat=True)) == {survivor.pk, duplicate.pk}
    assert all(e.details["moved_back"] == [f"cases.Case {case.pk} (child)"] for e in unmerged)


def test_merging_and_undoing_touch_both_childrens_updated_at(cme_manager: User) -> None:
    """The identity-matching register finds changed children by `updated_at`."""
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Child.objects.filter(pk__in=[survivor.pk, duplicate.pk]).update(updated_at=long_ago)

    merge = _merge(cme_manager, survivor, duplicate)
    assert (
        Child.objects.filter(pk__in=[survivor.pk, duplicate.pk], updated_at=long_ago).count() == 0
    )

    Child.objects.filter(pk__in=[survivor.pk, duplicate.pk]).update(updated_at=long_ago)
    merging.unmerge_children(actor=cme_manager, merge=merge)
    assert (
        Child.objects.filter(pk__in=[survivor.pk, duplicate.pk], updated_at=long_ago).count() == 0
    )


def test_a_child_cannot_be_merged_into_itself(cme_manager: User) -> None:
    child = ChildFactory.create()
    with pytest.raises(merging.MergeError, match="itself"):
        _merge(cme_manager, child, child)


def test_a_record_already_merged_cannot_be_merged_again_or_merged_into(cme_manager: User) -> None:
    survivor, duplicate, other = (ChildFactory.create() for _ in range(3))
    _merge(cme_manager, survivor, duplicate)
    with pytest.raises(merging.MergeError, match="already been merged"):
        _merge(cme_manager, other, duplicate)
    with pytest.raises(merging.MergeError, match="merge into that record instead"):
        _merge(cme_manager, duplicate, other)
    assert ChildMerge.objects.count() == 1


def test_a_merge_needs_a_reason(cme_manager: User) -> None:
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    with pytest.raises(merging.MergeError, match="why"):
        merging.merge_children(
            actor=cme_manager, survivor=survivor, duplicate=duplicate, reason=" "
        )


def test_only_identifying_details_can_be_taken(cme_manager: User) -> None:
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    with pytest.raises(TypeError, match="looked_after"):
        _merge(cme_manager, survivor, duplicate, take_from_duplicate=frozenset({"looked_after"}))


def test_a_merge_that_would_break_a_uniqueness_rule_is_refused_and_nothing_moves(
    cme_manager: User, school: School
) -> None:
    """Both records on the same school's roll from the same day: only one child may be."""
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    CurrentEnrolmentFactory.create(child=survivor, school=school)
    CurrentEnrolmentFactory.create(child=duplicate, school=school)
    carer = CarerFactory.create(child=duplicate)

    with pytest.raises(merging.MergeError, match="one_enrolment_per_start"):
        _merge(cme_manager, survivor, duplicate)

    carer.refresh_from_db()
    duplicate.refresh_from_db()
    assert carer.child_id == duplicate.pk
    assert duplicate.merged_into_id is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHILD_MERGED).exists() is False


def test_both_records_open_cases_move_as_no_database_rule_holds_one_per_child(
    cme_manager: User,
) -> None:
    """The cases app keeps one open case per child in its services, not as a constraint: the
    merge moves both, and the officer closes or links one afterwards."""
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    OpenCaseFactory.create(child=survivor)
    OpenCaseFactory.create(child=duplicate)
    _merge(cme_manager, survivor, duplicate)
    assert survivor.cases.count() == 2


def test_a_merge_cannot_be_undone_twice(cme_manager: User) -> None:
    survivor, duplicate = ChildFactory.create(), ChildFactory.create()
    merge = _merge(cme_manager, survivor, duplicate)
    merging.unmerge_children(actor=cme_manager, merge=merge)
    with pytest.raises(merging.MergeError, match="already been undone"):
        merging.unmerge_children(actor=cme_manager, merge=merge)


def test_an_earlier_merge_is_undone_only_after_a_later_merge_of_its_survivor(
    cme_manager: User,
) -> None:
    first, second, third = (ChildFactory.create() for _ in range(3))
    carer = CarerFactory.create(child=first)
    earlier = _merge(cme_manager, second, first)
    later = _merge(cme_manager, third, second)
    carer.refresh_from_db()
    assert carer.child_id == third.pk

    with pytest.raises(merging.MergeError, match="undo that merge first"):
        merging.unmerge_children(actor=cme_manager, merge=earlier)

    merging.unmerge_children(actor=cme_manager, merge=later)
    merging.unmerge_children(actor=cme_manager, merge=earlier)
    carer.refresh_from_db()
    assert carer.child_id == first.pk


def test_merging_then_undoing_leaves_every_row_where_it_was(cme_manager: User) -> None:
    """For many random registers and pairs: merge, undo, and every row that points at a child
    (in any app) points at the same child as before, and both children's details are back."""
    schools = [OpenSchoolFactory.create() for _ in range(3)]
    for seed in range(8):
        rng = random.Random(seed)
        children = [ChildFactory.create() for _ in range(4)]
        for child in children:
            for _ in range(rng.randint(0, 2)):
                CurrentAddressFactory.create(child=child)
            for _ in range(rng.randint(0, 2)):
                CarerFactory.create(child=child)
            for school in rng.sample(schools, rng.randint(0, 1)):
                CurrentEnrolmentFactory.create(
                    child=child,
                    school=school,
                    start_date=datetime.date(2024, 9, 1) + datetime.timedelta(days=seed),
                )
            if rng.random() < 0.5:
                case = OpenCaseFactory.create(child=child)
                if rng.random() < 0.5:
                    ReceivedReferralFactory.create(child=child, case=case)
        survivor, duplicate = rng.sample(children, 2)
        take = frozenset(rng.sample(IDENTIFYING_FIELDS, rng.randint(0, 4)))
        details = {c.pk: [getattr(c, f) for f in IDENTIFYING_FIELDS] for c in (survivor, duplicate)}
        before = _owner_of_every_row()

        try:
            merge = _merge(cme_manager, survivor, duplicate, take_from_duplicate=take)
        except merging.MergeError:
            assert _owner_of_every_row() == before, seed  # a refused merge moves nothing
            continue
        assert all(owner != duplicate.pk for owner in _owner_of_every_row().values()), seed
        merging.unmerge_children(actor=cme_manager, merge=merge)

        assert _owner_of_every_row() == before, seed
        for child in (survivor, duplicate):
            child.refresh_from_db()
            assert [getattr(child, f) for f in IDENTIFYING_FIELDS] == details[child.pk]
            assert child.merged_into_id is None
