"""Writing referrals: a draft saved page by page, sent once, and old drafts cleared away.

The online journey keeps answers in a `ReferralDraft` on every page, so nothing typed is lost
between pages. Sending stores the whole submission in a `Referral` row first, in one
transaction with its "received" event; everything later (triage, matching, an email
acknowledgement) starts from that row.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cme.audit import services as audit
from cme.audit.models import AuditEvent

from .models import DRAFT_LIFETIME, Referral, ReferralDraft, ReferralEvent

# Answer keys: the journey's step names (journey.STEPS), plus the list of parents and carers.
CHILD_STEP = "child_name"
CONTACT_STEP = "referrer_contact"
PARENTS_KEY = "parents"
MAX_PARENTS = 10

SUBMISSION_FORMAT = 1

CHILD_IDENTITY_MESSAGE = (
    "Enter the child's first name or last name, or describe the child if you do not know their name"
)
REFERRER_CONTACT_MESSAGE = "Enter a phone number or an email address, so we can contact you"

# No 0/O, 1/I/L: a reference read out over the phone cannot be misheard or mistyped.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 10
REFERENCE_PREFIX = "CME-"
ONLINE_ACTOR_LABEL = "online referral form"


@dataclass(frozen=True)
class MissingAnswer:
    """A required answer not given: which page and question to send the referrer back to."""

    step: str
    field: str
    message: str


class IncompleteReferralError(Exception):
    """The referral lacks an answer it cannot be sent without."""

    def __init__(self, problems: list[MissingAnswer]) -> None:
        super().__init__(", ".join(problem.message for problem in problems))
        self.problems = problems


def new_reference() -> str:
    """`CME-` and 10 random characters: about 800 million million values, so none can be guessed."""
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


def new_draft_token() -> str:
    return secrets.token_urlsafe(32)


def fingerprint_client(*, address: str, user_agent: str) -> str:
    """A keyed hash of where a submission came from: comparable, but not an IP address."""
    return salted_hmac(
        "cme.referrals.client", f"{address}|{user_agent}", algorithm="sha256"
    ).hexdigest()


def _idempotency_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _locked_or_new(draft: ReferralDraft | None) -> ReferralDraft:
    """The draft to write to, locked; a new one if there is none or it was already sent."""
    if draft is not None:
        locked = ReferralDraft.objects.select_for_update().get(pk=draft.pk)
        if not locked.is_submitted:
            return locked
    return ReferralDraft.objects.create(token=new_draft_token())


def save_answers(
    *, draft: ReferralDraft | None, step: str, answers: Mapping[str, str]
) -> ReferralDraft:
    """Keep one page's answers; returns the draft (a new one if there was none to use)."""
    with transaction.atomic():
        draft = _locked_or_new(draft)
        draft.answers = {**draft.answers, step: dict(answers)}
        draft.save(update_fields=["answers", "updated_at"])
    return draft


def parents_in(answers: Mapping[str, Any]) -> list[dict[str, str]]:
    parents = answers.get(PARENTS_KEY, [])
    return list(parents) if isinstance(parents, list) else []


def save_parent(
    *, draft: ReferralDraft | None, number: int | None, answers: Mapping[str, str]
) -> ReferralDraft:
    """Add a parent or carer (`number` None) or change the `number`th (counting from 1)."""
    with transaction.atomic():
        draft = _locked_or_new(draft)
        parents = parents_in(draft.answers)
        if number is not None and 1 <= number <= len(parents):
            parents[number - 1] = dict(answers)
        elif len(parents) < MAX_PARENTS:
            parents.append(dict(answers))
        draft.answers = {**draft.answers, PARENTS_KEY: parents}
        draft.save(update_fields=["answers", "updated_at"])
    return draft


def remove_parent(*, draft: ReferralDraft, number: int) -> ReferralDraft:
    with transaction.atomic():
        draft = _locked_or_new(draft)
        parents = parents_in(draft.answers)
        if 1 <= number <= len(parents):
            del parents[number - 1]
        draft.answers = {**draft.answers, PARENTS_KEY: parents}
        draft.save(update_fields=["answers", "updated_at"])
    return draft


def missing_answers(answers: Mapping[str, Any]) -> list[MissingAnswer]:
    """What must still be given: the child's name or a description, and one way to reach us."""
    child = answers.get(CHILD_STEP) or {}
    contact = answers.get(CONTACT_STEP) or {}
    problems = []
    if not any(child.get(key) for key in ("first_name", "last_name", "description")):
        problems.append(MissingAnswer(CHILD_STEP, "first_name", CHILD_IDENTITY_MESSAGE))
    if not any(contact.get(key) for key in ("phone", "email")):
        problems.append(MissingAnswer(CONTACT_STEP, "phone", REFERRER_CONTACT_MESSAGE))
    return problems


def submit_referral(*, draft: ReferralDraft, client_hash: str) -> Referral:
    """Store the draft's answers as a received online referral, once.

    Sending the same draft again (a double click, a resubmitted page) returns the referral
    made the first time. Raises IncompleteReferralError if a required answer is missing.
    """
    key = _idempotency_key(draft.token)
    with transaction.atomic():
        locked = ReferralDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.referral is not None:
            return locked.referral
        earlier = Referral.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            return earlier
        problems = missing_answers(locked.answers)
        if problems:
            raise IncompleteReferralError(problems)
        referral = _create_referral(
            submission={"format": SUBMISSION_FORMAT, "answers": locked.answers},
            client_hash=client_hash,
            idempotency_key=key,
        )
        ReferralEvent.objects.create(
            referral=referral,
            kind=ReferralEvent.Kind.RECEIVED,
            actor_label=ONLINE_ACTOR_LABEL,
            details={"channel": Referral.Channel.ONLINE.value},
        )
        audit.record_event(
            kind=AuditEvent.Kind.REFERRAL_RECEIVED,
            actor=None,
            subject=referral,
            summary=f"Referral {referral.reference} received online",
            details={"channel": Referral.Channel.ONLINE.value},
        )
        # The referral now holds the answers; the draft keeps only the link back to it.
        locked.referral = referral
        locked.answers = {}
        locked.save(update_fields=["referral", "answers", "updated_at"])
    return referral


def _create_referral(
    *, submission: dict[str, Any], client_hash: str, idempotency_key: str
) -> Referral:
    for _ in range(5):
        try:
            with transaction.atomic():
                return Referral.objects.create(
                    reference=new_reference(),
                    channel=Referral.Channel.ONLINE,
                    status=Referral.Status.RECEIVED,
                    received_at=timezone.now(),
                    submission=submission,
                    client_hash=client_hash,
                    idempotency_key=idempotency_key,
                )
        except IntegrityError:
            # Either the same draft was sent at the same moment, or (rarely) the reference
            # was already taken: return the first, draw a new reference for the second.
            earlier = Referral.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                return earlier
    msg = "Could not draw an unused referral reference"
    raise RuntimeError(msg)


def discard_draft(*, draft: ReferralDraft) -> None:
    """Forget a draft without sending it (a robot filled in the hidden box)."""
    ReferralDraft.objects.filter(pk=draft.pk, referral__isnull=True).delete()


def delete_abandoned_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for DRAFT_LIFETIME: a child's details are not kept unsent."""
    cutoff = (now or timezone.now()) - DRAFT_LIFETIME
    deleted, _ = ReferralDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


def receive_referral(
    *,
    submission: Mapping[str, Any],
    channel: Referral.Channel,
    received_at: datetime.datetime,
    actor: Any = None,
) -> Referral:
    """Store a referral that arrived another way (telephone, email, post, or a batch), as
    received, with its reference, its "received" event and its audit event."""
    with transaction.atomic():
        referral = Referral.objects.create(
            reference=_unused_reference(),
            channel=channel,
            status=Referral.Status.RECEIVED,
            received_at=received_at,
            submission=dict(submission),
        )
        label = str(actor.get_username()) if getattr(actor, "is_authenticated", False) else "system"
        ReferralEvent.objects.create(
            referral=referral,
            kind=ReferralEvent.Kind.RECEIVED,
            actor_label=label,
            details={"channel": channel.value},
        )
        audit.record_event(
            kind=AuditEvent.Kind.REFERRAL_RECEIVED,
            actor=actor,
            subject=referral,
            summary=f"Referral {referral.reference} received ({channel.label.lower()})",
            details={"channel": channel.value},
        )
    return referral


def _unused_reference() -> str:
    reference = new_reference()
    while Referral.objects.filter(reference=reference).exists():
        reference = new_reference()
    return reference


def receive_notification(
    *,
    submission: Mapping[str, Any],
    channel: Referral.Channel,
    received_at: datetime.datetime,
    actor: Any,
    idempotency_key: str,
) -> Referral:
    """`receive_referral` for a notification another part of the service passes on (a school
    return, another authority's notification), once: the same `idempotency_key` gives back
    the referral made the first time."""
    with transaction.atomic():
        earlier = Referral.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
        referral = receive_referral(
            submission=submission, channel=channel, received_at=received_at, actor=actor
        )
        referral.idempotency_key = idempotency_key
        referral.save(update_fields=["idempotency_key"])
    return referral
