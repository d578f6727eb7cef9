"""Linking a list of referrals to a register in one go: train, index, score, decide.

Owns the batch pipeline behind `manage.py link`: training needs no labels (random pairs for u,
expectation-maximisation over the candidates for m, seeded by pairs sharing a valid UPN or NHS
number), and the output is, for each left record, its candidates above the floor, best first,
with at most one `link`. The same input and seed always give the same output.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Final, cast

import numpy as np

from cme.linkage.bulk import collector_paused
from cme.linkage.comparisons import I_NHS, I_UPN, Levels, compare_records
from cme.linkage.decision import Decision, DecisionPolicy, RankedCandidate, decide
from cme.linkage.index import RegisterIndex
from cme.linkage.model import (
    LevelMatrix,
    MatchModel,
    TrainingReport,
    level_matrix,
    train_model,
)
from cme.linkage.records import PersonRecord
from cme.linkage.scoring import ScoredPair, Scorer

RANDOM_PAIRS: Final = 25_000
# Fewer referrals than this are not worth a second process.
_PARALLEL_MIN: Final = 2_000
_PARALLEL_WORKERS: Final = 2
_SAME = 1


@dataclass(frozen=True, slots=True)
class PairRow:
    """One output row of `manage.py link`."""

    left_id: str
    right_id: str
    match_probability: float
    decision: Decision


@dataclass(frozen=True, slots=True)
class LinkageRun:
    """The result of a batch: output rows, the ranked candidates per left record, the model."""

    rows: list[PairRow]
    ranked: list[list[RankedCandidate]]
    model: MatchModel
    training: TrainingReport | None


@dataclass(frozen=True, slots=True)
class _Compared:
    row: int
    record: PersonRecord
    levels: Levels


def random_pair_levels(
    left: Sequence[PersonRecord], index: RegisterIndex, *, count: int, seed: int
) -> list[Levels]:
    """Comparison levels of `count` random (left, register) pairs, the same for a seed."""
    if not left or index.size == 0:
        return []
    rng = np.random.default_rng(seed)
    lefts = rng.integers(0, len(left), size=count).tolist()
    rights = rng.integers(0, index.size, size=count).tolist()
    return [compare_records(left[i], index.record(j)) for i, j in zip(lefts, rights, strict=True)]


def _compare_rows(
    left: Sequence[PersonRecord], index: RegisterIndex, start: int, stop: int
) -> list[list[_Compared]]:
    compared = []
    chunk = left[start:stop]
    for query, rows in zip(chunk, index.candidates_many(chunk), strict=True):
        entries = []
        for row in rows:
            record = index.record(row)
            entries.append(_Compared(row, record, compare_records(query, record)))
        compared.append(entries)
    return compared


# What a forked worker reads: set just before the fork, inherited by the child process.
_FORKED: dict[str, object] = {}


def _levels_in_child(start: int, stop: int) -> list[list[tuple[int, Levels]]]:
    left = cast(Sequence[PersonRecord], _FORKED["left"])
    index = cast(RegisterIndex, _FORKED["index"])
    with collector_paused():
        return [
            [(e.row, e.levels) for e in entries]
            for entries in _compare_rows(left, index, start, stop)
        ]


def _compare_candidates(
    left: Sequence[PersonRecord],
    index: RegisterIndex,
    *,
    workers: int = 1,
    also: Callable[[], object] | None = None,
) -> list[list[_Compared]]:
    """Candidates of every referral with their comparison levels, in referral order.

    With two workers (and `fork` available) the second half is compared in a forked child
    while this process compares the first half and then runs `also`; the result is the same.
    """
    if workers < _PARALLEL_WORKERS or len(left) < _PARALLEL_MIN or not _can_fork():
        compared = _compare_rows(left, index, 0, len(left))
        if also is not None:
            also()
        return compared
    middle = len(left) // 2
    _FORKED.update(left=left, index=index)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            future = pool.submit(_levels_in_child, middle, len(left))
            compared = _compare_rows(left, index, 0, middle)
            if also is not None:
                also()
            second = future.result()
    finally:
        _FORKED.clear()
    compared.extend(
        [_Compared(row, index.record(row), levels) for row, levels in entries] for entries in second
    )
    return compared


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def train_on(
    left: Sequence[PersonRecord],
    index: RegisterIndex,
    *,
    seed: int = 0,
    start: MatchModel | None = None,
    random_pairs: int = RANDOM_PAIRS,
) -> tuple[MatchModel, TrainingReport]:
    """Train a model for linking `left` to the register in `index`, with no labels given."""
    with collector_paused():
        return _train(
            left=left,
            index=index,
            compared=_compare_candidates(left, index),
            seed=seed,
            start=start,
            random_pairs=random_pairs,
        )


def _train(
    *,
    left: Sequence[PersonRecord],
    index: RegisterIndex,
    compared: list[list[_Compared]],
    seed: int,
    start: MatchModel | None,
    random_pairs: int,
    randoms: LevelMatrix | None = None,
) -> tuple[MatchModel, TrainingReport]:
    candidate_levels = [entry.levels for entries in compared for entry in entries]
    matrix = level_matrix(candidate_levels)
    labelled = (matrix[:, I_UPN] == _SAME) | (matrix[:, I_NHS] == _SAME)
    if randoms is None:
        randoms = level_matrix(random_pair_levels(left, index, count=random_pairs, seed=seed))
    return train_model(
        candidate_pairs=matrix,
        random_pairs=randoms,
        left_count=len(left),
        labelled=labelled,
        start=start,
        random_population=len(left) * index.size,
    )


def link_records(
    left: Sequence[PersonRecord],
    index: RegisterIndex,
    *,
    seed: int = 0,
    model: MatchModel | None = None,
    policy: DecisionPolicy | None = None,
    random_pairs: int = RANDOM_PAIRS,
    workers: int = 1,
) -> LinkageRun:
    """Link every left record to the register: train (unless `model` is given), score, decide.

    `workers=2` compares half the referrals in a forked process (where `fork` exists); the
    output is the same as with one.
    """
    with collector_paused():
        return _link_records(
            left,
            index,
            seed=seed,
            model=model,
            policy=policy or DecisionPolicy(),
            random_pairs=random_pairs,
            workers=workers,
        )


def _link_records(
    left: Sequence[PersonRecord],
    index: RegisterIndex,
    *,
    seed: int,
    model: MatchModel | None,
    policy: DecisionPolicy,
    random_pairs: int,
    workers: int,
) -> LinkageRun:
    randoms: list[LevelMatrix] = []

    def sample_random_pairs() -> None:
        if model is None:
            randoms.append(
                level_matrix(random_pair_levels(left, index, count=random_pairs, seed=seed))
            )

    compared = _compare_candidates(left, index, workers=workers, also=sample_random_pairs)
    training = None
    if model is None:
        model, training = _train(
            left=left,
            index=index,
            compared=compared,
            seed=seed,
            start=None,
            random_pairs=random_pairs,
            randoms=randoms[0],
        )
    scorer = Scorer.for_index(model, index)
    rows: list[PairRow] = []
    ranked_all: list[list[RankedCandidate]] = []
    for query, entries in zip(left, compared, strict=True):
        scored = [
            ScoredPair(
                record=entry.record,
                row=entry.row,
                levels=entry.levels,
                weights=scorer.weights(query, entry.record, entry.levels),
                prior=scorer.prior,
            )
            for entry in entries
        ]
        ranked = decide(scored, policy=policy, twins_of=index.household_twins, referral=query)
        ranked_all.append(ranked)
        rows.extend(
            PairRow(
                left_id=query.id,
                right_id=candidate.pair.record.id,
                match_probability=candidate.pair.probability,
                decision=candidate.decision,
            )
            for candidate in ranked
        )
    return LinkageRun(rows=rows, ranked=ranked_all, model=model, training=training)
