"""Background work on attendance, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def close_ended_attendance_years(as_of: str | None = None) -> dict[str, int]:
    """Close the worklist items still open from school years over by `as_of` (ISO date;
    default today). Idempotent. Returns how many were closed."""
    today = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return {"closed": services.close_triggers_of_ended_years(today=today, actor=None)}
