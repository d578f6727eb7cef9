"""Deadlines on cases, overdue work on the home page, the managers' workload page, the
termly re-check of a case whose whereabouts are unknown, and the weekly digest."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from cme.accounts.models import Role, User
from cme.accounts.tests.factories import UserFactory
from cme.audit.models import AuditEvent
from cme.cases import digest, selectors, services
from cme.cases.categories import CaseCategory
from cme.cases.models import Case
from cme.cases.tests.factories import OpenCaseFactory
from cme.cases.workflow import CaseStatus, CaseTransitionError, ClosureReason
from cme.lib.notify import RecordingSender
from cme.pupils.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _outbox() -> Iterator[None]:
    RecordingSender.outbox.clear()
    yield
    RecordingSender.outbox.clear()


def _open(actor: User, allocated_to: User | None = None) -> Case:
    return services.open_case(
        actor=actor,
        child=ChildFactory.create(),
        category=CaseCategory.IDENTIFIED_MISSING,
        allocated_to=allocated_to,
    )


def _walk(case: Case, actor: User, *steps: CaseStatus) -> Case:
    for step in steps:
        case = services.move_case(actor=actor, case=case, to=step)
    return case


@time_machine.travel(MONDAY, tick=False)
def test_each_state_sets_its_deadline_and_closing_clears_it(
    cme_officer: User, cme_manager: User
) -> None:
    case = _open(cme_officer)
    assert case.due_on == datetime.date(2026, 12, 2)  # referred: 2 school days
    case = _walk(case, cme_officer, CaseStatus.CHECKING)
    assert case.due_on == datetime.date(2026, 12, 7)  # checking: 5 school days
    case = _walk(case, cme_officer, CaseStatus.LOCATING, CaseStatus.WHEREABOUTS_UNKNOWN)
    assert case.due_on == datetime.date(2027, 1, 4)  # the start of the spring term
    closed = services.close_case(
        actor=cme_manager,
        case=case,
        reason=ClosureReason.LEFT_ENGLAND,
        manager_approved=True,
    )
    assert closed.due_on is None


@time_machine.travel(MONDAY, tick=False)
def test_the_councils_deadlines_and_term_dates_are_used(
    cme_officer: User, settings: Settings
) -> None:
    settings.CASE_DUE_SCHOOL_DAYS = {"checking": 10}
    settings.TERM_START_DATES = [datetime.date(2027, 1, 6)]
    case = _walk(_open(cme_officer), cme_officer, CaseStatus.CHECKING)
    assert case.due_on == datetime.date(2026, 12, 14)
    case = _walk(case, cme_officer, CaseStatus.LOCATING, CaseStatus.WHEREABOUTS_UNKNOWN)
    assert case.due_on == datetime.date(2027, 1, 6)


def test_a_whereabouts_unknown_case_is_re_checked_every_term(cme_officer: User) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = _walk(
            _open(cme_officer),
            cme_officer,
            CaseStatus.CHECKING,
            CaseStatus.LOCATING,
            CaseStatus.WHEREABOUTS_UNKNOWN,
        )
    with time_machine.travel(datetime.datetime(2027, 1, 6, 10, tzinfo=datetime.UTC), tick=False):
        today = timezone.localdate()
        overdue = selectors.officer_overdue_work(user=cme_officer, today=today)
        assert overdue.cases == []  # not allocated to them
        overdue_ids = [
            row.case.pk
            for work in selectors.team_overdue_work(user=cme_officer, today=today)
            for row in work.cases
        ]
        assert case.pk in overdue_ids
        case = services.record_recheck(
            actor=cme_officer,
            case=case,
            note="Lost Pupil Database and Child Health checked again: nothing",
            expected_version=case.version,
        )
        assert case.due_on == datetime.date(2027, 4, 15)  # the start of the summer term
        assert case.status == CaseStatus.WHEREABOUTS_UNKNOWN
        assert not selectors.overdue_cases_visible_to(cme_officer, today=today).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CASE_RECHECKED)
    assert event.changes == {"due_on": ["2027-01-04", "2027-04-15"]}


def test_only_a_whereabouts_unknown_case_is_re_checked_and_a_stale_one_is_refused(
    cme_officer: User,
) -> None:
    case = _open(cme_officer)
    with pytest.raises(CaseTransitionError, match="re-checked every term"):
        services.record_recheck(actor=cme_officer, case=case, note="Checked")
    unknown = _walk(
        case, cme_officer, CaseStatus.CHECKING, CaseStatus.LOCATING, CaseStatus.WHEREABOUTS_UNKNOWN
    )
    with pytest.raises(services.StaleCaseError):
        services.record_recheck(
            actor=cme_officer, case=unknown, note="Checked", expected_version=unknown.version - 1
        )
    with pytest.raises(CaseTransitionError, match="Enter what you checked"):
        services.record_recheck(actor=cme_officer, case=unknown, note="  ")


def test_an_officer_sees_their_overdue_cases_and_enquiries_on_the_home_page(
    client: Client, cme_officer: User
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        mine = _walk(
            _open(cme_officer, allocated_to=cme_officer),
            cme_officer,
            CaseStatus.CHECKING,
            CaseStatus.LOCATING,  # starts the enquiries, due in 2 to 10 days
        )
        other = UserFactory.create(role=Role.CME_OFFICER)
        _open(cme_officer, allocated_to=other)
    with time_machine.travel(MONDAY + datetime.timedelta(days=40), tick=False):
        client.force_login(cme_officer)
        page = client.get("/").content.decode()
        today = timezone.localdate()
        work = selectors.officer_overdue_work(user=cme_officer, today=today)
    assert "Your overdue work" in page
    assert mine.reference in page
    assert [row.case.pk for row in work.cases] == [mine.pk]
    assert work.enquiries
    assert all(row.enquiry.case_id == mine.pk for row in work.enquiries)
    assert "Your cases past their deadline" in page
    assert "Your enquiries past their due date" in page


def test_a_manager_sees_the_teams_overdue_work_with_the_unallocated_first(
    client: Client, cme_officer: User, cme_manager: User
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        allocated = _open(cme_officer, allocated_to=cme_officer)
        nobodys = _open(cme_officer)
    with time_machine.travel(MONDAY + datetime.timedelta(days=10), tick=False):
        team = selectors.team_overdue_work(user=cme_manager, today=timezone.localdate())
        client.force_login(cme_manager)
        page = client.get("/").content.decode()
    assert team[0].officer is None
    assert [row.case.pk for row in team[0].cases] == [nobodys.pk]
    assert team[1].officer == cme_officer
    assert [row.case.pk for row in team[1].cases] == [allocated.pk]
    assert "Your team's overdue work" in page
    assert "Unallocated cases past their deadline" in page
    assert "/cases/workload/" in page


def test_nothing_overdue_says_so(client: Client, cme_officer: User) -> None:
    _open(cme_officer, allocated_to=cme_officer)
    client.force_login(cme_officer)
    assert "Nothing is overdue on the cases allocated to you." in client.get("/").content.decode()


def test_other_roles_see_no_casework_on_the_home_page(client: Client, school_user: User) -> None:
    client.force_login(school_user)
    page = client.get("/").content.decode()
    assert "overdue work" not in page


def test_the_workload_page_shows_each_officers_cases_by_state_and_the_unallocated_first(
    client: Client, cme_officer: User, cme_manager: User
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        _walk(_open(cme_officer, allocated_to=cme_officer), cme_officer, CaseStatus.CHECKING)
        _open(cme_officer, allocated_to=cme_officer)
        nobodys = _open(cme_officer)
    with time_machine.travel(MONDAY + datetime.timedelta(days=3), tick=False):
        load = selectors.workload(user=cme_manager, today=timezone.localdate())
        client.force_login(cme_manager)
        response = client.get("/cases/workload/")
    row = next(r for r in load.officers if r.officer == cme_officer)
    by_status = dict(zip(load.statuses, row.by_status, strict=True))
    assert by_status[CaseStatus.REFERRED] == 1
    assert by_status[CaseStatus.CHECKING] == 1
    assert row.open_cases == 2
    assert row.overdue_cases == 1  # the referred one: due in 2 school days
    assert [r.case.pk for r in load.unallocated] == [nobodys.pk]
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Unallocated") < page.index("Open cases by officer")
    assert f"/cases/{nobodys.pk}/#allocate" in page
    assert "<li>Referred: 1</li><li>Checking: 1</li>" in page
    assert row.in_states == [("Referred", 1), ("Checking", 1)]


def test_the_workload_page_makes_a_fixed_number_of_queries(
    client: Client,
    cme_officer: User,
    cme_manager: User,
    django_assert_max_num_queries: object,
) -> None:
    for _ in range(5):
        _open(cme_officer, allocated_to=cme_officer)
        _open(cme_officer)
    client.force_login(cme_manager)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get("/cases/workload/").status_code == 200


def test_only_managers_open_the_workload_page(client: Client, cme_officer: User) -> None:
    client.force_login(cme_officer)
    assert client.get("/cases/workload/").status_code == 403


def test_the_case_list_shows_time_since_referral_and_filters_the_overdue(
    client: Client, cme_officer: User
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        late = _open(cme_officer)
    with time_machine.travel(MONDAY + datetime.timedelta(days=9), tick=False):
        on_time = _open(cme_officer)
        client.force_login(cme_officer)
        page = client.get("/cases/").content.decode()
        overdue = client.get("/cases/", {"due": "overdue"}).content.decode()
        detail = client.get(f"/cases/{late.pk}/").content.decode()
    assert "Since referral" in page
    assert "9 days" in page
    assert late.reference in overdue
    assert on_time.reference not in overdue
    assert "9 days ago" in detail
    assert "Overdue by 7 days" in detail


def test_time_since_referral_counts_from_the_first_referral(cme_officer: User) -> None:
    from cme.referrals.tests.factories import ReceivedReferralFactory

    case = OpenCaseFactory.create()
    received = timezone.now() - datetime.timedelta(days=12)
    ReceivedReferralFactory.create(case=case, received_at=received)
    assert selectors.case_referred_at(case) == received
    [row] = selectors.case_rows(selectors.case_list(user=cme_officer), today=timezone.localdate())
    assert row.since_referral == "12 days"


def test_an_officer_cannot_close_a_whereabouts_unknown_case_through_the_page(
    client: Client, cme_officer: User, cme_manager: User
) -> None:
    case = _walk(
        _open(cme_officer),
        cme_officer,
        CaseStatus.CHECKING,
        CaseStatus.LOCATING,
        CaseStatus.WHEREABOUTS_UNKNOWN,
    )
    client.force_login(cme_officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Only a CME manager can close a case whose whereabouts are unknown" in page
    assert "Termly re-check" in page
    data = {"reason": "left_england", "version": str(case.version), "manager_approved": "on"}
    refused = client.post(f"/cases/{case.pk}/close/", data)
    assert refused.status_code == 400
    assert "Only a CME manager can close" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.WHEREABOUTS_UNKNOWN
    client.force_login(cme_manager)
    assert client.post(f"/cases/{case.pk}/close/", data).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_re_check_through_the_page_is_recorded_and_a_bad_one_keeps_the_text(
    client: Client, cme_officer: User
) -> None:
    case = _walk(
        _open(cme_officer),
        cme_officer,
        CaseStatus.CHECKING,
        CaseStatus.LOCATING,
        CaseStatus.WHEREABOUTS_UNKNOWN,
    )
    client.force_login(cme_officer)
    stale = client.post(
        f"/cases/{case.pk}/recheck/",
        {"note": "Checked the LPD again", "version": str(case.version - 1)},
    )
    assert stale.status_code == 400
    assert "Someone else changed this case" in stale.content.decode()
    assert "Checked the LPD again" in stale.content.decode()
    empty = client.post(f"/cases/{case.pk}/recheck/", {"note": "", "version": str(case.version)})
    assert "Enter what you checked again this term" in empty.content.decode()
    done = client.post(
        f"/cases/{case.pk}/recheck/", {"note": "Checked the LPD again", "version": case.version}
    )
    assert done.status_code == 302


def test_the_weekly_digest_holds_counts_and_a_link_never_a_childs_name(
    cme_officer: User, cme_manager: User, settings: Settings
) -> None:
    settings.SERVICE_URL = "https://cme.example.gov.uk"
    with time_machine.travel(MONDAY, tick=False):
        case = services.open_case(
            actor=cme_officer,
            child=ChildFactory.create(forename="Amara", surname="Okafor"),
            category=CaseCategory.IDENTIFIED_MISSING,
            allocated_to=cme_officer,
        )
        _open(cme_officer)
    idle = UserFactory.create(role=Role.CME_OFFICER)
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        call_command("send_weekly_digest")
        call_command("send_weekly_digest")  # a second run sends nothing more
    sent = {email.to: email for email in RecordingSender.outbox}
    assert set(sent) == {cme_officer.email, cme_manager.email}  # not the officer with no cases
    assert idle.email not in sent
    mine = sent[cme_officer.email].personalisation
    assert mine["scope"] == "your cases"
    assert (mine["open_cases"], mine["overdue_cases"]) == ("1", "1")
    assert mine["link"] == "https://cme.example.gov.uk/"
    team = sent[cme_manager.email].personalisation
    assert team["scope"] == "your team's cases"
    assert (team["open_cases"], team["unallocated_cases"]) == ("2", "1")
    for email in RecordingSender.outbox:
        text = " ".join([*email.personalisation.values(), email.reference])
        assert "Amara" not in text
        assert "Okafor" not in text
        assert case.reference not in text
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.WEEKLY_DIGEST_SENT).count() == 2


def test_the_digest_is_for_the_week_asked_for(cme_manager: User) -> None:
    assert digest.week_starting(datetime.date(2026, 12, 3)) == datetime.date(2026, 11, 30)
    assert digest.send_weekly_digest(user=cme_manager, week_of=datetime.date(2026, 11, 30))
    assert not digest.send_weekly_digest(user=cme_manager, week_of=datetime.date(2026, 11, 30))
    assert digest.send_weekly_digest(user=cme_manager, week_of=datetime.date(2026, 12, 7))


def test_a_bad_week_is_refused_by_the_command() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--week-of"):
        call_command("send_weekly_digest", "--week-of", "next week")
