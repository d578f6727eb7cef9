"""Writes for school transfers: keeping a received file, refusing it, the data from CTFs the
register has no column for, the lost-pupil worklist, and exporting or forwarding a CTF.

Every write is one transaction with its audit event (docs/architecture.md C4). Importing a
file's pupils is `cme.transfers.importers`, which calls these and the pupil register's services.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AccessEvent, AuditEvent
from cme.pupils.models import Child

from . import selectors
from .ctf.document import (
    AUTHORITY_ESTAB,
    DOCUMENT_NAME,
    EXPORT_VERSION,
    AttendanceYear,
    Header,
    SchoolRef,
    SenEntry,
    SenNeed,
)
from .ctf.writer import ctf_file_name, readdress, write_ctf
from .models import CtfAttendanceTotals, CtfFile, CtfPupil, CtfSenHistory, TransferWorkItem

SUPPLIER_ID = "CME Tracker"


class TransferError(Exception):
    """A transfer action that cannot be done; the message says why."""


def safe_file_name(name: str) -> str:
    """A received file's name as it is kept and offered back for download: no folder, no
    control characters, at most 255 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(char for char in base if char.isprintable()).strip()
    return printable[:255] or "unnamed.xml"


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- Received files -------------------------------------------------------------------------


def receive_ctf_file(
    *, content: bytes, name: str, source: CtfFile.Source, actor: Any = None
) -> CtfFile:
    """Keep a file's bytes before anything is read from it. The same content received again
    (under any name) is the file already kept: nothing is written."""
    sha256 = hashlib.sha256(content).hexdigest()
    existing = CtfFile.objects.defer("content").filter(sha256=sha256).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ctf_file = CtfFile.objects.create(
                name=safe_file_name(name),
                sha256=sha256,
                size_bytes=len(content),
                content=content,
                source=source,
                received_by=_user(actor),
            )
            audit.record_event(
                kind=AuditEvent.Kind.CTF_RECEIVED,
                actor=actor,
                subject=ctf_file,
                summary=f"CTF received ({ctf_file.get_source_display()}): {ctf_file.name}",
                details={"sha256": sha256, "size_bytes": len(content)},
            )
    except IntegrityError:
        # The same file, received at the same moment by another process (two inbox runs).
        return CtfFile.objects.defer("content").get(sha256=sha256)
    return ctf_file


def record_refused_without_content(
    *, name: str, size: int, sha256: str, source: CtfFile.Source, message: str, actor: Any = None
) -> CtfFile:
    """A file refused before it was kept (too large to keep): its name, size, SHA-256 and why,
    so that the S2S inbox does not take it up again."""
    with transaction.atomic():
        ctf_file, created = CtfFile.objects.get_or_create(
            sha256=sha256,
            defaults={
                "name": safe_file_name(name),
                "size_bytes": size,
                "content": b"",
                "source": source,
                "received_by": _user(actor),
                "status": CtfFile.Status.REFUSED,
                "error": message,
                "processed_at": timezone.now(),
            },
        )
        if created:
            audit.record_event(
                kind=AuditEvent.Kind.CTF_REFUSED,
                actor=actor,
                subject=ctf_file,
                summary=f"CTF refused: {ctf_file.name}",
                details={"sha256": sha256, "size_bytes": size, "reason": message},
            )
    return ctf_file


def refuse_ctf_file(*, ctf_file: CtfFile, message: str, actor: Any = None) -> None:
    """Record why a kept file was refused (a file-level fault); nothing from it is imported."""
    _close_unimported(
        ctf_file=ctf_file, status=CtfFile.Status.REFUSED, message=message, actor=actor
    )


def fail_ctf_file(*, ctf_file: CtfFile, message: str, actor: Any = None) -> None:
    """Record that importing a kept file failed unexpectedly (its transaction rolled back)."""
    _close_unimported(ctf_file=ctf_file, status=CtfFile.Status.FAILED, message=message, actor=actor)


def _close_unimported(
    *, ctf_file: CtfFile, status: CtfFile.Status, message: str, actor: Any
) -> None:
    with transaction.atomic():
        locked = CtfFile.objects.defer("content").select_for_update().get(pk=ctf_file.pk)
        if locked.status == CtfFile.Status.IMPORTED:
            return  # imported before: the earlier import stands
        changes = audit.field_changes(
            {"status": locked.status, "error": locked.error}, {"status": status, "error": message}
        )
        if not changes:
            return
        locked.status, locked.error, locked.processed_at = status, message, timezone.now()
        locked.save(update_fields=["status", "error", "processed_at"])
        audit.record_event(
            kind=AuditEvent.Kind.CTF_REFUSED,
            actor=actor,
            subject=locked,
            summary=f"CTF {locked.get_status_display().split(':')[0].lower()}: {locked.name}",
            changes=changes,
        )
    ctf_file.status, ctf_file.error = status, message


# --- Data from CTFs the register has no column for -------------------------------------------


def record_attendance_totals(
    *, actor: Any, child: Child, source: CtfPupil, year: AttendanceYear
) -> bool:
    """Keep one school year's session totals for a child (one row per year and school; a
    later CTF's figures replace an earlier one's). Returns whether anything was written."""
    values = {
        "school_name": year.school_name,
        "sessions_possible": year.sessions_possible,
        "sessions_authorised": year.sessions_authorised,
        "sessions_attended": year.sessions_attended,
        "sessions_unauthorised": year.sessions_unauthorised,
        "attendance_start_date": year.start_date,
        "attendance_marks": year.marks,
    }
    with transaction.atomic():
        existing = (
            CtfAttendanceTotals.objects.filter(
                child=child, year=year.year, lea=year.lea, estab=year.estab
            )
            .order_by("-id")
            .first()
        )
        before = {name: getattr(existing, name) for name in values} if existing else {}
        changes = audit.field_changes(before, values)
        if existing is not None and not changes:
            return False
        if existing is None:
            existing = CtfAttendanceTotals(
                child=child, year=year.year, lea=year.lea, estab=year.estab
            )
        existing.source = source
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        audit.record_event(
            kind=AuditEvent.Kind.CTF_DATA_RECORDED,
            actor=actor,
            subject=existing,
            child_id=child.pk,
            summary=f"Attendance totals for {year.year or 'a year'} at {year.lea}{year.estab} "
            f"recorded from {source.file.name}",
            changes=changes,
        )
    return True


def record_sen_history(
    *,
    actor: Any,
    child: Child,
    source: CtfPupil,
    entries: tuple[SenEntry, ...],
    needs: tuple[SenNeed, ...],
) -> bool:
    """Keep the SEN history a CTF gave for a child, unless it is the one last kept."""
    entry_json = [
        {
            "start_date": entry.start_date.isoformat() if entry.start_date else None,
            "end_date": entry.end_date.isoformat() if entry.end_date else None,
            "provision": entry.provision,
        }
        for entry in entries
    ]
    need_json = [{"rank": need.rank, "type": need.need_type} for need in needs]
    with transaction.atomic():
        latest = CtfSenHistory.objects.filter(child=child).order_by("-recorded_at", "-id").first()
        if latest is not None and latest.entries == entry_json and latest.needs == need_json:
            return False
        history = CtfSenHistory.objects.create(
            child=child, source=source, entries=entry_json, needs=need_json
        )
        audit.record_event(
            kind=AuditEvent.Kind.CTF_DATA_RECORDED,
            actor=actor,
            subject=history,
            child_id=child.pk,
            summary=f"SEN history recorded from {source.file.name}",
            details={"entries": len(entry_json), "needs": len(need_json)},
        )
    return True


# --- The lost-pupil worklist ------------------------------------------------------------------


def note_lost_pupil(
    *, actor: Any, lost_pupil: CtfPupil, child: Child | None, looking: bool
) -> bool:
    """Put a lost pupil on the worklist: when they match a register child (their CTF can go
    to the child's school), or when another authority sent the file (it is looking for them).
    One item per lost pupil; a match found later is added to it. Returns whether anything was
    written."""
    with transaction.atomic():
        item = TransferWorkItem.objects.select_for_update().filter(lost_pupil=lost_pupil).first()
        if item is None:
            if child is None and not looking:
                return False
            item = TransferWorkItem.objects.create(
                kind=(
                    TransferWorkItem.Kind.LOST_PUPIL_FOUND
                    if child is not None
                    else TransferWorkItem.Kind.LOOKING_FOR_PUPIL
                ),
                lost_pupil=lost_pupil,
                child=child,
            )
            audit.record_event(
                kind=AuditEvent.Kind.TRANSFER_ITEM_CREATED,
                actor=actor,
                subject=item,
                child_id=child.pk if child is not None else None,
                summary=f"{item.get_kind_display()}: pupil {lost_pupil.position} of "
                f"{lost_pupil.file.name}",
            )
            return True
        if child is None or item.child_id == child.pk:
            return False
        _match_item(actor=actor, item=item, child=child, why="matched by the engine")
        return True


def _match_item(*, actor: Any, item: TransferWorkItem, child: Child, why: str) -> None:
    changes = audit.field_changes(
        {"child": item.child_id, "kind": item.kind},
        {"child": child.pk, "kind": TransferWorkItem.Kind.LOST_PUPIL_FOUND},
    )
    item.child = child
    item.kind = TransferWorkItem.Kind.LOST_PUPIL_FOUND
    item.save(update_fields=["child", "kind"])
    audit.record_event(
        kind=AuditEvent.Kind.TRANSFER_ITEM_UPDATED,
        actor=actor,
        subject=item,
        child_id=child.pk,
        summary=f"Lost pupil matched to a child in the register ({why})",
        changes=changes,
    )


def record_lost_pupil_match(*, actor: Any, lost_pupil: CtfPupil, child: Child) -> TransferWorkItem:
    """An officer says a lost pupil is this register child (found by searching the Lost Pupil
    Database): the pupil is linked to the child, on the worklist, open again if it was done."""
    with transaction.atomic():
        locked = CtfPupil.objects.select_for_update().get(pk=lost_pupil.pk)
        if locked.child_id != child.pk:
            locked.child = child
            locked.save(update_fields=["child"])
        note_lost_pupil(actor=actor, lost_pupil=locked, child=None, looking=True)
        item = TransferWorkItem.objects.select_for_update().get(lost_pupil=locked)
        if item.child_id != child.pk:
            _match_item(actor=actor, item=item, child=child, why="by an officer")
        if item.status == TransferWorkItem.Status.DONE:
            item.status, item.closed_at = TransferWorkItem.Status.OPEN, None
            item.save(update_fields=["status", "closed_at"])
            audit.record_event(
                kind=AuditEvent.Kind.TRANSFER_ITEM_UPDATED,
                actor=actor,
                subject=item,
                child_id=child.pk,
                summary="Transfer worklist item open again: a match was recorded",
                changes={"status": ["done", "open"]},
            )
    return item


def assign_work_item(*, actor: Any, item: TransferWorkItem, assignee: Any) -> None:
    """Say who is dealing with a worklist item."""
    with transaction.atomic():
        locked = TransferWorkItem.objects.select_for_update().get(pk=item.pk)
        if locked.assigned_to_id == assignee.pk:
            return
        changes = audit.field_changes(
            {"assigned_to": locked.assigned_to_id}, {"assigned_to": assignee.pk}
        )
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        audit.record_event(
            kind=AuditEvent.Kind.TRANSFER_ITEM_UPDATED,
            actor=actor,
            subject=locked,
            child_id=locked.child_id,
            summary=f"Transfer worklist item given to {assignee}",
            changes=changes,
        )
    item.assigned_to = assignee


def close_work_item(*, actor: Any, item: TransferWorkItem, outcome: str) -> None:
    """Mark a worklist item done, saying what was done."""
    outcome = outcome.strip()
    if not outcome:
        raise TransferError("Enter what was done")
    with transaction.atomic():
        locked = TransferWorkItem.objects.select_for_update().get(pk=item.pk)
        if locked.status == TransferWorkItem.Status.DONE:
            raise TransferError("This item is already done.")
        locked.status = TransferWorkItem.Status.DONE
        locked.closed_at = timezone.now()
        locked.outcome = outcome
        locked.save(update_fields=["status", "closed_at", "outcome"])
        audit.record_event(
            kind=AuditEvent.Kind.TRANSFER_ITEM_UPDATED,
            actor=actor,
            subject=locked,
            child_id=locked.child_id,
            summary="Transfer worklist item done",
            changes={"status": ["open", "done"]},
            details={"outcome": outcome},
        )
    item.status, item.closed_at, item.outcome = locked.status, locked.closed_at, outcome


# --- Exporting and forwarding ------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedCtf:
    name: str
    content: bytes


def _authority_source() -> SchoolRef:
    return SchoolRef(
        lea=settings.COUNCIL_LA_CODE, estab=AUTHORITY_ESTAB, name=settings.COUNCIL_NAME
    )


def _academic_year(today: datetime.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def export_child_ctf(*, actor: Any, child: Child, dest: SchoolRef) -> ExportedCtf:
    """A CTF about `child`, from the authority (`<LA>LLLL`) to `dest`: a school that has
    admitted the child, or XXXXXXX / MMMMMMM to upload to the Lost Pupil Database. The export
    is audited and written to the access log."""
    now = timezone.localtime()
    pupil = selectors.ctf_pupil_for_child(child=child, today=now.date())
    source = _authority_source()
    header = Header(
        version=EXPORT_VERSION,
        version_number=int(EXPORT_VERSION.split(".")[0]),
        document_name=DOCUMENT_NAME,
        date_time=now.replace(tzinfo=None, microsecond=0),
        document_qualifier="full",
        supplier_id=SUPPLIER_ID,
        source=source,
        academic_year=_academic_year(now.date()),
        dest=dest,
    )
    exported = ExportedCtf(
        name=ctf_file_name(source=source, dest=dest),
        content=write_ctf(header=header, pupils=[pupil]),
    )
    with transaction.atomic():
        audit.record_event(
            kind=AuditEvent.Kind.CTF_EXPORTED,
            actor=actor,
            subject=child,
            child_id=child.pk,
            summary=f"CTF exported to {dest.code}: {exported.name}",
            details={
                "destination": dest.code,
                "sha256": hashlib.sha256(exported.content).hexdigest(),
            },
        )
        audit.record_access(
            actor=actor,
            action=AccessEvent.Action.EXPORT,
            subject=child,
            child_id=child.pk,
            purpose=f"Exported a CTF to {dest.code}",
        )
    return exported


def forward_lost_pupil_ctf(*, actor: Any, item: TransferWorkItem, dest: SchoolRef) -> ExportedCtf:
    """The lost pupil's CTF, as received, addressed to the school that has admitted them (to
    upload to S2S); the item records where it went and is done."""
    lost_pupil = item.lost_pupil
    ctf_file = lost_pupil.file
    content = readdress(
        selectors.ctf_file_content(ctf_file=ctf_file),
        position=lost_pupil.position,
        dest=dest,
        name=ctf_file.name,
    )
    source = SchoolRef(lea=ctf_file.source_lea, estab=ctf_file.source_estab)
    exported = ExportedCtf(name=ctf_file_name(source=source, dest=dest), content=content)
    with transaction.atomic():
        locked = TransferWorkItem.objects.select_for_update().get(pk=item.pk)
        before = {"forwarded_to": locked.forwarded_to, "status": locked.status}
        locked.forwarded_to = dest.laestab
        locked.forwarded_at = timezone.now()
        if locked.status == TransferWorkItem.Status.OPEN:
            locked.status = TransferWorkItem.Status.DONE
            locked.closed_at = locked.forwarded_at
            locked.outcome = f"CTF forwarded to {dest.name or dest.code} ({dest.code})"
        locked.save(
            update_fields=["forwarded_to", "forwarded_at", "status", "closed_at", "outcome"]
        )
        audit.record_event(
            kind=AuditEvent.Kind.CTF_EXPORTED,
            actor=actor,
            subject=locked,
            child_id=locked.child_id,
            summary=f"Lost pupil's CTF forwarded to {dest.code}: {exported.name}",
            changes=audit.field_changes(
                before, {"forwarded_to": locked.forwarded_to, "status": locked.status}
            ),
            details={"file": ctf_file.name, "pupil": lost_pupil.position},
        )
        audit.record_access(
            actor=actor,
            action=AccessEvent.Action.EXPORT,
            subject=lost_pupil,
            child_id=locked.child_id,
            purpose=f"Forwarded a lost pupil's CTF to {dest.code}",
        )
    return exported
