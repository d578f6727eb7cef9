"""Saving drafts, sending a referral once, references that cannot be guessed, old drafts."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cme.audit.models import AuditEvent
from cme.referrals import services
from cme.referrals.models import Referral, ReferralDraft, ReferralEvent

from .journey_data import REFERENCE_PATTERN

pytestmark = pytest.mark.django_db

COMPLETE = {
    services.CHILD_STEP: {"first_name": "Zoë", "last_name": "", "description": ""},
    services.CONTACT_STEP: {"phone": "07700 900982", "email": ""},
}


def _draft(answers: dict[str, object] | None = None) -> ReferralDraft:
    draft = services.save_answers(
        draft=None, step=services.CHILD_STEP, answers=COMPLETE[services.CHILD_STEP]
    )
    services.save_answers(
        draft=draft, step=services.CONTACT_STEP, answers=COMPLETE[services.CONTACT_STEP]
    )
    if answers is not None:
        ReferralDraft.objects.filter(pk=draft.pk).update(answers=answers)
    draft.refresh_from_db()
    return draft


def test_a_reference_is_cme_and_ten_characters_that_cannot_be_misread() -> None:
    for _ in range(200):
        reference = services.new_reference()
        assert REFERENCE_PATTERN.fullmatch(reference)
        assert not set(reference[4:]) & set("0O1IL")


def test_references_do_not_repeat() -> None:
    references = {services.new_reference() for _ in range(20_000)}
    assert len(references) == 20_000


def test_a_reference_already_taken_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = services.submit_referral(draft=_draft(), client_hash="")
    draws = iter([taken.reference, "CME-ABCDEFGHJK"])
    monkeypatch.setattr(services, "new_reference", lambda: next(draws))
    second = services.submit_referral(draft=_draft(), client_hash="")
    assert second.reference == "CME-ABCDEFGHJK"
    assert Referral.objects.count() == 2


def test_answers_are_kept_page_by_page_in_one_draft() -> None:
    draft = services.save_answers(draft=None, step="reason", answers={"reason": "Moved"})
    same = services.save_answers(draft=draft, step="siblings", answers={"siblings": "Two"})
    assert same.pk == draft.pk
    assert same.answers == {"reason": {"reason": "Moved"}, "siblings": {"siblings": "Two"}}


def test_answering_after_sending_starts_a_new_draft() -> None:
    draft = _draft()
    services.submit_referral(draft=draft, client_hash="")
    fresh = services.save_answers(draft=draft, step="reason", answers={"reason": "Another"})
    assert fresh.pk != draft.pk
    assert fresh.answers == {"reason": {"reason": "Another"}}


def test_sending_stores_the_answers_as_received_with_a_received_event() -> None:
    draft = _draft()
    referral = services.submit_referral(draft=draft, client_hash="abc")
    assert referral.submission == {"format": 1, "answers": COMPLETE}
    assert referral.channel == Referral.Channel.ONLINE
    assert referral.status == Referral.Status.RECEIVED
    assert referral.client_hash == "abc"
    event = ReferralEvent.objects.get()
    assert (event.referral, event.kind) == (referral, ReferralEvent.Kind.RECEIVED)
    draft.refresh_from_db()
    assert draft.answers == {}
    assert draft.referral == referral


def test_sending_the_same_draft_twice_returns_the_first_referral() -> None:
    draft = _draft()
    stale_copy = ReferralDraft.objects.get(pk=draft.pk)
    first = services.submit_referral(draft=draft, client_hash="")
    second = services.submit_referral(draft=stale_copy, client_hash="")
    assert first == second
    assert Referral.objects.count() == 1
    assert ReferralEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, [services.CHILD_IDENTITY_MESSAGE, services.REFERRER_CONTACT_MESSAGE]),
        (
            {services.CHILD_STEP: {"description": "Boy, about 12"}},
            [services.REFERRER_CONTACT_MESSAGE],
        ),
        (
            {services.CONTACT_STEP: {"email": "a@example.org"}, services.CHILD_STEP: {}},
            [services.CHILD_IDENTITY_MESSAGE],
        ),
        (
            {
                services.CHILD_STEP: {"last_name": "Nowak"},
                services.CONTACT_STEP: {"email": "a@example.org"},
            },
            [],
        ),
    ],
)
def test_only_a_name_or_description_and_one_way_to_reach_the_referrer_are_required(
    answers: dict[str, object], missing: list[str]
) -> None:
    assert [problem.message for problem in services.missing_answers(answers)] == missing


def test_an_incomplete_draft_cannot_be_sent() -> None:
    draft = _draft({services.CHILD_STEP: {"first_name": "Zoë"}})
    with pytest.raises(services.IncompleteReferralError) as refused:
        services.submit_referral(draft=draft, client_hash="")
    assert [problem.step for problem in refused.value.problems] == [services.CONTACT_STEP]
    assert Referral.objects.count() == 0


def test_the_client_fingerprint_is_a_keyed_hash_not_the_address() -> None:
    one = services.fingerprint_client(address="203.0.113.9", user_agent="Firefox")
    assert one == services.fingerprint_client(address="203.0.113.9", user_agent="Firefox")
    assert one != services.fingerprint_client(address="203.0.113.10", user_agent="Firefox")
    assert "203.0.113.9" not in one
    assert len(one) == 64


def test_parents_are_added_changed_and_removed_by_number() -> None:
    draft = services.save_parent(draft=None, number=None, answers={"name": "A"})
    services.save_parent(draft=draft, number=None, answers={"name": "B"})
    services.save_parent(draft=draft, number=1, answers={"name": "A2"})
    draft.refresh_from_db()
    assert draft.answers["parents"] == [{"name": "A2"}, {"name": "B"}]
    services.remove_parent(draft=draft, number=2)
    draft.refresh_from_db()
    assert draft.answers["parents"] == [{"name": "A2"}]


def test_drafts_untouched_for_a_day_are_deleted_and_recent_ones_kept() -> None:
    old = _draft()
    ReferralDraft.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=25)
    )
    recent = _draft()
    assert services.delete_abandoned_drafts() == 1
    assert list(ReferralDraft.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_cleanup_command_reports_how_many_drafts_it_deleted() -> None:
    old = _draft()
    ReferralDraft.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    out = StringIO()
    call_command("delete_abandoned_referral_drafts", stdout=out)
    assert out.getvalue().strip() == "deleted=1"


def test_a_robots_draft_is_discarded_but_a_sent_one_is_kept() -> None:
    robot = _draft()
    services.discard_draft(draft=robot)
    assert not ReferralDraft.objects.filter(pk=robot.pk).exists()
    sent = _draft()
    services.submit_referral(draft=sent, client_hash="")
    services.discard_draft(draft=sent)
    assert ReferralDraft.objects.filter(pk=sent.pk).exists()


def test_a_received_referral_is_in_the_audit_trail_once_even_if_sent_twice() -> None:
    draft = _draft()
    referral = services.submit_referral(draft=draft, client_hash="abc")
    services.submit_referral(draft=draft, client_hash="abc")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.REFERRAL_RECEIVED)
    assert event.subject_id == str(referral.pk)
    assert referral.reference in event.summary
