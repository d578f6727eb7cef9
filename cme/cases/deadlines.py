"""When work on a case is due: a deadline for each state, as data, and the date arithmetic.

No queries and no settings here: `state_due_on` takes the council's overrides and term dates
as arguments, so every rule can be tested exhaustively (Hypothesis) and the table shown as it
is. The defaults, in school days from entering the state, come from the policy and the
current rules (docs/domain.md b4):

- referred → 2: the policy checks every referral against the pupil information system on
  receipt; the Children's Commissioner criticised the "lack of urgency" in starting.
- checking → 5: the pupil register and Lost Pupil Database checks (the 5-day rhythm of new
  pupil returns and code N).
- confirmed missing → 2: start locating, which starts the reasonable enquiries.
- locating → 20: joint reasonable enquiries before deletion ground (i) (20 school days); some
  councils upload a lost CTF after 20 school days.
- whereabouts unknown → the start of the next term: re-checked every term, never closed by
  waiting.
- located → 10, arranging provision → 20: a timely in-year admission.
- placed → 10: check the child started (a failure to start is flagged after 5 school days).
- monitoring → 30: six school weeks of attendance, as a part-time timetable is reviewed.

School days are Monday to Friday. Holidays are not known to the service, so a deadline that
falls in a holiday is early rather than late.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .workflow import CaseStatus

SATURDAY = 5


@dataclass(frozen=True)
class SchoolDays:
    """Due this many school days after the case entered the state."""

    days: int


@dataclass(frozen=True)
class NextTermStart:
    """Due at the start of the next term (a termly re-check)."""


Deadline = SchoolDays | NextTermStart

S = CaseStatus
STATE_DEADLINES: dict[CaseStatus, Deadline] = {
    S.REFERRED: SchoolDays(2),
    S.CHECKING: SchoolDays(5),
    S.CONFIRMED_MISSING: SchoolDays(2),
    S.LOCATING: SchoolDays(20),
    S.WHEREABOUTS_UNKNOWN: NextTermStart(),
    S.LOCATED: SchoolDays(10),
    S.ARRANGING_PROVISION: SchoolDays(20),
    S.PLACED: SchoolDays(10),
    S.MONITORING: SchoolDays(30),
}
# What each deadline asks for, in the words shown beside it.
DUE_FOR: dict[CaseStatus, str] = {
    S.REFERRED: "Start the checks",
    S.CHECKING: "Finish the checks",
    S.CONFIRMED_MISSING: "Start locating the child",
    S.LOCATING: "Locate the child, or record the whereabouts as unknown",
    S.WHEREABOUTS_UNKNOWN: "Termly re-check of the child's whereabouts",
    S.LOCATED: "Start arranging a school place",
    S.ARRANGING_PROVISION: "Secure a school place",
    S.PLACED: "Check the child has started",
    S.MONITORING: "Review attendance and decide whether to close",
}

# Term starts when the council has listed none (month, day): the first weekday on or after.
DEFAULT_TERM_STARTS: tuple[tuple[int, int], ...] = ((1, 4), (4, 15), (9, 1))


def is_school_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY


def next_school_day(day: datetime.date) -> datetime.date:
    """`day` itself if it is a school day, else the Monday after."""
    while not is_school_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_school_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th school day after `start` (`start` itself not counted); `start` moved to
    the next school day when `days` is 0."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_school_day(day):
            counted += 1
    return next_school_day(day)


def default_term_starts(years: Iterable[int]) -> list[datetime.date]:
    return sorted(
        next_school_day(datetime.date(year, month, day))
        for year in years
        for month, day in DEFAULT_TERM_STARTS
    )


def next_term_start(
    after: datetime.date, *, term_dates: Iterable[datetime.date] = ()
) -> datetime.date:
    """The first term start after `after`: from the council's list when it reaches that far,
    else from the default dates."""
    listed = sorted(day for day in term_dates if day > after)
    if listed:
        return listed[0]
    return next(
        day for day in default_term_starts(range(after.year, after.year + 2)) if day > after
    )


def state_due_on(
    status: CaseStatus,
    entered_on: datetime.date,
    *,
    school_days: Mapping[str, int] | None = None,
    term_dates: Iterable[datetime.date] = (),
) -> datetime.date | None:
    """When the work of `status` is due for a case that entered it on `entered_on` (None for a
    closed case). `school_days` overrides the default number of school days per state."""
    deadline = STATE_DEADLINES.get(status)
    if deadline is None:
        return None
    if isinstance(deadline, NextTermStart):
        return next_term_start(entered_on, term_dates=term_dates)
    days = (school_days or {}).get(status.value, deadline.days)
    return add_school_days(entered_on, days)


def days_overdue(due_on: datetime.date | None, today: datetime.date) -> int:
    """How many days past its due date (0 when not yet due, or nothing is due)."""
    if due_on is None:
        return 0
    return max(0, (today - due_on).days)


def days_label(days: int) -> str:
    """ "1 day", "23 days"."""
    return f"{days} day{'' if days == 1 else 's'}"


def elapsed_label(since: datetime.date, today: datetime.date) -> str:
    """The time since `since` in days: "0 days", "1 day", "23 days"."""
    return days_label(max(0, (today - since).days))
