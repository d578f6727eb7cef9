"""Case deadlines: the table, school-day arithmetic and term starts (pure; no database)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.cases.deadlines import (
    DUE_FOR,
    STATE_DEADLINES,
    NextTermStart,
    SchoolDays,
    add_school_days,
    days_overdue,
    default_term_starts,
    elapsed_label,
    is_school_day,
    next_term_start,
    state_due_on,
)
from cme.cases.workflow import OPEN_STATUSES, CaseStatus

dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31))


def test_every_open_state_has_a_deadline_and_words_for_it_and_closed_has_none() -> None:
    assert set(STATE_DEADLINES) == set(OPEN_STATUSES)
    assert set(DUE_FOR) == set(OPEN_STATUSES)
    assert state_due_on(CaseStatus.CLOSED, datetime.date(2026, 11, 30)) is None


def test_whereabouts_unknown_is_re_checked_every_term_and_nothing_else_is() -> None:
    termly = {status for status, due in STATE_DEADLINES.items() if isinstance(due, NextTermStart)}
    assert termly == {CaseStatus.WHEREABOUTS_UNKNOWN}


def test_checking_is_due_within_five_school_days() -> None:
    monday = datetime.date(2026, 11, 30)
    assert STATE_DEADLINES[CaseStatus.CHECKING] == SchoolDays(5)
    assert state_due_on(CaseStatus.CHECKING, monday) == datetime.date(2026, 12, 7)


def test_a_council_can_change_one_states_deadline() -> None:
    monday = datetime.date(2026, 11, 30)
    due = state_due_on(CaseStatus.CHECKING, monday, school_days={"checking": 2})
    assert due == datetime.date(2026, 12, 2)
    assert state_due_on(CaseStatus.LOCATING, monday, school_days={"checking": 2}) == (
        add_school_days(monday, 20)
    )


@given(dates, st.integers(min_value=0, max_value=200))
def test_adding_school_days_counts_exactly_that_many_weekdays(
    start: datetime.date, days: int
) -> None:
    due = add_school_days(start, days)
    assert is_school_day(due)
    assert due >= start
    counted = sum(
        1
        for offset in range(1, (due - start).days + 1)
        if is_school_day(start + datetime.timedelta(days=offset))
    )
    assert counted == days or (days == 0 and counted <= 1)


@given(dates, st.integers(min_value=1, max_value=100))
def test_more_school_days_is_never_earlier(start: datetime.date, days: int) -> None:
    assert add_school_days(start, days) >= add_school_days(start, days - 1)
    if is_school_day(start):
        assert add_school_days(start, days) > add_school_days(start, days - 1)


def test_school_days_skip_the_weekend() -> None:
    friday = datetime.date(2026, 12, 4)
    assert add_school_days(friday, 1) == datetime.date(2026, 12, 7)
    saturday = datetime.date(2026, 12, 5)
    assert add_school_days(saturday, 1) == datetime.date(2026, 12, 7)
    assert add_school_days(saturday, 0) == datetime.date(2026, 12, 7)


def test_negative_school_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_school_days(datetime.date(2026, 12, 4), -1)


@given(dates)
def test_the_next_term_start_is_after_the_day_within_five_months_and_a_school_day(
    day: datetime.date,
) -> None:
    start = next_term_start(day)
    assert start > day
    assert (start - day).days <= 150
    assert is_school_day(start)


@given(dates, st.lists(dates, max_size=6))
def test_listed_term_dates_win_while_they_last(
    day: datetime.date, listed: list[datetime.date]
) -> None:
    start = next_term_start(day, term_dates=listed)
    later = sorted(d for d in listed if d > day)
    assert start == (later[0] if later else next_term_start(day))


def test_the_default_term_starts_are_the_first_weekday_of_each_term() -> None:
    assert default_term_starts([2027]) == [
        datetime.date(2027, 1, 4),
        datetime.date(2027, 4, 15),
        datetime.date(2027, 9, 1),
    ]
    # 4 January 2026 is a Sunday: the spring term starts on the Monday.
    assert datetime.date(2026, 1, 5) in default_term_starts([2026])


def test_whereabouts_unknown_from_december_is_due_at_the_start_of_the_spring_term() -> None:
    assert state_due_on(CaseStatus.WHEREABOUTS_UNKNOWN, datetime.date(2026, 12, 2)) == (
        datetime.date(2027, 1, 4)
    )
    council = [datetime.date(2027, 1, 6), datetime.date(2027, 4, 19)]
    assert state_due_on(
        CaseStatus.WHEREABOUTS_UNKNOWN, datetime.date(2026, 12, 2), term_dates=council
    ) == datetime.date(2027, 1, 6)


@given(st.sampled_from(sorted(OPEN_STATUSES)), dates)
def test_no_deadline_falls_before_the_case_entered_its_state(
    status: CaseStatus, entered: datetime.date
) -> None:
    due = state_due_on(status, entered)
    assert due is not None
    assert due > entered


@given(st.one_of(st.none(), dates), dates)
def test_days_overdue_is_never_negative_and_zero_until_the_day_after(
    due: datetime.date | None, today: datetime.date
) -> None:
    late = days_overdue(due, today)
    assert late >= 0
    assert (late > 0) is (due is not None and today > due)


def test_elapsed_time_reads_as_days() -> None:
    day = datetime.date(2026, 11, 30)
    assert elapsed_label(day, day) == "0 days"
    assert elapsed_label(day, day + datetime.timedelta(days=1)) == "1 day"
    assert elapsed_label(day, day + datetime.timedelta(days=23)) == "23 days"
