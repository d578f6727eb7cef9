"""The register index: candidates for every kind of difference, and two ways to build it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cme.linkage.index import RegisterIndex
from cme.linkage.records import COLUMNS, PersonRecord, parse_record

from .conftest import child, filler, index_of

TARGET = child(
    1,
    forename="katherine",
    middle_names=("rose",),
    surname="smith jones",
    former_surnames=("brown",),
    previous_postcodes=("WF99ZZ",),
)


@pytest.mark.parametrize(
    "referral",
    [
        replace(TARGET, id="q"),
        replace(TARGET, id="q", forename="kate", upn="", nhs_number=""),
        replace(TARGET, id="q", forename="smith jones", surname="katherine", upn="", nhs_number=""),
        replace(TARGET, id="q", dob=date(2014, 9, 3), upn="", nhs_number=""),
        replace(TARGET, id="q", surname="jones", postcode="", address="", upn="", nhs_number=""),
        replace(TARGET, id="q", surname="brown", dob=None, upn="", nhs_number=""),
        replace(TARGET, id="q", postcode="WF99ZZ", address="", dob=None, upn="", nhs_number=""),
        replace(TARGET, id="q", forename="rose", dob=date(2015, 3, 9), upn="", nhs_number=""),
        PersonRecord(id="q", upn=TARGET.upn),
        PersonRecord(id="q", nhs_number=TARGET.nhs_number),
    ],
)
def test_the_target_is_a_candidate(referral: PersonRecord) -> None:
    index = index_of([TARGET])
    assert 0 in index.candidates(referral)


def test_from_columns_gives_the_same_records_as_parse_record() -> None:
    raw_rows = [
        {
            "id": f"r{i}",
            "forename": name,
            "middle_names": "Anne",
            "surname": "Smith-Jones" if i % 2 else "O'Brien",
            "former_surname": "Brown;Green" if i % 3 == 0 else "",
            "dob": ["2014-03-09", "09/03/2014", "bad", ""][i % 4],
            "sex": "f",
            "postcode": "ls1 1aa",
            "address": "1 Acacia Rd",
            "upn": child(i).upn if i % 2 else "X123",
            "nhs_number": child(i).nhs_number,
        }
        for i, name in enumerate(["Zoë", "Bill", "", "Mohammed", "Kate", "Xasan"])
    ]
    columns = {c: [row[c] for row in raw_rows] for c in COLUMNS}
    index, warnings = RegisterIndex.from_columns(columns)
    expected = [parse_record(row, line=i + 2) for i, row in enumerate(raw_rows)]
    assert [index.record(i) for i in range(len(raw_rows))] == [r for r, _ in expected]
    assert sorted(str(w) for w in warnings) == sorted(str(w) for _, ws in expected for w in ws)


def test_household_twins() -> None:
    a = child(1, forename="amelia")
    b = child(2, forename="isla")
    sibling = child(3, forename="noah", dob=date(2016, 5, 5))
    index = RegisterIndex.from_records([a, b, sibling, *filler(50)])
    assert index.household_twins(0) == [1]
    assert index.household_twins(2) == []


def test_stats_count_every_key() -> None:
    stats = index_of([TARGET]).stats()
    assert stats.records == 301
    assert stats.keys["upn"] == 301


def test_two_workers_build_the_same_index(monkeypatch: pytest.MonkeyPatch) -> None:
    import cme.linkage.index as index_module

    monkeypatch.setattr(index_module, "_PARALLEL_MIN_ROWS", 10)
    records = [TARGET, *filler(60)]
    columns = {
        "id": [r.id for r in records],
        "forename": [r.forename for r in records],
        "middle_names": [" ".join(r.middle_names) for r in records],
        "surname": [r.surname for r in records],
        "former_surname": [";".join(r.former_surnames) for r in records],
        "dob": [r.dob.isoformat() if r.dob else "" for r in records],
        "sex": [r.sex for r in records],
        "postcode": [r.postcode for r in records],
        "previous_postcodes": [";".join(r.previous_postcodes) for r in records],
        "address": [r.address for r in records],
        "upn": [r.upn for r in records],
        "nhs_number": [r.nhs_number for r in records],
    }
    one, _ = RegisterIndex.from_columns(columns, workers=1)
    two, _ = RegisterIndex.from_columns(columns, workers=2)
    assert [one.record(i) for i in range(one.size)] == [two.record(i) for i in range(two.size)]
    assert one.candidates(TARGET) == two.candidates(TARGET)
