"""Tests for cme.standards.gias: GIAS extract values mapped to our categories (spec 5.2)."""

import contextlib
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.standards.gias import (
    SchoolPhase,
    SchoolStatus,
    SchoolType,
    parse_gias_date,
    school_phase_from_gias,
    school_status_from_gias,
    school_type_from_gias,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Community school", SchoolType.MAINTAINED),
        ("Voluntary aided school", SchoolType.MAINTAINED),
        ("Voluntary controlled school", SchoolType.MAINTAINED),
        ("Foundation school", SchoolType.MAINTAINED),
        ("Local authority nursery school", SchoolType.MAINTAINED),
        ("Academy converter", SchoolType.ACADEMY),
        ("Academy sponsor led", SchoolType.ACADEMY),
        ("Academy 16-19 converter", SchoolType.ACADEMY),
        ("Academy 16 to 19 sponsor led", SchoolType.ACADEMY),
        ("University technical college", SchoolType.ACADEMY),
        ("Studio schools", SchoolType.ACADEMY),
        ("Free schools", SchoolType.FREE),
        ("Free schools 16 to 19", SchoolType.FREE),
        ("Community special school", SchoolType.SPECIAL),
        ("Foundation special school", SchoolType.SPECIAL),
        ("Academy special converter", SchoolType.SPECIAL),
        ("Academy special sponsor led", SchoolType.SPECIAL),
        ("Non-maintained special school", SchoolType.SPECIAL),
        ("Pupil referral unit", SchoolType.ALTERNATIVE_PROVISION),
        ("Academy alternative provision converter", SchoolType.ALTERNATIVE_PROVISION),
        ("Academy alternative provision sponsor led", SchoolType.ALTERNATIVE_PROVISION),
        ("Other independent school", SchoolType.INDEPENDENT),
        ("Other independent special school", SchoolType.INDEPENDENT),
        ("Independent schools approved for SEN pupils", SchoolType.INDEPENDENT),
    ],
)
def test_gias_establishment_type_maps_to_its_category(name: str, expected: SchoolType) -> None:
    assert school_type_from_gias(name) is expected


def test_special_free_school_is_special_like_a_special_academy() -> None:
    assert school_type_from_gias("Free schools special") is SchoolType.SPECIAL


def test_alternative_provision_free_school_is_alternative_provision_like_an_ap_academy() -> None:
    assert school_type_from_gias("Free schools alternative provision") is (
        SchoolType.ALTERNATIVE_PROVISION
    )


@pytest.mark.parametrize(
    "name",
    [
        "Further education",
        "Secure units",
        "Welsh establishment",
        "Children's centre",
        "City technology college",
        "Online provider",
        "",
        "Academy",
    ],
)
def test_other_or_unknown_establishment_type_is_other(name: str) -> None:
    assert school_type_from_gias(name) is SchoolType.OTHER


@pytest.mark.parametrize(
    "name",
    [
        "  FREE SCHOOLS - ALTERNATIVE PROVISION ",
        "Free Schools - Alternative Provision",
        "free schools alternative provision",
    ],
)
def test_type_matching_ignores_case_spacing_and_punctuation(name: str) -> None:
    assert school_type_from_gias(name) is SchoolType.ALTERNATIVE_PROVISION


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nursery", SchoolPhase.NURSERY),
        ("Primary", SchoolPhase.PRIMARY),
        ("Middle deemed primary", SchoolPhase.MIDDLE_DEEMED_PRIMARY),
        ("Middle deemed secondary", SchoolPhase.MIDDLE_DEEMED_SECONDARY),
        ("Secondary", SchoolPhase.SECONDARY),
        ("All-through", SchoolPhase.ALL_THROUGH),
        ("All through", SchoolPhase.ALL_THROUGH),
        ("16 plus", SchoolPhase.SIXTEEN_PLUS),
        ("Not applicable", SchoolPhase.NOT_APPLICABLE),
    ],
)
def test_gias_phase_maps_to_its_slug(name: str, expected: SchoolPhase) -> None:
    assert school_phase_from_gias(name) is expected


@pytest.mark.parametrize("name", ["", "Infant", "Sixth form"])
def test_blank_or_unknown_phase_is_none(name: str) -> None:
    assert school_phase_from_gias(name) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Open", SchoolStatus.OPEN),
        ("Closed", SchoolStatus.CLOSED),
        ("Open, but proposed to close", SchoolStatus.PROPOSED_TO_CLOSE),
        ("Proposed to open", SchoolStatus.PROPOSED_TO_OPEN),
    ],
)
def test_gias_status_maps_to_its_slug(name: str, expected: SchoolStatus) -> None:
    assert school_status_from_gias(name) is expected


@pytest.mark.parametrize("name", ["", "Opening", "Closed, but proposed to open"])
def test_blank_or_unknown_status_is_none(name: str) -> None:
    assert school_status_from_gias(name) is None


def test_category_values_are_plain_strings_for_django_choices() -> None:
    for enum_class in (SchoolType, SchoolPhase, SchoolStatus):
        assert all(str(member) == member.value for member in enum_class)
    assert SchoolType("alternative_provision") is SchoolType.ALTERNATIVE_PROVISION
    assert SchoolPhase("sixteen_plus") is SchoolPhase.SIXTEEN_PLUS
    assert SchoolStatus("proposed_to_close") is SchoolStatus.PROPOSED_TO_CLOSE


# Dates.


def test_gias_date_is_day_month_year() -> None:
    assert parse_gias_date("01-09-2025") == datetime.date(2025, 9, 1)


@pytest.mark.parametrize("value", ["", "   "])
def test_blank_gias_date_is_none(value: str) -> None:
    assert parse_gias_date(value) is None


@pytest.mark.parametrize(
    "value", ["2025-09-01", "1-9-2025", "01/09/2025", "31-02-2020", "01-13-2025", "01-09-25"]
)
def test_malformed_or_impossible_gias_date_is_a_value_error(value: str) -> None:
    with pytest.raises(ValueError, match=r"DD-MM-YYYY|day is out of range|month must be"):
        parse_gias_date(value)


@settings(deadline=None)
@given(st.dates())
def test_any_date_written_as_gias_does_reads_back_unchanged(day: datetime.date) -> None:
    assert parse_gias_date(f"{day.day:02d}-{day.month:02d}-{day.year:04d}") == day


@settings(deadline=None)
@given(st.text())
def test_no_string_makes_the_gias_mappers_raise_and_dates_raise_only_value_error(
    value: str,
) -> None:
    assert isinstance(school_type_from_gias(value), SchoolType)
    school_phase_from_gias(value)
    school_status_from_gias(value)
    with contextlib.suppress(ValueError):
        parse_gias_date(value)
