"""What to do with a referral's candidates: link one automatically, send to review, or neither.

Owns the safeguarding rules. A link is automatic only when the best candidate is strong, clearly
ahead of the runner-up, rests on the child's own details (first name, UPN or NHS number) rather
than on what a family shares, has no conflicting identifier, and has no twin in the same
household. Anything an officer should see goes to review; the rest is left alone.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cme.linkage.comparisons import COMPARISONS, DOB, FORENAME, I_DOB, I_FORENAME, I_NHS, I_UPN
from cme.linkage.scoring import CENTIBITS, ScoredPair, with_competition

_SAME = 1
_DIFFERENT = 2
# First-name outcomes that tell a child apart from a brother or sister.
_DISTINGUISHING_FORENAME = frozenset(
    FORENAME.level_index(key)
    for key in ("exact", "variant", "swapped", "other_given", "fuzzy_high")
)
_DOB_DIFFERENT = DOB.level_index("different")


class Decision(enum.StrEnum):
    """The outcome for one candidate; empty means neither linked nor worth a look."""

    LINK = "link"
    REVIEW = "review"
    NONE = ""


class Hold(enum.StrEnum):
    """Why a strong best candidate was sent to review instead of being linked."""

    WEAK = "the score is below the automatic-link threshold"
    CLOSE_RUNNER_UP = "another candidate scores nearly as well"
    FAMILY_FIELDS_ONLY = "the match rests on details a family shares, not on the child's own"
    CONFLICTING_IDENTIFIER = "the UPN or NHS number is different"
    DATE_OF_BIRTH_DIFFERS = "the date of birth is different"
    TWIN = "a twin or same-birthday sibling lives in the same home"


@dataclass(frozen=True, slots=True)
class DecisionPolicy:
    """Thresholds of the decision; the defaults are the ones the benchmarks report."""

    link_probability: float = 0.999
    review_probability: float = 0.2
    floor_probability: float = 0.001
    link_margin_bits: float = 6.0
    max_candidates: int = 10
    # A twin may be linked automatically on a matching UPN or NHS number; off: twins always
    # go to an officer.
    twin_link_on_identifier: bool = False


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    """A scored candidate with its rank (1 = best) and decision."""

    pair: ScoredPair
    rank: int
    decision: Decision
    held_because: tuple[Hold, ...] = ()


def _identifier_agrees(pair: ScoredPair) -> bool:
    return pair.levels[I_UPN] == _SAME or pair.levels[I_NHS] == _SAME


def link_holds(
    best: ScoredPair,
    runner_up: ScoredPair | None,
    *,
    policy: DecisionPolicy,
    has_twin: bool,
) -> tuple[Hold, ...]:
    """Every reason not to link `best` automatically (empty: it may be linked)."""
    holds = []
    if best.probability < policy.link_probability:
        holds.append(Hold.WEAK)
    if (
        runner_up is not None
        and best.evidence - runner_up.evidence < policy.link_margin_bits * CENTIBITS
    ):
        holds.append(Hold.CLOSE_RUNNER_UP)
    identifier = _identifier_agrees(best)
    if not identifier and best.levels[I_FORENAME] not in _DISTINGUISHING_FORENAME:
        holds.append(Hold.FAMILY_FIELDS_ONLY)
    if _DIFFERENT in (best.levels[I_UPN], best.levels[I_NHS]):
        holds.append(Hold.CONFLICTING_IDENTIFIER)
    if not identifier and best.levels[I_DOB] == _DOB_DIFFERENT:
        holds.append(Hold.DATE_OF_BIRTH_DIFFERS)
    if has_twin and not (policy.twin_link_on_identifier and identifier):
        holds.append(Hold.TWIN)
    return tuple(holds)


def decide(
    scored: Sequence[ScoredPair],
    *,
    policy: DecisionPolicy,
    twins_of: Callable[[int], Sequence[int]],
) -> list[RankedCandidate]:
    """Rank candidates (best first) above the floor, at most `max_candidates`, and decide each.

    `twins_of(row)` gives the register rows that share surname, date of birth and home with
    `row`; a candidate with any is never linked automatically.
    """
    ordered = sorted(
        with_competition(scored), key=lambda pair: (-pair.total, pair.record.id, pair.row)
    )
    kept = [p for p in ordered if p.probability >= policy.floor_probability]
    kept = kept[: policy.max_candidates]
    if not kept:
        return []
    best = kept[0]
    runner_up = ordered[1] if len(ordered) > 1 else None
    holds: tuple[Hold, ...] = ()
    if best.probability >= policy.review_probability:
        holds = link_holds(
            best, runner_up, policy=policy, has_twin=bool(twins_of(best.row))
        )
    linked = best.probability >= policy.review_probability and not holds
    ranked = []
    for rank, pair in enumerate(kept, start=1):
        if rank == 1 and linked:
            decision = Decision.LINK
        elif not linked and pair.probability >= policy.review_probability:
            decision = Decision.REVIEW
        else:
            decision = Decision.NONE
        ranked.append(
            RankedCandidate(pair=pair, rank=rank, decision=decision, held_because=holds if rank == 1 else ())
        )
    return ranked


def field_label(comparison: int) -> str:
    """The label of a comparison (for messages)."""
    return COMPARISONS[comparison].label
