"""Reading people from CSV and writing linked pairs, refusing bad files whole.

Owns the file contract of `manage.py link`: UTF-8 (a byte-order mark is allowed), a header with
an `id` column, the column names of `records.COLUMNS`, every id present and unique. A file that
breaks any of these is refused with one clear line (`InputFileError`); a malformed value inside
a good file is only a warning. Output is written to a temporary file and moved into place, so a
failure never leaves a half-written file.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cme.linkage.batch import PairRow
from cme.linkage.bulk import collector_paused

OUTPUT_COLUMNS: Final = ("left_id", "right_id", "match_probability", "decision")
# Far beyond any real row; a longer field means the file is not a register.
_FIELD_LIMIT: Final = 10_000
# A register of 3 million children at ~300 bytes a row; anything larger is refused unread.
MAX_FILE_BYTES: Final = 1 << 30
_CHUNK: Final = 50_000


class InputFileError(ValueError):
    """The file cannot be used at all; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class PersonTable:
    """Raw text columns of a person file, keyed by lower-case header, with each record's line."""

    columns: dict[str, list[str]]
    rows: int
    lines: list[int] | None = None

    def line(self, index: int) -> int:
        """The line of the file on which record `index` (from 0) starts."""
        return self.lines[index] if self.lines is not None else index + 2

    def row(self, index: int) -> dict[str, str]:
        """One row as a mapping of column name to text."""
        return {name: values[index] for name, values in self.columns.items()}


def read_person_csv(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> PersonTable:
    """Read and check a person CSV file; raises InputFileError if the file must be refused."""
    name = Path(path).name
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            msg = f"{name}: file is {size:,} bytes, more than the {max_bytes:,} allowed"
            raise InputFileError(msg)
        data = Path(path).read_bytes()
    except OSError as error:
        msg = f"{name}: cannot read the file ({error.strerror or error})"
        raise InputFileError(msg) from error
    return parse_person_csv(data, name=name)


def parse_person_csv(data: bytes, *, name: str = "input") -> PersonTable:
    """`read_person_csv` for bytes already in memory."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = f"{name}: not UTF-8 text (byte {error.start:,} cannot be decoded)"
        raise InputFileError(msg) from error
    if "\x00" in text:
        msg = f"{name}: not a CSV file (it contains NUL bytes)"
        raise InputFileError(msg)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    old_limit = csv.field_size_limit(_FIELD_LIMIT)
    try:
        names = _read_header(reader, name)
        with collector_paused():
            columns = _read_columns(reader, name, len(names))
    except csv.Error as error:
        msg = f"{name}: not a valid CSV file (line {reader.line_num}: {error})"
        raise InputFileError(msg) from error
    finally:
        csv.field_size_limit(old_limit)
    id_position = names.index("id")
    _check_ids(columns[id_position], name)
    rows = len(columns[id_position])
    lines = None
    if reader.line_num != rows + 1:
        # Blank lines or quoted line breaks: record numbers are not line numbers, so count.
        lines = _record_lines(text)
    return PersonTable(columns=dict(zip(names, columns, strict=True)), rows=rows, lines=lines)


def _read_header(reader: Iterator[list[str]], name: str) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        msg = f"{name}: the file is empty (a header with an id column is needed)"
        raise InputFileError(msg) from None
    names = [column.strip().lower() for column in header]
    if "id" not in names:
        msg = f"{name}: no 'id' column in the header line"
        raise InputFileError(msg)
    if len(set(names)) != len(names):
        msg = f"{name}: a column name appears twice in the header line"
        raise InputFileError(msg)
    return names


def _read_columns(reader: Iterator[list[str]], name: str, width: int) -> list[list[str]]:
    """Rows in chunks, turned into columns by zip (far faster than field by field)."""
    columns: list[list[str]] = [[] for _ in range(width)]
    record = 0
    while chunk := list(itertools.islice(reader, _CHUNK)):
        kept = [row for row in chunk if row and (len(row) > 1 or row[0].strip() or width == 1)]
        for offset, row in enumerate(kept):
            if len(row) != width:
                msg = (
                    f"{name}: record {record + offset + 1} has {len(row)} fields, "
                    f"the header has {width}"
                )
                raise InputFileError(msg)
        if kept:
            for values, new in zip(columns, zip(*kept, strict=True), strict=True):
                values.extend(new)
        record += len(kept)
    return columns


def _check_ids(raw_ids: list[str], name: str) -> None:
    ids = [value.strip() for value in raw_ids]
    if len(set(ids)) == len(ids) and "" not in ids:
        return
    seen: set[str] = set()
    for position, identifier in enumerate(ids):
        if not identifier:
            msg = f"{name}: record {position + 1} has no id"
            raise InputFileError(msg)
        if identifier in seen:
            msg = f"{name}: record {position + 1} repeats the id of an earlier record"
            raise InputFileError(msg)
        seen.add(identifier)


def _record_lines(text: str) -> list[int]:
    """The line on which each non-blank record after the header starts."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    lines = []
    start = reader.line_num + 1
    for row in reader:
        if row and (len(row) > 1 or row[0].strip()):
            lines.append(start)
        start = reader.line_num + 1
    return lines


def write_pairs_csv(path: str | Path, rows: Iterable[PairRow]) -> None:
    """Write the output file atomically: all of it, or nothing."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path()
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(OUTPUT_COLUMNS)
            for row in rows:
                writer.writerow(
                    (row.left_id, row.right_id, f"{row.match_probability:.6f}", row.decision.value)
                )
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
