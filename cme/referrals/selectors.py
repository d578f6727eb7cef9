"""Reading referrals: for the public journey, a draft by its token and a referral for its
referrer; for the CME team, the triage inbox and the register candidates for a referral.

Public pages never look a referral up by anything a visitor types: only by the draft token or
the referral id that their own browser session holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cme.accounts.models import Role
from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.cases import selectors as case_selectors
from cme.matching import selectors as matching_selectors
from cme.matching.models import IdentityMatch
from cme.matching.selectors import CandidateView
from cme.pupils import selectors as pupil_selectors
from cme.pupils.models import Child

from . import triage
from .models import DRAFT_LIFETIME, Referral, ReferralDraft, ReferralOriginal


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


# Triage -------------------------------------------------------------------------------


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    """Referrals are seen by the CME team, who triage them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Referral.objects.none()
    if user.role in {Role.CME_OFFICER, Role.CME_MANAGER}:
        return Referral.objects.all()
    return Referral.objects.none()


def access_referral(*, user: Any, referral_id: int) -> Referral:
    try:
        referral = referrals_visible_to(user).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such referral") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=referral,
        child_id=referral.child_id,
        purpose="Viewed a referral",
    )
    return referral


@dataclass(frozen=True)
class InboxItem:
    referral: Referral
    child_name: str
    due: datetime.datetime
    is_overdue: bool


def triage_inbox(*, user: Any, now: datetime.datetime | None = None) -> list[InboxItem]:
    """Referrals waiting for triage, oldest first, each with its due time."""
    now = now or timezone.now()
    waiting = (
        referrals_visible_to(user).filter(status=Referral.Status.RECEIVED).order_by("received_at")
    )
    items = []
    for referral in waiting[:500]:
        facts = triage.referred_child(referral.submission)
        due = triage.triage_due(referral.received_at)
        name = " ".join(part for part in (facts.forename, facts.surname) if part)
        items.append(
            InboxItem(
                referral=referral,
                child_name=name or facts.description[:60] or "No name given",
                due=due,
                is_overdue=now > due,
            )
        )
    return items


@dataclass(frozen=True)
class Candidate:
    """A register child the engine proposes for a referral, with what triage needs to know."""

    view: CandidateView
    has_open_case: bool
    on_roll: bool

    @property
    def child(self) -> Child:
        return self.view.child


def register_candidates(*, user: Any, match: IdentityMatch) -> list[Candidate]:
    """The children the identity-matching engine proposed for the referral, best first, each
    with whether they have an open case and are on a school roll."""
    views = matching_selectors.candidates_shown(user=user, match=match)
    ids = [view.child.pk for view in views]
    open_cases = case_selectors.children_with_open_cases(child_ids=ids)
    on_roll = pupil_selectors.children_on_roll(child_ids=ids)
    return [
        Candidate(
            view=view, has_open_case=view.child.pk in open_cases, on_roll=view.child.pk in on_roll
        )
        for view in views
    ]


def access_original(*, user: Any, referral_id: int, original_id: int) -> ReferralOriginal:
    """An uploaded original, if the user may see its referral; the download is logged."""
    try:
        original = ReferralOriginal.objects.select_related("referral").get(
            pk=original_id, referral__in=referrals_visible_to(user), referral_id=referral_id
        )
    except (ReferralOriginal.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such file") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.DOWNLOAD,
        subject=original,
        child_id=original.referral.child_id,
        purpose=f"Downloaded the original of referral {original.referral.reference}",
    )
    return original
