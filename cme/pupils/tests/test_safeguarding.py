"""Safeguarding escalation: a concern is flagged everywhere, the duty manager is told, and the
flag stays until the referral to children's social care is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.pupils import safeguarding
from cme.pupils.models import School
from cme.pupils.tests.factories import pupil_at

pytestmark = pytest.mark.django_db


def test_a_school_raises_a_concern_and_the_duty_manager_is_told_without_child_details(
    client: Client,
    school_user: User,
    cme_manager: User,
    school: School,
    django_capture_on_commit_callbacks: object,
) -> None:
    child = pupil_at(school, forename="Zoë", surname="O'Neill")
    client.force_login(school_user)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            f"/children/{child.pk}/welfare-concern/", {"concern": "Said she is scared to go home"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cme_manager.email]
    assert "O'Neill" not in mail.outbox[0].body
    assert "scared" not in mail.outbox[0].body
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.WELFARE_CONCERN_RAISED, child_id=child.pk
    ).exists()


def test_everyone_sees_the_flag_but_only_the_cme_team_reads_the_concern(
    client: Client, school_user: User, cme_officer: User, school: School
) -> None:
    child = pupil_at(school)
    safeguarding.raise_welfare_concern(
        actor=school_user, child=child, concern="Said she is scared to go home"
    )
    client.force_login(school_user)
    school_page = client.get(f"/children/{child.pk}/").content.decode()
    assert "not yet been referred to children\u2019s social care" in school_page
    assert "scared to go home" not in school_page
    client.force_login(cme_officer)
    officer_page = client.get(f"/children/{child.pk}/").content.decode()
    assert "scared to go home" in officer_page
    assert "Record the referral to children" in officer_page


def test_recording_the_referral_clears_the_flag(
    client: Client, cme_officer: User, school: School
) -> None:
    child = pupil_at(school)
    concern = safeguarding.raise_welfare_concern(actor=cme_officer, child=child, concern="Injury")
    client.force_login(cme_officer)
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(
        f"/children/{child.pk}/welfare-concern/{concern.pk}/referral/",
        {
            "referred_on": today,
            "referred_to": "Multi-agency safeguarding hub",
            "reference": "MASH-1234",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.is_awaiting_referral is False
    assert "not yet been referred" not in client.get(f"/children/{child.pk}/").content.decode()


def test_a_referral_dated_in_the_future_or_to_nobody_is_refused(
    cme_officer: User, school: School
) -> None:
    concern = safeguarding.raise_welfare_concern(
        actor=cme_officer, child=pupil_at(school), concern="Injury"
    )
    with pytest.raises(safeguarding.SafeguardingError, match="cannot be in the future"):
        safeguarding.record_safeguarding_referral(
            actor=cme_officer,
            concern=concern,
            referred_at=timezone.now() + datetime.timedelta(days=1),
            referred_to="MASH",
        )
    with pytest.raises(safeguarding.SafeguardingError, match="Enter who"):
        safeguarding.record_safeguarding_referral(
            actor=cme_officer, concern=concern, referred_at=timezone.now(), referred_to="  "
        )
    concern.refresh_from_db()
    assert concern.is_awaiting_referral is True


def test_an_empty_concern_is_refused_with_the_error_summary(
    client: Client, cme_officer: User, school: School
) -> None:
    child = pupil_at(school)
    client.force_login(cme_officer)
    page = client.post(
        f"/children/{child.pk}/welfare-concern/", {"concern": "   "}
    ).content.decode()
    assert "There is a problem" in page
    assert "Describe the concern" in page
