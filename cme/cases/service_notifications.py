"""Telling the council services that own a fact on a case: the Virtual School, the Youth
Offending Team and the SEND team (`owning_services` says which fact concerns which).

A notification is made once per case and service, when the case opens or moves, or when the
daily check (`manage.py notify_owning_services`) finds that a fact has become true since, and
it is emailed to the team by a background task through GOV.UK Notify. The email carries the
case reference and a link, never the child's details; sent or not, the outcome is audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.lib.notify import NotifyError, email_sender, template_id
from cme.pupils.models import Child, SenStatus, VulnerabilityFlag

from . import tasks
from .categories import CaseCategory
from .models import Case, ServiceNotification
from .owning_services import OwnedFacts, OwningService, services_to_tell
from .workflow import CaseStatus

TEMPLATE = "service_notification"
RETRIED = (
    ServiceNotification.Status.PENDING,
    ServiceNotification.Status.FAILED,
    ServiceNotification.Status.NO_ADDRESS,
)


def owned_facts(case: Case) -> OwnedFacts:
    child: Child = case.child
    flags = set(child.vulnerability_flags or [])
    return OwnedFacts(
        looked_after=child.looked_after or VulnerabilityFlag.LOOKED_AFTER_OR_FOSTERED in flags,
        youth_justice=VulnerabilityFlag.YOUTH_JUSTICE in flags,
        returning_from_custody=VulnerabilityFlag.RETURNING_FROM_CUSTODY in flags,
        ehc_plan=child.sen_status == SenStatus.EHC_PLAN
        or case.category == CaseCategory.AWAITING_EHCP_PLACEMENT,
    )


def record_due_notifications(*, case: Case, actor: object = None) -> list[ServiceNotification]:
    """Make the notifications the case's facts call for and that it does not have yet, and
    send each by a task once the transaction commits. Returns the ones made now."""
    if case.status == CaseStatus.CLOSED:
        return []
    due = services_to_tell(owned_facts(case))
    if not due:
        return []
    made: list[ServiceNotification] = []
    with transaction.atomic():
        existing = set(
            ServiceNotification.objects.filter(case=case).values_list("service", flat=True)
        )
        for service, reason in due.items():
            if service.value in existing:
                continue
            notification = ServiceNotification.objects.create(
                case=case, service=service, reason=reason
            )
            audit.record_event(
                kind=AuditEvent.Kind.SERVICE_NOTIFICATION_DUE,
                actor=actor,
                subject=notification,
                child_id=case.child_id,
                summary=f"{service.label} to be told about case {case.reference}: {reason}",
                details={"service": service.value},
            )
            made.append(notification)
        for notification in made:
            transaction.on_commit(_sender_for(notification.pk))
    return made


def _sender_for(notification_id: int) -> Callable[[], None]:
    def send() -> None:
        tasks.send_service_notification.enqueue(notification_id)

    return send


def check_open_cases(*, cases: Iterable[Case] | None = None) -> int:
    """The daily check: every open case's facts, for notifications not yet made (a child's
    record changed by an import or a merge since the case opened). Returns how many were made."""
    if cases is None:
        cases = Case.objects.exclude(status=CaseStatus.CLOSED).select_related("child")
    return sum(len(record_due_notifications(case=case)) for case in cases)


def retry_unsent() -> int:
    """Send again the notifications on open cases that are not yet sent (leaving alone those
    made in the last hour, whose own task may still be waiting to run)."""
    recent = timezone.now() - datetime.timedelta(hours=1)
    unsent = list(
        ServiceNotification.objects.filter(status__in=RETRIED)
        .exclude(case__status=CaseStatus.CLOSED)
        .exclude(status=ServiceNotification.Status.PENDING, created_at__gt=recent)
        .values_list("pk", flat=True)
    )
    for pk in unsent:
        tasks.send_service_notification.enqueue(pk)
    return len(unsent)


def case_link(case: Case) -> str:
    return settings.SERVICE_URL + reverse("cases:case_detail", args=[case.pk])


def send_notification(*, notification: ServiceNotification) -> bool:
    """Email the owning team, unless already sent; True when it was sent now. Safe to retry."""
    current = ServiceNotification.objects.select_related("case").get(pk=notification.pk)
    if current.status == ServiceNotification.Status.SENT:
        return False
    case = current.case
    service = OwningService(current.service)
    address = str(settings.SERVICE_NOTIFICATION_EMAILS.get(service.value, "")).strip()
    template = template_id(TEMPLATE)
    if not address or not template:
        _not_sent(
            current,
            status=ServiceNotification.Status.NO_ADDRESS,
            why="no email address or GOV.UK Notify template is set for the team",
        )
        return False
    try:
        notify_id = email_sender().send_email(
            to=address,
            template_id=template,
            personalisation={
                "service": service.label,
                "case_reference": case.reference,
                "link": case_link(case),
                "cme_team_email": settings.CME_TEAM_EMAIL,
            },
            reference=f"{case.reference}-{service.value}",
        )
    except NotifyError as error:
        _not_sent(current, status=ServiceNotification.Status.FAILED, why=str(error))
        return False
    with transaction.atomic():
        current.status = ServiceNotification.Status.SENT
        current.sent_at = timezone.now()
        current.sent_to = address
        current.notify_id = notify_id
        current.save(update_fields=["status", "sent_at", "sent_to", "notify_id"])
        audit.record_event(
            kind=AuditEvent.Kind.SERVICE_NOTIFIED,
            actor=None,
            subject=current,
            child_id=case.child_id,
            summary=f"{service.label} emailed about case {case.reference}",
            details={"notify_id": notify_id},
        )
    return True


def _not_sent(
    notification: ServiceNotification, *, status: ServiceNotification.Status, why: str
) -> None:
    if notification.status == status == ServiceNotification.Status.NO_ADDRESS:
        return  # already recorded; a daily retry without an address says nothing new
    with transaction.atomic():
        notification.status = status
        notification.save(update_fields=["status"])
        audit.record_event(
            kind=AuditEvent.Kind.SERVICE_NOTIFICATION_FAILED,
            actor=None,
            subject=notification,
            child_id=notification.case.child_id,
            summary=f"{notification.get_service_display()} not emailed: {why}",
            details={"status": status.value},
        )
