"""`manage.py s2s_inbox [--force] [--enqueue]`: one pass of the S2S inbox.

Scheduled by cron or a systemd timer (docs/configuration.md); the pass itself is
`cme.transfers.importers.scan_s2s_inbox`.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cme.pupils.management.import_command import EXIT_REFUSED
from cme.transfers import tasks
from cme.transfers.importers import InboxNotConfigured, scan_s2s_inbox


class Command(BaseCommand):
    help = """Import the new Common Transfer Files in the S2S inbox folder (CME_S2S_INBOX_DIR).

Each .xml file in the folder (not its subfolders; hidden files and files changed in the last
minute are left for the next pass) is imported as by import_ctf, once: a file whose content
was imported or refused before, under any name, is skipped, so passes may overlap or be
interrupted and run again. Files are left in the folder. Lost-pupil CTFs from other
authorities go on the transfer worklist.

A pass is made only when the last completed one began at least CME_S2S_INBOX_EVERY_HOURS
(default 24) ago, so the command can be run hourly by a timer and still pass daily;
--force passes now. Exit status 0, or 2 if no inbox folder is configured or readable. The
last line of stdout is
  found=N imported=N already_seen=N refused=N failed=N
"""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Pass now, whenever the last was.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the pass for the background worker instead of making it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        force: bool = options["force"]
        if options["enqueue"]:
            result = tasks.scan_s2s_inbox.enqueue(force=force)
            self.stdout.write(f"queued: task {result.id}")
            return
        try:
            found = scan_s2s_inbox(force=force)
        except InboxNotConfigured as problem:
            self.stderr.write(str(problem))
            sys.exit(EXIT_REFUSED)
        run = found.run
        if run is None:
            self.stdout.write("not due: the last pass was too recent (use --force to pass now)")
            return
        for report in found.reports:
            name = report.file.name if report.file is not None else "?"
            self.stdout.write(f"{name}: {report.counts_line()}")
        for line in found.refused:
            self.stderr.write(" ".join(f"refused: {line}".split()))
        for name in found.failed:
            self.stderr.write(f"failed: {name}: will be tried again on the next pass")
        for name in found.waiting:
            self.stderr.write(f"waiting: {name} changed in the last minute; left for the next pass")
        self.stdout.write(
            f"found={run.files_found} imported={run.files_imported} "
            f"already_seen={run.files_already_seen} refused={run.files_refused} "
            f"failed={run.files_failed}"
        )
