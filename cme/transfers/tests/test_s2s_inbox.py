"""The S2S inbox: a folder of downloaded files, imported once each by a scheduled pass."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cme.pupils.models import Child
from cme.transfers import importers, services, tasks
from cme.transfers.models import CtfFile, S2sInboxRun, TransferWorkItem

from .samples import UPN_2, ctf, lost_pupil_ctf, pupil, write

pytestmark = pytest.mark.django_db


def settled(path: Path) -> Path:
    """As if the file had been dropped there an hour ago (finished being written)."""
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "s2s"
    folder.mkdir()
    settled(write(folder, "8739999_CTF_XXXXXXX_001.xml", lost_pupil_ctf(pupil())))
    settled(write(folder, "8009999_CTF_8002001_001.xml", ctf(pupil(upn=UPN_2, forename="BEN"))))
    settled(write(folder, "notes.txt", b"not a CTF"))
    settled(write(folder, ".partial.xml", b"<CTfile>"))
    return folder


def run_command(*args: str) -> tuple[int, list[str], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("s2s_inbox", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


def test_a_pass_imports_each_new_ctf_and_lists_other_authorities_lost_pupils(inbox: Path) -> None:
    result = importers.scan_s2s_inbox(folder=str(inbox))

    assert result.run is not None
    assert (result.run.files_found, result.run.files_imported) == (2, 2)
    assert {f.source for f in CtfFile.objects.all()} == {CtfFile.Source.S2S_INBOX}
    assert Child.objects.count() == 1  # the CTF to a school; the lost pupil is not a child
    item = TransferWorkItem.objects.get()
    assert item.kind == TransferWorkItem.Kind.LOOKING_FOR_PUPIL
    assert sorted(path.name for path in inbox.iterdir())[0] == ".partial.xml"  # files are left


def test_a_second_pass_imports_nothing_again_even_under_another_name(inbox: Path) -> None:
    importers.scan_s2s_inbox(folder=str(inbox))
    settled(write(inbox, "copy-of-lost-pupil.xml", lost_pupil_ctf(pupil())))

    result = importers.scan_s2s_inbox(folder=str(inbox), force=True)

    assert result.run is not None
    assert (result.run.files_found, result.run.files_imported) == (3, 0)
    assert result.run.files_already_seen == 3
    assert TransferWorkItem.objects.count() == 1
    assert Child.objects.count() == 1


def test_an_interrupted_pass_is_finished_by_the_next(inbox: Path) -> None:
    # Interrupted after the raw file was kept but before it was imported.
    services.receive_ctf_file(
        content=lost_pupil_ctf(pupil()), name="x.xml", source=CtfFile.Source.S2S_INBOX
    )
    S2sInboxRun.objects.create(started_at=timezone.now(), folder=str(inbox))  # never finished

    result = importers.scan_s2s_inbox(folder=str(inbox))

    assert result.run is not None
    assert result.run.files_imported == 2
    assert CtfFile.objects.filter(status=CtfFile.Status.IMPORTED).count() == 2


def test_a_refused_file_is_remembered_and_not_taken_up_again(inbox: Path) -> None:
    settled(write(inbox, "cut-short.xml", ctf()[:-20]))

    first = importers.scan_s2s_inbox(folder=str(inbox))
    second = importers.scan_s2s_inbox(folder=str(inbox), force=True)

    assert first.run is not None
    assert second.run is not None
    assert first.run.files_refused == 1
    assert first.refused[0].startswith("cut-short.xml: cut-short.xml is not well-formed XML")
    assert (second.run.files_refused, second.run.files_already_seen) == (0, 3)


def test_a_file_still_being_written_is_left_for_the_next_pass(inbox: Path) -> None:
    write(inbox, "arriving.xml", ctf(pupil(upn="", forename="NEW", surname="ARRIVAL")))

    result = importers.scan_s2s_inbox(folder=str(inbox))

    assert result.waiting == ["arriving.xml"]
    assert not Child.objects.filter(surname="ARRIVAL").exists()


def test_one_broken_file_does_not_stop_the_others(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = importers.process_ctf_file

    def break_on_lost_pupils(**kwargs: object) -> importers.CtfReport:
        ctf_file = kwargs["ctf_file"]
        assert isinstance(ctf_file, CtfFile)
        if "XXXXXXX" in ctf_file.name:
            raise RuntimeError("a bug")
        return original(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importers, "process_ctf_file", break_on_lost_pupils)

    result = importers.scan_s2s_inbox(folder=str(inbox))

    assert result.run is not None
    assert (result.run.files_imported, result.run.files_failed) == (1, 1)
    failed = CtfFile.objects.get(name="8739999_CTF_XXXXXXX_001.xml")
    assert failed.status == CtfFile.Status.FAILED
    monkeypatch.setattr(importers, "process_ctf_file", original)
    again = importers.scan_s2s_inbox(folder=str(inbox), force=True)
    assert again.run is not None
    assert again.run.files_imported == 1  # a failed file is tried again


@override_settings(S2S_INBOX_EVERY_HOURS=24)
def test_a_pass_is_made_daily_unless_forced(inbox: Path) -> None:
    with time_machine.travel("2026-11-30 07:00 +0000", tick=False):
        assert importers.scan_s2s_inbox(folder=str(inbox)).due is True
    with time_machine.travel("2026-11-30 19:00 +0000", tick=False):
        assert importers.scan_s2s_inbox(folder=str(inbox)).due is False
        assert importers.scan_s2s_inbox(folder=str(inbox), force=True).due is True
    with time_machine.travel("2026-12-01 18:58 +0000", tick=False):
        assert importers.scan_s2s_inbox(folder=str(inbox)).due is True


@override_settings(S2S_INBOX_EVERY_HOURS=1)
def test_the_interval_is_a_setting(inbox: Path) -> None:
    with time_machine.travel("2026-11-30 07:00 +0000", tick=False):
        importers.scan_s2s_inbox(folder=str(inbox))
    with time_machine.travel("2026-11-30 08:00 +0000", tick=False):
        assert importers.scan_s2s_inbox(folder=str(inbox)).due is True


def test_the_command_reports_the_pass(inbox: Path) -> None:
    with override_settings(S2S_INBOX_DIR=str(inbox)):
        status, out, err = run_command()
        again = run_command()

    assert status == 0
    assert out[-1] == "found=2 imported=2 already_seen=0 refused=0 failed=0"
    assert "8739999_CTF_XXXXXXX_001.xml: created=1 updated=0 unchanged=0 review=0 rejected=0" in out
    assert err == []
    assert again[1] == ["not due: the last pass was too recent (use --force to pass now)"]


@override_settings(S2S_INBOX_DIR="")
def test_the_command_refuses_without_a_folder() -> None:
    status, out, err = run_command()

    assert (status, out) == (2, [])
    assert "CME_S2S_INBOX_DIR" in err[0]


def test_the_task_makes_a_pass(inbox: Path) -> None:
    with override_settings(S2S_INBOX_DIR=str(inbox)):
        result = tasks.scan_s2s_inbox.enqueue(force=True)

    assert result.return_value == {
        "due": 1,
        "found": 2,
        "imported": 2,
        "already_seen": 0,
        "refused": 0,
        "failed": 0,
    }


def test_the_command_can_queue_the_pass_for_the_worker(inbox: Path) -> None:
    with override_settings(S2S_INBOX_DIR=str(inbox)):
        status, out, _err = run_command("--enqueue")

    assert status == 0
    assert out[0].startswith("queued: task ")
    assert CtfFile.objects.count() == 2  # the test settings run tasks at once
