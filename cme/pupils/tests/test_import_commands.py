"""The import commands as scripts see them: exit status, stderr lines, the last stdout line."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from cme.matching.management.commands import import_pupils
from cme.pupils import importers, services
from cme.pupils.management import import_command
from cme.pupils.management.commands import import_schools
from cme.pupils.models import Child, Enrolment, School
from cme.pupils.tests.test_importers import (
    GIAS_HEADER,
    PUPIL_HEADER,
    UPN_2,
    UPN_WRONG_CHECK_LETTER,
    add_school,
    gias_row,
    pupil,
    pupils_file,
    register,
    write_csv,
)
from cme.standards.upn import make_upn

pytestmark = pytest.mark.django_db


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(
    command: str, *args: str, stderr: io.StringIO | None = None
) -> tuple[int, list[str], list[str]]:
    """Run a command as a script would; returns its exit status and its output lines."""
    out, err = io.StringIO(), stderr or io.StringIO()
    status = 0
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


@pytest.fixture
def school(db: None) -> School:
    """Widcombe Junior School, LAESTAB 8002001, open."""
    return add_school()


def test_import_schools_exits_0_and_ends_stdout_with_the_counts(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gias.csv", GIAS_HEADER, [gias_row(), gias_row(URN="10912X")])

    status, out, err = run("import_schools", str(path))

    assert status == 0
    assert out[-1] == "created=1 updated=0 unchanged=0 review=0 rejected=1"
    assert err == ["line 3, column 1: URN must be a number (digits only); row rejected"]


def test_import_pupils_reports_each_bad_value_on_stderr_by_line_and_column(
    tmp_path: Path, school: School
) -> None:
    path = pupils_file(
        tmp_path,
        [pupil(upn=UPN_WRONG_CHECK_LETTER), pupil(upn=UPN_2, surname="Brown", laestab="8009999")],
    )

    status, out, err = run("import_pupils", str(path))

    assert status == 0
    assert out[-1] == "created=1 updated=0 unchanged=0 review=0 rejected=1"
    assert err == [
        "line 2, column 1: UPN invalid (wrong check letter at character 1)",
        "line 3, column 11: laestab 8009999 is not a known school (import the GIAS extract "
        "with import_schools first); row rejected",
    ]


def test_import_pupils_run_twice_reports_everything_unchanged(
    tmp_path: Path, school: School
) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2, surname="Brown")])
    run("import_pupils", str(path))

    status, out, err = run("import_pupils", str(path))

    assert (status, out[-1], err) == (
        0,
        "created=0 updated=0 unchanged=2 review=0 rejected=0",
        [],
    )


def _missing_header(tmp_path: Path) -> Path:
    return pupils_file(tmp_path, [pupil()], header=[c for c in PUPIL_HEADER if c != "upn"])


def _windows_1252(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "pupils.csv", PUPIL_HEADER, [pupil()], encoding="cp1252")


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "pupils.csv"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "pupils.csv"
    path.write_bytes(b"")
    return path


def _absent(tmp_path: Path) -> Path:
    return tmp_path / "no-such-file.csv"


@pytest.mark.parametrize(
    ("make_file", "says"),
    [
        (_missing_header, "missing the required column upn"),
        (_windows_1252, "is not UTF-8"),
        (_binary, "is not a CSV file"),
        (_empty, "is empty"),
        (_absent, "cannot read"),
    ],
    ids=["missing header", "not UTF-8", "binary", "empty", "no such file"],
)
def test_a_refused_file_exits_2_with_one_line_on_stderr_and_writes_nothing(
    tmp_path: Path, school: School, make_file: Any, says: str
) -> None:
    path = make_file(tmp_path)
    before = register()

    status, out, err = run("import_pupils", str(path))

    assert status == 2
    assert len(err) == 1
    assert err[0].startswith("refused: ")
    assert says in err[0]
    assert out == []
    assert register() == before


def test_a_file_over_the_size_limit_exits_2(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gias.csv", GIAS_HEADER, [gias_row()])

    with override_settings(IMPORT_MAX_BYTES=100):
        status, _, err = run("import_schools", str(path))

    assert status == 2
    assert len(err) == 1
    assert "larger than the limit of 100 bytes" in err[0]
    assert School.objects.exists() is False


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--full-roll"], "--full-roll needs --as-of"),
        (["--as-of", "2025-01-10"], "--as-of only applies with --full-roll"),
        (["--full-roll", "--as-of", "10/01/2025"], "is not a date in the form YYYY-MM-DD"),
        (["--full-roll", "--as-of", "2025-02-30"], "is not a date in the form YYYY-MM-DD"),
        (["--full-roll", "--as-of", "2999-01-01"], "is in the future"),
    ],
)
def test_full_roll_arguments_that_do_not_fit_exit_2_with_one_line(
    tmp_path: Path, school: School, args: list[str], says: str
) -> None:
    path = pupils_file(tmp_path, [pupil()])

    status, _, err = run("import_pupils", str(path), *args)

    assert status == 2
    assert len(err) == 1
    assert says in err[0]
    assert Child.objects.exists() is False


def test_a_full_roll_takes_absent_pupils_off_the_roll(tmp_path: Path, school: School) -> None:
    first = [pupil(), pupil(upn=UPN_2, forename="Jack")]
    run("import_pupils", str(pupils_file(tmp_path, first, name="a.csv")))

    status, out, _ = run(
        "import_pupils",
        str(pupils_file(tmp_path, [pupil()], name="b.csv")),
        "--full-roll",
        "--as-of",
        "2025-01-10",
    )

    assert status == 0
    assert out[-1] == "created=0 updated=1 unchanged=1 review=0 rejected=0"
    assert Enrolment.objects.get(child__upn=UPN_2).end_date == datetime.date(2025, 1, 10)


def test_a_full_roll_that_cannot_remove_safely_says_so_on_stderr(
    tmp_path: Path, school: School
) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2, forename="", surname="")])

    status, _, err = run("import_pupils", str(path), "--full-roll", "--as-of", "2025-01-10")

    assert status == 0
    assert err[-1].startswith("warning: no pupil was taken off the roll of 8002001")


def test_plain_progress_lines_go_to_stderr_when_it_is_not_a_terminal(
    tmp_path: Path, school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "BATCH_SIZE", 2)
    monkeypatch.setattr(import_command, "PLAIN_PROGRESS_EVERY", 2)
    rows = [pupil(upn=make_upn("800", "2001", "20", f"{n:03d}"), surname=f"S{n}") for n in range(5)]

    status, out, err = run("import_pupils", str(pupils_file(tmp_path, rows)))

    assert status == 0
    assert err == [
        "pupils.csv: 2 of 5 rows read",
        "pupils.csv: 4 of 5 rows read",
    ]
    assert out == ["created=5 updated=0 unchanged=0 review=0 rejected=0"]


def test_a_progress_bar_goes_to_stderr_on_a_terminal(tmp_path: Path, school: School) -> None:
    terminal = _Terminal()

    status, out, _ = run("import_pupils", str(pupils_file(tmp_path, [pupil()])), stderr=terminal)

    assert status == 0
    assert "1/1" in terminal.getvalue()
    assert "rows" in terminal.getvalue()
    assert out == ["created=1 updated=0 unchanged=0 review=0 rejected=0"]


def test_ctrl_c_exits_130_and_leaves_the_database_as_it_was(
    tmp_path: Path, school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(**kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "_enrolment_created", interrupted)
    before = register()

    status, out, err = run("import_pupils", str(pupils_file(tmp_path, [pupil()])))

    assert status == 130
    assert err == ["interrupted: nothing from the file was written"]
    assert out == []
    assert register() == before


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            import_pupils.Command(),
            [
                "upn, forename, middle_names, surname, former_surname, dob, sex, postcode,",
                "--full-roll",
                "--as-of YYYY-MM-DD",
                "sent to review",
                "line L, column C: reason",
                "created=N updated=N unchanged=N review=N rejected=N",
                "the header is line 1",
                "exit status 2",
            ],
        ),
        (
            import_schools.Command(),
            [
                "URN, LA (code), EstablishmentNumber, EstablishmentName,",
                "Closed establishments are imported",
                "line L, column C: reason",
                "created=N updated=N unchanged=N review=N rejected=N",
            ],
        ),
    ],
    ids=["import_pupils", "import_schools"],
)
def test_help_documents_the_contract(command: Any, expected: list[str]) -> None:
    name = command.__module__.rsplit(".", 1)[-1]
    text = command.create_parser("manage.py", name).format_help()

    for phrase in expected:
        assert phrase.lower() in text.lower(), phrase
