"""Tests for cme.standards.attendance_codes: the code table, its two sets and the cut-over."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.standards.attendance_codes import (
    CATEGORIES_COUNTED_AS_ATTENDANCE,
    CATEGORIES_IN_POSSIBLE_SESSIONS,
    CODE_SET_2024_START,
    AttendanceCode,
    CodeSet,
    StatisticalCategory,
    Verification,
    code_set_on,
    codes_in_set,
    load_attendance_codes,
    lookup_attendance_code,
)

DAY_BEFORE = CODE_SET_2024_START - datetime.timedelta(days=1)
A_2024_DATE = datetime.date(2025, 1, 15)
A_PRE_2024_DATE = datetime.date(2019, 11, 4)

# Spec section 0 summary and 4.2: the codes in each set ("-" is in both but is not a code).
SPEC_2024_SET = {
    *("/", "\\", "L"),
    *("K", "V", "P", "W", "B", "D"),
    *("C1", "M", "J1", "S", "X", "C2", "C"),
    *("T", "R", "I", "E"),
    *(f"Y{n}" for n in range(1, 8)),
    *("G", "N", "O", "U"),
    *("Z", "#"),
}
SPEC_PRE_2024_SET = {
    *("/", "\\", "L", "U"),
    *("B", "J", "P", "V", "W"),
    *("C", "E", "H", "I", "M", "R", "S", "T"),
    *("G", "N", "O"),
    *("D", "X", "Y", "Z", "#", "F"),
}


def _row_id(entry: AttendanceCode) -> str:
    # Cite the row; V/S/U is its verification mark (S and U rows may be wrong).
    return f"{entry.code_set}:{entry.code} [{entry.verification}] ({entry.source[:50]})"


ROWS = [pytest.param(entry, id=_row_id(entry)) for entry in load_attendance_codes()]


@pytest.mark.parametrize("entry", ROWS)
def test_each_row_is_found_by_code_on_a_date_in_its_set(entry: AttendanceCode) -> None:
    dates = {
        CodeSet.SET_2024: [CODE_SET_2024_START, A_2024_DATE],
        CodeSet.PRE_2024: [DAY_BEFORE, A_PRE_2024_DATE],
        CodeSet.BOTH: [DAY_BEFORE, CODE_SET_2024_START],
    }[entry.code_set]
    for on in dates:
        assert lookup_attendance_code(entry.code, on) is entry


@pytest.mark.parametrize("entry", ROWS)
def test_each_rows_session_flags_follow_its_statistical_category(entry: AttendanceCode) -> None:
    # Spec 4.1 derived measures: possible = present + AEA + authorised + unauthorised;
    # attendance = present + AEA.
    category = entry.statistical_category
    assert entry.counts_in_possible_sessions is (category in CATEGORIES_IN_POSSIBLE_SESSIONS)
    assert entry.counts_as_attendance is (category in CATEGORIES_COUNTED_AS_ATTENDANCE)


def test_table_keeps_all_60_rows_including_s_and_u() -> None:
    table = load_attendance_codes()
    assert len(table) == 60
    assert {entry.verification for entry in table} == set(Verification)


def test_unverified_code_f_is_kept_in_the_pre_2024_set_u() -> None:
    entry = lookup_attendance_code("F", A_PRE_2024_DATE)
    assert entry is not None
    assert entry.verification is Verification.UNVERIFIED
    assert entry.statistical_category is StatisticalCategory.AUTHORISED_ABSENCE


def test_2024_set_has_exactly_the_codes_in_the_spec_s() -> None:
    codes = {entry.code for entry in codes_in_set(CodeSet.SET_2024)}
    assert codes == SPEC_2024_SET | {"-"}


def test_pre_2024_set_has_exactly_the_codes_in_the_spec_s() -> None:
    codes = {entry.code for entry in codes_in_set(CodeSet.PRE_2024)}
    assert codes == SPEC_PRE_2024_SET | {"-"}


# The cut-over.


def test_cut_over_is_19_august_2024() -> None:
    assert datetime.date(2024, 8, 19) == CODE_SET_2024_START
    assert code_set_on(DAY_BEFORE) is CodeSet.PRE_2024
    assert code_set_on(CODE_SET_2024_START) is CodeSet.SET_2024


def test_data_file_dates_agree_with_the_cut_over_constant() -> None:
    for entry in load_attendance_codes():
        if entry.code_set is CodeSet.SET_2024:
            assert entry.valid_from == CODE_SET_2024_START
        elif entry.code_set is CodeSet.PRE_2024:
            assert entry.valid_to is not None
            assert entry.valid_to < CODE_SET_2024_START


def test_j_is_read_as_approved_activity_before_the_cut_over_and_unknown_after_s() -> None:
    before = lookup_attendance_code("J", DAY_BEFORE)
    assert before is not None
    assert before.statistical_category is StatisticalCategory.APPROVED_EDUCATIONAL_ACTIVITY
    assert lookup_attendance_code("J", CODE_SET_2024_START) is None


def test_j1_is_authorised_absence_from_the_cut_over_and_unknown_before_s() -> None:
    after = lookup_attendance_code("J1", CODE_SET_2024_START)
    assert after is not None
    assert after.statistical_category is StatisticalCategory.AUTHORISED_ABSENCE
    assert lookup_attendance_code("J1", DAY_BEFORE) is None


def test_t_changes_meaning_at_the_cut_over_s() -> None:
    before = lookup_attendance_code("T", DAY_BEFORE)
    after = lookup_attendance_code("T", CODE_SET_2024_START)
    assert before is not None
    assert after is not None
    assert "Traveller" in before.meaning
    assert "occupational" in after.meaning


@pytest.mark.parametrize("code", ["H", "Y", "F"])
def test_withdrawn_pre_2024_codes_are_unknown_in_the_2024_set(code: str) -> None:
    assert lookup_attendance_code(code, A_PRE_2024_DATE) is not None
    assert lookup_attendance_code(code, A_2024_DATE) is None


def test_datetime_is_read_by_its_date() -> None:
    at_midnight = datetime.datetime(2024, 8, 19, tzinfo=datetime.UTC)
    entry = lookup_attendance_code("C1", at_midnight)
    assert entry is not None
    assert entry.code_set is CodeSet.SET_2024


# Statistical categories, spec section 4.1 (S unless the row is V).


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("/", StatisticalCategory.PRESENT),
        ("L", StatisticalCategory.PRESENT),
        ("K", StatisticalCategory.APPROVED_EDUCATIONAL_ACTIVITY),
        ("D", StatisticalCategory.NOT_COUNTED),
        ("C2", StatisticalCategory.AUTHORISED_ABSENCE),
        ("I", StatisticalCategory.AUTHORISED_ABSENCE),
        ("Y5", StatisticalCategory.NOT_COUNTED),
        ("N", StatisticalCategory.UNAUTHORISED_ABSENCE),
        ("U", StatisticalCategory.UNAUTHORISED_ABSENCE),
        ("Z", StatisticalCategory.NOT_COUNTED),
        ("#", StatisticalCategory.NOT_COUNTED),
    ],
)
def test_2024_code_has_the_category_in_the_spec_table(
    code: str, category: StatisticalCategory
) -> None:
    entry = lookup_attendance_code(code, A_2024_DATE)
    assert entry is not None
    assert entry.statistical_category is category


def test_no_mark_is_missing_data_in_both_sets_not_presence() -> None:
    for on in (A_PRE_2024_DATE, A_2024_DATE):
        entry = lookup_attendance_code("-", on)
        assert entry is not None
        assert entry.statistical_category is StatisticalCategory.MISSING
        assert not entry.counts_in_possible_sessions


# Input handling.


@pytest.mark.parametrize(
    ("raw", "code"), [(" c1 ", "C1"), ("y7", "Y7"), ("\\", "\\"), ("o\n", "O")]
)
def test_code_is_trimmed_and_upper_cased_before_lookup(raw: str, code: str) -> None:
    entry = lookup_attendance_code(raw, A_2024_DATE)
    assert entry is not None
    assert entry.code == code


@pytest.mark.parametrize("raw", ["", " ", "Q", "C3", "Y8", "X01", "+", "\u0131"])
def test_unknown_code_gives_none(raw: str) -> None:
    assert lookup_attendance_code(raw, A_2024_DATE) is None


@settings(deadline=None)
@given(st.text(), st.dates())
def test_no_string_or_date_makes_lookup_raise(raw: str, on: datetime.date) -> None:
    entry = lookup_attendance_code(raw, on)
    assert entry is None or entry.code == raw.strip().upper()


# Row validity dates (not applied by lookup).


def test_f_is_in_force_only_until_its_unverified_withdrawal_date_u() -> None:
    entry = lookup_attendance_code("F", A_PRE_2024_DATE)
    assert entry is not None
    assert entry.is_in_force_on(datetime.date(2010, 1, 4))
    assert not entry.is_in_force_on(A_PRE_2024_DATE)


def test_2024_code_is_not_in_force_before_the_cut_over() -> None:
    entry = lookup_attendance_code("C1", A_2024_DATE)
    assert entry is not None
    assert not entry.is_in_force_on(DAY_BEFORE)
    assert entry.is_in_force_on(CODE_SET_2024_START)
