"""Parsing raw rows into records: dates, identifiers, warnings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.linkage.records import COLUMNS, parse_dob, parse_record
from cme.standards.nhs_number import make_synthetic_nhs_number

from .conftest import upn


@pytest.mark.parametrize(
    "raw", ["2014-03-09", "09/03/2014", "9/3/2014", "09-03-2014", "09.03.2014", "20140309"]
)
def test_dates_in_common_formats(raw: str) -> None:
    assert parse_dob(raw) == date(2014, 3, 9)


@pytest.mark.parametrize("raw", ["31/02/2014", "2014-13-01", "yesterday", "1850-01-01", "09/03/14"])
def test_malformed_dates_are_missing(raw: str) -> None:
    assert parse_dob(raw) is None


def test_parse_record_normalises_and_warns() -> None:
    bad_upn = upn(7)[:-1] + ("1" if upn(7)[-1] != "1" else "2")
    record, warnings = parse_record(
        {
            "id": " 42 ",
            "forename": "Zoë",
            "middle_names": "Anne Marie",
            "surname": "Smith-Jones",
            "former_surname": "Brown; Green",
            "dob": "31/02/2014",
            "sex": "female",
            "postcode": "ls1 1aa",
            "address": "1 Acacia Rd",
            "upn": bad_upn,
            "nhs_number": "999 000 0018",
        },
        line=5,
    )
    assert record.id == "42"
    assert record.forename == "zoe"
    assert record.middle_names == ("anne", "marie")
    assert record.surname == "smith jones"
    assert record.former_surnames == ("brown", "green")
    assert record.dob is None
    assert record.sex == "F"
    assert record.postcode == "LS11AA"
    assert record.address == "1 acacia road"
    assert record.upn == ""
    assert record.nhs_number == "9990000018"
    assert [str(w) for w in warnings] == [
        "line 5, column dob: malformed date '31/02/2014', treated as missing",
        "line 5, column upn: invalid UPN (check letter), treated as missing",
    ]


def test_bad_nhs_check_digit_is_absent() -> None:
    good = make_synthetic_nhs_number(3)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    record, warnings = parse_record({"id": "1", "nhs_number": bad})
    assert record.nhs_number == ""
    assert warnings[0].column == "nhs_number"


def test_absent_columns_are_missing() -> None:
    record, warnings = parse_record({"id": "x"})
    assert record.forename == record.surname == record.postcode == ""
    assert record.dob is None
    assert warnings == []


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(COLUMNS), st.text(max_size=30)))
def test_parse_record_never_raises(raw: dict[str, str]) -> None:
    parse_record(raw)
