"""The online referrer is emailed their reference through GOV.UK Notify, once, and nothing else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from cme.audit.models import AuditEvent
from cme.lib.notify import NotifyError, RecordingSender
from cme.referrals import acknowledgements
from cme.referrals.models import Referral
from cme.referrals.tests.factories import ReceivedReferralFactory

from .journey_data import CHILD_FIRST_NAME, CHILD_LAST_NAME, fill_in_everything, send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox() -> Iterator[None]:
    RecordingSender.outbox.clear()
    yield
    RecordingSender.outbox.clear()


def test_an_online_referrer_gets_the_reference_and_no_child_details(client: Client) -> None:
    fill_in_everything(client)
    send(client)
    referral = Referral.objects.get()
    [email] = RecordingSender.outbox
    assert email.to == "sam.patel@example.org"
    assert email.personalisation == {"reference": referral.reference}
    assert email.reference == referral.reference
    assert CHILD_FIRST_NAME not in repr(email)
    assert CHILD_LAST_NAME not in repr(email)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.REFERRAL_ACKNOWLEDGED)
    assert "sam.patel" not in repr(event.details) + event.summary


def test_it_is_sent_once_however_often_it_is_asked() -> None:
    referral = _online_referral()
    assert acknowledgements.send_acknowledgement(referral=referral) is True
    assert acknowledgements.send_acknowledgement(referral=referral) is False
    assert len(RecordingSender.outbox) == 1


def test_no_email_address_or_a_staff_recorded_referral_sends_nothing() -> None:
    staff = ReceivedReferralFactory.create(channel=Referral.Channel.PHONE)
    staff.submission["answers"]["referrer_contact"] = {"email": "someone@example.org"}
    staff.save()
    no_email = _online_referral(email="")
    for referral in (staff, no_email):
        assert acknowledgements.send_acknowledgement(referral=referral) is False
    assert RecordingSender.outbox == []


def test_without_a_configured_template_nothing_is_sent(settings: Settings) -> None:
    settings.NOTIFY_TEMPLATES = {}
    assert acknowledgements.send_acknowledgement(referral=_online_referral()) is False


def test_a_notify_failure_is_recorded_and_can_be_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    referral = _online_referral()

    def refuse(self: RecordingSender, **_: object) -> str:
        raise NotifyError("GOV.UK Notify refused the email (400)")

    monkeypatch.setattr(RecordingSender, "send_email", refuse)
    assert acknowledgements.send_acknowledgement(referral=referral) is False
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REFERRAL_ACKNOWLEDGEMENT_FAILED).exists()
    monkeypatch.undo()
    assert acknowledgements.send_acknowledgement(referral=referral) is True


def _online_referral(email: str = "referrer@example.org") -> Referral:
    referral = ReceivedReferralFactory.create(channel=Referral.Channel.ONLINE)
    referral.submission.setdefault("answers", {})["referrer_contact"] = {"email": email}
    referral.save()
    return referral
