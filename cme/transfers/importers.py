"""Importing Common Transfer Files (`import_ctf`, uploads, the S2S inbox).

Owns the importer contract for CTFs (docs/interfaces.md "Every importer" and `import_ctf`):
- the raw file is kept first (`services.receive_ctf_file`), then read (`ctf.reader`); a
  file-level fault refuses it (`ImportRefused`): the refusal is recorded on the kept file and
  nothing reaches the register;
- each file is one transaction; each pupil counts once: created, updated, unchanged, review
  or rejected; every finding is reported as `line L, <element path>: reason`;
- a CTF addressed to a school or authority is imported into the register: each pupil is
  recognised as a child already there (a valid UPN decides, then the identity-matching engine;
  a doubtful match waits for an officer and writes nothing), and their details, address,
  contacts, school history (at schools in the register), attendance totals and SEN history
  are written through the pupil register's services;
- a lost-pupil CTF (XXXXXXX or MMMMMMM) goes to the Lost Pupil Database store instead: its
  pupils are matched against the register and put on the worklist, never added as children;
- importing the same file again changes nothing.

Messages never quote a child's name, date of birth or identifiers.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.linkage.decision import Decision
from cme.matching.models import IdentityMatch
from cme.matching.services import candidates_for, match_notification
from cme.pupils import services as pupil_services
from cme.pupils.importers import (
    ImportRefused,
    KnownChildren,
    Recognition,
    find_existing_child,
    name_key,
    survivors_of,
)
from cme.pupils.models import Child, Enrolment, Sex
from cme.pupils.models import School as RegisterSchool

from . import selectors, services
from .ctf.document import Document, Pupil
from .ctf.reader import LIMITS, CtfRefused, read_ctf
from .models import CtfFile, CtfImportRun, CtfPupil, S2sInboxRun

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called as `progress(pupils_done, pupils_total)`."""

# Files the S2S inbox never takes up again: imported, or refused (a refusal does not change
# by itself). A failed file (an error of ours) is tried again on the next pass.
DONE_STATUSES: Final = (CtfFile.Status.IMPORTED, CtfFile.Status.REFUSED)
INBOX_SUFFIXES: Final = (".xml",)
# A file changed this recently may still be being written by whoever is dropping it there.
INBOX_SETTLE_SECONDS: Final = 60
_CHUNK: Final = 1 << 20


@dataclass
class CtfReport:
    """What importing one file did. `skipped`: the S2S inbox had taken it up before."""

    file: CtfFile | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    review: int = 0
    rejected: int = 0
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: bool = False

    def counts_line(self) -> str:
        """The last line an import command prints, exactly as the contract gives it."""
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"review={self.review} rejected={self.rejected}"
        )

    def count(self, outcome: CtfPupil.Outcome) -> None:
        name = {
            CtfPupil.Outcome.CREATED: "created",
            CtfPupil.Outcome.UPDATED: "updated",
            CtfPupil.Outcome.UNCHANGED: "unchanged",
            CtfPupil.Outcome.REVIEW: "review",
            CtfPupil.Outcome.REJECTED: "rejected",
        }[outcome]
        setattr(self, name, getattr(self, name) + 1)


def max_bytes() -> int:
    return int(settings.CTF_MAX_BYTES)


def _too_large(name: str, size: int, limit: int) -> str:
    return (
        f"{name} is {size:,} bytes, larger than the limit of {limit:,} bytes for a Common "
        "Transfer File (setting CME_CTF_MAX_BYTES). Nothing was imported. A CTF is rarely over "
        "a few megabytes: check it is the right file, or ask an administrator to raise the limit."
    )


def _refuse_too_large(
    *, name: str, size: int, sha256: str, source: CtfFile.Source, actor: Any
) -> ImportRefused:
    message = _too_large(name, size, max_bytes())
    services.record_refused_without_content(
        name=name, size=size, sha256=sha256, source=source, message=message, actor=actor
    )
    return ImportRefused(message)


def import_ctf_path(
    *,
    path: Path,
    actor: Any = None,
    source: CtfFile.Source = CtfFile.Source.COMMAND,
    new_only: bool = False,
    progress: Progress | None = None,
) -> CtfReport:
    """Import one file from disk. Raises `ImportRefused` for a file-level fault. With
    `new_only`, a file imported or refused before is skipped (the S2S inbox)."""
    name = path.name
    limit = max_bytes()
    try:
        if not path.is_file():
            raise ImportRefused(f"{path} is not a file. Check the name and try again.")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
            if len(data) > limit:
                digest = hashlib.sha256(data)
                size = len(data)
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                raise _refuse_too_large(
                    name=name, size=size, sha256=digest.hexdigest(), source=source, actor=actor
                )
    except OSError as error:
        msg = f"cannot read {path}: {error.strerror}. Check the file name and its permissions."
        raise ImportRefused(msg) from error
    return import_ctf_bytes(
        data=data, name=name, source=source, actor=actor, new_only=new_only, progress=progress
    )


def import_ctf_upload(
    *, upload: UploadedFile, actor: Any, progress: Progress | None = None
) -> CtfReport:
    """Import a file uploaded through the web page (checked for size before it is read)."""
    name = Path(upload.name or "upload.xml").name or "upload.xml"
    size = upload.size or 0
    if size > max_bytes():
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        raise _refuse_too_large(
            name=name,
            size=size,
            sha256=digest.hexdigest(),
            source=CtfFile.Source.UPLOAD,
            actor=actor,
        )
    data = b"".join(upload.chunks())
    return import_ctf_bytes(
        data=data, name=name, source=CtfFile.Source.UPLOAD, actor=actor, progress=progress
    )


def import_ctf_bytes(
    *,
    data: bytes,
    name: str,
    source: CtfFile.Source,
    actor: Any = None,
    new_only: bool = False,
    progress: Progress | None = None,
) -> CtfReport:
    """Keep the file, then import it (see `process_ctf_file`)."""
    if len(data) > max_bytes():
        raise _refuse_too_large(
            name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            source=source,
            actor=actor,
        )
    ctf_file = services.receive_ctf_file(content=data, name=name, source=source, actor=actor)
    if new_only and ctf_file.status in DONE_STATUSES:
        return CtfReport(file=ctf_file, skipped=True)
    return process_ctf_file(ctf_file=ctf_file, actor=actor, new_only=new_only, progress=progress)


def process_ctf_file(
    *,
    ctf_file: CtfFile,
    actor: Any = None,
    new_only: bool = False,
    progress: Progress | None = None,
) -> CtfReport:
    """Read a kept file and import it in one transaction. Raises `ImportRefused` (and records
    the refusal on the file) for a file-level fault."""
    content = selectors.ctf_file_content(ctf_file=ctf_file)
    if not content:
        raise ImportRefused(ctf_file.error or f"{ctf_file.name} was not kept: nothing to import.")
    try:
        document = read_ctf(content, name=ctf_file.name, today=timezone.localdate())
    except CtfRefused as refused:
        services.refuse_ctf_file(ctf_file=ctf_file, message=refused.message, actor=actor)
        raise ImportRefused(refused.message) from refused
    started_at = timezone.now()
    report = CtfReport(file=ctf_file, warnings=list(document.warnings))
    with transaction.atomic():
        locked = CtfFile.objects.defer("content").select_for_update().get(pk=ctf_file.pk)
        if new_only and locked.status in DONE_STATUSES:
            return CtfReport(file=locked, skipped=True)
        _record_header(locked, document)
        importer: _PupilImport = (
            _LostPupilImport(ctf_file=locked, actor=actor, report=report)
            if document.header.destination.is_lost_pupil
            else _RegisterImport(ctf_file=locked, actor=actor, report=report)
        )
        total = len(document.pupils)
        for done, pupil in enumerate(document.pupils, start=1):
            report.messages.extend(str(finding) for finding in pupil.findings)
            importer.import_pupil(pupil)
            if progress is not None:
                progress(done, total)
        _record_run(ctf_file=locked, report=report, actor=actor, started_at=started_at)
    report.file = locked
    return report


def _record_header(ctf_file: CtfFile, document: Document) -> None:
    header = document.header
    written_at = header.date_time
    ctf_file.version = header.version[:10]
    ctf_file.document_qualifier = header.document_qualifier[:20]
    ctf_file.written_at = timezone.make_aware(written_at) if written_at is not None else None
    ctf_file.source_lea = header.source.lea
    ctf_file.source_estab = header.source.estab
    ctf_file.source_urn = header.source.urn
    ctf_file.source_school_name = header.source.name
    ctf_file.dest_lea = header.dest.lea
    ctf_file.dest_estab = header.dest.estab
    ctf_file.destination = header.destination.value
    ctf_file.pupil_count = len(document.pupils)
    ctf_file.warnings = list(document.warnings)


def _record_run(
    *, ctf_file: CtfFile, report: CtfReport, actor: Any, started_at: datetime.datetime
) -> None:
    now = timezone.now()
    ctf_file.status = CtfFile.Status.IMPORTED
    ctf_file.error = ""
    ctf_file.processed_at = now
    ctf_file.save()
    run = CtfImportRun.objects.create(
        file=ctf_file,
        run_by=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        started_at=started_at,
        finished_at=now,
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        review_count=report.review,
        rejected_count=report.rejected,
        messages=report.messages,
        warnings=report.warnings,
    )
    audit.record_event(
        kind=AuditEvent.Kind.FILE_IMPORTED,
        actor=actor,
        subject=run,
        summary=f"File imported (Common Transfer File): {ctf_file.name}",
        details={
            "file_name": ctf_file.name,
            "sha256": ctf_file.sha256,
            "counts": report.counts_line(),
            "destination": ctf_file.destination,
        },
    )


def _store_pupil(
    *,
    ctf_file: CtfFile,
    pupil: Pupil,
    outcome: CtfPupil.Outcome,
    child: Child | None,
    match: IdentityMatch | None,
) -> tuple[CtfPupil, bool]:
    """The file's row for this pupil (written once, then kept up to date with the latest
    import's outcome); and whether it is new."""
    address = pupil.address
    stored, created = CtfPupil.objects.update_or_create(
        file=ctf_file,
        position=pupil.position,
        defaults={
            "path": pupil.path[:200],
            "raw_xml": pupil.raw_xml,
            "upn": pupil.upn,
            "former_upn": pupil.former_upn,
            "forename": pupil.forename,
            "middle_names": pupil.middle_names,
            "surname": pupil.surname,
            "former_surnames": ";".join(pupil.former_surnames),
            "date_of_birth": pupil.date_of_birth,
            "sex": pupil.sex,
            "postcode": address.postcode if address else "",
            "address": ", ".join(p for p in (address.line_1, address.line_2, address.town) if p)[
                :500
            ]
            if address
            else "",
            "outcome": outcome,
            "findings": [str(finding) for finding in pupil.findings],
            "child": child,
            "identity_match": match,
        },
    )
    return stored, created


def _reference(prefix: str, details: dict[str, str]) -> str:
    """The same details give the same reference in any file, so an officer's decision on a
    pupil sent to review holds when the file (or another with the same details) comes again."""
    return prefix + hashlib.sha256(repr(sorted(details.items())).encode()).hexdigest()[:40]


def _linked_child(match: IdentityMatch) -> int | None:
    if match.status not in {IdentityMatch.Status.LINKED, IdentityMatch.Status.CONFIRMED}:
        return None
    if match.child_id is None:
        return None
    # The child may have been merged into another record since the match was made.
    return survivors_of([match.child_id]).get(match.child_id, match.child_id)


class _PupilImport:
    def __init__(self, *, ctf_file: CtfFile, actor: Any, report: CtfReport) -> None:
        self.ctf_file = ctf_file
        self.actor = actor
        self.report = report

    def message(self, pupil: Pupil, text: str) -> None:
        where = f"line {pupil.line}, " if pupil.line is not None else ""
        self.report.messages.append(f"{where}{pupil.path}: {text}")

    def import_pupil(self, pupil: Pupil) -> None:
        raise NotImplementedError


def _swapped(date: datetime.date) -> datetime.date | None:
    if date.day > 12 or date.day == date.month:
        return None
    return date.replace(month=date.day, day=date.month)


def _recognise(pupil: Pupil, *, prefix: str) -> tuple[Recognition, IdentityMatch | None]:  # noqa: PLR0911 - one return per rule, in the order they apply
    """Who the pupil is in the register, as the pupil importer decides it; `prefix` names the
    kind of notification in the match's reference.

    With a valid UPN, the UPN decides (as a UPN, a former UPN or a merged record's UPN); a UPN
    no child holds is put to the identity-matching engine, where only a child without a UPN
    can be the pupil (one with a UPN of their own is someone else), so that a doubtful match
    waits in Matches for an officer rather than as a near miss nobody can decide; nobody
    likely adds a new child. Without a UPN, the
    engine decides: a clear match is that child, a doubtful one waits for an officer; where
    it finds nobody (or an officer said none of its candidates), the same names and date of
    birth still recognise a child added by an earlier import of the pupil, so importing
    again never adds them twice. Without a UPN or a date of birth, the pupil is in review."""
    dates: set[datetime.date] = set()
    if pupil.date_of_birth is not None:
        dates.add(pupil.date_of_birth)
        if (swapped := _swapped(pupil.date_of_birth)) is not None:
            dates.add(swapped)
    known = KnownChildren.load(upns={pupil.upn} if pupil.upn else set(), dates=dates)
    rules = find_existing_child(
        upn=pupil.upn,
        forename=pupil.forename,
        surname=pupil.surname,
        date_of_birth=pupil.date_of_birth,
        known=known,
    )
    if pupil.date_of_birth is None and not pupil.upn:
        return rules, None  # review: such a pupil could never be recognised again
    if pupil.upn and (rules.child_id is not None or len(known.by_former_upn[pupil.upn]) > 1):
        return rules, None  # the UPN decides (or is the former UPN of several children)
    details = pupil.match_details()
    if pupil.upn and not _could_be_without_upn(details):
        return Recognition(), None
    match = match_notification(
        source=IdentityMatch.Source.CTF, reference=_reference(prefix, details), details=details
    )
    child_id = _linked_child(match)
    if child_id is not None:
        return Recognition(child_id=child_id), match
    if match.status == IdentityMatch.Status.REVIEW:
        return (
            Recognition(
                review_reason=(
                    f"{len(match.candidates)} children in the register may be this pupil; "
                    f"decide which under Matches (match {match.pk}), then import the file "
                    "again"
                )
            ),
            match,
        )
    refused = {candidate["child_id"] for candidate in match.candidates}
    if rules.child_id is not None and not (
        match.status == IdentityMatch.Status.REJECTED and rules.child_id in refused
    ):
        return Recognition(child_id=rules.child_id), match
    return Recognition(), match


class _RegisterImport(_PupilImport):
    """A CTF addressed to a school or the authority: its pupils go into the register."""

    def __init__(self, *, ctf_file: CtfFile, actor: Any, report: CtfReport) -> None:
        super().__init__(ctf_file=ctf_file, actor=actor, report=report)
        self.source = f"CTF {ctf_file.name}"[:100]
        self.schools: dict[str, RegisterSchool | None] = {}

    def import_pupil(self, pupil: Pupil) -> None:
        if pupil.rejected:
            _store_pupil(
                ctf_file=self.ctf_file,
                pupil=pupil,
                outcome=CtfPupil.Outcome.REJECTED,
                child=None,
                match=None,
            )
            self.report.count(CtfPupil.Outcome.REJECTED)
            return
        found, match = _recognise(pupil, prefix="ctf-")
        if found.review_reason:
            self.message(pupil, f"sent to review: {found.review_reason}")
            _store_pupil(
                ctf_file=self.ctf_file,
                pupil=pupil,
                outcome=CtfPupil.Outcome.REVIEW,
                child=None,
                match=match,
            )
            self.report.count(CtfPupil.Outcome.REVIEW)
            return
        if found.child_id is None:
            child = pupil_services.create_child(
                actor=self.actor, source=self.source, **_new_child(pupil)
            )
            outcome = CtfPupil.Outcome.CREATED
        else:
            child = Child.objects.get(pk=found.child_id)
            wrote = pupil_services.update_child(
                actor=self.actor,
                child=child,
                source=self.source,
                **_child_updates(pupil, child, by_former_upn=found.by_former_upn),
            )
            outcome = CtfPupil.Outcome.UPDATED if wrote else CtfPupil.Outcome.UNCHANGED
        stored, _ = _store_pupil(
            ctf_file=self.ctf_file, pupil=pupil, outcome=outcome, child=child, match=match
        )
        wrote = self._write_details(pupil, child, stored)
        if wrote and outcome == CtfPupil.Outcome.UNCHANGED:
            outcome = CtfPupil.Outcome.UPDATED
            stored.outcome = outcome
            stored.save(update_fields=["outcome"])
        self.report.count(outcome)

    def _write_details(self, pupil: Pupil, child: Child, stored: CtfPupil) -> bool:
        wrote = self._record_address(pupil, child)
        wrote = self._record_contacts(pupil, child) or wrote
        wrote = self._record_enrolments(pupil, child) or wrote
        for year in pupil.attendance:
            wrote = (
                services.record_attendance_totals(
                    actor=self.actor, child=child, source=stored, year=year
                )
                or wrote
            )
        if pupil.sen or pupil.sen_needs:
            wrote = (
                services.record_sen_history(
                    actor=self.actor,
                    child=child,
                    source=stored,
                    entries=pupil.sen,
                    needs=pupil.sen_needs,
                )
                or wrote
            )
        return wrote

    def _record_address(self, pupil: Pupil, child: Child) -> bool:
        address = pupil.address
        if address is None:
            return False
        current = child.addresses.filter(moved_out__isnull=True).first()
        if current is not None and (current.line_1, current.postcode) == (
            address.line_1,
            address.postcode,
        ):
            return False
        _, wrote = pupil_services.record_address(
            actor=self.actor,
            child=child,
            line_1=address.line_1,
            line_2=address.line_2,
            town=address.town,
            postcode=address.postcode,
            source=self.source,
        )
        return wrote

    def _record_contacts(self, pupil: Pupil, child: Child) -> bool:
        """Contacts not yet on the child's record (by name) are added; none is changed."""
        known = {name_key(name) for name in child.contacts.values_list("full_name", flat=True)}
        wrote = False
        for contact in pupil.contacts:
            key = name_key(contact.full_name)
            if key in known:
                continue
            known.add(key)
            pupil_services.record_contact(
                actor=self.actor,
                child=child,
                full_name=contact.full_name,
                relationship=selectors.RELATIONSHIP_FROM_CTF.get(contact.relationship, "other"),
                parental_responsibility=bool(contact.responsibility),
                lives_with_child=bool(contact.address_as_pupil),
                phone=contact.phones[0].number if contact.phones else "",
                email=contact.email,
                address=contact.address.one_line() if contact.address else "",
            )
            wrote = True
        return wrote

    def _school(self, laestab: str) -> RegisterSchool | None:
        if laestab not in self.schools:
            self.schools[laestab] = selectors.schools_by_laestab([laestab]).get(laestab)
        return self.schools[laestab]

    def _record_enrolments(self, pupil: Pupil, child: Child) -> bool:
        """The school history at schools in the register becomes enrolments (schools in other
        authorities are usually not in it: their history stays with the CTF)."""
        wrote = False
        for entry in pupil.school_history:
            if not entry.laestab or entry.entry_date is None:
                continue
            school = self._school(entry.laestab)
            if school is None:
                continue
            existing = Enrolment.objects.filter(
                child=child, school=school, start_date=entry.entry_date
            ).first()
            end_date = entry.leaving_date
            if existing is not None:
                # A blank leaving date never reopens an enrolment that has ended.
                end_date = end_date or existing.end_date
                if end_date == existing.end_date and (
                    not entry.leaving_reason or entry.leaving_reason == existing.leaving_reason
                ):
                    continue
            _, written = pupil_services.record_enrolment(
                actor=self.actor,
                child=child,
                school=school,
                start_date=entry.entry_date,
                end_date=end_date,
                leaving_reason=entry.leaving_reason,
            )
            wrote = written or wrote
        return wrote


def _new_child(pupil: Pupil) -> dict[str, Any]:
    sen_status = selectors.latest_sen_status(pupil.sen)
    fields: dict[str, Any] = {
        "forename": pupil.forename,
        "middle_names": pupil.middle_names,
        "surname": pupil.surname,
        "former_surnames": ";".join(pupil.former_surnames),
        "date_of_birth": pupil.date_of_birth,
        "sex": pupil.sex or Sex.UNKNOWN,
        "ethnicity": pupil.ethnicity,
        "upn": pupil.upn,
        "former_upn": pupil.former_upn,
        "looked_after": pupil.in_care is True,
    }
    if pupil.preferred_forename and name_key(pupil.preferred_forename) != name_key(pupil.forename):
        fields["preferred_name"] = pupil.preferred_forename
    if sen_status is not None:
        fields["sen_status"] = sen_status
    return fields


def _child_updates(pupil: Pupil, child: Child, *, by_former_upn: bool) -> dict[str, Any]:
    """The CTF's values that differ from the child's record. A blank never erases; a name
    differing only in case or accents is not a change (DfE writers upper-case names); U never
    replaces a known sex; former surnames are added to; a CTF sets `looked_after` but never
    clears it (that is an officer's decision); the UPN and former UPN fill blanks only."""
    updates: dict[str, Any] = {
        name: value
        for name, value in (
            ("forename", pupil.forename),
            ("middle_names", pupil.middle_names),
            ("surname", pupil.surname),
        )
        if value and name_key(value) != name_key(getattr(child, name))
    }
    preferred = pupil.preferred_forename
    if (
        preferred
        and name_key(preferred) != name_key(child.preferred_name)
        and name_key(preferred) != name_key(pupil.forename or child.forename)
    ):
        updates["preferred_name"] = preferred
    if pupil.date_of_birth is not None and pupil.date_of_birth != child.date_of_birth:
        updates["date_of_birth"] = pupil.date_of_birth
    if pupil.sex in {Sex.MALE, Sex.FEMALE} and pupil.sex != child.sex:
        updates["sex"] = pupil.sex
    if pupil.ethnicity and pupil.ethnicity != child.ethnicity:
        updates["ethnicity"] = pupil.ethnicity
    if pupil.upn and not child.upn and not by_former_upn:
        updates["upn"] = pupil.upn
    former_upn = pupil.former_upn
    if former_upn and not child.former_upn and former_upn != (updates.get("upn") or child.upn):
        updates["former_upn"] = former_upn
    if pupil.in_care is True and not child.looked_after:
        updates["looked_after"] = True
    sen_status = selectors.latest_sen_status(pupil.sen)
    if sen_status is not None and sen_status != child.sen_status:
        updates["sen_status"] = sen_status
    stored = child.former_surname_list
    seen = {name_key(name) for name in stored}
    added = [name for name in pupil.former_surnames if name_key(name) not in seen]
    merged = ";".join([*stored, *added])
    if added and len(merged) <= LIMITS.former_surnames:
        updates["former_surnames"] = merged
    return updates


def _could_be_without_upn(details: dict[str, str]) -> bool:
    """Whether the engine proposes a child without a UPN for a pupil whose valid UPN no child
    in the register holds: a child with a UPN of their own is someone else (a twin, say), so
    only a child without one can be this pupil."""
    proposed = [
        candidate.child_id
        for candidate in candidates_for(details)
        if candidate.ranked.decision in {Decision.LINK, Decision.REVIEW}
    ]
    return Child.objects.filter(pk__in=proposed, upn="").exists()


class _LostPupilImport(_PupilImport):
    """A lost-pupil CTF (XXXXXXX or MMMMMMM): its pupils go to the Lost Pupil Database store,
    are matched against the register, and go on the worklist when they match a child or when
    another authority sent them. The register itself is not changed."""

    def import_pupil(self, pupil: Pupil) -> None:
        if pupil.rejected:
            _store_pupil(
                ctf_file=self.ctf_file,
                pupil=pupil,
                outcome=CtfPupil.Outcome.REJECTED,
                child=None,
                match=None,
            )
            self.report.count(CtfPupil.Outcome.REJECTED)
            return
        found, match = _recognise(pupil, prefix="lpd-")
        child = (
            Child.objects.filter(pk=found.child_id).first() if found.child_id is not None else None
        )
        previous = CtfPupil.objects.filter(file=self.ctf_file, position=pupil.position).first()
        if previous is not None and previous.child_id is not None and child is None:
            child = previous.child  # an officer's match (from a search) stands
        stored, created = _store_pupil(
            ctf_file=self.ctf_file,
            pupil=pupil,
            outcome=CtfPupil.Outcome.STORED,
            child=child,
            match=match,
        )
        looking = self.ctf_file.source_lea != settings.COUNCIL_LA_CODE
        noted = services.note_lost_pupil(
            actor=self.actor, lost_pupil=stored, child=child, looking=looking
        )
        if match is not None and match.status == IdentityMatch.Status.REVIEW:
            self.message(
                pupil,
                f"sent to review: {len(match.candidates)} children in the register may be this "
                f"lost pupil; decide which under Matches (match {match.pk})",
            )
            self.report.count(CtfPupil.Outcome.REVIEW)
        elif created:
            self.report.count(CtfPupil.Outcome.CREATED)
        elif noted:
            self.report.count(CtfPupil.Outcome.UPDATED)
        else:
            self.report.count(CtfPupil.Outcome.UNCHANGED)


# --- The S2S inbox --------------------------------------------------------------------------


class InboxNotConfigured(Exception):  # noqa: N818 - reads as the condition it reports
    """No S2S inbox folder is configured, or it cannot be read."""


@dataclass
class InboxPass:
    """What one pass of the S2S inbox found and did."""

    run: S2sInboxRun | None = None
    due: bool = True
    reports: list[CtfReport] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


def _inbox_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() in INBOX_SUFFIXES:
            yield path


def scan_s2s_inbox(*, folder: str | None = None, force: bool = False) -> InboxPass:
    """One pass of the S2S inbox: import each CTF in the folder that has not been imported or
    refused before (by content, whatever its name), exactly once, even if passes overlap or
    one was interrupted. Files are left where they are. Without `force`, nothing is done
    until S2S_INBOX_EVERY_HOURS have passed since the last pass began."""
    where = folder if folder is not None else str(settings.S2S_INBOX_DIR)
    if not where:
        raise InboxNotConfigured(
            "No S2S inbox folder is configured: set CME_S2S_INBOX_DIR to the folder where "
            "files downloaded from S2S are saved."
        )
    directory = Path(where)
    if not directory.is_dir():
        raise InboxNotConfigured(
            f"The S2S inbox folder {directory} does not exist or is not a folder."
        )
    now = timezone.now()
    # An interrupted pass never finished: it does not hold the next one back.
    last = (
        S2sInboxRun.objects.filter(finished_at__isnull=False).order_by("-started_at", "-id").first()
    )
    every = datetime.timedelta(hours=int(settings.S2S_INBOX_EVERY_HOURS))
    # A few minutes' grace, so that a daily timer that fires a little early still runs.
    if (
        not force
        and last is not None
        and now - last.started_at < every - datetime.timedelta(minutes=5)
    ):
        return InboxPass(due=False)
    run = S2sInboxRun.objects.create(started_at=now, folder=str(directory)[:500])
    result = InboxPass(run=run)
    settled = now.timestamp() - INBOX_SETTLE_SECONDS
    for path in _inbox_files(directory):
        try:
            if path.stat().st_mtime > settled:
                result.waiting.append(path.name)
                continue
        except OSError:
            continue
        run.files_found += 1
        try:
            report = import_ctf_path(path=path, source=CtfFile.Source.S2S_INBOX, new_only=True)
        except ImportRefused as refused:
            run.files_refused += 1
            result.refused.append(f"{path.name}: {refused.message}")
            continue
        except Exception:
            # One broken file must not stop the others; it is tried again on the next pass.
            logger.exception("S2S inbox: importing a file failed")
            run.files_failed += 1
            result.failed.append(path.name)
            _record_failure(path)
            continue
        if report.skipped:
            run.files_already_seen += 1
        else:
            run.files_imported += 1
            result.reports.append(report)
    run.finished_at = timezone.now()
    run.save()
    return result


def _record_failure(path: Path) -> None:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return
    ctf_file = CtfFile.objects.defer("content").filter(sha256=digest).first()
    if ctf_file is not None:
        services.fail_ctf_file(
            ctf_file=ctf_file,
            message="Importing the file failed because of an error in the service; nothing was "
            "imported. It will be tried again on the next pass.",
        )
