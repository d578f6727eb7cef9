"""Background work on school transfers, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from . import importers


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
