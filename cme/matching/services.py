"""Identity matching writes: match a notification, confirm or reject, keep a trained model.

Every notification (referral, school return, CTF, imported pupil, partner record) is matched
once and the result kept with the explanations as they stood, so that an officer's decision,
and any automatic link, can be checked afterwards. Decisions are audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.linkage.decision import Decision
from cme.linkage.model import MatchModel
from cme.pupils.importers import Recognition

from .models import IdentityMatch, MatchModelVersion
from .register import LIVE_REGISTER, Candidate, RegisterSnapshot, query_record


class MatchError(Exception):
    """A match decision that cannot be made; the message says why."""


def active_model() -> tuple[MatchModel, int | None]:
    """The newest trained model, or the built-in defaults before any training."""
    latest = MatchModelVersion.objects.order_by("-created_at", "-id").first()
    if latest is None:
        return MatchModel.default(), None
    return MatchModel.from_json(latest.model_json), latest.pk


def current_register() -> RegisterSnapshot:
    """This process's warm register, brought up to date with every change since it was built."""
    model, version = active_model()
    return LIVE_REGISTER.snapshot(model, version)


def candidates_for(details: Mapping[str, Any]) -> list[Candidate]:
    """Register children who may be the child described (linkage column names), best first."""
    return current_register().rank(query_record(details))


def _candidate_json(candidate: Candidate) -> dict[str, Any]:
    explanation = candidate.explanation
    return {
        "child_id": candidate.child_id,
        "rank": candidate.ranked.rank,
        "probability": round(candidate.probability, 6),
        "decision": candidate.ranked.decision.value,
        "held_because": [hold.value for hold in candidate.ranked.held_because],
        "prior": explanation.prior,
        "score": explanation.score,
        "lines": [
            {
                "label": line.label,
                "outcome": line.outcome,
                "weight": line.weight,
                "counted": line.counted,
            }
            for line in explanation.lines
        ],
    }


def _status(candidates: list[Candidate]) -> IdentityMatch.Status:
    decisions = {candidate.ranked.decision for candidate in candidates}
    if Decision.LINK in decisions:
        return IdentityMatch.Status.LINKED
    if Decision.REVIEW in decisions:
        return IdentityMatch.Status.REVIEW
    return IdentityMatch.Status.NO_MATCH


def match_notification(
    *,
    source: IdentityMatch.Source,
    reference: str,
    details: Mapping[str, Any],
) -> IdentityMatch:
    """Match a notification once: the kept result if it was matched before, else a new one.

    `details` uses the linkage column names (forename, surname, dob, postcode, upn, ...).
    A strong, clear, non-twin best candidate is linked automatically; doubtful ones wait for
    review; none above the floor means the child is not on the register.
    """
    existing = IdentityMatch.objects.filter(source=source, source_reference=reference).first()
    if existing is not None:
        return existing
    register = current_register()
    candidates = register.rank(query_record(details))
    status = _status(candidates)
    linked = candidates[0].child_id if status == IdentityMatch.Status.LINKED else None
    with transaction.atomic():
        match, created = IdentityMatch.objects.get_or_create(
            source=source,
            source_reference=reference,
            defaults={
                "details": {key: str(value) for key, value in details.items() if value},
                "candidates": [_candidate_json(candidate) for candidate in candidates],
                "model_version_id": register.model_version,
                "status": status,
                "child_id": linked,
                "decided_at": timezone.now() if linked else None,
            },
        )
        if created:
            audit.record_event(
                kind=AuditEvent.Kind.IDENTITY_MATCHED,
                actor=None,
                subject=match,
                child_id=linked,
                summary=f"{match} matched: {match.get_status_display()}",
                details={
                    "candidates": [c.child_id for c in candidates],
                    "probabilities": [round(c.probability, 4) for c in candidates],
                },
            )
    return match


def confirm_match(*, actor: Any, match: IdentityMatch, child_id: int, note: str = "") -> None:
    """An officer says which candidate the notification is about."""
    if child_id not in {candidate["child_id"] for candidate in match.candidates}:
        raise MatchError("Choose one of the children shown.")
    _decide(
        actor=actor,
        match=match,
        status=IdentityMatch.Status.CONFIRMED,
        child_id=child_id,
        note=note,
    )


def reject_match(*, actor: Any, match: IdentityMatch, note: str = "") -> None:
    """An officer says none of the candidates is the child (including an automatic link)."""
    _decide(
        actor=actor, match=match, status=IdentityMatch.Status.REJECTED, child_id=None, note=note
    )


def _decide(
    *,
    actor: Any,
    match: IdentityMatch,
    status: IdentityMatch.Status,
    child_id: int | None,
    note: str,
) -> None:
    with transaction.atomic():
        current = IdentityMatch.objects.select_for_update().get(pk=match.pk)
        if current.status in {IdentityMatch.Status.CONFIRMED, IdentityMatch.Status.REJECTED}:
            raise MatchError("An officer has already decided this match.")
        before = (current.status, current.child_id)
        current.status = status
        current.child_id = child_id
        current.decided_at = timezone.now()
        current.decided_by = actor
        current.decision_note = note
        current.save()
        kind = (
            AuditEvent.Kind.MATCH_CONFIRMED
            if status == IdentityMatch.Status.CONFIRMED
            else AuditEvent.Kind.MATCH_REJECTED
        )
        audit.record_event(
            kind=kind,
            actor=actor,
            subject=current,
            child_id=child_id or before[1],
            summary=f"{current}: {current.get_status_display()}",
            changes={"status": [before[0], status.value], "child": [before[1], child_id]},
            details={"note": note},
        )
    match.refresh_from_db()


def save_model(*, model: MatchModel, report: str, actor: Any = None) -> MatchModelVersion:
    """Keep a newly trained model; it is used from the next match in every process."""
    with transaction.atomic():
        version = MatchModelVersion.objects.create(
            model_json=model.to_json(),
            trained_on=model.trained_on[:300],
            report=report,
            created_by=actor,
        )
        audit.record_event(
            kind=AuditEvent.Kind.MATCH_MODEL_TRAINED,
            actor=actor,
            subject=version,
            summary=f"Match model retrained on {model.trained_on}"[:300],
            details={"model": version.pk},
        )
    return version


def recognise_pupil(details: Mapping[str, str], reference: str) -> Recognition | None:
    """For the pupil importer: the child an imported row is about, by the engine.

    A link (automatic, or confirmed by an officer on an earlier import of the same details)
    gives the child; a doubtful match sends the row to review, and waits in the review queue;
    otherwise (no candidate, or an officer said none of them) the row adds a new child.
    """
    match = match_notification(
        source=IdentityMatch.Source.PUPIL_IMPORT, reference=reference, details=details
    )
    if match.status in {IdentityMatch.Status.LINKED, IdentityMatch.Status.CONFIRMED}:
        return Recognition(child_id=match.child_id)
    if match.status == IdentityMatch.Status.REVIEW:
        return Recognition(
            review_reason=(
                f"{len(match.candidates)} children in the register may be this pupil; "
                f"decide which under Matches (match {match.pk}), then import the file again"
            )
        )
    return None
