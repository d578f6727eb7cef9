"""Roll-removal monitoring (issue 6, items 5 and 6): apply the rules in `removals` to the
enrolments ended recently and put what needs looking at on the roll worklist. Idempotent: one
`RollWorkItem` per enrolment and reason, however often it runs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.pupils.models import Enrolment

from . import removals
from .models import RollWorkItem


@dataclass
class MonitorResult:
    scanned: int = 0
    created: dict[str, int] = field(default_factory=dict)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    def counts_line(self) -> str:
        parts = [f"scanned={self.scanned}"]
        parts += [
            f"{reason.value}={self.created.get(reason.value, 0)}" for reason in removals.Reason
        ]
        return " ".join(parts)


def _now_on_another_roll(enrolment: Enrolment, others: list[Enrolment]) -> bool:
    """Another enrolment of the child that is current or ended after this one did."""
    assert enrolment.end_date is not None
    return any(
        other.pk != enrolment.pk and (other.end_date is None or other.end_date > enrolment.end_date)
        for other in others
    )


def _detail(enrolment: Enrolment, reason: removals.Reason) -> str:
    assert enrolment.end_date is not None
    left = f"Left {enrolment.school.name} on {enrolment.end_date:%d/%m/%Y}"
    if reason is removals.Reason.GROUND_NEEDS_JOINT_ENQUIRIES:
        return f"{left} under ground ({enrolment.deletion_ground})"
    if reason is removals.Reason.MISSED_TRANSITION:
        if enrolment.destination_school is not None:
            return f"{left} for {enrolment.destination_school.name}; not on any roll"
        return f"{left} at the end of Year 6; not on any roll"
    return f"{left} with no known destination"


def reasons_for(
    enrolment: Enrolment, others: list[Enrolment], *, today: datetime.date, grace: int
) -> list[removals.Reason]:
    """Why this ended enrolment needs a worklist item, on `today`."""
    assert enrolment.end_date is not None
    on_roll = _now_on_another_roll(enrolment, others)
    reasons = removals.removal_reasons(
        removals.Removal(
            end_date=enrolment.end_date,
            deletion_ground=enrolment.deletion_ground,
            destination=enrolment.destination,
            has_destination_school=enrolment.destination_school_id is not None,
            now_on_another_roll=on_roll,
        )
    )
    if removals.missed_transition(
        left_on=enrolment.end_date,
        named_destination=enrolment.destination_school_id is not None,
        end_of_phase=removals.is_summer_end_of_phase(
            enrolment.child.date_of_birth, enrolment.end_date
        ),
        now_on_a_roll=on_roll,
        today=today,
        grace_school_days=grace,
    ):
        reasons.append(removals.Reason.MISSED_TRANSITION)
    return reasons


def monitor_rolls(*, today: datetime.date, actor: object = None) -> MonitorResult:
    """Scan the enrolments ended in the last `ROLL_MONITOR_LOOKBACK_DAYS` days (on or before
    `today`) and open a worklist item for each new enrolment and reason."""
    grace = int(settings.TRANSITION_GRACE_SCHOOL_DAYS)
    since = today - datetime.timedelta(days=int(settings.ROLL_MONITOR_LOOKBACK_DAYS))
    ended = list(
        Enrolment.objects.filter(
            end_date__isnull=False,
            end_date__gte=since,
            end_date__lte=today,
            child__merged_into__isnull=True,
        )
        .select_related("child", "school", "destination_school")
        .order_by("pk")
    )
    child_ids = {enrolment.child_id for enrolment in ended}
    by_child: dict[int, list[Enrolment]] = {}
    for other in Enrolment.objects.filter(child_id__in=child_ids, start_date__lte=today):
        by_child.setdefault(other.child_id, []).append(other)
    existing = set(
        RollWorkItem.objects.filter(enrolment__in=ended).values_list("enrolment_id", "reason")
    )
    result = MonitorResult(scanned=len(ended))
    for enrolment in ended:
        others = by_child.get(enrolment.child_id, [])
        for reason in reasons_for(enrolment, others, today=today, grace=grace):
            if (enrolment.pk, reason.value) in existing:
                continue
            try:
                with transaction.atomic():
                    item = RollWorkItem.objects.create(
                        enrolment=enrolment,
                        child_id=enrolment.child_id,
                        school_id=enrolment.school_id,
                        reason=reason.value,
                        detail=_detail(enrolment, reason),
                    )
                    audit.record_event(
                        kind=AuditEvent.Kind.ROLL_ITEM_CREATED,
                        actor=actor,
                        subject=item,
                        child_id=enrolment.child_id,
                        summary=f"Roll worklist item: {item.get_reason_display()}",
                        details={"reason": reason.value, "enrolment": enrolment.pk},
                    )
            except IntegrityError:  # a concurrent run made it first
                continue
            result.created[reason.value] = result.created.get(reason.value, 0) + 1
    return result


class RollItemError(Exception):
    """A worklist change that cannot be made; the message is for the officer."""


def mark_roll_item_done(*, actor: object, item: RollWorkItem) -> None:
    """Mark a roll worklist item done by `actor`."""

    with transaction.atomic():
        locked = RollWorkItem.objects.select_for_update().get(pk=item.pk)
        if locked.status == RollWorkItem.Status.DONE:
            raise RollItemError("This item is already done.")
        locked.status = RollWorkItem.Status.DONE
        locked.done_at = timezone.now()
        locked.done_by = actor  # type: ignore[assignment]
        locked.save(update_fields=["status", "done_at", "done_by"])
        audit.record_event(
            kind=AuditEvent.Kind.ROLL_ITEM_UPDATED,
            actor=actor,
            subject=locked,
            child_id=locked.child_id,
            summary="Roll worklist item done",
            changes={"status": ["open", "done"]},
        )
    item.status, item.done_at, item.done_by = locked.status, locked.done_at, locked.done_by
