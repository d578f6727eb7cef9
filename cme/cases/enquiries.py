"""Reasonable enquiries: which sources to ask about a child, as data, and the list generated
from a case's facts. No queries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class EnquiryStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    REQUESTED = "requested", "Requested"
    RESPONSE_RECEIVED = "response_received", "Response received"
    CANNOT_COMPLETE = "cannot_complete", "Cannot complete"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


OUTSTANDING = frozenset({EnquiryStatus.NOT_STARTED, EnquiryStatus.REQUESTED})


class SourceKind(models.TextChoices):
    """When a source is asked: always, or only when a fact on the case calls for it."""

    ALWAYS = "always", "Every case"
    ARMED_FORCES = "armed_forces", "Armed forces families"
    CUSTODY = "custody", "Children who have left custody"
    MOVED_IN = "moved_in", "Children who came from another authority"
    MAY_HAVE_MOVED = "may_have_moved", "Children who may have moved away"


@dataclass(frozen=True)
class DefaultSource:
    name: str
    kind: SourceKind
    due_days: int


# The policy's list ("Locating Children Identified as Missing Education"), plus the checks
# councils have added since: Home Office border checks and a Lost Pupil Database search.
DEFAULT_SOURCES: tuple[DefaultSource, ...] = (
    DefaultSource("Pupil register and pupil information system", SourceKind.ALWAYS, 2),
    DefaultSource("Lost Pupil Database search (S2S)", SourceKind.ALWAYS, 2),
    DefaultSource("Child Health", SourceKind.ALWAYS, 5),
    DefaultSource("Children's social care", SourceKind.ALWAYS, 5),
    DefaultSource("Police safeguarding unit", SourceKind.ALWAYS, 5),
    DefaultSource("Housing services", SourceKind.ALWAYS, 5),
    DefaultSource("Connecting Families", SourceKind.ALWAYS, 5),
    DefaultSource("Revenue and benefits", SourceKind.ALWAYS, 5),
    DefaultSource("Council tax", SourceKind.ALWAYS, 5),
    DefaultSource("Home Office border checks", SourceKind.ALWAYS, 10),
    DefaultSource("The authority the child came from", SourceKind.MOVED_IN, 5),
    DefaultSource("The custodial institution the child left", SourceKind.CUSTODY, 5),
    DefaultSource("Any authority the child may have moved to", SourceKind.MAY_HAVE_MOVED, 5),
    DefaultSource(
        "Children's Education Advisory Service (armed forces)", SourceKind.ARMED_FORCES, 5
    ),
)


@dataclass(frozen=True)
class CaseFacts:
    armed_forces: bool
    left_custody: bool
    came_from_another_authority: bool
    may_have_moved_away: bool


def applies(kind: SourceKind, facts: CaseFacts) -> bool:
    """Whether a source of this kind is a required enquiry for a case with these facts."""
    return {
        SourceKind.ALWAYS: True,
        SourceKind.ARMED_FORCES: facts.armed_forces,
        SourceKind.CUSTODY: facts.left_custody,
        SourceKind.MOVED_IN: facts.came_from_another_authority,
        SourceKind.MAY_HAVE_MOVED: facts.may_have_moved_away,
    }[kind]
