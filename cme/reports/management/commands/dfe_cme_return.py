"""`manage.py dfe_cme_return --as-of YYYY-MM-DD --out FILE.csv`: the DfE's termly children
missing education counts, as the register stood on a date."""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.lib.commands import iso_date
from cme.reports.selectors import dfe_return_as_at

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = """Write the DfE's children missing education counts as at a date, as CSV.

The register is read as it stood at the end of --as-of (the census date): each case's status
from its audit trail, rolls from enrolments and placements, applications for school places
from their dates. Counted: children of compulsory school age on no school roll and not in
suitable education otherwise, including those applying for a place (even in the first 15
days), offered a place but not started, in home education assessed as unsuitable, or whose
whereabouts are unknown. Not counted: pupils on a roll however absent, children in suitable
alternative provision, home education not yet assessed, and referrals still being checked.

Columns: census_date, measure, breakdown, category, count.
  measure    cme_on_census_date, or cme_in_previous_academic_year (1 September to 31 August
             before the school year of the census date; category gives the period)
  breakdown  total, sex, year_group (National Curriculum year from the date of birth),
             length_missing, reason
Every category is listed, with 0 where there are none. Counts only: no child-identifiable
data. UTF-8, no byte-order mark; the file is written whole or not at all.

Exit status 0 when written (the last line of stdout gives the two totals); 2 with one line
on stderr starting "refused: " when --as-of is in the future or the file cannot be written."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", required=True, type=iso_date, metavar="YYYY-MM-DD", help="The census date."
        )
        parser.add_argument(
            "--out", required=True, metavar="FILE.csv", help="Where to write the counts."
        )

    def _refuse(self, message: str) -> None:
        self.stderr.write(f"refused: {message}")
        sys.exit(EXIT_REFUSED)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: datetime.date = options["as_of"]
        out = Path(options["out"])
        if as_of > timezone.localdate():
            self._refuse(f"--as-of {as_of.isoformat()} is in the future: give today or earlier.")
        if out.is_dir():
            self._refuse(f"{out} is a folder: give a file name, like return.csv.")
        if not out.parent.is_dir():
            self._refuse(f"the folder {out.parent} does not exist: create it first.")
        result = dfe_return_as_at(as_of)
        temporary: Path | None = None
        try:
            handle, name = tempfile.mkstemp(dir=out.parent, suffix=".csv.tmp")
            temporary = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                csv.writer(stream, lineterminator="\n").writerows(result.csv_rows())
            temporary.replace(out)
        except OSError as error:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            self._refuse(f"cannot write {out}: {error.strerror}.")
        audit.record_access(
            actor=None,
            action=AccessEvent.Action.EXPORT,
            purpose=f"DfE CME return as at {as_of.isoformat()} (counts only), dfe_cme_return",
            result_count=result.on_census_date,
        )
        self.stdout.write(
            f"cme_on_census_date={result.on_census_date} "
            f"cme_in_previous_academic_year={result.previous_year}"
        )
