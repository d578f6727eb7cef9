"""Writing many rows at once with PostgreSQL's COPY, for imports of a whole year's registers.

Owns the COPY text format (tab-separated, `\\N` for null, backslash, tab and line breaks
escaped) and taking ids from a table's sequence ahead of the rows, so rows written by COPY can
be referred to (an audit event names its subject by id). PostgreSQL only: callers fall back to
Django's bulk operations elsewhere.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection


def copy_value(value: Any) -> str:
    """One value in COPY's text format: dicts and lists as JSON, dates in ISO form. (Called
    for every value of a year's import: the commonest types are tested first.)"""
    kind = type(value)
    text: str
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is str:
        text = value
    elif kind is bool:
        return "t" if value else "f"
    elif isinstance(value, datetime.date):  # and datetimes
        return value.isoformat()
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    # str.replace, not str.translate: translate looks each character up in a dict, and a
    # year's marks are 9.5 million characters with a backslash in most of their rows.
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_lines(table: str, columns: Sequence[str], lines: Sequence[str]) -> int:
    """COPY rows already in the text format (one line each, ending in a newline; values by
    `copy_value`) into `table` (names from a model's _meta, never from input); returns how
    many. Runs in the caller's transaction."""
    if not lines:
        return 0
    # psycopg's errors raised as Django's (IntegrityError...), as the ORM's would be.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write("".join(lines).encode("utf-8"))
    return len(lines)


@contextmanager
def foreign_keys_checked_now(table: str) -> Iterator[None]:
    """Inside this, rows written to `table` have their foreign keys checked as each statement
    ends, not at commit (Django makes every foreign key deferred): a write made in a thread
    alongside other work then takes its checks with it, instead of leaving them to the
    commit, after everything else. Deferred again on the way out; not if the block fails
    (a failed statement has aborted the transaction, and the caller's rolls back)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(conname) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' AND condeferred",
            [table],
        )
        names = ", ".join(name for (name,) in cursor.fetchall())
        if not names:
            yield
            return
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        yield
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


def next_ids(table: str, count: int) -> list[int]:
    """`count` ids taken from the sequence of `table`'s `id` column, for rows about to be
    written with explicit ids."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def update_lines(table: str, columns: Sequence[str], lines: Sequence[str]) -> int:
    """Update rows of `table` by id from lines in COPY's text format (id first, then
    `columns`): COPY into a temporary table, then one UPDATE joining it."""
    if not lines:
        return 0
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE copied_changes ON COMMIT DROP AS "  # noqa: S608 - names from a model
            f"SELECT id, {names} FROM {table} WITH NO DATA"
        )
        copy_lines("copied_changes", ("id", *columns), lines)
        assignments = ", ".join(f"{column} = changes.{column}" for column in columns)
        cursor.execute(
            f"UPDATE {table} AS target SET {assignments} "  # noqa: S608 - names from a model
            "FROM copied_changes AS changes WHERE target.id = changes.id"
        )
        cursor.execute("DROP TABLE copied_changes")
    return len(lines)


def update_with_expressions(
    table: str,
    columns: Sequence[tuple[str, str]],
    lines: Sequence[str],
    assignments: Mapping[str, str],
    params: Sequence[Any] = (),
) -> int:
    """Update rows of `table` by id from lines in COPY's text format (id first, then
    `columns`, each named with its SQL type), setting each assigned column to an SQL
    expression over `target` (the row as stored) and `changes` (its line), with `params`
    for the expressions' placeholders."""
    if not lines:
        return 0
    definitions = ", ".join(f"{name} {sql_type}" for name, sql_type in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE copied_changes (id bigint, {definitions}) ON COMMIT DROP"
        )
        copy_lines("copied_changes", ("id", *(name for name, _type in columns)), lines)
        settings = ", ".join(f"{column} = {value}" for column, value in assignments.items())
        cursor.execute(
            f"UPDATE {table} AS target SET {settings} "  # noqa: S608 - names from a model
            "FROM copied_changes AS changes WHERE target.id = changes.id",
            list(params),
        )
        cursor.execute("DROP TABLE copied_changes")
    return len(lines)


def array_literal(values: Sequence[int] | Sequence[str]) -> str:
    """`values` as one array in PostgreSQL's text form (`{1,2}`, `{"a","b"}`), to pass as a
    single parameter and cast: psycopg adapts a long Python list element by element, which
    for the 25,000 children of an authority's file takes a tenth of a second."""
    if all(isinstance(value, int) for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    quoted = ('"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values)
    return "{" + ",".join(quoted) + "}"


def update_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """`update_lines` from rows of values (id first)."""
    return update_lines(table, columns, ["\t".join(map(copy_value, row)) + "\n" for row in rows])
