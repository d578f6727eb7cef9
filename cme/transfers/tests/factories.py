"""Transfer data built the way the service builds it: by importing hand-written CTFs."""

from __future__ import annotations

from cme.transfers import importers
from cme.transfers.models import CtfFile, TransferWorkItem

from .samples import lost_pupil_ctf, pupil


def import_sample(content: bytes, *, name: str = "sample.xml", actor: object = None) -> CtfFile:
    """Import a hand-written CTF as an upload would; returns the kept file."""
    report = importers.import_ctf_bytes(
        data=content, name=name, source=CtfFile.Source.UPLOAD, actor=actor
    )
    assert report.file is not None
    return report.file


def lost_pupil_on_worklist(**pupil_fields: str) -> TransferWorkItem:
    """A lost pupil from another authority (873, Cambridgeshire), on the worklist."""
    ctf_file = import_sample(
        lost_pupil_ctf(pupil(**pupil_fields)), name="8739999_CTF_XXXXXXX_001.xml"
    )
    return TransferWorkItem.objects.select_related("lost_pupil").get(
        lost_pupil__file=ctf_file, lost_pupil__position=1
    )
