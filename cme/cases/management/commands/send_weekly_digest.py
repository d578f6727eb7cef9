"""`manage.py send_weekly_digest`: queue each CME officer's and manager's weekly digest email.

Run it on Monday morning from cron or a systemd timer. Each digest is sent by a background
task through GOV.UK Notify, at most once per person per week, so running it twice is harmless.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cme.cases import digest, tasks


class Command(BaseCommand):
    help = "Queue the weekly digest email for everyone in the CME team."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--week-of",
            help="Any date in the week to send for, as 2026-11-30 (default: this week)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = timezone.localdate()
        if options["week_of"]:
            try:
                day = datetime.date.fromisoformat(options["week_of"])
            except ValueError as error:
                raise CommandError("--week-of must be a date like 2026-11-30") from error
        week_of = digest.week_starting(day)
        queued = 0
        for user_id in digest.recipients().values_list("pk", flat=True):
            tasks.send_weekly_digest.enqueue(user_id, week_of.isoformat())
            queued += 1
        self.stdout.write(f"week_of={week_of.isoformat()} queued={queued}")
