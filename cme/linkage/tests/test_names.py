"""Name normalisation, variants and phonetic keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.linkage.names import (
    forename_key,
    is_forename_variant,
    is_surname_variant,
    normalise_name,
    phonetic_key,
    skeleton,
    surname_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Zoë  O'Brien ", "zoe obrien"),
        ("Smith-Jones", "smith jones"),
        ("ŁUKASZ Wiśniewski", "lukasz wisniewski"),
        ("D\u2019Arcy", "darcy"),
        ("Anne-Marie", "anne marie"),
        ("", ""),
        ("1234 !!", ""),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


@settings(deadline=None)
@given(st.text())
def test_normalise_name_is_idempotent_and_ascii(raw: str) -> None:
    once = normalise_name(raw)
    assert normalise_name(once) == once
    assert once.isascii()
    phonetic_key(once)
    skeleton(once)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("bill", "william"),
        ("kate", "katherine"),
        ("katie", "catherine"),
        ("mohammed", "muhammad"),
        ("mohamed", "maxamed"),
        ("xasan", "hassan"),
        ("abdi", "abdy"),
        ("mohamud", "mahmoud"),
        ("kasia", "katarzyna"),
        ("wojtek", "wojciech"),
        ("phillip", "philip"),
    ],
)
def test_forename_variants(a: str, b: str) -> None:
    assert is_forename_variant(a, b)
    assert is_forename_variant(b, a)


@pytest.mark.parametrize(("a", "b"), [("oliver", "olivia"), ("jack", "james"), ("ava", "eva")])
def test_different_names_are_not_variants(a: str, b: str) -> None:
    assert not is_forename_variant(a, b)


def test_nicknames_share_a_blocking_key() -> None:
    assert forename_key("bill") == forename_key("william")
    assert forename_key("mohammed") == forename_key("muhammad")


@pytest.mark.parametrize(("a", "b"), [("smith", "smyth"), ("nowak", "novak"), ("hassan", "xasan")])
def test_surname_variants(a: str, b: str) -> None:
    assert is_surname_variant(a, b)
    assert surname_key(a) == surname_key(b)
