"""Tests for cme.standards.upn: DfE-cited vectors, spec 2.2 worked examples and properties."""

import csv
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cme.standards.la_codes import (
    UpnLaCodeAcceptance,
    is_recognised_upn_la_code,
    load_la_codes,
    upn_la_code_acceptance,
)
from cme.standards.upn import (
    UPN_CENSUS_MESSAGES,
    UPN_ERROR_MESSAGES,
    UPN_LETTERS,
    UPN_WARNING_MESSAGES,
    UpnError,
    UpnWarning,
    check_upn,
    is_valid_upn,
    make_upn,
    normalise_upn,
    upn_check_letter,
)

VECTORS = Path(__file__).parent / "vectors" / "upn_test_vectors.csv"
_FLAG = {"true": True, "false": False, "n/a": None}


def _load_vectors() -> list[dict[str, str]]:
    with VECTORS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _params(rows: list[dict[str, str]]) -> list[object]:
    # Each id names the row's source, as the standards README asks.
    return [
        pytest.param(row, id=f"{row['upn'].strip()} ({row['kind']}; {row['source_repo']})")
        for row in rows
    ]


VECTOR_ROWS = _load_vectors()
ACCEPTED_LA_CODES = sorted(
    code for code in load_la_codes() if upn_la_code_acceptance(code) is UpnLaCodeAcceptance.ACCEPTED
)
# No deadline: timing varies under xdist on shared CI machines and proves nothing here.
PROPERTY_SETTINGS = settings(deadline=None)

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
allowed_letters = st.sampled_from(UPN_LETTERS)


@st.composite
def valid_upns(draw: st.DrawFn) -> str:
    """A valid UPN with an accepted LA code, permanent or temporary."""
    la_code = draw(st.sampled_from(ACCEPTED_LA_CODES))
    middle = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    last = draw(st.one_of(digits, allowed_letters))
    body = la_code + middle + last
    return upn_check_letter(body) + body


# Vectors from upn_test_vectors.csv.


@pytest.mark.parametrize("row", _params(VECTOR_ROWS))
def test_vector_checks_give_the_results_its_source_expects(row: dict[str, str]) -> None:
    result = check_upn(row["upn"])

    assert (
        result.check_letter_ok,
        result.la_code_ok,
        result.format_ok,
        result.is_valid,
    ) == (
        _FLAG[row["expect_check_letter_ok"]],
        _FLAG[row["expect_la_code_ok"]],
        _FLAG[row["expect_format_ok"]],
        _FLAG[row["expected_overall_valid"]],
    )


@pytest.mark.parametrize("row", _params(VECTOR_ROWS))
def test_is_valid_upn_agrees_with_the_vector(row: dict[str, str]) -> None:
    assert is_valid_upn(row["upn"]) is _FLAG[row["expected_overall_valid"]]


@pytest.mark.parametrize(
    "row", _params([row for row in VECTOR_ROWS if "DfE message '" in row["note"]])
)
def test_vector_is_reported_with_the_dfe_census_message_quoted_in_its_note(
    row: dict[str, str],
) -> None:
    match = re.search(r"DfE message '([^']+)'", row["note"])
    assert match is not None
    result = check_upn(row["upn"])

    assert result.error is not None
    assert UPN_CENSUS_MESSAGES[result.error] == match.group(1)


@pytest.mark.parametrize(
    "row", _params([row for row in VECTOR_ROWS if row["expected_overall_valid"] == "true"])
)
def test_valid_vector_is_temporary_exactly_when_its_kind_says_so(row: dict[str, str]) -> None:
    assert check_upn(row["upn"]).is_temporary is row["kind"].startswith("temporary")


# Worked examples, spec section 2.2 (DfE UPN guidance examples).


def test_worked_example_permanent_upn_sums_to_53_and_gets_h() -> None:
    weighted = [8 * 2, 0, 1 * 4, 2 * 5, 0, 0, 0, 0, 1 * 10, 0, 0, 1 * 13]
    assert sum(weighted) == 53
    assert 53 % 23 == 7
    assert UPN_LETTERS[7] == "H"
    assert upn_check_letter("801200001001") == "H"


def test_worked_example_temporary_upn_counts_final_a_as_zero_and_gets_g() -> None:
    assert 16 + 4 + 10 + 10 + 12 + 0 == 52
    assert UPN_LETTERS[52 % 23] == "G"
    assert upn_check_letter("80120000101A") == "G"


def test_juniper_published_example_is_wrong_and_the_true_letter_is_p() -> None:
    # spec section 2.4: the article claims Q207000016049; the weighted sum is 266, so P.
    assert upn_check_letter("207000016049") == "P"
    assert not is_valid_upn("Q207000016049")


def test_letter_table_has_23_letters_without_i_o_or_s() -> None:
    assert len(UPN_LETTERS) == 23
    assert set(UPN_LETTERS).isdisjoint("IOS")
    assert list(UPN_LETTERS) == sorted(UPN_LETTERS)


# Normalisation.


def test_normalise_trims_upper_cases_and_removes_inner_spaces() -> None:
    assert normalise_upn("  h801 2000 01001\t") == "H801200001001"


def test_normalise_removes_non_breaking_spaces_from_pasted_values() -> None:
    assert normalise_upn("H801200001001\u00a0") == "H801200001001"


def test_normalise_does_not_fold_non_ascii_lookalikes_into_ascii() -> None:
    # U+0131 (dotless i) upper-cases to "I" with str.upper(); it must stay as it is.
    assert normalise_upn("h80120000101\u0131") == "H80120000101\u0131"


@PROPERTY_SETTINGS
@given(st.text())
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise_upn(raw)
    assert normalise_upn(once) == once


# Reasons, their order and messages (spec section 2.3).


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_empty_or_blank_upn_is_missing(raw: str) -> None:
    result = check_upn(raw)
    assert result.error is UpnError.MISSING
    assert result.message == "Enter a UPN"


@pytest.mark.parametrize(
    "raw",
    [
        "BADCODE",
        "H80120000100",
        "H8012000010011",
        "H80120000100-",
        "H8\uff1001200001001",
        "H\u0668\u0660\u0661200001001",
    ],
    ids=[
        "too-short-word",
        "12-characters",
        "14-characters",
        "punctuation",
        "fullwidth-digit",
        "arabic-indic-digits",
    ],
)
def test_value_that_is_not_13_ascii_letters_and_digits_is_a_format_error(raw: str) -> None:
    result = check_upn(raw)
    assert result.error is UpnError.FORMAT
    assert not result.is_valid


@pytest.mark.parametrize("first", ["1", "I", "O", "S"])
def test_first_character_that_cannot_be_a_check_letter_is_a_check_letter_error(
    first: str,
) -> None:
    result = check_upn(first + "801200001001")
    assert result.check_letter_ok is False
    assert result.error is UpnError.CHECK_LETTER
    assert result.message == (
        "Enter a valid UPN. First character is not recognised. See guidance for instructions."
    )


def test_wrong_check_letter_is_reported_before_a_bad_la_code() -> None:
    # X428558133462 (cin_validator rule 1510 vector) fails both checks.
    result = check_upn("X428558133462")
    assert result.check_letter_ok is False
    assert not result.la_code_ok
    assert result.error is UpnError.CHECK_LETTER


def test_bad_la_code_is_reported_before_non_numeric_characters_5_to_12() -> None:
    result = check_upn("H900E00000121")
    assert result.error is UpnError.LA_CODE
    assert result.message == (
        "Enter a valid UPN. Characters 2-4 are not a recognised LA code. "
        "See guidance for instructions."
    )


def test_non_numeric_characters_5_to_12_are_reported_before_a_bad_character_13() -> None:
    result = check_upn("H8012000E010S")
    assert result.error is UpnError.CHARACTERS_5_TO_12
    assert result.message == (
        "Enter a valid UPN. Characters 5-12 must be numeric. See guidance for instructions."
    )


def test_character_13_of_i_o_or_s_has_the_dfe_message() -> None:
    result = check_upn("G80120000101O")
    assert result.error is UpnError.CHARACTER_13
    assert result.message == (
        "Enter a valid UPN. Character 13 not recognised. See guidance for instructions."
    )


def test_every_error_has_a_govuk_message_and_all_but_format_a_census_message() -> None:
    assert set(UPN_ERROR_MESSAGES) == set(UpnError)
    assert set(UPN_CENSUS_MESSAGES) == set(UpnError) - {UpnError.FORMAT}


def test_valid_upn_has_no_error_or_message() -> None:
    result = check_upn("H801200001001")
    assert result.is_valid
    assert result.error is None
    assert result.message is None
    assert result.warnings == ()


def test_result_carries_the_normalised_value() -> None:
    assert check_upn(" g80120000101a ").normalised == "G80120000101A"


# LA codes in characters 2-4 (spec section 2.4).


def test_pseudo_la_code_is_accepted_with_a_warning_unverified_u() -> None:
    body = "001" + "20000500" + "1"
    result = check_upn(upn_check_letter(body) + body)
    assert result.is_valid
    assert result.warnings == (UpnWarning.PSEUDO_LA_CODE,)
    assert UpnWarning.PSEUDO_LA_CODE in UPN_WARNING_MESSAGES


@pytest.mark.parametrize("la_code", ["000", "999"])
def test_la_code_000_and_mtc_test_code_999_are_rejected(la_code: str) -> None:
    body = la_code + "200005001"
    result = check_upn(upn_check_letter(body) + body)
    assert result.check_letter_ok is True
    assert result.error is UpnError.LA_CODE


@pytest.mark.parametrize("la_code", ["838", "839", "940", "941", "942", "943", "660", "701"])
def test_la_codes_that_python_stdnum_wrongly_rejects_are_accepted(la_code: str) -> None:
    # spec section 2.4: stdnum's 2011 list lacks these.
    body = la_code + "200005001"
    assert is_valid_upn(upn_check_letter(body) + body)


# Properties of the check letter.


def test_weight_times_digit_change_is_never_a_multiple_of_23() -> None:
    # Proof that any single-digit change is caught: 23 is prime and both factors lie in 1..22.
    assert all((weight * change) % 23 != 0 for weight in range(2, 14) for change in range(1, 10))


def test_weight_13_times_final_letter_change_is_never_a_multiple_of_23() -> None:
    assert all((13 * change) % 23 != 0 for change in range(1, 23))


@PROPERTY_SETTINGS
@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_twelve_digit_body_with_its_computed_letter_passes_the_check_letter(
    body: str,
) -> None:
    result = check_upn(upn_check_letter(body) + body)
    assert result.check_letter_ok is True
    # The whole UPN is valid exactly when characters 2-4 are a recognised LA code.
    assert result.is_valid is is_recognised_upn_la_code(body[:3])


@PROPERTY_SETTINGS
@given(valid_upns())
def test_upn_built_from_an_accepted_la_code_and_its_computed_letter_is_valid(upn: str) -> None:
    result = check_upn(upn)
    assert result.is_valid
    assert result.is_temporary is upn[-1].isalpha()


@PROPERTY_SETTINGS
@given(valid_upns(), st.data(), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_of_a_valid_upn_makes_it_invalid(
    upn: str, data: st.DataObject, change: int
) -> None:
    position = data.draw(st.sampled_from([i for i in range(1, 13) if upn[i].isdigit()]))
    new_digit = str((int(upn[position]) + change) % 10)
    changed = upn[:position] + new_digit + upn[position + 1 :]

    result = check_upn(changed)
    assert result.check_letter_ok is False
    assert not result.is_valid


@PROPERTY_SETTINGS
@given(valid_upns(), allowed_letters)
def test_changing_the_check_letter_of_a_valid_upn_makes_it_invalid(upn: str, letter: str) -> None:
    assume(letter != upn[0])
    assert check_upn(letter + upn[1:]).error is UpnError.CHECK_LETTER


@PROPERTY_SETTINGS
@given(valid_upns(), allowed_letters)
def test_changing_the_final_letter_of_a_temporary_upn_to_another_letter_makes_it_invalid(
    upn: str, letter: str
) -> None:
    assume(upn[-1].isalpha() and letter != upn[-1])
    assert check_upn(upn[:-1] + letter).check_letter_ok is False


def test_check_letter_cannot_tell_a_final_letter_from_the_digit_of_equal_value() -> None:
    # Real behaviour, not a bug to fix: A..K are worth 0..9, the same as the digits, so replacing
    # a temporary UPN's final letter with the digit of equal value keeps the check letter.
    assert is_valid_upn("W80099992500A")
    assert is_valid_upn("W800999925000")
    assert check_upn("W800999925000").is_temporary is False


# Robustness.


@PROPERTY_SETTINGS
@given(st.text())
def test_no_string_makes_the_upn_validators_raise(raw: str) -> None:
    result = check_upn(raw)
    assert is_valid_upn(raw) is result.is_valid
    assert result.normalised == normalise_upn(raw)
    assert (result.error is None) is result.is_valid
    if result.is_valid:
        assert result.format_ok
        assert result.check_letter_ok is True


@pytest.mark.parametrize(
    "body", ["80120000100", "8012000010011", "80120000100S", "8012000E0010", "80120000100a"]
)
def test_check_letter_of_a_malformed_body_is_a_value_error(body: str) -> None:
    with pytest.raises(ValueError, match="UPN body"):
        upn_check_letter(body)


# make_upn, for synthetic demo data.


def test_make_upn_reproduces_the_synthetic_vector() -> None:
    # upn_test_vectors.csv, K800999925001 (computed here, permanent-synthetic).
    assert make_upn("800", "9999", "25", "001") == "K800999925001"


@PROPERTY_SETTINGS
@given(
    st.sampled_from(ACCEPTED_LA_CODES),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.text(alphabet="0123456789", min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)
def test_make_upn_always_builds_a_valid_permanent_upn(
    la_code: str, estab: str, year2: str, serial: str
) -> None:
    result = check_upn(make_upn(la_code, estab, year2, serial))
    assert result.is_valid
    assert not result.is_temporary


@pytest.mark.parametrize(
    ("la_code", "estab", "year2", "serial"),
    [
        ("80", "9999", "25", "001"),
        ("800", "999", "25", "001"),
        ("800", "9999", "2025", "001"),
        ("800", "9999", "25", "1"),
        ("800", "99A9", "25", "001"),
        ("999", "9999", "25", "001"),
        ("001", "9999", "25", "001"),
    ],
    ids=["short-la", "short-estab", "long-year", "short-serial", "letter", "test-la", "pseudo-la"],
)
def test_make_upn_refuses_parts_that_would_not_give_a_clean_valid_upn(
    la_code: str, estab: str, year2: str, serial: str
) -> None:
    with pytest.raises(ValueError, match=r"must be|not accepted"):
        make_upn(la_code, estab, year2, serial)
