"""Retraining: a command that prints the figures before and after, and keeps the model."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cme.audit.models import AuditEvent
from cme.matching import services
from cme.matching.models import IdentityMatch, MatchModelVersion
from cme.pupils.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _notifications() -> None:
    children = [ChildFactory.create() for _ in range(40)]
    for number, child in enumerate(children[:25]):
        services.match_notification(
            source=IdentityMatch.Source.PARTNER,
            reference=f"P{number}",
            details={
                "forename": child.forename,
                "surname": child.surname,
                "dob": child.date_of_birth.isoformat() if child.date_of_birth else "",
                "upn": child.upn if number % 2 else "",
            },
        )


def test_retraining_prints_before_and_after_and_keeps_the_model() -> None:
    _notifications()
    out = io.StringIO()
    call_command("retrain_matching", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "Before:" in text
    assert "After:" in text
    assert "notifications=25" in text
    assert "->" in text  # weight changes
    version = MatchModelVersion.objects.get()
    assert "After:" in version.report
    assert services.active_model()[1] == version.pk
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MATCH_MODEL_TRAINED).count() == 1


def test_a_dry_run_keeps_the_current_model() -> None:
    _notifications()
    out = io.StringIO()
    call_command("retrain_matching", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert not MatchModelVersion.objects.exists()


def test_retraining_an_empty_service_still_answers() -> None:
    out = io.StringIO()
    call_command("retrain_matching", "--dry-run", stdout=out)
    assert "notifications=0" in out.getvalue()
