"""Tests for cme.standards.nhs_number: cited vectors, spec section 3 examples and properties."""

import csv
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cme.standards.nhs_number import (
    SYNTHETIC_CAPACITY,
    format_nhs_number,
    is_valid_nhs_number,
    make_synthetic_nhs_number,
    nhs_check_digit,
    normalise_nhs_number,
)

VECTORS = Path(__file__).parent / "vectors" / "nhs_test_vectors.csv"
# No deadline: timing varies under xdist on shared CI machines and proves nothing here.
PROPERTY_SETTINGS = settings(deadline=None)


def _load_vectors() -> list[dict[str, str]]:
    with VECTORS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _vector_id(row: dict[str, str]) -> str:
    # Cite the source; say when the row rests on a secondary [S] or unverified [U] claim.
    marks = "".join(f" [{mark}]" for mark in "SU" if f"[{mark}]" in row["note"])
    return f"{row['nhs_number']}{marks} ({row['source'][:60]})"


VECTOR_ROWS = _load_vectors()


@st.composite
def valid_nhs_numbers(draw: st.DrawFn) -> str:
    first9 = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    check = nhs_check_digit(first9)
    assume(check is not None)
    return f"{first9}{check}"


@pytest.mark.parametrize("row", [pytest.param(row, id=_vector_id(row)) for row in VECTOR_ROWS])
def test_vector_is_valid_exactly_when_its_source_says(row: dict[str, str]) -> None:
    assert is_valid_nhs_number(row["nhs_number"]) is (row["expected_valid"] == "true")


# Worked examples, spec section 3.


def test_worked_example_9434765919_sums_to_299_and_gets_check_digit_9() -> None:
    weighted = [9 * 10, 4 * 9, 3 * 8, 4 * 7, 7 * 6, 6 * 5, 5 * 4, 9 * 3, 1 * 2]
    assert sum(weighted) == 299
    assert 11 - 299 % 11 == 9
    assert nhs_check_digit("943476591") == 9


def test_worked_example_9434765870_has_check_11_which_becomes_0() -> None:
    assert 11 - 308 % 11 == 11
    assert nhs_check_digit("943476587") == 0


def test_worked_example_prefix_123456789_has_check_10_so_no_valid_number() -> None:
    assert 11 - 210 % 11 == 10
    assert nhs_check_digit("123456789") is None
    assert not any(is_valid_nhs_number(f"123456789{last}") for last in range(10))


# Normalisation and display.


def test_normalise_removes_spaces_and_hyphens() -> None:
    assert normalise_nhs_number(" 943 476-5919 ") == "9434765919"


def test_hyphenated_number_is_accepted() -> None:
    # nhs_test_vectors.csv leaves hyphens to us; stdnum accepts them and so do we.
    assert is_valid_nhs_number("943-476-5870")


@pytest.mark.parametrize("raw", ["9434765919", "943 476 5919", "943-476-5919"])
def test_format_gives_the_3_3_4_display_form(raw: str) -> None:
    assert format_nhs_number(raw) == "943 476 5919"


@pytest.mark.parametrize("raw", ["", "943476591", "94347659190", "943476591X"])
def test_format_refuses_anything_but_ten_digits(raw: str) -> None:
    with pytest.raises(ValueError, match="ten digits"):
        format_nhs_number(raw)


@PROPERTY_SETTINGS
@given(st.text())
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise_nhs_number(raw)
    assert normalise_nhs_number(once) == once


# Validation.


@pytest.mark.parametrize(
    "raw",
    ["", "943476591", "94347659190", "943476591a", "\u0669434765919", "\uff19434765919"],
    ids=["empty", "nine-digits", "eleven-digits", "letter", "arabic-indic-digit", "fullwidth"],
)
def test_anything_but_ten_ascii_digits_is_invalid(raw: str) -> None:
    assert not is_valid_nhs_number(raw)


@pytest.mark.parametrize("first9", ["", "94347659", "9434765919", "94347659a", "\u0669434765 91"])
def test_check_digit_of_anything_but_nine_digits_is_a_value_error(first9: str) -> None:
    with pytest.raises(ValueError, match="nine digits"):
        nhs_check_digit(first9)


def test_weight_times_digit_change_is_never_a_multiple_of_11() -> None:
    # Proof that a single-digit change is caught: with the check digit weighted 1 the weighted
    # sum of a valid number is 0 mod 11; 11 is prime and weight and change both lie in 1..10.
    assert all((weight * change) % 11 != 0 for weight in range(1, 11) for change in range(1, 10))


@PROPERTY_SETTINGS
@given(valid_nhs_numbers(), st.integers(min_value=0, max_value=9), st.integers(1, 9))
def test_changing_any_one_digit_of_a_valid_nhs_number_makes_it_invalid(
    number: str, position: int, change: int
) -> None:
    assert is_valid_nhs_number(number)
    new_digit = str((int(number[position]) + change) % 10)
    assert not is_valid_nhs_number(number[:position] + new_digit + number[position + 1 :])


@PROPERTY_SETTINGS
@given(st.text())
def test_no_string_makes_the_nhs_number_validator_raise(raw: str) -> None:
    valid = is_valid_nhs_number(raw)
    if valid:
        assert len(normalise_nhs_number(raw)) == 10


# Synthetic numbers for demo data (never-issued 999 range [S]).


def test_first_synthetic_numbers_are_the_computed_vectors_s() -> None:
    # nhs_test_vectors.csv rows 9990000018 and 9990000026 (computed here; range is [S]).
    assert make_synthetic_nhs_number(0) == "9990000018"
    assert make_synthetic_nhs_number(1) == "9990000026"


def test_synthetic_numbers_skip_a_prefix_whose_check_would_be_10() -> None:
    assert nhs_check_digit("999000000") is None
    assert all(not n.startswith("999000000") for n in map(make_synthetic_nhs_number, range(9)))


def test_synthetic_numbers_are_distinct_across_block_boundaries() -> None:
    numbers = [make_synthetic_nhs_number(n) for n in range(5_000)]
    assert len(set(numbers)) == len(numbers)


@PROPERTY_SETTINGS
@given(st.integers(min_value=0, max_value=SYNTHETIC_CAPACITY - 1))
def test_synthetic_number_is_valid_in_the_999_range_and_deterministic(n: int) -> None:
    number = make_synthetic_nhs_number(n)
    assert number.startswith("999")
    assert is_valid_nhs_number(number)
    assert make_synthetic_nhs_number(n) == number


@PROPERTY_SETTINGS
@given(
    st.integers(min_value=0, max_value=SYNTHETIC_CAPACITY - 1),
    st.integers(min_value=0, max_value=SYNTHETIC_CAPACITY - 1),
)
def test_different_n_give_different_synthetic_numbers(first: int, second: int) -> None:
    assume(first != second)
    assert make_synthetic_nhs_number(first) != make_synthetic_nhs_number(second)


@pytest.mark.parametrize("n", [-1, SYNTHETIC_CAPACITY])
def test_synthetic_number_outside_the_capacity_is_a_value_error(n: int) -> None:
    with pytest.raises(ValueError, match="n must be"):
        make_synthetic_nhs_number(n)


def test_last_synthetic_number_is_still_in_range() -> None:
    number = make_synthetic_nhs_number(SYNTHETIC_CAPACITY - 1)
    assert number.startswith("99999999")
    assert is_valid_nhs_number(number)
