"""Shared builders for linkage tests: small invented registers, no Django."""

from __future__ import annotations

from datetime import date

import pytest

from cme.linkage.index import RegisterIndex
from cme.linkage.model import MatchModel
from cme.linkage.records import PersonRecord
from cme.standards.nhs_number import make_synthetic_nhs_number
from cme.standards.upn import make_upn


def upn(n: int) -> str:
    return make_upn("800", f"{n // 1000:04d}", "19", f"{n % 1000:03d}")


def child(n: int, **fields: object) -> PersonRecord:
    """An invented child; `fields` override the defaults."""
    defaults: dict[str, object] = {
        "id": f"R{n}",
        "forename": "oliver",
        "surname": "zedworth",
        "dob": date(2014, 3, 9),
        "sex": "M",
        "postcode": "LS11AA",
        "address": "1 acacia road",
        "upn": upn(n),
        "nhs_number": make_synthetic_nhs_number(n),
    }
    defaults.update(fields)
    return PersonRecord(**defaults)  # type: ignore[arg-type]


def filler(count: int, start: int = 1000) -> list[PersonRecord]:
    """Unrelated children, so that frequencies and priors look like a register."""
    forenames = ["amelia", "noah", "isla", "george", "ava", "leo", "ivy", "jack"]
    surnames = ["smith", "jones", "taylor", "brown", "khan", "patel", "nowak", "abdi"]
    return [
        child(
            start + i,
            forename=forenames[i % len(forenames)],
            surname=surnames[(i // 8) % len(surnames)] if i % 3 else f"fill{i}son",
            dob=date(2010 + i % 11, 1 + i % 12, 1 + i % 28),
            sex="MF"[i % 2],
            postcode=f"BD{1 + i % 9}{i % 10}XY",
            address=f"{i} filler street",
        )
        for i in range(count)
    ]


@pytest.fixture
def model() -> MatchModel:
    return MatchModel.default()


def index_of(records: list[PersonRecord]) -> RegisterIndex:
    return RegisterIndex.from_records(records + filler(300))
