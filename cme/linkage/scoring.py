"""Scoring a pair of records: field weights in hundredths of a bit, total, probability.

Owns the arithmetic that turns comparison levels into a score an officer can check by hand:
every field weight and the prior are rounded to 0.01 bit before they are added, so the weights
shown always add up to the total shown, and the probability is the logistic of that total
(in bits). The same pair always gets the same score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from cme.linkage.comparisons import COMPARISONS, Levels, compare_records, term_frequency_value
from cme.linkage.index import RegisterIndex
from cme.linkage.model import MatchModel, TermFrequencies
from cme.linkage.records import PersonRecord

CENTIBITS: Final = 100
# Beyond this many bits the probability is 1 or 0 to double precision; clamp to avoid overflow.
_MAX_BITS: Final = 1000.0


def probability_from_bits(bits: float) -> float:
    """Logistic in base 2: the probability whose log2 odds are `bits`."""
    bits = max(min(bits, _MAX_BITS), -_MAX_BITS)
    return float(1.0 / (1.0 + 2.0 ** (-bits)))


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A query compared with one register record: levels, weights and the total, in centibits."""

    record: PersonRecord
    row: int
    levels: Levels
    weights: tuple[int, ...]
    prior: int
    # Negative: how much the other candidates that also fit take away (see `with_competition`).
    competition: int = 0

    @property
    def evidence(self) -> int:
        """Prior plus every field weight, in hundredths of a bit, before competition."""
        return self.prior + sum(self.weights)

    @property
    def total(self) -> int:
        """Prior, every field weight and the competition, in hundredths of a bit."""
        return self.prior + sum(self.weights) + self.competition

    @property
    def bits(self) -> float:
        """The total in bits."""
        return self.total / CENTIBITS

    @property
    def probability(self) -> float:
        """Probability that the pair is the same child."""
        return probability_from_bits(self.bits)


def with_competition(pairs: Sequence[ScoredPair]) -> list[ScoredPair]:
    """Set each pair's competition: the referral is one child, so candidates share belief.

    With prior odds of one record against "not in the register", the probability that record
    j is the child is A_j / (1 + sum of A_k over all candidates), A = 2^(prior + weights).
    Its log2 odds are j's own evidence minus log2(1 + sum of A_k over the other candidates);
    that second term is the competition. Two records that fit equally well (twins) can then
    never both look certain.
    """
    if len(pairs) < 2:
        return [_with(pair, 0) for pair in pairs]
    evidence = [pair.evidence / CENTIBITS for pair in pairs]
    top = max(evidence)
    # Sum in a scaled form to stay finite: sum(2^e) = 2^top * sum(2^(e - top)).
    scaled = [2.0 ** (e - top) for e in evidence]
    total_scaled = sum(scaled)
    out = []
    for pair, own in zip(pairs, scaled, strict=True):
        others = max(total_scaled - own, 0.0)
        if others == 0.0:
            bits = 0.0
        else:
            log_others = top + math.log2(others)
            bits = log_others + math.log2(1.0 + 2.0 ** (-log_others)) if log_others > -60 else 0.0
        out.append(_with(pair, -round(bits * CENTIBITS)))
    return out


def _with(pair: ScoredPair, competition: int) -> ScoredPair:
    # Built directly: dataclasses.replace is several times slower in this hot loop.
    return ScoredPair(pair.record, pair.row, pair.levels, pair.weights, pair.prior, competition)


class Scorer:
    """A trained model applied against one register (for its size and term frequencies)."""

    def __init__(
        self,
        model: MatchModel,
        frequencies: TermFrequencies | None = None,
        register_size: int = 1,
    ) -> None:
        self.model = model
        self.frequencies = frequencies
        self.register_size = register_size
        self.prior = round(model.prior_bits(register_size) * CENTIBITS)
        self._plain = tuple(tuple(round(w * CENTIBITS) for w in row) for row in model.weights)
        self._tf_levels = tuple(
            frozenset(i for i, level in enumerate(c.levels) if level.term_frequency)
            for c in COMPARISONS
        )

    @classmethod
    def for_index(cls, model: MatchModel, index: RegisterIndex) -> Scorer:
        """The scorer for candidates drawn from `index`."""
        return cls(model, index, index.size)

    def weights(self, query: PersonRecord, record: PersonRecord, levels: Levels) -> tuple[int, ...]:
        """Weight of each comparison, in centibits, with term-frequency adjustment."""
        plain = self._plain
        out = [plain[comparison][level] for comparison, level in enumerate(levels)]
        if self.frequencies is None:
            return tuple(out)
        for comparison, level in enumerate(levels):
            if level in self._tf_levels[comparison]:
                value = term_frequency_value(comparison, level, query, record)
                frequency = self.frequencies.frequency(comparison, value)
                if frequency is not None:
                    bits = self.model.level_weight(comparison, level, frequency, self.register_size)
                    out[comparison] = round(bits * CENTIBITS)
        return tuple(out)

    def score(self, query: PersonRecord, record: PersonRecord, row: int = -1) -> ScoredPair:
        """Compare and weigh one pair."""
        levels = compare_records(query, record)
        return ScoredPair(
            record=record,
            row=row,
            levels=levels,
            weights=self.weights(query, record, levels),
            prior=self.prior,
        )

    def score_rows(
        self, query: PersonRecord, index: RegisterIndex, rows: Sequence[int]
    ) -> list[ScoredPair]:
        """Score `query` against register rows, best first (ties broken by record id)."""
        scored = [self.score(query, index.record(row), row) for row in rows]
        scored.sort(key=lambda pair: (-pair.total, pair.record.id, pair.row))
        return scored
