"""`manage.py import_ctf FILE.xml [FILE.xml ...]`: import Common Transfer Files.

Thin: the arguments, the messages and the exit status (docs/interfaces.md). The work is
`cme.transfers.importers.import_ctf_path`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Final

from django.core.management.base import CommandParser, OutputWrapper
from tqdm import tqdm

from cme.pupils.importers import ImportRefused
from cme.pupils.management.import_command import EXIT_INTERRUPTED, EXIT_REFUSED, ImportCommand
from cme.transfers.importers import CtfReport, import_ctf_path

# Without a terminal, a plain progress line every this many pupils.
PLAIN_PROGRESS_EVERY: Final = 500

CTF_HELP = """
Each file:
  Is one Common Transfer File (XML; root element CTfile, or ATfile). CTF versions 15.0 and
  later are read: the current and the previous version quietly, older ones with a warning
  ("warning: CTF version ... is not an expected version"). Sex or Gender is read.

  A fault in the file as a whole refuses it and imports nothing from it: not XML, malformed or
  cut short, not in the encoding it declares, a DOCTYPE, XML entities or external references
  (hostile XML), not a CTF, no Header or CTFversion, a version before 15, or larger than the
  CME_CTF_MAX_BYTES setting (default 20 MB). One line on stderr says what is wrong and what to
  do; the file itself is kept (under Transfers > Received files) with the reason.

  A bad value never refuses the file: it counts as missing, or the pupil is rejected (neither
  Forename nor Surname). Each is reported on stderr as
    line L, /CTfile/CTFpupilData/Pupil[N]/Element: reason
  where L is the line the element starts on and the path is the element's XPath. Messages
  never quote a child's name, date of birth or identifiers. Unknown elements are kept.

  Files are imported one after another, each in one transaction: an error or Ctrl-C leaves
  the database as it was before that file. Importing the same file again changes nothing.

What each pupil does (counted once):
  A CTF addressed to a school or to an authority (its DestSchool) goes into the register.
  A valid UPN recognises the child (also a former UPN, or a merged record's); without one,
  the same forename, surname and date of birth; where those rules would add a new child, the
  identity-matching engine is asked: a clear match is that child, a doubtful one is "review"
  (nothing written; decide under Matches, then import the file again: the decision holds),
  none adds a new child ("created"). For a known child, "updated" when anything was written,
  else "unchanged". Written: names, date of birth, sex, ethnicity, UPN and former UPN (blanks
  only), looked after (set, never cleared), SEN status and history, the address (when it
  differs from the current one), contacts not yet on the record, enrolments at schools in the
  register (from SchoolHistory), and the attendance session totals of each year and school.
  Schools outside the register (other authorities') are normal: their history stays with the
  CTF. Nothing is ever derived from AttendanceMarks (encoding not verified).

  A lost-pupil CTF (DestSchool XXX/XXXX or MMM/MMMM) goes to the Lost Pupil Database store,
  never into the register: each pupil is "created" when first stored, "unchanged" after; is
  matched against the register ("review" when doubtful) and put on the transfer worklist
  when matched or when another authority sent it ("updated" when that happens on a later
  import).

Output:
  Exit status 0 when every file was processed, 2 when any was refused (the others are still
  imported), 130 when interrupted. The last line of stdout is the counts over all the files:
    created=N updated=N unchanged=N review=N rejected=N
  With several files, a line "FILE: created=..." for each comes before it. Warnings about a
  file as a whole are "warning: ..." on stderr. Progress goes to stderr: a bar on a terminal,
  otherwise a line every 500 pupils. The database is the one DATABASE_URL names.
"""


class _Progress:
    """A tqdm bar when stderr is a terminal, plain lines every 500 pupils otherwise."""

    def __init__(self, stderr: OutputWrapper, *, name: str) -> None:
        self._stderr = stderr
        self._name = name
        self._bar: tqdm[Any] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._stderr.isatty():
            if self._bar is None:
                self._bar = tqdm(total=total, unit=" pupils", desc=self._name, file=sys.stderr)
            self._bar.update(done - self._bar.n)
        elif done % PLAIN_PROGRESS_EVERY == 0:
            self._stderr.write(f"{self._name}: {done:,} of {total:,} pupils imported")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class Command(ImportCommand):
    help = "Import Common Transfer Files (CTF XML) into the register and the Lost Pupil Database."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs["epilog"] = CTF_HELP
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE.xml", help="CTF files to import.")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(name) for name in options["files"]]
        totals = CtfReport()
        imported = refused = 0
        for path in paths:
            progress = _Progress(self.stderr, name=path.name)
            try:
                report = import_ctf_path(path=path, progress=progress)
            except ImportRefused as refusal:
                progress.close()
                self.stderr.write(" ".join(f"refused: {refusal.message}".split()))
                refused += 1
                continue
            except KeyboardInterrupt:
                progress.close()
                self.stderr.write(f"interrupted: nothing from {path.name} was written")
                sys.exit(EXIT_INTERRUPTED)
            progress.close()
            imported += 1
            for message in report.messages:
                self.stderr.write(message)
            for warning in report.warnings:
                self.stderr.write(f"warning: {path.name}: {warning}")
            for name in ("created", "updated", "unchanged", "review", "rejected"):
                setattr(totals, name, getattr(totals, name) + getattr(report, name))
            if len(paths) > 1:
                self.stdout.write(f"{path.name}: {report.counts_line()}")
        if imported:
            self.stdout.write(totals.counts_line())
        if refused:
            sys.exit(EXIT_REFUSED)
