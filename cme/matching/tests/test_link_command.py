"""`manage.py link` as scripts see it: exit status, stderr lines, the PAIRS file, the counts."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cme.linkage import batch, files
from cme.linkage.csvio import MAX_FILE_BYTES, PersonTable, read_person_csv
from cme.matching.management.commands import link
from cme.standards.upn import make_upn

HEADER = (
    "id",
    "forename",
    "middle_names",
    "surname",
    "former_surname",
    "dob",
    "sex",
    "postcode",
    "address",
    "upn",
    "nhs_number",
)
OUTPUT_HEADER = "left_id,right_id,match_probability,decision\n"
UPN_OLIVER = make_upn("800", "2001", "19", "007")
UPN_OTHER = make_upn("800", "2001", "19", "008")
# Oliver's UPN with another first letter: the check letter no longer fits.
UPN_WRONG_CHECK_LETTER = ("B" if UPN_OLIVER[0] != "B" else "C") + UPN_OLIVER[1:]

# The register: Oliver (reg-17) and children who are plainly someone else.
RIGHT_ROWS = [
    ["reg-17", "Oliver", "James", "Zedworth", "", "2014-03-09", "M", "LS1 1AA",
     "1 Acacia Road", UPN_OLIVER, ""],
    ["reg-03", "Amelia", "", "Khan", "", "2012-05-01", "F", "BD1 2XY", "4 Mill Lane", "", ""],
    ["reg-04", "Noah", "", "Smith", "", "2013-07-12", "M", "BD2 3XY", "9 High Street", "", ""],
    ["reg-05", "Isla", "Rose", "Jones", "", "2015-01-30", "F", "BD3 4XY", "2 Park Avenue",
     UPN_OTHER, ""],
    ["reg-06", "George", "", "Taylor", "", "2011-11-02", "M", "LS6 2AB", "7 Kirk Close", "", ""],
    ["reg-07", "Ava", "", "Brown", "", "2016-09-21", "F", "LS7 3CD", "12 Oak Drive", "", ""],
    ["reg-08", "Leo", "", "Patel", "", "2010-04-15", "M", "HX1 1EE", "3 Ash Grove", "", ""],
    ["reg-09", "Ivy", "", "Nowak", "", "2014-12-24", "F", "HX2 2FF", "5 Elm Court", "", ""],
    ["reg-10", "Jack", "", "Abdi", "", "2012-02-29", "M", "WF1 1GG", "8 Bridge Street", "", ""],
    ["reg-11", "Freya", "", "Okafor", "", "2013-06-06", "F", "WF2 2HH", "6 Church Lane", "", ""],
    ["reg-12", "Harry", "", "Wilson", "", "2015-08-18", "M", "LS9 9JJ", "10 Moor Road", "", ""],
    ["reg-13", "Mia", "", "Evans", "", "2011-03-03", "F", "LS8 8KK", "11 Vale Terrace", "", ""],
]  # fmt: skip
LEFT_ROWS = [
    # Oliver, by his UPN and the same details: the obvious link.
    ["ref-a", "Oliver", "", "Zedworth", "", "09/03/2014", "M", "ls1 1aa", "1 Acacia Rd",
     UPN_OLIVER, ""],
    # Nobody on the register.
    ["ref-b", "Quentin", "", "Marlowe", "", "2009-10-10", "M", "NE1 1ZZ", "99 Far Away", "", ""],
    # Too little to go on: a first name alone.
    ["ref-c", "Amelia", "", "", "", "", "F", "", "", "", ""],
]  # fmt: skip


def write_csv(
    path: Path, rows: list[list[str]], header: tuple[str, ...] | list[str] = HEADER
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(*args: str) -> tuple[int, list[str], list[str]]:
    """Run `link` as a script would; returns its exit status and its output lines."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("link", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


def read_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def left(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "left.csv", LEFT_ROWS)


@pytest.fixture
def right(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "right.csv", RIGHT_ROWS)


def test_the_obvious_match_is_linked_and_stdout_ends_with_the_counts(
    tmp_path: Path, left: Path, right: Path
) -> None:
    out = tmp_path / "pairs.csv"

    status, stdout, stderr = run(str(left), str(right), "--out", str(out))

    assert (status, stderr) == (0, [])
    assert stdout[-1] == "left=3 right=12 link=1 review=0"
    assert stdout[0].startswith("time: read ")
    assert stdout[1].startswith("training: ")
    assert out.read_text(encoding="utf-8").startswith(OUTPUT_HEADER)
    pairs = read_pairs(out)
    linked = [(p["left_id"], p["right_id"]) for p in pairs if p["decision"] == "link"]
    assert linked == [("ref-a", "reg-17")]
    assert not any(p["left_id"] == "ref-b" and p["decision"] for p in pairs)


def test_each_left_record_has_at_most_one_link_and_ten_candidates_best_first(
    tmp_path: Path, left: Path, right: Path
) -> None:
    out = tmp_path / "pairs.csv"

    run(str(left), str(right), "--out", str(out))

    pairs = read_pairs(out)
    assert pairs
    assert {p["decision"] for p in pairs} <= {"link", "review", ""}
    links = Counter(p["left_id"] for p in pairs if p["decision"] == "link")
    assert max(links.values()) == 1
    for left_id in {p["left_id"] for p in pairs}:
        probabilities = [float(p["match_probability"]) for p in pairs if p["left_id"] == left_id]
        assert len(probabilities) <= 10
        assert probabilities == sorted(probabilities, reverse=True)


def test_the_same_input_and_seed_give_the_same_bytes(
    tmp_path: Path, left: Path, right: Path
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"

    run(str(left), str(right), "--out", str(first), "--seed", "7")
    run(str(left), str(right), "--out", str(second), "--seed", "7")

    assert first.read_bytes() == second.read_bytes()


def test_two_workers_give_the_same_bytes_as_one(
    tmp_path: Path, left: Path, right: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_PARALLEL_MIN", 2)  # fork even for three left records
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"

    run(str(left), str(right), "--out", str(one))
    status, stdout, _ = run(str(left), str(right), "--out", str(two), "--workers", "2")

    assert status == 0
    assert stdout[-1] == "left=3 right=12 link=1 review=0"
    assert one.read_bytes() == two.read_bytes()


def test_bad_values_are_warnings_with_line_and_column_and_the_file_is_still_linked(
    tmp_path: Path, right: Path
) -> None:
    rows = [
        [*LEFT_ROWS[1][:5], "31/02/2014", *LEFT_ROWS[1][6:]],
        [*LEFT_ROWS[2][:9], UPN_WRONG_CHECK_LETTER, "1234567890"],
    ]
    left = write_csv(tmp_path / "left.csv", rows)
    out = tmp_path / "pairs.csv"

    status, stdout, stderr = run(str(left), str(right), "--out", str(out))

    assert status == 0
    assert stderr == [
        "left.csv: line 2, column dob: malformed date '31/02/2014', treated as missing",
        "left.csv: line 3, column upn: invalid UPN (check letter), treated as missing",
        "left.csv: line 3, column nhs_number: invalid NHS number (wrong length or check "
        "digit), treated as missing",
    ]
    assert stdout[-1].startswith("left=2 right=12 ")
    assert out.exists()


def test_a_warning_in_the_right_file_names_that_file(tmp_path: Path, left: Path) -> None:
    rows = [["r1", "Ann", "", "Lee", "", "2015-13-01"]]
    right = write_csv(tmp_path / "register.csv", rows, header=HEADER[:6])

    status, _, stderr = run(str(left), str(right), "--out", str(tmp_path / "pairs.csv"))

    assert status == 0
    assert stderr == [
        "register.csv: line 2, column dob: malformed date '2015-13-01', treated as missing"
    ]


def test_a_column_the_linkage_does_not_read_is_reported_once(tmp_path: Path, right: Path) -> None:
    left = write_csv(
        tmp_path / "left.csv",
        [["ref-a", "Oliver", "Zedworth", "2014-03-09", "Y6"]],
        header=["ID", " Forename ", "SURNAME", "date_of_birth", "year_group"],
    )

    status, stdout, stderr = run(str(left), str(right), "--out", str(tmp_path / "pairs.csv"))

    assert status == 0
    assert stderr == [
        "left.csv: line 1, column date_of_birth: not a column the linkage reads, ignored",
        "left.csv: line 1, column year_group: not a column the linkage reads, ignored",
    ]
    assert stdout[-1].startswith("left=1 right=12 ")


def test_a_left_file_with_only_a_header_gives_only_the_output_header(
    tmp_path: Path, right: Path
) -> None:
    left = write_csv(tmp_path / "left.csv", [])
    out = tmp_path / "pairs.csv"

    status, stdout, stderr = run(str(left), str(right), "--out", str(out))

    assert (status, stderr) == (0, [])
    assert stdout[-1] == "left=0 right=12 link=0 review=0"
    assert out.read_bytes() == OUTPUT_HEADER.encode()


def _no_id_column(path: Path) -> None:
    write_csv(path, [["Oliver", "Zedworth"]], header=["forename", "surname"])


def _windows_1252(path: Path) -> None:
    path.write_bytes("id,forename,surname\nx1,Zoë,Brontë\n".encode("cp1252"))


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8)


def _utf16(path: Path) -> None:
    path.write_bytes("id,forename\nx1,Oliver\n".encode("utf-16"))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _repeated_id(path: Path) -> None:
    write_csv(path, [["x1", "Oliver"], ["x1", "Amelia"]], header=["id", "forename"])


def _ragged(path: Path) -> None:
    path.write_text("id,forename\nx1,Oliver,Zedworth\n", encoding="utf-8")


def _absent(path: Path) -> None:
    pass


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize(
    ("make_file", "says"),
    [
        (_no_id_column, "no 'id' column"),
        (_windows_1252, "not UTF-8"),
        (_binary, "not UTF-8"),
        (_utf16, "not UTF-8"),
        (_empty, "is empty"),
        (_repeated_id, "repeats the id"),
        (_ragged, "record 1 has 3 fields"),
        (_absent, "does not exist"),
    ],
    ids=["no id", "cp1252", "binary", "utf-16", "empty", "repeated id", "ragged", "absent"],
)
def test_a_refused_file_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path,
    left: Path,
    right: Path,
    side: str,
    make_file: Callable[[Path], None],
    says: str,
) -> None:
    bad = tmp_path / "bad.csv"
    make_file(bad)
    paths = [str(bad), str(right)] if side == "left" else [str(left), str(bad)]
    before = sorted(tmp_path.iterdir())

    status, stdout, stderr = run(*paths, "--out", str(tmp_path / "pairs.csv"))

    assert status == 2
    assert len(stderr) == 1
    assert stderr[0].startswith("refused: ")
    assert says in stderr[0]
    assert "bad.csv" in stderr[0]
    assert stdout == []
    assert sorted(tmp_path.iterdir()) == before  # no PAIRS file, no temporary file


def test_a_refused_run_leaves_an_earlier_pairs_file_as_it_was(tmp_path: Path, right: Path) -> None:
    out = tmp_path / "pairs.csv"
    out.write_text("yesterday's pairs\n", encoding="utf-8")
    _binary(tmp_path / "left.csv")

    status, _, _ = run(str(tmp_path / "left.csv"), str(right), "--out", str(out))

    assert status == 2
    assert out.read_text(encoding="utf-8") == "yesterday's pairs\n"


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, left: Path, right: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "read_person_csv", _read_with_limit(100))

    status, stdout, stderr = run(str(left), str(right), "--out", str(tmp_path / "pairs.csv"))

    assert (status, stdout) == (2, [])
    assert len(stderr) == 1
    assert "more than the 100 allowed" in stderr[0]
    assert not (tmp_path / "pairs.csv").exists()


def _read_with_limit(limit: int) -> Callable[[str | Path], PersonTable]:
    return lambda path: read_person_csv(path, max_bytes=limit)


def test_an_out_folder_that_does_not_exist_is_refused(
    tmp_path: Path, left: Path, right: Path
) -> None:
    out = tmp_path / "no-such-folder" / "pairs.csv"

    status, stdout, stderr = run(str(left), str(right), "--out", str(out))

    assert (status, stdout, len(stderr)) == (2, [], 1)
    assert stderr[0].startswith("refused: the folder of --out ")
    assert "does not exist" in stderr[0]


def test_an_out_that_is_an_input_file_is_refused_and_the_input_kept(
    tmp_path: Path, left: Path, right: Path
) -> None:
    before = right.read_bytes()

    status, _, stderr = run(str(left), str(right), "--out", str(right))

    assert (status, len(stderr)) == (2, 1)
    assert "is the RIGHT file" in stderr[0]
    assert right.read_bytes() == before


def test_a_write_error_exits_1_with_one_line(
    tmp_path: Path, left: Path, right: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: object, rows: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(files, "write_pairs_csv", disk_full)

    status, stdout, stderr = run(str(left), str(right), "--out", str(tmp_path / "pairs.csv"))

    assert (status, stdout, len(stderr)) == (1, [], 1)
    assert stderr[0].startswith("failed: No space left on device")


def test_ctrl_c_exits_130_with_one_line_and_writes_nothing(
    tmp_path: Path, left: Path, right: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(link, "link_files", interrupted)

    status, stdout, stderr = run(str(left), str(right), "--out", str(tmp_path / "pairs.csv"))

    assert (status, stdout, stderr) == (130, [], ["interrupted: nothing was written"])
    assert not (tmp_path / "pairs.csv").exists()


@pytest.mark.parametrize(
    "option", [["--workers", "3"], ["--seed", "-1"], ["--seed", "x"], []], ids=str
)
def test_arguments_that_do_not_fit_are_refused_by_the_parser(
    tmp_path: Path, left: Path, right: Path, option: list[str]
) -> None:
    out = [] if not option else ["--out", str(tmp_path / "pairs.csv")]

    with pytest.raises(CommandError, match="Error: "):
        call_command("link", str(left), str(right), *out, *option)


def test_the_help_states_the_contract_and_the_choices() -> None:
    parser = link.Command().create_parser("manage.py", "link")
    text = " ".join(parser.format_help().split())

    for words in [
        "left_id, right_id, match_probability, decision",
        "at most 10",
        "left=N right=N link=N review=N",
        "FILE: line L, column NAME: reason",
        f"{MAX_FILE_BYTES:,} bytes",
        "Exit status 2",
        "default 0",
        "1 (default) or 2",
        "forked second process",
    ]:
        assert words in text
