"""Safeguarding escalation: a welfare concern, the mandatory referral to children's social
care, and the duty manager told at once."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role, User
from cme.audit import services as audit
from cme.audit.models import AuditEvent

from .models import Child, WelfareConcern


class SafeguardingError(ValueError):
    """A safeguarding record that cannot be made as asked; the message says why."""


def _tell_duty_managers(concern: WelfareConcern) -> None:
    # No child details in the email: it says where to look, not what was said.
    recipients = list(
        User.objects.filter(role=Role.CME_MANAGER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            subject="A welfare concern needs a safeguarding referral",
            message=(
                f"A welfare concern (number {concern.pk}) has been raised in "
                f"{settings.SERVICE_NAME}. Sign in to see it and make sure the child is "
                "referred to children's social care."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )


def raise_welfare_concern(*, actor: Any, child: Child, concern: str) -> WelfareConcern:
    """Record a concern; the referral to children's social care becomes a mandatory task and the
    duty managers are told once the record is saved."""
    if not concern.strip():
        raise SafeguardingError("Describe the concern")
    with transaction.atomic():
        record = WelfareConcern.objects.create(
            child=child, concern=concern.strip(), raised_by=actor
        )
        audit.record_event(
            kind=AuditEvent.Kind.WELFARE_CONCERN_RAISED,
            actor=actor,
            subject=record,
            child_id=child.pk,
            summary="Welfare concern raised: refer to children's social care",
        )
        transaction.on_commit(lambda: _tell_duty_managers(record))
    return record


def record_safeguarding_referral(
    *,
    actor: Any,
    concern: WelfareConcern,
    referred_at: datetime.datetime,
    referred_to: str,
    reference: str = "",
    outcome: str = "",
) -> WelfareConcern:
    """Record the referral to children's social care, which clears the flag."""
    if referred_at > timezone.now():
        raise SafeguardingError("The date of the referral cannot be in the future")
    if not referred_to.strip():
        raise SafeguardingError("Enter who the child was referred to")
    with transaction.atomic():
        concern.referred_at = referred_at
        concern.referred_to = referred_to.strip()
        concern.mash_reference = reference.strip()
        concern.outcome = outcome.strip()
        concern.referral_recorded_by = actor
        concern.save()
        audit.record_event(
            kind=AuditEvent.Kind.SAFEGUARDING_REFERRAL_RECORDED,
            actor=actor,
            subject=concern,
            child_id=concern.child_id,
            summary=f"Referred to {concern.referred_to}",
            details={"reference": concern.mash_reference},
        )
    return concern
