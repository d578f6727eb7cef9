"""Referrals in each state."""

from __future__ import annotations

import factory
from django.utils import timezone

from cme.referrals.models import Referral


class ReceivedReferralFactory(factory.django.DjangoModelFactory[Referral]):
    """An online referral waiting for triage, about Zoë O'Neill born 3 April 2015."""

    class Meta:
        model = Referral

    reference = factory.Sequence(lambda n: f"CME-TEST{n:06d}")
    channel = Referral.Channel.ONLINE
    received_at = factory.LazyFunction(timezone.now)
    submission = factory.LazyFunction(
        lambda: {
            "format": 1,
            "answers": {
                "child_name": {"first_name": "Zoë", "last_name": "O'Neill", "description": ""},
                "date_of_birth": {"date_of_birth": "2015-04-03", "approximate_age": ""},
                "referrer_contact": {"phone": "07700 900982", "email": ""},
            },
        }
    )
