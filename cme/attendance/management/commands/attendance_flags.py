"""`manage.py attendance_flags --as-of YYYY-MM-DD --out FLAGS.csv`: the rules in force."""

from __future__ import annotations

import argparse
import csv
import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cme.attendance.rules import Rule
from cme.attendance.selectors import flags_as_of
from cme.lib.commands import iso_date

EXIT_REFUSED = 2
COLUMNS = ("upn", "laestab", "rule", "start_date", "end_date", "detail")


class Command(BaseCommand):
    help = f"""Write every attendance rule in force on a date, one row per pupil, school and rule.

The rules are evaluated on the stored marks dated on or before --as-of only (later marks are
ignored), over the school year that contains that date (a school year starts on 1 September).
Columns: {", ".join(COLUMNS)}.
  rule        one of {", ".join(rule.value for rule in Rule)}
  start_date  for a run rule, the first school day of the run; for persistent and severe
              absence, the pupil's first school day of the year at that school; for failed to
              start and post-placement attendance, the first school day on the roll or after
              the placement
  end_date    --as-of
  detail      the plain-words explanation shown to an officer

A day counts towards an unauthorised-absence run only if every counted session that day is
coded G, N, O or U; sessions not counted in possible sessions neither break nor extend a run;
days without marks and planned closures (#) are not school days. Sickness counts days with
code I, a half day as half. Persistent absence is 10% or more of possible sessions missed,
severe 50% or more (DfE), counted once a pupil has the minimum of possible sessions. The
thresholds are settings (CME_ATTENDANCE_THRESHOLDS); docs/attendance.md explains each rule.

Rows are sorted by upn, laestab and rule. Exit status 0 when the file was written; 2 with one
line on stderr when the arguments are wrong or the file cannot be written."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", required=True, type=iso_date, metavar="YYYY-MM-DD", help="The date."
        )
        parser.add_argument(
            "--out", required=True, metavar="FLAGS.csv", help="Where to write the flags."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: datetime.date = options["as_of"]
        out = Path(options["out"])
        order = {rule: position for position, rule in enumerate(Rule)}
        rows = sorted(
            flags_as_of(as_of=as_of), key=lambda row: (row.upn, row.laestab, order[row.flag.rule])
        )
        try:
            with out.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(COLUMNS)
                for row in rows:
                    writer.writerow(
                        (
                            row.upn,
                            row.laestab,
                            row.flag.rule.value,
                            row.flag.start_date.isoformat(),
                            row.flag.end_date.isoformat(),
                            row.flag.detail,
                        )
                    )
        except OSError as error:
            self.stderr.write(f"cannot write {out}: {error.strerror}. Check the folder exists.")
            sys.exit(EXIT_REFUSED)
        counts = dict.fromkeys(Rule, 0)
        for row in rows:
            counts[row.flag.rule] += 1
        summary = " ".join(f"{rule.value}={count}" for rule, count in counts.items())
        self.stdout.write(f"rows={len(rows)} {summary}")
