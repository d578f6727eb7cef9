"""Synthetic school registers for the demo authority."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest

from cme.attendance import demo
from cme.attendance.bank_holidays import is_bank_holiday
from cme.attendance.importers import import_attendance_file
from cme.attendance.models import AttendanceYear
from cme.pupils.models import School
from cme.pupils.tests.factories import CurrentEnrolmentFactory, pupil_at

D = datetime.date


def test_the_demo_calendar_is_a_plausible_english_school_year() -> None:
    calendar = demo.demo_calendar(2025)
    assert len(calendar.days) == 190
    assert calendar.days[0] == D(2025, 9, 3)  # the first Wednesday from 2 September
    assert all(day.weekday() < 5 and not is_bank_holiday(day) for day in calendar.days)
    assert len(calendar.closures) == 5
    assert not calendar.closures & set(calendar.days)
    assert D(2025, 12, 25) not in calendar.days
    assert calendar.days[-1] < D(2026, 8, 1)


@pytest.mark.django_db
def test_the_registers_are_the_same_for_the_same_seed_and_import_cleanly(
    tmp_path: Path, school: School
) -> None:
    pupils = [pupil_at(school) for _ in range(30)]
    joiner = pupils[0]
    joiner.enrolments.all().delete()
    CurrentEnrolmentFactory.create(child=joiner, school=school, start_date=D(2026, 1, 5))
    on_roll = demo.pupils_on_roll(2025)
    first = demo.demo_registers(school_year=2025, seed=7, pupils=on_roll)
    again = demo.demo_registers(school_year=2025, seed=7, pupils=on_roll)
    assert np.array_equal(first.codes, again.codes)
    path = tmp_path / "registers.csv"
    rows = demo.write_registers(first, path)

    report = import_attendance_file(path=path, today=D(2026, 8, 31))

    assert report.rejected == 0
    assert report.created == rows
    assert AttendanceYear.objects.count() == 30
    joined = AttendanceYear.objects.get(child=joiner)
    assert joined.first_marked_on is not None
    assert joined.first_marked_on >= D(2026, 1, 5)


@pytest.mark.django_db
def test_loading_the_demo_attendance_imports_the_year_to_date(school: School) -> None:
    for _ in range(5):
        pupil_at(school)
    report = demo.load_demo_attendance(seed=3, today=D(2025, 11, 3))
    assert report.rejected == 0
    assert report.created > 0
    last = [day for day in AttendanceYear.objects.values_list("last_marked_on", flat=True) if day]
    assert max(last) < D(2025, 11, 3)
