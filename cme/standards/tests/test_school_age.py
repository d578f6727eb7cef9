"""Compulsory school age and year groups, from worked examples and properties."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from cme.standards.school_age import (
    compulsory_school_age_ends,
    compulsory_school_age_starts,
    is_of_compulsory_school_age,
    last_friday_in_june,
    national_curriculum_year,
    year_group_label,
)

D = datetime.date


def test_a_child_turning_five_in_october_starts_on_31_december() -> None:
    assert compulsory_school_age_starts(D(2019, 10, 14)) == D(2024, 12, 31)


def test_a_child_turning_five_in_january_starts_on_31_march() -> None:
    assert compulsory_school_age_starts(D(2020, 1, 2)) == D(2025, 3, 31)


def test_a_child_turning_five_in_may_starts_on_31_august() -> None:
    assert compulsory_school_age_starts(D(2020, 5, 20)) == D(2025, 8, 31)


def test_a_fifth_birthday_on_a_prescribed_day_starts_that_day() -> None:
    assert compulsory_school_age_starts(D(2020, 12, 31)) == D(2025, 12, 31)


def test_a_leap_day_birthday_turns_five_on_1_march() -> None:
    assert compulsory_school_age_starts(D(2020, 2, 29)) == D(2025, 3, 31)


def test_last_friday_in_june_2026_is_the_26th() -> None:
    assert last_friday_in_june(2026) == D(2026, 6, 26)
    assert last_friday_in_june(2028) == D(2028, 6, 30)


def test_compulsory_school_age_ends_on_the_last_friday_in_june_of_year_11() -> None:
    # Turns 16 on 3 April 2027, in the school year 2026/27: leaves on Friday 25 June 2027.
    assert compulsory_school_age_ends(D(2011, 4, 3)) == D(2027, 6, 25)
    # Turns 16 on 20 August 2027, the same school year: the same day, before the birthday.
    assert compulsory_school_age_ends(D(2011, 8, 20)) == D(2027, 6, 25)
    # Turns 16 on 1 September 2027: a school year later.
    assert compulsory_school_age_ends(D(2011, 9, 1)) == D(2028, 6, 30)


def test_year_groups_follow_the_1_september_cut_off() -> None:
    on = D(2026, 11, 28)
    assert national_curriculum_year(D(2021, 8, 31), on) == 1
    assert national_curriculum_year(D(2021, 9, 1), on) == 0
    assert national_curriculum_year(D(2022, 9, 1), on) == -1
    assert national_curriculum_year(D(2015, 3, 1), on) == 7
    assert year_group_label(0) == "Reception"
    assert year_group_label(6) == "Year 6"


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31)))
def test_compulsory_school_age_spans_about_eleven_years(date_of_birth: datetime.date) -> None:
    starts = compulsory_school_age_starts(date_of_birth)
    ends = compulsory_school_age_ends(date_of_birth)
    assert starts >= date_of_birth + datetime.timedelta(days=5 * 365)
    # The longest wait is from a 1 April fifth birthday to 31 August: 152 days.
    assert (starts - date_of_birth).days <= 5 * 366 + 152
    assert 10 <= (ends - starts).days / 365.25 <= 12
    assert ends.weekday() == 4
    assert is_of_compulsory_school_age(date_of_birth, starts) is True
    assert is_of_compulsory_school_age(date_of_birth, ends + datetime.timedelta(days=1)) is False


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)),
)
def test_children_born_in_one_school_year_share_a_year_group(
    date_of_birth: datetime.date, on: datetime.date
) -> None:
    september_born = D(
        date_of_birth.year if date_of_birth.month >= 9 else date_of_birth.year - 1, 9, 1
    )
    assert national_curriculum_year(date_of_birth, on) == national_curriculum_year(
        september_born, on
    )
