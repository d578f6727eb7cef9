"""Bank holidays in England and Wales, from GOV.UK's published list."""

from __future__ import annotations

import datetime

import pytest

from cme.attendance.bank_holidays import (
    BankHolidaysUnknownError,
    bank_holidays_between,
    could_be_school_day,
    is_bank_holiday,
    known_years,
)

D = datetime.date


@pytest.mark.parametrize(
    "day",
    [
        D(2023, 5, 8),
        D(2024, 3, 29),
        D(2025, 8, 25),
        D(2025, 12, 25),
        D(2026, 5, 25),
        D(2027, 12, 28),
    ],
)
def test_gov_uk_s_bank_holidays_are_known(day: D) -> None:
    assert is_bank_holiday(day) is True
    assert could_be_school_day(day) is False


def test_an_ordinary_weekday_is_not_one() -> None:
    assert is_bank_holiday(D(2025, 12, 23)) is False
    assert could_be_school_day(D(2025, 12, 23)) is True
    assert could_be_school_day(D(2025, 12, 27)) is False  # a Saturday


def test_the_list_covers_2023_to_2027_at_least() -> None:
    assert {2023, 2024, 2025, 2026, 2027} <= set(known_years())
    assert len(bank_holidays_between(D(2025, 1, 1), D(2025, 12, 31))) == 8


def test_a_year_the_list_does_not_cover_is_an_error_not_a_no() -> None:
    with pytest.raises(BankHolidaysUnknownError, match="update govuk-bank-holidays"):
        is_bank_holiday(D(2099, 1, 1))
