"""`manage.py import_pupils FILE.csv [--full-roll --as-of YYYY-MM-DD]`: load a pupil roll.

Lives in the matching app because a pupil without a known UPN is recognised by the
identity-matching engine, which sits above the pupil register.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from textwrap import fill
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from cme.matching.services import recognise_pupil
from cme.pupils.importers import PUPIL_COLUMNS, PUPIL_OPTIONAL_COLUMNS, import_pupils_file
from cme.pupils.management.import_command import ImportCommand

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class Command(ImportCommand):
    help = f"""Import pupils on school rolls: each row is a child and an enrolment.

{fill("Required columns: " + ", ".join(PUPIL_COLUMNS) + ".", width=92)}
Optional columns: {", ".join(PUPIL_OPTIONAL_COLUMNS)}.
Several former surnames are separated by ";". Dates are YYYY-MM-DD.

Values:
  upn         a UPN with a wrong check letter or format counts as missing, with a message
              in the DfE census wording, e.g. "UPN invalid (wrong check letter at character 1)".
  dob         unparseable, impossible or future: counts as missing, with a message.
  sex         M, F or U (any case); anything else is recorded as U, with a message.
  nhs_number  an invalid NHS number counts as missing, with a message.
  laestab     must be the 7-digit LAESTAB of a school already imported (import_schools);
              otherwise the row is rejected. Where schools share a LAESTAB, the open one wins,
              then the newest URN.
  start_date  required: the row is rejected without a valid one.
  end_date    a bad date, or one before start_date, counts as missing.
  A row with neither forename nor surname is rejected. A value too long to store counts as
  missing.

Recognising the child:
  A valid UPN decides (also when it is a child's former UPN, and when it is the UPN of a
  record since merged into another: then it is that other record). With a valid UPN the
  register does not know, exactly one child with the same forename, surname and date of
  birth (case and accents ignored) and no UPN of their own is that child; several such
  children, or a near miss (same surname and date of birth but another forename; same names
  with day and month of birth swapped) count as review; otherwise a new child is added.
  A row without a valid UPN is put to the identity-matching engine (nicknames, spelling
  variants, swapped names and dates, old postcodes): a strong, clear match is that child; a
  doubtful one counts as review and waits under Matches for an officer, whose decision holds
  when the file is imported again; no likely match adds a new child. (A row about a child
  added earlier in the same file is recognised by the same name and date of birth.)
  A review row writes nothing; its message is "line L: sent to review: <why>", and the row
  is kept with the import run. A row with neither a valid UPN nor a date of birth also goes
  to review.

Writing:
  Only non-blank values change a child: a blank never erases what is stored, U never replaces
  a known sex, and former surnames are added to the stored ones. The address (address as the
  first line, with postcode) is recorded when it differs from the current one. The enrolment
  is keyed by child, school and start_date; a blank end_date never reopens an ended one.
  A row counts as created when the child was added, updated when anything was written for an
  existing child, unchanged otherwise.

--full-roll --as-of YYYY-MM-DD:
  The file is the whole roll, on that date, of every school it names. An enrolment at such a
  school that is current on that date, for a child none of that school's rows names, is ended
  on that date (a removal, counted as updated and audited; roll-removal monitoring picks it
  up). A school with a rejected or reviewed row is left alone, and if a rejected row has no
  known school no removals are made at all, since the missing row may be the pupil who would
  be removed. Each is reported as a warning: fix the rows and import the file again."""

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--full-roll",
            action="store_true",
            help="The file is the complete roll of each school in it (needs --as-of).",
        )
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date the full roll describes; not in the future.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        full_roll: bool = options["full_roll"]
        as_of = self._as_of(options["as_of"], full_roll=full_roll)
        self.run_import(
            lambda progress: import_pupils_file(
                path=path,
                full_roll=full_roll,
                as_of=as_of,
                progress=progress,
                recogniser=recognise_pupil,
            ),
            file_name=path.name,
        )

    def _as_of(self, text: str | None, *, full_roll: bool) -> datetime.date | None:
        if not full_roll:
            if text is not None:
                self.refuse("--as-of only applies with --full-roll.")
            return None
        if text is None:
            self.refuse("--full-roll needs --as-of YYYY-MM-DD: the date the roll describes.")
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(text)
            as_of = datetime.date.fromisoformat(text)
        except ValueError:
            self.refuse(f"--as-of {text!r} is not a date in the form YYYY-MM-DD.")
        if as_of > timezone.localdate():
            self.refuse(f"--as-of {text} is in the future: a full roll describes a past day.")
        return as_of
