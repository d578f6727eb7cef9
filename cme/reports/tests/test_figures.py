"""A school's termly figures come from its attendance registers."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.attendance.tests.registers import weekdays
from cme.pupils.models import SchoolPhase, SchoolType
from cme.pupils.tests.factories import OpenSchoolFactory, pupil_at
from cme.reports.figures import school_term_figures
from cme.reports.terms import term_containing

pytestmark = pytest.mark.django_db


def test_possible_attended_and_off_site_sessions_come_from_the_registers(tmp_path: Path) -> None:
    school = OpenSchoolFactory.create(school_type=SchoolType.MAINTAINED, phase=SchoolPhase.PRIMARY)
    other = OpenSchoolFactory.create(school_type=SchoolType.MAINTAINED, phase=SchoolPhase.PRIMARY)
    steady = pupil_at(school, forename="Ada", surname="Steady")
    away = pupil_at(school, forename="Bo", surname="Away")
    elsewhere = pupil_at(other, forename="Cy", surname="Elsewhere")
    days = weekdays(datetime.date(2025, 11, 3), 5)
    codes = {steady: ("/", "\\"), away: ("K", "O"), elsewhere: ("/", "N")}
    rows = "".join(
        f"{child.upn},{(other if child is elsewhere else school).laestab},{day.isoformat()},"
        f"{session},{code}\n"
        for child, pair in codes.items()
        for day in days
        for session, code in zip(("AM", "PM"), pair, strict=True)
    )
    path = tmp_path / "marks.csv"
    path.write_text(",".join(ATTENDANCE_COLUMNS) + "\n" + rows, encoding="utf-8")
    assert import_attendance_file(path=path, today=days[-1]).rejected == 0

    figures = school_term_figures(school=school, term=term_containing(days[0]))

    by_name = {pupil.name: pupil for pupil in figures.pupils}
    assert (by_name["Ada Steady"].possible, by_name["Ada Steady"].attended) == (10, 10)
    # K (education arranged by the authority) counts as attended; O is unauthorised absence.
    assert (by_name["Bo Away"].possible, by_name["Bo Away"].attended) == (10, 5)
    assert [(p.name, p.sessions) for p in figures.off_site] == [("Bo Away", 5)]
    assert (figures.school_possible, figures.school_attended) == (20, 15)
    assert (figures.authority_possible, figures.authority_attended) == (30, 20)
    assert [p.name for p in figures.below()] == ["Bo Away"]


def test_a_school_without_marks_has_none() -> None:
    school = OpenSchoolFactory.create(school_type=SchoolType.MAINTAINED, phase=SchoolPhase.PRIMARY)
    pupil_at(school)
    figures = school_term_figures(school=school, term=term_containing(datetime.date(2025, 11, 3)))
    assert figures.has_marks is False
    assert figures.off_site == ()
