"""Reads over the stored registers: the rules' settings and context, what other apps ask of
a child's attendance, the flags on a date, and the pages' figures.

Other apps call these (never the models):
- `latest_attended_mark(child_id=...)`: the date of the child's latest session marked as
  attended anywhere;
- `attended_recently(child_id=..., today=...)`: referral triage's "a present mark within
  the last 5 school days in data no older than a configurable age";
- `attendance_since(child_id=..., since=...)`: attendance after a date (post-placement).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Aggregate, Count, F, Q, QuerySet, Sum
from django.http import Http404

from cme.accounts.models import Role
from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.pupils.models import Child, Enrolment, School

from .marks import (
    ATTENDED_KINDS,
    COUNTED_KINDS,
    NO_MARK,
    SCHOOL_DAY_KINDS,
    date_of_day,
    day_index,
    padded,
    school_year_of,
    session_kinds,
    sessions_in_year,
    symbol_of_code,
    year_end,
    year_start,
)
from .models import AttendanceTrigger, AttendanceYear, PlacementMonitoring, TriggerFollowUp
from .rules import Flag, Rule, Thresholds, evaluate_matrix, symbol_matrix

_CHUNK: Final = 5_000


def attendance_thresholds() -> Thresholds:
    """The rules' thresholds: DfE's and the law's, as changed by ATTENDANCE_THRESHOLDS."""
    values: dict[str, int] = {}
    for pair in settings.ATTENDANCE_THRESHOLDS:
        name, _, number = pair.partition("=")
        name = name.strip()
        if name not in Thresholds.__dataclass_fields__:
            msg = f"CME_ATTENDANCE_THRESHOLDS: {name!r} is not an attendance rule threshold"
            raise ImproperlyConfigured(msg)
        try:
            values[name] = int(number)
        except ValueError as error:
            msg = f"CME_ATTENDANCE_THRESHOLDS: {name} must be a whole number"
            raise ImproperlyConfigured(msg) from error
    try:
        return Thresholds(**values)
    except ValueError as error:
        raise ImproperlyConfigured(f"CME_ATTENDANCE_THRESHOLDS: {error}") from error


# --- What the rules read besides the marks --------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Per pupil-year (child, school, school year): the start of an enrolment that began in
    that year (failed to start) and the date of a placement being watched (post-placement)."""

    on_roll_from: dict[tuple[int, int, int], datetime.date]
    placed_on: dict[tuple[int, int, int], datetime.date]


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    distinct = sorted(set(values))
    for start in range(0, len(distinct), _CHUNK):
        yield distinct[start : start + _CHUNK]


def rule_context(
    keys: Sequence[tuple[int, int, int]],
    *,
    as_of: datetime.date,
    on_roll_from: Mapping[tuple[int, int, int], datetime.date] | None = None,
) -> RuleContext:
    """The rules' context for these pupil-years on `as_of` (a placement counts when it was
    made by then and its monitoring had not ended). `on_roll_from` given (read by the
    caller) is used as it is."""
    wanted = set(keys)
    schools = {school for _child, school, _year in keys}
    years = {year for _child, _school, year in keys}
    starts: dict[tuple[int, int, int], datetime.date] = dict(on_roll_from or {})
    placed_on: dict[tuple[int, int, int], datetime.date] = {}
    for chunk in _chunks(child for child, _school, _year in keys) if on_roll_from is None else ():
        for child_id, school_id, start in Enrolment.objects.filter(
            child_id__in=chunk, school_id__in=schools
        ).values_list("child_id", "school_id", "start_date"):
            key = (child_id, school_id, school_year_of(start))
            if key in wanted:
                starts[key] = max(start, starts.get(key, start))
    # Placements are few: all of these schools' are read, without a list of children.
    for child_id, school_id, placed, ends in PlacementMonitoring.objects.filter(
        school_id__in=schools
    ).values_list("child_id", "school_id", "placed_on", "ends_on"):
        for year in years:
            key = (child_id, school_id, year)
            on = min(as_of, year_end(year))
            if key in wanted and placed <= on and (ends is None or ends >= on):
                placed_on[key] = max(placed, placed_on.get(key, placed))
    return RuleContext(on_roll_from=starts, placed_on=placed_on)


# --- For other apps -----------------------------------------------------------------------------


def _years_of_child(child_id: int) -> list[AttendanceYear]:
    return list(
        AttendanceYear.objects.filter(child_id=child_id).order_by("-school_year", "school_id")
    )


def _attended(kinds: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.isin(kinds, sorted(ATTENDED_KINDS))


def latest_attended_mark(*, child_id: int) -> datetime.date | None:
    """The date of the child's latest session marked as attended (present, or attending an
    approved educational activity) at any school, in the stored registers; None if none."""
    latest: datetime.date | None = None
    for year in _years_of_child(child_id):
        if latest is not None and year_end(year.school_year) < latest:
            break
        found = np.flatnonzero(_attended(session_kinds(year.marks, year.school_year)))
        if found.size:
            day = date_of_day(year.school_year, int(found[-1]) // 2)
            latest = day if latest is None else max(latest, day)
    return latest


def attended_recently(*, child_id: int, today: datetime.date) -> bool | None:
    """Referral triage: does the register show the child attending?

    True when a school's register for the child has a session marked as attended within its
    last `ATTENDANCE_RECENT_SCHOOL_DAYS` school days up to `today`, in data whose latest mark
    is no more than `ATTENDANCE_DATA_MAX_AGE_DAYS` days old; False when such fresh data has
    no attended mark in those days; None when there is no fresh data (no answer either way).
    """
    recent_days = int(settings.ATTENDANCE_RECENT_SCHOOL_DAYS)
    oldest = today - datetime.timedelta(days=int(settings.ATTENDANCE_DATA_MAX_AGE_DAYS))
    answer: bool | None = None
    for year in AttendanceYear.objects.filter(
        child_id=child_id, school_year=school_year_of(today), last_marked_on__gte=oldest
    ):
        kinds = session_kinds(year.marks, year.school_year)
        up_to = 2 * (day_index(today, year.school_year) + 1)
        days = kinds[:up_to].reshape(-1, 2)
        school_days = np.flatnonzero(np.isin(days, sorted(SCHOOL_DAY_KINDS)).any(axis=1))
        last = school_days[-recent_days:]
        if last.size == 0:
            continue
        answer = bool(answer) or bool(_attended(days[last]).any())
    return answer


@dataclass(frozen=True, slots=True)
class AttendanceRate:
    """Sessions attended out of possible sessions over a period."""

    attended: int
    possible: int

    @property
    def percent(self) -> float | None:
        return 100 * self.attended / self.possible if self.possible else None


def attendance_since(
    *,
    child_id: int,
    since: datetime.date,
    until: datetime.date | None = None,
    school_id: int | None = None,
) -> AttendanceRate:
    """The child's attendance over sessions dated from `since` to `until` (inclusive; to
    the latest mark if None), at every school or at `school_id`: post-placement monitoring."""
    attended = possible = 0
    years = AttendanceYear.objects.filter(child_id=child_id, school_year__gte=school_year_of(since))
    if until is not None:
        years = years.filter(school_year__lte=school_year_of(until))
    if school_id is not None:
        years = years.filter(school_id=school_id)
    counted = sorted(COUNTED_KINDS)
    for year in years:
        kinds = session_kinds(year.marks, year.school_year)
        start = max(0, 2 * day_index(since, year.school_year))
        end = len(kinds) if until is None else max(0, 2 * (day_index(until, year.school_year) + 1))
        window = kinds[start:end]
        possible += int(np.isin(window, counted).sum())
        attended += int(_attended(window).sum())
    return AttendanceRate(attended=attended, possible=possible)


# --- The flags on a date -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlagRow:
    """One row of `attendance_flags`."""

    upn: str
    laestab: str
    flag: Flag


def flags_as_of(*, as_of: datetime.date, batch: int = 5_000) -> Iterator[FlagRow]:
    """Every rule in force on `as_of`, over the school year containing it, reading the marks
    dated on or before it: by UPN, LAESTAB and rule."""
    school_year = school_year_of(as_of)
    thresholds = attendance_thresholds()
    years = (
        AttendanceYear.objects.filter(school_year=school_year, first_marked_on__lte=as_of)
        .order_by("child__upn", "school__laestab", "id")
        .values_list("child_id", "school_id", "child__upn", "school__laestab", "marks")
    )
    rows = list(years)
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        keys = [(child, school, school_year) for child, school, _u, _l, _m in chunk]
        context = rule_context(keys, as_of=as_of)
        evaluations = evaluate_matrix(
            symbol_matrix([marks for *_rest, marks in chunk], school_year),
            school_year=school_year,
            as_of=as_of,
            on_roll_from=[context.on_roll_from.get(key) for key in keys],
            placed_on=[context.placed_on.get(key) for key in keys],
            thresholds=thresholds,
        )
        for (_child, _school, upn, laestab, _marks), evaluation in zip(
            chunk, evaluations, strict=True
        ):
            for flag in evaluation.flags:
                yield FlagRow(upn=upn, laestab=laestab, flag=flag)


# --- Scoping and pages -----------------------------------------------------------------------


def triggers_visible_to(user: Any) -> QuerySet[AttendanceTrigger]:
    """The worklist items `user` may see: the CME team sees every one; no one else any."""
    triggers = AttendanceTrigger.objects.select_related("child", "school")
    if getattr(user, "is_authenticated", False) and user.role in {
        Role.CME_OFFICER,
        Role.CME_MANAGER,
    }:
        return triggers
    return triggers.none()


def years_visible_to(user: Any, child: Child) -> QuerySet[AttendanceYear]:
    """The child's stored years `user` may see (the caller has checked the child is in the
    user's scope): a school sees its own marks only, the authority's roles every school's."""
    years = AttendanceYear.objects.filter(child=child).select_related("school")
    if getattr(user, "role", None) == Role.SCHOOL_ATTENDANCE:
        return years.filter(school_id=user.school_id)
    return years


@dataclass(frozen=True, slots=True)
class Figures:
    """Attendance figures over pupil enrolments, as DfE defines them (each pupil-school-year
    counts once; rates are of possible sessions)."""

    enrolments: int
    possible: int
    attended: int
    unauthorised: int
    persistent: int
    severe: int
    below_local: int
    below_report: int

    @property
    def authorised(self) -> int:
        return self.possible - self.attended - self.unauthorised

    def rate(self, part: int) -> float | None:
        return 100 * part / self.possible if self.possible else None

    @property
    def attendance_rate(self) -> float | None:
        return self.rate(self.attended)

    @property
    def absence_rate(self) -> float | None:
        return self.rate(self.possible - self.attended)

    @property
    def authorised_rate(self) -> float | None:
        return self.rate(self.authorised)

    @property
    def unauthorised_rate(self) -> float | None:
        return self.rate(self.unauthorised)

    def share(self, count: int) -> float | None:
        return 100 * count / self.enrolments if self.enrolments else None


_FIGURES_FIELDS: Final = tuple(field.name for field in dataclasses.fields(Figures))


def _missed_at_least(percent: int) -> Q:
    """Pupil-years that missed `percent`% or more of their possible sessions."""
    return Q(missed_x100__gte=F("possible_sessions") * percent)


def _below(percent: int) -> Q:
    return Q(attended_x100__lt=F("possible_sessions") * percent)


def _counted(years: QuerySet[AttendanceYear]) -> QuerySet[AttendanceYear]:
    """The pupil-years with any possible session, with what the counts compare."""
    return years.filter(possible_sessions__gt=0).alias(
        missed_x100=(F("possible_sessions") - F("attended_sessions")) * 100,
        attended_x100=F("attended_sessions") * 100,
    )


def _totals() -> dict[str, Aggregate]:
    """`Figures`' fields as aggregates: one query gives them all (per group, if grouped)."""
    thresholds = attendance_thresholds()
    return {
        "enrolments": Count("id"),
        "possible": Sum("possible_sessions"),
        "attended": Sum("attended_sessions"),
        "unauthorised": Sum("unauthorised_sessions"),
        "persistent": Count("id", filter=_missed_at_least(thresholds.persistent_absence_percent)),
        "severe": Count("id", filter=_missed_at_least(thresholds.severe_absence_percent)),
        "below_local": Count("id", filter=_below(settings.ATTENDANCE_LOCAL_THRESHOLD_PERCENT)),
        "below_report": Count("id", filter=_below(settings.ATTENDANCE_TERMLY_REPORT_PERCENT)),
    }


def _figures_of(row: Mapping[str, Any]) -> Figures:
    return Figures(**{name: row.get(name) or 0 for name in _FIGURES_FIELDS})


def figures(years: QuerySet[AttendanceYear]) -> Figures:
    """DfE's figures over these pupil-years: overall, authorised and unauthorised absence
    rates, and persistent (10%+ missed) and severe (50%+) absence among enrolments with any
    possible session; and how many are below the policy's local thresholds."""
    return _figures_of(_counted(years).aggregate(**_totals()))


def school_years_with_marks() -> list[int]:
    return list(
        AttendanceYear.objects.order_by("-school_year")
        .values_list("school_year", flat=True)
        .distinct()
    )


def school_figures(*, school: School, school_year: int) -> Figures:
    return figures(AttendanceYear.objects.filter(school=school, school_year=school_year))


def authority_figures(*, school_year: int) -> tuple[Figures, list[tuple[School, Figures]]]:
    """The authority's figures for a school year, and each school's with marks that year:
    one query for the authority, one for every school (grouped), one for the schools."""
    years = AttendanceYear.objects.filter(school_year=school_year)
    by_school = {
        row["school_id"]: _figures_of(row)
        for row in _counted(years).order_by().values("school_id").annotate(**_totals())
    }
    school_ids = years.order_by().values_list("school_id", flat=True).distinct()
    schools = School.objects.filter(pk__in=school_ids).order_by("name")
    return figures(years), [
        (school, by_school.get(school.pk) or _figures_of({})) for school in schools
    ]


def stored_marks(year: AttendanceYear) -> str:
    """A stored year's packed marks, padded to the year's length."""
    return year.marks.ljust(sessions_in_year(year.school_year), NO_MARK)


def open_triggers_by_rule(user: Any, *, awaiting: bool = False) -> dict[Rule, int]:
    """How many open items of each rule `user` may see (awaiting a follow-up, if asked)."""
    counts: dict[Rule, int] = defaultdict(int)
    for rule in open_triggers(user=user, awaiting=awaiting).values_list("rule", flat=True):
        counts[Rule(rule)] += 1
    return dict(counts)


# --- The child's attendance page ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildYear:
    """One stored year of a child's marks at a school, with the rules in force on the day
    the page is read (or at the year's end)."""

    year: AttendanceYear
    as_of: datetime.date
    flags: tuple[Flag, ...]


def child_years(*, user: Any, child: Child, today: datetime.date) -> list[ChildYear]:
    """The child's years `user` may see, newest first, each with the rules in force."""
    years = list(years_visible_to(user, child).order_by("-school_year", "school__name"))
    thresholds = attendance_thresholds()
    keys = [(child.pk, year.school_id, year.school_year) for year in years]
    results: list[ChildYear] = []
    for year, key in zip(years, keys, strict=True):
        as_of = min(today, year_end(year.school_year))
        context = rule_context([key], as_of=as_of)
        (evaluation,) = evaluate_matrix(
            symbol_matrix([year.marks], year.school_year),
            school_year=year.school_year,
            as_of=as_of,
            on_roll_from=[context.on_roll_from.get(key)],
            placed_on=[context.placed_on.get(key)],
            thresholds=thresholds,
        )
        results.append(ChildYear(year=year, as_of=as_of, flags=evaluation.flags))
    return results


def child_triggers(*, user: Any, child: Child) -> list[AttendanceTrigger]:
    """The child's worklist items, newest first, if `user` may see the worklist."""
    return list(triggers_visible_to(user).filter(child=child).order_by("-fired_on", "-id"))


def open_triggers(
    *, user: Any, rule: Rule | None = None, awaiting: bool = False
) -> QuerySet[AttendanceTrigger]:
    """The open worklist items `user` may see, the longest-standing first; with `awaiting`,
    only those nobody has recorded a follow-up on."""
    triggers = triggers_visible_to(user).filter(status=AttendanceTrigger.Status.OPEN)
    if rule is not None:
        triggers = triggers.filter(rule=rule.value)
    if awaiting:
        triggers = triggers.filter(follow_ups__isnull=True)
    return triggers.order_by("fired_on", "id")


def worklist(
    *, user: Any, rule: Rule | None, limit: int, awaiting: bool = False
) -> tuple[list[AttendanceTrigger], int]:
    """The first `limit` open worklist items `user` may see (of one rule, if given; awaiting
    a follow-up, if asked), each with its follow-ups, newest first, and how many there are.
    The read is recorded in the access log: the list names children."""
    triggers = open_triggers(user=user, rule=rule, awaiting=awaiting)
    total = triggers.count()
    query = "&".join(
        part for part in (f"rule={rule.value}" if rule else "", "awaiting=1" if awaiting else "")
        if part
    )  # fmt: skip
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.SEARCH,
        purpose="Viewed the attendance worklist",
        query=query,
        result_count=total,
    )
    return list(triggers.prefetch_related("follow_ups")[:limit]), total


def access_trigger(*, user: Any, trigger_id: int) -> AttendanceTrigger:
    """A worklist item if `user` may see it, else 404 exactly as if it did not exist. The
    read is recorded in the access log (the item names a child)."""
    try:
        trigger = triggers_visible_to(user).get(pk=trigger_id)
    except AttendanceTrigger.DoesNotExist as missing:
        raise Http404("No such worklist item") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=trigger,
        child_id=trigger.child_id,
        purpose="Viewed an attendance worklist item",
    )
    return trigger


def follow_ups_of(trigger: AttendanceTrigger) -> list[TriggerFollowUp]:
    """What was done about a worklist item, newest first, with who recorded it."""
    return list(trigger.follow_ups.select_related("recorded_by"))


def triggers_fired_at_school(
    *, school_id: int, rules: Iterable[Rule], fired_on_or_before: datetime.date
) -> list[AttendanceTrigger]:
    """Worklist items (open or closed) of these rules at one school that fired on or before a
    day, with their child: what the school's own registers told it to report."""
    return list(
        AttendanceTrigger.objects.filter(
            school_id=school_id,
            rule__in=[str(rule) for rule in rules],
            fired_on__lte=fired_on_or_before,
        )
        .select_related("child")
        .order_by("fired_on", "pk")
    )


# --- Sessions over a period, for reports ----------------------------------------------------------

# Education arranged away from the school site: by the authority (K) or another approved
# educational activity off site (B). Both are codes the 2024 set and the earlier set share.
OFF_SITE_CODES: Final = ("K", "B")


@dataclass(frozen=True, slots=True)
class PeriodSessions:
    """One pupil's sessions at one school over a period."""

    possible: int
    attended: int
    off_site: int


def sessions_between(
    *, school_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], PeriodSessions]:
    """For each (child id, school id) with marks at these schools: possible, attended and
    off-site sessions dated from `start` to `end` inclusive, as the DfE counts them (a
    session not counted in possible sessions is in neither figure)."""
    counted = sorted(COUNTED_KINDS)
    off_site = np.frombuffer(
        "".join(symbol_of_code(code) for code in OFF_SITE_CODES).encode("ascii"), dtype=np.uint8
    )
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    years = AttendanceYear.objects.filter(
        school_id__in=list(school_ids),
        school_year__gte=school_year_of(start),
        school_year__lte=school_year_of(end),
    ).values_list("child_id", "school_id", "school_year", "marks")
    for child_id, school_id, school_year, marks in years.iterator(chunk_size=2_000):
        first = max(0, 2 * day_index(max(start, year_start(school_year)), school_year))
        last = 2 * (day_index(min(end, year_end(school_year)), school_year) + 1)
        kinds = session_kinds(marks, school_year)[first:last]
        symbols = np.frombuffer(
            padded(marks, school_year)[first:last].encode("ascii"), dtype=np.uint8
        )
        total = totals[(child_id, school_id)]
        total[0] += int(np.isin(kinds, counted).sum())
        total[1] += int(_attended(kinds).sum())
        total[2] += int(np.isin(symbols, off_site).sum())
    return {key: PeriodSessions(*values) for key, values in totals.items()}
