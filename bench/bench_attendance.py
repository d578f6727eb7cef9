"""Attendance monitoring at an authority's scale, on PostgreSQL (issue 7's figures).

The demo authority (cme.demo, seed 2026: ~25,000 pupils in 86 schools) is generated into a
fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/cme_bench, dropped and created again), and its registers
for the school year 2025/26 by cme.attendance.demo: the year's first 190 school days (about
9.5 million marks, 360 MB of CSV) and the 191st as a daily increment. Then, each in a fresh
process so that memory is the import's own and nothing is warm but the OS file cache:

- the whole year taken by `import_attendance_file` (import_attendance's own code) from the
  CSV to marks and worklist items committed, every rule evaluated for every pupil-year;
- the daily increment imported into it and every pupil-year re-evaluated;
- the same whole-year file read by DuckDB: read_csv with explicit column types, then per
  pupil count(*) FILTER (attendance codes) over count(*) FILTER (possible-session codes),
  grouped by upn, laestab; and the ratio of the import's time to it;

each the median of RUNS runs (the database emptied of marks and worklist before each year
import). Also: the stored year's size in PostgreSQL, indexes included
(pg_total_relation_size), and each import process's peak RSS. Needs PostgreSQL; run with
`make bench` or `.venv/bin/python bench/run.py attendance`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cme_bench"
SEED = 2026
PUPILS = 25_000
SCHOOL_YEAR = 2025
YEAR_DAYS = 190  # 380 sessions: the whole-year file
RUNS = 3
TARGET_YEAR_SECONDS = 10.0
TARGET_DAY_SECONDS = 1.0
TARGET_RATIO = 4.0
TARGET_MEGABYTES = 200


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Steps, each run in its own process -------------------------------------------------------


def _prepare(url: str, folder: Path) -> dict[str, Any]:
    """Create the database, the demo register and the two CSV files."""
    import datetime

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cme.attendance import demo
    from cme.demo.generator import generate_demo_authority

    started = time.perf_counter()
    authority = generate_demo_authority(
        seed=SEED, pupils=PUPILS, today=datetime.date(SCHOOL_YEAR + 1, 7, 24), la_code="800"
    )
    registered = time.perf_counter() - started
    started = time.perf_counter()
    pupils = demo.pupils_on_roll(SCHOOL_YEAR)
    registers = demo.demo_registers(
        school_year=SCHOOL_YEAR, seed=SEED, pupils=pupils, school_days=YEAR_DAYS + 1
    )
    days = registers.calendar.register_days
    last = days.index(registers.calendar.days[-1])
    year_rows = demo.write_registers(registers, folder / "year.csv", last_day=last)
    day_rows = demo.write_registers(
        registers, folder / "day.csv", first_day=last, last_day=last + 1
    )
    return {
        "pupils": authority.pupils,
        "schools": authority.schools,
        "enrolments_in_year": len(pupils),
        "register_seconds": registered,
        "csv_seconds": time.perf_counter() - started,
        "year_rows": year_rows,
        "year_bytes": (folder / "year.csv").stat().st_size,
        "day_rows": day_rows,
        "first_day": days[0].isoformat(),
        "last_day": days[last - 1].isoformat(),
        "increment_day": days[last].isoformat(),
    }


def _reset() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            # CASCADE: and the rows that refer to them (the worklist items' follow-ups).
            "TRUNCATE attendance_attendanceyear, attendance_attendancetrigger "
            "RESTART IDENTITY CASCADE"
        )
        cursor.execute("VACUUM ANALYZE")
    return {}


def _import(path: Path) -> dict[str, Any]:
    import datetime

    from cme.attendance.importers import import_attendance_file

    before = _peak_mib()
    started = time.perf_counter()
    report = import_attendance_file(path=path, today=datetime.date(SCHOOL_YEAR + 1, 8, 31))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "counts": report.counts_line(),
        "warnings": report.warnings,
        "messages": len(report.messages),
        "peak_mib": _peak_mib(),
        "peak_before_mib": before,
    }


def _sizes() -> dict[str, Any]:
    from django.db import connection

    from cme.attendance.models import AttendanceTrigger, AttendanceYear

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE attendance_attendanceyear")
        cursor.execute(
            "SELECT pg_total_relation_size('attendance_attendanceyear'), "
            "pg_total_relation_size('attendance_attendancetrigger')"
        )
        years, triggers = cursor.fetchone()
    return {
        "years_bytes": years,
        "triggers_bytes": triggers,
        "year_rows": AttendanceYear.objects.count(),
        "open_triggers": AttendanceTrigger.objects.filter(status="open").count(),
        "triggers": AttendanceTrigger.objects.count(),
    }


def _duckdb(path: Path) -> dict[str, Any]:
    import duckdb

    from cme.standards.attendance_codes import CodeSet, codes_in_set

    codes = codes_in_set(CodeSet.SET_2024)

    def listed(flag: str) -> str:
        return ", ".join(
            "'" + entry.code.replace("'", "''") + "'" for entry in codes if getattr(entry, flag)
        )

    query = f"""
        SELECT upn, laestab,
               count(*) FILTER (WHERE code IN ({listed("counts_as_attendance")}))
               / count(*) FILTER (WHERE code IN ({listed("counts_in_possible_sessions")}))
        FROM read_csv('{path}', header = true, columns = {{
            'upn': 'VARCHAR', 'laestab': 'VARCHAR', 'date': 'DATE', 'session': 'VARCHAR',
            'code': 'VARCHAR'}})
        GROUP BY upn, laestab
    """  # noqa: S608 - the codes come from the standards table
    started = time.perf_counter()
    rows = duckdb.connect().execute(query).fetchall()
    return {"seconds": time.perf_counter() - started, "pupils": len(rows)}


def _step(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_attendance step")
    parser.add_argument("step", choices=["prepare", "reset", "import", "sizes", "duckdb"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--file", type=Path)
    args = parser.parse_args(argv)
    if args.step == "duckdb":
        sys.path.insert(0, str(ROOT))
        result = _duckdb(args.file)
    else:
        _setup_django(args.url)
        if args.step == "prepare":
            result = _prepare(args.url, args.file)
        elif args.step == "reset":
            result = _reset()
        elif args.step == "import":
            result = _import(args.file)
        else:
            result = _sizes()
    print(json.dumps(result))


def _run(step: str, url: str, file: Path | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", step, "--url", url]
    if file is not None:
        command += ["--file", str(file)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603 - our own script
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        msg = f"bench step {step} failed"
        raise RuntimeError(msg)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_attendance")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    try:
        _recreate_database(url)
    except Exception as error:
        print(f"attendance: skipped, no PostgreSQL at {url} ({error.__class__.__name__})")
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        prepared = _run("prepare", url, folder)
        year, day = folder / "year.csv", folder / "day.csv"
        print(
            f"Demo authority: {prepared['pupils']:,} pupils, {prepared['schools']} schools "
            f"({prepared['register_seconds']:.0f} s); registers for {SCHOOL_YEAR}/"
            f"{(SCHOOL_YEAR + 1) % 100} written in {prepared['csv_seconds']:.0f} s"
        )
        print(
            f"Whole year: {prepared['year_rows']:,} marks, {prepared['year_bytes'] / 1e6:,.0f} MB "
            f"of CSV ({prepared['first_day']} to {prepared['last_day']}); daily increment: "
            f"{prepared['day_rows']:,} marks ({prepared['increment_day']})"
        )
        years, days, ducks = [], [], []
        for _ in range(args.runs):
            _run("reset", url)
            years.append(_run("import", url, year))
            sizes = _run("sizes", url)  # the year as imported
            days.append(_run("import", url, day))
            ducks.append(_run("duckdb", url, year))
        after_day = _run("sizes", url)

    year_seconds = statistics.median(run["seconds"] for run in years)
    day_seconds = statistics.median(run["seconds"] for run in days)
    duck_seconds = statistics.median(run["seconds"] for run in ducks)
    ratio = statistics.median(
        run["seconds"] / duck["seconds"] for run, duck in zip(years, ducks, strict=True)
    )
    megabytes = sizes["years_bytes"] / 1024 / 1024
    runs = f"median of {args.runs}"
    print(f"Year import: {years[0]['counts']}; {'; '.join(years[0]['warnings'])}")
    print(
        f"Whole year imported, every rule evaluated, committed: {year_seconds:.2f} s ({runs}; "
        f"target <= {TARGET_YEAR_SECONDS:.0f} s: {_verdict(year_seconds <= TARGET_YEAR_SECONDS)})"
    )
    print(
        f"Daily increment imported and re-evaluated: {day_seconds:.2f} s ({runs}; "
        f"target <= {TARGET_DAY_SECONDS:.0f} s: {_verdict(day_seconds <= TARGET_DAY_SECONDS)}); "
        f"{days[0]['counts']}"
    )
    print(
        f"DuckDB read_csv + per-pupil attendance over the same file: {duck_seconds:.2f} s; "
        f"import / DuckDB = {ratio:.2f} ({runs} of the per-run ratio; target <= "
        f"{TARGET_RATIO:.0f}: {_verdict(ratio <= TARGET_RATIO)})"
    )
    print(
        f"Stored year: {sizes['year_rows']:,} pupil-year rows, {megabytes:.1f} MiB with indexes "
        f"(target < {TARGET_MEGABYTES} MB: {_verdict(megabytes < TARGET_MEGABYTES)}); "
        f"{after_day['years_bytes'] / 1024 / 1024:.1f} MiB after the daily increment (the "
        f"rows' old versions not yet reused); worklist {after_day['triggers']:,} items "
        f"({after_day['open_triggers']:,} open), "
        f"{after_day['triggers_bytes'] / 1024 / 1024:.1f} MiB"
    )
    print(
        f"Peak RSS of the import process: whole year {max(run['peak_mib'] for run in years):,.0f} "
        f"MiB (after start-up {years[0]['peak_before_mib']:,.0f} MiB); daily increment "
        f"{max(run['peak_mib'] for run in days):,.0f} MiB"
    )


if __name__ == "__main__":
    if "--step" in sys.argv:
        position = sys.argv.index("--step")
        _step([sys.argv[position + 1], *sys.argv[1:position], *sys.argv[position + 2 :]])
    else:
        main(sys.argv[1:])
