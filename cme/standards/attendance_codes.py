"""National attendance codes: the 2024 set, the set used before it, and how each mark counts.

Owns the code table of spec section 4 and the rule that a mark is read with the set in force on
its date. Every row of the data file is kept, including those verified only by secondary sources
(S) or not at all (U): the `verification` field says which, so callers can flag them.
"""

# Data: data/attendance_codes.csv is a verbatim copy of shared/standards/attendance_codes.csv
# (compiled Nov 2026): SI 2024/208 reg 10 for the 2024 set and DfE attendance guidance 2009-2022
# for the earlier set; each row names its source and verification (V, S or U).

import datetime
import enum
import functools
from dataclasses import dataclass
from typing import Final

from cme.standards._data import read_bundled_csv

# The School Attendance (Pupil Registration) (England) Regulations 2024 apply to marks from this
# date; marks dated earlier are read with the pre-2024 set (spec section 4.3).
CODE_SET_2024_START: Final = datetime.date(2024, 8, 19)

_DATA_FILE: Final = "attendance_codes.csv"
_EXPECTED_COLUMNS: Final = (
    "code",
    "regime",
    "valid_from",
    "valid_to",
    "meaning",
    "guidance_group",
    "statistical_category",
    "counts_in_possible_sessions",
    "counts_as_attendance",
    "verification",
    "source",
)
_FLAGS: Final = {"Y": True, "N": False}


class CodeSet(enum.StrEnum):
    """The `regime` column: which national code set a row belongs to."""

    SET_2024 = "2024"
    PRE_2024 = "pre2024"
    # Only "-" (no mark yet), which is not a code in either set but appears in both.
    BOTH = "both"


class StatisticalCategory(enum.StrEnum):
    """How DfE statistics count a mark (spec section 4.1)."""

    PRESENT = "present"
    APPROVED_EDUCATIONAL_ACTIVITY = "approved_educational_activity"
    AUTHORISED_ABSENCE = "authorised_absence"
    UNAUTHORISED_ABSENCE = "unauthorised_absence"
    # Not a possible session: dual registration elsewhere, not required, unable to attend,
    # administrative codes.
    NOT_COUNTED = "not_counted"
    # "-": no mark entered yet. Missing data, not presence.
    MISSING = "missing"


class Verification(enum.StrEnum):
    """How far a row was checked (legend of spec.md)."""

    VERIFIED = "V"
    SECONDARY_SOURCES = "S"
    UNVERIFIED = "U"


# Possible sessions = present + AEA + authorised + unauthorised; attendance = present + AEA.
CATEGORIES_IN_POSSIBLE_SESSIONS: Final = frozenset(
    {
        StatisticalCategory.PRESENT,
        StatisticalCategory.APPROVED_EDUCATIONAL_ACTIVITY,
        StatisticalCategory.AUTHORISED_ABSENCE,
        StatisticalCategory.UNAUTHORISED_ABSENCE,
    }
)
CATEGORIES_COUNTED_AS_ATTENDANCE: Final = frozenset(
    {StatisticalCategory.PRESENT, StatisticalCategory.APPROVED_EDUCATIONAL_ACTIVITY}
)


@dataclass(frozen=True, slots=True)
class AttendanceCode:
    """One row of attendance_codes.csv.

    `source` is verbatim, so "as above" refers to the rows before it in the file.
    """

    code: str
    code_set: CodeSet
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    meaning: str
    guidance_group: str
    statistical_category: StatisticalCategory
    counts_in_possible_sessions: bool
    counts_as_attendance: bool
    verification: Verification
    source: str

    def is_in_force_on(self, on: datetime.date) -> bool:
        """True if `on` falls within the row's own valid_from/valid_to dates.

        `lookup_attendance_code` does not apply this: a withdrawn code in old data (F, whose
        withdrawal date is unverified) should be read and flagged, not discarded.
        """
        on = _as_date(on)
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_to is None or on <= self.valid_to


def _as_date(value: datetime.date) -> datetime.date:
    # A datetime is a date subclass but does not compare with one.
    return value.date() if isinstance(value, datetime.datetime) else value


def _optional_date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _flag(row: dict[str, str], column: str) -> bool:
    try:
        return _FLAGS[row[column]]
    except KeyError:
        msg = f"{_DATA_FILE}: {column} must be Y or N, got {row[column]!r}"
        raise ValueError(msg) from None


@functools.cache
def load_attendance_codes() -> tuple[AttendanceCode, ...]:
    """Return every row of the bundled table, in file order (cached)."""
    return tuple(
        AttendanceCode(
            code=row["code"],
            code_set=CodeSet(row["regime"]),
            valid_from=_optional_date(row["valid_from"]),
            valid_to=_optional_date(row["valid_to"]),
            meaning=row["meaning"],
            guidance_group=row["guidance_group"],
            statistical_category=StatisticalCategory(row["statistical_category"]),
            counts_in_possible_sessions=_flag(row, "counts_in_possible_sessions"),
            counts_as_attendance=_flag(row, "counts_as_attendance"),
            verification=Verification(row["verification"]),
            source=row["source"],
        )
        for row in read_bundled_csv(_DATA_FILE, _EXPECTED_COLUMNS)
    )


@functools.cache
def _index() -> dict[tuple[CodeSet, str], AttendanceCode]:
    index: dict[tuple[CodeSet, str], AttendanceCode] = {}
    for entry in load_attendance_codes():
        sets = (
            (CodeSet.SET_2024, CodeSet.PRE_2024)
            if entry.code_set is CodeSet.BOTH
            else (entry.code_set,)
        )
        for code_set in sets:
            if (code_set, entry.code) in index:
                msg = f"{_DATA_FILE}: code {entry.code!r} appears twice in set {code_set}"
                raise ValueError(msg)
            index[code_set, entry.code] = entry
    return index


def code_set_on(on: datetime.date) -> CodeSet:
    """The code set in force for a mark dated `on`."""
    return CodeSet.SET_2024 if _as_date(on) >= CODE_SET_2024_START else CodeSet.PRE_2024


def lookup_attendance_code(code: str, on: datetime.date) -> AttendanceCode | None:
    """Return the meaning of `code` for a mark dated `on`, or None if that set has no such code.

    The code is trimmed and upper-cased first (`c1` -> `C1`).
    """
    key = code.strip()
    if key.isascii():
        key = key.upper()
    return _index().get((code_set_on(on), key))


def codes_in_set(code_set: CodeSet) -> tuple[AttendanceCode, ...]:
    """Every row that applies in `code_set` (SET_2024 or PRE_2024), including "-"."""
    return tuple(
        entry
        for entry in load_attendance_codes()
        if entry.code_set is code_set or entry.code_set is CodeSet.BOTH
    )
