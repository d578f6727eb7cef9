"""Writes for attendance: storing pupil-years of marks, auditing corrections, keeping the
worklist of triggers in step with the rules, and watching attendance after a placement.

Every write here runs inside the caller's transaction (the importer's, one per file) or its
own, and records its audit events in it: one event per pupil-year whose marks were corrected
(listing each changed session, before and after) and one per worklist item opened or closed.
A year of an authority's marks is written with PostgreSQL's COPY; other databases get Django's
bulk operations (slower, same rows).
"""

from __future__ import annotations

import datetime
import functools
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.lib.postgres_copy import (
    array_literal,
    copy_lines,
    copy_value,
    foreign_keys_checked_now,
    next_ids,
    update_lines,
    update_rows,
    update_with_expressions,
)
from cme.pupils.models import Child, School
from cme.standards.attendance_codes import CodeSet

from .marks import (
    NO_MARK,
    Kind,
    byte_lookup,
    date_of_day,
    kind_table,
    kinds_of_matrix,
    school_year_of,
    sessions_in_year,
    symbol_of_code,
    year_end,
    year_start,
)
from .models import AttendanceTrigger, AttendanceYear, PlacementMonitoring, TriggerFollowUp
from .rules import RULES, WORKLIST_RULES, Evaluation, Firing, Rule, evaluate_matrix
from .selectors import RuleContext, attendance_thresholds, rule_context

_DOT: Final = ord(NO_MARK)
_CHUNK: Final = 5_000
# From this many new rows, COPY (PostgreSQL) is much faster than an insert.
_COPY_FROM: Final = 200
# What the worklist's refresh changes in an item.
_TRIGGER_CHANGES: Final = (
    "start_date",
    "fired_on",
    "ended_on",
    "detail",
    "status",
    "closure",
    "closed_at",
)
_TRIGGER_COLUMNS: Final = (
    "id",
    "child_id",
    "school_id",
    "school_year",
    "rule",
    "start_date",
    "fired_on",
    "ended_on",
    "detail",
    "status",
    "closure",
    "opened_at",
    "closed_at",
)


class YearMarks(NamedTuple):
    """A pupil-year an import changed (`id` None for a new one), for the rules.

    `symbols` are its whole packed marks, or None for a stored year changed in place
    (`MarksSpan`): they are then read back from the database if the rules look at it.
    `changed_from` is the first session the import changed (0 for a new year): nothing the
    rules found before it can change. `recheck` says whether a changed mark could start or
    end anything (a mark replaced, or one that is not attendance); when not, only a
    pupil-year the worklist already follows, or with a code N (`has_n`), or a start without
    attendance (`has_attendance`), or a placement the rules watch, is evaluated again. The
    defaults evaluate it.
    """

    key: tuple[int, int, int]  # child, school, school year
    id: int | None
    symbols: npt.NDArray[np.uint8] | None  # one byte per session, the year's full length
    changed_from: int = 0
    recheck: bool = True
    has_n: bool = True
    has_attendance: bool = False

    @property
    def child_id(self) -> int:
        return self.key[0]

    @property
    def school_id(self) -> int:
        return self.key[1]

    @property
    def school_year(self) -> int:
        return self.key[2]


def marks_flags(
    symbols: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For each row of packed marks: whether it has a code N, and any attendance (what
    `YearMarks.has_n` and `has_attendance` say)."""
    has_n: npt.NDArray[np.bool_] = np.any(symbols == _N, axis=-1)
    has_attendance: npt.NDArray[np.bool_] = np.any(
        byte_lookup(_ATTENDED, symbols).view(np.bool_), axis=-1
    )
    return has_n, has_attendance


class MarksSpan(NamedTuple):
    """A stored pupil-year's marks changed in place: from session `start`, `text` replaces
    as many marks (a daily increment sends two characters, not the year's 380); its counts
    change by the differences given, and its first and last marked days widen to the span's
    (the stored values are never read)."""

    id: int
    start: int
    text: str
    appends: bool  # `start` is the end of the stored marks: `text` is added after them
    possible_change: int
    attended_change: int
    unauthorised_change: int
    first_marked_on: str  # ISO dates
    last_marked_on: str


class StoredYear(NamedTuple):
    """What an import needs of a stored pupil-year: its marks within the file's sessions
    (`window`, as stored: shorter where the stored marks end sooner), how long its marks
    are, and whether it has a code N or any attendance."""

    id: int
    length: int
    window: bytes
    has_n: bool
    has_attendance: bool


@dataclass(frozen=True, slots=True)
class MarkCorrection:
    """The marks of one stored pupil-year that a file replaced: {"2025-09-03 AM": [old, new]}."""

    year_id: int
    child_id: int
    changes: Mapping[str, list[str]]


@dataclass(frozen=True, slots=True)
class TriggerChanges:
    """Worklist items created (`opened` of them still open, the rest recorded as already
    ended), re-opened, and closed."""

    created: int = 0
    opened: int = 0
    reopened: int = 0
    closed: int = 0

    def summary(self) -> str:
        return (
            f"attendance worklist: {self.created} new items ({self.opened} open), "
            f"{self.reopened} re-opened, {self.closed} closed"
        )


def _chunks(values: Sequence[int]) -> Iterable[list[int]]:
    distinct = sorted(set(values))
    for start in range(0, len(distinct), _CHUNK):
        yield distinct[start : start + _CHUNK]


def stored_years(
    keys: Sequence[tuple[int, int, int]], *, window: tuple[int, int]
) -> dict[tuple[int, int, int], StoredYear]:
    """The stored pupil-years among these (child, school, school year) keys, each with its
    marks in sessions [`window`) of its year. On PostgreSQL only that part of the marks is
    read (a daily increment reads 2 characters a row, not the whole year)."""
    wanted = set(keys)
    children = sorted({child for child, _school, _year in wanted})
    years = sorted({year for _child, _school, year in wanted})
    if connection.vendor == "postgresql":
        schools = sorted({school for _child, school, _year in wanted})
        rows = _stored_rows_postgresql(children, schools, years, window)
    else:
        rows = _stored_rows(children, years, window)
    found = {}
    for row in rows:
        key = row[:3]
        if key in wanted:
            found[key] = StoredYear._make(row[3:])
    return found


# From this many pupils, a file is read and written as a whole authority's (the importer
# uses it too): stored years and enrolments read by school (passing 25,000 ids costs more
# than reading the rows of the file's schools), UPNs joined as a set, and the rows written
# alongside the rules (`save_and_refresh`).
MANY_PUPILS: Final = 2_000
# Whether marks have any attendance: the two present marks looked for first (strpos stops at
# the first, usually the year's first session), then every attendance mark by a regular
# expression (five times slower; translate(), counting every character, thirty).
_ANY_ATTENDANCE: Final = "strpos(marks, '/') > 0 OR strpos(marks, '\\') > 0 OR marks ~ %s"


def _stored_rows_postgresql(
    children: Sequence[int], schools: Sequence[int], years: Sequence[int], window: tuple[int, int]
) -> list[tuple[Any, ...]]:
    """The rows on PostgreSQL, marks read as bytes (`textsend`): the window is then a
    byte slice, where a substring of UTF-8 text is counted out character by character."""
    low, high = window
    by_school = len(children) >= MANY_PUPILS
    attended = "".join(
        symbol if symbol.isalnum() else "\\" + symbol
        for symbol in map(chr, ATTENDED_SYMBOLS.tolist())
    )
    table = AttendanceYear._meta.db_table
    column = "school_id" if by_school else "child_id"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child_id, school_id, school_year, id, octet_length(marks), "  # noqa: S608 - names from the model
            f"substr(textsend(marks), %s, %s), strpos(marks, %s) > 0, {_ANY_ATTENDANCE} "
            f"FROM {table} WHERE school_year = ANY(%s::integer[]) "
            f"AND {column} = ANY(%s::bigint[])",
            [
                low + 1,
                high - low,
                chr(_N),
                f"[{attended}]",
                array_literal(years),
                array_literal(schools if by_school else children),
            ],
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _stored_rows(
    children: Sequence[int], years: Sequence[int], window: tuple[int, int]
) -> list[tuple[Any, ...]]:
    """The rows elsewhere (SQLite): whole marks read, the window and flags taken in Python."""
    low, high = window
    rows = rows_matching(
        AttendanceYear.objects.filter(school_year__in=years).values_list(
            "child_id", "school_id", "school_year", "id", "marks"
        ),
        "child_id",
        children,
    )
    found = []
    for child_id, school_id, school_year, year_id, marks in rows:
        symbols = np.frombuffer(marks.encode("ascii"), np.uint8)
        has_n, has_attendance = marks_flags(symbols)
        found.append(
            (
                child_id,
                school_id,
                school_year,
                year_id,
                len(marks),
                symbols[low:high].tobytes(),
                bool(has_n),
                bool(has_attendance),
            )
        )
    return found


def rows_matching(
    query: QuerySet[Any, Any], field_name: str, values: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query whose `field_name` is one of `values`. On
    PostgreSQL: one statement, the values passed as one array (`= ANY`), rows read without
    the ORM's conversions (a year's import names 25,000 children: three times faster).
    Elsewhere: the ORM, in chunks."""
    if connection.vendor != "postgresql":
        return [
            row
            for chunk in _chunks(list(values))
            for row in query.filter(**{f"{field_name}__in": chunk})
        ]
    if not values:
        return []
    model_field = query.model._meta.get_field(field_name)
    column, sql_type = model_field.column, model_field.db_type(connection)
    table = query.model._meta.db_table
    matching = query.order_by().extra(  # noqa: S610 - names from the model, values a parameter
        where=[f'"{table}"."{column}" = ANY(%s::{sql_type}[])'], params=[array_literal(values)]
    )
    sql, params = matching.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


# --- Storing pupil-years ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _StoredForm:
    """Pupil-years of one school year, with their whole marks, as they are stored, column by
    column: the packed marks with trailing no-marks trimmed, the session counts and the
    first and last marked days (None without marks)."""

    years: Sequence[YearMarks]
    marks: list[str]
    possible: list[int]
    attended: list[int]
    unauthorised: list[int]
    first_marked_on: list[str | None]  # ISO dates
    last_marked_on: list[str | None]

    def values(self, index: int, now: datetime.datetime) -> dict[str, Any]:
        first, last = self.first_marked_on[index], self.last_marked_on[index]
        return {
            "marks": self.marks[index],
            "possible_sessions": self.possible[index],
            "attended_sessions": self.attended[index],
            "unauthorised_sessions": self.unauthorised[index],
            "first_marked_on": datetime.date.fromisoformat(first) if first else None,
            "last_marked_on": datetime.date.fromisoformat(last) if last else None,
            "updated_at": now,
        }

    def copy_lines(self, now: datetime.datetime) -> tuple[list[str], list[str]]:
        """In COPY's text format: the new years' lines (child, school, school year, then
        `_YEAR_COLUMNS`) and the stored ones' (id, then `_YEAR_COLUMNS`)."""
        new: list[str] = []
        changed: list[str] = []
        stamp = copy_value(now)
        null = copy_value(None)
        for year, marks, possible, attended, unauthorised, first, last in zip(
            self.years,
            self.marks,
            self.possible,
            self.attended,
            self.unauthorised,
            self.first_marked_on,
            self.last_marked_on,
            strict=True,
        ):
            text = copy_value(marks)
            days = f"{first}\t{last}" if first is not None else f"{null}\t{null}"
            summary = f"{text}\t{possible}\t{attended}\t{unauthorised}\t{days}\t{stamp}\n"
            if year.id is None:
                child_id, school_id, school_year = year.key
                new.append(f"{child_id}\t{school_id}\t{school_year}\t{summary}")
            else:
                changed.append(f"{year.id}\t{summary}")
        return new, changed


def _stored_forms(years: Sequence[YearMarks]) -> list[_StoredForm]:
    """The stored form of these pupil-years (each with its whole marks), by school year:
    array passes over each school year's matrix of marks."""
    by_year: dict[int, list[YearMarks]] = defaultdict(list)
    for year in years:
        by_year[year.key[2]].append(year)
    forms: list[_StoredForm] = []
    for school_year, group in by_year.items():
        symbols = np.stack([year.symbols for year in group if year.symbols is not None])
        kinds = kinds_of_matrix(symbols, school_year)
        possible = (kinds >= Kind.PRESENT).sum(axis=1, dtype=np.int32).tolist()
        # PRESENT and APPROVED are the two kinds counted as attendance.
        attended = ((kinds - np.uint8(Kind.PRESENT)) <= 1).sum(axis=1, dtype=np.int32).tolist()
        unauthorised = (kinds >= Kind.HOLIDAY_NOT_AGREED).sum(axis=1, dtype=np.int32).tolist()
        marked = kinds != Kind.NONE
        has_marks = marked.any(axis=1)
        first = np.argmax(marked, axis=1)
        last = symbols.shape[1] - 1 - np.argmax(marked[:, ::-1], axis=1)
        start = np.datetime64(year_start(school_year).isoformat(), "D")
        first_day = np.datetime_as_string(start + first // 2).tolist()
        last_day = np.datetime_as_string(start + last // 2).tolist()
        ends = np.where(has_marks, last + 1, 0).tolist()
        width = symbols.shape[1]
        text = symbols.tobytes().decode("ascii")
        forms.append(
            _StoredForm(
                years=group,
                marks=[
                    text[offset : offset + end]
                    for offset, end in zip(range(0, len(text), width), ends, strict=True)
                ],
                possible=possible,
                attended=attended,
                unauthorised=unauthorised,
                first_marked_on=[
                    day if end else None for day, end in zip(first_day, ends, strict=True)
                ],
                last_marked_on=[
                    day if end else None for day, end in zip(last_day, ends, strict=True)
                ],
            )
        )
    return forms


_YEAR_COLUMNS: Final = (
    "marks",
    "possible_sessions",
    "attended_sessions",
    "unauthorised_sessions",
    "first_marked_on",
    "last_marked_on",
    "updated_at",
)


def save_attendance_years(
    *, years: Sequence[YearMarks], spans: Sequence[MarksSpan] = (), now: datetime.datetime
) -> None:
    """Create or replace these pupil-years (those with their whole marks), and change
    stored ones in place (`spans`). Called by the importer, inside its transaction: the
    file's `FILE_IMPORTED` event records the marks it added, `record_mark_corrections` those
    it replaced."""
    _prepared_write(years=years, spans=spans, now=now)()


def _prepared_write(
    *, years: Sequence[YearMarks], spans: Sequence[MarksSpan], now: datetime.datetime
) -> Callable[[], None]:
    """`save_attendance_years` worked out, and the writing left to do: the rows are put in
    their stored form here, so that the write, when made in a thread alongside the rules
    (`save_and_refresh`), only waits on the database."""
    forms = _stored_forms([year for year in years if year.symbols is not None])
    if connection.vendor == "postgresql":
        new: list[str] = []
        changed: list[str] = []
        for form in forms:
            form_new, form_changed = form.copy_lines(now)
            new += form_new
            changed += form_changed
        return functools.partial(_copy_years, new, changed, _span_lines(spans), now)
    return functools.partial(_save_years, forms, spans, now)


def _save_years(
    forms: Sequence[_StoredForm], spans: Sequence[MarksSpan], now: datetime.datetime
) -> None:
    """The write on databases other than PostgreSQL: Django's bulk operations."""
    created: list[AttendanceYear] = []
    updated: list[AttendanceYear] = []
    for form in forms:
        for index, year in enumerate(form.years):
            if year.id is None:
                child_id, school_id, school_year = year.key
                created.append(
                    AttendanceYear(
                        child_id=child_id,
                        school_id=school_id,
                        school_year=school_year,
                        **form.values(index, now),
                    )
                )
            else:
                updated.append(AttendanceYear(pk=year.id, **form.values(index, now)))
    AttendanceYear.objects.bulk_create(created, batch_size=500)
    AttendanceYear.objects.bulk_update(updated, fields=list(_YEAR_COLUMNS), batch_size=500)
    if spans:
        table = AttendanceYear._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET marks = substr(marks, 1, %s) || %s || substr(marks, %s), "  # noqa: S608 - names from the model
                "possible_sessions = possible_sessions + %s, "
                "attended_sessions = attended_sessions + %s, "
                "unauthorised_sessions = unauthorised_sessions + %s, "
                "first_marked_on = coalesce(min(first_marked_on, %s), %s), "
                "last_marked_on = coalesce(max(last_marked_on, %s), %s), "
                "updated_at = %s WHERE id = %s",
                [
                    (
                        span.start,
                        span.text,
                        span.start + len(span.text) + 1,
                        span.possible_change,
                        span.attended_change,
                        span.unauthorised_change,
                        span.first_marked_on,
                        span.first_marked_on,
                        span.last_marked_on,
                        span.last_marked_on,
                        now,
                        span.id,
                    )
                    for span in spans
                ],
            )


def _copy_years(
    new: Sequence[str], changed: Sequence[str], span_lines: Sequence[str], now: datetime.datetime
) -> None:
    """The write on PostgreSQL, from lines in COPY's text format."""
    table = AttendanceYear._meta.db_table
    # A year's 25,000 rows checked against their children as they are copied: when the
    # write is made alongside the rules, so are the checks (0.2 s at commit otherwise).
    with foreign_keys_checked_now(table):
        copy_lines(table, ("child_id", "school_id", "school_year", *_YEAR_COLUMNS), new)
    update_lines(table, _YEAR_COLUMNS, changed)
    _copy_spans(span_lines, now)


_SPAN_COLUMNS: Final = (
    ("span_start", "integer"),
    ("span", "text"),
    ("appends", "boolean"),
    ("possible_change", "integer"),
    ("attended_change", "integer"),
    ("unauthorised_change", "integer"),
    ("first_marked_on", "date"),
    ("last_marked_on", "date"),
)


def _span_lines(spans: Sequence[MarksSpan]) -> list[str]:
    """The spans in COPY's text format (`_SPAN_COLUMNS`, after the id)."""
    lines: list[str] = []
    for year_id, start, text, appends, possible, attended, unauthorised, first, last in spans:
        marks = copy_value(text)
        lines.append(
            f"{year_id}\t{start}\t{marks}\t{appends}\t{possible}\t{attended}\t{unauthorised}\t"
            f"{first}\t{last}\n"
        )
    return lines


def _copy_spans(lines: Sequence[str], now: datetime.datetime) -> None:
    # Marks are ASCII, but PostgreSQL counts out a substring of UTF-8 text character by
    # character: a daily increment's spans are added to the end instead.
    assignments = {
        "marks": (
            "CASE WHEN changes.appends THEN target.marks || changes.span ELSE "
            "substr(target.marks, 1, changes.span_start) || changes.span "
            "|| substr(target.marks, changes.span_start + length(changes.span) + 1) END"
        ),
        "possible_sessions": "target.possible_sessions + changes.possible_change",
        "attended_sessions": "target.attended_sessions + changes.attended_change",
        "unauthorised_sessions": "target.unauthorised_sessions + changes.unauthorised_change",
        "first_marked_on": "least(target.first_marked_on, changes.first_marked_on)",
        "last_marked_on": "greatest(target.last_marked_on, changes.last_marked_on)",
        "updated_at": "%s",
    }
    update_with_expressions(
        AttendanceYear._meta.db_table, _SPAN_COLUMNS, lines, assignments, params=[now]
    )


def record_mark_corrections(*, actor: Any, corrections: Sequence[MarkCorrection]) -> None:
    """One audit event per pupil-year whose marks a file replaced, listing every changed
    session with its mark before and after."""
    audit.record_events(
        actor=actor,
        events=(
            audit.Event(
                kind=AuditEvent.Kind.ATTENDANCE_MARKS_CORRECTED,
                subject=AttendanceYear(pk=correction.year_id),
                summary=(
                    f"Attendance marks corrected: {len(correction.changes)} "
                    f"session{'' if len(correction.changes) == 1 else 's'}"
                ),
                child_id=correction.child_id,
                changes=dict(sorted(correction.changes.items())),
            )
            for correction in corrections
        ),
    )


# --- The worklist ----------------------------------------------------------------------------


def evaluate_years(
    years: Sequence[YearMarks],
    *,
    today: datetime.date,
    on_roll_from: Mapping[tuple[int, int, int], datetime.date] | None = None,
    rules: Iterable[Rule] = tuple(Rule),
    only_if: Callable[[list[YearMarks], RuleContext], npt.NDArray[np.bool_]] | None = None,
    spans: Mapping[int, MarksSpan] | None = None,
    after_reading: Callable[[], None] | None = None,
) -> list[tuple[YearMarks, Evaluation]]:
    """The rules over these pupil-years, each on its marks up to today (or its year's end);
    with `only_if` (given a year's pupil-years and the context), over the ones it keeps. A
    pupil-year without its marks has them read from the database, with its span in `spans`
    applied if given (the marks read as they were before the span is written).
    `after_reading` is called once everything is read from the database, before the rules
    run (which read nothing). `on_roll_from`, when the caller has read the enrolments, saves
    reading."""
    thresholds = attendance_thresholds()
    context = rule_context([year.key for year in years], as_of=today, on_roll_from=on_roll_from)
    by_year: dict[int, list[YearMarks]] = defaultdict(list)
    for year in years:
        by_year[year.key[2]].append(year)
    groups: list[tuple[int, list[YearMarks], npt.NDArray[np.uint8]]] = []
    for school_year, everyone in sorted(by_year.items()):
        group = everyone
        if only_if is not None:
            keep = only_if(everyone, context)
            group = [everyone[index] for index in np.flatnonzero(keep).tolist()]
            if not group:
                continue
        groups.append((school_year, group, _symbols_of(group, school_year, spans or {})))
    if after_reading is not None:
        after_reading()
    results: list[tuple[YearMarks, Evaluation]] = []
    for school_year, group, symbols in groups:
        keys = [year.key for year in group]
        evaluations = evaluate_matrix(
            symbols,
            school_year=school_year,
            as_of=min(today, year_end(school_year)),
            on_roll_from=[context.on_roll_from.get(key) for key in keys],
            placed_on=[context.placed_on.get(key) for key in keys],
            thresholds=thresholds,
            rules=rules,
        )
        results.extend(zip(group, evaluations, strict=True))
    return results


def _symbols_of(
    years: Sequence[YearMarks], school_year: int, spans: Mapping[int, MarksSpan]
) -> npt.NDArray[np.uint8]:
    """The whole marks of these pupil-years of `school_year`, one row each: as given, or
    read from the database (the stored ones an import changed in place), with the span of
    each in `spans` put in."""
    width = sessions_in_year(school_year)
    if years and all(year.symbols is not None for year in years):  # a first import's, all new
        return np.stack([year.symbols for year in years if year.symbols is not None])
    matrix = np.full((len(years), width), _DOT, dtype=np.uint8)
    unread: list[int] = []
    ids: list[int] = []
    for index, year in enumerate(years):
        if year.symbols is not None:
            matrix[index] = year.symbols
        else:
            assert year.id is not None  # a year without its marks is a stored one
            unread.append(index)
            ids.append(year.id)
    if unread:
        stored = dict(rows_matching(AttendanceYear.objects.values_list("id", "marks"), "id", ids))
        for year_id in ids:
            span = spans.get(year_id)
            if span is not None:
                marks = stored[year_id]
                end = span.start + len(span.text)
                stored[year_id] = marks[: span.start] + span.text + marks[end:]
        blob = "".join(stored[year_id].ljust(width, NO_MARK) for year_id in ids)
        matrix[np.array(unread)] = np.frombuffer(blob.encode("ascii"), dtype=np.uint8).reshape(
            len(unread), width
        )
    return matrix


_N: Final = ord(symbol_of_code("N"))
# Marks that are attendance under either code set: a day of them starts and ends nothing.
ATTENDED_SYMBOLS: Final = np.array(
    sorted(
        symbol
        for symbol in range(256)
        if all(
            kind_table(code_set)[symbol] in (Kind.PRESENT, Kind.APPROVED)
            for code_set in (CodeSet.PRE_2024, CodeSet.SET_2024)
        )
    ),
    dtype=np.uint8,
)
_ATTENDED: Final = np.zeros(256, dtype=np.uint8)
_ATTENDED[ATTENDED_SYMBOLS] = 1


def save_and_refresh(
    *,
    years: Sequence[YearMarks],
    spans: Sequence[MarksSpan],
    now: datetime.datetime,
    actor: Any,
    today: datetime.date,
    on_roll_from: Mapping[tuple[int, int, int], datetime.date] | None = None,
) -> TriggerChanges:
    """`save_attendance_years`, then `refresh_triggers` (the importer's two steps). For an
    authority's file on PostgreSQL, the rows are put in their stored form, the stored
    years' marks the rules need are read, and the rows written in a thread, on the same
    connection and transaction, while the rules run: for a daily file the write and the
    rules each take about a tenth of a second, for a whole year about half a second."""
    write = _prepared_write(years=years, spans=spans, now=now)
    if connection.vendor != "postgresql" or max(len(spans), len(years)) < MANY_PUPILS:
        write()
        return refresh_triggers(years=years, actor=actor, today=today, on_roll_from=on_roll_from)
    return refresh_triggers(
        years=years,
        actor=actor,
        today=today,
        on_roll_from=on_roll_from,
        pending_write=(write, {span.id: span for span in spans}),
    )


class _WriteAlongside:
    """Runs a write in a thread on this thread's database connection (Django's way of
    sharing one, as its live-server tests do), while this thread computes without it."""

    def __init__(self, write: Callable[[], None]) -> None:
        self.write = write
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        wrapper = connections[DEFAULT_DB_ALIAS]
        wrapper.inc_thread_sharing()

        def run() -> None:
            connections[DEFAULT_DB_ALIAS] = wrapper
            try:
                self.write()
            except BaseException as error:
                self.error = error
            finally:
                del connections[DEFAULT_DB_ALIAS]
                wrapper.dec_thread_sharing()

        self.thread = threading.Thread(target=run, name="attendance-write")
        self.thread.start()

    def finish(self) -> None:
        """Wait for the write (made here if it never started); raise what it raised."""
        if self.thread is None:
            self.write()
            return
        self.thread.join()
        if self.error is not None:
            raise self.error


def refresh_triggers(
    *,
    years: Sequence[YearMarks],
    actor: Any,
    today: datetime.date,
    on_roll_from: Mapping[tuple[int, int, int], datetime.date] | None = None,
    pending_write: tuple[Callable[[], None], Mapping[int, MarksSpan]] | None = None,
) -> TriggerChanges:
    """Bring the worklist in step with the rules for these pupil-years: a new firing opens
    one item (or records it closed if it has already ended), an item whose condition ended
    is closed, one the corrected marks no longer show is closed as such, and an item still
    in force when its school year is over is closed. Audited per item created, closed or
    re-opened.

    Only the pupil-years whose worklist can change are evaluated (see `YearMarks`), and in
    them only what can have changed: firings that ended before the first changed session
    stand as they are.

    `pending_write` is a write of these years not yet made, and their spans: the marks the
    rules need are read as they were and the spans put in, then the write is made alongside
    the rules (`save_and_refresh`)."""
    writing = _WriteAlongside(pending_write[0]) if pending_write is not None else None
    try:
        return _refresh_triggers(
            years=years, actor=actor, today=today, on_roll_from=on_roll_from, writing=writing,
            spans=pending_write[1] if pending_write is not None else {},
        )  # fmt: skip
    finally:
        if writing is not None and writing.thread is not None and writing.thread.is_alive():
            writing.thread.join()  # never leave the connection in use by the thread


def _refresh_triggers(
    *,
    years: Sequence[YearMarks],
    actor: Any,
    today: datetime.date,
    on_roll_from: Mapping[tuple[int, int, int], datetime.date] | None,
    writing: _WriteAlongside | None,
    spans: Mapping[int, MarksSpan],
) -> TriggerChanges:
    if not years:
        if writing is not None:
            writing.finish()
        return TriggerChanges()
    now = timezone.now()
    school_years = {year.key[2] for year in years}
    followed = set(
        AttendanceTrigger.objects.filter(
            status=AttendanceTrigger.Status.OPEN, school_year__in=school_years
        ).values_list("child_id", "school_id", "school_year")
    )

    def worth_evaluating(group: list[YearMarks], context: RuleContext) -> npt.NDArray[np.bool_]:
        return np.array(
            [
                year.recheck
                or year.has_n
                or year.key in followed
                or year.key in context.placed_on
                or (year.key in context.on_roll_from and not year.has_attendance)
                for year in group
            ],
            dtype=np.bool_,
        )

    evaluated = evaluate_years(
        years,
        today=today,
        on_roll_from=on_roll_from,
        rules=WORKLIST_RULES,
        only_if=worth_evaluating,
        spans=spans,
        after_reading=writing.start if writing is not None else None,
    )
    if writing is not None:
        writing.finish()
    if not evaluated:
        return TriggerChanges()
    # A year's file starts every pupil-year at its first session: each date worked out once.
    first_changed = functools.cache(date_of_day)
    changed_from = {
        year.key: first_changed(year.school_year, year.changed_from // 2)
        for year, _evaluation in evaluated
    }
    earliest = min(changed_from.values())
    stored: dict[tuple[int, int, int], list[AttendanceTrigger]] = defaultdict(list)
    # Items exist only for stored pupil-years (they are made after the year is saved, and
    # move with it when records are merged): a year the import starts has none to read.
    followed_children = [year.key[0] for year, _evaluation in evaluated if year.id is not None]
    for chunk in _chunks(followed_children):
        for trigger in AttendanceTrigger.objects.filter(
            Q(status=AttendanceTrigger.Status.OPEN)
            | Q(ended_on__isnull=True)
            | Q(ended_on__gte=earliest),
            child_id__in=chunk,
            school_year__in=school_years,
        ):
            key = (trigger.child_id, trigger.school_id, trigger.school_year)
            if key in changed_from and trigger.is_current_on(changed_from[key]):
                stored[key].append(trigger)
    sync = _Sync(now=now, today=today)
    for year, evaluation in evaluated:
        key = year.key
        since = changed_from[key]
        firings = [
            firing
            for firing in evaluation.firings
            if firing.ended_on is None or firing.ended_on >= since
        ]
        found = stored.get(key, [])
        if found or firings:
            sync.pupil_year(key, firings, found)
    return sync.save(actor=actor)


def _overlaps(trigger: AttendanceTrigger, firing: Firing) -> bool:
    far = datetime.date.max
    return trigger.fired_on < (firing.ended_on or far) and firing.fired_on < (
        trigger.ended_on or far
    )


class _Sync:
    """The changes to the worklist for a set of pupil-years, saved together."""

    def __init__(self, *, now: datetime.datetime, today: datetime.date) -> None:
        self.now = now
        self.today = today
        self.new: list[_NewItem] = []
        self.changed: list[AttendanceTrigger] = []
        self.reopened: list[AttendanceTrigger] = []
        self.closed: list[AttendanceTrigger] = []

    def pupil_year(
        self,
        key: tuple[int, int, int],
        firings: Sequence[Firing],
        stored: list[AttendanceTrigger],
    ) -> None:
        child_id, school_id, school_year = key
        year_over = year_end(school_year) < self.today
        unmatched = sorted(stored, key=lambda trigger: (trigger.fired_on, trigger.pk))
        for firing in firings:
            if firing.rule not in WORKLIST_RULES:
                continue
            status, closure = self._state(firing, year_over=year_over)
            match = next(
                (
                    trigger
                    for trigger in unmatched
                    if trigger.rule == firing.rule and _overlaps(trigger, firing)
                ),
                None,
            )
            if match is None:
                self.new.append(
                    _NewItem(
                        child_id,
                        school_id,
                        school_year,
                        firing.rule.value,
                        firing.start_date,
                        firing.fired_on,
                        firing.ended_on,
                        firing.detail[:300],
                        str(status),
                        str(closure),
                    )
                )
                continue
            unmatched.remove(match)
            self._update(match, firing, status, closure)
        for trigger in unmatched:
            if trigger.is_open:
                self._close(trigger, AttendanceTrigger.Closure.MARKS_CORRECTED)
                self.changed.append(trigger)

    def _state(self, firing: Firing, *, year_over: bool) -> tuple[str, str]:
        if firing.ended_on is not None:
            return AttendanceTrigger.Status.CLOSED, AttendanceTrigger.Closure.CONDITION_ENDED
        if year_over:
            return AttendanceTrigger.Status.CLOSED, AttendanceTrigger.Closure.YEAR_ENDED
        return AttendanceTrigger.Status.OPEN, ""

    def _close(self, trigger: AttendanceTrigger, closure: str) -> None:
        trigger.status = AttendanceTrigger.Status.CLOSED
        trigger.closure = closure
        trigger.closed_at = self.now
        self.closed.append(trigger)

    def _update(
        self, trigger: AttendanceTrigger, firing: Firing, status: str, closure: str
    ) -> None:
        before = (
            trigger.start_date,
            trigger.fired_on,
            trigger.ended_on,
            trigger.detail,
            trigger.status,
            trigger.closure,
        )
        trigger.start_date = firing.start_date
        trigger.fired_on = firing.fired_on
        trigger.ended_on = firing.ended_on
        trigger.detail = firing.detail[:300]
        if status != trigger.status:
            if status == AttendanceTrigger.Status.OPEN:
                trigger.status, trigger.closure, trigger.closed_at = status, "", None
                self.reopened.append(trigger)
            else:
                self._close(trigger, closure)
        elif status == AttendanceTrigger.Status.CLOSED:
            trigger.closure = closure
        after = (
            trigger.start_date,
            trigger.fired_on,
            trigger.ended_on,
            trigger.detail,
            trigger.status,
            trigger.closure,
        )
        if after != before:
            self.changed.append(trigger)

    def save(self, *, actor: Any) -> TriggerChanges:
        new_ids = self._create()
        if connection.vendor == "postgresql" and len(self.changed) > _COPY_FROM:
            update_rows(
                AttendanceTrigger._meta.db_table,
                _TRIGGER_CHANGES,
                (
                    [trigger.pk, *(getattr(trigger, name) for name in _TRIGGER_CHANGES)]
                    for trigger in self.changed
                ),
            )
        else:
            AttendanceTrigger.objects.bulk_update(
                self.changed, fields=list(_TRIGGER_CHANGES), batch_size=1000
            )
        events = [
            _event(item, created=True, subject=(_TRIGGER_REFERENCE, str(item_id)))
            for item, item_id in zip(self.new, new_ids, strict=True)
        ]
        events += [_event(trigger, created=False) for trigger in self.reopened + self.closed]
        audit.record_events(actor=actor, events=events)
        return TriggerChanges(
            created=len(self.new),
            opened=sum(item.is_open for item in self.new),
            reopened=len(self.reopened),
            closed=len(self.closed),
        )

    def _create(self) -> list[int]:
        """Write the new items; their ids. A back-filled year makes thousands: on PostgreSQL
        they go by COPY as lines, without a model instance each."""
        if connection.vendor == "postgresql" and len(self.new) > _COPY_FROM:
            table = AttendanceTrigger._meta.db_table
            ids = next_ids(table, len(self.new))
            stamp = copy_value(self.now)
            closed_at = {True: copy_value(None), False: stamp}  # by whether the item is open
            copy_lines(
                table,
                _TRIGGER_COLUMNS,
                [
                    f"{item_id}\t{item.child_id}\t{item.school_id}\t{item.school_year}\t"
                    f"{item.rule}\t{item.start_date}\t{item.fired_on}\t"
                    f"{copy_value(item.ended_on)}\t{copy_value(item.detail)}\t{item.status}\t"
                    f"{item.closure}\t{stamp}\t{closed_at[item.is_open]}\n"
                    for item, item_id in zip(self.new, ids, strict=True)
                ],
            )
            return ids
        triggers = [
            AttendanceTrigger(
                **item._asdict(),
                opened_at=self.now,
                closed_at=None if item.is_open else self.now,
            )
            for item in self.new
        ]
        AttendanceTrigger.objects.bulk_create(triggers, batch_size=1000)
        return [trigger.pk for trigger in triggers]


_TRIGGER_REFERENCE: Final = audit.subject_type(AttendanceTrigger)


class _NewItem(NamedTuple):
    """A worklist item to be created (`_Sync`), its columns but the id and timestamps."""

    child_id: int
    school_id: int
    school_year: int
    rule: str
    start_date: datetime.date
    fired_on: datetime.date
    ended_on: datetime.date | None
    detail: str
    status: str
    closure: str

    @property
    def is_open(self) -> bool:
        return self.status == AttendanceTrigger.Status.OPEN


def _event(
    trigger: AttendanceTrigger | _NewItem,
    *,
    created: bool,
    subject: tuple[str, str] | None = None,
) -> audit.Event:
    """One event per item created (open, or already ended in a back-filled year) and per
    item closed or re-opened later. A new item is named by `subject`."""
    title = RULES[Rule(trigger.rule)].title
    reason = AttendanceTrigger.Closure(trigger.closure).label.lower() if trigger.closure else ""
    if trigger.is_open:
        kind = AuditEvent.Kind.ATTENDANCE_TRIGGER_OPENED
        summary = f"Attendance trigger{'' if created else ' re-opened'}: {title}"
    elif created:
        kind = AuditEvent.Kind.ATTENDANCE_TRIGGER_OPENED
        summary = f"Attendance trigger, already closed ({reason}): {title}"
    else:
        kind = AuditEvent.Kind.ATTENDANCE_TRIGGER_CLOSED
        summary = f"Attendance trigger closed ({reason}): {title}"
    return audit.Event(
        kind=kind,
        subject=subject or trigger,  # type: ignore[arg-type]  # a _NewItem always has one
        summary=summary,
        child_id=trigger.child_id,
        details={
            "rule": trigger.rule,
            "school_id": trigger.school_id,
            "start_date": trigger.start_date,
            "fired_on": trigger.fired_on,
            "ended_on": trigger.ended_on,
            "detail": trigger.detail,
        },
    )


def close_triggers_of_ended_years(*, today: datetime.date, actor: Any) -> int:
    """Close the items still open from school years that are over (a run cannot carry into
    the next year: the rules read one school year at a time)."""
    with transaction.atomic():
        ending = list(
            AttendanceTrigger.objects.select_for_update().filter(
                status=AttendanceTrigger.Status.OPEN, school_year__lt=school_year_of(today)
            )
        )
        sync = _Sync(now=timezone.now(), today=today)
        for trigger in ending:
            sync._close(trigger, AttendanceTrigger.Closure.YEAR_ENDED)
            sync.changed.append(trigger)
        return sync.save(actor=actor).closed


def re_evaluate_pupil(
    *, child: Child, school: School, actor: Any, today: datetime.date
) -> TriggerChanges:
    """Refresh the worklist for a child's stored years at a school (after something the
    rules read besides the marks changed, such as a placement)."""
    years = [
        YearMarks(
            key=(row.child_id, row.school_id, row.school_year),
            id=row.pk,
            symbols=np.frombuffer(
                row.marks.ljust(sessions_in_year(row.school_year), NO_MARK).encode("ascii"),
                dtype=np.uint8,
            ),
        )  # the defaults: evaluated whatever the marks
        for row in AttendanceYear.objects.filter(
            child=child, school=school, school_year=school_year_of(today)
        )
    ]
    return refresh_triggers(years=years, actor=actor, today=today)


def watch_attendance_after_placement(
    *,
    child: Child,
    school: School,
    placed_on: datetime.date,
    actor: Any,
    ends_on: datetime.date | None = None,
) -> PlacementMonitoring:
    """Start watching the attendance of a child the CME service placed at `school` (for the
    cases app when a placement is recorded): the post-placement rule then applies to the
    child's marks there from `placed_on`."""
    if ends_on is not None and ends_on < placed_on:
        msg = "Monitoring cannot end before the placement"
        raise ValueError(msg)
    with transaction.atomic():
        watch = PlacementMonitoring.objects.create(
            child=child,
            school=school,
            placed_on=placed_on,
            ends_on=ends_on,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record_event(
            kind=AuditEvent.Kind.PLACEMENT_MONITORED,
            actor=actor,
            subject=watch,
            summary=f"Attendance at {school.name} watched after the placement",
            child_id=child.pk,
            details={"school_id": school.pk, "placed_on": placed_on, "ends_on": ends_on},
        )
        re_evaluate_pupil(child=child, school=school, actor=actor, today=timezone.localdate())
    return watch


def record_follow_up(
    *, actor: Any, trigger: AttendanceTrigger, action: TriggerFollowUp.Action, note: str
) -> TriggerFollowUp:
    """Record what the CME team did about a worklist item (open or already closed: what was
    done still belongs with it). Audited, with the note."""
    with transaction.atomic():
        follow_up = TriggerFollowUp.objects.create(
            trigger=trigger,
            action=action,
            note=note,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            recorded_at=timezone.now(),
        )
        audit.record_event(
            kind=AuditEvent.Kind.ATTENDANCE_TRIGGER_FOLLOWED_UP,
            actor=actor,
            subject=trigger,
            summary=f"{action.label}: {RULES[Rule(trigger.rule)].title}",
            child_id=trigger.child_id,
            details={"action": action.value, "note": note, "follow_up_id": follow_up.pk},
        )
    return follow_up
