"""The weekly digest: each CME officer's open cases and overdue work, and each manager's
team's, emailed through GOV.UK Notify on Monday by `manage.py send_weekly_digest`.

The email holds counts and a link only: never a child's name or any detail of a case. It is
sent at most once per person per week (a retry is harmless), and sent or not it is audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cme.accounts.models import Role, User
from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.lib.notify import NotifyError, email_sender, template_id

from . import selectors
from .workflow import CaseStatus

TEMPLATE = "weekly_digest"


@dataclass(frozen=True)
class DigestCounts:
    scope: str
    open_cases: int
    overdue_cases: int
    overdue_enquiries: int
    rechecks_due: int
    unallocated_cases: int

    def personalisation(self, *, link: str) -> dict[str, str]:
        return {
            "scope": self.scope,
            "open_cases": str(self.open_cases),
            "overdue_cases": str(self.overdue_cases),
            "overdue_enquiries": str(self.overdue_enquiries),
            "rechecks_due": str(self.rechecks_due),
            "unallocated_cases": str(self.unallocated_cases),
            "link": link,
        }


def week_starting(day: datetime.date) -> datetime.date:
    """The Monday of the week `day` is in."""
    return day - datetime.timedelta(days=day.weekday())


def recipients() -> QuerySet[User]:
    """Everyone in the CME team with an email address."""
    return (
        User.objects.filter(is_active=True, role__in=[Role.CME_OFFICER, Role.CME_MANAGER])
        .exclude(email="")
        .order_by("pk")
    )


def digest_counts(*, user: Any, today: datetime.date) -> DigestCounts:
    """A manager's counts are the team's; an officer's are their own cases'."""
    team = user.has_perm("cases.view_workload")
    open_cases = selectors.case_list(user=user, allocation="" if team else "mine")
    overdue = selectors.overdue_cases_visible_to(user, today=today)
    enquiries = selectors.overdue_enquiries_visible_to(user, today=today)
    if not team:
        overdue = overdue.filter(allocated_to=user)
        enquiries = enquiries.filter(case__allocated_to=user)
    return DigestCounts(
        scope="your team's cases" if team else "your cases",
        open_cases=open_cases.count(),
        overdue_cases=overdue.count(),
        overdue_enquiries=enquiries.count(),
        rechecks_due=overdue.filter(status=CaseStatus.WHEREABOUTS_UNKNOWN).count(),
        unallocated_cases=(
            selectors.case_list(user=user, allocation="unallocated").count() if team else 0
        ),
    )


def _already_sent(user: User, week_of: datetime.date) -> bool:
    subject_type, subject_id = audit.subject_reference(user)
    return AuditEvent.objects.filter(
        kind=AuditEvent.Kind.WEEKLY_DIGEST_SENT,
        subject_type=subject_type,
        subject_id=subject_id,
        details__week_of=week_of.isoformat(),
    ).exists()


def send_weekly_digest(*, user: User, week_of: datetime.date) -> bool:
    """Email `user` their digest for the week starting `week_of`, unless already sent or they
    have nothing open (an officer with no cases); True when it was sent now."""
    template = template_id(TEMPLATE)
    if not template or not user.email or not user.has_perm("cases.view_case"):
        return False
    if _already_sent(user, week_of):
        return False
    counts = digest_counts(user=user, today=timezone.localdate())
    if not user.has_perm("cases.view_workload") and not (
        counts.open_cases or counts.overdue_enquiries
    ):
        return False
    link = settings.SERVICE_URL + reverse("home")
    try:
        notify_id = email_sender().send_email(
            to=user.email,
            template_id=template,
            personalisation=counts.personalisation(link=link),
            reference=f"digest-{week_of.isoformat()}-{user.pk}",
        )
    except NotifyError as error:
        audit.record_event(
            kind=AuditEvent.Kind.WEEKLY_DIGEST_FAILED,
            actor=None,
            subject=user,
            summary=f"Weekly digest for the week of {week_of:%d/%m/%Y} not sent: {error}",
            details={"week_of": week_of.isoformat()},
        )
        return False
    with transaction.atomic():
        audit.record_event(
            kind=AuditEvent.Kind.WEEKLY_DIGEST_SENT,
            actor=None,
            subject=user,
            summary=f"Weekly digest for the week of {week_of:%d/%m/%Y} emailed",
            details={"week_of": week_of.isoformat(), "notify_id": notify_id},
        )
    return True
