"""Batch linking end to end: determinism, files refused whole, output written atomically."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from cme.linkage.batch import link_records
from cme.linkage.csvio import InputFileError, parse_person_csv
from cme.linkage.decision import Decision
from cme.linkage.files import link_files
from cme.linkage.index import RegisterIndex
from cme.linkage.records import COLUMNS, PersonRecord

from .conftest import child, filler


def _register() -> list[PersonRecord]:
    return [
        child(1, forename="william"),
        child(2, forename="isla", dob=date(2012, 6, 1)),
        *filler(200),
    ]


def _referrals() -> list[PersonRecord]:
    return [
        replace(child(1), id="a", forename="bill", upn="", nhs_number=""),
        replace(child(2), id="b", forename="isla", dob=date(2012, 1, 6), upn=""),
        PersonRecord(id="c", forename="nobody", surname="nowhere", dob=date(2019, 1, 1)),
        *[replace(r, id=f"f{i}", upn="") for i, r in enumerate(filler(40, start=1000))],
    ]


def test_batch_links_and_is_deterministic() -> None:
    index = RegisterIndex.from_records(_register())
    first = link_records(_referrals(), index, seed=7)
    second = link_records(_referrals(), index, seed=7)
    assert first.rows == second.rows
    by_left: dict[str, list[tuple[str, Decision]]] = {}
    for row in first.rows:
        by_left.setdefault(row.left_id, []).append((row.right_id, row.decision))
    assert by_left["a"][0] == ("R1", Decision.LINK)
    assert by_left["b"][0][0] == "R2"
    assert all(d is not Decision.LINK for _, d in by_left.get("c", []))
    for rows in by_left.values():
        assert len(rows) <= 10
        assert sum(d is Decision.LINK for _, d in rows) <= 1


def _write(path: Path, records: list[PersonRecord]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for r in records:
            writer.writerow(
                [
                    r.id,
                    r.forename,
                    " ".join(r.middle_names),
                    r.surname,
                    ";".join(r.former_surnames),
                    r.dob.isoformat() if r.dob else "",
                    r.sex,
                    r.postcode,
                    r.address,
                    r.upn,
                    r.nhs_number,
                ]
            )


def test_link_files_round_trip(tmp_path: Path) -> None:
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "pairs.csv"
    _write(left, _referrals())
    _write(right, _register())
    result = link_files(left, right, out, seed=3)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["left_id", "right_id", "match_probability", "decision"]
    assert rows[0]["left_id"] == "a"
    assert rows[0]["decision"] == "link"
    assert result.links >= 1
    first = out.read_bytes()
    link_files(left, right, out, seed=3)
    assert out.read_bytes() == first


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,dob\nx,2014-01-01\n", "no 'id' column"),
        (b"id,forename\n\xff\xfe\x00junk\n", "not UTF-8"),
        (b"id,forename\nx,\x00\n", "NUL"),
        (b"", "empty"),
        (b"id,forename\n1,a\n1,b\n", "repeats the id"),
        (b"id,forename\n1,a,b\n", "has 3 fields"),
        (b"id,forename\n,a\n", "has no id"),
        (b'id,forename\n1,"a\n', "not a valid CSV"),
    ],
)
def test_bad_files_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(InputFileError, match=message) as caught:
        parse_person_csv(data, name="f.csv")
    assert "\n" not in str(caught.value)


def test_junk_is_refused(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 4000
    with pytest.raises(InputFileError):
        parse_person_csv(junk)


def test_no_output_when_an_input_is_refused(tmp_path: Path) -> None:
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "pairs.csv"
    _write(left, _referrals())
    right.write_bytes(b"\xff\xfe")
    with pytest.raises(InputFileError):
        link_files(left, right, out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [left, right] or set(tmp_path.iterdir()) == {left, right}


def test_warnings_name_line_and_column(tmp_path: Path) -> None:
    data = b"id,dob,upn\n1,31/02/2014,\n\n2,2014-01-01,A123\n"
    table = parse_person_csv(data)
    assert table.line(0) == 2
    assert table.line(1) == 4
    index, warnings = RegisterIndex.from_columns(table.columns, lines=table.lines)
    assert [str(w) for w in warnings] == [
        "line 2, column dob: malformed date '31/02/2014', treated as missing",
        "line 4, column upn: invalid UPN (format), treated as missing",
    ]
    assert index.size == 2


def test_two_workers_give_the_same_output(monkeypatch: pytest.MonkeyPatch) -> None:
    from cme.linkage import batch

    monkeypatch.setattr(batch, "_PARALLEL_MIN", 10)
    index = RegisterIndex.from_records(_register())
    one = link_records(_referrals(), index, seed=5, workers=1)
    two = link_records(_referrals(), index, seed=5, workers=2)
    assert one.rows == two.rows
    assert one.model == two.model


def test_a_tiny_register_still_links_a_clear_match(tmp_path: Path) -> None:
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "pairs.csv"
    left.write_text("id,forename,surname,dob\na,Bill,Smith,2014-03-09\n", encoding="utf-8")
    right.write_text(
        "ID , Forename,SURNAME,dob\nr1,William,Smith,09/03/2014\nr2,Kate,Jones,2012-01-01\n",
        encoding="utf-8",
    )
    link_files(left, right, out, seed=1)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["right_id"], r["decision"]) for r in rows] == [("r1", "link")]
