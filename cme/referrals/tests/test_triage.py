"""Triage: every referral checked against the register, a suggested outcome, a recorded decision."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cme.accounts.models import User
from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.attendance.tests.registers import weekdays
from cme.audit.models import AuditEvent
from cme.cases.models import Case
from cme.cases.workflow import CaseStatus
from cme.matching.models import IdentityMatch
from cme.pupils.models import School
from cme.pupils.tests.factories import ChildFactory, pupil_at
from cme.referrals import selectors, tasks, triage, triage_services
from cme.referrals.models import Referral
from cme.referrals.tests.factories import ReceivedReferralFactory

pytestmark = pytest.mark.django_db

ZOE = {"forename": "Zoë", "surname": "O'Neill", "date_of_birth": datetime.date(2015, 4, 3)}


def test_the_facts_of_a_referral_are_read_from_its_answers() -> None:
    facts = triage.referred_child(ReceivedReferralFactory.build().submission)
    assert (facts.forename, facts.surname, facts.date_of_birth) == (
        "Zoë",
        "O'Neill",
        datetime.date(2015, 4, 3),
    )


def test_a_upn_with_a_bad_check_letter_is_ignored() -> None:
    submission = {"format": 1, "answers": {"school": {"upn": "Z801200001001"}}}
    assert triage.referred_child(submission).upn == ""


def test_garbage_answers_never_break_the_reading() -> None:
    submissions: list[dict[str, object]] = [
        {},
        {"answers": []},
        {"answers": {"date_of_birth": {"date_of_birth": "31-02"}}},
    ]
    for submission in submissions:
        assert triage.referred_child(submission).date_of_birth is None


def test_the_suggestion_follows_the_register() -> None:
    assert (
        triage.suggested_outcome(matched=True, has_open_case=True, on_roll=True)
        == Referral.Outcome.LINKED_TO_CASE
    )
    assert (
        triage.suggested_outcome(matched=True, has_open_case=False, on_roll=True)
        == Referral.Outcome.CONFIRM_WITH_SCHOOL
    )
    assert (
        triage.suggested_outcome(matched=False, has_open_case=False, on_roll=False)
        == Referral.Outcome.CASE_OPENED
    )


def test_triage_is_due_one_working_day_later_skipping_the_weekend() -> None:
    friday = datetime.datetime(2026, 11, 27, 15, 0, tzinfo=datetime.UTC)
    assert triage.triage_due(friday) == datetime.datetime(2026, 11, 30, 15, 0, tzinfo=datetime.UTC)


def test_a_known_child_on_roll_is_found_and_confirm_with_school_suggested(
    client: Client, cme_officer: User, school: School
) -> None:
    child = pupil_at(school, **ZOE)
    referral = ReceivedReferralFactory.create()
    match = triage_services.match_referral(referral=referral)
    candidates = selectors.register_candidates(user=cme_officer, match=match)
    assert [c.child for c in candidates] == [child]
    assert candidates[0].view.decision == "link"
    client.force_login(cme_officer)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Suggested: <strong>On a roll: confirm attendance with the school</strong>" in page


def test_opening_a_case_from_an_unknown_child_adds_them_to_the_register(
    client: Client, cme_officer: User
) -> None:
    referral = ReceivedReferralFactory.create()
    client.force_login(cme_officer)
    response = client.post(
        f"/referrals/{referral.pk}/", {"child": "none", "outcome": "case_opened"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.TRIAGED
    assert referral.case is not None
    assert referral.case.status == CaseStatus.REFERRED
    assert referral.case.child.surname == "O'Neill"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REFERRAL_TRIAGED).count() == 1


def test_linking_to_an_open_case_records_the_case(cme_officer: User) -> None:
    child = ChildFactory.create(**ZOE)
    referral = ReceivedReferralFactory.create()
    case = triage_services.triage_referral(
        actor=cme_officer,
        referral=ReceivedReferralFactory.create(),
        outcome=Referral.Outcome.CASE_OPENED,
        child=child,
    ).case
    linked = triage_services.triage_referral(
        actor=cme_officer, referral=referral, outcome=Referral.Outcome.LINKED_TO_CASE, child=child
    )
    assert linked.case == case
    assert Case.objects.count() == 1


def test_linking_without_an_open_case_is_refused_and_nothing_changes(
    client: Client, cme_officer: User
) -> None:
    referral = ReceivedReferralFactory.create()
    client.force_login(cme_officer)
    response = client.post(
        f"/referrals/{referral.pk}/", {"child": "none", "outcome": "linked_to_case"}
    )
    assert response.status_code == 400
    assert "Choose a child who has an open case" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_a_referral_is_triaged_once(cme_officer: User) -> None:
    referral = ReceivedReferralFactory.create()
    triage_services.triage_referral(
        actor=cme_officer, referral=referral, outcome=Referral.Outcome.NOT_CME
    )
    with pytest.raises(triage_services.TriageError, match="already been triaged"):
        triage_services.triage_referral(
            actor=cme_officer, referral=referral, outcome=Referral.Outcome.NOT_CME
        )


def test_the_inbox_shows_overdue_referrals(client: Client, cme_officer: User) -> None:
    ReceivedReferralFactory.create(received_at=timezone.now() - datetime.timedelta(days=5))
    client.force_login(cme_officer)
    page = client.get("/referrals/").content.decode()
    assert "Overdue" in page
    assert "Zoë O&#39;Neill" in page


def test_the_page_explains_each_candidate_field_by_field(
    client: Client, cme_officer: User, school: School
) -> None:
    pupil_at(school, **ZOE)
    referral = ReceivedReferralFactory.create()
    client.force_login(cme_officer)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Why this score" in page
    assert "Starting point" in page
    assert "Linked automatically" in page


def test_choosing_the_proposed_child_confirms_the_match_and_none_rejects_it(
    cme_officer: User, school: School
) -> None:
    child = pupil_at(school, **ZOE)
    confirmed = ReceivedReferralFactory.create()
    rejected = ReceivedReferralFactory.create()
    for referral in (confirmed, rejected):
        triage_services.match_referral(referral=referral)
    triage_services.triage_referral(
        actor=cme_officer,
        referral=confirmed,
        outcome=Referral.Outcome.CONFIRM_WITH_SCHOOL,
        child=child,
    )
    triage_services.triage_referral(
        actor=cme_officer, referral=rejected, outcome=Referral.Outcome.CASE_OPENED
    )
    assert triage_services.match_referral(referral=confirmed).status == "confirmed"
    assert triage_services.match_referral(referral=rejected).status == "rejected"
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {AuditEvent.Kind.MATCH_CONFIRMED, AuditEvent.Kind.MATCH_REJECTED} <= kinds


def test_a_referral_is_matched_in_the_background_when_it_arrives(
    cme_officer: User, school: School
) -> None:
    child = pupil_at(school, **ZOE)
    referral = ReceivedReferralFactory.create()
    tasks.match_referral.enqueue(referral.pk)  # the test settings run tasks at once
    match = IdentityMatch.objects.get(source_reference=referral.reference)
    assert (match.status, match.child_id) == ("linked", child.pk)


def test_a_child_present_at_school_this_week_is_closed_as_attending_in_one_action(
    client: Client, cme_officer: User, school: School, tmp_path: Path
) -> None:
    child = pupil_at(school, **ZOE)
    days = weekdays(datetime.date(2025, 11, 3), 5)
    marks = tmp_path / "marks.csv"
    marks.write_text(
        ",".join(ATTENDANCE_COLUMNS)
        + "\n"
        + "".join(
            f"{child.upn},{school.laestab},{day.isoformat()},{session},/\n"
            for day in days
            for session in ("AM", "PM")
        ),
        encoding="utf-8",
    )
    assert import_attendance_file(path=marks, today=days[-1]).rejected == 0
    referral = ReceivedReferralFactory.create()
    client.force_login(cme_officer)
    with time_machine.travel(datetime.datetime(2025, 11, 7, 15, tzinfo=datetime.UTC)):
        page = client.get(f"/referrals/{referral.pk}/").content.decode()
        assert "Suggested: <strong>On a roll and attending: closed</strong>" in page
        response = client.post(
            f"/referrals/{referral.pk}/", {"child": str(child.pk), "outcome": "on_roll_attending"}
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.case) == (Referral.Outcome.ON_ROLL_ATTENDING, None)


def test_without_recent_present_marks_attending_is_not_offered_and_refused(
    client: Client, cme_officer: User, school: School
) -> None:
    child = pupil_at(school, **ZOE)
    referral = ReceivedReferralFactory.create()
    client.force_login(cme_officer)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'value="on_roll_attending"' not in page
    with pytest.raises(triage_services.TriageError, match="Confirm with the school"):
        triage_services.triage_referral(
            actor=cme_officer,
            referral=referral,
            outcome=Referral.Outcome.ON_ROLL_ATTENDING,
            child=child,
        )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
