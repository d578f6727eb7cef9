"""`manage.py link LEFT.csv RIGHT.csv --out PAIRS.csv [--seed N] [--workers N]`: batch linkage.

A thin wrapper over `cme.linkage.files.link_files`, which owns the work; this command owns the
arguments, the messages and the exit status (docs/interfaces.md). It touches no database.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path
from textwrap import fill
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter

from cme.linkage.csvio import MAX_FILE_BYTES, OUTPUT_COLUMNS, InputFileError
from cme.linkage.files import LinkFilesResult, link_files
from cme.linkage.model import TrainingReport
from cme.linkage.records import COLUMNS, OPTIONAL_COLUMNS

EXIT_REFUSED = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
WORKER_CHOICES = (1, 2)

# What to do about each refusal from cme.linkage.csvio, found by a fragment of its message.
_WHAT_TO_DO = (
    ("not UTF-8", 'save it as "CSV UTF-8" (Excel: Save As, CSV UTF-8) and run again'),
    ("NUL bytes", 'it looks like a spreadsheet or UTF-16 text: save it as "CSV UTF-8"'),
    ("not a valid CSV", "check the quotes on that line and run again"),
    ("allowed", "leave out columns that are not read, or split LEFT into smaller files"),
    ("cannot read", "check the path and that the file can be read"),
    ("is empty", "give it a header line with an id column"),
    ("no 'id' column", "add an id column (a value unique to each record) to the header line"),
    ("appears twice", "give each column its own name (remove empty columns at the end)"),
    ("fields, the header has", "quote values that contain commas, or correct that record"),
    ("has no id", "give every record an id"),
    ("repeats the id", "give every record its own id"),
)

_KNOWN_COLUMNS = frozenset(COLUMNS) | frozenset(OPTIONAL_COLUMNS)
# A column name is quoted up to this many characters (a header cell may hold anything).
_NAME_SHOWN = 40


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        msg = f"{text!r} is not a whole number"
        raise argparse.ArgumentTypeError(msg) from None
    if value < 0:
        msg = f"{text} is negative"
        raise argparse.ArgumentTypeError(msg)
    return value


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's ordering of options, with the description's line breaks kept."""


class Command(BaseCommand):
    help = f"""Link each record of LEFT.csv (e.g. referrals) to its likely matches in RIGHT.csv
(e.g. the school register) and write the candidate pairs to PAIRS.csv. No database is used.

Input (both files): CSV in UTF-8 (a byte-order mark is allowed), header line first.
{fill("Columns: " + ", ".join(COLUMNS) + ".", width=92)}
Optional: {", ".join(OPTIONAL_COLUMNS)} (earlier postcodes). Only id is required: any other
column may be absent or blank. Header names are matched after trimming spaces, in any case;
other columns are ignored with a warning. Ids are opaque strings (spaces trimmed); every
record needs one, unique within its file. Several former surnames or previous postcodes are
separated by ";", "|" or "/". dob: YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or
YYYYMMDD. sex: M, F, male, female, boy, girl (any case); anything else counts as unknown.

Output: PAIRS.csv with the columns {", ".join(OUTPUT_COLUMNS)}.
  For each left record, in file order, its candidates above a low floor (at most 10), best
  first. decision is "link" for at most one candidate per left record, "review" for
  candidates an officer should look at, and empty for the rest; a left record never has both
  a link and review candidates. match_probability has six decimal places. A left record with
  no candidate has no row. The same input and seed give the same output, byte for byte.
  The file is written whole or not at all; an existing PAIRS.csv is replaced.

Bad values (a malformed date, a UPN or NHS number with a wrong check character) count as
missing and are reported on stderr, one a line, as
    FILE: line L, column NAME: reason
where L is the physical line on which the record starts (the header is line 1) and NAME the
column's name. A column the linkage does not read is reported once as
    FILE: line 1, column NAME: not a column the linkage reads, ignored

A file-level fault refuses the run and writes nothing (no PAIRS.csv, not even part of one):
a missing input file, not CSV (binary data, a spreadsheet, broken quoting), not UTF-8, no id
column, a record without an id or with a repeated id, a record with more or fewer fields than
the header, a file over {MAX_FILE_BYTES:,} bytes, an --out folder that does not exist, or an
--out that is one of the input files. Exit status 2, and one line on stderr starting
"refused: " that says what is wrong and what to do.

Exit status 0 when the files were linked. stdout has a line of timings and a line about
training, and its last line is the counts:
    left=N right=N link=N review=N
(records in LEFT, records in RIGHT, left records linked, left records with review
candidates). An error while writing (e.g. a full disk) exits 1 with one line on stderr;
Ctrl-C exits 130 with one line. Either way nothing is written."""

    # System checks are about the web service and would add lines to stderr (the contract
    # allows one for a refusal); this command reads and writes files only.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", metavar="LEFT.csv", help="The records to link (referrals).")
        parser.add_argument(
            "right", metavar="RIGHT.csv", help="The records to link them to (the register)."
        )
        parser.add_argument(
            "--out",
            metavar="PAIRS.csv",
            required=True,
            help="Where to write the pairs; its folder must exist.",
        )
        parser.add_argument(
            "--seed",
            metavar="N",
            type=_non_negative,
            default=0,
            help=(
                "Seed of the random sample of pairs that training uses (a whole number, "
                "0 or more; default 0). The same input and seed give the same output."
            ),
        )
        parser.add_argument(
            "--workers",
            metavar="N",
            type=int,
            choices=WORKER_CHOICES,
            default=1,
            help=(
                "1 (default) or 2: with 2, a forked second process compares half of the left "
                "records (from 2,000 left records, where the system can fork); the output "
                "is the same."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        left, right, out = Path(options["left"]), Path(options["right"]), Path(options["out"])
        self._check_paths(left, right, out)
        started = time.perf_counter()
        try:
            result = link_files(left, right, out, seed=options["seed"], workers=options["workers"])
        except InputFileError as error:
            self._refuse(str(error), hint=_what_to_do(str(error)))
        except KeyboardInterrupt:
            self._stop("interrupted: nothing was written", EXIT_INTERRUPTED)
        except OSError as error:
            self._stop(
                f"failed: {error.strerror or error} ({error.filename or out}); nothing was written",
                EXIT_FAILED,
            )
        total = time.perf_counter() - started
        for path in (left, right):
            for message in _unknown_columns(path):
                self.stderr.write(message)
        for warning in result.warnings:
            self.stderr.write(str(warning))
        self.stdout.write(_timings_line(result, total))
        self.stdout.write(_training_line(result.run.training))
        self.stdout.write(
            f"left={result.left_records} right={result.right_records} "
            f"link={result.links} review={result.reviews}"
        )

    def _check_paths(self, left: Path, right: Path, out: Path) -> None:
        for role, path in (("LEFT", left), ("RIGHT", right)):
            if not path.exists():
                self._refuse(f"{role} file {path} does not exist", hint="check the path")
            if path.is_dir():
                self._refuse(f"{role} {path} is a folder", hint="give the path of a CSV file")
        folder = out.parent
        if not folder.is_dir():
            self._refuse(
                f"the folder of --out {out} does not exist",
                hint="create it first or choose another place for the output",
            )
        if out.is_dir():
            self._refuse(f"--out {out} is a folder", hint="give a file name, e.g. pairs.csv")
        if not os.access(folder, os.W_OK):
            self._refuse(
                f"cannot write in the folder of --out {out}", hint="choose a folder you can write"
            )
        for role, path in (("LEFT", left), ("RIGHT", right)):
            if out.exists() and out.samefile(path):
                self._refuse(
                    f"--out {out} is the {role} file and would be overwritten",
                    hint="write the pairs to another file",
                )

    def _refuse(self, message: str, *, hint: str) -> NoReturn:
        self._stop(f"refused: {message}; {hint}", EXIT_REFUSED)

    def _stop(self, line: str, status: int) -> NoReturn:
        """One line on stderr, then exit with `status` (nothing has been written)."""
        self.stderr.write(" ".join(line.split()))
        sys.exit(status)


def _what_to_do(message: str) -> str:
    for fragment, hint in _WHAT_TO_DO:
        if fragment in message:
            return hint
    return "correct the file and run again"


def _unknown_columns(path: Path) -> list[str]:
    """A warning for each header column the linkage does not read (the file is known good)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            header = next(csv.reader(stream), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    names = (" ".join(name.split())[:_NAME_SHOWN] for name in header)
    return [
        f"{path.name}: line 1, column {name}: not a column the linkage reads, ignored"
        for name in names
        if name and name.lower() not in _KNOWN_COLUMNS
    ]


def _timings_line(result: LinkFilesResult, total: float) -> str:
    parts = ", ".join(
        f"{step.replace('_', ' ')} {seconds:.1f} s" for step, seconds in result.seconds.items()
    )
    return f"time: {parts}; total {total:.1f} s"


def _training_line(report: TrainingReport | None) -> str:
    if report is None:
        return "training: none (a model was given)"
    if report.candidate_pairs == 0:
        return "training: no candidate pairs, so the default model was used"
    converged = "converged" if report.converged else "not converged"
    return (
        f"training: candidate pairs {report.candidate_pairs:,} "
        f"({report.labelled_pairs:,} sharing a UPN or NHS number), "
        f"random pairs {report.random_pairs:,}, iterations {report.iterations} ({converged}), "
        f"matches expected {report.expected_matches:,.0f}"
    )
