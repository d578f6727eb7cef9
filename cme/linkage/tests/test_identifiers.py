"""Vectorised identifier validation agrees with cme.standards, value for value."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from cme.linkage.identifiers import (
    nhs_code,
    nhs_codes,
    nhs_from_code,
    upn_code,
    upn_codes,
    upn_from_code,
)
from cme.standards.nhs_number import is_valid_nhs_number, make_synthetic_nhs_number
from cme.standards.upn import is_valid_upn, normalise_upn

from .conftest import upn


def _mutations(value: str, rng: random.Random) -> list[str]:
    out = [value, value.lower(), f" {value} ", value[:-1], value + "0"]
    for _ in range(8):
        position = rng.randrange(len(value))
        out.append(value[:position] + rng.choice("0123456789ABCIOS") + value[position + 1 :])
    return out


def test_upn_codes_agree_with_the_standard_validator() -> None:
    rng = random.Random(3)
    values = [m for n in range(300) for m in _mutations(upn(n), rng)]
    values += ["", "A", "I800200019000", "٣" * 13]
    codes = upn_codes(values).tolist()
    for value, code in zip(values, codes, strict=True):
        assert (code != 0) == is_valid_upn(value), value
        if code:
            assert upn_from_code(code) == normalise_upn(value)
            assert upn_code(value) == code


def test_nhs_codes_agree_with_the_standard_validator() -> None:
    rng = random.Random(4)
    values = [m for n in range(300) for m in _mutations(make_synthetic_nhs_number(n), rng)]
    values += ["943 476 5919", "943-476-5919", "0000000000", ""]
    codes = nhs_codes(values).tolist()
    for value, code in zip(values, codes, strict=True):
        assert (code != 0) == is_valid_nhs_number(value), value
        if code:
            assert nhs_code(value) == code
            assert nhs_from_code(code) == "".join(value.split()).replace("-", "")


@settings(deadline=None)
@given(st.lists(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUVWXYZ -", max_size=15)))
def test_codes_agree_on_arbitrary_text(values: list[str]) -> None:
    for value, code in zip(values, upn_codes(values).tolist(), strict=True):
        assert (code != 0) == is_valid_upn(value)
    for value, code in zip(values, nhs_codes(values).tolist(), strict=True):
        assert (code != 0) == is_valid_nhs_number(value)
