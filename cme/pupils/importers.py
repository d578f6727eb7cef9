"""Importing files into the pupil register: GIAS establishment extracts and pupil rolls (CSV).

Owns the importer contract of docs/interfaces.md ("Every importer", `import_schools`,
`import_pupils`): which faults refuse a whole file (`ImportRefused`), how each row's values are
checked and reported as `line L, column C: reason`, how a pupil row is recognised as a child
already on the register (`find_existing_child`), and what a full-roll file takes off the roll.

Every write goes through `cme.pupils.services`, so it is audited; each file is one transaction
and is recorded as an `ImportRun` with one `FILE_IMPORTED` audit event. Argument parsing and
printing belong to the management commands. Messages never quote a child's name, date of birth
or identifiers, because they end up in terminal scrollback and job logs.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Final, TextIO, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from cme.accounts.models import User
from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.standards import gias
from cme.standards.nhs_number import is_valid_nhs_number, normalise_nhs_number
from cme.standards.upn import (
    UPN_CENSUS_MESSAGES,
    UPN_WARNING_MESSAGES,
    check_upn,
)

from . import services
from .models import (
    Address,
    Child,
    Enrolment,
    ImportRun,
    LocalAuthority,
    School,
    SchoolPhase,
    SchoolStatus,
    SchoolType,
    Sex,
)

# Rows are read, looked up and written this many at a time: one set of queries per batch
# instead of per row, with memory bounded by the batch rather than the file.
BATCH_SIZE: Final = 500
_CHUNK_BYTES: Final = 1 << 20

Progress = Callable[[int, int], None]
"""Called as `progress(rows_done, rows_total)` after each batch and once at the end."""

_T = TypeVar("_T")


class ImportRefused(Exception):  # noqa: N818 - the name the importer contract uses
    """The whole file is refused (a file-level fault) and nothing has been written.

    `message` is one line saying what is wrong and what to do about it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowMessage:
    """One finding about a line of the file: a rejected row, a value counted as missing, a row
    sent to review, or (on line 1) a column that was ignored. `column` is the 1-based position
    of the value's column in the header; None when the finding is about the whole row."""

    line: int
    column: int | None
    reason: str

    def __str__(self) -> str:
        if self.column is None:
            return f"line {self.line}: {self.reason}"
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ImportReport:
    """What one file did. Every non-blank data row is counted exactly once; with a full roll,
    each pupil taken off a roll also counts as updated."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    review: int = 0
    rejected: int = 0
    messages: list[RowMessage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    run: ImportRun | None = None

    def counts_line(self) -> str:
        """The last line a command prints, exactly as the contract gives it."""
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"review={self.review} rejected={self.rejected}"
        )


# --- Reading a file -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FileSpec:
    kind: ImportRun.Kind
    command: str
    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Columns of the source's own format that are known and deliberately not kept.
    not_stored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _CheckedFile:
    path: Path
    name: str
    size: int
    sha256: str
    rows: int
    columns: Mapping[str, int]  # column name -> 0-based position, for the columns we read
    ignored: tuple[RowMessage, ...]  # a line-1 message for each unknown column


# Magic numbers of formats people export by mistake instead of CSV.
_NOT_CSV_SIGNATURES: Final = (
    (b"PK\x03\x04", "an Excel workbook or zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
)
_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SAVE_AS_CSV: Final = "save it as 'CSV UTF-8 (Comma delimited)' and try again"


def _check_file(path: Path, spec: _FileSpec) -> _CheckedFile:
    """Refuse the file unless it is a CSV of the right shape, before anything is written.

    Reads the file twice, in constant memory: the bytes (size, signature, binary content,
    UTF-8, SHA-256), then the CSV records (header, quoting, row count for progress). Doing all
    of it first means a refusal never follows half a file's work or progress output.
    """
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        msg = f"cannot read {path}: {error.strerror}. Check the file name and its permissions."
        raise ImportRefused(msg) from error
    limit = int(settings.IMPORT_MAX_BYTES)
    if size > limit:
        msg = (
            f"{name} is {size:,} bytes, larger than the limit of {limit:,} bytes "
            "(setting CME_IMPORT_MAX_BYTES). Split the file, or ask an administrator to raise "
            "the limit."
        )
        raise ImportRefused(msg)
    if size == 0:
        msg = f"{name} is empty. Export it again with its header line and rows."
        raise ImportRefused(msg)
    sha256 = _check_bytes(path, name)
    rows, columns, ignored = _check_records(path, spec)
    return _CheckedFile(
        path=path,
        name=name,
        size=size,
        sha256=sha256,
        rows=rows,
        columns=columns,
        ignored=ignored,
    )


def _check_bytes(path: Path, name: str) -> str:
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    offset = 0
    newlines = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                if offset == 0:
                    _refuse_other_formats(chunk, name)
                if (nul := chunk.find(b"\x00")) >= 0:
                    line = newlines + chunk[:nul].count(b"\n") + 1
                    msg = (
                        f"{name} is not a CSV file: it contains binary data (a NUL byte on line "
                        f"{line}). Export it from the source system as CSV."
                    )
                    raise ImportRefused(msg)
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    line = newlines + chunk[: error.start].count(b"\n") + 1
                    msg = (
                        f"{name} is not UTF-8: line {line} has a byte that is not valid UTF-8 "
                        f"(often Windows-1252 from Excel). Open it and {_SAVE_AS_CSV}."
                    )
                    raise ImportRefused(msg) from error
                digest.update(chunk)
                offset += len(chunk)
                newlines += chunk.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                msg = f"{name} is not UTF-8: it ends in the middle of a character. {_SAVE_AS_CSV}."
                raise ImportRefused(msg) from error
    except OSError as error:
        msg = f"cannot read {path}: {error.strerror}. Check the file name and its permissions."
        raise ImportRefused(msg) from error
    return digest.hexdigest()


def _refuse_other_formats(head: bytes, name: str) -> None:
    for signature, what in _NOT_CSV_SIGNATURES:
        if head.startswith(signature):
            msg = f"{name} is not a CSV file: it looks like {what}. Open it and {_SAVE_AS_CSV}."
            raise ImportRefused(msg)
    if head.startswith(_UTF16_BOMS):
        msg = f"{name} is UTF-16 text, not UTF-8. Open it and {_SAVE_AS_CSV}."
        raise ImportRefused(msg)


def _open_text(path: Path) -> TextIO:
    # utf-8-sig drops a byte-order mark; newline="" lets the csv module see quoted line breaks.
    return path.open(encoding="utf-8-sig", newline="")


class _Records:
    """Each CSV record with the physical line it starts on (line 1 is the first line).

    `line` is where the next record starts, so after a csv.Error it names the broken record.
    """

    def __init__(self, handle: Iterable[str]) -> None:
        self._reader = csv.reader(handle)
        self.line = 1

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        cells = next(self._reader)
        line, self.line = self.line, self._reader.line_num + 1
        return line, cells


def _is_blank(cells: Sequence[str]) -> bool:
    return all(not cell.strip() for cell in cells)


def _check_records(
    path: Path, spec: _FileSpec
) -> tuple[int, dict[str, int], tuple[RowMessage, ...]]:
    name = path.name
    with _open_text(path) as handle:
        records = _Records(handle)
        try:
            header = next((cells for _, cells in records if not _is_blank(cells)), None)
            if header is None:
                msg = f"{name} is empty: it has no header line. Export it again with its rows."
                raise ImportRefused(msg)
            rows = sum(1 for _, cells in records if not _is_blank(cells))
        except csv.Error as error:
            msg = (
                f"{name} is not a readable CSV file: line {records.line}: {error}. Check the "
                "quoting on that line, or export the file again."
            )
            raise ImportRefused(msg) from error
    columns = _read_header(header, spec, name)
    known = set(spec.required) | set(spec.optional) | set(spec.not_stored)
    ignored = tuple(
        RowMessage(
            1,
            position + 1,
            f"unknown column '{column.strip()}' ignored"
            if column.strip()
            else "column with no name ignored",
        )
        for position, column in enumerate(header)
        if column.strip() not in known
    )
    return rows, columns, ignored


def _read_header(header: Sequence[str], spec: _FileSpec, name: str) -> dict[str, int]:
    names = [cell.strip() for cell in header]
    wanted = set(spec.required) | set(spec.optional)
    columns: dict[str, int] = {}
    for position, column in enumerate(names):
        if column in wanted and column in columns:
            msg = (
                f"{name} names the column '{column}' twice (columns {columns[column] + 1} and "
                f"{position + 1}). Remove one and try again."
            )
            raise ImportRefused(msg)
        columns.setdefault(column, position)
    missing = [column for column in spec.required if column not in columns]
    if missing and len(missing) == len(spec.required):
        hint = ""
        if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
            hint = " It seems to use semicolons or tabs between values: save it comma-separated."
        msg = (
            f"{name} is not a {spec.label} CSV: its first line has none of the required column "
            f"names ({', '.join(spec.required)}).{hint} See `{spec.command} --help`."
        )
        raise ImportRefused(msg)
    if missing:
        folded = {column.casefold(): column for column in names}
        hints = [
            f"'{folded[column.casefold()]}' should be '{column}'"
            for column in missing
            if column.casefold() in folded
        ]
        hint = f" ({'; '.join(hints)}: names are case-sensitive)" if hints else ""
        msg = (
            f"{name} is missing the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}{hint}. Add {'them' if len(missing) > 1 else 'it'} to the "
            f"first line, named exactly as in `{spec.command} --help`."
        )
        raise ImportRefused(msg)
    return {column: position for column, position in columns.items() if column in wanted}


@dataclass(frozen=True, slots=True)
class _Row:
    """One data record: its line, its trimmed, NFC-normalised values by column name, and any
    note about its shape."""

    line: int
    values: Mapping[str, str]
    columns: Mapping[str, int]
    notes: tuple[RowMessage, ...] = ()

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def column(self, name: str) -> int:
        return self.columns[name] + 1


def _data_rows(checked: _CheckedFile) -> Iterator[_Row]:
    """The non-blank data rows, streamed. A row with more or fewer values than the header is
    read as far as it goes (missing values are blank) and noted."""
    width = None
    with _open_text(checked.path) as handle:
        for line, cells in _Records(handle):
            if _is_blank(cells):
                continue
            if width is None:
                width = len(cells)
                continue
            notes: tuple[RowMessage, ...] = ()
            if len(cells) > width:
                notes = (RowMessage(line, width + 1, "more values than column names; ignored"),)
            elif len(cells) < width:
                notes = (
                    RowMessage(
                        line, len(cells) + 1, "fewer values than column names; read as blank"
                    ),
                )
            values = {
                column: unicodedata.normalize("NFC", cells[position].strip())
                for column, position in checked.columns.items()
                if position < len(cells)
            }
            yield _Row(line=line, values=values, columns=checked.columns, notes=notes)


def _batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _record_run(
    *,
    checked: _CheckedFile,
    spec: _FileSpec,
    actor: User | None,
    started_at: datetime.datetime,
    report: ImportReport,
    options: Mapping[str, Any],
    review_rows: list[dict[str, Any]],
) -> ImportRun:
    run = ImportRun.objects.create(
        kind=spec.kind,
        file_name=checked.name[:255],
        sha256=checked.sha256,
        size_bytes=checked.size,
        options={key: audit.json_safe(value) for key, value in options.items()},
        run_by=actor if actor is not None and actor.is_authenticated else None,
        started_at=started_at,
        finished_at=timezone.now(),
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        review_count=report.review,
        rejected_count=report.rejected,
        review_rows=review_rows,
    )
    audit.record_event(
        kind=AuditEvent.Kind.FILE_IMPORTED,
        actor=actor,
        subject=run,
        summary=f"File imported ({spec.label}): {checked.name}",
        details={
            "file_name": checked.name,
            "sha256": checked.sha256,
            "counts": report.counts_line(),
            **options,
        },
    )
    report.run = run
    return run


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# --- Values --------------------------------------------------------------------------------

_ISO_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_DIGITS: Final = re.compile(r"[0-9]+", re.ASCII)


class _BadDateError(ValueError):
    pass


def _parse_date(text: str) -> datetime.date | None:
    """A `YYYY-MM-DD` date; None when blank; `_BadDateError` with the reason otherwise."""
    if not text:
        return None
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        msg = "is not a date in the form YYYY-MM-DD"
        raise _BadDateError(msg)
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        msg = "is not a real date (the day or month is out of range)"
        raise _BadDateError(msg) from error


def _normalise_postcode(text: str) -> str:
    return " ".join(text.upper().split())


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED: Final = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def name_key(name: str) -> str:
    """A name folded for comparison: case, accents, spacing and apostrophe style ignored,
    so that Zoë O'Neill written with a curly apostrophe matches ZOE O'NEILL."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_UNDECOMPOSED))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.replace("\u2019", "'").replace("\u2018", "'").split())


# --- Schools -------------------------------------------------------------------------------

SCHOOL_COLUMNS: Final = (
    "URN",
    "LA (code)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "PhaseOfEducation (name)",
    "EstablishmentStatus (name)",
)
SCHOOL_OPTIONAL_COLUMNS: Final = ("LA (name)", "Postcode")

# GIAS columns (spec section 5.2) read by no one: recognised, so not reported as unknown, and
# never stored (they include head teachers' names).
_GIAS_NOT_STORED: Final = (
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "CloseDate",
    "ReasonEstablishmentClosed (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (name)",
    "OfficialSixthForm (name)",
    "Gender (name)",
    "ReligiousCharacter (name)",
    "AdmissionsPolicy (name)",
    "UKPRN",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "HeadPreferredJobTitle",
    "GOR (name)",
    "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)",
    "TypeOfEstablishment (code)",
    "EstablishmentStatus (code)",
    "PhaseOfEducation (code)",
    "LastChangedDate",
    "County (code)",
)

_SCHOOLS: Final = _FileSpec(
    kind=ImportRun.Kind.SCHOOLS,
    command="import_schools",
    label="GIAS establishment",
    required=SCHOOL_COLUMNS,
    optional=SCHOOL_OPTIONAL_COLUMNS,
    not_stored=_GIAS_NOT_STORED,
)

_PHASES: Final = {
    gias.SchoolPhase.NURSERY: SchoolPhase.NURSERY,
    gias.SchoolPhase.PRIMARY: SchoolPhase.PRIMARY,
    gias.SchoolPhase.MIDDLE_DEEMED_PRIMARY: SchoolPhase.MIDDLE_PRIMARY,
    gias.SchoolPhase.MIDDLE_DEEMED_SECONDARY: SchoolPhase.MIDDLE_SECONDARY,
    gias.SchoolPhase.SECONDARY: SchoolPhase.SECONDARY,
    gias.SchoolPhase.ALL_THROUGH: SchoolPhase.ALL_THROUGH,
    gias.SchoolPhase.SIXTEEN_PLUS: SchoolPhase.SIXTEEN_PLUS,
    gias.SchoolPhase.NOT_APPLICABLE: SchoolPhase.NOT_APPLICABLE,
}
_GIAS_STATUS_NAMES: Final = "Open; Closed; Open, but proposed to close; Proposed to open"


@functools.cache
def _max_length(model: type[models.Model], field_name: str) -> int:
    model_field = model._meta.get_field(field_name)
    if not isinstance(model_field, models.Field) or model_field.max_length is None:
        msg = f"{model.__name__}.{field_name} has no max_length"
        raise TypeError(msg)
    return model_field.max_length


def import_schools_file(
    *,
    path: str | PathLike[str],
    actor: User | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a GIAS establishment extract: create or update each school by URN.

    Closed establishments are imported with their status. An LA code missing from the
    reference list is added (with a message). Raises `ImportRefused` for a file-level fault.
    """
    started_at = timezone.now()
    checked = _check_file(Path(path), _SCHOOLS)
    report = ImportReport()
    report.messages.extend(checked.ignored)
    done = 0
    with transaction.atomic():
        authorities = {authority.code: authority for authority in LocalAuthority.objects.all()}
        for batch in _batches(_data_rows(checked), BATCH_SIZE):
            for row in batch:
                _import_school_row(row, actor=actor, report=report, authorities=authorities)
            done += len(batch)
            _tell(progress, done, checked.rows)
        _record_run(
            checked=checked,
            spec=_SCHOOLS,
            actor=actor,
            started_at=started_at,
            report=report,
            options={},
            review_rows=[],
        )
    _tell(progress, done, checked.rows)
    return report


def _import_school_row(
    row: _Row,
    *,
    actor: User | None,
    report: ImportReport,
    authorities: dict[str, LocalAuthority],
) -> None:
    messages: list[RowMessage] = list(row.notes)
    fields = _school_fields(row, messages)
    if fields is None:
        report.messages.extend(messages)
        report.rejected += 1
        return
    la_code = row.get("LA (code)")
    authority = authorities.get(la_code)
    if authority is None:
        la_name = row.get("LA (name)")[: _max_length(LocalAuthority, "name")]
        authority = services.ensure_local_authority(code=la_code, name=la_name)
        authorities[la_code] = authority
        messages.append(
            RowMessage(
                row.line,
                row.column("LA (code)"),
                f"LA code {la_code} is not in the reference list of local authorities; "
                f"added as '{authority.name}'",
            )
        )
    change = services.upsert_school(
        actor=actor, urn=row.get("URN"), local_authority=authority, **fields
    )
    report.messages.extend(messages)
    if change.created:
        report.created += 1
    elif change.changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _school_fields(row: _Row, messages: list[RowMessage]) -> dict[str, Any] | None:
    """The school's fields from a GIAS row (all but its authority), or None if the row is
    rejected. Adds a message for each bad value."""
    rejected = False

    def note(column: str, reason: str, *, reject: bool = False) -> None:
        nonlocal rejected
        messages.append(RowMessage(row.line, row.column(column), reason))
        rejected = rejected or reject

    urn, la_code = row.get("URN"), row.get("LA (code)")
    estab, name = row.get("EstablishmentNumber"), row.get("EstablishmentName")
    status = gias.school_status_from_gias(row.get("EstablishmentStatus (name)"))
    if not (_DIGITS.fullmatch(urn) and len(urn) <= _max_length(School, "urn")):
        note("URN", "URN must be a number (digits only); row rejected", reject=True)
    if not (_DIGITS.fullmatch(la_code) and len(la_code) == 3):
        note("LA (code)", "LA (code) must be 3 digits; row rejected", reject=True)
    if not (_DIGITS.fullmatch(estab) and len(estab) == 4):
        note(
            "EstablishmentNumber", "EstablishmentNumber must be 4 digits; row rejected", reject=True
        )
    if not name or len(name) > _max_length(School, "name"):
        problem = "is missing" if not name else "is too long to store"
        note("EstablishmentName", f"EstablishmentName {problem}; row rejected", reject=True)
    if status is None:
        note(
            "EstablishmentStatus (name)",
            f"EstablishmentStatus (name) must be one of: {_GIAS_STATUS_NAMES}; row rejected",
            reject=True,
        )
    type_name = row.get("TypeOfEstablishment (name)")
    if len(type_name) > _max_length(School, "type_name"):
        note("TypeOfEstablishment (name)", "too long to store; counted as missing")
        type_name = ""
    phase = gias.school_phase_from_gias(row.get("PhaseOfEducation (name)"))
    if phase is None:
        note(
            "PhaseOfEducation (name)",
            "PhaseOfEducation (name) is blank or not a GIAS phase; recorded as Not applicable",
        )
    postcode = _normalise_postcode(row.get("Postcode"))
    if len(postcode) > _max_length(School, "postcode"):
        note("Postcode", "Postcode is too long to store; counted as missing")
        postcode = ""
    if rejected or status is None:
        return None
    fields: dict[str, Any] = {
        "establishment_number": estab,
        "laestab": f"{la_code}{estab}",
        "name": name,
        "school_type": SchoolType(gias.school_type_from_gias(type_name).value),
        "type_name": type_name,
        "phase": _PHASES[phase] if phase is not None else SchoolPhase.NOT_APPLICABLE,
        "status": SchoolStatus(status.value),
    }
    if postcode:  # a blank postcode keeps the stored one
        fields["postcode"] = postcode
    return fields


# --- Pupils --------------------------------------------------------------------------------

PUPIL_COLUMNS: Final = (
    "upn",
    "forename",
    "middle_names",
    "surname",
    "former_surname",
    "dob",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "laestab",
    "start_date",
)
PUPIL_OPTIONAL_COLUMNS: Final = ("end_date", "leaving_reason")

_PUPILS: Final = _FileSpec(
    kind=ImportRun.Kind.PUPILS,
    command="import_pupils",
    label="pupil",
    required=PUPIL_COLUMNS,
    optional=PUPIL_OPTIONAL_COLUMNS,
)

_UPN_FORMAT_MESSAGE: Final = (
    "UPN invalid (not 13 characters: a letter, 11 digits, then a digit or a letter)"
)


@dataclass
class _PupilRow:
    """A pupil row once its values are checked. Unusable values are already blank/None."""

    line: int
    raw: Mapping[str, str]
    messages: list[RowMessage]
    rejected: bool = False
    upn: str = ""
    forename: str = ""
    middle_names: str = ""
    surname: str = ""
    former_surnames: list[str] = field(default_factory=list)
    date_of_birth: datetime.date | None = None
    sex: str = ""
    postcode: str = ""
    address: str = ""
    nhs_number: str = ""
    laestab: str = ""
    school: School | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    leaving_reason: str = ""

    @property
    def start(self) -> datetime.date:
        """The start date of a row that was not rejected (a row without one is)."""
        if self.start_date is None:
            msg = f"line {self.line} has no start_date and should have been rejected"
            raise AssertionError(msg)
        return self.start_date


def _parse_pupil_row(row: _Row, *, today: datetime.date) -> _PupilRow:  # noqa: PLR0912, PLR0915 - one check per column, in column order
    parsed = _PupilRow(line=row.line, raw=row.values, messages=list(row.notes))

    def note(column: str, reason: str) -> None:
        parsed.messages.append(RowMessage(row.line, row.column(column), reason))

    def reject(column: str, reason: str) -> None:
        note(column, f"{reason}; row rejected")
        parsed.rejected = True

    def text(column: str, model: type[models.Model], field_name: str) -> str:
        value = row.get(column)
        if len(value) > _max_length(model, field_name):
            note(column, f"{column} is too long to store; counted as missing")
            return ""
        return value

    raw_upn = row.get("upn")
    if raw_upn:
        result = check_upn(raw_upn)
        if result.is_valid:
            parsed.upn = result.normalised
            for warning in result.warnings:
                note("upn", UPN_WARNING_MESSAGES[warning])
        elif result.error is not None:
            # FORMAT has no census wording of its own.
            note("upn", UPN_CENSUS_MESSAGES.get(result.error, _UPN_FORMAT_MESSAGE))

    parsed.forename = text("forename", Child, "forename")
    parsed.middle_names = text("middle_names", Child, "middle_names")
    parsed.surname = text("surname", Child, "surname")
    if not parsed.forename and not parsed.surname:
        reject("forename", "neither forename nor surname given")
    parsed.former_surnames = [
        name.strip() for name in row.get("former_surname").split(";") if name.strip()
    ]
    if len(";".join(parsed.former_surnames)) > _max_length(Child, "former_surnames"):
        note("former_surname", "former_surname is too long to store; counted as missing")
        parsed.former_surnames = []

    try:
        parsed.date_of_birth = _parse_date(row.get("dob"))
    except _BadDateError as error:
        note("dob", f"dob {error}; counted as missing")
    if parsed.date_of_birth is not None and parsed.date_of_birth > today:
        note("dob", "dob is in the future; counted as missing")
        parsed.date_of_birth = None

    sex = row.get("sex").upper()
    if sex in Sex.values:
        parsed.sex = sex
    elif sex:
        note("sex", "sex must be M, F or U; recorded as U")
        parsed.sex = Sex.UNKNOWN

    parsed.postcode = _normalise_postcode(row.get("postcode"))
    if len(parsed.postcode) > _max_length(Address, "postcode"):
        note("postcode", "postcode is too long to store; counted as missing")
        parsed.postcode = ""
    parsed.address = text("address", Address, "line_1")

    raw_nhs = row.get("nhs_number")
    if raw_nhs:
        if is_valid_nhs_number(raw_nhs):
            parsed.nhs_number = normalise_nhs_number(raw_nhs)
        else:
            note("nhs_number", "NHS number invalid (not 10 digits, or wrong check digit)")

    parsed.laestab = row.get("laestab")
    if not parsed.laestab:
        reject("laestab", "laestab is missing")
    elif not (_DIGITS.fullmatch(parsed.laestab) and len(parsed.laestab) == 7):
        reject("laestab", "laestab must be 7 digits (LA code and establishment number)")

    try:
        parsed.start_date = _parse_date(row.get("start_date"))
    except _BadDateError as error:
        reject("start_date", f"start_date {error}")
    else:
        if parsed.start_date is None:
            reject("start_date", "start_date is missing")

    if "end_date" in row.columns:
        try:
            parsed.end_date = _parse_date(row.get("end_date"))
        except _BadDateError as error:
            note("end_date", f"end_date {error}; counted as missing")
        if (
            parsed.end_date is not None
            and parsed.start_date is not None
            and parsed.end_date < parsed.start_date
        ):
            note("end_date", "end_date is before start_date; counted as missing")
            parsed.end_date = None
    if "leaving_reason" in row.columns:
        parsed.leaving_reason = text("leaving_reason", Enrolment, "leaving_reason")
    return parsed


@dataclass(frozen=True, slots=True)
class KnownChild:
    """What recognition needs to know about a child on the register."""

    id: int
    forename_key: str
    surname_key: str
    date_of_birth: datetime.date | None
    upn: str
    former_upn: str

    @classmethod
    def of_row(cls, row: _PupilRow, child_id: int) -> KnownChild:
        """A child about to be added from `row`."""
        return cls(
            id=child_id,
            forename_key=name_key(row.forename),
            surname_key=name_key(row.surname),
            date_of_birth=row.date_of_birth,
            upn=row.upn,
            former_upn="",
        )

    @classmethod
    def of(cls, child: Child) -> KnownChild:
        return cls(
            id=child.pk,
            forename_key=name_key(child.forename),
            surname_key=name_key(child.surname),
            date_of_birth=child.date_of_birth,
            upn=child.upn,
            former_upn=child.former_upn,
        )


# A merged record's survivor can itself have been merged since; no real chain is longer.
_MAX_MERGE_HOPS: Final = 20


def survivors_of(child_ids: Sequence[int]) -> dict[int, int]:
    """The record each merged record's details now live on (following later merges)."""
    survivors = {child_id: child_id for child_id in child_ids}
    for _ in range(_MAX_MERGE_HOPS):
        pending = list(set(survivors.values()))
        merged = dict(
            Child.objects.filter(pk__in=pending, merged_into__isnull=False).values_list(
                "pk", "merged_into_id"
            )
        )
        if not merged:
            break
        survivors = {key: merged.get(value, value) for key, value in survivors.items()}
    return {key: value for key, value in survivors.items() if value != key}


class KnownChildren:
    """The children a batch of rows could be about, indexed by UPN, former UPN and birth date."""

    def __init__(self) -> None:
        self.by_id: dict[int, KnownChild] = {}
        self.by_upn: dict[str, int] = {}
        self.by_former_upn: dict[str, set[int]] = defaultdict(set)
        self.by_dob: dict[datetime.date, list[KnownChild]] = defaultdict(list)

    @classmethod
    def load(cls, *, upns: set[str], dates: set[datetime.date]) -> KnownChildren:
        known = cls()
        wanted = Child.objects.filter(
            Q(upn__in=upns) | Q(former_upn__in=upns) | Q(date_of_birth__in=dates)
        )
        rows = wanted.filter(merged_into__isnull=True).values_list(
            "id", "forename", "surname", "date_of_birth", "upn", "former_upn"
        )
        for child_id, forename, surname, dob, upn, former_upn in rows:
            known.add(
                KnownChild(
                    id=child_id,
                    forename_key=name_key(forename),
                    surname_key=name_key(surname),
                    date_of_birth=dob,
                    upn=upn,
                    former_upn=former_upn,
                )
            )
        known.add_merged(
            list(wanted.filter(merged_into__isnull=False).values_list("id", "upn", "former_upn"))
        )
        return known

    def add_merged(self, merged: list[tuple[int, str, str]]) -> None:
        """A merged record's UPNs lead to the record it was merged into (never a new child)."""
        survivors = survivors_of([child_id for child_id, _upn, _former in merged])
        for child_id, upn, former_upn in merged:
            survivor = survivors.get(child_id)
            if survivor is None:
                continue
            if upn:
                self.by_upn.setdefault(upn, survivor)
            if former_upn:
                self.by_former_upn[former_upn].add(survivor)

    def add(self, child: KnownChild) -> None:
        self.discard(child.id)
        self.by_id[child.id] = child
        if child.upn:
            self.by_upn[child.upn] = child.id
        if child.former_upn:
            self.by_former_upn[child.former_upn].add(child.id)
        if child.date_of_birth is not None:
            self.by_dob[child.date_of_birth].append(child)

    def discard(self, child_id: int) -> None:
        old = self.by_id.pop(child_id, None)
        if old is None:
            return
        if self.by_upn.get(old.upn) == child_id:
            del self.by_upn[old.upn]
        if old.former_upn:
            self.by_former_upn[old.former_upn].discard(child_id)
        if old.date_of_birth is not None:
            self.by_dob[old.date_of_birth].remove(old)


@dataclass(frozen=True, slots=True)
class Recognition:
    """Who a row is about: an existing child, a new child (`child_id` None), or nobody yet
    because an officer must decide (`review_reason` set)."""

    child_id: int | None = None
    review_reason: str = ""
    by_former_upn: bool = False


# Asked about a row the rules above would add as a new child: the identity-matching engine
# (cme.matching), given the row's details in its column names and a reference for the row.
# It answers with a child, a reason for review, or None to add the child.
Recogniser = Callable[[Mapping[str, str], str], Recognition | None]


def _swapped(date: datetime.date) -> datetime.date | None:
    if date.day > 12 or date.day == date.month:
        return None
    return date.replace(month=date.day, day=date.month)


def find_existing_child(
    *,
    upn: str,
    forename: str,
    surname: str,
    date_of_birth: datetime.date | None,
    known: KnownChildren,
) -> Recognition:
    """Recognise the child a pupil row is about. `upn` is a valid normalised UPN or "".

    A valid UPN decides, whether it is a child's UPN or former UPN. Otherwise an exact match
    on forename, surname and date of birth (case and accents ignored) with exactly one child
    decides. Several such children, or a near miss (same surname and date of birth with another
    forename; same names with day and month swapped) go to review and are never merged. When
    the row has a valid UPN, a child holding a different UPN is someone else (a twin, say)
    unless names and date of birth all agree, which is doubtful. A row with neither a valid UPN
    nor a date of birth goes to review: it could never be recognised again, so every import
    would add the child once more.

    The identity-matching engine (issue 3) replaces this function.
    """
    if upn:
        if (child_id := known.by_upn.get(upn)) is not None:
            return Recognition(child_id=child_id)
        formerly = known.by_former_upn.get(upn, set())
        if len(formerly) == 1:
            return Recognition(child_id=next(iter(formerly)), by_former_upn=True)
        if formerly:
            return Recognition(
                review_reason=f"the UPN is the former UPN of {len(formerly)} children"
            )
    if date_of_birth is None:
        reason = (
            "" if upn else "no valid UPN and no date of birth, so the pupil cannot be recognised"
        )
        return Recognition(review_reason=reason)
    return _by_name_and_birth(
        upn=upn, forename=forename, surname=surname, date_of_birth=date_of_birth, known=known
    )


def _by_name_and_birth(
    *, upn: str, forename: str, surname: str, date_of_birth: datetime.date, known: KnownChildren
) -> Recognition:
    fore, sur = name_key(forename), name_key(surname)

    def same_names(child: KnownChild) -> bool:
        return child.forename_key == fore and child.surname_key == sur

    def could_be(child: KnownChild) -> bool:
        return not (upn and child.upn)

    same_day = known.by_dob.get(date_of_birth, [])
    swapped = _swapped(date_of_birth)
    exact = [child for child in same_day if same_names(child)]
    if len(exact) == 1 and could_be(exact[0]):
        return Recognition(child_id=exact[0].id)
    doubts = (
        (
            any(not could_be(child) for child in exact),
            "a child with the same name and date of birth has a different UPN",
        ),
        (len(exact) > 1, f"{len(exact)} children have this name and date of birth"),
        (
            any(child.surname_key == sur and could_be(child) for child in same_day),
            "a child has the same surname and date of birth but another forename",
        ),
        (
            swapped is not None
            and any(
                same_names(child) and could_be(child) for child in known.by_dob.get(swapped, [])
            ),
            "a child has the same name, with day and month of birth swapped",
        ),
    )
    return Recognition(review_reason=next((reason for doubt, reason in doubts if doubt), ""))


def _laestab_well_formed(laestab: str) -> bool:
    return _DIGITS.fullmatch(laestab) is not None and len(laestab) == 7


_ENROLMENT_KEY = tuple[int, int, datetime.date]  # child, school, start date


@dataclass
class _Loaded:
    """The children a batch is about, with their current address and enrolments, fetched
    in one query each rather than one per row."""

    children: dict[int, Child] = field(default_factory=dict)
    addresses: dict[int, Address] = field(default_factory=dict)
    enrolments: dict[_ENROLMENT_KEY, Enrolment] = field(default_factory=dict)

    def load(self, ids: set[int]) -> None:
        ids = ids - set(self.children)
        if not ids:
            return
        self.children.update(Child.objects.in_bulk(ids))
        # The order `record_address` uses to pick the current address.
        for address in Address.objects.filter(child_id__in=ids, moved_out__isnull=True).order_by(
            "-moved_in", "-id"
        ):
            self.addresses.setdefault(address.child_id, address)
        for enrolment in Enrolment.objects.filter(child_id__in=ids):
            key = (enrolment.child_id, enrolment.school_id, enrolment.start_date)
            self.enrolments[key] = enrolment

    def child(self, child_id: int) -> Child:
        self.load({child_id})
        return self.children[child_id]


class _PupilImport:
    """The state of one pupil file's import across its batches."""

    def __init__(
        self,
        *,
        checked: _CheckedFile,
        actor: User | None,
        report: ImportReport,
        as_of: datetime.date | None,
        recogniser: Recogniser | None = None,
    ) -> None:
        self.checked = checked
        self.recogniser = recogniser
        self._engine_answers: dict[int, Recognition | None] = {}
        self.actor = actor
        self.report = report
        self.as_of = as_of
        self.source = f"pupil file {checked.name}"
        self.today = timezone.localdate()
        self.schools: dict[str, School | None] = {}
        self.review_rows: list[dict[str, Any]] = []
        # For a full roll: whom each school's rows named, and the rows that leave a school's
        # roll in doubt (a rejected or reviewed row may be the pupil who would be removed).
        self.present: dict[int, set[int]] = defaultdict(set)
        self.doubtful_schools: set[int] = set()
        self.unplaced_rows = 0
        # New children wait here, under a temporary negative id in `known`, to be written in
        # bulk at the end of the batch, or sooner if a later row is about one of them.
        self.pending: list[tuple[_PupilRow, School, int]] = []

    def import_batch(self, batch: list[_Row]) -> None:
        """Check a batch's values, look up its schools and children, then write row by row."""
        rows = [_parse_pupil_row(row, today=self.today) for row in batch]
        self._resolve_schools(rows)
        usable = [row for row in rows if not row.rejected]
        known = KnownChildren.load(
            upns={row.upn for row in usable if row.upn}, dates=_dates_to_look_up(usable)
        )
        loaded = _Loaded()
        loaded.load(
            {
                child_id
                for row in usable
                if (child_id := self._recognise(row, known).child_id) is not None
            }
        )
        for row in rows:
            self._import_row(row, known, loaded)
            self.report.messages.extend(row.messages)
        self._add_pending(known, loaded)

    def _recognise(self, row: _PupilRow, known: KnownChildren) -> Recognition:
        """A valid UPN decides by the rules; a row without one is put to the engine, unless it
        is about a child added earlier in this file (not yet in the register the engine
        reads) or has no date of birth either (it could never be recognised again)."""
        found = _recognise(row, known)
        if self.recogniser is None or row.upn or row.date_of_birth is None:
            return found
        if found.child_id is not None and found.child_id < 0:
            return found
        if row.line not in self._engine_answers:
            details = _match_details(row)
            # The same details give the same reference in any file, so an officer's decision
            # on a reviewed row holds when the file is imported again.
            reference = (
                "row-" + hashlib.sha256(repr(sorted(details.items())).encode()).hexdigest()[:32]
            )
            self._engine_answers[row.line] = self.recogniser(details, reference)
        return self._engine_answers[row.line] or Recognition()

    def _resolve_schools(self, rows: list[_PupilRow]) -> None:
        wanted = {row.laestab for row in rows if _laestab_well_formed(row.laestab)}
        wanted -= set(self.schools)
        found: dict[str, School] = {}
        for school in School.objects.filter(laestab__in=wanted):
            best = found.get(school.laestab)
            if best is None or _school_preference(school) > _school_preference(best):
                found[school.laestab] = school
        for laestab in wanted:
            self.schools[laestab] = found.get(laestab)
        for row in rows:
            if not _laestab_well_formed(row.laestab):
                continue  # already rejected with the reason
            row.school = self.schools[row.laestab]
            if row.school is None:
                row.messages.append(
                    RowMessage(
                        row.line,
                        self.checked.columns["laestab"] + 1,
                        f"laestab {row.laestab} is not a known school (import the GIAS "
                        "extract with import_schools first); row rejected",
                    )
                )
                row.rejected = True

    def _import_row(self, row: _PupilRow, known: KnownChildren, loaded: _Loaded) -> None:
        if row.rejected or row.school is None:
            self.report.rejected += 1
            if row.school is None:
                self.unplaced_rows += 1
            else:
                self.doubtful_schools.add(row.school.pk)
            return
        school = row.school
        found = self._recognise(row, known)
        if found.child_id is not None and found.child_id < 0:
            self._add_pending(known, loaded)
            found = self._recognise(row, known)
        if found.review_reason:
            self.report.review += 1
            self.doubtful_schools.add(school.pk)
            row.messages.append(
                RowMessage(row.line, None, f"sent to review: {found.review_reason}")
            )
            self.review_rows.append(
                {"line": row.line, "reason": found.review_reason, "row": dict(row.raw)}
            )
            return
        if found.child_id is None:
            temporary_id = -1 - len(self.pending)
            known.add(KnownChild.of_row(row, temporary_id))
            self.pending.append((row, school, temporary_id))
            self.report.created += 1
            return
        child = loaded.child(found.child_id)
        wrote = services.update_child(
            actor=self.actor,
            child=child,
            source=self.source,
            **_child_updates(row, child, by_former_upn=found.by_former_upn),
        )
        if wrote:
            known.add(KnownChild.of(child))
        wrote = self._record_address(row, child, loaded) or wrote
        wrote = self._record_enrolment(row, child, school, loaded) or wrote
        self.present[school.pk].add(child.pk)
        if wrote:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _add_pending(self, known: KnownChildren, loaded: _Loaded) -> None:
        """Write the children waiting to be added, and index them under their real ids."""
        if not self.pending:
            return
        added = services.add_children_on_roll(
            actor=self.actor,
            source=self.source,
            pupils=[
                services.NewChildOnRoll(
                    fields=_new_child(row),
                    school=school,
                    start_date=row.start,
                    end_date=row.end_date,
                    leaving_reason=row.leaving_reason,
                    address_line_1=row.address,
                    postcode=row.postcode,
                )
                for row, school, _ in self.pending
            ],
        )
        for (_, school, temporary_id), result in zip(self.pending, added, strict=True):
            child = result.child
            known.discard(temporary_id)
            known.add(KnownChild.of(child))
            loaded.children[child.pk] = child
            if result.address is not None:
                loaded.addresses[child.pk] = result.address
            enrolment = result.enrolment
            loaded.enrolments[(child.pk, school.pk, enrolment.start_date)] = enrolment
            self.present[school.pk].add(child.pk)
        self.pending.clear()

    def _record_address(self, row: _PupilRow, child: Child, loaded: _Loaded) -> bool:
        if not row.address and not row.postcode:
            return False
        current = loaded.addresses.get(child.pk)
        line_1, postcode = row.address, row.postcode
        if current is not None:
            # A blank half of the address keeps the stored half when the other half agrees.
            if not line_1 and postcode == _normalise_postcode(current.postcode):
                line_1 = current.line_1
            if not postcode and line_1 == current.line_1:
                postcode = current.postcode
            if line_1 == current.line_1 and postcode == current.postcode:
                return False
        address, wrote = services.record_address(
            actor=self.actor, child=child, line_1=line_1, postcode=postcode, source=self.source
        )
        loaded.addresses[child.pk] = address
        return wrote

    def _record_enrolment(
        self, row: _PupilRow, child: Child, school: School, loaded: _Loaded
    ) -> bool:
        start_date = row.start
        key = (child.pk, school.pk, start_date)
        existing = loaded.enrolments.get(key)
        end_date = row.end_date
        if existing is not None:
            # A blank end_date never reopens an enrolment that has ended.
            end_date = end_date or existing.end_date
            if (
                self.as_of is not None
                and row.end_date is None
                and existing.end_date is not None
                and existing.end_date <= self.as_of
            ):
                row.messages.append(
                    RowMessage(
                        row.line,
                        self.checked.columns["start_date"] + 1,
                        "listed on the roll, but the enrolment from this start_date has "
                        "already ended; its end date was kept",
                    )
                )
            if end_date == existing.end_date and (
                not row.leaving_reason or row.leaving_reason == existing.leaving_reason
            ):
                return False
        enrolment, wrote = services.record_enrolment(
            actor=self.actor,
            child=child,
            school=school,
            start_date=start_date,
            end_date=end_date,
            leaving_reason=row.leaving_reason,
        )
        loaded.enrolments[key] = enrolment
        return wrote

    def remove_absent(self, as_of: datetime.date) -> None:
        """End, from `as_of`, every enrolment current on that date at a school in the file
        whose child none of that school's rows named. A school with a rejected or reviewed
        row is left alone, and so is every school if a rejected row has no known school."""
        if self.unplaced_rows:
            self.report.warnings.append(
                f"no pupil was taken off any roll: {self.unplaced_rows} rejected row(s) have no "
                "known school and could be on any roll. Fix them and import the file again."
            )
            return
        for school_id, present in self.present.items():
            if school_id in self.doubtful_schools:
                continue
            on_roll = (
                Enrolment.objects.filter(
                    school_id=school_id, end_date__isnull=True, start_date__lte=as_of
                )
                .select_related("school")
                .order_by("pk")
            )
            # Filtered here rather than in SQL: a big school's roll would exceed the number
            # of parameters a query may carry.
            for enrolment in on_roll.iterator():
                if enrolment.child_id in present:
                    continue
                services.end_enrolment(
                    actor=self.actor,
                    enrolment=enrolment,
                    end_date=as_of,
                    reason=f"not on the full roll of {as_of:%d/%m/%Y} in {self.checked.name}",
                )
                self.report.updated += 1
        for school in School.objects.filter(pk__in=self.doubtful_schools).order_by("laestab"):
            self.report.warnings.append(
                f"no pupil was taken off the roll of {school.laestab}: some of its rows were "
                "rejected or sent to review. Resolve them and import the file again."
            )


def _match_details(row: _PupilRow) -> dict[str, str]:
    """A row in the identity-matching engine's column names."""
    return {
        "forename": row.forename,
        "middle_names": row.middle_names,
        "surname": row.surname,
        "former_surname": ";".join(row.former_surnames),
        "dob": row.date_of_birth.isoformat() if row.date_of_birth else "",
        "sex": row.sex if row.sex in {"M", "F"} else "",
        "postcode": row.postcode,
        "address": row.address,
        "upn": row.upn,
        "nhs_number": row.nhs_number,
    }


def _recognise(row: _PupilRow, known: KnownChildren) -> Recognition:
    return find_existing_child(
        upn=row.upn,
        forename=row.forename,
        surname=row.surname,
        date_of_birth=row.date_of_birth,
        known=known,
    )


def _dates_to_look_up(rows: Iterable[_PupilRow]) -> set[datetime.date]:
    dates: set[datetime.date] = set()
    for row in rows:
        if row.date_of_birth is not None:
            dates.add(row.date_of_birth)
            if (swapped := _swapped(row.date_of_birth)) is not None:
                dates.add(swapped)
    return dates


_STATUS_PREFERENCE: Final = {
    SchoolStatus.OPEN: 3,
    SchoolStatus.PROPOSED_TO_CLOSE: 2,
    SchoolStatus.PROPOSED_TO_OPEN: 1,
    SchoolStatus.CLOSED: 0,
}


def _school_preference(school: School) -> tuple[int, int, str]:
    """Which of the schools sharing a LAESTAB a pupil row means: the open one, then one
    proposed to close, proposed to open, closed; among equals the newest (highest) URN."""
    return _STATUS_PREFERENCE.get(SchoolStatus(school.status), 0), len(school.urn), school.urn


def _new_child(row: _PupilRow) -> dict[str, Any]:
    return {
        "forename": row.forename,
        "middle_names": row.middle_names,
        "surname": row.surname,
        "former_surnames": ";".join(row.former_surnames),
        "date_of_birth": row.date_of_birth,
        "sex": row.sex or Sex.UNKNOWN,
        "upn": row.upn,
        "nhs_number": row.nhs_number,
    }


def _child_updates(row: _PupilRow, child: Child, *, by_former_upn: bool) -> dict[str, Any]:
    """The file's non-blank values for an existing child. Blank never erases what is stored,
    `U` never replaces a known sex, and former surnames are added to, never replaced."""
    updates: dict[str, Any] = {
        name: value
        for name, value in (
            ("forename", row.forename),
            ("middle_names", row.middle_names),
            ("surname", row.surname),
            ("date_of_birth", row.date_of_birth),
            ("nhs_number", row.nhs_number),
        )
        if value
    }
    if row.sex and row.sex != Sex.UNKNOWN:
        updates["sex"] = row.sex
    # A row found by the child's former UPN must not turn the former UPN back into the UPN.
    if row.upn and not child.upn and not by_former_upn:
        updates["upn"] = row.upn
    stored = child.former_surname_list
    seen = {name_key(name) for name in stored}
    added = [name for name in row.former_surnames if name_key(name) not in seen]
    merged = ";".join([*stored, *added])
    if added and len(merged) <= _max_length(Child, "former_surnames"):
        updates["former_surnames"] = merged
    return updates


def import_pupils_file(
    *,
    path: str | PathLike[str],
    actor: User | None = None,
    full_roll: bool = False,
    as_of: datetime.date | None = None,
    progress: Progress | None = None,
    recogniser: Recogniser | None = None,
) -> ImportReport:
    """Import a pupil roll file: recognise or create each child, record their address and
    enrolment. `recogniser` (the identity-matching engine) is asked about each row without a
    valid UPN. With `full_roll`, the file is each listed school's whole roll on `as_of`, and
    pupils on those rolls but absent from the file are taken off them from `as_of`.

    Raises `ImportRefused` for a file-level fault, and ValueError if `full_roll` and `as_of`
    are not given together.
    """
    if full_roll != (as_of is not None):
        msg = "full_roll and as_of go together: a full roll is the roll on a given date"
        raise ValueError(msg)
    started_at = timezone.now()
    checked = _check_file(Path(path), _PUPILS)
    report = ImportReport()
    report.messages.extend(checked.ignored)
    run = _PupilImport(
        checked=checked, actor=actor, report=report, as_of=as_of, recogniser=recogniser
    )
    done = 0
    with transaction.atomic():
        for batch in _batches(_data_rows(checked), BATCH_SIZE):
            run.import_batch(batch)
            done += len(batch)
            _tell(progress, done, checked.rows)
        if as_of is not None:
            run.remove_absent(as_of)
        _record_run(
            checked=checked,
            spec=_PUPILS,
            actor=actor,
            started_at=started_at,
            report=report,
            options={"full_roll": full_roll, "as_of": as_of} if full_roll else {},
            review_rows=run.review_rows,
        )
    _tell(progress, done, checked.rows)
    return report
