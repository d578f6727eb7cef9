"""Text kept as typed, and dates read from three boxes the GOV.UK way."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cme.provision.dates import GovukDateField
from cme.referrals.fields import GovukDate, clean_text
from cme.web.dates import parse_date_parts

TODAY = datetime.date(2026, 3, 10)


def _parse(day: str, month: str, year: str) -> datetime.date | None:
    return parse_date_parts(
        day,
        month,
        year,
        error_name="Date of birth",
        latest=TODAY,
        latest_message="Date of birth must be in the past",
    )


def test_a_date_with_spaces_and_leading_zeros_is_read() -> None:
    assert _parse(" 04 ", "0 3", "2015") == datetime.date(2015, 3, 4)


def test_three_empty_boxes_are_no_date() -> None:
    assert _parse("", " ", "") is None


@pytest.mark.parametrize("digits", ["\u0661\u0662", "\uff11\uff12", "1_0", "+1", "1.0"])
def test_digits_other_than_0_to_9_are_not_a_real_date(digits: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _parse(digits, "3", "2015")
    assert refused.value.messages == ["Date of birth must be a real date"]
    assert refused.value.params == {"parts": ("day",)}


def test_the_date_on_the_limit_is_allowed_and_the_day_after_is_not() -> None:
    assert _parse("10", "3", "2026") == TODAY
    with pytest.raises(ValidationError, match="must be in the past"):
        _parse("11", "3", "2026")


@given(day=st.text(max_size=20), month=st.text(max_size=20), year=st.text(max_size=20))
def test_any_three_boxes_give_a_date_none_or_a_validation_error(
    day: str, month: str, year: str
) -> None:
    refused: ValidationError | None = None
    result: datetime.date | None = None
    try:
        result = _parse(day, month, year)
    except ValidationError as error:
        refused = error
    if refused is not None:
        assert refused.messages
    else:
        assert result is None or isinstance(result, datetime.date)


@given(st.text())
def test_cleaned_text_has_no_control_characters(text: str) -> None:
    for multiline in (True, False):
        cleaned = clean_text(text, multiline=multiline)
        assert not any(
            (ord(character) < 32 and character not in "\n\t") or 0x7F <= ord(character) <= 0x9F
            for character in cleaned
        )
        if not multiline:
            assert "\n" not in cleaned


def _outcome(field: forms.Field, typed: list[str]) -> object:
    try:
        return field.clean(typed)
    except ValidationError as refused:
        return (refused.code, refused.messages, refused.params)


@given(st.lists(st.text(alphabet="0123456789 \t\n\u2028a-/", max_size=6), min_size=3, max_size=3))
def test_the_public_journey_and_the_staff_forms_read_a_date_alike(typed: list[str]) -> None:
    """Both fields read the boxes with cme.web.dates: the same date, or the same refusal."""
    public = GovukDate(label="Date", error_name="Date", past_only="today_or_past")
    staff = GovukDateField(label="Date", error_name="Date", required=False, latest="today")
    assert _outcome(public, typed) == _outcome(staff, typed)
