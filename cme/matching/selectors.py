"""Reading identity matches: the review queue, one match, and its candidates as a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.pupils import selectors as pupil_selectors
from cme.pupils.models import Child

from .models import IdentityMatch

DECISION_WORDS = {
    "link": "Linked automatically",
    "review": "Check this child",
    "": "Unlikely",
}


def readable_percent(probability: float) -> str:
    """A probability as a percentage an officer can read: never 100% or 0% unless it is."""
    value = probability * 100
    if 99.9 < value < 100:
        return "over 99.9%"
    if 0 < value < 0.1:
        return "under 0.1%"
    return f"{value:.1f}%"


@dataclass(frozen=True)
class ExplanationRow:
    label: str
    outcome: str
    weight: float
    counted: bool


@dataclass(frozen=True)
class CandidateView:
    """A candidate as an officer sees it: the child, the score and why."""

    child: Child
    rank: int
    probability: float
    decision: str
    held_because: tuple[str, ...]
    prior: float
    score: float
    rows: tuple[ExplanationRow, ...]

    @property
    def decision_words(self) -> str:
        return DECISION_WORDS.get(self.decision, "")

    @property
    def percent(self) -> str:
        return readable_percent(self.probability)


def candidates_shown(*, user: Any, match: IdentityMatch) -> list[CandidateView]:
    """The match's candidates the user may see, best first, as they were scored."""
    wanted = [candidate["child_id"] for candidate in match.candidates]
    visible = pupil_selectors.children_visible_to(user).filter(pk__in=wanted).in_bulk()
    shown = []
    for candidate in match.candidates:
        child = visible.get(candidate["child_id"])
        if child is None:
            continue
        shown.append(
            CandidateView(
                child=child,
                rank=int(candidate["rank"]),
                probability=float(candidate["probability"]),
                decision=str(candidate["decision"]),
                held_because=tuple(candidate.get("held_because", [])),
                prior=float(candidate["prior"]),
                score=float(candidate["score"]),
                rows=tuple(
                    ExplanationRow(
                        label=line["label"],
                        outcome=line["outcome"],
                        weight=float(line["weight"]),
                        counted=bool(line["counted"]),
                    )
                    for line in candidate["lines"]
                ),
            )
        )
    return shown


def review_queue() -> QuerySet[IdentityMatch]:
    """Matches waiting for an officer, oldest first (the order they should be worked)."""
    return IdentityMatch.objects.filter(status=IdentityMatch.Status.REVIEW).order_by(
        "created_at", "id"
    )


def access_match(*, user: Any, match_id: int) -> IdentityMatch:
    """One match, for a user allowed to review matches; the read is logged."""
    try:
        match = IdentityMatch.objects.get(pk=match_id)
    except IdentityMatch.DoesNotExist as missing:
        raise Http404("No such match") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=match,
        child_id=match.child_id,
        purpose=f"Reviewed the register match of {match}",
    )
    return match


DETAIL_LABELS = {
    "forename": "First name",
    "middle_names": "Middle names",
    "surname": "Last name",
    "former_surname": "Former last names",
    "dob": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode",
    "address": "Address",
    "upn": "UPN",
    "nhs_number": "NHS number",
}


def details_rows(match: IdentityMatch) -> list[dict[str, dict[str, str]]]:
    """The details the notification gave, as GOV.UK summary-list rows, in a fixed order."""
    return [
        {"key": {"text": label}, "value": {"text": str(match.details[name])}}
        for name, label in DETAIL_LABELS.items()
        if match.details.get(name)
    ]
