"""`import_attendance`, `attendance_flags` and `close_attendance_years` as scripts see them
(docs/interfaces.md)."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from cme.attendance.importers import ATTENDANCE_COLUMNS
from cme.attendance.models import AttendanceTrigger
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import pupil_at

from .registers import weekdays

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> tuple[int, list[str], list[str]]:
    """Run a command as a script would; returns its exit status and its output lines."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


def write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text(
        "\n".join([",".join(ATTENDANCE_COLUMNS), *(",".join(row) for row in rows)]) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def pupil(school: School) -> Child:
    return pupil_at(school)


def test_import_attendance_exits_0_with_the_counts_last_and_row_messages_on_stderr(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    path = write(
        tmp_path / "marks.csv",
        [
            [pupil.upn, school.laestab, "2025-09-03", "AM", "/"],
            [pupil.upn, school.laestab, "2025-09-03", "PM", "ZZ"],
        ],
    )

    status, out, err = run("import_attendance", str(path))

    assert status == 0
    assert out[-1] == "created=1 updated=0 unchanged=0 review=0 rejected=1"
    assert err == [
        "line 3, column 5: 'ZZ' is not a national attendance code for that date (the 2024 "
        "codes, in force from 19 Aug 2024); row rejected"
    ]


def test_a_refused_file_exits_2_with_one_line_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "marks.csv"
    path.write_text("upn,laestab,date,code\nA,B,C,D\n", encoding="utf-8")

    status, out, err = run("import_attendance", str(path))

    assert status == 2
    assert out == []
    assert len(err) == 1
    assert err[0].startswith("refused: marks.csv is missing the required column session")


def test_a_missing_file_is_refused_too(tmp_path: Path) -> None:
    status, _out, err = run("import_attendance", str(tmp_path / "nothing.csv"))
    assert status == 2
    assert err[0].startswith("refused: cannot read")


def test_the_help_explains_the_columns_and_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("import_attendance", "--help")
    text = capsys.readouterr().out
    assert "upn, laestab, date, session, code" in text
    assert "19 Aug 2024" in text
    assert "line L, column C: reason" in text


def _ten_days_absent(tmp_path: Path, school: School, pupil: Child) -> list[datetime.date]:
    days = weekdays(datetime.date(2025, 12, 1), 12)
    rows = [
        [pupil.upn, school.laestab, day.isoformat(), session, "O" if day < days[10] else "/"]
        for day in days
        for session in ("AM", "PM")
    ]
    run("import_attendance", str(write(tmp_path / "marks.csv", rows)))
    return days


def test_attendance_flags_writes_every_rule_in_force_on_the_date(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    days = _ten_days_absent(tmp_path, school, pupil)
    out = tmp_path / "flags.csv"

    status, stdout, _err = run(
        "attendance_flags", "--as-of", days[9].isoformat(), "--out", str(out)
    )

    assert status == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["upn", "laestab", "rule", "start_date", "end_date", "detail"]
    assert rows[1:] == [
        [
            pupil.upn,
            school.laestab,
            "unauthorised_absence_10_days",
            "2025-12-01",
            "2025-12-12",
            "10 school days without authorisation, 1 to 12 Dec",
        ],
        [
            pupil.upn,
            school.laestab,
            "persistent_absence",
            "2025-12-01",
            "2025-12-12",
            "Missed 100.0% of possible sessions this school year (20 of 20)",
        ],
        [
            pupil.upn,
            school.laestab,
            "severe_absence",
            "2025-12-01",
            "2025-12-12",
            "Missed 100.0% of possible sessions this school year (20 of 20)",
        ],
    ]
    assert stdout[-1].startswith("rows=3 unauthorised_absence_10_days=1 ")


def test_attendance_flags_ignores_marks_after_the_date(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    days = _ten_days_absent(tmp_path, school, pupil)
    out = tmp_path / "flags.csv"
    run("attendance_flags", "--as-of", days[8].isoformat(), "--out", str(out))  # day 9 of 10
    rules = [row[2] for row in csv.reader(out.open(encoding="utf-8"))][1:]
    assert "unauthorised_absence_10_days" not in rules
    run("attendance_flags", "--as-of", days[11].isoformat(), "--out", str(out))  # back at school
    rules = [row[2] for row in csv.reader(out.open(encoding="utf-8"))][1:]
    assert rules == ["persistent_absence", "severe_absence"]


def test_a_date_before_any_marks_gives_only_the_header(tmp_path: Path) -> None:
    out = tmp_path / "flags.csv"
    status, stdout, _err = run("attendance_flags", "--as-of", "2019-01-01", "--out", str(out))
    assert status == 0
    assert out.read_text(encoding="utf-8") == "upn,laestab,rule,start_date,end_date,detail\n"
    assert stdout[-1].startswith("rows=0")


def test_attendance_flags_refuses_a_date_that_is_not_one(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a date in the form YYYY-MM-DD"):
        call_command("attendance_flags", "--as-of", "31/12/2025", "--out", str(tmp_path / "f.csv"))


def test_attendance_flags_exits_2_when_the_file_cannot_be_written(tmp_path: Path) -> None:
    status, _out, err = run(
        "attendance_flags", "--as-of", "2025-12-12", "--out", str(tmp_path / "no" / "f.csv")
    )
    assert status == 2
    assert err[0].startswith("cannot write")


def _a_year_of_absence_left_open(tmp_path: Path, school: School, pupil: Child) -> None:
    days = weekdays(datetime.date(2025, 6, 2), 11)
    rows = [
        [pupil.upn, school.laestab, day.isoformat(), session, "O"]
        for day in days
        for session in ("AM", "PM")
    ]
    run("import_attendance", str(write(tmp_path / "june.csv", rows)))
    assert AttendanceTrigger.objects.filter(status="open").exists()


@time_machine.travel(datetime.datetime(2025, 7, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_close_attendance_years_closes_the_items_of_years_over_and_says_how_many(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    _a_year_of_absence_left_open(tmp_path, school, pupil)

    status, out, _err = run("close_attendance_years", "--as-of", "2025-08-31")
    assert (status, out[-1]) == (0, "closed=0")  # 2024/25 ends on 31 August

    status, out, _err = run("close_attendance_years", "--as-of", "2025-09-01")
    assert (status, out[-1]) == (0, f"closed={AttendanceTrigger.objects.count()}")
    assert not AttendanceTrigger.objects.filter(status="open").exists()

    assert run("close_attendance_years", "--as-of", "2025-09-02")[1][-1] == "closed=0"


@time_machine.travel(datetime.datetime(2025, 7, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_close_attendance_years_can_queue_the_run_for_the_worker(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    _a_year_of_absence_left_open(tmp_path, school, pupil)

    status, out, _err = run("close_attendance_years", "--as-of", "2025-09-01", "--enqueue")

    assert status == 0
    assert out[-1].startswith("queued: task ")
    # The test settings run tasks at once.
    assert not AttendanceTrigger.objects.filter(status="open").exists()


def test_close_attendance_years_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("close_attendance_years", "--as-of", "31/08/2025")
