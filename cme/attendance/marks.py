"""Register marks packed one character per session, and what each mark counts as.

Owns the packed form in which a pupil's year of marks is stored (`AttendanceYear.marks`) and
read by the rules: one character per session, session 0 being the morning of 1 September of
the school year and session 2d + 1 the afternoon of day d. A session with no mark in any
file is `NO_MARK` ("."); national codes of one character are stored as themselves and the
two-character codes of the 2024 set as one character each (`SYMBOL_OF_CODE`). A mark is read
with the code set in force on its date (cme.standards.attendance_codes), so the same
character can mean different things either side of 19 August 2024 (`T`, `C`, `B`).

Each session is classified into a `Kind`: the statistical category of its code, with the
codes the rules single out (I, E, C2, G, N, O, U, `#`, `-`) kept apart. A day's two kinds
make one byte (`day byte` = morning kind x 16 + afternoon kind), the unit the rules read.

No Django here: the importer, the rules, the views and the benchmark all use it.
"""

from __future__ import annotations

import datetime
import enum
import functools
from typing import Final

import numpy as np
import numpy.ma  # np.unique imports it on first use (40 ms): done with this module instead
import numpy.typing as npt

from cme.standards.attendance_codes import (
    CODE_SET_2024_START,
    CodeSet,
    StatisticalCategory,
    codes_in_set,
    lookup_attendance_code,
)

NO_MARK: Final = "."
AM: Final = 0
PM: Final = 1
SESSION_NAMES: Final = ("AM", "PM")

# Two-character codes of the 2024 set, one character each in the packed form. Every other
# code (both sets) is a single character and is stored as itself.
TWO_CHARACTER_SYMBOLS: Final = {
    "C1": "c",
    "C2": "p",  # part-time timetable
    "J1": "j",
    "Y1": "1",
    "Y2": "2",
    "Y3": "3",
    "Y4": "4",
    "Y5": "5",
    "Y6": "6",
    "Y7": "7",
}


class Kind(enum.IntEnum):
    """What a session's mark counts as, for the rules and the figures.

    Kinds from PRESENT up are counted in possible sessions (DfE); PRESENT and APPROVED count
    as attendance; ILLNESS to OTHER_AUTHORISED are authorised absence; G, N, O, U
    unauthorised.
    """

    NONE = 0  # no mark in any file: not a school day for the pupil
    CLOSED = 1  # "#": planned closure, not a school day
    NOT_YET = 2  # "-": register taken, no mark entered yet
    NOT_COUNTED = 3  # D, X, Y, Z...: the school met, the session is not a possible one
    PRESENT = 4
    APPROVED = 5  # approved educational activity: counts as attendance
    OTHER_AUTHORISED = 6
    ILLNESS = 7  # I
    EXCLUDED = 8  # E: suspended or excluded, no alternative provision
    PART_TIME = 9  # C2: part-time timetable (2024 set only)
    HOLIDAY_NOT_AGREED = 10  # G
    NOT_ESTABLISHED = 11  # N
    OTHER_UNAUTHORISED = 12  # O
    LATE_AFTER_CLOSE = 13  # U


COUNTED_KINDS: Final = frozenset(kind for kind in Kind if kind >= Kind.PRESENT)
ATTENDED_KINDS: Final = frozenset({Kind.PRESENT, Kind.APPROVED})
AUTHORISED_KINDS: Final = frozenset(
    {Kind.OTHER_AUTHORISED, Kind.ILLNESS, Kind.EXCLUDED, Kind.PART_TIME}
)
UNAUTHORISED_KINDS: Final = frozenset(
    {
        Kind.HOLIDAY_NOT_AGREED,
        Kind.NOT_ESTABLISHED,
        Kind.OTHER_UNAUTHORISED,
        Kind.LATE_AFTER_CLOSE,
    }
)
GNO_KINDS: Final = frozenset(
    {Kind.HOLIDAY_NOT_AGREED, Kind.NOT_ESTABLISHED, Kind.OTHER_UNAUTHORISED}
)
# Kinds of a day on which the school met (the register was taken).
SCHOOL_DAY_KINDS: Final = frozenset(kind for kind in Kind if kind >= Kind.NOT_YET)

_SPECIAL_KINDS: Final = {
    "#": Kind.CLOSED,
    "-": Kind.NOT_YET,
    "I": Kind.ILLNESS,
    "E": Kind.EXCLUDED,
    "C2": Kind.PART_TIME,
    "G": Kind.HOLIDAY_NOT_AGREED,
    "N": Kind.NOT_ESTABLISHED,
    "O": Kind.OTHER_UNAUTHORISED,
    "U": Kind.LATE_AFTER_CLOSE,
}
_CATEGORY_KINDS: Final = {
    StatisticalCategory.PRESENT: Kind.PRESENT,
    StatisticalCategory.APPROVED_EDUCATIONAL_ACTIVITY: Kind.APPROVED,
    StatisticalCategory.AUTHORISED_ABSENCE: Kind.OTHER_AUTHORISED,
    StatisticalCategory.UNAUTHORISED_ABSENCE: Kind.OTHER_UNAUTHORISED,
    StatisticalCategory.NOT_COUNTED: Kind.NOT_COUNTED,
    StatisticalCategory.MISSING: Kind.NOT_YET,
}
_PRE_2024_DAY: Final = CODE_SET_2024_START - datetime.timedelta(days=1)


def symbol_of_code(code: str) -> str:
    """The packed character for a national code (already trimmed and upper-cased)."""
    return TWO_CHARACTER_SYMBOLS.get(code, code)


@functools.cache
def _code_of_symbol() -> dict[str, str]:
    codes = {entry.code for code_set in _SETS for entry in codes_in_set(code_set)}
    return {symbol_of_code(code): code for code in codes}


def code_of_symbol(symbol: str) -> str:
    """The national code a packed character stands for ("" for NO_MARK)."""
    if symbol == NO_MARK:
        return ""
    return _code_of_symbol()[symbol]


_SETS: Final = (CodeSet.PRE_2024, CodeSet.SET_2024)


def kind_of_code(code: str, on: datetime.date) -> Kind | None:
    """The kind of a mark with national `code` dated `on`; None if that date's set has no
    such code."""
    entry = lookup_attendance_code(code, on)
    if entry is None:
        return None
    special = _SPECIAL_KINDS.get(entry.code)
    if special is not None:
        return special
    return _CATEGORY_KINDS[entry.statistical_category]


@functools.cache
def kind_table(code_set: CodeSet) -> npt.NDArray[np.uint8]:
    """Kind of each packed character (by its byte value) under `code_set`.

    A character that is not a code of that set reads as NOT_COUNTED: the importer never
    stores one, so it can only come from a damaged row, which then counts for nothing.
    """
    on = CODE_SET_2024_START if code_set is CodeSet.SET_2024 else _PRE_2024_DAY
    table = np.full(256, Kind.NOT_COUNTED, dtype=np.uint8)
    table[ord(NO_MARK)] = Kind.NONE
    for entry in codes_in_set(code_set):
        kind = kind_of_code(entry.code, on)
        if kind is not None:
            table[ord(symbol_of_code(entry.code))] = kind
    table.flags.writeable = False
    return table


# --- The school-year calendar --------------------------------------------------------------


def school_year_of(on: datetime.date) -> int:
    """The school year containing `on`, named by the calendar year it starts in (1 Sept)."""
    return on.year if on.month >= 9 else on.year - 1


def year_start(school_year: int) -> datetime.date:
    return datetime.date(school_year, 9, 1)


def year_end(school_year: int) -> datetime.date:
    """31 August: the last day of the school year."""
    return datetime.date(school_year + 1, 8, 31)


def days_in_year(school_year: int) -> int:
    return (year_start(school_year + 1) - year_start(school_year)).days


def sessions_in_year(school_year: int) -> int:
    return 2 * days_in_year(school_year)


def day_index(on: datetime.date, school_year: int) -> int:
    """Days from 1 September of `school_year` to `on` (negative before it)."""
    return (on - year_start(school_year)).days


def date_of_day(school_year: int, day: int) -> datetime.date:
    return year_start(school_year) + datetime.timedelta(days=day)


def session_index(on: datetime.date, session: int) -> int:
    """Where the mark for `session` (AM 0, PM 1) of `on` sits in its year's packed marks."""
    return 2 * day_index(on, school_year_of(on)) + session


def regime_2024_from_day(school_year: int) -> int:
    """The first day index of `school_year` read with the 2024 set (0 from 2024/25 on; past
    the year's end before 2023/24)."""
    start = day_index(CODE_SET_2024_START, school_year)
    return min(max(start, 0), days_in_year(school_year))


# --- Kinds of a year's marks ----------------------------------------------------------------


def padded(marks: str, school_year: int) -> str:
    """`marks` as stored (trailing NO_MARK trimmed) made up to the year's full length."""
    return marks.ljust(sessions_in_year(school_year), NO_MARK)


def session_kinds(marks: str, school_year: int) -> npt.NDArray[np.uint8]:
    """The kind of every session of the year (padded to its full length)."""
    raw = np.frombuffer(padded(marks, school_year).encode("ascii"), dtype=np.uint8)
    kinds: npt.NDArray[np.uint8] = kinds_of_matrix(raw.reshape(1, -1), school_year)[0]
    return kinds


def byte_lookup(
    table: npt.NDArray[np.uint8], values: npt.NDArray[np.uint8]
) -> npt.NDArray[np.uint8]:
    """`table[values]` for a table of 256 bytes, as a new (writable) array: by
    bytearray.translate, a third of the time numpy's indexing takes over a year's matrix."""
    translated = bytearray(np.ascontiguousarray(values)).translate(table.tobytes())
    return np.frombuffer(translated, dtype=np.uint8).reshape(values.shape)


def kinds_of_matrix(symbols: npt.NDArray[np.uint8], school_year: int) -> npt.NDArray[np.uint8]:
    """Kinds of a matrix of packed marks, one row per pupil-year of `school_year`."""
    boundary = 2 * regime_2024_from_day(school_year)
    if boundary == 0:
        return byte_lookup(kind_table(CodeSet.SET_2024), symbols)
    kinds = byte_lookup(kind_table(CodeSet.PRE_2024), symbols)
    if boundary < symbols.shape[1]:
        kinds[:, boundary:] = byte_lookup(kind_table(CodeSet.SET_2024), symbols[:, boundary:])
    return kinds


def kinds_at(
    symbols: npt.NDArray[np.uint8],
    positions: npt.NDArray[np.integer],
    school_years: npt.NDArray[np.integer],
) -> npt.NDArray[np.uint8]:
    """Kinds of single marks: each symbol read with the code set in force at its session
    (`positions[i]` of school year `school_years[i]`)."""
    years = np.unique(school_years)
    boundaries = np.array([2 * regime_2024_from_day(int(year)) for year in years])
    boundary = boundaries[np.searchsorted(years, school_years)]
    kinds: npt.NDArray[np.uint8] = np.where(
        positions >= boundary,
        kind_table(CodeSet.SET_2024)[symbols],
        kind_table(CodeSet.PRE_2024)[symbols],
    ).astype(np.uint8)
    return kinds


def day_bytes_of_kinds(kinds: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """One byte a day (morning kind x 16 + afternoon kind) from session kinds; works on one
    row or on a matrix of rows."""
    shaped = kinds.reshape((*kinds.shape[:-1], -1, 2))
    days: npt.NDArray[np.uint8] = ((shaped[..., 0] << 4) | shaped[..., 1]).astype(np.uint8)
    return days


def day_bytes(marks: str, school_year: int) -> bytes:
    """The year's day bytes for one pupil-year's packed marks."""
    return day_bytes_of_kinds(session_kinds(marks, school_year)).tobytes()
