"""Comparison levels: each way a referral can differ lands on the right rung."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.linkage.comparisons import (
    ADDRESS,
    DOB,
    FORENAME,
    I_ADDRESS,
    I_DOB,
    I_FORENAME,
    I_NHS,
    I_SURNAME,
    I_UPN,
    MISSING,
    SURNAME,
    compare_records,
)
from cme.linkage.records import PersonRecord, parse_record
from cme.standards.nhs_number import make_synthetic_nhs_number

from .conftest import child

BASE = child(1, middle_names=("james",))


def level(comparison: int, other: PersonRecord, base: PersonRecord = BASE) -> int:
    return compare_records(other, base)[comparison]


@pytest.mark.parametrize(
    ("forename", "key"),
    [
        ("oliver", "exact"),
        ("ollie", "variant"),
        ("james", "other_given"),
        ("olivr", "fuzzy_high"),
        ("olivar", "fuzzy_high"),
        ("olliver", "variant"),
        ("o", "initial"),
        ("harry", "different"),
        ("", "missing"),
    ],
)
def test_forename_levels(forename: str, key: str) -> None:
    assert level(I_FORENAME, replace(BASE, forename=forename)) == FORENAME.level_index(key)


def test_forename_and_surname_swapped() -> None:
    swapped = replace(BASE, forename="zedworth", surname="oliver")
    levels = compare_records(swapped, BASE)
    assert levels[I_FORENAME] == FORENAME.level_index("swapped")
    assert levels[I_SURNAME] == SURNAME.level_index("swapped")


@pytest.mark.parametrize(
    ("theirs", "ours", "key"),
    [
        ("smith jones", "smith jones", "exact"),
        ("smithjones", "smith jones", "exact"),
        ("jones", "smith jones", "part"),
        ("smyth", "smith", "variant"),
        ("smiht", "smith", "fuzzy_high"),
        ("taylor", "smith", "different"),
    ],
)
def test_surname_levels(theirs: str, ours: str, key: str) -> None:
    assert level(I_SURNAME, replace(BASE, surname=theirs), replace(BASE, surname=ours)) == (
        SURNAME.level_index(key)
    )


def test_former_surname() -> None:
    register = replace(BASE, surname="brown", former_surnames=("zedworth",))
    assert level(I_SURNAME, BASE, register) == SURNAME.level_index("former")


@pytest.mark.parametrize(
    ("dob", "key"),
    [
        (date(2014, 3, 9), "exact"),
        (date(2014, 9, 3), "day_month_swapped"),
        (date(2014, 3, 8), "one_digit"),
        (date(2013, 3, 9), "one_digit"),
        (date(2014, 3, 19), "one_digit"),
        (date(2014, 5, 20), "within_year"),
        (date(2011, 7, 1), "different"),
        (None, "missing"),
    ],
)
def test_dob_levels(dob: date | None, key: str) -> None:
    assert level(I_DOB, replace(BASE, dob=dob)) == DOB.level_index(key)


@pytest.mark.parametrize(
    ("postcode", "address", "key"),
    [
        ("LS11AA", "1 Acacia Rd", "same_home"),
        ("", "1 acacia road", "same_home"),
        ("LS11AA", "9 other street", "same_postcode"),
        ("LS11AB", "1 acacia road", "same_street_address"),
        ("LS11ZZ", "", "alike"),
        ("LS19ZZ", "", "same_district"),
        ("WF99ZZ", "", "different"),
        ("", "", "missing"),
    ],
)
def test_address_levels(postcode: str, address: str, key: str) -> None:
    other, _ = parse_record({"id": "q", "postcode": postcode, "address": address})
    assert level(I_ADDRESS, other) == ADDRESS.level_index(key)


def test_family_that_moved_matches_previous_postcode() -> None:
    register = replace(BASE, postcode="WF12CD", address="", previous_postcodes=("LS11AA",))
    assert level(I_ADDRESS, replace(BASE, address=""), register) == ADDRESS.level_index(
        "previous_postcode"
    )


def test_identifiers_compare_only_when_both_present() -> None:
    assert level(I_UPN, replace(BASE, upn="")) == MISSING
    assert level(I_UPN, BASE) == 1
    assert level(I_NHS, replace(BASE, nhs_number=make_synthetic_nhs_number(9))) == 2


names = st.sampled_from(["oliver", "olivia", "ollie", "bill", "william", "smith", "smyth", ""])
records = st.builds(
    PersonRecord,
    id=st.just("x"),
    forename=names,
    middle_names=st.lists(names.filter(bool), max_size=2).map(tuple),
    surname=names,
    former_surnames=st.lists(names.filter(bool), max_size=1).map(tuple),
    dob=st.one_of(st.none(), st.dates(date(2005, 1, 1), date(2022, 12, 31))),
    sex=st.sampled_from(["", "M", "F"]),
    postcode=st.sampled_from(["", "LS11AA", "LS11AB", "LS29ZZ", "2600"]),
    address=st.sampled_from(["", "1 acacia road", "2 acacia road", "flat 1 1 acacia road"]),
)


@settings(deadline=None)
@given(records, records)
def test_comparison_is_symmetric(a: PersonRecord, b: PersonRecord) -> None:
    assert compare_records(a, b) == compare_records(b, a)
