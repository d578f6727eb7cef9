"""Throughput of the identifier validators, which every import and referral calls."""

from __future__ import annotations

import statistics
import time

from cme.standards.nhs_number import is_valid_nhs_number, make_synthetic_nhs_number
from cme.standards.upn import is_valid_upn, make_upn

N = 100_000
REPEATS = 5


def _median_rate(values: list[str], check: object) -> float:
    rates = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for value in values:
            check(value)  # type: ignore[operator]
        rates.append(len(values) / (time.perf_counter() - started))
    return statistics.median(rates)


def main(argv: list[str]) -> None:
    upns = [make_upn("800", f"{2000 + i // 1000:04d}", "19", f"{i % 1000:03d}") for i in range(N)]
    nhs = [make_synthetic_nhs_number(i) for i in range(N)]
    runs = f"({N:,} values, median of {REPEATS} runs)"
    print(f"UPN validation: {_median_rate(upns, is_valid_upn):,.0f} per second {runs}")
    print(f"NHS number validation: {_median_rate(nhs, is_valid_nhs_number):,.0f} per second {runs}")
