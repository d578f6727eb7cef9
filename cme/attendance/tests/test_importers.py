"""`import_attendance`: the importer contract (docs/interfaces.md) for school registers."""

from __future__ import annotations

import concurrent.futures
import datetime
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme.attendance import importers, services
from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.attendance.marks import session_index
from cme.attendance.models import AttendanceTrigger, AttendanceYear
from cme.attendance.rules import Rule
from cme.audit.models import AuditEvent
from cme.pupils.importers import ImportRefused, ImportReport
from cme.pupils.models import Child, Enrolment, ImportRun, School, SchoolStatus
from cme.pupils.tests.factories import (
    ChildFactory,
    ClosedSchoolFactory,
    CurrentEnrolmentFactory,
    OpenSchoolFactory,
    pupil_at,
)
from cme.standards.upn import make_upn, normalise_upn

from .registers import weekdays

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 31)
HEADER = ",".join(ATTENDANCE_COLUMNS)


def write(
    path: Path, rows: Sequence[Sequence[str]], *, header: str = HEADER, ending: str = "\n"
) -> Path:
    path.write_text(
        header + ending + "".join(",".join(row) + ending for row in rows), encoding="utf-8"
    )
    return path


def run(path: Path, today: datetime.date = TODAY) -> ImportReport:
    return import_attendance_file(path=path, today=today)


def lines(report: ImportReport) -> list[str]:
    return [str(message) for message in report.messages]


def stored(child: Child, school: School, year: int = 2025) -> str:
    return AttendanceYear.objects.get(child=child, school=school, school_year=year).marks


def mark_at(child: Child, school: School, day: datetime.date, session: int) -> str:
    marks = stored(child, school, day.year if day.month >= 9 else day.year - 1)
    index = session_index(day, session)
    return marks[index] if index < len(marks) else "."


@pytest.fixture
def pupil(school: School) -> Child:
    """On `school`'s roll since September 2024."""
    return pupil_at(school)


@pytest.fixture(params=["a school's file", "an authority's file"])
def file_reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of many pupils is read another way (enrolments and stored years by school, UPNs
    as a set): the tests using this run both ways, the thresholds lowered for the second."""
    if request.param == "an authority's file":
        monkeypatch.setattr(services, "MANY_PUPILS", 0)


def day_of(
    pupil: Child, school: School, day: str, am: str = "/", pm: str = "\\"
) -> list[list[str]]:
    return [[pupil.upn, school.laestab, day, "AM", am], [pupil.upn, school.laestab, day, "PM", pm]]


# --- Marks in -----------------------------------------------------------------------------------


def test_each_mark_is_stored_in_the_pupil_s_year_and_counted(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    path = write(tmp_path / "day.csv", day_of(pupil, school, "2025-09-03", "/", "I"))

    report = run(path)

    assert report.counts_line() == "created=2 updated=0 unchanged=0 review=0 rejected=0"
    assert mark_at(pupil, school, datetime.date(2025, 9, 3), 0) == "/"
    assert mark_at(pupil, school, datetime.date(2025, 9, 3), 1) == "I"
    year = AttendanceYear.objects.get()
    assert (year.possible_sessions, year.attended_sessions, year.unauthorised_sessions) == (2, 1, 0)
    assert year.first_marked_on == year.last_marked_on == datetime.date(2025, 9, 3)
    run_record = ImportRun.objects.get()
    assert run_record.kind == ImportRun.Kind.ATTENDANCE
    assert (run_record.created_count, run_record.file_name) == (2, "day.csv")
    assert run_record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.FILE_IMPORTED).count() == 1


def test_importing_the_same_file_again_changes_nothing(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    rows = [
        row
        for day in weekdays(datetime.date(2025, 12, 1), 12)
        for row in day_of(pupil, school, day.isoformat(), "O", "O")
    ]
    path = write(tmp_path / "fortnight.csv", rows)
    run(path)
    before = (stored(pupil, school), list(AttendanceTrigger.objects.values()))
    events = AuditEvent.objects.exclude(kind=AuditEvent.Kind.FILE_IMPORTED).count()

    report = run(path)

    assert report.counts_line() == "created=0 updated=0 unchanged=24 review=0 rejected=0"
    assert (stored(pupil, school), list(AttendanceTrigger.objects.values())) == before
    assert AuditEvent.objects.exclude(kind=AuditEvent.Kind.FILE_IMPORTED).count() == events


def test_a_corrected_mark_replaces_the_old_one_and_the_change_is_audited(
    tmp_path: Path, school: School, pupil: Child, file_reading: None
) -> None:
    run(write(tmp_path / "first.csv", day_of(pupil, school, "2025-09-03", "N", "N")))

    report = run(write(tmp_path / "second.csv", day_of(pupil, school, "2025-09-03", "I", "N")))

    assert report.counts_line() == "created=0 updated=1 unchanged=1 review=0 rejected=0"
    assert mark_at(pupil, school, datetime.date(2025, 9, 3), 0) == "I"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ATTENDANCE_MARKS_CORRECTED)
    assert event.child_id == pupil.pk
    assert event.changes == {"2025-09-03 AM": ["N", "I"]}
    assert event.subject_id == str(AttendanceYear.objects.get().pk)


def test_a_daily_increment_adds_to_the_year(tmp_path: Path, school: School, pupil: Child) -> None:
    run(write(tmp_path / "monday.csv", day_of(pupil, school, "2025-09-08")))
    report = run(write(tmp_path / "tuesday.csv", day_of(pupil, school, "2025-09-09", "/", "L")))
    assert report.counts_line() == "created=2 updated=0 unchanged=0 review=0 rejected=0"
    assert AttendanceYear.objects.get().possible_sessions == 4


def test_codes_are_matched_in_upper_case_after_trimming(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    path = write(tmp_path / "codes.csv", day_of(pupil, school, " 2025-09-03 ", " c2 ", "y1"))
    report = run(path)
    assert report.rejected == 0
    assert mark_at(pupil, school, datetime.date(2025, 9, 3), 0) == "p"  # C2, packed


def test_older_data_is_read_with_the_codes_in_force_before_19_august_2024(
    tmp_path: Path, school: School
) -> None:
    pupil = ChildFactory.create()
    CurrentEnrolmentFactory.create(child=pupil, school=school, start_date=datetime.date(2022, 9, 1))
    rows = [
        [pupil.upn, school.laestab, "2023-11-06", "AM", "H"],  # agreed holiday: fine then
        [pupil.upn, school.laestab, "2023-11-06", "PM", "C2"],  # not a code yet
        [pupil.upn, school.laestab, "2024-08-19", "AM", "H"],  # retired by then
        [pupil.upn, school.laestab, "2024-08-19", "PM", "Y1"],
        [pupil.upn, school.laestab, "2024-09-04", "AM", "J"],
    ]
    report = run(write(tmp_path / "old.csv", rows))

    assert report.counts_line() == "created=2 updated=0 unchanged=0 review=0 rejected=3"
    assert lines(report) == [
        "line 3, column 5: 'C2' is not a national attendance code for that date (the codes "
        "in force before 19 Aug 2024); row rejected",
        "line 4, column 5: 'H' is not a national attendance code for that date (the 2024 "
        "codes, in force from 19 Aug 2024); row rejected",
        "line 6, column 5: 'J' is not a national attendance code for that date (the 2024 "
        "codes, in force from 19 Aug 2024); row rejected",
    ]
    assert AttendanceYear.objects.get(school_year=2023).possible_sessions == 1


def test_each_bad_value_is_reported_by_line_and_column_and_its_row_not_imported(
    tmp_path: Path, school: School, pupil: Child, file_reading: None
) -> None:
    stranger = make_upn("800", "2999", "19", "999")
    wrong_letter = "B" + pupil.upn[1:] if pupil.upn[0] != "B" else "C" + pupil.upn[1:]
    rows = [
        [pupil.upn, school.laestab, "2025-09-03", "AM", "Q"],
        [pupil.upn, school.laestab, "2025-02-30", "AM", "/"],
        [pupil.upn, school.laestab, "03/09/2025", "PM", "/"],
        [pupil.upn, school.laestab, "2026-08-03", "AM", "/"],
        [pupil.upn, school.laestab, "2025-09-04", "XX", "/"],
        [stranger, school.laestab, "2025-09-04", "AM", "/"],
        [wrong_letter, school.laestab, "2025-09-04", "AM", "/"],
        [pupil.upn, "8009999", "2025-09-04", "AM", "/"],
        [pupil.upn, "80", "2025-09-04", "AM", ""],
        [pupil.upn, school.laestab, "2025-09-05", "PM", "/"],
    ]

    report = run(write(tmp_path / "bad.csv", rows))

    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=9"
    assert lines(report) == [
        "line 2, column 5: 'Q' is not a national attendance code for that date (the 2024 "
        "codes, in force from 19 Aug 2024); row rejected",
        "line 3, column 3: date is not a real date (the day or month is out of range); row "
        "rejected",
        "line 4, column 3: date is not a date in the form YYYY-MM-DD; row rejected",
        "line 5, column 3: date is after today: no mark can be taken yet; row rejected",
        "line 6, column 4: session must be AM or PM; row rejected",
        "line 7, column 1: no child on the register has this UPN; row rejected",
        "line 8, column 1: UPN invalid (wrong check letter at character 1); row rejected",
        "line 9, column 2: no school on the register has LAESTAB 8009999; row rejected",
        "line 10, column 2: laestab must be 7 digits (LA code and establishment number); row "
        "rejected",
        "line 10, column 5: code is missing (- means no mark yet); row rejected",
    ]
    assert AttendanceYear.objects.get().marks.count(".") + 1 == len(
        AttendanceYear.objects.get().marks
    )


def test_messages_never_quote_a_child_s_identifiers(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    stranger = make_upn("800", "2999", "19", "999")
    rows = [
        [stranger, school.laestab, "2025-09-04", "AM", "/"],
        [pupil.upn, school.laestab, "2019-09-04", "AM", "/"],
    ]
    report = run(write(tmp_path / "quiet.csv", rows))
    text = "\n".join(lines(report))
    assert stranger not in text
    assert pupil.upn not in text


def test_a_mark_for_a_pupil_not_on_that_school_s_roll_on_that_date_is_rejected(
    tmp_path: Path, school: School, other_school: School, file_reading: None
) -> None:
    leaver = ChildFactory.create()
    CurrentEnrolmentFactory.create(
        child=leaver,
        school=school,
        start_date=datetime.date(2025, 9, 8),
        end_date=datetime.date(2025, 10, 17),
    )
    rows = [
        [leaver.upn, school.laestab, "2025-09-05", "AM", "/"],  # before joining
        [leaver.upn, school.laestab, "2025-09-08", "AM", "/"],
        [leaver.upn, school.laestab, "2025-10-17", "PM", "/"],
        [leaver.upn, school.laestab, "2025-10-20", "AM", "O"],  # after leaving
        [leaver.upn, other_school.laestab, "2025-09-09", "AM", "/"],  # never on that roll
    ]

    report = run(write(tmp_path / "roll.csv", rows))

    assert report.counts_line() == "created=2 updated=0 unchanged=0 review=0 rejected=3"
    assert lines(report) == [
        f"line 2, column 2: the pupil is not on the roll of school {school.laestab} on "
        "2025-09-05; row rejected",
        f"line 5, column 2: the pupil is not on the roll of school {school.laestab} on "
        "2025-10-20; row rejected",
        f"line 6, column 2: the pupil is not on the roll of school {other_school.laestab} on "
        "2025-09-09; row rejected",
    ]


def test_after_an_academy_conversion_each_mark_goes_to_the_school_holding_the_roll(
    tmp_path: Path, file_reading: None
) -> None:
    closed = ClosedSchoolFactory.create(establishment_number="4100")
    academy = OpenSchoolFactory.create(establishment_number="4100")
    assert closed.laestab == academy.laestab
    child = ChildFactory.create()
    CurrentEnrolmentFactory.create(
        child=child,
        school=closed,
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    CurrentEnrolmentFactory.create(
        child=child, school=academy, start_date=datetime.date(2026, 1, 1)
    )
    rows = day_of(child, closed, "2025-12-19") + day_of(child, academy, "2026-01-05")

    report = run(write(tmp_path / "conversion.csv", rows))

    assert report.rejected == 0
    assert AttendanceYear.objects.get(school=closed).first_marked_on == datetime.date(2025, 12, 19)
    assert AttendanceYear.objects.get(school=academy).first_marked_on == datetime.date(2026, 1, 5)
    assert academy.status == SchoolStatus.OPEN


def test_a_former_upn_and_a_merged_record_lead_to_the_child(
    tmp_path: Path, school: School, pupil: Child, file_reading: None
) -> None:
    former = make_upn("800", "2998", "19", "001")
    Child.objects.filter(pk=pupil.pk).update(former_upn=former)
    report = run(
        write(tmp_path / "former.csv", [[former, school.laestab, "2025-09-03", "AM", "/"]])
    )
    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=0"
    assert AttendanceYear.objects.get().child_id == pupil.pk


def test_rows_whose_every_value_is_blank_are_skipped(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    path = tmp_path / "blanks.csv"
    path.write_text(
        f"{HEADER}\n{pupil.upn},{school.laestab},2025-09-03,AM,/\n\n,,,,\n  ,  ,,,\n"
        f"{pupil.upn},{school.laestab},2025-09-03,PM,Q\n",
        encoding="utf-8",
    )
    report = run(path)
    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=1"
    assert lines(report)[0].startswith("line 6, column 5: 'Q'")


def test_two_rows_for_one_session_the_later_line_wins(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    rows = [
        [pupil.upn, school.laestab, "2025-09-03", "AM", "N"],
        [pupil.upn, school.laestab, "2025-09-03", "AM", "N"],
        [pupil.upn, school.laestab, "2025-09-03", "AM", "I"],
    ]
    report = run(write(tmp_path / "twice.csv", rows))
    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=2"
    assert lines(report) == [
        "line 2: line 4 gives another mark for the same pupil, school, date and session; the "
        "later line is used and this one rejected",
        "line 3: line 4 gives another mark for the same pupil, school, date and session; the "
        "later line is used and this one rejected",
    ]
    assert mark_at(pupil, school, datetime.date(2025, 9, 3), 0) == "I"


def test_unknown_columns_are_ignored_with_a_message_and_columns_may_come_in_any_order(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    path = tmp_path / "reordered.csv"
    path.write_text(
        f"code, date ,class,session,laestab,upn\n/,2025-09-03,4B,AM,{school.laestab},{pupil.upn}\n",
        encoding="utf-8",
    )
    report = run(path)
    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=0"
    assert lines(report) == ["line 1, column 3: unknown column 'class' ignored"]


# --- Whole files refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"upn,laestab,date,session\n", "missing the required column code"),
        (b"name,dob\nA,B\n", "none of the required column names"),
        (b"PK\x03\x04rest", "Excel workbook"),
        (b"upn,laestab,date,session,code\nA\x00,1,2,3,4\n", "NUL byte on line 2"),
        (HEADER.encode() + b"\nA80\xe9,1,2025-09-03,AM,/\n", "not UTF-8: line 2"),
    ],
)
def test_a_file_level_fault_refuses_the_whole_file_and_writes_nothing(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "faulty.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=message):
        run(path)
    assert not ImportRun.objects.exists()
    assert not AttendanceYear.objects.exists()


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "big.csv", [["x"] * 5] * 10)
    with (
        override_settings(ATTENDANCE_IMPORT_MAX_BYTES=50),
        pytest.raises(ImportRefused, match="CME_ATTENDANCE_IMPORT_MAX_BYTES"),
    ):
        run(path)


def test_a_failure_part_way_leaves_the_database_as_it_was(
    tmp_path: Path, school: School, pupil: Child, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**_kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "refresh_triggers", fail)
    with pytest.raises(RuntimeError):
        run(write(tmp_path / "day.csv", day_of(pupil, school, "2025-09-03")))
    assert not AttendanceYear.objects.exists()
    assert not ImportRun.objects.exists()
    assert not AuditEvent.objects.exists()


def test_each_column_of_a_plain_file_holds_its_own_values_once(tmp_path: Path) -> None:
    """Each column is numbered in categories made for it and the file: its values are the
    column's own, each once (the same text in two columns, or in an earlier file, is not
    carried over)."""
    first = write(tmp_path / "first.csv", [["AM", "2025-09-03", "AM", "AM", "/"]])
    second = write(
        tmp_path / "second.csv",
        [["X1", "1234567", "2025-09-03", "AM", "/"], ["X2", "1234567", "2025-09-04", "PM", "N"]],
    )
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as hashing:
        importers._read_file(first, hashing)
        _checked, table, _digest = importers._read_file(second, hashing)
    columns = {name: sorted(column.values) for name, column in table.data.items()}
    assert columns == {
        "upn": ["X1", "X2"],
        "laestab": ["1234567"],
        "date": ["2025-09-03", "2025-09-04"],
        "session": ["AM", "PM"],
        "code": ["/", "N"],
    }
    upns = table.data["upn"]
    assert [upns.values[code] for code in upns.codes] == ["X1", "X2"]


# --- Any CSV reads as a plain one does ------------------------------------------------------------


def _quoted(rows: Sequence[Sequence[str]]) -> str:
    return "".join(",".join(f'"{value}"' for value in row) + "\r\n" for row in rows)


@pytest.mark.parametrize("form", ["quoted", "crlf", "bom", "plain"])
def test_quoting_line_endings_and_a_byte_order_mark_change_nothing(
    tmp_path: Path, school: School, pupil: Child, form: str
) -> None:
    rows = [
        *day_of(pupil, school, "2025-09-03", "/", "Q"),
        *day_of(pupil, school, "2025-09-04", "I", "I"),
    ]
    path = tmp_path / f"{form}.csv"
    text = {
        "quoted": _quoted([ATTENDANCE_COLUMNS, *rows]),
        "crlf": HEADER + "\r\n" + "".join(",".join(row) + "\r\n" for row in rows),
        "bom": "\ufeff" + HEADER + "\n" + "".join(",".join(row) + "\n" for row in rows),
        "plain": HEADER + "\n" + "".join(",".join(row) + "\n" for row in rows),
    }[form]
    path.write_text(text, encoding="utf-8")

    report = run(path)

    assert report.counts_line() == "created=3 updated=0 unchanged=0 review=0 rejected=1"
    assert lines(report) == [
        "line 3, column 5: 'Q' is not a national attendance code for that date (the 2024 "
        "codes, in force from 19 Aug 2024); row rejected"
    ]


CODES = st.sampled_from(["/", "\\", "I", "N", "O", "G", "C2", "Y1", "#", "-", "H", "Q", "", " o "])
DATES = st.sampled_from(
    ["2025-09-03", "2025-09-04", "2025-12-01", "2024-08-19", "2025-13-01", "2027-01-04"]
)
SESSIONS = st.sampled_from(["AM", "PM", "pm", "", "XX"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 2), DATES, SESSIONS, CODES), min_size=1, max_size=30))
def test_any_file_reads_alike_plain_or_quoted_and_a_second_import_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[int, str, str, str]]
) -> None:
    school = OpenSchoolFactory.create()
    pupils = [pupil_at(school) for _ in range(2)]
    upns = [pupil.upn for pupil in pupils] + [make_upn("800", "2999", "19", "998")]
    table = [[upns[who], school.laestab, day, session, code] for who, day, session, code in rows]
    folder = tmp_path_factory.mktemp("files")
    plain = write(folder / "plain.csv", table)
    quoted = folder / "quoted.csv"
    quoted.write_text(_quoted([ATTENDANCE_COLUMNS, *table]), encoding="utf-8")

    first = run(plain)
    marks = {year.pk: year.marks for year in AttendanceYear.objects.all()}
    again = run(quoted)

    assert first.created + first.updated + first.unchanged + first.rejected == len(rows)
    assert again.created == again.updated == 0
    assert again.rejected == first.rejected
    assert lines(again) == lines(first)
    assert {year.pk: year.marks for year in AttendanceYear.objects.all()} == marks
    AttendanceYear.objects.all().delete()
    Enrolment.objects.all().delete()


INCREMENT_DATES = st.sampled_from(
    [
        *(day.isoformat() for day in weekdays(datetime.date(2024, 7, 15), 5)),
        "2024-08-19",  # the 2024 codes, still in school year 2023/24
        "2024-08-20",
        *(day.isoformat() for day in weekdays(datetime.date(2025, 9, 1), 16)),
    ]
)
# Codes of both sets, some counted differently by date (B).
INCREMENT_CODES = st.sampled_from(["/", "\\", "I", "N", "O", "G", "#", "B", "L", "E", "U"])
ROW = st.tuples(INCREMENT_DATES, st.sampled_from(["AM", "PM"]), INCREMENT_CODES)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.lists(ROW, min_size=1, max_size=20), min_size=1, max_size=4))
def test_files_imported_one_after_another_leave_what_their_final_marks_would_in_one_file(
    tmp_path_factory: pytest.TempPathFactory,
    files: list[list[tuple[str, str, str]]],
    file_reading: None,
) -> None:
    """Later files change the stored years in place (spans, counts by difference): the same
    marks, counts, first and last days and open worklist items as the final marks at once."""
    school = OpenSchoolFactory.create()
    by_files, at_once = (pupil_at(school) for _ in range(2))
    Enrolment.objects.filter(child__in=[by_files, at_once]).update(
        start_date=datetime.date(2023, 9, 1)
    )
    folder = tmp_path_factory.mktemp("increments")
    final: dict[tuple[str, str], str] = {}
    for number, rows in enumerate(files):
        run(
            write(folder / f"{number}.csv", [[by_files.upn, school.laestab, *row] for row in rows]),
            today=datetime.date(2025, 10, 31),
        )
        final.update({(day, session): code for day, session, code in rows})
    run(
        write(
            folder / "final.csv",
            [[at_once.upn, school.laestab, *key, code] for key, code in final.items()],
        ),
        today=datetime.date(2025, 10, 31),
    )

    def stored_years(child: Child) -> list[tuple[Any, ...]]:
        return list(
            AttendanceYear.objects.filter(child=child)
            .order_by("school_year")
            .values_list(
                "school_year",
                "marks",
                "possible_sessions",
                "attended_sessions",
                "unauthorised_sessions",
                "first_marked_on",
                "last_marked_on",
            )
        )

    def open_items(child: Child) -> set[tuple[Any, ...]]:
        return set(
            AttendanceTrigger.objects.filter(
                child=child, status=AttendanceTrigger.Status.OPEN
            ).values_list("rule", "start_date", "fired_on")
        )

    assert stored_years(by_files) == stored_years(at_once)
    assert open_items(by_files) == open_items(at_once)


# --- The worklist --------------------------------------------------------------------------------


def test_a_trigger_opens_once_and_closes_itself_when_the_condition_ends(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    days = weekdays(datetime.date(2025, 11, 3), 13)

    def import_days(name: str, chosen: list[datetime.date], code: str) -> ImportReport:
        rows = [row for day in chosen for row in day_of(pupil, school, day.isoformat(), code, code)]
        return run(write(tmp_path / name, rows))

    report = import_days("ten.csv", days[:10], "O")
    assert report.warnings == ["attendance worklist: 1 new items (1 open), 0 re-opened, 0 closed"]
    trigger = AttendanceTrigger.objects.get()
    assert (trigger.rule, trigger.start_date, trigger.fired_on, trigger.status) == (
        Rule.UNAUTHORISED_ABSENCE_10_DAYS,
        days[0],
        days[9],
        AttendanceTrigger.Status.OPEN,
    )
    import_days("eleventh.csv", [days[10]], "N")  # one more day: the same item, no new one
    trigger.refresh_from_db()
    assert AttendanceTrigger.objects.count() == 1
    assert trigger.detail.startswith("11 school days")
    import_days("back.csv", [days[11]], "/")
    trigger.refresh_from_db()
    assert (trigger.status, trigger.closure, trigger.ended_on) == (
        AttendanceTrigger.Status.CLOSED,
        AttendanceTrigger.Closure.CONDITION_ENDED,
        days[11],
    )
    kinds = list(
        AuditEvent.objects.filter(child_id=pupil.pk).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        AuditEvent.Kind.ATTENDANCE_TRIGGER_OPENED,
        AuditEvent.Kind.ATTENDANCE_TRIGGER_CLOSED,
    ]


def test_a_trigger_the_corrected_marks_no_longer_show_is_closed_as_such(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    days = weekdays(datetime.date(2025, 11, 3), 10)
    rows = [row for day in days for row in day_of(pupil, school, day.isoformat(), "N", "N")]
    run(write(tmp_path / "n.csv", rows))
    fixed = [row for day in days for row in day_of(pupil, school, day.isoformat(), "I", "I")]
    run(write(tmp_path / "i.csv", fixed))
    closed = AttendanceTrigger.objects.get(rule=Rule.UNAUTHORISED_ABSENCE_10_DAYS)
    assert (closed.status, closed.closure) == (
        AttendanceTrigger.Status.CLOSED,
        AttendanceTrigger.Closure.MARKS_CORRECTED,
    )


def test_a_back_filled_year_records_the_ended_firings_closed(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    days = weekdays(datetime.date(2025, 11, 3), 11)
    rows = [row for day in days[:10] for row in day_of(pupil, school, day.isoformat(), "G", "G")]
    rows += day_of(pupil, school, days[10].isoformat())
    report = run(write(tmp_path / "year.csv", rows))
    assert report.warnings == ["attendance worklist: 1 new items (0 open), 0 re-opened, 0 closed"]
    trigger = AttendanceTrigger.objects.get()
    assert trigger.closure == AttendanceTrigger.Closure.CONDITION_ENDED
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ATTENDANCE_TRIGGER_OPENED)
    assert event.summary.startswith("Attendance trigger, already closed")


def test_a_past_year_s_item_still_in_force_is_closed_as_the_year_ended(
    tmp_path: Path, school: School, pupil: Child
) -> None:
    days = weekdays(datetime.date(2025, 7, 1), 12)
    rows = [row for day in days for row in day_of(pupil, school, day.isoformat(), "O", "O")]
    run(write(tmp_path / "july.csv", rows), today=datetime.date(2025, 10, 1))
    trigger = AttendanceTrigger.objects.get(rule=Rule.UNAUTHORISED_ABSENCE_10_DAYS)
    assert (trigger.status, trigger.closure) == (
        AttendanceTrigger.Status.CLOSED,
        AttendanceTrigger.Closure.YEAR_ENDED,
    )


@pytest.mark.postgresql_only
def test_on_postgresql_many_items_and_events_are_written_with_copy(
    tmp_path: Path, school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cme.audit import services as audit_services

    monkeypatch.setattr(services, "_COPY_FROM", 0)
    monkeypatch.setattr(audit_services, "_COPY_FROM", 0)
    pupils = [pupil_at(school) for _ in range(3)]
    days = weekdays(datetime.date(2025, 11, 3), 12)
    rows = [
        row
        for pupil in pupils
        for day in days
        for row in day_of(pupil, school, day.isoformat(), "O", "O\t")
    ]
    report = run(write(tmp_path / "many.csv", rows))
    assert report.created == 72
    triggers = AttendanceTrigger.objects.filter(status="open")
    assert {trigger.child_id for trigger in triggers} == {pupil.pk for pupil in pupils}
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.ATTENDANCE_TRIGGER_OPENED)
    assert sorted(event.subject_id for event in events) == sorted(str(t.pk) for t in triggers)
    assert all(event.details["rule"] == Rule.UNAUTHORISED_ABSENCE_10_DAYS for event in events)
    run(write(tmp_path / "many.csv", rows))  # re-read through COPY's text: nothing changes
    assert AttendanceTrigger.objects.count() == 3


@given(st.text(alphabet=st.sampled_from("aAzZ09 \t\u00a0\u0131\u017f.-"), max_size=15))
def test_a_upn_is_read_as_normalise_upn_reads_it(value: str) -> None:
    assert importers._normal_upn(value) == normalise_upn(value)


@pytest.mark.postgresql_only
def test_a_write_made_alongside_the_rules_that_fails_leaves_nothing_stored(
    tmp_path: Path, school: School, pupil: Child, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An authority's daily file is written in a thread while the rules run (services.
    save_and_refresh): its failure fails the import, and the transaction holds nothing."""
    monkeypatch.setattr(services, "MANY_PUPILS", 0)
    run(write(tmp_path / "monday.csv", day_of(pupil, school, "2025-09-08")))
    before = stored(pupil, school)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_copy_spans", broken)
    with pytest.raises(RuntimeError, match="went away"):
        run(write(tmp_path / "tuesday.csv", day_of(pupil, school, "2025-09-09", "O", "O")))

    assert stored(pupil, school) == before
    assert ImportRun.objects.count() == 1


@pytest.mark.postgresql_only
def test_a_year_s_new_rows_written_alongside_the_rules_failing_leave_nothing_stored(
    tmp_path: Path, school: School, pupil: Child, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole year's new pupil-years are written in a thread too (and their foreign keys
    checked there): a failure there fails the import, with nothing stored."""
    monkeypatch.setattr(services, "MANY_PUPILS", 0)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "copy_lines", broken)
    with pytest.raises(RuntimeError, match="went away"):
        run(write(tmp_path / "year.csv", day_of(pupil, school, "2025-09-08", "O", "O")))

    assert not AttendanceYear.objects.exists()
    assert not AttendanceTrigger.objects.exists()
    assert not ImportRun.objects.exists()
