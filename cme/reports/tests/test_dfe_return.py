"""Whom the DfE counts as missing education, and the return's counts: properties over any
child history, and the cases domain.md b1 names."""

from __future__ import annotations

import datetime
import random
import re
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from cme.cases.categories import CaseCategory, Pathway, pathway_for
from cme.cases.workflow import CaseStatus
from cme.reports.dfe_return import (
    LENGTH_BANDS,
    REASON_LABELS,
    SEX_LABELS,
    Application,
    CaseState,
    ChildHistory,
    HomeEducation,
    assess,
    counted_at_any_point,
    dfe_return,
    length_band,
    previous_academic_year,
    value_on,
    year_group_of,
)
from cme.standards.school_age import is_of_compulsory_school_age

FIRST = datetime.date(2023, 1, 1)
LAST = datetime.date(2026, 12, 31)
CENSUS = datetime.date(2025, 10, 2)

days = st.dates(min_value=FIRST, max_value=LAST)
births = st.dates(min_value=datetime.date(2006, 1, 1), max_value=datetime.date(2021, 12, 31))


T = TypeVar("T")


def steps_of(
    values: st.SearchStrategy[T], *, max_size: int = 4
) -> st.SearchStrategy[tuple[tuple[datetime.date, T], ...]]:
    return st.lists(st.tuples(days, values), max_size=max_size).map(
        lambda pairs: tuple(sorted(pairs, key=lambda pair: pair[0]))
    )


case_states = st.none() | st.builds(
    CaseState,
    status=st.sampled_from(CaseStatus),
    category=st.sampled_from(CaseCategory),
    missing_since=days,
)
histories = st.builds(
    ChildHistory,
    sex=st.sampled_from(["M", "F", "U"]),
    date_of_birth=st.none() | births,
    case=steps_of(case_states),
    on_roll=steps_of(st.none() | st.booleans()),
    alternative_provision=steps_of(st.booleans()),
    home_education=steps_of(st.sampled_from(HomeEducation)),
    application=steps_of(st.sampled_from(Application)),
)


def missing_child(
    *,
    status: CaseStatus = CaseStatus.LOCATED,
    category: CaseCategory = CaseCategory.IDENTIFIED_MISSING,
    since: datetime.date = datetime.date(2025, 9, 1),
    born: datetime.date | None = datetime.date(2015, 5, 5),
    sex: str = "F",
    **facts: object,
) -> ChildHistory:
    """A child on no roll with an open case from `since`, plus any other facts given."""
    return ChildHistory(
        sex=sex,
        date_of_birth=born,
        case=((since, CaseState(status, category, since)),),
        **facts,  # type: ignore[arg-type]  # the test passes steps of the right types
    )


# Whom the Department counts --------------------------------------------------------------


def test_a_child_applying_for_a_place_counts_even_in_the_first_days_of_the_application() -> None:
    applied = CENSUS - datetime.timedelta(days=3)
    child = missing_child(
        status=CaseStatus.CHECKING, since=applied, application=((applied, Application.APPLYING),)
    )
    assessment = assess(child, CENSUS)
    assert assessment.counted is True
    assert assessment.why == "Applying for a school place"


def test_a_child_offered_a_place_counts_until_the_day_they_start() -> None:
    offered, starts = datetime.date(2025, 9, 20), datetime.date(2025, 10, 6)
    child = missing_child(
        application=((offered, Application.OFFERED), (starts, Application.NONE)),
        on_roll=((starts, True),),
    )
    assert assess(child, CENSUS).counted is True
    assert assess(child, CENSUS).why == "Offered a school place, not yet started"
    assert assess(child, starts).counted is False


def test_home_education_counts_only_once_assessed_as_unsuitable() -> None:
    for home, counted in [
        (HomeEducation.NOT_ASSESSED, False),
        (HomeEducation.SUITABLE, False),
        (HomeEducation.UNSUITABLE, True),
    ]:
        child = missing_child(home_education=((datetime.date(2025, 9, 1), home),))
        assert assess(child, CENSUS).counted is counted, home


def test_a_child_whose_whereabouts_are_unknown_counts() -> None:
    child = missing_child(status=CaseStatus.WHEREABOUTS_UNKNOWN)
    assert assess(child, CENSUS).counted is True


def test_a_pupil_on_a_roll_never_counts_however_absent() -> None:
    child = missing_child(
        category=CaseCategory.AT_RISK_IRREGULAR_ATTENDANCE, status=CaseStatus.LOCATING
    )
    assert assess(child, CENSUS).counted is False
    on_roll = missing_child(on_roll=((datetime.date(2024, 9, 4), True),))
    assert assess(on_roll, CENSUS).counted is False


def test_a_pupil_case_counts_once_the_register_shows_the_child_left_every_roll() -> None:
    left = datetime.date(2025, 7, 18)
    child = missing_child(
        category=CaseCategory.AT_RISK_STOPPED_ATTENDING,
        on_roll=((datetime.date(2024, 9, 4), True), (left + datetime.timedelta(days=1), False)),
    )
    assert assess(child, CENSUS).counted is True


def test_suitable_alternative_provision_never_counts() -> None:
    child = missing_child(alternative_provision=((datetime.date(2025, 9, 10), True),))
    assert assess(child, CENSUS).counted is False


def test_a_referral_still_being_checked_does_not_count() -> None:
    for status in (CaseStatus.REFERRED, CaseStatus.CHECKING):
        assert assess(missing_child(status=status), CENSUS).counted is False
    assert assess(missing_child(status=CaseStatus.CONFIRMED_MISSING), CENSUS).counted is True


def test_a_child_below_or_above_compulsory_school_age_does_not_count() -> None:
    assert assess(missing_child(born=datetime.date(2021, 6, 1)), CENSUS).counted is False
    assert assess(missing_child(born=datetime.date(2008, 6, 1)), CENSUS).counted is False


def test_a_closed_case_does_not_count() -> None:
    child = missing_child(status=CaseStatus.CLOSED)
    assert assess(child, CENSUS).counted is False


@given(history=histories, day=days)
def test_a_child_on_a_roll_is_never_counted(history: ChildHistory, day: datetime.date) -> None:
    if value_on(history.on_roll, day, None):
        assert assess(history, day).counted is False


@given(history=histories, day=days)
def test_a_counted_child_always_has_an_open_case_and_is_of_compulsory_school_age(
    history: ChildHistory, day: datetime.date
) -> None:
    assessment = assess(history, day)
    if assessment.counted:
        case = value_on(history.case, day, None)
        assert case is not None
        assert case.status != CaseStatus.CLOSED
        born = history.date_of_birth
        assert born is None or is_of_compulsory_school_age(born, day)
        assert assessment.reason is not None
        assert value_on(history.alternative_provision, day, default=False) is False
        assert value_on(history.home_education, day, HomeEducation.NONE) in {
            HomeEducation.NONE,
            HomeEducation.UNSUITABLE,
        }
        on_roll = value_on(history.on_roll, day, None)
        assert on_roll is False or (
            on_roll is None and pathway_for(case.category) == Pathway.NOT_ON_ROLL
        )


@given(history=histories, day=days)
def test_applying_or_offered_children_off_roll_always_count(
    history: ChildHistory, day: datetime.date
) -> None:
    case = value_on(history.case, day, None)
    born = history.date_of_birth
    eligible = (
        case is not None
        and case.status != CaseStatus.CLOSED
        and (born is None or is_of_compulsory_school_age(born, day))
        and value_on(history.on_roll, day, None) is False
        and not value_on(history.alternative_provision, day, default=False)
        and value_on(history.home_education, day, HomeEducation.NONE) == HomeEducation.NONE
    )
    applying = value_on(history.application, day, Application.NONE) != Application.NONE
    if eligible and applying:
        assert assess(history, day).counted is True


@settings(max_examples=150)
@given(
    history=histories,
    window=st.tuples(days, st.integers(min_value=0, max_value=120)),
)
def test_counted_at_any_point_is_the_same_as_looking_at_every_day(
    history: ChildHistory, window: tuple[datetime.date, int]
) -> None:
    first, length = window
    last = first + datetime.timedelta(days=length)
    every_day = any(
        assess(history, first + datetime.timedelta(days=n)).counted for n in range(length + 1)
    )
    assert counted_at_any_point(history, first, last) is every_day


# The counts -------------------------------------------------------------------------------


@given(children=st.lists(histories, max_size=12), day=days)
def test_every_breakdown_adds_up_to_the_count_on_the_census_date(
    children: list[ChildHistory], day: datetime.date
) -> None:
    result = dfe_return(children, census_date=day)
    assert result.on_census_date == sum(assess(child, day).counted for child in children)
    for breakdown in result.breakdowns:
        assert breakdown.total == result.on_census_date, breakdown.name


@given(children=st.lists(histories, max_size=8), extra=histories, day=days)
def test_another_child_never_lowers_a_count(
    children: list[ChildHistory], extra: ChildHistory, day: datetime.date
) -> None:
    before = dfe_return(children, census_date=day)
    after = dfe_return([*children, extra], census_date=day)
    assert after.on_census_date >= before.on_census_date
    assert after.previous_year >= before.previous_year
    for old, new in zip(before.breakdowns, after.breakdowns, strict=True):
        assert all(n >= o for (_, o), (_, n) in zip(old.rows, new.rows, strict=True))


@given(children=st.lists(histories, max_size=8), day=days, seed=st.integers())
def test_the_order_of_the_register_does_not_matter(
    children: list[ChildHistory], day: datetime.date, seed: int
) -> None:
    shuffled = list(children)
    random.Random(seed).shuffle(shuffled)
    assert dfe_return(children, census_date=day) == dfe_return(shuffled, census_date=day)


@given(children=st.lists(histories, max_size=8), day=days)
def test_the_csv_holds_counts_and_category_names_only(
    children: list[ChildHistory], day: datetime.date
) -> None:
    result = dfe_return(children, census_date=day)
    vocabulary = {
        "census_date",
        "measure",
        "breakdown",
        "category",
        "count",
        "cme_on_census_date",
        "cme_in_previous_academic_year",
        "total",
        "Total",
        *(b.name for b in result.breakdowns),
        *(label for b in result.breakdowns for label, _ in b.rows),
        day.isoformat(),
        f"{result.previous_year_start.isoformat()} to {result.previous_year_end.isoformat()}",
    }
    for row in result.csv_rows():
        for cell in row:
            assert cell in vocabulary or re.fullmatch(r"[0-9]+", cell), cell
    born = {child.date_of_birth.isoformat() for child in children if child.date_of_birth}
    assert not born & {cell for row in result.csv_rows() for cell in row} - {day.isoformat()}


def test_the_return_counts_by_sex_year_length_and_reason() -> None:
    children = [
        missing_child(sex="F", born=datetime.date(2015, 10, 1), since=datetime.date(2025, 9, 1)),
        missing_child(
            sex="M",
            born=datetime.date(2012, 1, 15),
            status=CaseStatus.WHEREABOUTS_UNKNOWN,
            since=datetime.date(2024, 6, 1),
        ),
        missing_child(sex="M", category=CaseCategory.AT_RISK_HEALTH_NEEDS),  # a pupil: not counted
    ]
    result = dfe_return(children, census_date=CENSUS)
    assert result.on_census_date == 2
    assert dict(result.by_sex.rows) == {"Female": 1, "Male": 1, "Not known": 0}
    years = dict(result.by_year_group.rows)
    assert years["Year 5"] == 1  # born October 2015: Reception in 2020/21, Year 5 in 2025/26
    assert years["Year 9"] == 1  # born January 2012: Reception in 2016/17, Year 9 in 2025/26
    lengths = dict(result.by_length.rows)
    assert lengths["4 weeks to less than 12 weeks"] == 1
    assert lengths["52 weeks or more"] == 1
    reasons = dict(result.by_reason.rows)
    assert reasons["Whereabouts unknown"] == 1
    assert reasons["Other: on no roll and not receiving suitable education"] == 1


def test_the_previous_academic_year_counts_each_child_once_whenever_they_were_missing() -> None:
    start, end = previous_academic_year(CENSUS)
    assert (start, end) == (datetime.date(2024, 9, 1), datetime.date(2025, 8, 31))
    placed = datetime.date(2024, 11, 1)
    found_and_placed = missing_child(since=datetime.date(2024, 10, 1), on_roll=((placed, True),))
    missing_after = missing_child(since=datetime.date(2025, 9, 15))
    result = dfe_return([found_and_placed, missing_after], census_date=CENSUS)
    assert result.previous_year == 1
    assert result.on_census_date == 1


@given(born=births, day=days)
def test_a_child_of_compulsory_school_age_is_in_reception_to_year_11(
    born: datetime.date, day: datetime.date
) -> None:
    if is_of_compulsory_school_age(born, day):
        assert year_group_of(born, day) in {"Reception", *(f"Year {n}" for n in range(1, 12))}


@given(since=days, day=days)
def test_every_length_of_time_has_exactly_one_band(
    since: datetime.date, day: datetime.date
) -> None:
    band = length_band(since, day)
    assert band in {label for _, label in LENGTH_BANDS}


def test_labels_are_fixed_and_distinct() -> None:
    assert len(set(REASON_LABELS.values())) == len(REASON_LABELS)
    assert len(set(SEX_LABELS.values())) == len(SEX_LABELS)
