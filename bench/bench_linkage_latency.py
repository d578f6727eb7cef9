"""Speed at full size: a 1,000,000-child register, one referral at a time, and a batch of 10,000.

Figures: index build time and memory; single-referral latency (p50/p95 over 1,000+ referrals,
index warm, model trained beforehand); and the batch `link_files` end to end from CSV files
(read, index, train, link, write) with its peak memory. The register and referrals come from
`bench.linkage_data.generator` and are cached as CSV under bench/results/ (git-ignored).
Memory is measured by tracemalloc for the index (Python and numpy allocations) and by the
process's peak resident set size for the batch, in a fresh child process.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from bench.linkage_data.generator import WorldConfig, generate_world, write_csv

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20261128
CHILDREN = 1_000_000
BATCH = 10_000
SINGLE = 2_000
BUILD_REPEATS = 3
BATCH_REPEATS = 3
# Households drawn so that the world has a few more than CHILDREN children (about 1.87 each);
# the register is then cut to exactly CHILDREN.
_CHILDREN_PER_HOUSEHOLD = 1.84


def ensure_files(children: int, batch: int, seed: int) -> tuple[Path, Path]:
    """The register and referral CSVs for this size and seed, generated once and cached."""
    RESULTS.mkdir(exist_ok=True)
    register = RESULTS / f"latency_register_{children}_{seed}.csv"
    referrals = RESULTS / f"latency_referrals_{children}_{batch}_{seed}.csv"
    if not register.exists() or not referrals.exists():
        config = WorldConfig(households=round(children / _CHILDREN_PER_HOUSEHOLD), referrals=batch)
        world = generate_world(config, seed)
        write_csv(str(register), world.register[:children])
        write_csv(str(referrals), [r.row for r in world.referrals])
    return register, referrals


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def single_referral(register: Path, referrals: Path, count: int) -> None:
    """Index build (time, memory) and per-referral latency with a warm index."""
    from cme.linkage.batch import train_on
    from cme.linkage.csvio import read_person_csv
    from cme.linkage.files import parse_table
    from cme.linkage.index import RegisterIndex
    from cme.linkage.linker import Linker

    table = read_person_csv(register)
    builds = []
    for _ in range(BUILD_REPEATS):
        gc.collect()
        started = time.perf_counter()
        index, _ = RegisterIndex.from_columns(table.columns)
        builds.append(time.perf_counter() - started)
        del index
    gc.collect()
    tracemalloc.start()
    index, _ = RegisterIndex.from_columns(table.columns)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del table
    stats = index.stats()
    print(
        f"Index of {index.size:,} children: built in {statistics.median(builds):.1f} s "
        f"(median of {BUILD_REPEATS}, from parsed columns); holds {current / 2**20:,.0f} MiB "
        f"(peak {peak / 2**20:,.0f} MiB while building; tracemalloc), of which blocking "
        f"arrays {stats.array_bytes / 2**20:,.0f} MiB"
    )
    left, _ = parse_table(read_person_csv(referrals))
    started = time.perf_counter()
    model, _ = train_on(left, index, seed=SEED)
    print(f"Model trained on the {len(left):,} referrals in {time.perf_counter() - started:.1f} s")
    linker = Linker(index, model)
    for query in left[:50]:  # warm the caches a real service would have warmed
        linker.match(query)
    timings = []
    for query in left[50 : 50 + count]:
        started = time.perf_counter()
        linker.match(query)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"Single referral (rank, decide and explain) over {len(timings):,} referrals: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms, "
        f"max {max(timings):.1f} ms"
    )


def _batch_child(register: str, referrals: str, out: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from cme.linkage.files import link_files

    started = time.perf_counter()
    result = link_files(referrals, register, out, seed=SEED, workers=2)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    queue.put((elapsed, (peak_kib, child_kib), result.seconds, result.links, result.reviews))


def batch(register: Path, referrals: Path) -> None:
    """`link_files` end to end in a fresh process each time, for honest time and peak memory."""
    out = RESULTS / "latency_pairs.csv"
    context = multiprocessing.get_context("spawn")
    runs = []
    for _ in range(BATCH_REPEATS):
        queue = context.Queue()
        process = context.Process(
            target=_batch_child, args=(str(register), str(referrals), str(out), queue)
        )
        process.start()
        runs.append(queue.get())
        process.join()
    runs.sort(key=lambda run: run[0])
    elapsed, peak_kib, seconds, links, reviews = runs[len(runs) // 2]
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
    print(
        f"Batch {BATCH:,} referrals x {CHILDREN:,} children, 2 workers, end to end incl. training: "
        f"{elapsed:.1f} s, median of {BATCH_REPEATS} fresh processes "
        f"(all: {', '.join(f'{r[0]:.1f}' for r in runs)} s; median run: {steps}); "
        f"peak RSS {peak_kib[0] / 2**20:.2f} GiB (forked helper: {peak_kib[1] / 2**20:.2f} GiB, "
        f"mostly pages shared with the main process); {links:,} linked, {reviews:,} to review"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_linkage_latency")
    parser.add_argument("--children", type=int, default=CHILDREN)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-single", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    register, referrals = ensure_files(args.children, BATCH, SEED)
    print(f"(data ready in {time.perf_counter() - started:.0f} s: {register.name})")
    if not args.skip_batch:
        batch(register, referrals)
    if not args.skip_single:
        single_referral(register, referrals, SINGLE)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
