"""Building pupil-years of marks for tests, a day at a time."""

from __future__ import annotations

import datetime

from cme.attendance.marks import NO_MARK, day_index, sessions_in_year, symbol_of_code


class Register:
    """One pupil's marks for a school year, built day by day in national codes."""

    def __init__(self, school_year: int = 2025) -> None:
        self.school_year = school_year
        self.cells = [NO_MARK] * sessions_in_year(school_year)

    def day(self, on: datetime.date, am: str, pm: str | None = None) -> Register:
        """Mark one day (`pm` defaults to the afternoon's form of `am`: `\\` for `/`)."""
        if pm is None:
            pm = "\\" if am == "/" else am
        index = 2 * day_index(on, self.school_year)
        self.cells[index] = symbol_of_code(am)
        self.cells[index + 1] = symbol_of_code(pm)
        return self

    def school_days(
        self, first: datetime.date, count: int, am: str, pm: str | None = None
    ) -> datetime.date:
        """Mark `count` weekdays from `first`; returns the weekday after the last."""
        on = first
        while count:
            if on.weekday() < 5:
                self.day(on, am, pm)
                count -= 1
            on += datetime.timedelta(days=1)
        while on.weekday() >= 5:
            on += datetime.timedelta(days=1)
        return on

    @property
    def marks(self) -> str:
        return "".join(self.cells).rstrip(NO_MARK)


def weekdays(first: datetime.date, count: int) -> list[datetime.date]:
    days: list[datetime.date] = []
    on = first
    while len(days) < count:
        if on.weekday() < 5:
            days.append(on)
        on += datetime.timedelta(days=1)
    return days
