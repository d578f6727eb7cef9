"""Match weights, term frequencies, training without labels, storage."""

from __future__ import annotations

import numpy as np

from cme.linkage.comparisons import COMPARISONS, I_SURNAME, MISSING
from cme.linkage.model import MatchModel, train_model
from cme.linkage.scoring import Scorer

from .conftest import child, filler, index_of


def test_a_common_surname_counts_for_less_than_a_rare_one(model: MatchModel) -> None:
    smiths = [child(i, surname="smith", forename=f"kid{i}") for i in range(40)]
    rare = child(99, surname="quartermaine")
    index = index_of([*smiths, rare])
    scorer = Scorer.for_index(model, index)
    smith_weight = scorer.score(smiths[0], smiths[0]).weights[I_SURNAME]
    rare_weight = scorer.score(rare, rare).weights[I_SURNAME]
    assert rare_weight > smith_weight + 200  # at least two bits more


def test_missing_weighs_nothing(model: MatchModel) -> None:
    for row in model.weights:
        assert row[MISSING] == 0.0


def test_json_round_trip(model: MatchModel) -> None:
    assert MatchModel.from_json(model.to_json()) == model


def test_training_recovers_match_rate_without_labels() -> None:
    rng = np.random.default_rng(1)
    truth = MatchModel.default()
    shape = [len(c.levels) for c in COMPARISONS]

    def draw(probabilities: tuple[tuple[float, ...], ...], count: int) -> np.ndarray:
        columns = []
        for size, row in zip(shape, probabilities, strict=True):
            p = np.asarray(row[1:]) / sum(row[1:])
            columns.append(rng.choice(np.arange(1, size), size=count, p=p))
        return np.stack(columns, axis=1).astype(np.int8)

    matches = draw(truth.m, 3000)
    non_matches = draw(truth.u, 9000)
    candidates = np.concatenate([matches, non_matches])
    randoms = draw(truth.u, 20000)
    model, report = train_model(candidate_pairs=candidates, random_pairs=randoms, left_count=3000)
    assert report.converged
    assert abs(report.expected_matches - 3000) < 150
    assert model.weights[0][1] > 5  # forename exact is strong evidence


def test_summary_names_every_comparison(model: MatchModel) -> None:
    text = "\n".join(model.summary_lines())
    for comparison in COMPARISONS:
        assert comparison.label in text


def test_filler_is_plausible() -> None:
    assert len({r.surname for r in filler(100)}) > 10


def test_describe_change_lists_every_level(model: MatchModel) -> None:
    from cme.linkage.model import describe_change

    lines = describe_change(model, model)
    assert len(lines) == 1 + sum(len(c.levels) - 1 for c in COMPARISONS)
    assert all("(+0.00)" in line for line in lines[1:])
