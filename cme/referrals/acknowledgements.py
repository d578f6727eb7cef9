"""The email that tells an online referrer their referral arrived: the reference, nothing more.

Sent once per referral through GOV.UK Notify (`cme.lib.notify`), by a background task, and
recorded in the audit trail (sent, or failed with Notify's reason), never with the address or
any detail of the child in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.lib.notify import NotifyError, email_sender, template_id

from .models import Referral

TEMPLATE = "referral_acknowledgement"


def referrer_email(submission: Mapping[str, Any]) -> str:
    """The email address the referrer gave, or "" (a submission is read, never trusted)."""
    answers = submission.get("answers") if isinstance(submission, Mapping) else None
    contact = answers.get("referrer_contact") if isinstance(answers, Mapping) else None
    email = contact.get("email") if isinstance(contact, Mapping) else None
    return email.strip() if isinstance(email, str) else ""


def _already_sent(referral: Referral) -> bool:
    subject_type, subject_id = audit.subject_reference(referral)
    return AuditEvent.objects.filter(
        kind=AuditEvent.Kind.REFERRAL_ACKNOWLEDGED, subject_type=subject_type, subject_id=subject_id
    ).exists()


def send_acknowledgement(*, referral: Referral) -> bool:
    """Email an online referrer their reference, once; True when it was sent now."""
    email = referrer_email(referral.submission)
    template = template_id(TEMPLATE)
    if referral.channel != Referral.Channel.ONLINE or not email or not template:
        return False
    if _already_sent(referral):
        return False
    try:
        notify_id = email_sender().send_email(
            to=email,
            template_id=template,
            personalisation={"reference": referral.reference},
            reference=referral.reference,
        )
    except NotifyError as error:
        audit.record_event(
            kind=AuditEvent.Kind.REFERRAL_ACKNOWLEDGEMENT_FAILED,
            actor=None,
            subject=referral,
            summary=f"Acknowledgement of referral {referral.reference} not sent: {error}",
        )
        return False
    audit.record_event(
        kind=AuditEvent.Kind.REFERRAL_ACKNOWLEDGED,
        actor=None,
        subject=referral,
        summary=f"Acknowledgement of referral {referral.reference} emailed to the referrer",
        details={"notify_id": notify_id},
    )
    return True
