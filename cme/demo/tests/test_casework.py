"""The demo has casework in every state, written through the services."""

from __future__ import annotations

import datetime

import pytest

from cme.attendance.models import TriggerFollowUp
from cme.audit.models import AuditEvent
from cme.cases.models import Case
from cme.cases.workflow import CaseStatus
from cme.demo.services import load_demo_data
from cme.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_demo_has_cases_in_every_state_and_referrals_waiting_and_triaged() -> None:
    load_demo_data(seed=7, pupils=400, today=datetime.date(2026, 11, 28))
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Case.objects.filter(allocated_to__isnull=True).exists() is True
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == {Referral.Status.RECEIVED, Referral.Status.TRIAGED}
    opened = AuditEvent.objects.filter(kind=AuditEvent.Kind.CASE_OPENED).count()
    assert opened == Case.objects.count()
    # The oldest open attendance worklist items already followed up; the rest await one.
    follow_ups = TriggerFollowUp.objects.select_related("trigger", "recorded_by")
    assert follow_ups.count() == 3
    assert {f.recorded_by.role for f in follow_ups if f.recorded_by} == {"cme_officer"}
    assert all(f.trigger.status == "open" for f in follow_ups)
