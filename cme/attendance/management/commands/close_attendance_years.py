"""`manage.py close_attendance_years [--as-of YYYY-MM-DD] [--enqueue]`: close the attendance
worklist items of school years that are over.

The rules read one school year at a time, so a run of absence cannot carry into the next
year: an item still open when its year ends (31 August) is closed as "the school year ended".
An import closes them for the pupil-years it changes; this closes the rest. Run it daily by
cron or a systemd timer (docs/configuration.md); the work itself is
`cme.attendance.services.close_triggers_of_ended_years`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cme.attendance import services, tasks
from cme.lib.commands import add_scheduled_run_arguments


class Command(BaseCommand):
    help = """Close the attendance worklist items still open from school years that ended
before --as-of (default today), each audited. Running it again closes nothing more. The last
line of stdout is
  closed=N
"""

    def add_arguments(self, parser: CommandParser) -> None:
        add_scheduled_run_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: datetime.date = options["as_of"] or timezone.localdate()
        if options["enqueue"]:
            queued = tasks.close_ended_attendance_years.enqueue(as_of=as_of.isoformat())
            self.stdout.write(f"queued: task {queued.id}")
            return
        closed = services.close_triggers_of_ended_years(today=as_of, actor=None)
        self.stdout.write(f"closed={closed}")
