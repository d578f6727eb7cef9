"""`manage.py monitor_rolls [--as-of YYYY-MM-DD] [--enqueue]`: roll-removal monitoring.

Run weekly by cron or a systemd timer (docs/configuration.md); the work itself is
`cme.transfers.monitoring.monitor_rolls`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cme.lib.commands import add_scheduled_run_arguments
from cme.transfers import tasks
from cme.transfers.monitoring import monitor_rolls


class Command(BaseCommand):
    help = """Look at the enrolments ended in the last CME_ROLL_MONITOR_LOOKBACK_DAYS days (on or
before --as-of, default today) and put on the roll worklist (/transfers/rolls/) every pupil
removed from a roll with no known destination, deleted under regulation 9 ground (h) or (i),
or who left for a named school, or at the end of Year 6 in the summer, and is on no roll by the
start date plus CME_TRANSITION_GRACE_SCHOOL_DAYS weekdays. One item per enrolment and reason:
running it again adds nothing already there. The last line of stdout is
  scanned=N removed_no_destination=N ground_needs_joint_enquiries=N missed_transition=N
"""

    def add_arguments(self, parser: CommandParser) -> None:
        add_scheduled_run_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: datetime.date = options["as_of"] or timezone.localdate()
        if options["enqueue"]:
            queued = tasks.monitor_rolls.enqueue(as_of=as_of.isoformat())
            self.stdout.write(f"queued: task {queued.id}")
            return
        result = monitor_rolls(today=as_of)
        self.stdout.write(result.counts_line())
