"""Whose returns each role sees, and what each school has not sent."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from cme.accounts.models import User
from cme.attendance.models import AttendanceTrigger
from cme.attendance.rules import Rule
from cme.audit.models import AccessEvent
from cme.pupils.models import School
from cme.pupils.tests.factories import ChildFactory, CurrentEnrolmentFactory
from cme.returns import selectors, services
from cme.returns.kinds import ReturnKind
from cme.returns.models import SchoolReturn

from .factories import answers_for, sent_return

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
YEAR_4_BIRTHDAY = datetime.date(2017, 1, 10)  # Year 4 in 2026/27: a deletion return is due


def test_a_school_sees_its_own_returns_and_the_cme_team_sees_every_school(
    school_user: User,
    school_user_other_school: User,
    cme_officer: User,
    partner_agency_user: User,
    send_officer: User,
) -> None:
    ours = sent_return(user=school_user, kind=ReturnKind.ATTENDANCE, pupils=[])
    theirs = sent_return(user=school_user_other_school, kind=ReturnKind.ATTENDANCE, pupils=[])
    assert list(selectors.returns_visible_to(school_user)) == [ours]
    assert list(selectors.returns_visible_to(school_user_other_school)) == [theirs]
    assert set(selectors.returns_visible_to(cme_officer)) == {ours, theirs}
    assert list(selectors.returns_visible_to(partner_agency_user)) == []
    assert list(selectors.returns_visible_to(send_officer)) == []


def test_another_schools_return_is_missing_and_a_read_is_logged(
    school_user: User, school_user_other_school: User
) -> None:
    ours = sent_return(user=school_user, kind=ReturnKind.ATTENDANCE, pupils=[])
    with pytest.raises(Http404):
        selectors.access_return(user=school_user_other_school, return_id=ours.pk)
    assert selectors.access_return(user=school_user, return_id=ours.pk) == ours
    assert AccessEvent.objects.filter(subject_id=str(ours.pk)).count() == 1


def test_a_draft_is_its_makers_alone(school_user: User, school_user_other_school: User) -> None:
    draft = services.start_draft(actor=school_user, kind=ReturnKind.DELETION)
    assert selectors.draft_for(user=school_user, draft_id=draft.pk) == draft
    with pytest.raises(Http404):
        selectors.draft_for(user=school_user_other_school, draft_id=draft.pk)


def _removed(school: School, *, on: datetime.date, **child: object) -> None:
    pupil = ChildFactory.create(**{"date_of_birth": YEAR_4_BIRTHDAY, **child})
    CurrentEnrolmentFactory.create(
        child=pupil, school=school, start_date=datetime.date(2022, 9, 5), end_date=on
    )


@time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC))
def test_a_removal_seen_in_a_roll_import_is_overdue_until_a_deletion_return_names_the_child(
    school_user: User, school: School
) -> None:
    _removed(school, on=datetime.date(2026, 11, 10), forename="Zoë", surname="O'Neill", upn="")
    _removed(school, on=datetime.date(2026, 11, 27), forename="Recent", surname="Leaver")
    overdue = selectors.removals_without_deletion_return(school=school, today=TODAY, grace_days=5)
    assert [item.description for item in overdue] == [
        "Deletion return for Zoë O'Neill, taken off the roll on 10 November 2026"
    ]
    assert overdue[0].days_overdue == 15
    sent_return(
        user=school_user,
        kind=ReturnKind.DELETION,
        pupils=[
            answers_for(
                ReturnKind.DELETION,
                date_of_birth=YEAR_4_BIRTHDAY.isoformat(),
                sex="",
                ground_met_on="2026-11-10",
            )
        ],
    )
    assert (
        selectors.removals_without_deletion_return(school=school, today=TODAY, grace_days=5) == []
    )


@time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC))
def test_leaving_at_the_end_of_the_most_senior_year_needs_no_deletion_return(
    school: School,
) -> None:
    _removed(school, on=datetime.date(2026, 9, 7), date_of_birth=datetime.date(2014, 12, 1))
    assert (
        selectors.removals_without_deletion_return(school=school, today=TODAY, grace_days=5) == []
    )


@time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC))
def test_each_month_without_an_attendance_return_is_overdue_and_a_nil_return_counts(
    school_user: User, school: School
) -> None:
    overdue = selectors.months_without_attendance_return(school=school, today=TODAY, grace_days=5)
    assert [item.due_on for item in overdue] == [
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 31),
    ]
    with time_machine.travel(datetime.datetime(2026, 10, 15, 12, tzinfo=datetime.UTC)):
        sent_return(user=school_user, kind=ReturnKind.ATTENDANCE, pupils=[])
    overdue = selectors.months_without_attendance_return(school=school, today=TODAY, grace_days=5)
    assert [item.description for item in overdue] == [
        "Attendance return for September 2026 (a nil return if there is nobody to report)"
    ]


def test_no_attendance_trigger_means_no_return_is_overdue(school: School) -> None:
    assert (
        selectors.attendance_triggers_without_return(school=school, today=TODAY, grace_days=5) == []
    )


def _trigger(school: School, **child: object) -> AttendanceTrigger:
    pupil = ChildFactory.create(**child)
    return AttendanceTrigger.objects.create(
        child=pupil,
        school=school,
        school_year=2026,
        rule=Rule.UNAUTHORISED_ABSENCE_10_DAYS,
        start_date=TODAY - datetime.timedelta(days=30),
        fired_on=TODAY - datetime.timedelta(days=16),
        detail="10 school days without authorisation, 2 to 13 Nov",
        opened_at=timezone.now(),
    )


@time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC))
def test_a_trigger_in_the_schools_own_register_is_overdue_until_a_return_names_the_pupil(
    school: School, school_user: User
) -> None:
    trigger = _trigger(school, forename="Zoë", surname="O'Neill", date_of_birth=YEAR_4_BIRTHDAY)
    overdue = selectors.attendance_triggers_without_return(school=school, today=TODAY, grace_days=5)
    assert [(item.kind, item.due_on) for item in overdue] == [
        (ReturnKind.ATTENDANCE, trigger.fired_on)
    ]
    assert "10 school days without authorisation" in overdue[0].description
    # The return names the pupil by UPN, so it is theirs whatever the matching decides.
    answers = answers_for(ReturnKind.ATTENDANCE, upn=trigger.child.upn)
    sent_return(user=school_user, kind=ReturnKind.ATTENDANCE, pupils=[answers])
    assert (
        selectors.attendance_triggers_without_return(school=school, today=TODAY, grace_days=5) == []
    )


@time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC))
def test_a_schools_overdue_list_is_its_own_oldest_first(
    school: School, other_school: School
) -> None:
    _removed(other_school, on=datetime.date(2026, 11, 10))
    overdue = selectors.overdue_returns(school=school, today=TODAY)
    assert [item.kind for item in overdue] == [ReturnKind.ATTENDANCE, ReturnKind.ATTENDANCE]
    assert all(isinstance(item.days_overdue, int) for item in overdue)
    assert SchoolReturn.objects.exists() is False
