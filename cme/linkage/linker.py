"""Matching one referral at a time against a loaded register: the entry point for the app.

Owns the warm, reusable object a web request or task asks "who is this child?": the register
index, the scorer for it, and the decision policy. Build it once (`Linker(index, model)`), then
call `match` per referral; it is read-only and safe to share between threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from cme.linkage.decision import DecisionPolicy, RankedCandidate, decide
from cme.linkage.explain import Explanation, explain
from cme.linkage.index import RegisterIndex
from cme.linkage.model import MatchModel
from cme.linkage.records import PersonRecord
from cme.linkage.scoring import ScoredPair, Scorer


@dataclass(frozen=True, slots=True)
class Match:
    """A ranked, decided candidate with its explanation."""

    candidate: RankedCandidate
    explanation: Explanation

    @property
    def record(self) -> PersonRecord:
        """The register record."""
        return self.candidate.pair.record


class Linker:
    """A register index with a trained model and a decision policy."""

    def __init__(
        self,
        index: RegisterIndex,
        model: MatchModel,
        policy: DecisionPolicy | None = None,
    ) -> None:
        self.index = index
        self.model = model
        self.policy = policy or DecisionPolicy()
        self.scorer = Scorer.for_index(model, index)

    def score(self, referral: PersonRecord) -> list[ScoredPair]:
        """Every candidate the blocking index proposes, scored, best first."""
        rows = self.index.candidates(referral)
        return self.scorer.score_rows(referral, self.index, rows)

    def rank(self, referral: PersonRecord) -> list[RankedCandidate]:
        """Candidates above the floor, best first, each with its decision."""
        return decide(
            self.score(referral),
            policy=self.policy,
            twins_of=self.index.household_twins,
            referral=referral,
        )

    def match(self, referral: PersonRecord) -> list[Match]:
        """`rank` with an explanation for each candidate."""
        return [Match(candidate, explain(candidate.pair)) for candidate in self.rank(referral)]
