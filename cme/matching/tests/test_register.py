"""The live register: what the engine matches against, and how fresh it is."""

from __future__ import annotations

import datetime

import pytest

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.linkage.decision import Decision, Hold
from cme.matching import services
from cme.matching.models import IdentityMatch
from cme.matching.register import LIVE_REGISTER
from cme.pupils import services as pupil_services
from cme.pupils.models import Child
from cme.pupils.tests.factories import ChildFactory, CurrentAddressFactory

pytestmark = pytest.mark.django_db

BIRTHDAY = datetime.date(2015, 4, 3)


def _details(child: Child, **overrides: str) -> dict[str, str]:
    details = {
        "forename": child.forename,
        "surname": child.surname,
        "dob": child.date_of_birth.isoformat() if child.date_of_birth else "",
        "sex": child.sex,
    }
    details.update(overrides)
    return details


def _register(count: int = 30) -> list[Child]:
    return [ChildFactory.create() for _ in range(count)]


def test_a_child_with_the_same_valid_upn_and_details_is_the_best_candidate() -> None:
    children = _register()
    wanted = children[7]
    CurrentAddressFactory.create(child=wanted, postcode="BA2 4QP", line_1="12 Widcombe Hill")
    found = services.candidates_for(
        _details(wanted, upn=wanted.upn, postcode="BA2 4QP", address="12 Widcombe Hill")
    )
    assert found[0].child_id == wanted.pk
    assert found[0].ranked.decision is Decision.LINK


def test_a_child_added_through_the_services_is_found_by_the_very_next_match(
    cme_officer: User,
) -> None:
    _register()
    services.candidates_for({"forename": "warm", "surname": "up"})  # builds the base index
    added = pupil_services.create_child(
        actor=cme_officer,
        forename="Zofia",
        surname="Wiśniewska",
        date_of_birth=BIRTHDAY,
        sex="F",
    )
    found = services.candidates_for(
        {"forename": "Zofia", "surname": "Wisniewska", "dob": BIRTHDAY.isoformat()}
    )
    assert [c.child_id for c in found][:1] == [added.pk]


def test_a_changed_surname_is_matched_at_once_and_the_old_one_no_longer_is(
    cme_officer: User,
) -> None:
    child = ChildFactory.create(forename="Amara", surname="Okafor", date_of_birth=BIRTHDAY)
    _register()
    details = {"forename": "Amara", "surname": "Okafor", "dob": BIRTHDAY.isoformat()}
    assert services.candidates_for(details)[0].child_id == child.pk
    pupil_services.update_child(actor=cme_officer, child=child, surname="Quennell")
    renamed = services.candidates_for({**details, "surname": "Quennell"})
    assert renamed[0].child_id == child.pk
    old = services.candidates_for(details)
    assert all(c.ranked.pair.record.surname == "quennell" for c in old if c.child_id == child.pk)


def test_a_new_address_is_matched_at_once(cme_officer: User) -> None:
    child = ChildFactory.create(forename="Leo", surname="Hart", date_of_birth=BIRTHDAY)
    services.candidates_for({"forename": "Leo"})
    pupil_services.record_address(
        actor=cme_officer, child=child, line_1="3 Mill Lane", postcode="BA2 6TA"
    )
    found = services.candidates_for(
        {"forename": "Leo", "surname": "Hart", "dob": BIRTHDAY.isoformat(), "postcode": "BA26TA"}
    )
    postcode_line = next(
        line
        for line in found[0].explanation.lines
        if line.label.lower().startswith("postcode") or "address" in line.label.lower()
    )
    assert found[0].child_id == child.pk
    assert postcode_line.weight > 0


def test_twins_in_one_home_are_never_linked_automatically() -> None:
    twin_a = ChildFactory.create(forename="Ruby", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    twin_b = ChildFactory.create(forename="Rosa", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    for twin in (twin_a, twin_b):
        CurrentAddressFactory.create(child=twin, line_1="9 Ash Grove", postcode="BA2 2LS")
    _register()
    found = services.candidates_for(
        {"surname": "Cole", "dob": BIRTHDAY.isoformat(), "postcode": "BA2 2LS", "sex": "F"}
    )
    assert {c.child_id for c in found[:2]} == {twin_a.pk, twin_b.pk}
    assert all(c.ranked.decision is not Decision.LINK for c in found)


def test_a_twin_named_in_full_is_still_held_for_an_officer() -> None:
    twin_a = ChildFactory.create(forename="Ruby", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    twin_b = ChildFactory.create(forename="Rosa", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    for twin in (twin_a, twin_b):
        CurrentAddressFactory.create(child=twin, line_1="9 Ash Grove", postcode="BA2 2LS")
    found = services.candidates_for(
        {
            "forename": "Ruby",
            "surname": "Cole",
            "dob": BIRTHDAY.isoformat(),
            "postcode": "BA2 2LS",
            "address": "9 Ash Grove",
        }
    )
    assert found[0].child_id == twin_a.pk
    assert found[0].ranked.decision is not Decision.LINK
    assert Hold.TWIN in found[0].ranked.held_because


def test_the_weights_shown_add_up_to_the_score_shown() -> None:
    children = _register()
    found = services.candidates_for(_details(children[3], forename="Bill"))
    for candidate in found:
        explanation = candidate.explanation
        total = explanation.prior_centibits + sum(line.centibits for line in explanation.lines)
        assert total == explanation.score_centibits


def test_a_notification_is_matched_once_kept_and_audited() -> None:
    children = _register()
    wanted = children[0]
    first = services.match_notification(
        source=IdentityMatch.Source.REFERRAL,
        reference="CME-ABC",
        details=_details(wanted, upn=wanted.upn),
    )
    again = services.match_notification(
        source=IdentityMatch.Source.REFERRAL, reference="CME-ABC", details={"surname": "Other"}
    )
    assert first.pk == again.pk
    assert first.status == IdentityMatch.Status.LINKED
    assert first.child_id == wanted.pk
    assert first.candidates[0]["lines"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.IDENTITY_MATCHED).count() == 1


def test_nobody_like_the_child_means_not_on_the_register() -> None:
    _register()
    match = services.match_notification(
        source=IdentityMatch.Source.REFERRAL,
        reference="CME-NONE",
        details={"forename": "Xanthe", "surname": "Quimby-Vale", "dob": "2012-12-12"},
    )
    assert match.status == IdentityMatch.Status.NO_MATCH
    assert match.child_id is None


def test_an_officer_confirms_one_of_the_candidates_and_it_is_audited(cme_officer: User) -> None:
    twin_a = ChildFactory.create(forename="Ruby", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    twin_b = ChildFactory.create(forename="Rosa", surname="Cole", date_of_birth=BIRTHDAY, sex="F")
    for twin in (twin_a, twin_b):
        CurrentAddressFactory.create(child=twin, line_1="9 Ash Grove", postcode="BA2 2LS")
    match = services.match_notification(
        source=IdentityMatch.Source.SCHOOL_RETURN,
        reference="R-1",
        details={"surname": "Cole", "dob": BIRTHDAY.isoformat(), "postcode": "BA2 2LS"},
    )
    assert match.status == IdentityMatch.Status.REVIEW
    services.confirm_match(actor=cme_officer, match=match, child_id=twin_b.pk, note="Rang school")
    assert match.status == IdentityMatch.Status.CONFIRMED
    assert match.child_id == twin_b.pk
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.MATCH_CONFIRMED)
    assert event.child_id == twin_b.pk
    with pytest.raises(services.MatchError):
        services.reject_match(actor=cme_officer, match=match)


def test_only_a_candidate_can_be_confirmed(cme_officer: User) -> None:
    children = _register()
    match = services.match_notification(
        source=IdentityMatch.Source.REFERRAL, reference="CME-X", details=_details(children[1])
    )
    stranger = ChildFactory.create()
    with pytest.raises(services.MatchError):
        services.confirm_match(actor=cme_officer, match=match, child_id=stranger.pk)


def test_an_automatic_link_can_be_rejected_by_an_officer(cme_officer: User) -> None:
    children = _register()
    match = services.match_notification(
        source=IdentityMatch.Source.REFERRAL,
        reference="CME-L",
        details=_details(children[2], upn=children[2].upn),
    )
    services.reject_match(actor=cme_officer, match=match, note="Different child")
    assert match.status == IdentityMatch.Status.REJECTED
    assert match.child_id is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MATCH_REJECTED).exists()


def test_a_newly_saved_model_is_used_from_the_next_match() -> None:
    children = _register()
    services.candidates_for(_details(children[0]))
    model, _version = services.active_model()
    version = services.save_model(model=model, report="same figures")
    assert services.current_register().model_version == version.pk
    assert LIVE_REGISTER.snapshot(model, version.pk).model_version == version.pk
