"""Reading the audit trails: a child's change history and access log."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AccessEvent, AuditEvent


def change_history_for_child(*, child_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(child_id=child_id).order_by("-occurred_at", "-id")


def access_log_for_child(*, child_id: int) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(child_id=child_id).order_by("-occurred_at", "-id")
