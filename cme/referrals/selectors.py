"""Reading referrals for the public journey: a draft by its token, a referral for its referrer.

Public pages never look a referral up by anything a visitor types: only by the draft token or
the referral id that their own browser session holds.
"""

from __future__ import annotations

from django.utils import timezone

from .models import DRAFT_LIFETIME, Referral, ReferralDraft


def draft_by_token(token: object) -> ReferralDraft | None:
    """The session's draft, sent or not, unless it has expired."""
    if not isinstance(token, str) or not token:
        return None
    return (
        ReferralDraft.objects.select_related("referral")
        .filter(token=token, updated_at__gte=timezone.now() - DRAFT_LIFETIME)
        .first()
    )


def referral_for_referrer(referral_id: object) -> Referral | None:
    """The referral this browser session sent, for its confirmation and printable copy."""
    if not isinstance(referral_id, int):
        return None
    return Referral.objects.filter(pk=referral_id).first()
