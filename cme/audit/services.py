"""Writing to the audit trails. Every write service calls `record_event` in its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import connection, models
from django.utils import timezone

from cme.lib.postgres_copy import copy_lines, copy_value

from .models import AccessEvent, AuditEvent

SYSTEM_LABEL = "system"


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SYSTEM_LABEL
    return str(actor.get_username())


def _actor_or_none(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def subject_type(model: type[models.Model] | models.Model) -> str:
    """How a kind of record is named in the audit trail: `app_label.model`."""
    meta = model._meta
    return f"{meta.app_label}.{meta.model_name}"


def subject_reference(subject: models.Model | tuple[str, str]) -> tuple[str, str]:
    """Name a record as `app_label.model` and its primary key, without a foreign key (a
    reference already made, `(subject_type(...), str(pk))`, is returned as it is)."""
    if isinstance(subject, tuple):
        return subject
    return subject_type(subject), str(subject.pk)


def json_safe(value: Any) -> Any:
    """Turn dates, decimals and model instances into text so the change can be stored as JSON."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [before, after]}."""
    return {
        name: [json_safe(before.get(name)), json_safe(after.get(name))]
        for name in after
        if json_safe(before.get(name)) != json_safe(after.get(name))
    }


def record_event(
    *,
    kind: AuditEvent.Kind,
    actor: Any,
    subject: models.Model,
    summary: str,
    child_id: int | None = None,
    changes: Mapping[str, list[Any]] | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record one change. Call inside the transaction that makes the change."""
    subject_type, subject_id = subject_reference(subject)
    return AuditEvent.objects.create(
        actor=_actor_or_none(actor),
        actor_label=_actor_label(actor),
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        child_id=child_id,
        summary=summary[:300],
        changes=dict(changes or {}),
        details={key: json_safe(value) for key, value in (details or {}).items()},
    )


@dataclass(frozen=True, slots=True)
class Event:
    """One change for `record_events`: the arguments `record_event` takes, but the actor."""

    kind: AuditEvent.Kind
    subject: models.Model | tuple[str, str]  # a record, or its `subject_reference`
    summary: str
    child_id: int | None = None
    changes: Mapping[str, list[Any]] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)


def record_events(*, actor: Any, events: Iterable[Event]) -> int:
    """Record many changes by one actor, each exactly as `record_event` would, in one insert:
    for imports that change thousands of records in one transaction. Returns how many."""
    label, who = _actor_label(actor), _actor_or_none(actor)
    rows = []
    for event in events:
        subject_type, subject_id = subject_reference(event.subject)
        rows.append(
            (
                who.pk if who is not None else None,
                label,
                event.kind,
                subject_type,
                subject_id,
                event.child_id,
                event.summary[:300],
                dict(event.changes),
                {
                    key: value if type(value) in _JSON_AS_IS else json_safe(value)
                    for key, value in event.details.items()
                },
            )
        )
    if connection.vendor == "postgresql" and len(rows) > _COPY_FROM:
        # The same for every event (the time, the actor), and often no changes: formatted once.
        actor_id = who.pk if who is not None else None
        start = "\t".join(map(copy_value, (timezone.now(), actor_id, label)))
        copy_lines(
            AuditEvent._meta.db_table,
            _EVENT_COLUMNS,
            [
                "\t".join(
                    (
                        start,
                        *map(copy_value, row[2:7]),
                        copy_value(row[7]) if row[7] else "{}",
                        copy_value(row[8]),
                    )
                )
                + "\n"
                for row in rows
            ],
        )
    else:
        AuditEvent.objects.bulk_create(
            [AuditEvent(**dict(zip(_EVENT_COLUMNS[1:], row, strict=True))) for row in rows],
            batch_size=1000,
        )
    return len(rows)


# Values json_safe returns as they are (its other cases call it).
_JSON_AS_IS: Final = frozenset({str, int, float, bool, type(None)})
# From this many events, COPY (PostgreSQL) is much faster than an insert.
_COPY_FROM = 200
_EVENT_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "kind",
    "subject_type",
    "subject_id",
    "child_id",
    "summary",
    "changes",
    "details",
)


def record_access(
    *,
    actor: Any,
    action: AccessEvent.Action,
    purpose: str,
    subject: models.Model | None = None,
    child_id: int | None = None,
    query: str = "",
    result_count: int | None = None,
) -> AccessEvent:
    """Record one read of sensitive data in the append-only access log."""
    subject_type, subject_id = subject_reference(subject) if subject is not None else ("", "")
    return AccessEvent.objects.create(
        actor=_actor_or_none(actor),
        actor_label=_actor_label(actor),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        child_id=child_id,
        purpose=purpose[:300],
        query=query[:500],
        result_count=result_count,
    )
