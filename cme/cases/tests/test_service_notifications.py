"""Owning services told about a case: once per case and service, by Notify, with no child
details in the email."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.cases import service_notifications, services, tasks
from cme.cases.categories import CaseCategory
from cme.cases.models import ServiceNotification
from cme.cases.owning_services import OwnedFacts, OwningService, services_to_tell
from cme.cases.workflow import CaseStatus, ClosureReason
from cme.lib.notify import NotifyError, RecordingSender
from cme.pupils import services as pupil_services
from cme.pupils.models import SenStatus, VulnerabilityFlag
from cme.pupils.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

Commits = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

TEAMS = {
    "virtual_school": "virtual.school@example.org",
    "youth_offending_team": "yot@example.org",
    "send_team": "send@example.org",
}


@pytest.fixture(autouse=True)
def _teams(settings: Settings) -> Iterator[None]:
    settings.SERVICE_NOTIFICATION_EMAILS = dict(TEAMS)
    settings.SERVICE_URL = "https://cme.example.gov.uk"
    RecordingSender.outbox.clear()
    yield
    RecordingSender.outbox.clear()


@given(st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_each_fact_tells_exactly_the_service_that_owns_it(
    looked_after: bool, youth_justice: bool, custody: bool, ehc_plan: bool
) -> None:
    told = services_to_tell(OwnedFacts(looked_after, youth_justice, custody, ehc_plan))
    assert (OwningService.VIRTUAL_SCHOOL in told) is looked_after
    assert (OwningService.YOUTH_OFFENDING_TEAM in told) is (youth_justice or custody)
    assert (OwningService.SEND_TEAM in told) is ehc_plan
    assert all(told.values())


def test_opening_a_case_for_a_looked_after_child_emails_the_virtual_school_once(
    cme_officer: User, django_capture_on_commit_callbacks: Commits
) -> None:
    child = ChildFactory.create(looked_after=True, forename="Amara", surname="Okafor")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.open_case(
            actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING
        )
    [notification] = ServiceNotification.objects.filter(case=case)
    assert notification.service == OwningService.VIRTUAL_SCHOOL
    assert notification.status == ServiceNotification.Status.SENT
    [email] = RecordingSender.outbox
    assert email.to == TEAMS["virtual_school"]
    assert email.personalisation["case_reference"] == case.reference
    assert email.personalisation["link"] == f"https://cme.example.gov.uk/cases/{case.pk}/"
    everything_sent = " ".join([*email.personalisation.values(), email.reference])
    assert "Amara" not in everything_sent
    assert "Okafor" not in everything_sent
    assert child.upn not in everything_sent
    kinds = list(AuditEvent.objects.filter(child_id=child.pk).values_list("kind", flat=True))
    assert AuditEvent.Kind.SERVICE_NOTIFICATION_DUE in kinds
    assert AuditEvent.Kind.SERVICE_NOTIFIED in kinds
    # Moving the case, or the daily check, does not tell them again.
    with django_capture_on_commit_callbacks(execute=True):
        services.move_case(actor=cme_officer, case=case, to=CaseStatus.CHECKING)
        service_notifications.check_open_cases()
        tasks.notify_owning_services.enqueue()
    assert len(RecordingSender.outbox) == 1
    assert ServiceNotification.objects.filter(case=case).count() == 1


def test_every_fact_tells_its_own_service(
    cme_officer: User, django_capture_on_commit_callbacks: Commits
) -> None:
    child = ChildFactory.create(
        sen_status=SenStatus.EHC_PLAN,
        vulnerability_flags=[VulnerabilityFlag.YOUTH_JUSTICE, VulnerabilityFlag.NEW_TO_COUNTRY],
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.open_case(
            actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING
        )
    told = set(ServiceNotification.objects.filter(case=case).values_list("service", flat=True))
    assert told == {OwningService.SEND_TEAM, OwningService.YOUTH_OFFENDING_TEAM}
    assert {email.to for email in RecordingSender.outbox} == {
        TEAMS["send_team"],
        TEAMS["youth_offending_team"],
    }


def test_a_case_with_no_such_fact_tells_nobody(cme_officer: User) -> None:
    case = services.open_case(
        actor=cme_officer, child=ChildFactory.create(), category=CaseCategory.IDENTIFIED_MISSING
    )
    assert ServiceNotification.objects.filter(case=case).exists() is False


def test_a_fact_that_becomes_true_later_is_found_by_the_daily_check(
    cme_officer: User, django_capture_on_commit_callbacks: Commits
) -> None:
    child = ChildFactory.create()
    case = services.open_case(
        actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING
    )
    pupil_services.update_child(actor=cme_officer, child=child, looked_after=True)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_owning_services.enqueue()
    assert case.service_notifications.get().service == OwningService.VIRTUAL_SCHOOL
    assert len(RecordingSender.outbox) == 1


def test_a_closed_case_tells_nobody(cme_officer: User, cme_manager: User) -> None:
    child = ChildFactory.create()
    case = services.open_case(
        actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING
    )
    services.close_case(actor=cme_manager, case=case, reason=ClosureReason.ON_ROLL_AND_ATTENDING)
    pupil_services.update_child(actor=cme_officer, child=child, looked_after=True)
    assert service_notifications.check_open_cases() == 0


def test_without_a_team_address_the_notification_is_kept_and_says_why(
    cme_officer: User, settings: Settings, django_capture_on_commit_callbacks: Commits
) -> None:
    settings.SERVICE_NOTIFICATION_EMAILS = {**TEAMS, "virtual_school": ""}
    with django_capture_on_commit_callbacks(execute=True):
        case = services.open_case(
            actor=cme_officer,
            child=ChildFactory.create(looked_after=True),
            category=CaseCategory.IDENTIFIED_MISSING,
        )
    notification = case.service_notifications.get()
    assert notification.status == ServiceNotification.Status.NO_ADDRESS
    assert RecordingSender.outbox == []
    # Once the address is set, the daily check sends it.
    settings.SERVICE_NOTIFICATION_EMAILS = dict(TEAMS)
    assert service_notifications.retry_unsent() == 1
    notification.refresh_from_db()
    assert notification.status == ServiceNotification.Status.SENT


def test_a_notify_failure_is_recorded_and_retried(
    cme_officer: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Commits,
) -> None:
    def refuse(self: RecordingSender, **kwargs: Any) -> str:
        raise NotifyError("GOV.UK Notify refused the email (400)")

    monkeypatch.setattr(RecordingSender, "send_email", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.open_case(
            actor=cme_officer,
            child=ChildFactory.create(looked_after=True),
            category=CaseCategory.IDENTIFIED_MISSING,
        )
    notification = case.service_notifications.get()
    assert notification.status == ServiceNotification.Status.FAILED
    failed = AuditEvent.objects.get(kind=AuditEvent.Kind.SERVICE_NOTIFICATION_FAILED)
    assert "refused" in failed.summary
    monkeypatch.undo()
    assert service_notifications.send_notification(notification=notification) is True
    assert service_notifications.send_notification(notification=notification) is False
    assert len(RecordingSender.outbox) == 1


def test_the_ehc_plan_category_tells_the_send_team(cme_officer: User) -> None:
    case = services.open_case(
        actor=cme_officer,
        child=ChildFactory.create(),
        category=CaseCategory.AWAITING_EHCP_PLACEMENT,
    )
    assert case.service_notifications.get().service == OwningService.SEND_TEAM


FACT_CHANGES = st.lists(
    st.sampled_from(["looked_after", "youth_justice", "ehc_plan", "none", "check"]), max_size=8
)


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=FACT_CHANGES)
def test_each_service_is_told_at_most_once_and_exactly_when_its_fact_was_ever_true(
    changes: list[str],
) -> None:
    child = ChildFactory.create()
    case = services.open_case(actor=None, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    ever: set[OwningService] = set()
    for change in changes:
        if change == "check":
            service_notifications.check_open_cases(cases=[case])
            continue
        pupil_services.update_child(
            actor=None,
            child=child,
            looked_after=change == "looked_after",
            vulnerability_flags=[VulnerabilityFlag.YOUTH_JUSTICE]
            if change == "youth_justice"
            else [],
            sen_status=SenStatus.EHC_PLAN if change == "ehc_plan" else SenStatus.NONE,
        )
        case.child.refresh_from_db()
        service_notifications.check_open_cases(cases=[case])
        ever |= set(services_to_tell(service_notifications.owned_facts(case)))
    told = list(case.service_notifications.values_list("service", flat=True))
    assert len(told) == len(set(told))
    assert set(told) == ever


def test_the_daily_command_queues_the_check(cme_officer: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    child = ChildFactory.create()
    case = services.open_case(
        actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING
    )
    pupil_services.update_child(actor=cme_officer, child=child, sen_status=SenStatus.EHC_PLAN)
    out = StringIO()
    call_command("notify_owning_services", stdout=out)
    assert out.getvalue().startswith("queued=")
    assert case.service_notifications.get().service == OwningService.SEND_TEAM
