"""Tests for cme.standards.la_codes: the bundled table and the UPN LA-code rule (spec 2.4, 5.1)."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.standards.la_codes import (
    UPN_LA_CODE_RULE,
    LaCodeStatus,
    UpnLaCodeAcceptance,
    is_recognised_upn_la_code,
    load_la_codes,
    upn_la_code_acceptance,
)

# DfE CIN census rule 1530 list as quoted in spec section 2.4 (pre-2023: no 942/943).
CIN_RULE_1530_RANGES = (
    "001-005, 201-213, 301-320, 330-336, 340-344, 350-359, 370-373, 380-384, 390-394, 420, "
    "660-681, 701-708, 800-803, 805-808, 810-813, 815, 816, 820-823, 825, 826, 830, 831, "
    "835-837, 838-839, 840, 841, 845, 846, 850-852, 855-857, 860, 861, 865-896, 908, 909, 916, "
    "919, 921, 925, 926, 928, 929, 931, 933, 935-938, 940-941"
)


def _expand(ranges: str) -> set[str]:
    codes: set[str] = set()
    for part in (piece.strip() for piece in ranges.split(",")):
        first, _, last = part.partition("-")
        codes.update(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return codes


def test_table_has_153_current_english_las() -> None:
    # standards README and spec section 5.1: 153 current English LAs.
    statuses = Counter(entry.status for entry in load_la_codes().values())
    assert statuses[LaCodeStatus.CURRENT_ENGLAND_LA] == 153


def test_bath_and_north_east_somerset_is_800() -> None:
    assert load_la_codes()["800"].name == "Bath and North East Somerset"


def test_names_containing_commas_are_read_whole() -> None:
    assert load_la_codes()["801"].name == "Bristol, City of"


def test_every_row_names_its_source() -> None:
    assert all(entry.source for entry in load_la_codes().values())


def test_loaded_table_is_cached() -> None:
    assert load_la_codes() is load_la_codes()


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("866", "Swindon"),
        ("940", "North Northamptonshire"),
        ("941", "West Northamptonshire"),
        ("942", "Cumberland"),
        ("943", "Westmorland and Furness"),
    ],
)
def test_recent_and_easily_missed_las_are_current_and_accepted(code: str, name: str) -> None:
    entry = load_la_codes()[code]
    assert (entry.name, entry.status) == (name, LaCodeStatus.CURRENT_ENGLAND_LA)
    assert upn_la_code_acceptance(code) is UpnLaCodeAcceptance.ACCEPTED


@pytest.mark.parametrize("code", ["820", "835", "836", "837", "875", "909", "928"])
def test_abolished_las_still_seen_in_old_upns_are_accepted(code: str) -> None:
    assert load_la_codes()[code].status is LaCodeStatus.HISTORICAL_ENGLAND_LA
    assert upn_la_code_acceptance(code) is UpnLaCodeAcceptance.ACCEPTED


def test_welsh_las_660_to_681_are_accepted() -> None:
    welsh = {f"{n}" for n in range(660, 682)}
    assert all(load_la_codes()[code].status is LaCodeStatus.WALES_LA for code in welsh)
    assert all(is_recognised_upn_la_code(code) for code in welsh)


@pytest.mark.parametrize("code", ["701", "702", "704", "705", "706", "707", "708"])
def test_gias_non_la_establishment_groups_are_accepted(code: str) -> None:
    assert upn_la_code_acceptance(code) is UpnLaCodeAcceptance.ACCEPTED


def test_703_is_missing_from_the_bundled_table_and_so_rejected() -> None:
    # Spec 2.4 says 701-708, but la_codes.csv has no 703 row (no source lists a name for it).
    # This records today's behaviour; add the row to the data file if a source confirms 703.
    assert "703" not in load_la_codes()
    assert not is_recognised_upn_la_code("703")


@pytest.mark.parametrize("code", ["001", "002", "003", "004", "005"])
def test_pseudo_la_codes_are_accepted_with_a_warning_unverified_u(code: str) -> None:
    assert load_la_codes()[code].status is LaCodeStatus.PSEUDO_CIN_ONLY
    assert upn_la_code_acceptance(code) is UpnLaCodeAcceptance.ACCEPTED_WITH_WARNING
    assert is_recognised_upn_la_code(code)


@pytest.mark.parametrize("code", ["000", "999"])
def test_does_not_apply_000_and_mtc_test_999_are_rejected(code: str) -> None:
    assert code in load_la_codes()
    assert upn_la_code_acceptance(code) is UpnLaCodeAcceptance.REJECTED


@pytest.mark.parametrize(
    "code", ["", "80", "8000", " 800", "abc", "900", "817", "\u0668\u0660\u0660"]
)
def test_values_not_in_the_table_are_rejected(code: str) -> None:
    assert not is_recognised_upn_la_code(code)


def test_the_upn_rule_decides_every_status_in_one_table() -> None:
    assert set(UPN_LA_CODE_RULE) == set(LaCodeStatus)


def test_cin_rule_1530_codes_are_accepted_except_703() -> None:
    rejected = {
        code for code in _expand(CIN_RULE_1530_RANGES) if not is_recognised_upn_la_code(code)
    }
    assert rejected == {"703"}


def test_cumberland_and_westmorland_are_accepted_though_cin_rule_1530_predates_them() -> None:
    assert {"942", "943"}.isdisjoint(_expand(CIN_RULE_1530_RANGES))
    assert is_recognised_upn_la_code("942")
    assert is_recognised_upn_la_code("943")


@settings(deadline=None)
@given(st.text())
def test_no_string_makes_the_la_code_check_raise(code: str) -> None:
    assert is_recognised_upn_la_code(code) is (
        upn_la_code_acceptance(code) is not UpnLaCodeAcceptance.REJECTED
    )
