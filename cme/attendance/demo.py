"""Synthetic school registers for the demo authority, written as `import_attendance` CSV.

Owns the invention of a school year of session marks for the pupils on the demo register
(cme.demo generates the register; this reads its enrolments): a calendar of terms, half
terms, bank holidays (GOV.UK's list) and INSET days coded `#`, and for each pupil a year of
marks drawn from one `numpy.random.Generator(seed)` to the shape of English absence (about a
fifth of pupils persistently absent, a few severely), with the cases the rules exist for:
spells of illness, term-time holidays, long unauthorised absence, codes N left unreplaced,
suspensions without provision, part-time timetables, and new pupils who never start. The
same seed and register give the same file, row for row. Synthetic data only.

`load_demo_attendance` imports the current school year to date through the importer (for
`make run`); the benchmark writes a whole year and a daily increment with `write_registers`.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from cme.pupils.importers import ImportReport
from cme.pupils.models import Enrolment

from . import services
from .bank_holidays import bank_holidays_between
from .importers import import_attendance_file
from .marks import school_year_of, year_end, year_start
from .models import AttendanceTrigger, TriggerFollowUp

_DAY: Final = datetime.timedelta(days=1)
PRESENT_AM, PRESENT_PM = "/", "\\"
# Codes drawn, as indexes into CODES (the file writes the code text).
CODES: Final = (
    "/", "\\", "L", "I", "M", "C", "R", "O", "G", "N", "U", "E", "C2", "V", "P", "B", "#",
)  # fmt: skip
_CODE: Final = {code: index for index, code in enumerate(CODES)}
NONE: Final = 255  # no row: the pupil is not on the roll that day


# --- The calendar -------------------------------------------------------------------------------


def _easter(year: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _week_of(day: datetime.date) -> set[datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return {monday + datetime.timedelta(days=offset) for offset in range(5)}


def _last_weekday(year: int, month: int, weekday: int) -> datetime.date:
    day = datetime.date(year + month // 12, month % 12 + 1, 1) - _DAY
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


@dataclass(frozen=True, slots=True)
class DemoCalendar:
    """When the demo schools meet in a school year: `days` are school days in order,
    `closures` the INSET days (coded `#` in every register)."""

    school_year: int
    days: tuple[datetime.date, ...]
    closures: frozenset[datetime.date]

    @property
    def register_days(self) -> tuple[datetime.date, ...]:
        """Every day with a register row: school days and INSET days, in order."""
        return tuple(sorted({*self.days, *self.closures}))


def demo_calendar(school_year: int, *, school_days: int = 190) -> DemoCalendar:
    """A plausible English school year: autumn term from the first Wednesday of September,
    a week's half term in late October, mid February and late May, two weeks at Christmas
    and Easter, no bank holidays, five INSET days; the summer term runs until the year has
    `school_days` school days."""
    start = year_start(school_year)
    autumn = start + datetime.timedelta(days=1)
    autumn += datetime.timedelta(days=(2 - autumn.weekday()) % 7)
    spring = datetime.date(school_year + 1, 1, 5)
    spring += datetime.timedelta(days=(0 - spring.weekday()) % 7)
    easter = _easter(school_year + 1)
    holidays = (
        _week_of(_last_weekday(school_year, 10, 0))
        | {datetime.date(school_year, 12, 20) + datetime.timedelta(days=n) for n in range(30)}
        | _week_of(datetime.date(school_year + 1, 2, 14))
        | {easter - datetime.timedelta(days=6) + datetime.timedelta(days=n) for n in range(12)}
        | _week_of(_last_weekday(school_year + 1, 5, 0))
        | set(bank_holidays_between(start, year_end(school_year)))
    )
    weekdays = [
        start + datetime.timedelta(days=n)
        for n in range((year_end(school_year) - start).days + 1)
        if (start + datetime.timedelta(days=n)).weekday() < 5
    ]
    open_days = [
        day
        for day in weekdays
        if day >= autumn - datetime.timedelta(days=2) and day not in holidays
    ]
    inset = {
        autumn - datetime.timedelta(days=2),
        autumn - _DAY,
        spring,
        min(day for day in open_days if day.month == 6),
    }
    days = [day for day in open_days if day not in inset][:school_days]
    if len(days) < school_days:
        msg = f"the demo calendar has only {len(days)} school days in {school_year}"
        raise ValueError(msg)
    inset.add(next(day for day in open_days if day > days[-1] and day.weekday() < 5))
    return DemoCalendar(school_year=school_year, days=tuple(days), closures=frozenset(inset))


# --- The pupils and their marks -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoPupil:
    """A row of the registers: a pupil on a school's roll for part or all of the year."""

    upn: str
    laestab: str
    start: datetime.date
    end: datetime.date | None


def pupils_on_roll(school_year: int) -> list[DemoPupil]:
    """Every enrolment on the register during the school year, of a child with a UPN."""
    rows = (
        Enrolment.objects.filter(
            start_date__lte=year_end(school_year),
            child__merged_into__isnull=True,
        )
        .exclude(end_date__lt=year_start(school_year))
        .exclude(child__upn="")
        .order_by("school__laestab", "child__upn", "start_date")
        .values_list("child__upn", "school__laestab", "start_date", "end_date")
    )
    return [DemoPupil(upn, laestab, start, end) for upn, laestab, start, end in rows]


@dataclass(frozen=True, slots=True)
class DemoRegisters:
    """A year of marks: `codes[pupil, register day, session]` indexes CODES (NONE: no row)."""

    calendar: DemoCalendar
    pupils: tuple[DemoPupil, ...]
    codes: npt.NDArray[np.uint8]


class _Year:
    """Draws one pupil's year into a row of the codes matrix."""

    def __init__(self, rng: np.random.Generator, calendar: DemoCalendar) -> None:
        self.rng = rng
        self.days = calendar.register_days
        self.closed = np.array([day in calendar.closures for day in self.days], dtype=np.bool_)
        self.school = np.flatnonzero(~self.closed)
        self.set_2024 = calendar.school_year >= 2024

    def spell(self, row: npt.NDArray[np.uint8], length: int, am: str, pm: str) -> int:
        """Mark `length` school days from a random one; returns where it started."""
        first = int(self.rng.integers(0, max(1, self.school.size - length)))
        days = self.school[first : first + length]
        row[days, 0] = _CODE[am]
        row[days, 1] = _CODE[pm]
        return first

    def draw(self, row: npt.NDArray[np.uint8], *, new_starter: bool) -> None:  # noqa: PLR0912 - one branch per kind of absence
        rng, school = self.rng, self.school.size
        row[:, 0], row[:, 1] = _CODE[PRESENT_AM], _CODE[PRESENT_PM]
        row[self.closed] = _CODE["#"]
        band = rng.random()
        rate = (
            rng.beta(6, 4) if band < 0.02 else rng.beta(4, 24) if band < 0.20 else rng.beta(1.3, 40)
        )
        absent_days = rate * school
        while absent_days > 0:
            kind = rng.random()
            if kind < 0.45:
                length = int(rng.choice((1, 1, 1, 2, 2, 3, 5)))
                self.spell(row, length, "I", "I")
            elif kind < 0.65:
                length = 1
                self.spell(row, 1, "M", PRESENT_PM)
                absent_days += 0.5
            elif kind < 0.78:
                length = 5
                self.spell(row, 5, "G", "G")
            elif kind < 0.95:
                length = int(rng.choice((1, 1, 2)))
                self.spell(row, length, "O", "O")
            else:
                length = 1
                self.spell(row, 1, "C", "C")
            absent_days -= length
        for _ in range(int(rng.poisson(2))):
            self.spell(row, 1, "L", PRESENT_PM)
        if rng.random() < 0.3:
            self.spell(row, 1, PRESENT_AM, "U")
        if rng.random() < 0.15:
            self.spell(row, 1, "V", "V")
        if rng.random() < 0.05:
            self.spell(row, 1, "P", "P")
        if rng.random() < 0.01:  # a code N the school never replaced
            self.spell(row, 1, "N", PRESENT_PM)
        special = rng.random()
        if special < 0.004:  # long unauthorised absence, often reaching deletion ground (i)
            first = self.spell(row, int(rng.integers(8, 45)), "O", "O")
            self.spell_at(row, first, 3, "N", "N")
        elif special < 0.006:  # suspended without provision
            self.spell(row, int(rng.integers(2, 10)), "E", "E")
        elif special < 0.009 and self.set_2024:  # part-time timetable
            self.spell(row, int(rng.integers(15, 50)), PRESENT_AM, "C2")
        elif special < 0.012:  # a spell of illness long enough for the sickness return
            self.spell(row, int(rng.integers(12, 25)), "I", "I")
        elif special < 0.014:  # educated off site for a while
            self.spell(row, int(rng.integers(3, 10)), "B", "B")
        if new_starter and rng.random() < 0.02:  # took up the place, never came
            row[~self.closed] = _CODE["O"]

    def spell_at(
        self, row: npt.NDArray[np.uint8], first: int, length: int, am: str, pm: str
    ) -> None:
        days = self.school[first : first + length]
        row[days, 0], row[days, 1] = _CODE[am], _CODE[pm]


def demo_registers(
    *, school_year: int, seed: int, pupils: Sequence[DemoPupil], school_days: int = 190
) -> DemoRegisters:
    """Draw a school year of marks for `pupils` (deterministic for a seed)."""
    calendar = demo_calendar(school_year, school_days=school_days)
    rng = np.random.default_rng(seed)
    year = _Year(rng, calendar)
    days = calendar.register_days
    ordinals = np.array([day.toordinal() for day in days], dtype=np.int64)
    codes = np.full((len(pupils), len(days), 2), NONE, dtype=np.uint8)
    for index, pupil in enumerate(pupils):
        new_starter = pupil.start >= year_start(school_year)
        year.draw(codes[index], new_starter=new_starter)
        off_roll = ordinals < pupil.start.toordinal()
        if pupil.end is not None:
            off_roll |= ordinals > pupil.end.toordinal()
        codes[index, off_roll] = NONE
    return DemoRegisters(calendar=calendar, pupils=tuple(pupils), codes=codes)


def write_registers(
    registers: DemoRegisters, path: Path, *, first_day: int = 0, last_day: int | None = None
) -> int:
    """Write the marks of register days [first_day, last_day) as an `import_attendance` CSV,
    a day's sessions at a time; returns the number of rows."""
    days = registers.calendar.register_days
    prefixes = [f"{pupil.upn},{pupil.laestab}," for pupil in registers.pupils]
    codes = registers.codes
    written = 0
    with path.open("w", encoding="ascii", newline="") as handle:
        handle.write("upn,laestab,date,session,code\n")
        for day in range(first_day, len(days) if last_day is None else last_day):
            for session, name in enumerate(("AM", "PM")):
                middle = f"{days[day].isoformat()},{name},"
                column = codes[:, day, session]
                on_roll = np.flatnonzero(column != NONE)
                endings = [f"{middle}{code}\n" for code in CODES]
                handle.write(
                    "".join(prefixes[pupil] + endings[column[pupil]] for pupil in on_roll.tolist())
                )
                written += on_roll.size
    return written


def register_day_count(calendar: DemoCalendar, *, before: datetime.date) -> int:
    """How many register days fall before `before`."""
    return sum(1 for day in calendar.register_days if day < before)


def load_demo_attendance(*, seed: int, today: datetime.date, actor: Any = None) -> ImportReport:
    """Import the demo registers of the current school year up to yesterday, through the
    importer (so the worklist is built exactly as for a real file). For `demo_data`."""
    school_year = school_year_of(today)
    registers = demo_registers(
        school_year=school_year, seed=seed, pupils=pupils_on_roll(school_year)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"demo-registers-{school_year}.csv"
        write_registers(
            registers, path, last_day=register_day_count(registers.calendar, before=today)
        )
        return import_attendance_file(path=path, actor=actor, today=today)


# What the demo CME officer has already done about the longest-standing open items.
_DEMO_FOLLOW_UPS: Final = (
    ("contacted_school", "Spoke to the attendance lead: letters home unanswered, no phone reply."),
    (
        "home_visit",
        "Visited with the education welfare officer: nobody at home, neighbours unsure.",
    ),
    ("contacted_family", "Parent says the child is unwell; asked for a doctor's note by Friday."),
)


def add_demo_follow_ups(*, officer: Any) -> int:
    """Record the demo officer's follow-ups on the longest-standing open worklist items (the
    rest await one), through the service, so they are audited as a real one would be."""
    oldest = list(
        AttendanceTrigger.objects.filter(status=AttendanceTrigger.Status.OPEN).order_by(
            "fired_on", "id"
        )[: len(_DEMO_FOLLOW_UPS)]
    )
    for trigger, (action, note) in zip(oldest, _DEMO_FOLLOW_UPS, strict=False):
        services.record_follow_up(
            actor=officer, trigger=trigger, action=TriggerFollowUp.Action(action), note=note
        )
    return len(oldest)
