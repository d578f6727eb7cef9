"""Background work on cases, run by the django-tasks worker (`manage.py db_worker`).

Each task takes ids and plain values, loads what it needs and calls the module that owns the
rule; each is safe to run twice.
"""

from __future__ import annotations

import datetime

from django_tasks import task

from cme.accounts.models import User

from . import digest, service_notifications
from .models import ServiceNotification


@task()
def send_service_notification(notification_id: int) -> bool:
    """Email an owning service that the case concerns it (once; the case reference only)."""
    notification = ServiceNotification.objects.filter(pk=notification_id).first()
    return notification is not None and service_notifications.send_notification(
        notification=notification
    )


@task()
def notify_owning_services() -> int:
    """The daily check: notifications for facts that became true on open cases since they
    opened, and another try at the ones not yet sent."""
    made = service_notifications.check_open_cases()
    service_notifications.retry_unsent()
    return made


@task()
def send_weekly_digest(user_id: int, week_of: str) -> bool:
    """Email one member of the CME team their weekly digest (once a week; counts only)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return digest.send_weekly_digest(user=user, week_of=datetime.date.fromisoformat(week_of))
