"""Roll-removal monitoring against the register: the service, its command and its page."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.pupils.models import School
from cme.pupils.tests.factories import (
    ChildFactory,
    CurrentEnrolmentFactory,
    EndedEnrolmentFactory,
    OpenSchoolFactory,
)
from cme.transfers.models import RollWorkItem
from cme.transfers.monitoring import monitor_rolls

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 10, 1)
# Year 3 in 2024/25: a leaver who is not at a key transition point (the factory's random date
# of birth could make a July leaver a Year 6 pupil, who must start at a secondary school).
NOT_YEAR_6 = datetime.date(2017, 1, 10)
Reason = RollWorkItem.Reason


def reasons() -> set[tuple[int, str]]:
    return set(RollWorkItem.objects.values_list("enrolment_id", "reason"))


def test_removals_without_a_destination_and_under_h_or_i_become_items(school: School) -> None:
    unknown = EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6, school=school, end_date=datetime.date(2025, 9, 19)
    )
    ground_h = EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6,
        school=school,
        deletion_ground="h",
        destination="Moved abroad",
    )
    known = EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6, school=school, destination="Moved to Leeds"
    )
    died = EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6, school=school, deletion_ground="k"
    )

    result = monitor_rolls(today=TODAY)

    assert reasons() == {
        (unknown.pk, Reason.REMOVED_NO_DESTINATION),
        (ground_h.pk, Reason.GROUND_NEEDS_JOINT_ENQUIRIES),
    }
    assert result.scanned == 4
    assert known.pk
    assert died.pk
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLL_ITEM_CREATED).count() == 2


def test_a_pupil_now_on_another_roll_is_not_flagged(school: School, other_school: School) -> None:
    ended = EndedEnrolmentFactory.create(child__date_of_birth=NOT_YEAR_6, school=school)
    CurrentEnrolmentFactory.create(
        child=ended.child, school=other_school, start_date=datetime.date(2025, 9, 3)
    )

    monitor_rolls(today=TODAY)

    assert reasons() == set()


def test_running_twice_creates_no_duplicates(school: School) -> None:
    EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6, school=school, deletion_ground="i"
    )

    first = monitor_rolls(today=TODAY)
    second = monitor_rolls(today=TODAY)

    assert first.created_total == 2  # no destination, and ground (i)
    assert second.created_total == 0
    assert RollWorkItem.objects.count() == 2


@override_settings(TRANSITION_GRACE_SCHOOL_DAYS=10)
def test_a_leaver_for_a_named_school_not_on_its_roll_after_the_grace_is_missed(
    school: School, other_school: School
) -> None:
    ended = EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6,
        school=school,
        end_date=datetime.date(2025, 9, 12),
        destination_school=other_school,
    )
    # Expected Monday 15 September; ten weekdays later is Monday 29 September.
    monitor_rolls(today=datetime.date(2025, 9, 29))
    assert reasons() == set()

    monitor_rolls(today=datetime.date(2025, 9, 30))
    item = RollWorkItem.objects.get()
    assert (item.enrolment_id, item.reason) == (ended.pk, Reason.MISSED_TRANSITION)
    assert other_school.name in item.detail


def test_a_year_6_summer_leaver_on_no_roll_is_missed(school: School) -> None:
    child = ChildFactory.create(date_of_birth=datetime.date(2014, 3, 2))  # Year 6 in 2024/25
    ended = EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6,
        child=child,
        school=school,
        end_date=datetime.date(2025, 7, 18),
        destination="Secondary school",
    )

    monitor_rolls(today=TODAY)

    assert reasons() == {(ended.pk, Reason.MISSED_TRANSITION)}


def test_a_year_6_leaver_who_started_secondary_is_not_missed(school: School) -> None:
    child = ChildFactory.create(date_of_birth=datetime.date(2014, 3, 2))
    EndedEnrolmentFactory.create(child=child, school=school, end_date=datetime.date(2025, 7, 18))
    CurrentEnrolmentFactory.create(
        child=child, school=OpenSchoolFactory.create(), start_date=datetime.date(2025, 9, 3)
    )

    monitor_rolls(today=TODAY)

    assert reasons() == set()


def test_the_command_reports_its_counts_and_is_idempotent(school: School) -> None:
    EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6, school=school, deletion_ground="h"
    )
    out = StringIO()

    call_command("monitor_rolls", "--as-of", "2025-10-01", stdout=out)
    call_command("monitor_rolls", "--as-of", "2025-10-01", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "scanned=1 removed_no_destination=1 ground_needs_joint_enquiries=1 missed_transition=0"
    )
    assert lines[1] == (
        "scanned=1 removed_no_destination=0 ground_needs_joint_enquiries=0 missed_transition=0"
    )


def test_the_command_ignores_removals_after_as_of(school: School) -> None:
    EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6, school=school, end_date=datetime.date(2025, 10, 6)
    )
    out = StringIO()

    call_command("monitor_rolls", "--as-of", "2025-10-01", stdout=out)

    assert out.getvalue().startswith("scanned=0 ")


def test_the_command_refuses_a_bad_date() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("monitor_rolls", "--as-of", "yesterday")


def test_the_page_lists_open_items_and_the_schools_report(
    client: Client, cme_officer: User, school: School
) -> None:
    ended = EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6, school=school, deletion_ground="h"
    )
    monitor_rolls(today=TODAY)
    client.force_login(cme_officer)

    response = client.get("/transfers/rolls/")

    page = response.content.decode()
    assert response.status_code == 200
    assert ended.child.surname in page
    assert "Deleted under ground (h) or (i)" in page
    assert school.name in page
    assert "Schools deleting names" in page


def test_marking_an_item_done_closes_it_once(
    client: Client, cme_officer: User, school: School
) -> None:
    EndedEnrolmentFactory.create(
        child__date_of_birth=NOT_YEAR_6,
        school=school,
        destination="Moved to Leeds",
        deletion_ground="i",
    )
    monitor_rolls(today=TODAY)
    item = RollWorkItem.objects.get()
    client.force_login(cme_officer)

    response = client.post("/transfers/rolls/", {"item": item.pk})
    again = client.post("/transfers/rolls/", {"item": item.pk})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RollWorkItem.Status.DONE
    assert item.done_by == cme_officer
    assert again.status_code == 400
    assert "already done" in again.content.decode()
    assert "Nothing to look at" in client.get("/transfers/rolls/").content.decode()


def test_a_missing_item_is_not_found(client: Client, cme_officer: User) -> None:
    client.force_login(cme_officer)
    assert client.post("/transfers/rolls/", {"item": 999999}).status_code == 404


def test_school_staff_cannot_open_the_page(client: Client, school_user: User) -> None:
    client.force_login(school_user)
    assert client.get("/transfers/rolls/").status_code == 403
