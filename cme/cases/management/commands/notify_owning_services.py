"""`manage.py notify_owning_services`: the daily check that tells the Virtual School, the
Youth Offending Team and the SEND team about open cases whose facts concern them.

A fact can become true after a case opens (a pupil import or a merge changes the child's
record), so run this daily from cron or a systemd timer. It queues one background task, which
makes each missing notification once and tries again those not yet sent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cme.cases import tasks


class Command(BaseCommand):
    help = "Tell the services that own facts on open cases (once per case and service)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = tasks.notify_owning_services.enqueue()
        self.stdout.write(f"queued={result.id}")
