"""`manage.py import_ctf` as scripts see it: exit status, stderr lines, the last stdout line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from cme.pupils.models import Child
from cme.transfers.models import CtfFile

from .samples import UPN_2, ctf, pupil, write

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, list[str], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("import_ctf", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


def test_a_file_is_imported_with_exit_0_and_the_counts_as_the_last_line(tmp_path: Path) -> None:
    path = write(tmp_path, "8009999_CTF_8002001_001.xml", ctf(pupil(dob="2016-02-30")))

    status, out, err = run(str(path))

    assert status == 0
    assert out == ["created=1 updated=0 unchanged=0 review=0 rejected=0"]
    assert err == [
        "line 2, /CTfile/CTFpupilData/Pupil/DOB: DOB is not a real date; counted as missing"
    ]


def test_importing_again_reports_every_pupil_unchanged(tmp_path: Path) -> None:
    path = write(tmp_path, "a.xml", ctf(pupil(), pupil(upn=UPN_2, forename="BEN")))
    run(str(path))

    status, out, _err = run(str(path))

    assert status == 0
    assert out[-1] == "created=0 updated=0 unchanged=2 review=0 rejected=0"
    assert Child.objects.count() == 2


def test_a_refused_file_exits_2_with_one_line_on_stderr_and_nothing_on_stdout(
    tmp_path: Path,
) -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CTfile/>'

    status, out, err = run(str(write(tmp_path, "evil.xml", evil)))

    assert status == 2
    assert out == []
    assert len(err) == 1
    assert err[0].startswith(
        "refused: evil.xml was refused: it contains a document type declaration"
    )
    assert Child.objects.count() == 0


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    status, out, err = run(str(tmp_path / "nowhere.xml"))

    assert (status, out) == (2, [])
    assert err == [
        f"refused: {tmp_path / 'nowhere.xml'} is not a file. Check the name and try again."
    ]


@override_settings(CTF_MAX_BYTES=500)
def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    status, _out, err = run(str(write(tmp_path, "big.xml", ctf())))

    assert status == 2
    assert "larger than the limit of 500 bytes" in err[0]
    assert "CME_CTF_MAX_BYTES" in err[0]


def test_several_files_each_all_or_nothing_with_a_total_last(tmp_path: Path) -> None:
    good = write(tmp_path, "good.xml", ctf())
    bad = write(tmp_path, "bad.xml", ctf()[:-50])
    other = write(tmp_path, "other.xml", ctf(pupil(upn=UPN_2, forename="BEN")))

    status, out, err = run(str(good), str(bad), str(other))

    assert status == 2
    assert out == [
        "good.xml: created=1 updated=0 unchanged=0 review=0 rejected=0",
        "other.xml: created=1 updated=0 unchanged=0 review=0 rejected=0",
        "created=2 updated=0 unchanged=0 review=0 rejected=0",
    ]
    assert len(err) == 1
    assert err[0].startswith("refused: bad.xml is not well-formed XML")
    assert Child.objects.count() == 2
    assert CtfFile.objects.filter(status="refused").count() == 1


def test_an_older_version_is_read_with_a_warning(tmp_path: Path) -> None:
    status, out, err = run(str(write(tmp_path, "old.xml", ctf(version="18.0"))))

    assert status == 0
    assert out[-1].startswith("created=1")
    assert err == [
        "warning: old.xml: CTF version 18.0 is not an expected version (the current and previous "
        "are 26.0 and 25.0): the file was read, but some of its data may not import"
    ]


def test_the_help_states_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("import_ctf", "--help")
    text = capsys.readouterr().out
    assert "created=N updated=N unchanged=N review=N rejected=N" in text
    assert "CME_CTF_MAX_BYTES" in text
    assert "AttendanceMarks" in text
