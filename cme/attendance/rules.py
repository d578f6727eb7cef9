"""The attendance rules: statutory triggers and absence flags over one pupil-year of marks.

Owns what each rule means (docs/interfaces.md `attendance_flags`; domain.md b2-b4), its
configurable threshold (`Thresholds`), its plain-words explanation for the officer
(`RULES`), and how it is found in a year of packed marks (cme.attendance.marks):

- a *run rule* holds on a day when a run of school days, each qualifying, has reached its
  length by then and no counted day has broken it since. Sessions not counted in possible
  sessions neither break nor extend a run; days without marks and planned closures (`#`)
  are not school days. One firing per run (`Firing`), ended on the first counted day that
  breaks it;
- a *rate rule* (persistent and severe absence) holds when the share of possible sessions
  missed in the school year to date reaches its percentage, once the pupil has a minimum of
  possible sessions. These are report flags, not worklist items.

`evaluate` reads one pupil-year; `evaluate_matrix` reads many of the same school year at
once, screening out with array sums the pupils for whom a rule cannot hold and running the
same per-pupil code on the rest, so both give the same answer (a property test holds it).

No Django: the rules run in the importer, the `attendance_flags` command, the views and
the benchmark, and are tested in milliseconds.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from .marks import (
    ATTENDED_KINDS,
    COUNTED_KINDS,
    GNO_KINDS,
    SCHOOL_DAY_KINDS,
    UNAUTHORISED_KINDS,
    Kind,
    byte_lookup,
    date_of_day,
    day_bytes,
    day_bytes_of_kinds,
    day_index,
    days_in_year,
    kinds_of_matrix,
    padded,
)


class Rule(enum.StrEnum):
    """The rules, named as in the `rule` column of `attendance_flags`."""

    UNAUTHORISED_ABSENCE_10_DAYS = "unauthorised_absence_10_days"
    SICKNESS_15_DAYS = "sickness_15_days"
    N_CODE_UNRESOLVED_5_DAYS = "n_code_unresolved_5_days"
    ABSENCE_20_DAYS_GNO = "absence_20_days_gno"
    PERSISTENT_ABSENCE = "persistent_absence"
    SEVERE_ABSENCE = "severe_absence"
    FAILED_TO_START = "failed_to_start"
    POST_PLACEMENT_ATTENDANCE = "post_placement_attendance"
    EXCLUSION_WITHOUT_PROVISION = "exclusion_without_provision"
    PART_TIME_TIMETABLE = "part_time_timetable"


REPORT_FLAGS: Final = frozenset({Rule.PERSISTENT_ABSENCE, Rule.SEVERE_ABSENCE})
WORKLIST_RULES: Final = frozenset(Rule) - REPORT_FLAGS


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every rule's threshold. The defaults are the law's and DfE's numbers; the authority
    sets its own in the `ATTENDANCE_THRESHOLDS` setting."""

    # Attendance return (reg 13): continuous school days of unauthorised absence.
    unauthorised_absence_days: int = 10
    # Sickness return (reg 13) and the s.19 duty: school days of illness in the school year.
    sickness_days: int = 15
    # Code N must be replaced within this many school days.
    n_code_school_days: int = 5
    # Deletion ground (i): continuous school days coded G, N or O.
    gno_absence_days: int = 20
    # DfE persistent and severe absence: percentage of possible sessions missed.
    persistent_absence_percent: int = 10
    severe_absence_percent: int = 50
    # Persistent and severe absence are flagged only from this many possible sessions.
    rate_minimum_sessions: int = 20
    # Failed to start: school days on roll without attending a session.
    failed_to_start_days: int = 5
    # After a CME placement: attendance below this percentage (the policy's local 90%),
    # counted from this many possible sessions after the placement.
    post_placement_percent: int = 90
    post_placement_minimum_sessions: int = 10
    # Code E should not run beyond this many school days (provision from the day after).
    exclusion_days: int = 5
    # A part-time timetable (C2) is reviewed after this many school weeks (5 school days).
    part_time_weeks: int = 6

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                msg = f"attendance threshold {name} must be a whole number of at least 1"
                raise ValueError(msg)
        for name in (
            "persistent_absence_percent",
            "severe_absence_percent",
            "post_placement_percent",
        ):
            if getattr(self, name) > 100:
                msg = f"attendance threshold {name} is a percentage: at most 100"
                raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class RuleDefinition:
    """A rule's name, its title on the worklist, and its plain-words explanation."""

    rule: Rule
    title: str
    on_worklist: bool
    explain: Callable[[Thresholds], str]

    def explanation(self, thresholds: Thresholds) -> str:
        return self.explain(thresholds)


RULES: Final[dict[Rule, RuleDefinition]] = {
    definition.rule: definition
    for definition in (
        RuleDefinition(
            Rule.UNAUTHORISED_ABSENCE_10_DAYS,
            "Unauthorised absence for 10 school days in a row",
            True,
            lambda t: (
                f"Absent without authorisation on {t.unauthorised_absence_days} or more "
                "school days in a row: every session the school counted on each of those "
                "days is coded G, N, O or U. The school must include the pupil in its "
                "attendance return to the local authority."
            ),
        ),
        RuleDefinition(
            Rule.SICKNESS_15_DAYS,
            "Illness on 15 school days this year",
            True,
            lambda t: (
                f"Ill (code I) on {t.sickness_days} or more school days this school year, "
                "in one spell or added up; a half day counts as half. The school must make a "
                "sickness return, and the local authority may have to arrange education "
                "(section 19). One item for each spell of illness."
            ),
        ),
        RuleDefinition(
            Rule.N_CODE_UNRESOLVED_5_DAYS,
            "Code N not replaced within 5 school days",
            True,
            lambda t: (
                "A session is still coded N (reason for absence not yet established) "
                f"{t.n_code_school_days} school days later. The school must replace N with "
                f"the right code within {t.n_code_school_days} school days."
            ),
        ),
        RuleDefinition(
            Rule.ABSENCE_20_DAYS_GNO,
            "Absent 20 school days coded G, N or O: deletion ground (i) approaching",
            True,
            lambda t: (
                f"Absent on {t.gno_absence_days} or more school days in a row with every "
                "counted session coded G, N or O. The school may soon delete the pupil from "
                "its roll under ground (i), but only after it and the local authority have "
                "made reasonable enquiries together without finding the child."
            ),
        ),
        RuleDefinition(
            Rule.PERSISTENT_ABSENCE,
            "Persistent absence",
            False,
            lambda t: (
                f"Missed {t.persistent_absence_percent}% or more of possible sessions this "
                "school year (DfE's definition of persistent absence), counted once the "
                f"pupil has {t.rate_minimum_sessions} possible sessions."
            ),
        ),
        RuleDefinition(
            Rule.SEVERE_ABSENCE,
            "Severe absence",
            False,
            lambda t: (
                f"Missed {t.severe_absence_percent}% or more of possible sessions this school "
                "year (DfE's definition of severe absence), counted once the pupil has "
                f"{t.rate_minimum_sessions} possible sessions."
            ),
        ),
        RuleDefinition(
            Rule.FAILED_TO_START,
            "Took up a place but has not attended",
            True,
            lambda t: (
                "Joined the school's roll this school year and has not attended a single "
                f"session in the {t.failed_to_start_days} or more school days since."
            ),
        ),
        RuleDefinition(
            Rule.POST_PLACEMENT_ATTENDANCE,
            "Low attendance after a CME placement",
            True,
            lambda t: (
                "Placed at this school by the children missing education service, and has "
                f"attended less than {t.post_placement_percent}% of possible sessions since "
                f"(counted once there are {t.post_placement_minimum_sessions} possible "
                "sessions)."
            ),
        ),
        RuleDefinition(
            Rule.EXCLUSION_WITHOUT_PROVISION,
            "Excluded without provision for more than 5 school days",
            True,
            lambda t: (
                "Suspended or permanently excluded with no alternative provision (code E) "
                f"for more than {t.exclusion_days} school days in a row. Suitable full-time "
                f"education must be provided from day {t.exclusion_days + 1}."
            ),
        ),
        RuleDefinition(
            Rule.PART_TIME_TIMETABLE,
            "Part-time timetable running past its review",
            True,
            lambda t: (
                f"On a part-time timetable (code C2) for more than {t.part_time_weeks} "
                f"school weeks ({t.part_time_weeks * 5} school days) in a row. A part-time "
                "timetable must be temporary, reviewed, and overseen by the local authority."
            ),
        ),
    )
}


@dataclass(frozen=True, slots=True)
class PupilYear:
    """One pupil's marks at one school in one school year, with what the rules need to
    know beyond the marks.

    `marks` is the packed form (cme.attendance.marks); it may be shorter than the year.
    `on_roll_from` is the start date of an enrolment at the school that began in this school
    year (failed to start); `placed_on` the date the CME service placed the child there
    (post-placement monitoring). Either is None when it does not apply.
    """

    school_year: int
    marks: str
    on_roll_from: datetime.date | None = None
    placed_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class Firing:
    """One firing of a worklist rule: a run (or spell) that reached the rule's threshold.

    `start_date` is the first school day of the run; `fired_on` the school day on which the
    threshold was reached; `ended_on` the first school day on which the condition no longer
    held, or None if it still holds on the evaluation date. `detail` says it in plain words.
    """

    rule: Rule
    start_date: datetime.date
    fired_on: datetime.date
    ended_on: datetime.date | None
    detail: str

    @property
    def in_force(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True, slots=True)
class Flag:
    """A rule in force on a date: one row of `attendance_flags`."""

    rule: Rule
    start_date: datetime.date
    end_date: datetime.date
    detail: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The rules over one pupil-year, on the marks dated up to `as_of`.

    `firings` are every worklist rule's firings in the year so far, ended or not, in date
    order; `flags` every rule (worklist or report flag) in force on `as_of`.
    """

    as_of: datetime.date
    firings: tuple[Firing, ...]
    flags: tuple[Flag, ...]


# --- Day classes ------------------------------------------------------------------------------
# The rules read a year as one byte a day (cme.attendance.marks: morning kind x 16 + afternoon
# kind). Each rule translates those bytes into a class per day and matches runs of classes
# with a regular expression: "r" a day that extends the run, "b" a counted day that breaks it,
# "t" a day with no counted session (transparent: it neither breaks nor extends).

_RUN: Final = ord("r")
_BREAK: Final = ord("b")
_TRANSPARENT: Final = ord("t")


def _kinds_of_day(day: int) -> tuple[int, int]:
    return day >> 4, day & 0x0F


def _counted(day: int) -> list[int]:
    return [kind for kind in _kinds_of_day(day) if kind in COUNTED_KINDS]


def _table(classify: Callable[[int], int]) -> bytes:
    return bytes(classify(day) for day in range(256))


def _all_counted_in(kinds: frozenset[Kind]) -> bytes:
    def classify(day: int) -> int:
        counted = _counted(day)
        if not counted:
            return _TRANSPARENT
        return _RUN if all(kind in kinds for kind in counted) else _BREAK

    return _table(classify)


def _any_counted_is(kind: Kind) -> bytes:
    def classify(day: int) -> int:
        counted = _counted(day)
        if not counted:
            return _TRANSPARENT
        return _RUN if kind in counted else _BREAK

    return _table(classify)


def _sessions_of(kinds: frozenset[Kind]) -> bytes:
    return _table(lambda day: sum(kind in kinds for kind in _kinds_of_day(day)))


_UNAUTHORISED_DAY: Final = _all_counted_in(UNAUTHORISED_KINDS)
_GNO_DAY: Final = _all_counted_in(GNO_KINDS)
_EXCLUDED_DAY: Final = _all_counted_in(frozenset({Kind.EXCLUDED}))
_PART_TIME_DAY: Final = _any_counted_is(Kind.PART_TIME)
_ILL_DAY: Final = _any_counted_is(Kind.ILLNESS)
_ILL_SESSIONS: Final = _sessions_of(frozenset({Kind.ILLNESS}))
_N_SESSIONS: Final = _sessions_of(frozenset({Kind.NOT_ESTABLISHED}))
_N_DAY: Final = _table(lambda day: ord("n") if _N_SESSIONS[day] else ord("."))
_SCHOOL_DAY: Final = _table(
    lambda day: ord("s") if any(k in SCHOOL_DAY_KINDS for k in _kinds_of_day(day)) else ord(".")
)
_COUNTED_SESSIONS: Final = _sessions_of(COUNTED_KINDS)
_ATTENDED_SESSIONS: Final = _sessions_of(ATTENDED_KINDS)
_COUNTED_DAY: Final = _table(lambda day: ord("c") if _COUNTED_SESSIONS[day] else ord("."))
# Failed to start: "a" a day with a session attended, "n" a counted day without one.
_STARTED_DAY: Final = _table(
    lambda day: (
        _TRANSPARENT
        if not _COUNTED_SESSIONS[day]
        else ord("a")
        if _ATTENDED_SESSIONS[day]
        else ord("n")
    )
)

_SPELL: Final = re.compile(rb"r(?:t*r)*")
_NOT_STARTED: Final = re.compile(rb"t*(n(?:t*n)*)")


@functools.cache
def _run_of_at_least(days: int) -> re.Pattern[bytes]:
    """Maximal runs of `days` or more "r" days, "t" days allowed between them."""
    return re.compile(rb"r(?:t*r){%d,}" % (days - 1))


def _nth(classes: bytes, wanted: int, n: int, start: int) -> int:
    """Index of the n-th `wanted` byte from `start` (n >= 1); -1 if there are fewer."""
    position = start - 1
    for _ in range(n):
        position = classes.find(bytes((wanted,)), position + 1)
        if position < 0:
            return -1
    return position


# --- Plain words --------------------------------------------------------------------------------

_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def short_date(day: datetime.date, *, with_year: bool = False) -> str:
    """`3 Dec`, or `3 Dec 2025`."""
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def date_span(first: datetime.date, last: datetime.date) -> str:
    """`1 to 12 Dec`, `28 Nov to 12 Dec`, `15 Dec 2025 to 9 Jan 2026`, or one day `3 Dec`."""
    if first == last:
        return short_date(first)
    if first.year != last.year:
        return f"{short_date(first, with_year=True)} to {short_date(last, with_year=True)}"
    if first.month == last.month:
        return f"{first.day} to {short_date(last)}"
    return f"{short_date(first)} to {short_date(last)}"


def _days(count: int) -> str:
    return f"{count} school day{'' if count == 1 else 's'}"


def _half_days(sessions: int) -> str:
    whole, half = divmod(sessions, 2)
    amount = f"{whole}½" if half and whole else ("½" if half else str(whole))
    return f"{amount} school day{'' if sessions == 2 else 's'}"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%"


# --- One pupil-year -------------------------------------------------------------------------


class _Year:
    """A pupil-year's day bytes up to the evaluation date, and the rules over them."""

    def __init__(
        self,
        days: bytes,
        *,
        school_year: int,
        as_of: datetime.date,
        on_roll_from: datetime.date | None,
        placed_on: datetime.date | None,
        thresholds: Thresholds,
    ) -> None:
        self.days = days
        self.school_year = school_year
        self.start = date_of_day(school_year, 0)
        self.as_of = as_of
        self.on_roll_from = on_roll_from
        self.placed_on = placed_on
        self.t = thresholds

    def date(self, day: int) -> datetime.date:
        return self.start + datetime.timedelta(days=day)

    def _runs(
        self, rule: Rule, table: bytes, length: int, describe: Callable[[int], str]
    ) -> Iterable[Firing]:
        classes = self.days.translate(table)
        for match in _run_of_at_least(length).finditer(classes):
            start, last = match.start(), match.end() - 1
            ended = classes.find(b"b", match.end())
            count = classes.count(b"r", start, match.end())
            yield Firing(
                rule=rule,
                start_date=self.date(start),
                fired_on=self.date(_nth(classes, _RUN, length, start)),
                ended_on=self.date(ended) if ended >= 0 else None,
                detail=f"{describe(count)}, {date_span(self.date(start), self.date(last))}",
            )

    def unauthorised_absence(self) -> Iterable[Firing]:
        return self._runs(
            Rule.UNAUTHORISED_ABSENCE_10_DAYS,
            _UNAUTHORISED_DAY,
            self.t.unauthorised_absence_days,
            lambda count: f"{_days(count)} without authorisation",
        )

    def gno_absence(self) -> Iterable[Firing]:
        return self._runs(
            Rule.ABSENCE_20_DAYS_GNO,
            _GNO_DAY,
            self.t.gno_absence_days,
            lambda count: (
                f"{_days(count)} absent, coded G, N or O (deletion ground (i) approaching)"
            ),
        )

    def exclusion(self) -> Iterable[Firing]:
        return self._runs(
            Rule.EXCLUSION_WITHOUT_PROVISION,
            _EXCLUDED_DAY,
            self.t.exclusion_days + 1,
            lambda count: f"{_days(count)} suspended or excluded without provision (code E)",
        )

    def part_time(self) -> Iterable[Firing]:
        return self._runs(
            Rule.PART_TIME_TIMETABLE,
            _PART_TIME_DAY,
            self.t.part_time_weeks * 5 + 1,
            lambda count: f"{_days(count)} on a part-time timetable (code C2)",
        )

    def sickness(self) -> Iterable[Firing]:
        classes = self.days.translate(_ILL_DAY)
        sessions = self.days.translate(_ILL_SESSIONS)
        needed = 2 * self.t.sickness_days
        total = 0
        for spell in _SPELL.finditer(classes):
            start, end = spell.start(), spell.end()
            before = total
            total += sum(sessions[start:end])
            if total < needed:
                continue
            fired = start
            if before < needed:
                running = before
                for day in range(start, end):
                    running += sessions[day]
                    if running >= needed:
                        fired = day
                        break
            ended = classes.find(b"b", end)
            yield Firing(
                rule=Rule.SICKNESS_15_DAYS,
                start_date=self.date(start),
                fired_on=self.date(fired),
                ended_on=self.date(ended) if ended >= 0 else None,
                detail=(
                    f"Ill on {_half_days(total)} this school year, the latest spell "
                    f"{date_span(self.date(start), self.date(end - 1))}"
                ),
            )

    def n_code(self) -> Iterable[Firing]:
        first = self.days.translate(_N_DAY).find(b"n")
        if first < 0:
            return
        school = self.days.translate(_SCHOOL_DAY)
        wait = self.t.n_code_school_days
        fired = _nth(school, ord("s"), wait, first + 1)
        if fired < 0:
            return
        # Marks dated before the `wait`-th school day from the end have had their days.
        cutoff = len(school)
        for _ in range(wait):
            cutoff = school.rfind(b"s", 0, cutoff)
        overdue = sum(self.days[:cutoff].translate(_N_SESSIONS))
        sessions = f"{overdue} session{'' if overdue == 1 else 's'}"
        yield Firing(
            rule=Rule.N_CODE_UNRESOLVED_5_DAYS,
            start_date=self.date(first),
            fired_on=self.date(fired),
            ended_on=None,
            detail=(
                f"{sessions} coded N not replaced within {_days(wait)}, the first on "
                f"{short_date(self.date(first))}"
            ),
        )

    def failed_to_start(self) -> Iterable[Firing]:
        if self.on_roll_from is None:
            return
        offset = max(0, day_index(self.on_roll_from, self.school_year))
        classes = self.days[offset:].translate(_STARTED_DAY)
        match = _NOT_STARTED.match(classes)
        if match is None:
            return
        start, end = match.span(1)
        count = classes.count(b"n", start, end)
        wanted = self.t.failed_to_start_days
        if count < wanted:
            return
        ended = classes.find(b"a", end)
        yield Firing(
            rule=Rule.FAILED_TO_START,
            start_date=self.date(offset + start),
            fired_on=self.date(offset + _nth(classes, ord("n"), wanted, start)),
            ended_on=self.date(offset + ended) if ended >= 0 else None,
            detail=(
                f"No session attended since joining the roll on "
                f"{short_date(self.on_roll_from)}: {_days(count)}"
            ),
        )

    def post_placement(self) -> Iterable[Firing]:
        if self.placed_on is None:
            return
        offset = max(0, day_index(self.placed_on, self.school_year))
        first = self.days.translate(_COUNTED_DAY).find(b"c", offset)
        if first < 0:
            return
        percent, minimum = self.t.post_placement_percent, self.t.post_placement_minimum_sessions
        attended = counted = 0
        fired: int | None = None
        for day in range(first, len(self.days)):
            sessions = _COUNTED_SESSIONS[self.days[day]]
            if not sessions:
                continue
            counted += sessions
            attended += _ATTENDED_SESSIONS[self.days[day]]
            holds = counted >= minimum and attended * 100 < percent * counted
            if holds and fired is None:
                fired = day
            elif not holds and fired is not None:
                yield self._placement_firing(first, fired, day, attended, counted)
                fired = None
        if fired is not None:
            yield self._placement_firing(first, fired, None, attended, counted)

    def _placement_firing(
        self, first: int, fired: int, ended: int | None, attended: int, counted: int
    ) -> Firing:
        assert self.placed_on is not None
        return Firing(
            rule=Rule.POST_PLACEMENT_ATTENDANCE,
            start_date=self.date(first),
            fired_on=self.date(fired),
            ended_on=self.date(ended) if ended is not None else None,
            detail=(
                f"Attended {_percent(attended, counted)} of possible sessions since the "
                f"placement on {short_date(self.placed_on)} ({attended} of {counted}), "
                f"below {self.t.post_placement_percent}%"
            ),
        )

    def absence_rates(self, wanted: frozenset[Rule]) -> Iterable[Flag]:
        if not wanted:
            return
        possible = sum(self.days.translate(_COUNTED_SESSIONS))
        if possible < self.t.rate_minimum_sessions:
            return
        missed = possible - sum(self.days.translate(_ATTENDED_SESSIONS))
        first = self.date(self.days.translate(_COUNTED_DAY).find(b"c"))
        detail = (
            f"Missed {_percent(missed, possible)} of possible sessions this school year "
            f"({missed} of {possible})"
        )
        for rule, percent in (
            (Rule.PERSISTENT_ABSENCE, self.t.persistent_absence_percent),
            (Rule.SEVERE_ABSENCE, self.t.severe_absence_percent),
        ):
            if rule in wanted and missed * 100 >= percent * possible:
                yield Flag(rule=rule, start_date=first, end_date=self.as_of, detail=detail)

    def evaluate(self, wanted: frozenset[Rule]) -> Evaluation:
        finders: tuple[tuple[Rule, Callable[[], Iterable[Firing]]], ...] = (
            (Rule.UNAUTHORISED_ABSENCE_10_DAYS, self.unauthorised_absence),
            (Rule.SICKNESS_15_DAYS, self.sickness),
            (Rule.N_CODE_UNRESOLVED_5_DAYS, self.n_code),
            (Rule.ABSENCE_20_DAYS_GNO, self.gno_absence),
            (Rule.FAILED_TO_START, self.failed_to_start),
            (Rule.POST_PLACEMENT_ATTENDANCE, self.post_placement),
            (Rule.EXCLUSION_WITHOUT_PROVISION, self.exclusion),
            (Rule.PART_TIME_TIMETABLE, self.part_time),
        )
        firings = sorted(
            (firing for rule, find in finders if rule in wanted for firing in find()),
            key=_firing_order,
        )
        flags = [
            Flag(firing.rule, firing.start_date, self.as_of, firing.detail)
            for firing in firings
            if firing.in_force
        ]
        flags.extend(self.absence_rates(wanted & REPORT_FLAGS))
        return Evaluation(
            as_of=self.as_of,
            firings=tuple(firings),
            flags=tuple(sorted(flags, key=lambda flag: (_RULE_ORDER[flag.rule], flag.start_date))),
        )


_RULE_ORDER: Final = {rule: position for position, rule in enumerate(Rule)}


def _firing_order(firing: Firing) -> tuple[datetime.date, int]:
    return firing.fired_on, _RULE_ORDER[firing.rule]


def _days_up_to(school_year: int, as_of: datetime.date) -> int:
    """How many days of the year's marks are read on `as_of` (those dated on or before it)."""
    return min(max(day_index(as_of, school_year) + 1, 0), days_in_year(school_year))


def evaluate(
    pupil_year: PupilYear,
    *,
    as_of: datetime.date,
    thresholds: Thresholds | None = None,
    rules: Iterable[Rule] = tuple(Rule),
) -> Evaluation:
    """The rules over one pupil-year, reading only the marks dated on or before `as_of`."""
    days = day_bytes(pupil_year.marks, pupil_year.school_year)
    return _Year(
        days[: _days_up_to(pupil_year.school_year, as_of)],
        school_year=pupil_year.school_year,
        as_of=as_of,
        on_roll_from=pupil_year.on_roll_from,
        placed_on=pupil_year.placed_on,
        thresholds=thresholds or Thresholds(),
    ).evaluate(frozenset(rules))


# --- Many pupil-years at once ------------------------------------------------------------------


def _day_sums(table: bytes) -> npt.NDArray[np.uint8]:
    """A per-day lookup (by day byte) of a count, as an array for summing over a matrix."""
    return np.frombuffer(table, dtype=np.uint8)


def _is_run_day(table: bytes) -> npt.NDArray[np.uint8]:
    runs: npt.NDArray[np.uint8] = (np.frombuffer(table, dtype=np.uint8) == _RUN).astype(np.uint8)
    return runs


_SCREENS: Final = {
    "unauthorised": _is_run_day(_UNAUTHORISED_DAY),
    "gno": _is_run_day(_GNO_DAY),
    "excluded": _is_run_day(_EXCLUDED_DAY),
    "part_time": _is_run_day(_PART_TIME_DAY),
    "ill_sessions": _day_sums(_ILL_SESSIONS),
    "n_sessions": _day_sums(_N_SESSIONS),
    "counted": _day_sums(_COUNTED_SESSIONS),
    "attended": _day_sums(_ATTENDED_SESSIONS),
}


_SCREENED_BY: Final = {
    Rule.UNAUTHORISED_ABSENCE_10_DAYS: ("unauthorised",),
    Rule.ABSENCE_20_DAYS_GNO: ("gno",),
    Rule.EXCLUSION_WITHOUT_PROVISION: ("excluded",),
    Rule.PART_TIME_TIMETABLE: ("part_time",),
    Rule.SICKNESS_15_DAYS: ("ill_sessions",),
    Rule.N_CODE_UNRESOLVED_5_DAYS: ("n_sessions",),
    Rule.PERSISTENT_ABSENCE: ("counted", "attended"),
    Rule.SEVERE_ABSENCE: ("counted", "attended"),
}


def _candidates(
    days: npt.NDArray[np.uint8], thresholds: Thresholds, rules: frozenset[Rule]
) -> dict[Rule, npt.NDArray[np.bool_]]:
    """For each of `rules` screened by sums, the rows for which it can possibly hold (a
    necessary condition); the per-pupil code decides for those rows alone."""
    t = thresholds
    needed = {name for rule in rules for name in _SCREENED_BY.get(rule, ())}
    days = np.ascontiguousarray(days)
    sums = {
        name: byte_lookup(_SCREENS[name], days).sum(axis=1, dtype=np.int32)
        for name in sorted(needed)
    }
    screens: dict[Rule, Callable[[], npt.NDArray[np.bool_]]] = {
        Rule.UNAUTHORISED_ABSENCE_10_DAYS: lambda: (
            sums["unauthorised"] >= t.unauthorised_absence_days
        ),
        Rule.ABSENCE_20_DAYS_GNO: lambda: sums["gno"] >= t.gno_absence_days,
        Rule.EXCLUSION_WITHOUT_PROVISION: lambda: sums["excluded"] > t.exclusion_days,
        Rule.PART_TIME_TIMETABLE: lambda: sums["part_time"] > t.part_time_weeks * 5,
        Rule.SICKNESS_15_DAYS: lambda: sums["ill_sessions"] >= 2 * t.sickness_days,
        Rule.N_CODE_UNRESOLVED_5_DAYS: lambda: sums["n_sessions"] > 0,
        Rule.PERSISTENT_ABSENCE: lambda: _rate_possible(sums, t),
        Rule.SEVERE_ABSENCE: lambda: _rate_possible(sums, t),
    }
    return {rule: screen() for rule, screen in screens.items() if rule in rules}


def _rate_possible(sums: dict[str, npt.NDArray[np.int32]], t: Thresholds) -> npt.NDArray[np.bool_]:
    missed = sums["counted"] - sums["attended"]
    lowest = min(t.persistent_absence_percent, t.severe_absence_percent)
    possible: npt.NDArray[np.bool_] = (sums["counted"] >= t.rate_minimum_sessions) & (
        missed * 100 >= lowest * sums["counted"]
    )
    return possible


def evaluate_matrix(
    symbols: npt.NDArray[np.uint8],
    *,
    school_year: int,
    as_of: datetime.date,
    on_roll_from: Sequence[datetime.date | None],
    placed_on: Sequence[datetime.date | None],
    thresholds: Thresholds | None = None,
    rules: Iterable[Rule] = tuple(Rule),
) -> list[Evaluation]:
    """`evaluate` for each row of a matrix of packed marks (bytes, one row per pupil-year of
    `school_year`, each the year's full length), with the same answers, faster."""
    thresholds = thresholds or Thresholds()
    chosen = frozenset(rules)
    up_to = _days_up_to(school_year, as_of)
    days = day_bytes_of_kinds(kinds_of_matrix(symbols, school_year))[:, :up_to]
    candidates = _candidates(days, thresholds, chosen)
    starting = Rule.FAILED_TO_START in chosen
    placed = Rule.POST_PLACEMENT_ATTENDANCE in chosen
    empty = Evaluation(as_of=as_of, firings=(), flags=())
    results: list[Evaluation] = [empty] * days.shape[0]
    # Only the rows some rule may hold for are looked at, each rule's rows as a list (a
    # year's 25,000 rows: indexing numpy arrays one element at a time is slow).
    screened = np.zeros(days.shape[0], dtype=np.bool_)
    for rows in candidates.values():
        screened |= rows
    if starting:
        screened |= np.array([start is not None for start in on_roll_from], dtype=np.bool_)
    if placed:
        screened |= np.array([day is not None for day in placed_on], dtype=np.bool_)
    held = {rule: rows.tolist() for rule, rows in candidates.items()}
    for row in np.flatnonzero(screened).tolist():
        wanted = {rule for rule, rows in held.items() if rows[row]}
        if starting and on_roll_from[row] is not None:
            wanted.add(Rule.FAILED_TO_START)
        if placed and placed_on[row] is not None:
            wanted.add(Rule.POST_PLACEMENT_ATTENDANCE)
        results[row] = _Year(
            days[row].tobytes(),
            school_year=school_year,
            as_of=as_of,
            on_roll_from=on_roll_from[row],
            placed_on=placed_on[row],
            thresholds=thresholds,
        ).evaluate(frozenset(wanted))
    return results


def symbol_matrix(marks: Sequence[str], school_year: int) -> npt.NDArray[np.uint8]:
    """Packed marks of one school year as a matrix of bytes, each row padded to the year."""
    if not marks:
        return np.zeros((0, 2 * days_in_year(school_year)), dtype=np.uint8)
    joined = "".join(padded(row, school_year) for row in marks).encode("ascii")
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(marks), -1)
