"""What the attendance pages draw: a pupil-year as a calendar of days and a line of weeks,
each with the numbers behind it for the data table beside the picture.

Owns how a day is summarised for a person (attended all day, part of the day, absent with
or without authorisation, not a possible day) and the geometry of the two inline SVG charts,
so templates only place what they are given. No Django.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import Final

from .marks import (
    ATTENDED_KINDS,
    COUNTED_KINDS,
    UNAUTHORISED_KINDS,
    Kind,
    code_of_symbol,
    date_of_day,
    days_in_year,
    padded,
    session_kinds,
)


class DayClass(enum.StrEnum):
    """How a day looks on the calendar; each has a colour and words in the key."""

    PRESENT = "present"
    PART = "part"
    AUTHORISED = "authorised"
    UNAUTHORISED = "unauthorised"
    NOT_POSSIBLE = "not-possible"
    NO_MARKS = "no-marks"


DAY_WORDS: Final = {
    DayClass.PRESENT: "Attended all day",
    DayClass.PART: "Attended part of the day",
    DayClass.AUTHORISED: "Absent, authorised",
    DayClass.UNAUTHORISED: "Absent, not authorised",
    DayClass.NOT_POSSIBLE: "No possible session (closed, not counted, no mark yet)",
    DayClass.NO_MARKS: "No marks (weekend, holiday, not on roll)",
}

# GOV.UK Frontend colours (v5 palette), chosen to differ in lightness as well as hue.
DAY_COLOURS: Final = {
    DayClass.PRESENT: "#00703c",
    DayClass.PART: "#85994b",
    DayClass.AUTHORISED: "#ffdd00",
    DayClass.UNAUTHORISED: "#d4351c",
    DayClass.NOT_POSSIBLE: "#b1b4b6",
    DayClass.NO_MARKS: "#f3f2f1",
}

CELL: Final = 14
GAP: Final = 2
LABEL_WIDTH: Final = 36
TOP: Final = 16
WEEKDAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri")


def _classify(kinds: tuple[int, int]) -> DayClass:
    counted = [kind for kind in kinds if kind in COUNTED_KINDS]
    if not counted:
        marked = any(kind != Kind.NONE for kind in kinds)
        return DayClass.NOT_POSSIBLE if marked else DayClass.NO_MARKS
    attended = sum(kind in ATTENDED_KINDS for kind in counted)
    if attended == len(counted):
        return DayClass.PRESENT
    if attended:
        return DayClass.PART
    if any(kind in UNAUTHORISED_KINDS for kind in counted):
        return DayClass.UNAUTHORISED
    return DayClass.AUTHORISED


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One weekday of the school year: where it is drawn and what it was."""

    date: datetime.date
    day_class: DayClass
    codes: str  # "/ \\" as the register gives them, or "" without marks
    x: int
    y: int

    @property
    def colour(self) -> str:
        return DAY_COLOURS[self.day_class]

    @property
    def words(self) -> str:
        return DAY_WORDS[self.day_class]


@dataclass(frozen=True, slots=True)
class Week:
    """A week of the school year with marks: its sessions, and its point on the line."""

    monday: datetime.date
    possible: int
    attended: int
    x: float
    y: float

    @property
    def percent(self) -> float:
        return 100 * self.attended / self.possible


@dataclass(frozen=True, slots=True)
class MonthLabel:
    text: str
    x: int


@dataclass(frozen=True, slots=True)
class YearCharts:
    """The calendar heat map and weekly line of one pupil-year, ready to draw."""

    school_year: int
    days: tuple[CalendarDay, ...]
    months: tuple[MonthLabel, ...]
    weeks: tuple[Week, ...]
    width: int
    height: int
    line_width: int
    line_height: int
    line_points: str
    threshold_y: float
    threshold: int

    @property
    def marked_days(self) -> tuple[CalendarDay, ...]:
        return tuple(day for day in self.days if day.day_class is not DayClass.NO_MARKS)

    def y_for(self, percent: float) -> float:
        return LINE_TOP + (100 - percent) / 100 * LINE_PLOT


LINE_TOP: Final = 10
LINE_PLOT: Final = 160
LINE_LEFT: Final = 44
LINE_STEP: Final = 12


def year_charts(marks: str, school_year: int, *, threshold: int) -> YearCharts:
    """Both charts for a pupil-year's packed marks; `threshold` is drawn on the line (the
    local percentage below which attendance is followed up)."""
    kinds = session_kinds(marks, school_year)
    full = padded(marks, school_year)
    first = date_of_day(school_year, 0)
    first_monday = first - datetime.timedelta(days=first.weekday())
    days: list[CalendarDay] = []
    months: list[MonthLabel] = []
    weeks: dict[datetime.date, list[int]] = {}
    for day in range(days_in_year(school_year)):
        date = date_of_day(school_year, day)
        if date.weekday() >= 5:
            continue
        column = (date - first_monday).days // 7
        pair = (int(kinds[2 * day]), int(kinds[2 * day + 1]))
        symbols = full[2 * day : 2 * day + 2]
        codes = " ".join(code_of_symbol(symbol) or "." for symbol in symbols)
        x = LABEL_WIDTH + column * (CELL + GAP)
        days.append(
            CalendarDay(
                date=date,
                day_class=_classify(pair),
                codes="" if symbols == ".." else codes,
                x=x,
                y=TOP + date.weekday() * (CELL + GAP),
            )
        )
        if (date.day <= 7 and date.weekday() == 0) or day == 0:
            months.append(MonthLabel(date.strftime("%b"), x))
        counts = weeks.setdefault(date - datetime.timedelta(days=date.weekday()), [0, 0])
        counts[0] += sum(kind in COUNTED_KINDS for kind in pair)
        counts[1] += sum(kind in ATTENDED_KINDS for kind in pair)
    columns = (days[-1].x - LABEL_WIDTH) // (CELL + GAP) + 1 if days else 0
    marked_weeks = [(monday, c) for monday, c in sorted(weeks.items()) if c[0]]
    points: list[Week] = []
    for index, (monday, (possible, attended)) in enumerate(marked_weeks):
        x = LINE_LEFT + index * LINE_STEP
        points.append(
            Week(
                monday=monday,
                possible=possible,
                attended=attended,
                x=x,
                y=round(LINE_TOP + (100 - 100 * attended / possible) / 100 * LINE_PLOT, 1),
            )
        )
    return YearCharts(
        school_year=school_year,
        days=tuple(days),
        months=tuple(months),
        weeks=tuple(points),
        width=LABEL_WIDTH + columns * (CELL + GAP),
        height=TOP + 5 * (CELL + GAP),
        line_width=LINE_LEFT + max(1, len(points)) * LINE_STEP + 8,
        line_height=LINE_TOP + LINE_PLOT + 24,
        line_points=" ".join(f"{week.x},{week.y}" for week in points),
        threshold_y=round(LINE_TOP + (100 - threshold) / 100 * LINE_PLOT, 1),
        threshold=threshold,
    )
