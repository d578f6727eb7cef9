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

from cme.linkage.comparisons import (
    ADDRESS,
    DOB,
    FORENAME,
    I_ADDRESS,
    I_DOB,
    I_FORENAME,
    I_MIDDLE,
    I_NHS,
    I_UPN,
    MIDDLE_NAMES,
)
from cme.linkage.records import PersonRecord
from cme.linkage.scoring import CENTIBITS, ScoredPair, with_competition

_SAME = 1
_DIFFERENT = 2
# First-name outcomes that tell a child apart from a brother or sister. A first name that is
# only one of the other's middle names is not among them: brothers and sisters share names.
_DISTINGUISHING_FORENAME = frozenset(
    FORENAME.level_index(key) for key in ("exact", "variant", "swapped", "fuzzy_high")
)
_DOB_DIFFERENT = DOB.level_index("different")
_OTHER_GIVEN = FORENAME.level_index("other_given")
_MIDDLE_AGREE = frozenset(MIDDLE_NAMES.level_index(key) for key in ("exact", "partial"))
# Address outcomes that place the child where the register has them (now or before).
_LOCATED = frozenset(
    ADDRESS.level_index(key)
    for key in ("same_home", "same_postcode", "same_street_address", "previous_postcode")
)


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

    link_probability: float = 0.99
    # The same, for a link with neither an identifier nor any agreement on where the child
    # lives: a namesake born the same day elsewhere is the likeliest wrong link of all.
    unlocated_link_probability: float = 0.999
    # A referral goes to review when its candidates together are at least this likely to
    # include its child; then each candidate at least review_candidate_probability is shown.
    review_probability: float = 0.95
    review_candidate_probability: float = 0.05
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


def _forename_distinguishes(pair: ScoredPair, referral: PersonRecord | None) -> bool:
    """The first names tell this child apart from a brother or sister.

    A referral's first name that is one of the register record's middle names counts (the
    child goes by a middle name) when the middle names given agree too; the other way round,
    or with no middle names to check, it does not, because brothers and sisters, twins above
    all, are often given each other's names as middle names.
    """
    level = pair.levels[I_FORENAME]
    if level in _DISTINGUISHING_FORENAME:
        return True
    if level != _OTHER_GIVEN or referral is None or not referral.forename:
        return False
    if pair.levels[I_MIDDLE] not in _MIDDLE_AGREE:
        return False
    return referral.forename.split(" ", 1)[0] in pair.record.middle_names


def link_holds(
    best: ScoredPair,
    runner_up: ScoredPair | None,
    *,
    policy: DecisionPolicy,
    has_twin: bool,
    referral: PersonRecord | None = None,
) -> tuple[Hold, ...]:
    """Every reason not to link `best` automatically (empty: it may be linked)."""
    holds = []
    identifier = _identifier_agrees(best)
    located = best.levels[I_ADDRESS] in _LOCATED
    needed = policy.link_probability if located or identifier else policy.unlocated_link_probability
    if best.probability < needed:
        holds.append(Hold.WEAK)
    if (
        runner_up is not None
        and best.evidence - runner_up.evidence < policy.link_margin_bits * CENTIBITS
    ):
        holds.append(Hold.CLOSE_RUNNER_UP)
    if not identifier and not _forename_distinguishes(best, referral):
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
    referral: PersonRecord | None = None,
) -> list[RankedCandidate]:
    """Rank candidates (best first) above the floor, at most `max_candidates`, and decide each.

    `twins_of(row)` gives the register rows that share surname, date of birth and home with
    `row`; a candidate with any is never linked automatically. `referral` is the record the
    candidates were scored against (needed to read which way a first name matched).
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
    # The chance that the referral's child is on the register at all, as far as these
    # candidates tell: with competition applied their probabilities add up to at most one.
    on_register = sum(pair.probability for pair in ordered)
    holds: tuple[Hold, ...] = ()
    if best.probability >= policy.review_probability:
        holds = link_holds(
            best,
            runner_up,
            policy=policy,
            has_twin=bool(twins_of(best.row)),
            referral=referral,
        )
    linked = best.probability >= policy.review_probability and not holds
    reviewing = not linked and on_register >= policy.review_probability
    ranked = []
    for rank, pair in enumerate(kept, start=1):
        if rank == 1 and linked:
            decision = Decision.LINK
        elif reviewing and pair.probability >= policy.review_candidate_probability:
            decision = Decision.REVIEW
        else:
            decision = Decision.NONE
        ranked.append(
            RankedCandidate(
                pair=pair,
                rank=rank,
                decision=decision,
                held_because=holds if rank == 1 else (),
            )
        )
    return ranked
