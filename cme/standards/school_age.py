"""Compulsory school age and national curriculum year, from a date of birth.

Education Act 1996 s.8 and the Education (Start of Compulsory School Age) Order 1998: a child
becomes of compulsory school age on the prescribed day (31 August, 31 December or 31 March) on
or after their fifth birthday. The Education (School Leaving Date) Order 1997: they stop being
of compulsory school age on the last Friday in June of the school year (1 September to
31 August) in which they turn 16.
"""

from __future__ import annotations

import datetime

PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))  # (month, day), in calendar order
FRIDAY = 4


def _add_years(date: datetime.date, years: int) -> datetime.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February in a year that has none: the birthday is 1 March
        return date.replace(year=date.year + years, month=3, day=1)


def school_year_start(on: datetime.date) -> int:
    """The calendar year in which the school year containing `on` began (1 September)."""
    return on.year if on.month >= 9 else on.year - 1


def compulsory_school_age_starts(date_of_birth: datetime.date) -> datetime.date:
    """The prescribed day on or after the fifth birthday."""
    fifth = _add_years(date_of_birth, 5)
    for year in (fifth.year, fifth.year + 1):
        for month, day in PRESCRIBED_DAYS:
            prescribed = datetime.date(year, month, day)
            if prescribed >= fifth:
                return prescribed
    raise AssertionError("unreachable: 31 March of the next year always follows")


def last_friday_in_june(year: int) -> datetime.date:
    june_30 = datetime.date(year, 6, 30)
    return june_30 - datetime.timedelta(days=(june_30.weekday() - FRIDAY) % 7)


def compulsory_school_age_ends(date_of_birth: datetime.date) -> datetime.date:
    """The last Friday in June of the school year in which the child turns 16 (the last day of
    compulsory school age)."""
    sixteenth = _add_years(date_of_birth, 16)
    return last_friday_in_june(school_year_start(sixteenth) + 1)


def is_of_compulsory_school_age(date_of_birth: datetime.date, on: datetime.date) -> bool:
    return (
        compulsory_school_age_starts(date_of_birth)
        <= on
        <= compulsory_school_age_ends(date_of_birth)
    )


def national_curriculum_year(date_of_birth: datetime.date, on: datetime.date) -> int:
    """The year group a child is normally in on `on`: 0 is Reception, 1 to 13 are Years 1 to 13,
    negative numbers are nursery ages. Children born 1 September to 31 August share a year."""
    return school_year_start(on) - school_year_start(date_of_birth) - 5


def year_group_label(year: int) -> str:
    if year == 0:
        return "Reception"
    if year < 0:
        return "Nursery"
    return f"Year {year}"
