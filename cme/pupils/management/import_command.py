"""What every import command shares: running an importer over one file, showing progress, and
reporting by the importer contract (docs/interfaces.md): exit status 2 and one line on stderr
for a refused file, row messages on stderr, and the counts as the last line of stdout."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from django.core.management.base import (
    BaseCommand,
    CommandParser,
    DjangoHelpFormatter,
    OutputWrapper,
)
from tqdm import tqdm

from cme.pupils.importers import ImportRefused, ImportReport, Progress

# Without a terminal (cron, CI, a pipe), a plain line every this many rows.
PLAIN_PROGRESS_EVERY = 5_000

EXIT_REFUSED = 2
EXIT_INTERRUPTED = 130

COMMON_HELP = """
Every importer:
  The file is CSV in UTF-8 (a byte-order mark is allowed). Column names in the first line
  are matched exactly (case-sensitive) after trimming spaces; unknown columns are ignored with
  a message. Dates are YYYY-MM-DD. Rows whose every value is blank are skipped.

  A fault in the file as a whole refuses it and writes nothing: not a CSV (binary data, an
  Excel workbook, broken quoting), a required column missing, not UTF-8, larger than the
  CME_IMPORT_MAX_BYTES setting, or empty. Exit status 2, one line on stderr saying what is
  wrong and what to do.

  A bad value never refuses the file: the value counts as missing where the row is still
  usable, otherwise the row is rejected. Each is reported on stderr as
    line L, column C: reason
  where L is the physical line of the file on which the row starts (the header is line 1;
  a quoted value spanning lines counts every line) and C the 1-based position of the
  value's column in the header. Messages about a whole row have no column. Messages never
  quote a child's name, date of birth or identifiers.

  The file is one transaction: an error or Ctrl-C leaves the database as it was. Importing
  the same file again changes nothing (every row counts as unchanged); each run is still
  recorded, with the file's SHA-256 and who ran it, in the audit trail.

  Exit status 0 when the file was processed. The last line of stdout is
    created=N updated=N unchanged=N review=N rejected=N
  Progress goes to stderr: a bar on a terminal, otherwise a line every 5,000 rows.
  The database is the one DATABASE_URL names (by default the embedded SQLite database).
"""


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's ordering of options, with the description's line breaks kept."""


class _Unstyled:
    """Lets tqdm write partial lines to a command's stderr (OutputWrapper adds newlines)."""

    def __init__(self, out: OutputWrapper) -> None:
        self._out = out

    def write(self, text: str) -> int:
        self._out.write(text, style_func=lambda same: same, ending="")
        return len(text)

    def flush(self) -> None:
        self._out.flush()


class _ProgressDisplay:
    """A tqdm bar when stderr is a terminal, plain lines every 5,000 rows otherwise."""

    def __init__(self, stderr: OutputWrapper, *, file_name: str) -> None:
        self._stderr = stderr
        self._file_name = file_name
        self._bar: tqdm[Any] | None = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self._stderr.isatty():
            if self._bar is None:
                self._bar = tqdm(
                    total=total, unit=" rows", desc=self._file_name, file=_Unstyled(self._stderr)
                )
            self._bar.update(done - self._bar.n)
            return
        if done // PLAIN_PROGRESS_EVERY > self._shown // PLAIN_PROGRESS_EVERY:
            self._stderr.write(f"{self._file_name}: {done:,} of {total:,} rows read")
        self._shown = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class ImportCommand(BaseCommand):
    """Base for the import commands: parse the file argument, run, report."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("epilog", COMMON_HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv", help="The CSV file to import.")

    def refuse(self, message: str) -> NoReturn:
        """One line on stderr and exit status 2, as for a refused file."""
        self.stderr.write(" ".join(message.split()))
        sys.exit(EXIT_REFUSED)

    def run_import(self, run: Callable[[Progress], ImportReport], *, file_name: str) -> None:
        display = _ProgressDisplay(self.stderr, file_name=file_name)
        try:
            report = run(display)
        except ImportRefused as refused:
            display.close()
            self.refuse(f"refused: {refused.message}")
        except KeyboardInterrupt:
            display.close()
            self.stderr.write("interrupted: nothing from the file was written")
            sys.exit(EXIT_INTERRUPTED)
        display.close()
        for message in report.messages:
            self.stderr.write(str(message))
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(report.counts_line())
