"""Writes outside the importer: watching attendance after a placement, closing past years;
and what protects the stored marks."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cme.attendance import services
from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.attendance.models import AttendanceTrigger, AttendanceYear, PlacementMonitoring
from cme.attendance.rules import Rule
from cme.audit.models import AuditEvent
from cme.lib.postgres_copy import copy_lines, foreign_keys_checked_now
from cme.pupils.models import School
from cme.pupils.tests.factories import pupil_at

from .registers import weekdays

pytestmark = pytest.mark.django_db
D = datetime.date


def _marks(tmp_path: Path, rows: list[str], today: D) -> None:
    path = tmp_path / "marks.csv"
    path.write_text(",".join(ATTENDANCE_COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_attendance_file(path=path, today=today)


@time_machine.travel(datetime.datetime(2025, 10, 10, 18, tzinfo=datetime.UTC), tick=False)
def test_watching_a_placement_audits_it_and_applies_the_rule_at_once(
    tmp_path: Path, school: School, cme_officer: object
) -> None:
    child = pupil_at(school)
    days = weekdays(D(2025, 10, 6), 5)
    today = days[-1]
    _marks(
        tmp_path,
        [
            f"{child.upn},{school.laestab},{day},{session},{'/' if n < 3 else 'O'}"
            for n, day in enumerate(days)
            for session in ("AM", "PM")
        ],
        today,
    )
    assert not AttendanceTrigger.objects.exists()

    watch = services.watch_attendance_after_placement(
        child=child, school=school, placed_on=days[0], actor=cme_officer
    )

    assert PlacementMonitoring.objects.get() == watch
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PLACEMENT_MONITORED)
    assert (event.child_id, event.actor) == (child.pk, cme_officer)
    trigger = AttendanceTrigger.objects.get()
    assert (trigger.rule, trigger.status) == (Rule.POST_PLACEMENT_ATTENDANCE, "open")
    assert "60.0%" in trigger.detail


def test_monitoring_cannot_end_before_the_placement(school: School) -> None:
    with pytest.raises(ValueError, match="before the placement"):
        services.watch_attendance_after_placement(
            child=pupil_at(school),
            school=school,
            placed_on=D(2025, 10, 6),
            actor=None,
            ends_on=D(2025, 10, 1),
        )


def test_items_still_open_from_a_past_year_are_closed_as_the_year_ended(
    tmp_path: Path, school: School
) -> None:
    child = pupil_at(school)
    days = weekdays(D(2025, 6, 2), 11)
    _marks(
        tmp_path,
        [
            f"{child.upn},{school.laestab},{day},{session},O"
            for day in days
            for session in ("AM", "PM")
        ],
        D(2025, 6, 30),
    )
    assert AttendanceTrigger.objects.filter(status="open").exists()

    closed = services.close_triggers_of_ended_years(today=D(2025, 9, 2), actor=None)

    assert closed == AttendanceTrigger.objects.count()
    assert set(AttendanceTrigger.objects.values_list("closure", flat=True)) == {"year_ended"}
    assert (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.ATTENDANCE_TRIGGER_CLOSED).count() == closed
    )


def test_a_school_with_attendance_cannot_be_deleted(tmp_path: Path, school: School) -> None:
    """The school's foreign keys have no database constraint (models.py): Django protects."""
    child = pupil_at(school)
    _marks(tmp_path, [f"{child.upn},{school.laestab},2025-09-03,AM,O"], D(2025, 9, 30))

    with pytest.raises(ProtectedError):
        school.delete()
    assert AttendanceYear.objects.filter(school=school).exists()


@pytest.mark.parametrize("by_school", [False, True])
@pytest.mark.parametrize(
    "marks",
    ["", "/", "\\\\", "..N", "OOOO", "IIB", "..............L", "#-", "O\\\\", "GGGGGGGGGGGGGGGGW"],
)
def test_stored_years_say_what_the_marks_hold(
    school: School, marks: str, by_school: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the window and flags are worked out in SQL: they agree with Python's."""
    if by_school:
        monkeypatch.setattr(services, "MANY_PUPILS", 0)
    child = pupil_at(school)
    year = AttendanceYear.objects.create(
        child=child, school=school, school_year=2025, marks=marks, updated_at=timezone.now()
    )
    symbols = np.frombuffer(marks.encode("ascii"), dtype=np.uint8)
    has_n, has_attendance = services.marks_flags(symbols)

    stored = services.stored_years([(child.pk, school.pk, 2025)], window=(1, 4))

    assert stored == {
        (child.pk, school.pk, 2025): services.StoredYear(
            year.pk, len(marks), marks[1:4].encode(), bool(has_n), bool(has_attendance)
        )
    }


@pytest.mark.postgresql_only
def test_years_copied_with_their_foreign_keys_checked_now_are_refused_at_once(
    school: School,
) -> None:
    """The whole year's write checks its rows' children as they are copied (in the thread
    it runs in), and leaves the checks deferred to commit again afterwards."""
    table = AttendanceYear._meta.db_table
    columns = ("child_id", "school_id", "school_year", "marks", "possible_sessions",
               "attended_sessions", "unauthorised_sessions", "updated_at")  # fmt: skip
    no_such_child = [f"987654321\t{school.pk}\t2025\t/\\\\\t2\t2\t0\tnow\n"]
    with (
        pytest.raises(IntegrityError, match="child"),
        transaction.atomic(),
        foreign_keys_checked_now(table),
    ):
        copy_lines(table, columns, no_such_child)

    with transaction.atomic():
        point = transaction.savepoint()
        with foreign_keys_checked_now(table):
            pass
        copy_lines(table, columns, no_such_child)  # deferred again: found only at commit
        assert AttendanceYear.objects.filter(child_id=987654321).exists()
        transaction.savepoint_rollback(point)
