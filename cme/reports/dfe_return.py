"""The DfE's termly children missing education return: whom the Department counts, and the
counts it collects. Pure functions over each child's history: no queries, so every rule can be
tested exhaustively (the selector in `selectors.py` builds the histories from the register).

Whom the Department counts (domain.md b1, b6; s.436A Education Act 1996): children of
compulsory school age who are not registered pupils at a school and not receiving suitable
education otherwise. So the return counts

- children applying for a school place, even within the first 15 days of the application;
- children offered a place who have not yet started;
- children whose home education has been assessed as unsuitable;
- children whose whereabouts are unknown;

and never counts

- registered pupils, however absent (they go through attendance processes);
- children in suitable alternative provision;
- children in home education not yet assessed (or assessed as suitable).

A case still being checked (referred, or checking whether a place of education is known)
counts only once a fact above establishes that the child is missing education.

The counts collected: on the census date, by sex, National Curriculum year (from the date of
birth), length of time missing education and primary reason; and the children missing
education at any point in the previous academic year. No child-identifiable data leaves here.
"""

from __future__ import annotations

import datetime
import enum
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

from cme.cases.categories import CaseCategory, Pathway, pathway_for
from cme.cases.workflow import CaseStatus
from cme.standards.school_age import (
    compulsory_school_age_ends,
    compulsory_school_age_starts,
    national_curriculum_year,
    school_year_start,
    year_group_label,
)

ONE_DAY = datetime.timedelta(days=1)


class Application(enum.StrEnum):
    """Where the child's application for a school place stands."""

    NONE = "none"
    APPLYING = "applying"
    OFFERED = "offered"  # offered a place, not yet started


class HomeEducation(enum.StrEnum):
    NONE = "none"
    NOT_ASSESSED = "not_assessed"
    SUITABLE = "suitable"
    UNSUITABLE = "unsuitable"


class Reason(enum.StrEnum):
    """The primary reason a child is missing education, as the return reports it.

    The Department's own list (extended in autumn 2025) was not available when this was
    written (domain.md b6 [U]): `REASON_LABELS` is the one place to align the wording."""

    WHEREABOUTS_UNKNOWN = "whereabouts_unknown"
    APPLYING_FOR_A_PLACE = "applying"
    OFFERED_NOT_STARTED = "offered_not_started"
    UNSUITABLE_HOME_EDUCATION = "unsuitable_ehe"
    PERMANENTLY_EXCLUDED = "permanently_excluded"
    AWAITING_EHC_PLAN_PLACEMENT = "awaiting_ehcp_placement"
    REMOVED_FROM_ROLL = "removed_from_roll"
    NOT_STARTED_AFTER_TRANSITION = "not_started_after_transition"
    UNSUITABLE_ALTERNATIVE_PROVISION = "unsuitable_ap"
    OTHER = "other"


REASON_LABELS: dict[Reason, str] = {
    Reason.WHEREABOUTS_UNKNOWN: "Whereabouts unknown",
    Reason.APPLYING_FOR_A_PLACE: "Applying for a school place",
    Reason.OFFERED_NOT_STARTED: "Offered a school place, not yet started",
    Reason.UNSUITABLE_HOME_EDUCATION: "Home education assessed as unsuitable",
    Reason.PERMANENTLY_EXCLUDED: "Permanently excluded, no full-time provision",
    Reason.AWAITING_EHC_PLAN_PLACEMENT: "Awaiting the placement named in an EHC plan",
    Reason.REMOVED_FROM_ROLL: "Removed from a school roll, no education arranged",
    Reason.NOT_STARTED_AFTER_TRANSITION: "Did not start school after a transition point",
    Reason.UNSUITABLE_ALTERNATIVE_PROVISION: "Alternative provision that is not suitable",
    Reason.OTHER: "Other: on no roll and not receiving suitable education",
}

_REASON_OF_CATEGORY: dict[CaseCategory, Reason] = {
    CaseCategory.EXCLUDED_WITHOUT_PROVISION: Reason.PERMANENTLY_EXCLUDED,
    CaseCategory.AWAITING_EHCP_PLACEMENT: Reason.AWAITING_EHC_PLAN_PLACEMENT,
    CaseCategory.REMOVED_DESTINATION_UNKNOWN: Reason.REMOVED_FROM_ROLL,
    CaseCategory.AT_RISK_LEFT_WITHOUT_PROVISION: Reason.REMOVED_FROM_ROLL,
    CaseCategory.NOT_STARTED_AFTER_TRANSITION: Reason.NOT_STARTED_AFTER_TRANSITION,
    CaseCategory.IN_AP_ON_NO_ROLL: Reason.UNSUITABLE_ALTERNATIVE_PROVISION,
    CaseCategory.OFFERED_AP_NOT_ATTENDING: Reason.UNSUITABLE_ALTERNATIVE_PROVISION,
}

SEX_LABELS = {"F": "Female", "M": "Male", "U": "Not known"}
YEAR_GROUPS: tuple[int, ...] = tuple(range(12))  # Reception to Year 11
YEAR_NOT_KNOWN = "Not known"

# Length of time missing education on the census date, in whole weeks: (below, label). The
# Department's bands were not available when this was written (domain.md b6 [U]); this is the
# one place to align them.
LENGTH_BANDS: tuple[tuple[int | None, str], ...] = (
    (4, "Less than 4 weeks"),
    (12, "4 weeks to less than 12 weeks"),
    (26, "12 weeks to less than 26 weeks"),
    (52, "26 weeks to less than 52 weeks"),
    (None, "52 weeks or more"),
)


@dataclass(frozen=True, slots=True)
class CaseState:
    """A case on one day: where it is in the workflow, why the child is on the register, and
    since when the child has been missing education (the referral, or the re-opening)."""

    status: CaseStatus
    category: CaseCategory
    missing_since: datetime.date


# A value that changes over time: (from this date, the value), sorted by date; the value
# before the first date is the function's default. Several values on one date: the last wins
# (the state at the end of that day).
T = TypeVar("T")
Steps: TypeAlias = tuple[tuple[datetime.date, T], ...]


def value_on(steps: Steps[T], day: datetime.date, default: T) -> T:
    index = bisect_right([start for start, _ in steps], day)
    return steps[index - 1][1] if index else default


@dataclass(frozen=True, slots=True)
class ChildHistory:
    """What the register knows about one child over time. `on_roll` is True while on a school
    roll, False once the register shows the child has left every roll, None while it holds
    no roll for the child at all."""

    sex: str
    date_of_birth: datetime.date | None
    case: Steps[CaseState | None] = ()
    on_roll: Steps[bool | None] = ()
    alternative_provision: Steps[bool] = ()
    home_education: Steps[HomeEducation] = ()
    application: Steps[Application] = ()

    def change_dates(self) -> set[datetime.date]:
        dates = {
            start
            for steps in (
                self.case,
                self.on_roll,
                self.alternative_provision,
                self.home_education,
                self.application,
            )
            for start, _ in steps
        }
        if self.date_of_birth is not None:
            dates.add(compulsory_school_age_starts(self.date_of_birth))
            dates.add(compulsory_school_age_ends(self.date_of_birth) + ONE_DAY)
        return dates


@dataclass(frozen=True, slots=True)
class Assessment:
    """Whether the Department counts the child on a day, why (in words), and the reason the
    return gives when it does."""

    counted: bool
    why: str
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """The child's situation on one day, read from the history."""

    case: CaseState | None
    of_compulsory_school_age: bool
    on_roll: bool | None
    alternative_provision: bool
    home_education: HomeEducation
    application: Application

    @property
    def has_open_case(self) -> bool:
        return self.case is not None and self.case.status != CaseStatus.CLOSED

    @property
    def status(self) -> CaseStatus | None:
        return self.case.status if self.case is not None else None

    @property
    def case_is_about_a_pupil(self) -> bool:
        return (
            self.case is not None
            and pathway_for(self.case.category) == Pathway.ON_ROLL_NOT_ATTENDING
        )


def facts_on(history: ChildHistory, day: datetime.date) -> Facts:
    born = history.date_of_birth
    return Facts(
        case=value_on(history.case, day, None),
        # Without a date of birth the age cannot be checked: the case is on the register.
        of_compulsory_school_age=born is None
        or compulsory_school_age_starts(born) <= day <= compulsory_school_age_ends(born),
        on_roll=value_on(history.on_roll, day, None),
        alternative_provision=value_on(history.alternative_provision, day, default=False),
        home_education=value_on(history.home_education, day, HomeEducation.NONE),
        application=value_on(history.application, day, Application.NONE),
    )


def _no(why: str) -> Assessment:
    return Assessment(counted=False, why=why)


def _yes(why: str, reason: Reason) -> Assessment:
    return Assessment(counted=True, why=why, reason=reason)


# The rules, in order: the first whose test holds decides. A child none of them decides is on
# no roll and not receiving suitable education, and counts.
RULES: tuple[tuple[Callable[[Facts], bool], Assessment], ...] = (
    (lambda f: not f.has_open_case, _no("No open case")),
    (lambda f: not f.of_compulsory_school_age, _no("Not of compulsory school age")),
    (lambda f: f.on_roll is True, _no("A registered pupil, however absent")),
    (
        lambda f: f.on_roll is None and f.case_is_about_a_pupil,
        _no("A registered pupil, however absent (the case is about a pupil on a roll)"),
    ),
    (lambda f: f.alternative_provision, _no("In suitable alternative provision")),
    (
        lambda f: f.home_education == HomeEducation.SUITABLE,
        _no("In suitable home education"),
    ),
    (
        lambda f: f.home_education == HomeEducation.NOT_ASSESSED,
        _no("In home education not yet assessed"),
    ),
    (
        lambda f: f.home_education == HomeEducation.UNSUITABLE,
        _yes("In home education assessed as unsuitable", Reason.UNSUITABLE_HOME_EDUCATION),
    ),
    (
        lambda f: f.application == Application.APPLYING,
        _yes("Applying for a school place", Reason.APPLYING_FOR_A_PLACE),
    ),
    (
        lambda f: f.application == Application.OFFERED,
        _yes("Offered a school place, not yet started", Reason.OFFERED_NOT_STARTED),
    ),
    (
        lambda f: f.status == CaseStatus.WHEREABOUTS_UNKNOWN,
        _yes("Whereabouts unknown", Reason.WHEREABOUTS_UNKNOWN),
    ),
    (
        lambda f: f.status in {CaseStatus.REFERRED, CaseStatus.CHECKING},
        _no("Not yet established as missing education (still being checked)"),
    ),
)


def assess(history: ChildHistory, day: datetime.date) -> Assessment:
    """Whether the child is missing education on `day`, as the Department counts."""
    facts = facts_on(history, day)
    for applies, assessment in RULES:
        if applies(facts):
            return assessment
    category = facts.case.category if facts.case is not None else None
    return _yes(
        "On no roll and not receiving suitable education",
        _REASON_OF_CATEGORY.get(category, Reason.OTHER) if category else Reason.OTHER,
    )


def counted_at_any_point(history: ChildHistory, first: datetime.date, last: datetime.date) -> bool:
    """Whether the child counts on any day from `first` to `last`, both included. The history
    changes only on its change dates, so the first day and each change date within the period
    are the only days to look at."""
    days = {first} | {day for day in history.change_dates() if first < day <= last}
    return any(assess(history, day).counted for day in days)


def length_band(missing_since: datetime.date, day: datetime.date) -> str:
    weeks = max((day - missing_since).days, 0) // 7
    for below, label in LENGTH_BANDS:
        if below is None or weeks < below:
            return label
    raise AssertionError("unreachable: the last band is open-ended")


def year_group_of(date_of_birth: datetime.date | None, day: datetime.date) -> str:
    """The National Curriculum year the child is in by age on `day`."""
    if date_of_birth is None:
        return YEAR_NOT_KNOWN
    return year_group_label(national_curriculum_year(date_of_birth, day))


def previous_academic_year(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The academic year (1 September to 31 August) before the one containing `day`."""
    start = school_year_start(day) - 1
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """One of the return's tables: each category with its count, in a fixed order (every
    category listed, those with none as 0)."""

    name: str
    title: str
    rows: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)


@dataclass(frozen=True, slots=True)
class DfeReturn:
    census_date: datetime.date
    on_census_date: int
    by_sex: Breakdown
    by_year_group: Breakdown
    by_length: Breakdown
    by_reason: Breakdown
    previous_year_start: datetime.date
    previous_year_end: datetime.date
    previous_year: int

    @property
    def breakdowns(self) -> tuple[Breakdown, ...]:
        return (self.by_sex, self.by_year_group, self.by_length, self.by_reason)

    def csv_rows(self) -> list[list[str]]:
        """The return as CSV rows (header first): counts and category names only."""
        census = self.census_date.isoformat()
        rows = [
            ["census_date", "measure", "breakdown", "category", "count"],
            [census, "cme_on_census_date", "total", "Total", str(self.on_census_date)],
        ]
        rows.extend(
            [census, "cme_on_census_date", breakdown.name, category, str(count)]
            for breakdown in self.breakdowns
            for category, count in breakdown.rows
        )
        period = f"{self.previous_year_start.isoformat()} to {self.previous_year_end.isoformat()}"
        rows.append(
            [census, "cme_in_previous_academic_year", "total", period, str(self.previous_year)]
        )
        return rows


def _breakdown(name: str, title: str, order: Sequence[str], counts: Counter[str]) -> Breakdown:
    return Breakdown(name=name, title=title, rows=tuple((label, counts[label]) for label in order))


def dfe_return(histories: Iterable[ChildHistory], *, census_date: datetime.date) -> DfeReturn:
    """The return's counts on `census_date`, and over the previous academic year."""
    first, last = previous_academic_year(census_date)
    sexes: Counter[str] = Counter()
    years: Counter[str] = Counter()
    lengths: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    on_census = previous = 0
    for history in histories:
        if counted_at_any_point(history, first, last):
            previous += 1
        assessment = assess(history, census_date)
        if not assessment.counted or assessment.reason is None:
            continue
        case = value_on(history.case, census_date, None)
        if case is None:  # pragma: no cover - a counted child always has an open case
            continue
        on_census += 1
        sexes[SEX_LABELS.get(history.sex, SEX_LABELS["U"])] += 1
        years[year_group_of(history.date_of_birth, census_date)] += 1
        lengths[length_band(case.missing_since, census_date)] += 1
        reasons[REASON_LABELS[assessment.reason]] += 1
    return DfeReturn(
        census_date=census_date,
        on_census_date=on_census,
        by_sex=_breakdown("sex", "Sex", list(SEX_LABELS.values()), sexes),
        by_year_group=_breakdown(
            "year_group",
            "National Curriculum year group",
            [*(year_group_label(year) for year in YEAR_GROUPS), YEAR_NOT_KNOWN],
            years,
        ),
        by_length=_breakdown(
            "length_missing",
            "Length of time missing education",
            [label for _, label in LENGTH_BANDS],
            lengths,
        ),
        by_reason=_breakdown("reason", "Primary reason", list(REASON_LABELS.values()), reasons),
        previous_year_start=first,
        previous_year_end=last,
        previous_year=previous,
    )
