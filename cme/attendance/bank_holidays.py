"""Bank holidays in England and Wales, from GOV.UK's published list.

Owns where bank holidays come from: `govuk-bank-holidays`, which ships a copy of
https://www.gov.uk/bank-holidays.json and is updated when GOV.UK's list is (never fetched at
run time: `use_cached_holidays=True`). The rules take school days from the registers
themselves; bank holidays are for what the registers cannot say: which weekdays a school
certainly did not meet (a register silent on a weekday that is not a bank holiday is missing
data, not a holiday) and the demo registers' calendar.
"""

from __future__ import annotations

import datetime
import functools

from govuk_bank_holidays.bank_holidays import BankHolidays


class BankHolidaysUnknownError(LookupError):
    """The shipped list does not reach this year: update govuk-bank-holidays."""


@functools.cache
def _england_and_wales() -> frozenset[datetime.date]:
    holidays = BankHolidays(use_cached_holidays=True).get_holidays(
        division=BankHolidays.ENGLAND_AND_WALES
    )
    return frozenset(holiday["date"] for holiday in holidays)


def known_years() -> range:
    """The calendar years the shipped list covers."""
    dates = _england_and_wales()
    return range(min(dates).year, max(dates).year + 1)


def is_bank_holiday(day: datetime.date) -> bool:
    """Whether `day` is a bank holiday in England and Wales. Raises BankHolidaysUnknownError
    for a year the shipped list does not cover (rather than answer "no" wrongly)."""
    if day.year not in known_years():
        msg = (
            f"GOV.UK's bank holidays for {day.year} are not in the installed list "
            f"({known_years().start} to {known_years().stop - 1}); update govuk-bank-holidays"
        )
        raise BankHolidaysUnknownError(msg)
    return day in _england_and_wales()


def bank_holidays_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The bank holidays from `first` to `last` inclusive, in order."""
    for year in (first.year, last.year):
        is_bank_holiday(datetime.date(year, 1, 1))  # raises for a year not covered
    return sorted(day for day in _england_and_wales() if first <= day <= last)


def could_be_school_day(day: datetime.date) -> bool:
    """A weekday that is not a bank holiday (term dates are each school's own)."""
    return day.weekday() < 5 and not is_bank_holiday(day)
