"""Reading referrals: for the public journey, a draft by its token and a referral for its
referrer; for the CME team, the triage inbox and the register candidates for a referral.

Public pages never look a referral up by anything a visitor types: only by the draft token or
the referral id that their own browser session holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cme.accounts.models import Role
from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.cases import selectors as case_selectors
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
    child: Child
    why: str
    has_open_case: bool
    on_roll: bool


def register_candidates(*, user: Any, referral: Referral) -> list[Candidate]:
    """Children in the register who may be the referred child: the same valid UPN, or the same
    name and date of birth. The identity-matching engine (issue 3) replaces this rule."""
    facts = triage.referred_child(referral.submission)
    visible = pupil_selectors.children_visible_to(user)
    found: dict[int, tuple[Child, str]] = {}
    if facts.upn:
        for child in visible.filter(Q(upn=facts.upn) | Q(former_upn=facts.upn))[:5]:
            found[child.pk] = (child, "Same UPN")
    if facts.date_of_birth and facts.surname:
        same = visible.filter(
            date_of_birth=facts.date_of_birth, surname__iexact=facts.surname
        ).filter(Q(forename__iexact=facts.forename) | Q(preferred_name__iexact=facts.forename))
        for child in same[:5]:
            found.setdefault(child.pk, (child, "Same name and date of birth"))
    if not found:
        return []
    ids = list(found)
    open_cases = case_selectors.children_with_open_cases(child_ids=ids)
    on_roll = pupil_selectors.children_on_roll(child_ids=ids)
    return [
        Candidate(child=child, why=why, has_open_case=pk in open_cases, on_roll=pk in on_roll)
        for pk, (child, why) in found.items()
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
