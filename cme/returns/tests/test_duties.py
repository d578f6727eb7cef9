"""When returns are due, and which duties the service can see (regulation 13)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.pupils.models import SchoolPhase
from cme.returns import duties

dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))


def test_a_new_pupil_return_is_due_by_the_fifth_day_after_entry() -> None:
    # Entered on a Friday: the weekend counts, because the regulation says days.
    assert duties.new_pupil_return_due(datetime.date(2026, 11, 6)) == datetime.date(2026, 11, 11)


@given(entered=dates)
def test_a_new_pupil_return_is_always_due_five_days_on(entered: datetime.date) -> None:
    assert (duties.new_pupil_return_due(entered) - entered).days == 5


@pytest.mark.parametrize(
    ("junior_class_first_day", "la_asks", "required"),
    [(False, False, True), (True, False, False), (True, True, True), (False, True, True)],
)
def test_the_most_junior_class_on_the_first_day_is_exempt_unless_the_authority_asks(
    junior_class_first_day: bool, la_asks: bool, required: bool
) -> None:
    assert (
        duties.new_pupil_return_required(
            joins_most_junior_class_on_first_day=junior_class_first_day, la_asks=la_asks
        )
        is required
    )


def test_a_deletion_return_is_due_the_day_the_ground_is_met() -> None:
    met = datetime.date(2026, 11, 20)
    assert duties.deletion_return_due(met) == met
    assert duties.days_late(due_on=met, made_on=met) == 0
    assert duties.days_late(due_on=met, made_on=datetime.date(2026, 11, 23)) == 3


@given(due=dates, made=dates)
def test_a_return_is_never_a_negative_number_of_days_late(
    due: datetime.date, made: datetime.date
) -> None:
    late = duties.days_late(due_on=due, made_on=made)
    assert late >= 0
    assert (late == 0) is (made <= due)


@given(day=dates)
def test_month_end_is_the_last_day_of_the_month(day: datetime.date) -> None:
    end = duties.month_end(day)
    assert end.month == day.month
    assert (end + datetime.timedelta(days=1)).day == 1


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (datetime.date(2026, 11, 30), [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)]),
        (datetime.date(2026, 11, 5), [datetime.date(2026, 9, 1)]),  # October is in its grace
        (datetime.date(2026, 11, 6), [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)]),
        (datetime.date(2026, 9, 20), []),
        (
            datetime.date(2027, 8, 20),  # the whole school year, September to July
            [
                *(datetime.date(2026, month, 1) for month in (9, 10, 11, 12)),
                *(datetime.date(2027, month, 1) for month in (1, 2, 3, 4, 5, 6, 7)),
            ],
        ),
    ],
)
def test_each_month_of_the_school_year_needs_an_attendance_return(
    today: datetime.date, months: list[datetime.date]
) -> None:
    assert duties.attendance_months_due(today=today, grace_days=5) == months


@given(today=dates, grace=st.integers(0, 40))
def test_attendance_months_are_past_due_in_this_school_year_and_never_august(
    today: datetime.date, grace: int
) -> None:
    months = duties.attendance_months_due(today=today, grace_days=grace)
    start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    for month in months:
        assert month.day == 1
        assert month.month != 8
        assert month >= start
        assert duties.is_overdue(due_on=duties.month_end(month), today=today, grace_days=grace)


def test_attendance_months_start_no_earlier_than_since() -> None:
    months = duties.attendance_months_due(
        today=datetime.date(2026, 12, 20), grace_days=5, since=datetime.date(2026, 10, 14)
    )
    assert months == [datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]


BORN_IN_YEAR_6_OF_2025_26 = datetime.date(2014, 12, 1)  # Year 6 in 2025/26, Year 7 in 2026/27


@pytest.mark.parametrize(
    ("born", "removed", "phase", "expected"),
    [
        # Left a primary at the end of Year 6: seen by a roll import in September. No return.
        (BORN_IN_YEAR_6_OF_2025_26, datetime.date(2026, 9, 7), SchoolPhase.PRIMARY, False),
        (BORN_IN_YEAR_6_OF_2025_26, datetime.date(2026, 7, 22), SchoolPhase.PRIMARY, False),
        # Left Year 6 in March: a deletion return is due.
        (BORN_IN_YEAR_6_OF_2025_26, datetime.date(2026, 3, 10), SchoolPhase.PRIMARY, True),
        # The same child leaving a secondary in September is in Year 7 there: due.
        (BORN_IN_YEAR_6_OF_2025_26, datetime.date(2026, 9, 7), SchoolPhase.SECONDARY, True),
        # A special school has no "most senior year" rule here: due.
        (BORN_IN_YEAR_6_OF_2025_26, datetime.date(2026, 9, 7), SchoolPhase.NOT_APPLICABLE, True),
        # Past compulsory school age: none.
        (datetime.date(2009, 10, 1), datetime.date(2026, 9, 7), SchoolPhase.SECONDARY, False),
        # Not yet of compulsory school age (a four-year-old in Reception): none.
        (datetime.date(2022, 6, 1), datetime.date(2026, 11, 7), SchoolPhase.PRIMARY, False),
        (None, datetime.date(2026, 11, 7), SchoolPhase.PRIMARY, True),
    ],
)
def test_a_deletion_return_is_expected_except_at_the_end_of_the_most_senior_year(
    born: datetime.date | None, removed: datetime.date, phase: str, expected: bool
) -> None:
    assert (
        duties.deletion_return_expected(date_of_birth=born, removed_on=removed, phase=phase)
        is expected
    )
