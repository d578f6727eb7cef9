"""Background work on school transfers, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from . import importers, monitoring


@task()
def scan_s2s_inbox(force: bool = False) -> dict[str, int]:
    """One pass of the S2S inbox (idempotent: a file already imported is never imported
    again). Returns the pass's counts; `due` 0 when the last pass is too recent."""
    result = importers.scan_s2s_inbox(force=force)
    run = result.run
    if run is None:
        return {"due": 0}
    return {
        "due": 1,
        "found": run.files_found,
        "imported": run.files_imported,
        "already_seen": run.files_already_seen,
        "refused": run.files_refused,
        "failed": run.files_failed,
    }


@task()
def monitor_rolls(as_of: str | None = None) -> dict[str, int]:
    """Roll-removal monitoring on `as_of` (ISO date; default today): idempotent, one worklist
    item per enrolment and reason. Returns how many were scanned and created per reason."""
    today = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    result = monitoring.monitor_rolls(today=today)
    return {"scanned": result.scanned, **result.created}
