"""The CME case workflow as data: states, the legal moves between them, and closure reasons.

No queries here: `check_transition` is a pure function, so every path through the graph can
be tested exhaustively and the graph drawn from this table.
"""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    CHECKING = "checking", "Checking"
    CONFIRMED_MISSING = "confirmed_missing", "Confirmed missing education"
    LOCATING = "locating", "Locating"
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown", "Whereabouts unknown"
    LOCATED = "located", "Located"
    ARRANGING_PROVISION = "arranging_provision", "Arranging provision"
    PLACED = "placed", "Placed"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    ON_ROLL_AND_ATTENDING = "on_roll_attending", "On roll and attending"
    PLACED = "placed", "Placed at a school"
    ELECTIVE_HOME_EDUCATION = "ehe", "Elective home education (notified to the EHE team)"
    MOVED_TO_ANOTHER_LA = "moved_la", "Moved to another local authority (confirmed)"
    LEFT_ENGLAND = "left_england", "Left England (confirmed)"
    DIED = "died", "Died"
    CEASED_COMPULSORY_SCHOOL_AGE = "ceased_csa", "Ceased to be of compulsory school age"


class CaseTransitionError(Exception):
    """A move the workflow does not allow; the message says why in plain words."""


S = CaseStatus

ALLOWED_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.REFERRED: frozenset({S.CHECKING, S.CLOSED}),
    S.CHECKING: frozenset({S.CONFIRMED_MISSING, S.LOCATING, S.LOCATED, S.CLOSED}),
    S.CONFIRMED_MISSING: frozenset({S.LOCATING, S.LOCATED, S.CLOSED}),
    S.LOCATING: frozenset({S.LOCATED, S.WHEREABOUTS_UNKNOWN, S.CLOSED}),
    # Whereabouts unknown is not closed: it is re-checked every term and still counts as
    # missing education; only a manager may close it (MANAGER_ONLY below).
    S.WHEREABOUTS_UNKNOWN: frozenset({S.LOCATING, S.LOCATED, S.CLOSED}),
    S.LOCATED: frozenset({S.ARRANGING_PROVISION, S.CLOSED}),
    S.ARRANGING_PROVISION: frozenset({S.PLACED, S.LOCATING, S.CLOSED}),
    S.PLACED: frozenset({S.MONITORING, S.ARRANGING_PROVISION, S.CLOSED}),
    S.MONITORING: frozenset({S.ARRANGING_PROVISION, S.LOCATING, S.CLOSED}),
    S.CLOSED: frozenset({S.CHECKING}),  # re-opened
}

MANAGER_ONLY: frozenset[tuple[CaseStatus, CaseStatus]] = frozenset(
    {(S.WHEREABOUTS_UNKNOWN, S.CLOSED)}
)

OPEN_STATUSES = frozenset(status for status in CaseStatus if status != S.CLOSED)


def check_transition(current: CaseStatus, target: CaseStatus, *, by_manager: bool = False) -> None:
    """Raise CaseTransitionError unless the workflow allows `current` → `target`."""
    if target not in ALLOWED_TRANSITIONS[current]:
        raise CaseTransitionError(
            f"A case that is {current.label.lower()} cannot be moved to {target.label.lower()}."
        )
    if (current, target) in MANAGER_ONLY and not by_manager:
        raise CaseTransitionError(
            f"Only a CME manager can close a case whose {current.label.lower()}."
            if target == S.CLOSED
            else f"Only a CME manager can move a case to {target.label.lower()}."
        )


def reachable_from(start: CaseStatus) -> frozenset[CaseStatus]:
    """Every status a case in `start` could reach by legal moves."""
    seen = {start}
    frontier = [start]
    while frontier:
        for nxt in ALLOWED_TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return frozenset(seen)
