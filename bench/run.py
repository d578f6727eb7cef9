"""`make bench`: run every bench/bench_*.py and print its figures.

Each module has `main(argv) -> None` that prints its figures, with medians over repeated runs.
Pass a name to run one: `.venv/bin/python bench/run.py standards`.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))


def main(argv: list[str]) -> int:
    wanted = set(argv)
    for path in sorted(ROOT.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"== {name}")
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{path.stem}")
        module.main([])
        print(f"   ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
