"""The Fellegi-Sunter model: m and u probabilities, match weights, and training without labels.

Owns the numbers behind every score. For each comparison level, m is the chance of that outcome
when two records are the same child and u the chance when they are not; the level's weight is
log2(m/u) bits. Exact agreement on a name or a home is weighed by how common that value is in
the register (a match on Smith counts for less than one on a rare surname). The prior is the
chance that a referral's child is one particular register record. `train_model` estimates u from
random pairs and m by expectation-maximisation over candidate pairs, seeded, where any exist, by
pairs that share a valid UPN or NHS number; no labels are needed from the user.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from cme.linkage.comparisons import (
    COMPARISONS,
    I_NHS,
    I_UPN,
    MISSING,
    Levels,
)

LevelMatrix = npt.NDArray[np.int8]
# Probabilities are kept inside these bounds so that no weight is infinite.
_P_MIN: Final = 1e-7
_P_MAX: Final = 1.0 - 1e-7
_EM_ITERATIONS: Final = 60
_EM_TOLERANCE: Final = 1e-6
_MIN_LABELLED_PAIRS: Final = 30
# Pseudo-count added to every level when u is counted from random pairs, so that an outcome
# never seen among random pairs is rare but not impossible.
_U_PSEUDO_COUNT: Final = 0.5
_PRIOR_MATCHES: Final = 100.0
_PRIOR_RANDOM_PAIRS: Final = 1000.0
_SAME: Final = 1
_DIFFERENT: Final = 2
_FORMAT_VERSION: Final = 1

# m when nothing is known: what clerical data of children usually looks like. Each row lists
# the levels of the comparison in COMPARISONS order; level 0 (missing) is ignored.
_DEFAULT_M: Final[tuple[tuple[float, ...], ...]] = (
    (1.0, 0.86, 0.04, 0.005, 0.003, 0.01, 0.04, 0.02, 0.005, 0.02),
    (1.0, 0.85, 0.1, 0.05),
    (1.0, 0.85, 0.04, 0.02, 0.01, 0.005, 0.04, 0.02, 0.02),
    (1.0, 0.93, 0.01, 0.03, 0.01, 0.02),
    (1.0, 0.98, 0.02),
    (1.0, 0.7, 0.08, 0.04, 0.02, 0.03, 0.03, 0.1),
    (1.0, 0.99, 0.01),
    (1.0, 0.99, 0.01),
)
_DEFAULT_U: Final[tuple[tuple[float, ...], ...]] = (
    (1.0, 0.01, 0.002, 1e-5, 2e-4, 0.002, 0.003, 0.05, 0.002, 0.93),
    (1.0, 0.01, 0.05, 0.94),
    (1.0, 0.002, 0.001, 1e-4, 0.001, 1e-5, 0.003, 0.03, 0.96),
    (1.0, 1.5e-4, 5e-5, 1e-3, 0.05, 0.95),
    (1.0, 0.5, 0.5),
    (1.0, 1e-5, 2e-4, 1e-5, 1e-5, 0.002, 0.02, 0.98),
    (1.0, 1e-6, 0.999999),
    (1.0, 1e-6, 0.999999),
)


class TermFrequencies(Protocol):
    """How common a value is among the register's records, as a proportion (None if unknown)."""

    def frequency(self, comparison: int, value: str) -> float | None: ...


@dataclass(frozen=True, slots=True)
class MatchModel:
    """m and u for every level of every comparison, and the share of referrals with a match."""

    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    match_rate: float = 0.75
    trained_on: str = "defaults"
    weights: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = tuple(
            tuple(
                0.0 if level == MISSING else math.log2(_clip(m) / _clip(u))
                for level, (m, u) in enumerate(zip(m_row, u_row, strict=True))
            )
            for m_row, u_row in zip(self.m, self.u, strict=True)
        )
        # No agreement may count against a pair more than outright disagreement does: a level
        # the training data never saw for matches (m near 0) would otherwise punish a near miss.
        weights = tuple(
            tuple(w if i in {MISSING, len(row) - 1} else max(w, row[-1]) for i, w in enumerate(row))
            for row in weights
        )
        object.__setattr__(self, "weights", weights)

    @classmethod
    def default(cls) -> MatchModel:
        """A usable model before any training, from typical clerical error rates."""
        return cls(m=_DEFAULT_M, u=_DEFAULT_U, match_rate=0.75, trained_on="defaults")

    def prior_bits(self, register_size: int) -> float:
        """log2 prior odds that a referral's child is one particular register record, against
        the child being in the register not at all (each record is one of `register_size`)."""
        rate = min(max(self.match_rate, _P_MIN), _P_MAX)
        return math.log2(rate / (max(register_size, 1) * (1.0 - rate)))

    def level_weight(
        self,
        comparison: int,
        level: int,
        frequency: float | None = None,
        register_size: int = 0,
    ) -> float:
        """Weight in bits of one level, adjusted by the value's frequency where it applies."""
        if level == MISSING:
            return 0.0
        spec = COMPARISONS[comparison].levels[level]
        if frequency is None or not spec.term_frequency:
            return self.weights[comparison][level]
        floor = 1.0 / register_size if register_size else _P_MIN
        return math.log2(_clip(self.m[comparison][level]) / _clip(max(frequency, floor)))

    def to_json(self) -> str:
        """Serialise for storage; `from_json` reads it back."""
        return json.dumps(
            {
                "version": _FORMAT_VERSION,
                "m": self.m,
                "u": self.u,
                "match_rate": self.match_rate,
                "trained_on": self.trained_on,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        """Read a model written by `to_json`; raises ValueError if it does not fit COMPARISONS."""
        data = json.loads(text)
        m = tuple(tuple(float(x) for x in row) for row in data["m"])
        u = tuple(tuple(float(x) for x in row) for row in data["u"])
        shape = [len(c.levels) for c in COMPARISONS]
        if [len(r) for r in m] != shape or [len(r) for r in u] != shape:
            msg = "the stored model does not have the comparison levels of this version"
            raise ValueError(msg)
        return cls(
            m=m, u=u, match_rate=float(data["match_rate"]), trained_on=str(data["trained_on"])
        )

    def summary_lines(self) -> list[str]:
        """The model in plain figures: m, u and weight in bits per level (for retraining)."""
        lines = [
            f"Trained on: {self.trained_on}",
            f"Share of referrals with a match: {self.match_rate:.3f}",
        ]
        for index, comparison in enumerate(COMPARISONS):
            lines.append(f"{comparison.label}:")
            for level_index, level in enumerate(comparison.levels):
                if level_index == MISSING:
                    continue
                lines.append(
                    f"  {level.words}: m={self.m[index][level_index]:.4f} "
                    f"u={self.u[index][level_index]:.6f} "
                    f"weight={self.weights[index][level_index]:+.2f} bits"
                )
        return lines


def _clip(p: float) -> float:
    return min(max(p, _P_MIN), _P_MAX)


def level_matrix(levels: Sequence[Levels]) -> LevelMatrix:
    """Stack comparison-level vectors into a matrix (one row per pair)."""
    if not levels:
        return np.zeros((0, len(COMPARISONS)), dtype=np.int8)
    return np.asarray(levels, dtype=np.int8)


def _distributions(
    matrix: LevelMatrix, weights: npt.NDArray[np.float64], pseudo: float
) -> tuple[tuple[float, ...], ...]:
    """Per comparison, the weighted share of pairs at each level, missing pairs left out."""
    rows = []
    for index, comparison in enumerate(COMPARISONS):
        counts = np.bincount(
            matrix[:, index], weights=weights, minlength=len(comparison.levels)
        ).astype(np.float64)
        counts[MISSING] = 0.0
        counts[1:] += pseudo
        total = counts[1:].sum()
        shares = counts / total if total > 0 else np.full(len(counts), 1.0 / len(counts))
        shares[MISSING] = 1.0
        rows.append(tuple(float(x) for x in shares))
    return tuple(rows)


def estimate_u(random_pairs: LevelMatrix) -> tuple[tuple[float, ...], ...]:
    """u from comparing random pairs of records, which are almost all non-matches."""
    weights = np.ones(len(random_pairs), dtype=np.float64)
    return _distributions(random_pairs, weights, _U_PSEUDO_COUNT)


def _blend_u(
    random_pairs: LevelMatrix, population: int, start: tuple[tuple[float, ...], ...]
) -> tuple[tuple[float, ...], ...]:
    """u from random pairs, leaning on `start` when there are few distinct pairs to draw.

    Random pairs from a small file repeat and include its true matches, so their u is worth
    only as much as the number of distinct pairs there can be.
    """
    if not len(random_pairs):
        return start
    distinct = min(len(random_pairs), population or len(random_pairs))
    observed = estimate_u(random_pairs)
    return tuple(
        tuple(
            (distinct * o + _PRIOR_RANDOM_PAIRS * p) / (distinct + _PRIOR_RANDOM_PAIRS)
            for o, p in zip(o_row, p_row, strict=True)
        )
        for o_row, p_row in zip(observed, start, strict=True)
    )


@dataclass(frozen=True, slots=True)
class TrainingReport:
    """What training saw and did, for the retraining command to print."""

    candidate_pairs: int
    labelled_pairs: int
    random_pairs: int
    iterations: int
    converged: bool
    expected_matches: float


def train_model(
    *,
    candidate_pairs: LevelMatrix,
    random_pairs: LevelMatrix,
    left_count: int,
    labelled: npt.NDArray[np.bool_] | None = None,
    start: MatchModel | None = None,
    random_population: int = 0,
) -> tuple[MatchModel, TrainingReport]:
    """Estimate a model from comparison levels alone.

    `candidate_pairs` are the pairs the blocking index proposes for each of `left_count`
    referrals; `random_pairs` are random (left, register) pairs; `labelled` marks candidate
    pairs known to match because they share a valid UPN or NHS number, which seed m. u is taken
    from the random pairs (drawn from `random_population` possible pairs, so that a small file
    leans on `start`); m and the share of matches from expectation-maximisation over the
    candidate pairs, which allows the non-matches among candidates their own distribution.
    """
    start = start or MatchModel.default()
    u_random = _blend_u(random_pairs, random_population, start.u)
    m_init = start.m
    labelled_count = int(labelled.sum()) if labelled is not None else 0
    if labelled is not None and labelled_count >= _MIN_LABELLED_PAIRS:
        seeded = _distributions(candidate_pairs[labelled], np.ones(labelled_count), 0.5)
        # Identifiers are what labelled the pairs, so their own m cannot be read from them.
        m_init = tuple(
            start.m[i] if i in {I_UPN, I_NHS} else seeded[i] for i in range(len(COMPARISONS))
        )
    if len(candidate_pairs) == 0:
        model = MatchModel(m=m_init, u=u_random, match_rate=start.match_rate, trained_on="defaults")
        return model, TrainingReport(0, labelled_count, len(random_pairs), 0, True, 0.0)

    patterns, counts = np.unique(candidate_pairs, axis=0, return_counts=True)
    counts_f = counts.astype(np.float64)
    identifier_same = (patterns[:, I_UPN] == _SAME) | (patterns[:, I_NHS] == _SAME)
    identifier_different = (patterns[:, I_UPN] == _DIFFERENT) | (patterns[:, I_NHS] == _DIFFERENT)
    anchored_match = identifier_same & ~identifier_different
    anchored_non_match = identifier_different & ~identifier_same
    max_share = min(1.0 - 1e-6, max(left_count, 1) / len(candidate_pairs))
    m = [np.asarray(row, dtype=np.float64) for row in m_init]
    u = [np.asarray(row, dtype=np.float64) for row in u_random]
    share = min(max(left_count * start.match_rate / len(candidate_pairs), 0.01), 0.9, max_share)
    converged = False
    iterations = 0
    for iterations in range(1, _EM_ITERATIONS + 1):  # noqa: B007 - reported after the loop
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for index in range(len(COMPARISONS)):
            column = patterns[:, index]
            present = column != MISSING
            log_m += np.where(present, np.log(np.clip(m[index][column], _P_MIN, 1.0)), 0.0)
            log_u += np.where(present, np.log(np.clip(u[index][column], _P_MIN, 1.0)), 0.0)
        logit = math.log(share) - math.log1p(-share) + log_m - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(logit, -700, 700)))
        # Pairs sharing a valid identifier are matches and pairs with different valid
        # identifiers are not: they anchor the two classes, so that EM cannot settle on
        # "same household" instead of "same child".
        posterior = np.where(anchored_match, 1.0, np.where(anchored_non_match, 0.0, posterior))
        match_weight = posterior * counts_f
        # At most one match per referral.
        new_share = min(float(match_weight.sum() / counts_f.sum()), max_share)
        new_m = _distributions(patterns, match_weight, 1e-3)
        new_u = _distributions(patterns, (1.0 - posterior) * counts_f, 1e-3)
        change = max(
            abs(new_share - share),
            *(float(np.abs(np.asarray(a) - b).max()) for a, b in zip(new_m, m, strict=True)),
        )
        share = min(max(new_share, 1e-6), 1 - 1e-6)
        m = [np.asarray(row) for row in new_m]
        u = [np.asarray(row) for row in new_u]
        if change < _EM_TOLERANCE:
            converged = True
            break
    expected = share * len(candidate_pairs)
    # Shrink m towards the starting model as if it had been seen on _PRIOR_MATCHES pairs: a
    # level that no match in this data happened to show must not become impossible (a weight
    # of -20 bits would let one such slip in tomorrow's data overrule everything else).
    m = [
        (row * expected + np.asarray(prior_row) * _PRIOR_MATCHES) / (expected + _PRIOR_MATCHES)
        for row, prior_row in zip(m, start.m, strict=True)
    ]
    match_rate = min(max(expected / max(left_count, 1), 0.01), 0.99)
    model = MatchModel(
        m=tuple(tuple(float(x) for x in row) for row in m),
        u=u_random,
        match_rate=match_rate,
        trained_on=(
            f"{len(candidate_pairs):,} candidate pairs ({labelled_count:,} sharing an identifier), "
            f"{len(random_pairs):,} random pairs"
        ),
    )
    report = TrainingReport(
        candidate_pairs=len(candidate_pairs),
        labelled_pairs=labelled_count,
        random_pairs=len(random_pairs),
        iterations=iterations,
        converged=converged,
        expected_matches=expected,
    )
    return model, report


def describe_change(before: MatchModel, after: MatchModel) -> list[str]:
    """Retraining in plain figures: each level's weight before and after, in bits."""
    lines = [
        f"Share of referrals with a match: {before.match_rate:.3f} -> {after.match_rate:.3f}",
    ]
    for index, comparison in enumerate(COMPARISONS):
        for level_index, level in enumerate(comparison.levels):
            if level_index == MISSING:
                continue
            old = before.weights[index][level_index]
            new = after.weights[index][level_index]
            lines.append(
                f"{comparison.label}, {level.words}: {old:+.2f} -> {new:+.2f} bits"
                f" ({new - old:+.2f})"
            )
    return lines
