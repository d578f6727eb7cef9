"""The packed form of a year's marks and what each mark counts as."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.attendance.marks import (
    NO_MARK,
    Kind,
    code_of_symbol,
    date_of_day,
    day_bytes,
    day_index,
    days_in_year,
    kind_of_code,
    kind_table,
    kinds_of_matrix,
    padded,
    regime_2024_from_day,
    school_year_of,
    session_index,
    session_kinds,
    symbol_of_code,
)
from cme.standards.attendance_codes import CodeSet, codes_in_set

AFTER = datetime.date(2025, 1, 15)
BEFORE = datetime.date(2023, 11, 6)


@pytest.mark.parametrize("code_set", [CodeSet.PRE_2024, CodeSet.SET_2024])
def test_every_code_of_both_sets_packs_into_one_character_and_back(code_set: CodeSet) -> None:
    for entry in codes_in_set(code_set):
        symbol = symbol_of_code(entry.code)
        assert len(symbol) == 1
        assert symbol != NO_MARK
        assert code_of_symbol(symbol) == entry.code


def test_no_two_codes_share_a_character() -> None:
    codes = {entry.code for s in (CodeSet.PRE_2024, CodeSet.SET_2024) for entry in codes_in_set(s)}
    assert len({symbol_of_code(code) for code in codes}) == len(codes)


@pytest.mark.parametrize(
    ("code", "on", "kind"),
    [
        ("/", AFTER, Kind.PRESENT),
        ("\\", BEFORE, Kind.PRESENT),
        ("L", AFTER, Kind.PRESENT),
        ("K", AFTER, Kind.APPROVED),
        ("J", BEFORE, Kind.APPROVED),  # an interview was an approved activity before 2024
        ("J1", AFTER, Kind.OTHER_AUTHORISED),  # and is authorised absence since
        ("C2", AFTER, Kind.PART_TIME),
        ("C", BEFORE, Kind.OTHER_AUTHORISED),
        ("H", BEFORE, Kind.OTHER_AUTHORISED),
        ("I", AFTER, Kind.ILLNESS),
        ("E", BEFORE, Kind.EXCLUDED),
        ("G", AFTER, Kind.HOLIDAY_NOT_AGREED),
        ("N", BEFORE, Kind.NOT_ESTABLISHED),
        ("O", AFTER, Kind.OTHER_UNAUTHORISED),
        ("U", AFTER, Kind.LATE_AFTER_CLOSE),
        ("D", AFTER, Kind.NOT_COUNTED),
        ("Y4", AFTER, Kind.NOT_COUNTED),
        ("Y", BEFORE, Kind.NOT_COUNTED),
        ("#", AFTER, Kind.CLOSED),
        ("-", BEFORE, Kind.NOT_YET),
    ],
)
def test_each_mark_counts_as_its_statistical_category_says(
    code: str, on: datetime.date, kind: Kind
) -> None:
    assert kind_of_code(code, on) is kind


@pytest.mark.parametrize(
    ("code", "on"), [("H", AFTER), ("C2", BEFORE), ("Y1", BEFORE), ("Q", AFTER)]
)
def test_a_code_not_in_the_set_of_its_date_has_no_kind(code: str, on: datetime.date) -> None:
    assert kind_of_code(code, on) is None


def test_the_tables_count_what_dfe_counts_in_possible_sessions_and_attendance() -> None:
    for code_set, on in ((CodeSet.PRE_2024, BEFORE), (CodeSet.SET_2024, AFTER)):
        table = kind_table(code_set)
        for entry in codes_in_set(code_set):
            kind = Kind(table[ord(symbol_of_code(entry.code))])
            assert (kind >= Kind.PRESENT) is entry.counts_in_possible_sessions, entry.code
            assert (kind in {Kind.PRESENT, Kind.APPROVED}) is entry.counts_as_attendance
            assert kind is kind_of_code(entry.code, on)


def test_the_2024_codes_apply_from_19_august_2024_within_the_2023_school_year() -> None:
    assert regime_2024_from_day(2023) == day_index(datetime.date(2024, 8, 19), 2023)
    assert regime_2024_from_day(2024) == 0
    assert regime_2024_from_day(2022) == days_in_year(2022)
    marks = NO_MARK * (2 * regime_2024_from_day(2023) - 2) + "pp" + "pp"  # C2, 18 and 19 Aug
    kinds = session_kinds(marks, 2023)
    start = 2 * regime_2024_from_day(2023)
    assert kinds[start - 2] == Kind.NOT_COUNTED  # "p" means nothing before 2024
    assert kinds[start] == Kind.PART_TIME


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 12, 31)))
def test_a_date_and_session_have_one_place_in_their_school_year(day: datetime.date) -> None:
    year = school_year_of(day)
    assert datetime.date(year, 9, 1) <= day <= datetime.date(year + 1, 8, 31)
    assert date_of_day(year, session_index(day, 1) // 2) == day
    assert session_index(day, 1) == session_index(day, 0) + 1
    assert session_index(day, 1) < 2 * days_in_year(year)


def test_a_leap_year_has_366_days_of_marks() -> None:
    assert days_in_year(2023) == 366  # 29 February 2024
    assert days_in_year(2024) == 365
    assert len(padded("/\\", 2023)) == 732


def test_a_day_byte_holds_the_morning_and_the_afternoon() -> None:
    days = day_bytes("/I" + NO_MARK * 2 + "ON", 2025)
    assert days[0] == Kind.PRESENT * 16 + Kind.ILLNESS
    assert days[1] == 0
    assert days[2] == Kind.OTHER_UNAUTHORISED * 16 + Kind.NOT_ESTABLISHED


def test_a_matrix_reads_as_each_row_alone() -> None:
    rows = ["/\\" * 10 + "GG", "NN" + "#" * 4]
    matrix = np.frombuffer("".join(padded(row, 2025) for row in rows).encode(), np.uint8)
    kinds = kinds_of_matrix(matrix.reshape(2, -1), 2025)
    for index, row in enumerate(rows):
        assert (kinds[index] == session_kinds(row, 2025)).all()
