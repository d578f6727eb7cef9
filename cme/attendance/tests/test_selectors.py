"""What other apps and the pages read about attendance."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from cme.attendance import selectors, services
from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.attendance.models import AttendanceYear
from cme.attendance.rules import Rule, Thresholds
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import pupil_at

from .registers import weekdays

pytestmark = pytest.mark.django_db

D = datetime.date


def load(tmp_path: Path, rows: list[tuple[Child, School, D, str, str]]) -> None:
    text = (
        ",".join(ATTENDANCE_COLUMNS)
        + "\n"
        + "".join(
            f"{child.upn},{school.laestab},{day.isoformat()},AM,{am}\n"
            f"{child.upn},{school.laestab},{day.isoformat()},PM,{pm}\n"
            for child, school, day, am, pm in rows
        )
    )
    path = tmp_path / "marks.csv"
    path.write_text(text, encoding="utf-8")
    report = import_attendance_file(path=path, today=D(2026, 7, 31))
    assert report.rejected == 0, [str(message) for message in report.messages]


def test_thresholds_come_from_the_setting(settings: object) -> None:
    with override_settings(ATTENDANCE_THRESHOLDS=["part_time_weeks=4", " sickness_days = 10"]):
        assert selectors.attendance_thresholds() == Thresholds(part_time_weeks=4, sickness_days=10)
    for bad in (["nonsense=1"], ["sickness_days=ten"], ["sickness_days=0"]):
        with override_settings(ATTENDANCE_THRESHOLDS=bad), pytest.raises(ImproperlyConfigured):
            selectors.attendance_thresholds()


def test_the_latest_attended_mark_is_the_latest_session_present_anywhere(
    tmp_path: Path, school: School, other_school: School
) -> None:
    child = pupil_at(school)
    assert selectors.latest_attended_mark(child_id=child.pk) is None
    load(
        tmp_path,
        [(child, school, D(2025, 9, 3), "/", "I"), (child, school, D(2025, 9, 4), "O", "O")],
    )
    assert selectors.latest_attended_mark(child_id=child.pk) == D(2025, 9, 3)


def test_attended_recently_answers_from_fresh_data_only(tmp_path: Path, school: School) -> None:
    child = pupil_at(school)
    days = weekdays(D(2025, 11, 3), 10)
    load(
        tmp_path,
        [(child, school, days[0], "/", "\\")]
        + [(child, school, day, "O", "O") for day in days[1:]],
    )
    # The last 5 school days are all absences: fresh data, no attended mark.
    assert selectors.attended_recently(child_id=child.pk, today=days[-1]) is False
    assert selectors.attended_recently(child_id=child.pk, today=days[4]) is True
    # Data older than the allowed age gives no answer either way.
    assert (
        selectors.attended_recently(child_id=child.pk, today=days[-1] + datetime.timedelta(days=30))
        is None
    )
    with override_settings(ATTENDANCE_RECENT_SCHOOL_DAYS=10):
        assert selectors.attended_recently(child_id=child.pk, today=days[-1]) is True


def test_attendance_since_a_date_counts_possible_sessions_only(
    tmp_path: Path, school: School
) -> None:
    child = pupil_at(school)
    load(
        tmp_path,
        [
            (child, school, D(2025, 9, 3), "O", "O"),
            (child, school, D(2025, 9, 4), "/", "\\"),
            (child, school, D(2025, 9, 5), "/", "D"),  # not a possible session
        ],
    )
    rate = selectors.attendance_since(child_id=child.pk, since=D(2025, 9, 4))
    assert (rate.attended, rate.possible) == (3, 3)
    assert rate.percent == 100
    whole = selectors.attendance_since(child_id=child.pk, since=D(2025, 9, 1), until=D(2025, 9, 4))
    assert (whole.attended, whole.possible) == (2, 4)
    assert selectors.attendance_since(child_id=child.pk, since=D(2026, 1, 1)).percent is None


def test_the_figures_are_dfe_s_over_pupil_enrolments(tmp_path: Path, school: School) -> None:
    good, persistent, severe = (pupil_at(school) for _ in range(3))
    days = weekdays(D(2025, 9, 8), 10)
    rows = []
    for index, day in enumerate(days):
        rows.append((good, school, day, "/", "\\"))
        rows.append((persistent, school, day, "/", "I" if index < 2 else "\\"))  # 10% missed
        rows.append((severe, school, day, "O" if index < 5 else "/", "G" if index < 5 else "\\"))
    load(tmp_path, rows)

    figures = selectors.school_figures(school=school, school_year=2025)

    assert (figures.enrolments, figures.possible, figures.attended) == (3, 60, 48)
    assert (figures.persistent, figures.severe) == (2, 1)
    assert figures.unauthorised == 10
    assert figures.authorised == 2
    assert figures.absence_rate == pytest.approx(20.0)
    assert figures.unauthorised_rate == pytest.approx(100 * 10 / 60)
    assert figures.share(figures.persistent) == pytest.approx(200 / 3)
    assert (figures.below_report, figures.below_local) == (1, 1)  # 90% exactly is not below
    authority, schools = selectors.authority_figures(school_year=2025)
    assert authority == figures
    assert schools == [(school, figures)]


def test_the_authority_s_figures_take_the_same_few_queries_however_many_schools(
    tmp_path: Path, school: School, other_school: School, django_assert_num_queries: Any
) -> None:
    rows = []
    for at, codes in ((school, ("/", "\\")), (other_school, ("O", "O"))):
        child = pupil_at(at)
        rows += [(child, at, day, *codes) for day in weekdays(D(2025, 9, 8), 5)]
    load(tmp_path, rows)

    with django_assert_num_queries(3):
        authority, schools = selectors.authority_figures(school_year=2025)

    assert authority.enrolments == 2
    assert {at.pk: (f.enrolments, f.attended, f.severe) for at, f in schools} == {
        school.pk: (1, 10, 0),
        other_school.pk: (1, 0, 1),
    }


def test_flags_on_a_date_read_each_rule_s_context(tmp_path: Path, school: School) -> None:
    child = pupil_at(school)
    days = weekdays(D(2025, 10, 6), 12)
    load(
        tmp_path,
        [
            (child, school, day, "/" if index < 2 else "O", "\\" if index < 2 else "O")
            for index, day in enumerate(days)
        ],
    )
    services.watch_attendance_after_placement(
        child=child, school=school, placed_on=days[0], actor=None
    )

    rules = {row.flag.rule for row in selectors.flags_as_of(as_of=days[-1])}

    assert Rule.POST_PLACEMENT_ATTENDANCE in rules
    assert Rule.UNAUTHORISED_ABSENCE_10_DAYS in rules


def test_a_school_sees_only_its_own_marks_of_a_child(
    tmp_path: Path, school: School, other_school: School, school_user: object, cme_officer: object
) -> None:
    child = pupil_at(school)
    load(tmp_path, [(child, school, D(2025, 9, 3), "/", "\\")])
    AttendanceYear.objects.create(
        child=child,
        school=other_school,
        school_year=2024,
        marks="/\\",
        updated_at="2025-01-01T00:00Z",
    )
    assert [year.school for year in selectors.years_visible_to(school_user, child)] == [school]
    assert len(selectors.years_visible_to(cme_officer, child)) == 2
