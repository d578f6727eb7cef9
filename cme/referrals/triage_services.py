"""Triage writes: record an officer's decision on a referral, opening or linking a case."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cme.attendance import selectors as attendance_selectors
from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.cases import selectors as case_selectors
from cme.cases import services as case_services
from cme.cases.categories import CaseCategory
from cme.cases.models import Case
from cme.cases.workflow import CaseTransitionError
from cme.matching import services as matching
from cme.matching.models import IdentityMatch
from cme.pupils import services as pupil_services
from cme.pupils.models import Child

from .models import Referral, ReferralEvent
from .triage import referred_child


class TriageError(Exception):
    """A triage decision that cannot be made; the message says why."""


def _child_from_referral(*, actor: Any, referral: Referral) -> Child:
    facts = referred_child(referral.submission)
    return pupil_services.create_child(
        actor=actor,
        source=f"referral {referral.reference}",
        forename=facts.forename or "Not known",
        surname=facts.surname or "Not known",
        date_of_birth=facts.date_of_birth,
        sex=facts.sex,
        upn=facts.upn,
    )


def match_referral(*, referral: Referral) -> IdentityMatch:
    """The referral matched against the register by the identity-matching engine (once)."""
    return matching.match_notification(
        source=IdentityMatch.Source.REFERRAL,
        reference=referral.reference,
        details=referred_child(referral.submission).match_details(),
    )


def _record_match_decision(*, actor: Any, referral: Referral, child: Child | None) -> None:
    """The officer's choice of child is their decision on the engine's candidates."""
    match = IdentityMatch.objects.filter(
        source=IdentityMatch.Source.REFERRAL, source_reference=referral.reference
    ).first()
    if match is None or match.status in {
        IdentityMatch.Status.CONFIRMED,
        IdentityMatch.Status.REJECTED,
    }:
        return
    proposed = {candidate["child_id"] for candidate in match.candidates}
    note = f"Triage of referral {referral.reference}"
    if child is not None and child.pk in proposed:
        matching.confirm_match(actor=actor, match=match, child_id=child.pk, note=note)
    elif proposed:
        matching.reject_match(actor=actor, match=match, note=note)


def triage_referral(
    *,
    actor: Any,
    referral: Referral,
    outcome: Referral.Outcome,
    child: Child | None = None,
    note: str = "",
) -> Referral:
    """Record the officer's decision. Opening a case creates the child from the referral when
    no register match was chosen; linking needs a matched child with an open case."""
    with transaction.atomic():
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        if current.status == Referral.Status.TRIAGED:
            raise TriageError(f"Referral {current.reference} has already been triaged.")
        _record_match_decision(actor=actor, referral=current, child=child)
        case: Case | None = None
        if outcome == Referral.Outcome.CASE_OPENED:
            child = child or _child_from_referral(actor=actor, referral=current)
            try:
                case = case_services.open_case(
                    actor=actor,
                    child=child,
                    category=CaseCategory.IDENTIFIED_MISSING,
                    summary=f"From referral {current.reference}. {note}".strip(),
                )
            except CaseTransitionError as error:
                raise TriageError(f"{error} Link the referral to it instead.") from error
        elif outcome == Referral.Outcome.ON_ROLL_ATTENDING:
            attending = child is not None and attendance_selectors.attended_recently(
                child_id=child.pk, today=timezone.localdate()
            )
            if not attending:
                raise TriageError(
                    "Only a child whose school register shows them present in the last few "
                    "school days can be closed as on a roll and attending. Confirm with the "
                    "school instead."
                )
        elif outcome == Referral.Outcome.LINKED_TO_CASE:
            case = case_selectors.open_case_for_child(child_id=child.pk) if child else None
            if case is None:
                raise TriageError("Choose a child who has an open case to link this referral to.")
        current.status = Referral.Status.TRIAGED
        current.outcome = outcome
        current.outcome_note = note
        current.child = child
        current.case = case
        current.triaged_at = timezone.now()
        current.triaged_by = actor
        current.save()
        ReferralEvent.objects.create(
            referral=current,
            kind=ReferralEvent.Kind.TRIAGED,
            actor_label=str(actor.get_username()),
            details={"outcome": outcome.value},
        )
        audit.record_event(
            kind=AuditEvent.Kind.REFERRAL_TRIAGED,
            actor=actor,
            subject=current,
            child_id=child.pk if child else None,
            summary=f"Referral {current.reference} triaged: {outcome.label}",
            details={"outcome": outcome.value, "case": case.pk if case else None, "note": note},
        )
    return current
