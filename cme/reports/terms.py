"""School terms, for the termly reports: which dates each covers. No queries.

Terms here run from the default term starts the cases app also uses (1 September, 4 January
and 15 April): autumn is 1 September to 31 December, spring 1 January to 14 April, summer
15 April to 31 August. Holidays have no register marks, so only a school whose term starts
before 15 April would see a few days of its summer term in the spring report.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass


class Season(enum.StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


@dataclass(frozen=True, slots=True)
class Term:
    """A term, by its season and the calendar year it falls in (autumn 2025 is September to
    December 2025; spring 2026 follows it)."""

    season: Season
    year: int

    @property
    def start(self) -> datetime.date:
        month, day = {Season.AUTUMN: (9, 1), Season.SPRING: (1, 1), Season.SUMMER: (4, 15)}[
            self.season
        ]
        return datetime.date(self.year, month, day)

    @property
    def end(self) -> datetime.date:
        month, day = {Season.AUTUMN: (12, 31), Season.SPRING: (4, 14), Season.SUMMER: (8, 31)}[
            self.season
        ]
        return datetime.date(self.year, month, day)

    @property
    def slug(self) -> str:
        return f"{self.season.value}-{self.year}"

    @property
    def label(self) -> str:
        return f"{self.season.value.capitalize()} term {self.year}"

    @property
    def school_year(self) -> str:
        first = self.year if self.season == Season.AUTUMN else self.year - 1
        return f"{first}/{(first + 1) % 100:02d}"

    def previous(self) -> Term:
        if self.season == Season.AUTUMN:
            return Term(Season.SUMMER, self.year)
        if self.season == Season.SUMMER:
            return Term(Season.SPRING, self.year)
        return Term(Season.AUTUMN, self.year - 1)

    @classmethod
    def parse(cls, slug: str) -> Term:
        """`autumn-2025` as a term; ValueError for anything else."""
        season, _, year = slug.strip().lower().partition("-")
        if season not in {s.value for s in Season} or not (
            year.isascii() and year.isdigit() and len(year) == 4
        ):
            raise ValueError(f"{slug!r} is not a term like autumn-2025")
        return cls(Season(season), int(year))


def term_containing(day: datetime.date) -> Term:
    for season in Season:
        term = Term(season, day.year)
        if term.start <= day <= term.end:
            return term
    raise AssertionError("unreachable: the terms cover the whole year")


def latest_ended(day: datetime.date) -> Term:
    """The last term that ended before `day`: what a report run at the end of term covers."""
    return term_containing(day).previous()


def recent_terms(day: datetime.date, *, count: int = 6) -> list[Term]:
    """The term containing `day` and the ones before it, newest first."""
    terms = [term_containing(day)]
    while len(terms) < count:
        terms.append(terms[-1].previous())
    return terms
