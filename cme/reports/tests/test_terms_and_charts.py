"""Terms cover every day exactly once, in order; charts escape what they draw."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.reports.charts import Bar, bar_chart
from cme.reports.figures import PupilAttendance, SchoolTermFigures
from cme.reports.terms import Season, Term, latest_ended, term_containing

days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(day=days)
def test_every_day_is_in_exactly_one_term(day: datetime.date) -> None:
    term = term_containing(day)
    assert term.start <= day <= term.end
    previous = term.previous()
    assert previous.end + datetime.timedelta(days=1) == term.start
    assert latest_ended(day) == previous


@given(season=st.sampled_from(Season), year=st.integers(min_value=1900, max_value=2999))
def test_a_term_reads_back_from_its_slug(season: Season, year: int) -> None:
    term = Term(season, year)
    assert Term.parse(term.slug) == term


@pytest.mark.parametrize(
    "slug", ["", "autumn", "winter-2025", "autumn-25", "autumn-\uff12\uff10\uff12\uff15"]
)
def test_anything_else_is_not_a_term(slug: str) -> None:
    with pytest.raises(ValueError, match="not a term"):
        Term.parse(slug)


def test_the_school_year_of_a_term() -> None:
    assert Term(Season.AUTUMN, 2025).school_year == "2025/26"
    assert Term(Season.SUMMER, 2026).school_year == "2025/26"


@given(label=st.text(max_size=40), value=st.none() | st.floats(min_value=-50, max_value=500))
def test_a_chart_escapes_its_labels_and_keeps_its_bars_for_the_table(
    label: str, value: float | None
) -> None:
    chart = bar_chart(chart_id="c", title="<Title>", description="d", bars=[Bar(label, value)])
    assert "<Title>" not in chart.svg
    assert chart.bars == (Bar(label, value),)
    assert str(chart.svg).count("<text") >= 1


@given(
    pupils=st.lists(
        st.tuples(st.integers(min_value=0, max_value=380), st.integers(min_value=0, max_value=380)),
        max_size=20,
    )
)
def test_the_pupils_under_90_percent_are_exactly_those_under_it_lowest_first(
    pupils: list[tuple[int, int]],
) -> None:
    rows = tuple(
        PupilAttendance(n, f"Pupil {n}", "Year 3", possible, min(attended, possible))
        for n, (possible, attended) in enumerate(pupils)
    )
    figures = SchoolTermFigures(0, 0, 0, 0, None, rows, ())
    below = figures.below(90)
    assert {p.child_id for p in below} == {
        p.child_id for p in rows if p.possible and p.attended * 100 < 90 * p.possible
    }
    percents = [p.percent for p in below]
    assert percents == sorted(percents)  # type: ignore[type-var]
    assert sum(count for _, count in figures.bands()) == sum(1 for p in rows if p.possible)
