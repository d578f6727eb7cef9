"""Importing school registers: session marks from CSV (`import_attendance`).

Owns the `import_attendance` contract of docs/interfaces.md on top of the importer contract
shared with the pupil register (cme.pupils.importers: the file checks, `line L, column C`
messages, the counts line, the `ImportRun` with its `FILE_IMPORTED` audit event): which rows
are rejected (a code not in the set in force on the mark's date, an impossible date, a
pupil not on that school's roll on that date), how marks are merged into the packed
pupil-years (a changed mark replaces the old one and is audited; the same mark again
changes nothing), and, once the marks are in, the rules re-evaluated for every pupil-year the
file changed (cme.attendance.services).

A year of an authority's marks is ~9.5 million rows, so nothing here runs per row in Python:
a plain file (no quoting, no lone carriage returns: what MIS exports and our generator
write) is parsed by polars into dictionary-encoded columns, each distinct value is checked
once, and rows are resolved and merged with array operations (a few passes over each
column). Any other file is read row by row with the csv module into the same columns
(slower, same answers). Messages never quote a child's identifiers.
"""

from __future__ import annotations

import concurrent.futures
import csv
import dataclasses
import datetime
import hashlib
import mmap
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cme.accounts.models import User
from cme.lib.postgres_copy import array_literal
from cme.linkage.bulk import collector_paused
from cme.pupils.importers import (
    ImportRefused,
    ImportReport,
    Progress,
    RowMessage,
    _BadDateError,
    _check_bytes,
    _check_records,
    _CheckedFile,
    _data_rows,
    _FileSpec,
    _is_blank,
    _open_text,
    _parse_date,
    _read_header,
    _record_run,
    _Records,
    _refuse_other_formats,
    survivors_of,
)
from cme.pupils.models import Child, Enrolment, ImportRun, School
from cme.standards.attendance_codes import CODE_SET_2024_START, lookup_attendance_code
from cme.standards.upn import UPN_CENSUS_MESSAGES, check_upn, normalise_upn

from . import services
from .marks import (
    NO_MARK,
    SESSION_NAMES,
    Kind,
    code_of_symbol,
    kinds_at,
    school_year_of,
    sessions_in_year,
    year_start,
)
from .marks import day_index as day_of_year
from .marks import symbol_of_code as packed_symbol

ATTENDANCE_COLUMNS: Final = ("upn", "laestab", "date", "session", "code")

_ATTENDANCE: Final = _FileSpec(
    kind=ImportRun.Kind.ATTENDANCE,
    command="import_attendance",
    label="attendance",
    required=ATTENDANCE_COLUMNS,
)

# Every pupil-year row of the working matrix is this long: the longest school year.
_WIDTH: Final = 2 * 366
_DOT: Final = ord(NO_MARK)
_BOM: Final = b"\xef\xbb\xbf"
_UPN_FORMAT_MESSAGE: Final = (
    "UPN invalid (not 13 characters: a letter, 11 digits, then a digit or a letter)"
)
_PRE_2024_DAY: Final = CODE_SET_2024_START - datetime.timedelta(days=1)
_CODES_2024: Final = "the 2024 codes, in force from 19 Aug 2024"
_CODES_BEFORE: Final = "the codes in force before 19 Aug 2024"


# --- Reading the file into dictionary-encoded columns ---------------------------------------


@dataclass
class _Column:
    """One column: each row's index into `values`, the column's distinct values (every one
    of them some row's)."""

    codes: npt.NDArray[np.int32]
    values: list[str]


@dataclass
class _Table:
    """The data rows of a file, column by column. `lines[i]` is the line row i starts on;
    None when row i is on line i + 2 (every row one line after the header, blank lines
    kept as blank rows)."""

    rows: int
    columns: dict[str, int]
    data: dict[str, _Column]
    lines: npt.NDArray[np.int64] | None = None
    notes: list[RowMessage] = field(default_factory=list)

    def line(self, row: int) -> int:
        return int(self.lines[row]) if self.lines is not None else row + 2

    def position(self, column: str) -> int:
        return self.columns[column] + 1


def _check_attendance_file(path: Path) -> tuple[_CheckedFile, int | None]:
    """The importer contract's file checks, and the header's width if the file is plain
    (see the module docstring; None if not). A plain file is checked with whole-file scans;
    any other by the pupil register's checks, which also count its records."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        msg = f"cannot read {path}: {error.strerror}. Check the file name and its permissions."
        raise ImportRefused(msg) from error
    limit = int(settings.ATTENDANCE_IMPORT_MAX_BYTES)
    if size > limit:
        msg = (
            f"{name} is {size:,} bytes, larger than the limit of {limit:,} bytes (setting "
            "CME_ATTENDANCE_IMPORT_MAX_BYTES). Split the file, or ask an administrator to "
            "raise the limit."
        )
        raise ImportRefused(msg)
    if size == 0:
        msg = f"{name} is empty. Export it again with its header line and rows."
        raise ImportRefused(msg)
    if not _is_plain(path, name):
        return _checked_as_records(path, size=size), None
    columns, ignored, width = _check_header(path)
    checked = _CheckedFile(
        path=path, name=name, size=size, sha256="", rows=0, columns=columns, ignored=ignored
    )
    return checked, width


def _is_plain(path: Path, name: str) -> bool:
    """Whether the file is ASCII with no quoting and no lone carriage returns (so each row
    is one line and polars reads it as the csv module would). Refuses binary content."""
    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        ):
            _refuse_other_formats(mm[:16], name)
            if (nul := mm.find(b"\x00")) >= 0:
                line = mm[:nul].count(b"\n") + 1
                msg = (
                    f"{name} is not a CSV file: it contains binary data (a NUL byte on line "
                    f"{line}). Export it from the source system as CSV."
                )
                raise ImportRefused(msg)
            start = len(_BOM) if mm[: len(_BOM)] == _BOM else 0
            whole = (len(mm) - start) // 8 * 8
            words = np.frombuffer(mm, dtype=np.uint64, count=whole // 8, offset=start)
            high_bits = int(np.bitwise_or.reduce(words, initial=0)) & 0x8080808080808080
            tail = mm[start + whole :]
            del words  # release the buffer before the map closes
            ascii_only = not high_bits and tail.isascii()
            lone_carriage_returns = mm.find(b"\r") >= 0 and mm.find(b"\r\n") < 0
            return ascii_only and mm.find(b'"') < 0 and not lone_carriage_returns
    except OSError as error:
        msg = f"cannot read {path}: {error.strerror}. Check the file name and its permissions."
        raise ImportRefused(msg) from error


def _sha256(path: Path) -> str:
    # Read in chunks, not mapped: a mapped 360 MB file would count in the process's memory.
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _checked_as_records(path: Path, *, size: int) -> _CheckedFile:
    sha256 = _check_bytes(path, path.name)
    rows, columns, ignored = _check_records(path, _ATTENDANCE)
    return _CheckedFile(
        path=path, name=path.name, size=size, sha256=sha256, rows=rows, columns=columns,
        ignored=ignored,
    )  # fmt: skip


def _check_header(path: Path) -> tuple[dict[str, int], tuple[RowMessage, ...], int]:
    with _open_text(path) as handle:
        try:
            header = next(iter(_Records(handle)), (1, []))[1]
        except csv.Error as error:
            msg = (
                f"{path.name} is not a readable CSV file: line 1: {error}. Check the quoting "
                "on that line, or export the file again."
            )
            raise ImportRefused(msg) from error
    if _is_blank(header):
        msg = f"{path.name} is empty: it has no header line. Export it again with its rows."
        raise ImportRefused(msg)
    columns = _read_header(header, _ATTENDANCE, path.name)
    ignored = tuple(
        RowMessage(
            1,
            position + 1,
            f"unknown column '{column.strip()}' ignored"
            if column.strip()
            else "column with no name ignored",
        )
        for position, column in enumerate(header)
        if column.strip() not in ATTENDANCE_COLUMNS
    )
    return columns, ignored, len(header)


def _read_file(
    path: Path, pool: concurrent.futures.Executor
) -> tuple[_CheckedFile, _Table, concurrent.futures.Future[str] | None]:
    """The file checked and read into columns: by polars if plain, else by the csv module;
    also when polars cannot read it, so that the csv module's checks say what is wrong. A
    plain file's SHA-256 is computed in `pool` afterwards (the future returned), while the
    rows are checked and merged on one core: polars reads with both."""
    checked, width = _check_attendance_file(path)
    if width is not None:
        table = _read_plain(checked, width)
        if table is not None:
            return dataclasses.replace(checked, rows=table.rows), table, pool.submit(_sha256, path)
        checked = _checked_as_records(path, size=checked.size)
    return checked, _read_records(checked), None


def _read_plain(checked: _CheckedFile, width: int) -> _Table | None:
    """The rows of a plain file, parsed by polars; None if polars cannot (it also refuses
    bytes that are not UTF-8)."""
    positions = [checked.columns[column] for column in ATTENDANCE_COLUMNS]
    # Each column numbers its values in categories of its own, made for this file: the
    # numbers are then dense and every value is one the column has (with polars' global
    # categories they were shared by every column of every file the process had read, so
    # finding a column's own values took a pass over its rows, and the mapping only grew).
    categories = [pl.Categories.random() for _ in range(width)]
    try:
        frame = pl.read_csv(
            checked.path,
            has_header=True,
            columns=positions,
            schema_overrides=[pl.Categorical(own) for own in categories],
            quote_char=None,
            encoding="utf8",
        )
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None
    data = {
        column: _dictionary(frame.to_series(index), categories[checked.columns[column]])
        for index, column in enumerate(ATTENDANCE_COLUMNS)
    }
    return _Table(rows=frame.height, columns=dict(checked.columns), data=data)


def _dictionary(series: pl.Series, categories: pl.Categories) -> _Column:
    """A categorical column as it comes, numbered in its own `categories` (missing values
    read as "")."""
    if series.null_count():
        series = series.cast(pl.String).fill_null("").cast(pl.Categorical(categories))
    physical = series.to_physical().to_numpy().view(np.int32)
    values = categories.to_series().to_list()
    return _Column(codes=physical, values=[value or "" for value in values])


def _read_records(checked: _CheckedFile) -> _Table:
    """Any CSV file the contract accepts, row by row (quoting, blank lines, characters
    beyond ASCII)."""
    index: dict[str, dict[str, int]] = {column: {} for column in ATTENDANCE_COLUMNS}
    codes: dict[str, list[int]] = {column: [] for column in ATTENDANCE_COLUMNS}
    lines: list[int] = []
    notes: list[RowMessage] = []
    for row in _data_rows(checked):
        lines.append(row.line)
        notes.extend(row.notes)
        for column in ATTENDANCE_COLUMNS:
            values = index[column]
            codes[column].append(values.setdefault(row.get(column), len(values)))
    data = {
        column: _Column(
            codes=np.asarray(codes[column], dtype=np.int32),
            values=list(index[column]),
        )
        for column in ATTENDANCE_COLUMNS
    }
    return _Table(
        rows=len(lines),
        columns=dict(checked.columns),
        data=data,
        lines=np.asarray(lines, dtype=np.int64),
        notes=notes,
    )


# --- Checking each distinct value ------------------------------------------------------------


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def _normal_upn(value: str) -> str:
    """`normalise_upn`, skipped for a value already in its form (as a file's nearly all are:
    ASCII letters and digits, upper case)."""
    if value.isascii() and value.isalnum() and (value.isupper() or value.isdigit()):
        return value
    return normalise_upn(value)


def _children_by_upn(upns: set[str]) -> dict[str, int]:
    """The child each UPN belongs to (else the one child with it as a former UPN); a merged
    record leads to its survivor."""
    found: dict[str, int] = {}
    merged: dict[str, int] = {}
    for child_id, upn, merged_into in _children_with_upns(sorted(upns)):
        (merged if merged_into is not None else found)[upn] = child_id
    survivors = survivors_of(list(merged.values()))
    for upn, child_id in merged.items():
        if child_id in survivors:
            found.setdefault(upn, survivors[child_id])
    missing = sorted(upns - set(found))
    former: dict[str, set[int]] = defaultdict(set)
    for start in range(0, len(missing), 5_000):
        for child_id, former_upn in Child.objects.filter(
            former_upn__in=missing[start : start + 5_000], merged_into__isnull=True
        ).values_list("id", "former_upn"):
            former[former_upn].add(child_id)
    for upn, ids in former.items():
        if len(ids) == 1:
            found[upn] = next(iter(ids))
    return found


def _children_with_upns(upns: list[str]) -> list[tuple[Any, ...]]:
    """(id, upn, merged_into_id) of the children with these UPNs. On PostgreSQL, many UPNs
    are joined as a set: given as `upn = ANY(...)`, the planner estimates each one of an
    authority's 25,000 in turn, which took longer than the query."""
    query = Child.objects.values_list("id", "upn", "merged_into_id")
    if connection.vendor != "postgresql" or len(upns) < services.MANY_PUPILS:
        return _rows_for(query, "upn", upns)
    table = Child._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, upn, merged_into_id FROM {table} "  # noqa: S608 - names from the model
            "WHERE upn IN (SELECT unnest(%s::text[]))",
            [array_literal(upns)],
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _upn_reason(value: str) -> tuple[str, str]:
    """(the normalised UPN, "") or ("", why the row is rejected)."""
    if not _clean(value):
        return "", "upn is missing; row rejected"
    result = check_upn(value)
    if result.is_valid:
        return result.normalised, ""
    message = (
        UPN_CENSUS_MESSAGES.get(result.error, _UPN_FORMAT_MESSAGE)
        if result.error is not None
        else _UPN_FORMAT_MESSAGE
    )
    return "", f"{message}; row rejected"


def _laestab_reason(value: str, schools: dict[str, list[int]]) -> str:
    if not value:
        return "laestab is missing; row rejected"
    if not (len(value) == 7 and value.isascii() and value.isdigit()):
        return "laestab must be 7 digits (LA code and establishment number); row rejected"
    if value not in schools:
        return f"no school on the register has LAESTAB {value}; row rejected"
    return ""


def _date_reason(value: str, today: datetime.date) -> tuple[datetime.date | None, str]:
    try:
        parsed = _parse_date(_clean(value))
    except _BadDateError as error:
        return None, f"date {error}; row rejected"
    if parsed is None:
        return None, "date is missing; row rejected"
    if parsed > today:
        return None, "date is after today: no mark can be taken yet; row rejected"
    return parsed, ""


def _session_reason(value: str) -> str:
    if value in SESSION_NAMES:
        return ""
    return (
        "session is missing; row rejected"
        if not value
        else "session must be AM or PM; row rejected"
    )


def _code_symbol(code: str, on: datetime.date) -> int:
    """The packed character (as a byte) of `code` on a date of its code set; 0 if unknown."""
    if not code or lookup_attendance_code(code, on) is None:
        return 0
    return ord(packed_symbol(code))


# Rows with a bad date or session get a session position below zero: one test rejects them.
_BAD_POSITION: Final = -(1 << 20)


@dataclass
class _Values:
    """What each distinct value of each column is, as lookup tables indexed by the value's code
    in its column, and why a value rejects its rows ("" if it does not)."""

    children: list[int]  # the distinct children the file's UPNs lead to
    child: npt.NDArray[np.int32]  # per upn value: index into `children`, -1 if rejected
    laestab: list[str]  # per laestab value, cleaned
    laestab_bad: npt.NDArray[np.bool_]
    date: list[datetime.date | None]
    first_session: npt.NDArray[np.int32]  # per date value: 2 x its day of the school year
    year: npt.NDArray[np.int32]  # per date value: its school year
    ordinal: npt.NDArray[np.int64]
    set_2024: npt.NDArray[np.bool_]
    session: npt.NDArray[np.int32]  # per session value: 0 AM, 1 PM
    code: list[str]  # per code value, cleaned and upper-cased
    symbol_pre: npt.NDArray[np.uint8]  # per code value: its packed mark before 19 Aug 2024
    symbol_2024: npt.NDArray[np.uint8]  # and from then; 0 if not a code of that set
    reasons: dict[str, dict[int, str]]  # per column, per rejecting value: why


def _check_values(table: _Table, today: datetime.date) -> _Values:
    """Each distinct value of each column checked once, with the reason it rejects a row."""
    data = table.data
    reasons: dict[str, dict[int, str]] = {column: {} for column in ATTENDANCE_COLUMNS}

    # A UPN on the register was checked when it was entered: only the others are checked
    # here, to say what is wrong with them.
    upn_column = data["upn"]
    upns = {index: _normal_upn(value) for index, value in enumerate(upn_column.values)}
    found = _children_by_upn({upn for upn in upns.values() if upn})
    children = sorted(set(found.values()))
    dense = {child: position for position, child in enumerate(children)}
    child = np.full(len(upn_column.values), -1, dtype=np.int32)
    for index, upn in upns.items():
        if upn in found:
            child[index] = dense[found[upn]]
        else:
            reason = _upn_reason(upn_column.values[index])[1]
            reasons["upn"][index] = reason or "no child on the register has this UPN; row rejected"

    laestab_column = data["laestab"]
    laestabs = [_clean(value) for value in laestab_column.values]
    schools: dict[str, list[int]] = defaultdict(list)
    for school_id, laestab in School.objects.filter(laestab__in=set(laestabs)).values_list(
        "id", "laestab"
    ):
        schools[laestab].append(school_id)
    laestab_bad = np.zeros(len(laestabs), dtype=np.bool_)
    for index, laestab in enumerate(laestabs):
        if reason := _laestab_reason(laestab, schools):
            reasons["laestab"][index] = reason
            laestab_bad[index] = True

    dates, first_session, year, ordinal = _check_dates(data["date"], today, reasons["date"])

    session_column = data["session"]
    session = np.full(len(session_column.values), _BAD_POSITION, dtype=np.int32)
    for index, value in enumerate(session_column.values):
        name = _clean(value).upper()
        if name in SESSION_NAMES:
            session[index] = SESSION_NAMES.index(name)
        else:
            reasons["session"][index] = _session_reason(name)

    code_column = data["code"]
    codes = [""] * len(code_column.values)
    symbol_pre = np.zeros(len(codes), dtype=np.uint8)
    symbol_2024 = np.zeros(len(codes), dtype=np.uint8)
    for index, value in enumerate(code_column.values):
        code = _clean(value)
        codes[index] = code.upper() if code.isascii() else code
        symbol_pre[index] = _code_symbol(codes[index], _PRE_2024_DAY)
        symbol_2024[index] = _code_symbol(codes[index], CODE_SET_2024_START)
    return _Values(
        children=children,
        child=child,
        laestab=laestabs,
        laestab_bad=laestab_bad,
        date=dates,
        first_session=first_session,
        year=year,
        ordinal=ordinal,
        set_2024=np.array(
            [day is not None and day >= CODE_SET_2024_START for day in dates], dtype=np.bool_
        ),
        session=session,
        code=codes,
        symbol_pre=symbol_pre,
        symbol_2024=symbol_2024,
        reasons=reasons,
    )


def _check_dates(
    column: _Column, today: datetime.date, reasons: dict[int, str]
) -> tuple[
    list[datetime.date | None],
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.int64],
]:
    """Each distinct date: the date (None if rejected, with the reason), where its morning sits
    in its school year's marks, its school year and its ordinal."""
    dates: list[datetime.date | None] = [None] * len(column.values)
    first_session = np.full(len(dates), _BAD_POSITION, dtype=np.int32)
    year = np.zeros(len(dates), dtype=np.int32)
    ordinal = np.zeros(len(dates), dtype=np.int64)
    for index, value in enumerate(column.values):
        day, reason = _date_reason(value, today)
        if day is None:
            reasons[index] = reason
            continue
        dates[index] = day
        year[index] = school_year_of(day)
        first_session[index] = 2 * day_of_year(day, school_year_of(day))
        ordinal[index] = day.toordinal()
    return dates, first_session, year, ordinal


def _code_reason(code: str, on: datetime.date | None) -> str:
    if not code:
        return "code is missing (- means no mark yet); row rejected"
    shown = code if len(code) <= 12 else f"{code[:12]}..."
    if on is None:
        return f"'{shown}' is not a national attendance code; row rejected"
    which = _CODES_2024 if on >= CODE_SET_2024_START else _CODES_BEFORE
    return f"'{shown}' is not a national attendance code for that date ({which}); row rejected"


# --- Rows ------------------------------------------------------------------------------------


@dataclass
class _Rows:
    """Rows still being imported: their numbers in the table (None: every row, in order),
    each row's child (index into `_Values.children`), LAESTAB and date (codes in their
    columns), place in its year's packed marks and packed mark."""

    number: npt.NDArray[np.int64] | None
    child: npt.NDArray[np.int32]
    laestab: npt.NDArray[np.int32]
    date: npt.NDArray[np.int32]
    position: npt.NDArray[np.int32]
    symbol: npt.NDArray[np.uint8]

    def __len__(self) -> int:
        return int(self.child.size)

    def row(self, index: int) -> int:
        return index if self.number is None else int(self.number[index])

    def keeping(self, keep: npt.NDArray[np.bool_]) -> _Rows:
        kept = np.flatnonzero(keep)
        return _Rows(
            number=kept if self.number is None else self.number[kept],
            child=self.child[kept],
            laestab=self.laestab[kept],
            date=self.date[kept],
            position=self.position[kept],
            symbol=self.symbol[kept],
        )


@dataclass
class _Messages:
    """Row findings, kept as (row, order, column, reason) and sorted by line at the end."""

    table: _Table
    found: list[tuple[int, int, int | None, str]] = field(default_factory=list)

    def add(self, row: int, column: str | None, reason: str) -> None:
        order = ATTENDANCE_COLUMNS.index(column) if column is not None else len(ATTENDANCE_COLUMNS)
        position = self.table.position(column) if column is not None else None
        self.found.append((row, order, position, reason))

    def sorted(self) -> list[RowMessage]:
        return [
            RowMessage(self.table.line(row), column, reason)
            for row, _order, column, reason in sorted(self.found, key=lambda item: item[:2])
        ]


def _accepted(table: _Table, values: _Values, messages: _Messages, report: ImportReport) -> _Rows:
    """The rows whose every value is usable, resolved to what the merge needs; a message for
    each bad value of the others. Rows whose every value is blank are skipped (not counted).
    A handful of passes over the rows: each column's codes through its lookup table."""
    data = table.data
    date = data["date"].codes
    code = data["code"].codes
    child = values.child[data["upn"].codes]
    position = values.first_session[date]
    position += values.session[data["session"].codes]
    if values.set_2024.all():
        symbol = values.symbol_2024[code]
    elif not values.set_2024.any():
        symbol = values.symbol_pre[code]
    else:
        symbol = np.where(values.set_2024[date], values.symbol_2024[code], values.symbol_pre[code])
    rows = _Rows(
        number=None,
        child=child,
        laestab=data["laestab"].codes,
        date=date,
        position=position,
        symbol=symbol,
    )
    if not _any_bad_value(data, values):
        return rows  # every value every row has is good: no row to look at
    rejected = (child < 0) | (position < 0) | (symbol == 0)
    if values.reasons["laestab"]:
        rejected |= values.laestab_bad[data["laestab"].codes]
    if not rejected.any():
        return rows
    blank = _blank_rows(table)
    for row in np.flatnonzero(rejected & ~blank).tolist():
        for column in ATTENDANCE_COLUMNS:
            value = int(data[column].codes[row])
            if column == "code":
                day = values.date[int(date[row])]
                unknown = values.symbol_pre[value] == 0 and values.symbol_2024[value] == 0
                if symbol[row] == 0 and (day is not None or unknown):
                    messages.add(row, column, _code_reason(values.code[value], day))
            elif value in values.reasons[column]:
                messages.add(row, column, values.reasons[column][value])
    report.rejected += int((rejected & ~blank).sum())
    return rows.keeping(~rejected)


def _any_bad_value(data: dict[str, _Column], values: _Values) -> bool:
    """Whether any value some row has rejects it: a column's value, or a code that is not
    one in the code set of a date the file has."""
    if any(values.reasons.values()):
        return True
    codes = range(len(data["code"].values))
    dated = [day for day in values.date if day is not None]
    for symbols, in_set in (
        (values.symbol_2024, any(day >= CODE_SET_2024_START for day in dated)),
        (values.symbol_pre, any(day < CODE_SET_2024_START for day in dated)),
    ):
        if in_set and any(symbols[code] == 0 for code in codes):
            return True
    return False


def _blank_rows(table: _Table) -> npt.NDArray[np.bool_]:
    """Rows whose every value is blank."""
    blank = np.ones(table.rows, dtype=np.bool_)
    for column in ATTENDANCE_COLUMNS:
        values = table.data[column].values
        is_blank = np.array([not value.strip() for value in values], dtype=np.bool_)
        blank &= is_blank[table.data[column].codes]
    return blank


# --- Whose roll, which pupil-year -----------------------------------------------------------


class _Enrolment(NamedTuple):
    school_id: int
    start: int  # proleptic ordinals, for array comparisons
    end: int
    school_open: bool


_NO_END: Final = datetime.date.max.toordinal()


@dataclass
class _EnrolmentTable:
    """The enrolments of a file's pupils at its schools, column by column."""

    child: npt.NDArray[np.int64]  # child ids
    laestab: list[str]
    school: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]  # proleptic ordinals
    end: npt.NDArray[np.int64]
    school_open: npt.NDArray[np.bool_]

    def span(self, row: int) -> _Enrolment:
        return _Enrolment(
            int(self.school[row]),
            int(self.start[row]),
            int(self.end[row]),
            bool(self.school_open[row]),
        )


def _enrolments(child_ids: Sequence[int], laestabs: Sequence[str]) -> _EnrolmentTable:
    wanted_children = set(child_ids)
    schools = {
        school_id: (laestab, status != "closed")
        for school_id, laestab, status in School.objects.filter(
            laestab__in=set(laestabs)
        ).values_list("id", "laestab", "status")
    }
    query = Enrolment.objects.values_list("child_id", "school_id", "start_date", "end_date")
    if len(wanted_children) >= services.MANY_PUPILS:  # cheaper than passing every child's id
        rows = _rows_for(query, "school_id", sorted(schools))
    else:
        rows = _rows_for(query, "child_id", sorted(wanted_children))
    kept = [row for row in rows if row[1] in schools and row[0] in wanted_children]
    children, school_ids, starts, ends = zip(*kept, strict=True) if kept else ((), (), (), ())
    return _EnrolmentTable(
        child=np.array(children, dtype=np.int64),
        laestab=[schools[school_id][0] for school_id in school_ids],
        school=np.array(school_ids, dtype=np.int64),
        start=np.array([day.toordinal() for day in starts], dtype=np.int64),
        end=np.array(
            [day.toordinal() if day is not None else _NO_END for day in ends], dtype=np.int64
        ),
        school_open=np.array([schools[school_id][1] for school_id in school_ids], np.bool_),
    )


def _rows_for(
    query: QuerySet[Any, Any], field_name: str, values: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """The rows of a values_list query whose `field_name` is one of `values`: on PostgreSQL
    one statement with the values as an array (a pupil's year can name 25,000 children),
    elsewhere in chunks."""
    return services.rows_matching(query, field_name, values)


def _densely(
    values: npt.NDArray[np.int32] | npt.NDArray[np.int64], size: int
) -> tuple[npt.NDArray[np.int32] | npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Number the distinct values (each in [0, size)) densely, in value order, without sorting
    the rows: each value's number, and the distinct values."""
    present = np.zeros(size, dtype=np.bool_)
    present[values] = True
    if present.all():
        return values, np.arange(size, dtype=np.int64)
    # 32-bit numbers (there are far fewer than 2**31 pupil-years): the merge's arithmetic
    # over them is then 32-bit too, half the memory traffic over a year's rows.
    numbering = np.cumsum(present, dtype=np.int32)
    numbering -= 1
    numbered: npt.NDArray[np.int32] = numbering[values]
    return numbered, np.flatnonzero(present)


@dataclass
class _Marks:
    """The rows to merge, with each row's pupil-year (`key`) and the pupil-years' children,
    schools and school years."""

    rows: _Rows
    key: npt.NDArray[np.int32] | npt.NDArray[np.int64]
    key_child: list[int]
    key_school: list[int]
    key_year: list[int]
    keys: list[tuple[int, int, int]] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = list(zip(self.key_child, self.key_school, self.key_year, strict=True))


class _Resolver:
    """Finds each accepted row's pupil-year: the school whose roll the pupil is on that date
    (rejecting the row if none) and the school year of the date. Array passes over the rows;
    loops only over pupils, and over the rows of a pupil with several enrolments at schools
    of one LAESTAB (an academy conversion, leaving and coming back)."""

    def __init__(self, values: _Values, messages: _Messages, report: ImportReport) -> None:
        self.values = values
        self.messages = messages
        self.report = report
        self.extra_schools: list[int] = []
        valid = np.array([day is not None for day in values.date], dtype=np.bool_)
        self.dates_used = np.flatnonzero(valid)
        self.on_roll_from: dict[tuple[int, int, int], datetime.date] = {}

    def resolve(self, rows: _Rows) -> _Marks:
        values = self.values
        children, laestabs = len(values.children), len(values.laestab)
        # Pairs of (child, LAESTAB): one per child for the one school a file usually gives.
        first = np.full(children, -1, dtype=np.int32)
        first[rows.child] = rows.laestab
        pair = rows.child.copy()
        others = np.flatnonzero(first[rows.child] != rows.laestab)
        pair_child = list(range(children))
        pair_laestab = first.tolist()
        if others.size:
            combined = pair[others].astype(np.int64) * laestabs + rows.laestab[others]
            extra, inverse = np.unique(combined, return_inverse=True)
            pair[others] = children + inverse.reshape(-1)
            pair_child += (extra // laestabs).tolist()
            pair_laestab += (extra % laestabs).tolist()
        table = _enrolments(
            [values.children[child] for child in pair_child],
            sorted({values.laestab[index] for index in pair_laestab if index >= 0}),
        )
        count = len(pair_child)
        school, low, high, spans_of = self._single_enrolments(table, pair_child, pair_laestab)
        covered = self._covered(rows, pair, count, low, high) & (school >= 0)
        on_roll = np.ones(len(rows), dtype=np.bool_)
        if not covered.all():
            # Pupils on the roll for part of the file's dates (joiners, leavers), or with
            # several enrolments: by date, for their rows only.
            check = np.flatnonzero(~covered[pair])
            ordinal = values.ordinal[rows.date[check]]
            held = pair[check]
            on_roll[check] = (ordinal >= low[held]) & (ordinal <= high[held])
            several = np.zeros(count, dtype=np.bool_)
            several[list(spans_of)] = True
            if several.any():
                self._several_enrolments(
                    rows=rows, pair=pair, several=several, spans_of=spans_of,
                    on_roll=on_roll, pair_child=pair_child,
                )  # fmt: skip
            self._report_off_roll(rows, on_roll)
        if not on_roll.all():
            rows = rows.keeping(on_roll)
            pair = pair[on_roll]
        pair_school = school.tolist() + self.extra_schools
        marks = self._pupil_years(rows, pair, pair_child, pair_school)
        self._starts(marks, table)
        return marks

    def _single_enrolments(
        self, table: _EnrolmentTable, pair_child: list[int], pair_laestab: list[int]
    ) -> tuple[
        npt.NDArray[np.int64],
        npt.NDArray[np.int64],
        npt.NDArray[np.int64],
        dict[int, list[_Enrolment]],
    ]:
        """For each pair of (child, LAESTAB): the school and the first and last days of its
        one enrolment there (school -1 if it has none or several), and the enrolments of
        the pairs with several. Array passes: a whole authority's file has 25,000 pairs."""
        values = self.values
        if table.child.size == 0:
            nothing = np.full(len(pair_child), -1, dtype=np.int64)
            return nothing, np.zeros(len(pair_child), dtype=np.int64), nothing.copy(), {}
        names = sorted({values.laestab[index] for index in pair_laestab if index >= 0})
        number = {name: position for position, name in enumerate(names)}
        # Each pair's and each enrolment's (child, LAESTAB) as one number (-1: no LAESTAB).
        of_code = np.full(len(values.laestab) + 1, -1, dtype=np.int64)  # code -1: the last
        for code in {index for index in pair_laestab if index >= 0}:
            of_code[code] = number[values.laestab[code]]
        pair_name = of_code[np.array(pair_laestab, dtype=np.int64)]
        pair_key = np.where(
            pair_name >= 0, np.array(pair_child, dtype=np.int64) * len(names) + pair_name, -1
        )
        children = np.array(values.children, dtype=np.int64)
        dense = np.searchsorted(children, table.child)
        enrolment_key = dense * len(names) + np.array(
            [number[name] for name in table.laestab], dtype=np.int64
        )
        keys, pair_group = np.unique(pair_key, return_inverse=True)
        group = np.searchsorted(keys, enrolment_key)
        matched = group < keys.size
        matched[matched] = keys[group[matched]] == enrolment_key[matched]
        held = np.bincount(group[matched], minlength=keys.size)[pair_group]
        row_of = np.zeros(keys.size, dtype=np.int64)
        row_of[group[matched]] = np.flatnonzero(matched)
        single = held == 1
        rows = row_of[pair_group]
        school = np.where(single, table.school[rows], -1)
        low = np.where(single, table.start[rows], 0)
        high = np.where(single, table.end[rows], -1)
        spans_of: dict[int, list[_Enrolment]] = {}
        several_groups = {int(group) for group in pair_group[held > 1].tolist()}
        if several_groups:
            spans_by_group: dict[int, list[_Enrolment]] = defaultdict(list)
            for row in np.flatnonzero(matched).tolist():
                if int(group[row]) in several_groups:
                    spans_by_group[int(group[row])].append(table.span(row))
            for index in np.flatnonzero(held > 1).tolist():
                spans_of[index] = spans_by_group[int(pair_group[index])]
        return school, low, high, spans_of

    def _covered(
        self,
        rows: _Rows,
        pair: npt.NDArray[np.int32],
        count: int,
        low: npt.NDArray[np.int64],
        high: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.bool_]:
        """Whether each pair's enrolment holds on the first and the last of its rows' dates
        (a pair without rows counts as covered): one pass over the rows."""
        dates = self.dates_used[np.argsort(self.values.ordinal[self.dates_used])]
        if dates.size == 0:
            return np.ones(count, dtype=np.bool_)
        dense = np.zeros(len(self.values.date), dtype=np.int32)
        dense[dates] = np.arange(dates.size, dtype=np.int32)
        present = np.zeros((count, dates.size), dtype=np.bool_)
        # 32-bit arithmetic where it fits: half the memory traffic over 9.5 million rows.
        cell = pair * np.int32(dates.size) if present.size < 2**31 else pair * dates.size
        cell += dense[rows.date]
        present.reshape(-1)[cell] = True
        ordinals = self.values.ordinal[dates]
        first = ordinals[np.argmax(present, axis=1)]
        last = ordinals[dates.size - 1 - np.argmax(present[:, ::-1], axis=1)]
        covered: npt.NDArray[np.bool_] = ~present.any(axis=1) | ((low <= first) & (high >= last))
        return covered

    def _several_enrolments(
        self,
        *,
        rows: _Rows,
        pair: npt.NDArray[np.int32],
        several: npt.NDArray[np.bool_],
        spans_of: dict[int, list[_Enrolment]],
        on_roll: npt.NDArray[np.bool_],
        pair_child: list[int],
    ) -> None:
        """For a pupil with several enrolments at schools of one LAESTAB, each row goes to
        the enrolment holding on its date (the open school's first, then the latest start);
        each (child, school) of these gets a pair of its own. A loop over such pupils, with
        array passes over each one's rows."""
        own: dict[tuple[int, int], int] = {}
        count = len(pair_child)
        positions = np.flatnonzero(several[pair])
        positions = positions[np.argsort(pair[positions], kind="stable")]
        pairs, starts = np.unique(pair[positions], return_index=True)
        for index, mine in zip(pairs.tolist(), np.split(positions, starts[1:]), strict=True):
            spans = sorted(spans_of[index], key=lambda span: (not span.school_open, -span.start))
            days = self.values.ordinal[rows.date[mine]]
            chosen = np.full(mine.size, -1, dtype=np.int64)
            for rank, span in enumerate(spans):
                chosen[(chosen < 0) & (span.start <= days) & (days <= span.end)] = rank
            on_roll[mine] = chosen >= 0
            for rank in np.unique(chosen[chosen >= 0]).tolist():
                combination = (pair_child[index], spans[rank].school_id)
                if combination not in own:
                    own[combination] = count + len(own)
                    self.extra_schools.append(spans[rank].school_id)
                pair[mine[chosen == rank]] = own[combination]
        pair_child.extend(child for child, _school in own)

    def _report_off_roll(self, rows: _Rows, on_roll: npt.NDArray[np.bool_]) -> None:
        for position in np.flatnonzero(~on_roll).tolist():
            when = self.values.date[int(rows.date[position])]
            laestab = self.values.laestab[int(rows.laestab[position])]
            assert when is not None
            self.messages.add(
                rows.row(position),
                "laestab",
                f"the pupil is not on the roll of school {laestab} on {when.isoformat()}; "
                "row rejected",
            )
        self.report.rejected += int((~on_roll).sum())

    def _pupil_years(
        self,
        rows: _Rows,
        pair: npt.NDArray[np.int32],
        pair_child: list[int],
        pair_school: list[int],
    ) -> _Marks:
        """Number the pupil-years (child, school, school year) densely, without sorting."""
        values = self.values
        years = sorted({int(year) for year in values.year[self.dates_used].tolist()}) or [0]
        if len(years) == 1:
            key, used = _densely(pair, len(pair_child))
        else:
            year_index = np.searchsorted(np.array(years), values.year).astype(np.int64)
            key, used = _densely(
                pair.astype(np.int64) * len(years) + year_index[rows.date],
                len(pair_child) * len(years),
            )
        per_year = len(years)
        return _Marks(
            rows=rows,
            key=key,
            key_child=[values.children[pair_child[value // per_year]] for value in used.tolist()],
            key_school=[pair_school[value // per_year] for value in used.tolist()],
            key_year=[years[value % per_year] for value in used.tolist()],
        )

    def _starts(self, marks: _Marks, table: _EnrolmentTable) -> None:
        """The start of each pupil-year's enrolment, when it began in that school year (the
        rules' failed-to-start context), from the enrolments already read."""
        if not marks.key_year:
            return
        earliest = year_start(min(marks.key_year)).toordinal()
        began: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
        for row in np.flatnonzero(table.start >= earliest).tolist():
            began[int(table.child[row])].append(
                (int(table.school[row]), datetime.date.fromordinal(int(table.start[row])))
            )
        for key in marks.keys:
            child, school, year = key
            for school_id, start in began.get(child, ()):
                if school_id == school and school_year_of(start) == year:
                    self.on_roll_from[key] = max(start, self.on_roll_from.get(key, start))


# --- Merging the marks into the stored pupil-years -----------------------------------------


def _window(marks: _Marks) -> tuple[int, int]:
    """The sessions of the year the file's rows fall in, [first, last + 1), whatever their
    year: all the merge reads of the stored marks (a daily increment's two sessions)."""
    if marks.rows.position.size == 0:
        return 0, 0
    return int(marks.rows.position.min()), int(marks.rows.position.max()) + 1


def _stored_matrix(
    marks: _Marks, window: tuple[int, int]
) -> tuple[npt.NDArray[np.uint8], list[services.StoredYear | None]]:
    """The stored marks of the file's pupil-years within `window`, one row each, and what
    is stored of each (None: new)."""
    low, high = window
    matrix = np.full((len(marks.key_child), high - low), _DOT, dtype=np.uint8)
    stored = services.stored_years(marks.keys, window=window)
    found = [stored.get(key) for key in marks.keys]
    rows = [index for index, year in enumerate(found) if year is not None]
    if rows:  # every stored year's window in one copy
        texts = b"".join(year.window.ljust(high - low, b".") for year in found if year)
        blob = np.frombuffer(texts, dtype=np.uint8)
        matrix[np.array(rows)] = blob.reshape(len(rows), high - low)
    return matrix, found


def _last_line_wins(
    flat: npt.NDArray[np.int64], cells: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.bool_]]:
    """For each cell, the row that writes it (the last of several); whether each row does.
    Usually no two rows share a cell, which one scatter and a count show; only then is each
    cell's row worked out."""
    marked = np.zeros(cells, dtype=np.bool_)
    marked[flat] = True
    if np.count_nonzero(marked) == flat.size:
        return np.zeros(0, dtype=np.int32), np.ones(flat.size, dtype=np.bool_)
    order = np.arange(flat.size, dtype=np.int32)
    winner = np.full(cells, -1, dtype=np.int32)
    np.maximum.at(winner, flat, order)
    return winner, winner[flat] == order


def _merge(
    marks: _Marks, *, table: _Table, messages: _Messages, report: ImportReport
) -> tuple[list[services.YearMarks], list[services.MarksSpan], list[services.MarkCorrection]]:
    """Put each row's mark in its pupil-year, counting it created, updated or unchanged.

    Returns the pupil-years that changed, the changes to stored ones as spans of marks with
    their new counts (the stored marks outside the file's sessions are never read), and the
    corrections (a mark that replaced another). Two rows for the same session: the later
    line wins; the earlier is unchanged if it gives the same mark, else rejected with a
    message.
    """
    low, high = window = _window(marks)
    matrix, found = _stored_matrix(marks, window)
    any_stored = any(year is not None for year in found)
    # Each row's cell in the matrix; 32-bit arithmetic where it fits (half the memory
    # traffic over a year's 9.5 million rows).
    flat = marks.key * (np.int32(high - low) if matrix.size < 2**31 else np.int64(high - low))
    flat += marks.rows.position - np.int32(low)
    winner, won = _last_line_wins(flat, matrix.size)
    everything = matrix.reshape(-1)
    new = marks.rows.symbol
    every_row_won = bool(won.all())
    if any_stored:
        old = everything[flat]
        created = won & (old == _DOT)
        unchanged = won & (old == new)
        updated = won & ~created & ~unchanged
        report.created += int(created.sum())
        report.unchanged += int(unchanged.sum())
        report.updated += int(updated.sum())
        changed_rows = won & ~unchanged
    else:  # a first import: every mark that wins its session is new
        old = np.zeros(0, dtype=np.uint8)
        updated = np.zeros(0, dtype=np.bool_)
        report.created += flat.size if every_row_won else int(won.sum())
        changed_rows = won
    if not every_row_won:
        _report_duplicates(marks, winner, won, flat, table=table, messages=messages, report=report)
        everything[flat[won]] = new[won]
    else:
        everything[flat] = new
    keys = len(found)
    if not any_stored and every_row_won:
        changed = np.ones(keys, dtype=np.bool_)  # a first import: every year is new
    else:
        changed = np.zeros(keys, dtype=np.bool_)
        changed[marks.key[changed_rows]] = True
    is_new = np.array([year is None for year in found], dtype=np.bool_)
    years = _new_years(marks, matrix, window, np.flatnonzero(changed & is_new))
    spans: list[services.MarksSpan] = []
    if any_stored:
        stored_changes = _StoredChanges(
            marks,
            matrix=matrix,
            window=window,
            found=found,
            changed_rows=changed_rows,
            old=old,
            updated=updated,
        )
        years += stored_changes.years(np.flatnonzero(changed & ~is_new))
        spans = stored_changes.spans
    ids = [year.id if year is not None else None for year in found]
    return years, spans, _corrections(marks, ids, np.flatnonzero(updated), old)


def _new_years(
    marks: _Marks,
    matrix: npt.NDArray[np.uint8],
    window: tuple[int, int],
    new: npt.NDArray[np.int64],
) -> list[services.YearMarks]:
    """The pupil-years the file starts, with their whole marks, evaluated whole."""
    low, high = window
    marked = matrix if new.size == matrix.shape[0] else matrix[new]  # a first import: all
    has_n, has_attendance = services.marks_flags(marked)  # outside the window: no marks
    whole = np.full((new.size, _WIDTH), _DOT, dtype=np.uint8)
    whole[:, low:high] = marked
    lengths = {year: sessions_in_year(year) for year in set(marks.key_year)}
    return [
        services.YearMarks(
            marks.keys[index],
            None,
            whole[position, : lengths[marks.key_year[index]]],
            has_n=n,
            has_attendance=attended,
        )
        for position, (index, n, attended) in enumerate(
            zip(new.tolist(), has_n.tolist(), has_attendance.tolist(), strict=True)
        )
    ]


class _StoredChanges:
    """The changes to stored pupil-years, worked out from the changed marks alone: each
    year's changed span, its counts changed by the difference between each new mark's kind
    and the old one's, its first and last marked days widened to the changed sessions."""

    def __init__(
        self,
        marks: _Marks,
        *,
        matrix: npt.NDArray[np.uint8],
        window: tuple[int, int],
        found: list[services.StoredYear | None],
        changed_rows: npt.NDArray[np.bool_],
        old: npt.NDArray[np.uint8],
        updated: npt.NDArray[np.bool_],
    ) -> None:
        self.marks, self.matrix, self.window, self.found = marks, matrix, window, found
        self.spans: list[services.MarksSpan] = []
        keys = len(found)
        rows = np.flatnonzero(changed_rows)
        key = marks.key[rows]
        position = marks.rows.position[rows]
        new = marks.rows.symbol[rows]
        year_of_key = np.array(marks.key_year, dtype=np.int32)
        new_kind = kinds_at(new, position, year_of_key[key])
        old_kind = kinds_at(old[rows], position, year_of_key[key])

        def change(counted: Callable[[npt.NDArray[np.uint8]], npt.NDArray[np.bool_]]) -> Any:
            difference = counted(new_kind).astype(np.int64) - counted(old_kind)
            return np.bincount(key, weights=difference, minlength=keys).astype(np.int64)

        self.possible = change(lambda kinds: kinds >= Kind.PRESENT)
        # PRESENT and APPROVED are the two kinds counted as attendance.
        self.attended = change(lambda kinds: (kinds - np.uint8(Kind.PRESENT)) <= 1)
        self.unauthorised = change(lambda kinds: kinds >= Kind.HOLIDAY_NOT_AGREED)
        self.first = np.full(keys, 1 << 30, dtype=np.int64)
        np.minimum.at(self.first, key, position)
        self.end = np.zeros(keys, dtype=np.int64)
        np.maximum.at(self.end, key, position + 1)
        has_n, has_attendance = services.marks_flags(new.reshape(-1, 1))  # mark by mark
        self.new_n = np.bincount(key, weights=has_n, minlength=keys) > 0
        self.new_attendance = np.bincount(key, weights=has_attendance, minlength=keys) > 0
        # Whether a change could start or end anything (services.YearMarks).
        telling = changed_rows & (updated | ~np.isin(marks.rows.symbol, services.ATTENDED_SYMBOLS))
        self.recheck = np.bincount(marks.key[telling], minlength=keys) > 0

    def years(self, changed: npt.NDArray[np.int64]) -> list[services.YearMarks]:
        """The changed stored years, for the rules (their marks read back if evaluated), and
        their spans (`self.spans`). Column by column: a daily increment changes every
        pupil's year."""
        marks, (low, high) = self.marks, self.window
        stored = [self.found[index] for index in changed.tolist()]
        lengths = np.array([year.length for year in stored if year], dtype=np.int64)
        first, end = self.first[changed], self.end[changed]
        start = np.minimum(first, lengths)  # a gap after the stored marks is filled
        gap = np.maximum(low - start, 0).tolist()
        width = high - low
        offsets = np.arange(changed.size, dtype=np.int64) * width
        cut_from = (offsets + np.maximum(start, low) - low).tolist()
        cut_to = (offsets + end - low).tolist()
        window = self.matrix[changed].tobytes().decode("ascii")
        texts = [
            NO_MARK * dots + window[cut:to] if dots else window[cut:to]
            for dots, cut, to in zip(gap, cut_from, cut_to, strict=True)
        ]
        years = np.array(marks.key_year, dtype=np.int64)[changed]
        distinct = np.unique(years)
        year_starts = np.array([year_start(int(year)) for year in distinct], "datetime64[D]")
        starts = year_starts[np.searchsorted(distinct, years)]
        first_days = np.datetime_as_string(starts + (first // 2).astype("timedelta64[D]"))
        last_days = np.datetime_as_string(starts + ((end - 1) // 2).astype("timedelta64[D]"))
        self.spans = [
            services.MarksSpan(year.id, *span)
            for year, *span in zip(
                stored,
                start.tolist(),
                texts,
                (start == lengths).tolist(),
                self.possible[changed].tolist(),
                self.attended[changed].tolist(),
                self.unauthorised[changed].tolist(),
                first_days.tolist(),
                last_days.tolist(),
                strict=True,
            )
            if year
        ]
        return [
            services.YearMarks(
                marks.keys[index],
                year.id,
                None,  # read back if evaluated
                changed_from,
                recheck,
                year.has_n or new_n,
                year.has_attendance or new_attendance,
            )
            for year, index, changed_from, recheck, new_n, new_attendance in zip(
                stored,
                changed.tolist(),
                first.tolist(),
                self.recheck[changed].tolist(),
                self.new_n[changed].tolist(),
                self.new_attendance[changed].tolist(),
                strict=True,
            )
            if year
        ]


def _report_duplicates(
    marks: _Marks,
    winner: npt.NDArray[np.int32],
    won: npt.NDArray[np.bool_],
    flat: npt.NDArray[np.int64],
    *,
    table: _Table,
    messages: _Messages,
    report: ImportReport,
) -> None:
    """A row beaten by a later line for the same session: unchanged if it gives the same
    mark, else rejected with a message."""
    new = marks.rows.symbol
    lost = np.flatnonzero(~won)
    same = new[lost] == new[winner[flat[lost]]]
    report.unchanged += int(same.sum())
    report.rejected += int((~same).sum())
    for position in lost[~same].tolist():
        later = table.line(marks.rows.row(int(winner[flat[position]])))
        messages.add(
            marks.rows.row(position),
            None,
            f"line {later} gives another mark for the same pupil, school, date and session; "
            "the later line is used and this one rejected",
        )


def _corrections(
    marks: _Marks,
    ids: list[int | None],
    updated: npt.NDArray[np.int64],
    old: npt.NDArray[np.uint8],
) -> list[services.MarkCorrection]:
    """Each stored pupil-year whose marks the file replaced, with the sessions changed."""
    changes: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for position in updated.tolist():
        index = int(marks.key[position])
        when = date_of_session(marks.key_year[index], int(marks.rows.position[position]))
        changes[index][when] = [
            code_of_symbol(chr(old[position])),
            code_of_symbol(chr(marks.rows.symbol[position])),
        ]
    corrections = []
    for index, sessions in changes.items():
        year_id = ids[index]
        assert year_id is not None  # a replaced mark was stored, so was its year
        corrections.append(
            services.MarkCorrection(
                year_id=year_id, child_id=marks.key_child[index], changes=sessions
            )
        )
    return corrections


def date_of_session(school_year: int, session: int) -> str:
    """`2025-09-03 AM`: how a session is named in the audit trail."""
    day = datetime.date(school_year, 9, 1) + datetime.timedelta(days=session // 2)
    return f"{day.isoformat()} {SESSION_NAMES[session % 2]}"


# --- Entry point -----------------------------------------------------------------------------


def import_attendance_file(
    *,
    path: str | PathLike[str],
    actor: User | None = None,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> ImportReport:
    """Import a CSV of session marks (`upn, laestab, date, session, code`) and re-evaluate
    the rules for every pupil-year it changed. One transaction; raises `ImportRefused` for
    a file-level fault, having written nothing."""
    # The collector paused: a quarter of a daily increment's time went to collections.
    with collector_paused(), concurrent.futures.ThreadPoolExecutor(max_workers=1) as hashing:
        return _import(
            path=Path(path),
            actor=actor,
            progress=progress,
            today=today or timezone.localdate(),
            hashing=hashing,
        )


def _import(
    *,
    path: Path,
    actor: User | None,
    progress: Progress | None,
    today: datetime.date,
    hashing: concurrent.futures.Executor,
) -> ImportReport:
    started_at = timezone.now()
    tell: Callable[[int, int], None] = progress or (lambda _done, _total: None)
    checked, table, digest = _read_file(path, hashing)
    tell(table.rows // 3, table.rows)
    report = ImportReport()
    report.messages.extend(checked.ignored)
    report.messages.extend(table.notes)
    messages = _Messages(table)
    with transaction.atomic():
        values = _check_values(table, today)
        rows = _accepted(table, values, messages, report)
        resolver = _Resolver(values, messages, report)
        marks = resolver.resolve(rows)
        tell(2 * table.rows // 3, table.rows)
        years, spans, corrections = _merge(marks, table=table, messages=messages, report=report)
        triggers = services.save_and_refresh(
            years=years,
            spans=spans,
            now=started_at,
            actor=actor,
            today=today,
            on_roll_from=resolver.on_roll_from,
        )
        services.record_mark_corrections(actor=actor, corrections=corrections)
        report.messages.extend(messages.sorted())
        if triggers.created or triggers.reopened or triggers.closed:
            report.warnings.append(triggers.summary())
        if digest is not None:
            checked = dataclasses.replace(checked, sha256=digest.result())
        _record_run(
            checked=checked,
            spec=_ATTENDANCE,
            actor=actor,
            started_at=started_at,
            report=report,
            options={
                "pupil_years_changed": len(years),
                "pupil_years_corrected": len(corrections),
                "triggers_created": triggers.created,
                "triggers_reopened": triggers.reopened,
                "triggers_closed": triggers.closed,
            },
            review_rows=[],
        )
    tell(table.rows, table.rows)
    return report
