"""The attendance rules (docs/interfaces.md `attendance_flags`; domain.md b2-b4)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cme.attendance.marks import (
    COUNTED_KINDS,
    NO_MARK,
    Kind,
    date_of_day,
    days_in_year,
    session_kinds,
)
from cme.attendance.rules import (
    RULES,
    Evaluation,
    PupilYear,
    Rule,
    Thresholds,
    date_span,
    evaluate,
    evaluate_matrix,
    symbol_matrix,
)

from .registers import Register, weekdays

D = datetime.date
YEAR = 2025  # 1 September 2025 is a Monday


def flags(
    marks: str, as_of: datetime.date, **context: datetime.date
) -> dict[Rule, tuple[D, D, str]]:
    evaluation = evaluate(PupilYear(YEAR, marks, **context), as_of=as_of)
    return {flag.rule: (flag.start_date, flag.end_date, flag.detail) for flag in evaluation.flags}


# --- Unauthorised absence for 10 school days --------------------------------------------------


def test_ten_school_days_without_authorisation_hold_with_the_words_of_the_contract() -> None:
    register = Register()
    register.school_days(D(2025, 11, 24), 5, "/")
    register.school_days(D(2025, 12, 1), 10, "O")

    found = flags(register.marks, D(2025, 12, 12))

    assert found[Rule.UNAUTHORISED_ABSENCE_10_DAYS] == (
        D(2025, 12, 1),
        D(2025, 12, 12),
        "10 school days without authorisation, 1 to 12 Dec",
    )


def test_nine_school_days_do_not_hold() -> None:
    register = Register()
    register.school_days(D(2025, 12, 1), 9, "G", "N")
    assert Rule.UNAUTHORISED_ABSENCE_10_DAYS not in flags(register.marks, D(2025, 12, 12))


@pytest.mark.parametrize("codes", [("D", "D"), ("#", "#"), ("Y1", "Y1"), ("X", "X"), ("-", "-")])
def test_sessions_not_counted_neither_break_nor_extend_a_run(codes: tuple[str, str]) -> None:
    register = Register()
    days = weekdays(D(2025, 12, 1), 11)
    for day in days[:5] + days[6:]:
        register.day(day, "O")
    register.day(days[5], *codes)

    found = flags(register.marks, days[-1])

    assert found[Rule.UNAUTHORISED_ABSENCE_10_DAYS][0] == days[0]
    assert found[Rule.UNAUTHORISED_ABSENCE_10_DAYS][2].startswith("10 school days")


def test_a_day_counts_only_if_every_counted_session_is_g_n_o_or_u() -> None:
    register = Register()
    days = weekdays(D(2025, 12, 1), 13)
    for day in days:
        register.day(day, "U", "O")
    register.day(days[1], "O", "X")  # one session not counted: the day still counts
    register.day(days[2], "O", "\\")  # present in the afternoon: the run starts again after
    found = flags(register.marks, days[-1])
    assert found[Rule.UNAUTHORISED_ABSENCE_10_DAYS][0] == days[3]
    assert Rule.UNAUTHORISED_ABSENCE_10_DAYS not in flags(register.marks, days[-2])


def test_weekends_and_holidays_without_marks_do_not_break_a_run() -> None:
    register = Register()
    register.school_days(D(2025, 12, 15), 5, "O")
    register.school_days(D(2026, 1, 5), 5, "O")  # after two weeks of no marks
    found = flags(register.marks, D(2026, 1, 9))
    assert found[Rule.UNAUTHORISED_ABSENCE_10_DAYS][2] == (
        "10 school days without authorisation, 15 Dec 2025 to 9 Jan 2026"
    )


def test_a_run_in_force_holds_until_a_counted_day_breaks_it() -> None:
    register = Register()
    after = register.school_days(D(2025, 12, 1), 12, "N")
    assert Rule.UNAUTHORISED_ABSENCE_10_DAYS in flags(register.marks, after)  # no mark yet
    register.day(after, "/")
    evaluation = evaluate(PupilYear(YEAR, register.marks), as_of=after)
    assert Rule.UNAUTHORISED_ABSENCE_10_DAYS not in {flag.rule for flag in evaluation.flags}
    firing = next(f for f in evaluation.firings if f.rule is Rule.UNAUTHORISED_ABSENCE_10_DAYS)
    assert (firing.start_date, firing.fired_on, firing.ended_on) == (
        D(2025, 12, 1),
        D(2025, 12, 12),
        after,
    )


# --- The other runs ---------------------------------------------------------------------------


def test_twenty_days_coded_g_n_or_o_approach_deletion_ground_i() -> None:
    register = Register()
    days = weekdays(D(2026, 1, 5), 21)
    for day in days:
        register.day(day, "G", "O")
    found = flags(register.marks, days[19])
    assert found[Rule.ABSENCE_20_DAYS_GNO][2].startswith("20 school days absent, coded G, N or O")
    register.day(days[10], "U")  # late after the register closed: present, unauthorised
    assert Rule.ABSENCE_20_DAYS_GNO not in flags(register.marks, days[20])
    assert Rule.UNAUTHORISED_ABSENCE_10_DAYS in flags(register.marks, days[20])


def test_code_e_beyond_five_school_days() -> None:
    register = Register()
    days = weekdays(D(2026, 2, 2), 6)
    for day in days:
        register.day(day, "E")
    assert Rule.EXCLUSION_WITHOUT_PROVISION not in flags(register.marks, days[4])
    found = flags(register.marks, days[5])
    assert found[Rule.EXCLUSION_WITHOUT_PROVISION][:2] == (days[0], days[5])


def test_a_part_time_timetable_past_six_school_weeks() -> None:
    register = Register()
    days = weekdays(D(2025, 9, 8), 31)
    for day in days:
        register.day(day, "/", "C2")
    assert Rule.PART_TIME_TIMETABLE not in flags(register.marks, days[29])
    assert flags(register.marks, days[30])[Rule.PART_TIME_TIMETABLE][0] == days[0]


# --- Sickness -----------------------------------------------------------------------------------


def test_sickness_counts_half_days_as_half_and_fires_once_per_spell() -> None:
    register = Register()
    days = weekdays(D(2025, 9, 8), 21)
    for day in days[:14]:
        register.day(day, "I")
    register.day(days[14], "I", "\\")  # 14.5 days
    for day in days[15:18]:
        register.day(day, "/")
    assert Rule.SICKNESS_15_DAYS not in flags(register.marks, days[17])
    for day in days[18:20]:
        register.day(day, "/", "I")  # 15.5 days, a half day at a time
    found = flags(register.marks, days[19])
    assert found[Rule.SICKNESS_15_DAYS] == (
        days[18],
        days[19],
        "Ill on 15½ school days this school year, the latest spell "
        + date_span(days[18], days[19]),
    )
    register.day(days[20], "/")
    assert Rule.SICKNESS_15_DAYS not in flags(register.marks, days[20])
    firings = evaluate(PupilYear(YEAR, register.marks), as_of=days[20]).firings
    # 15 days are reached on the first afternoon of the second spell.
    assert [(f.fired_on, f.ended_on) for f in firings if f.rule is Rule.SICKNESS_15_DAYS] == [
        (days[18], days[20])
    ]


def test_fifteen_consecutive_days_of_illness_fire_on_the_fifteenth() -> None:
    register = Register()
    days = weekdays(D(2025, 10, 6), 16)
    for day in days:
        register.day(day, "I")
    (firing,) = evaluate(PupilYear(YEAR, register.marks), as_of=days[-1]).firings
    assert (firing.start_date, firing.fired_on, firing.ended_on) == (days[0], days[14], None)


# --- Code N ---------------------------------------------------------------------------------------


def test_code_n_not_replaced_within_five_school_days() -> None:
    register = Register()
    days = weekdays(D(2025, 12, 1), 6)
    register.day(days[0], "N", "\\")
    for day in days[1:]:
        register.day(day, "/")
    assert Rule.N_CODE_UNRESOLVED_5_DAYS not in flags(register.marks, days[4])
    assert flags(register.marks, days[5])[Rule.N_CODE_UNRESOLVED_5_DAYS] == (
        days[0],
        days[5],
        "1 session coded N not replaced within 5 school days, the first on 1 Dec",
    )
    register.day(days[0], "I", "\\")  # replaced
    assert Rule.N_CODE_UNRESOLVED_5_DAYS not in flags(register.marks, days[5])


# --- Absence rates --------------------------------------------------------------------------------


def test_persistent_and_severe_absence_follow_dfe_from_the_minimum_of_sessions() -> None:
    register = Register()
    register.school_days(D(2025, 9, 3), 9, "/")
    register.school_days(D(2025, 9, 16), 1, "M", "\\")  # 1 of 20 sessions missed: 5%
    assert flags(register.marks, D(2025, 9, 16)) == {}
    register.school_days(D(2025, 9, 17), 1, "O")  # 3 of 22: 13.6%
    found = flags(register.marks, D(2025, 9, 17))
    assert found[Rule.PERSISTENT_ABSENCE] == (
        D(2025, 9, 3),
        D(2025, 9, 17),
        "Missed 13.6% of possible sessions this school year (3 of 22)",
    )
    assert Rule.SEVERE_ABSENCE not in found
    few = Register()
    few.school_days(D(2025, 9, 3), 5, "O")  # 100% missed, but only 10 possible sessions
    assert flags(few.marks, D(2025, 9, 9)) == {}


def test_severe_absence_is_half_or_more_of_possible_sessions() -> None:
    register = Register()
    register.school_days(D(2025, 9, 3), 10, "/", "I")
    found = flags(register.marks, D(2025, 9, 16))
    assert Rule.SEVERE_ABSENCE in found
    assert Rule.PERSISTENT_ABSENCE in found


# --- Starting, and after a placement --------------------------------------------------------------


def test_a_pupil_who_took_up_a_place_and_never_came() -> None:
    register = Register()
    days = weekdays(D(2026, 1, 12), 6)
    for day in days:
        register.day(day, "O")
    found = flags(register.marks, days[4], on_roll_from=D(2026, 1, 12))
    assert found[Rule.FAILED_TO_START][:2] == (days[0], days[4])
    assert Rule.FAILED_TO_START not in flags(register.marks, days[3], on_roll_from=days[0])
    register.day(days[5], "/")
    assert Rule.FAILED_TO_START not in flags(register.marks, days[5], on_roll_from=days[0])
    assert Rule.FAILED_TO_START not in flags(register.marks, days[4])  # on roll before the year


def test_attendance_after_a_cme_placement_below_the_local_threshold() -> None:
    register = Register()
    register.school_days(D(2025, 9, 3), 20, "O")  # before the placement: not counted
    days = weekdays(D(2025, 10, 6), 6)
    for day in days[:4]:
        register.day(day, "/")
    register.day(days[4], "O")  # 8 of 10 sessions: 80%
    found = flags(register.marks, days[4], placed_on=days[0])
    assert found[Rule.POST_PLACEMENT_ATTENDANCE][:2] == (days[0], days[4])
    assert (
        "Attended 80.0% of possible sessions since the placement on 6 Oct (8 of 10)"
        in (found[Rule.POST_PLACEMENT_ATTENDANCE][2])
    )
    assert Rule.POST_PLACEMENT_ATTENDANCE not in flags(register.marks, days[4])
    assert Rule.POST_PLACEMENT_ATTENDANCE not in flags(register.marks, days[3], placed_on=days[0])
    register.day(days[5], "/")  # 10 of 12: 83%, still below 90%
    firings = evaluate(PupilYear(YEAR, register.marks, placed_on=days[0]), as_of=days[5]).firings
    assert [
        (f.fired_on, f.ended_on) for f in firings if f.rule is Rule.POST_PLACEMENT_ATTENDANCE
    ] == [(days[4], None)]


# --- Thresholds and words ------------------------------------------------------------------------


def test_thresholds_are_settings() -> None:
    register = Register()
    register.school_days(D(2025, 12, 1), 5, "O")
    evaluation = evaluate(
        PupilYear(YEAR, register.marks),
        as_of=D(2025, 12, 5),
        thresholds=Thresholds(unauthorised_absence_days=5),
    )
    assert Rule.UNAUTHORISED_ABSENCE_10_DAYS in {flag.rule for flag in evaluation.flags}


@pytest.mark.parametrize(
    "bad",
    [{"unauthorised_absence_days": 0}, {"severe_absence_percent": 101}, {"exclusion_days": -1}],
)
def test_a_threshold_out_of_range_is_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="attendance threshold"):
        Thresholds(**bad)


def test_each_rule_explains_itself_in_plain_words_with_its_threshold() -> None:
    thresholds = Thresholds(part_time_weeks=4)
    for rule, definition in RULES.items():
        text = definition.explanation(thresholds)
        assert len(text) > 60, rule
    assert "4 school weeks (20 school days)" in RULES[Rule.PART_TIME_TIMETABLE].explanation(
        thresholds
    )
    assert {definition.on_worklist for definition in RULES.values()} == {True, False}
    assert not RULES[Rule.PERSISTENT_ABSENCE].on_worklist


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        (D(2025, 12, 1), D(2025, 12, 12), "1 to 12 Dec"),
        (D(2025, 11, 28), D(2025, 12, 12), "28 Nov to 12 Dec"),
        (D(2025, 12, 12), D(2025, 12, 12), "12 Dec"),
        (D(2025, 12, 15), D(2026, 1, 9), "15 Dec 2025 to 9 Jan 2026"),
    ],
)
def test_date_spans_read_as_an_officer_would_write_them(first: D, last: D, words: str) -> None:
    assert date_span(first, last) == words


# --- Properties -----------------------------------------------------------------------------------

SYMBOLS = ("/", "\\", "L", "B", "I", "M", "E", "C2", "G", "N", "O", "U", "D", "Y1", "#", "-")
DAY = st.tuples(st.sampled_from(SYMBOLS), st.sampled_from(SYMBOLS))
SEGMENTS = st.lists(
    st.tuples(st.one_of(DAY, st.just((NO_MARK, NO_MARK))), st.integers(1, 25)), max_size=25
)


@st.composite
def pupil_years(draw: st.DrawFn) -> PupilYear:
    cells = [
        register_symbol(am) + register_symbol(pm)
        for (am, pm), length in draw(SEGMENTS)
        for _ in range(length)
    ]
    marks = "".join(cells)[: 2 * days_in_year(YEAR)]
    start = draw(st.none() | st.integers(0, 200).map(lambda day: date_of_day(YEAR, day)))
    placed = draw(st.none() | st.integers(0, 200).map(lambda day: date_of_day(YEAR, day)))
    return PupilYear(YEAR, marks, on_roll_from=start, placed_on=placed)


def register_symbol(code: str) -> str:
    from cme.attendance.marks import symbol_of_code

    return NO_MARK if code == NO_MARK else symbol_of_code(code)


THRESHOLDS = st.builds(
    Thresholds,
    unauthorised_absence_days=st.integers(1, 12),
    sickness_days=st.integers(1, 16),
    n_code_school_days=st.integers(1, 6),
    gno_absence_days=st.integers(1, 22),
    rate_minimum_sessions=st.integers(1, 30),
    failed_to_start_days=st.integers(1, 6),
    post_placement_minimum_sessions=st.integers(1, 12),
    exclusion_days=st.integers(1, 6),
    part_time_weeks=st.integers(1, 3),
)
AS_OF = st.integers(0, 365).map(lambda day: date_of_day(YEAR, day))


@settings(max_examples=80, deadline=None)
@given(st.lists(pupil_years(), min_size=1, max_size=6), AS_OF, THRESHOLDS)
def test_many_pupil_years_at_once_give_what_each_alone_gives(
    years: list[PupilYear], as_of: D, thresholds: Thresholds
) -> None:
    together = evaluate_matrix(
        symbol_matrix([year.marks for year in years], YEAR),
        school_year=YEAR,
        as_of=as_of,
        on_roll_from=[year.on_roll_from for year in years],
        placed_on=[year.placed_on for year in years],
        thresholds=thresholds,
    )
    alone = [evaluate(year, as_of=as_of, thresholds=thresholds) for year in years]
    assert together == alone


def _naive_runs(
    year: PupilYear, as_of: D, qualifies: Callable[[list[Kind]], bool], length: int
) -> list[tuple[D, D, D | None]]:
    """Every run of `length` or more qualifying days: (first day, day reached, day ended)."""
    kinds = session_kinds(year.marks, YEAR)
    runs: list[tuple[D, D, D | None]] = []
    current: list[int] = []

    def close(ended: int | None) -> None:
        if len(current) >= length:
            runs.append(
                (
                    date_of_day(YEAR, current[0]),
                    date_of_day(YEAR, current[length - 1]),
                    date_of_day(YEAR, ended) if ended is not None else None,
                )
            )

    for day in range(min(days_in_year(YEAR), (as_of - D(YEAR, 9, 1)).days + 1)):
        counted = [Kind(k) for k in kinds[2 * day : 2 * day + 2] if k in COUNTED_KINDS]
        if not counted:
            continue
        if qualifies(counted):
            current.append(day)
        else:
            close(day)
            current = []
    close(None)
    return runs


UNAUTHORISED = {
    Kind.HOLIDAY_NOT_AGREED,
    Kind.NOT_ESTABLISHED,
    Kind.OTHER_UNAUTHORISED,
    Kind.LATE_AFTER_CLOSE,
}


@settings(max_examples=150, deadline=None)
@given(pupil_years(), AS_OF, st.integers(1, 12))
def test_unauthorised_runs_are_those_a_plain_day_by_day_count_finds(
    year: PupilYear, as_of: D, length: int
) -> None:
    evaluation = evaluate(
        year, as_of=as_of, thresholds=Thresholds(unauthorised_absence_days=length)
    )
    found = [
        (firing.start_date, firing.fired_on, firing.ended_on)
        for firing in evaluation.firings
        if firing.rule is Rule.UNAUTHORISED_ABSENCE_10_DAYS
    ]
    expected = _naive_runs(year, as_of, lambda kinds: all(k in UNAUTHORISED for k in kinds), length)
    assert found == expected


@settings(max_examples=100, deadline=None)
@given(pupil_years(), AS_OF)
def test_gno_and_exclusion_runs_are_those_a_plain_count_finds(year: PupilYear, as_of: D) -> None:
    evaluation = evaluate(
        year, as_of=as_of, thresholds=Thresholds(gno_absence_days=4, exclusion_days=2)
    )
    gno = {Kind.HOLIDAY_NOT_AGREED, Kind.NOT_ESTABLISHED, Kind.OTHER_UNAUTHORISED}
    for rule, qualifies, length in (
        (Rule.ABSENCE_20_DAYS_GNO, lambda kinds: all(k in gno for k in kinds), 4),
        (Rule.EXCLUSION_WITHOUT_PROVISION, lambda kinds: all(k is Kind.EXCLUDED for k in kinds), 3),
    ):
        found = [
            (f.start_date, f.fired_on, f.ended_on) for f in evaluation.firings if f.rule is rule
        ]
        assert found == _naive_runs(year, as_of, qualifies, length), rule


@settings(max_examples=100, deadline=None)
@given(pupil_years(), AS_OF, THRESHOLDS)
def test_marks_after_the_date_are_ignored(
    year: PupilYear, as_of: D, thresholds: Thresholds
) -> None:
    keep = 2 * ((as_of - D(YEAR, 9, 1)).days + 1)
    cut = PupilYear(YEAR, year.marks[:keep], year.on_roll_from, year.placed_on)
    assert evaluate(year, as_of=as_of, thresholds=thresholds) == evaluate(
        cut, as_of=as_of, thresholds=thresholds
    )


@settings(max_examples=100, deadline=None)
@given(pupil_years(), AS_OF, THRESHOLDS)
def test_every_flag_is_in_force_on_the_date_and_started_on_a_marked_school_day(
    year: PupilYear, as_of: D, thresholds: Thresholds
) -> None:
    evaluation: Evaluation = evaluate(year, as_of=as_of, thresholds=thresholds)
    kinds = session_kinds(year.marks, YEAR)
    for flag in evaluation.flags:
        assert flag.end_date == as_of
        assert flag.start_date <= as_of
        day = (flag.start_date - D(YEAR, 9, 1)).days
        assert any(k in COUNTED_KINDS for k in kinds[2 * day : 2 * day + 2]), flag
        assert flag.detail
    in_force = {f.rule for f in evaluation.firings if f.in_force}
    assert in_force == {flag.rule for flag in evaluation.flags} - {
        Rule.PERSISTENT_ABSENCE,
        Rule.SEVERE_ABSENCE,
    }


@settings(max_examples=100, deadline=None)
@given(pupil_years(), AS_OF, st.integers(1, 40))
def test_persistent_absence_is_dfe_s_ten_percent(year: PupilYear, as_of: D, minimum: int) -> None:
    evaluation = evaluate(year, as_of=as_of, thresholds=Thresholds(rate_minimum_sessions=minimum))
    kinds = session_kinds(year.marks, YEAR)[: 2 * ((as_of - D(YEAR, 9, 1)).days + 1)]
    possible = sum(1 for k in kinds if k in COUNTED_KINDS)
    missed = possible - sum(1 for k in kinds if k in {Kind.PRESENT, Kind.APPROVED})
    persistent = possible >= minimum and missed * 10 >= possible
    severe = possible >= minimum and missed * 2 >= possible
    rules = {flag.rule for flag in evaluation.flags}
    assert (Rule.PERSISTENT_ABSENCE in rules) is persistent
    assert (Rule.SEVERE_ABSENCE in rules) is severe


@settings(max_examples=60, deadline=None)
@given(pupil_years(), st.integers(0, 300), st.integers(1, 8))
def test_days_without_marks_inserted_change_no_run_s_length(
    year: PupilYear, at: int, gap: int
) -> None:
    assume(2 * at < len(year.marks))
    stretched = year.marks[: 2 * at] + NO_MARK * 2 * gap + year.marks[2 * at :]
    stretched = stretched[: 2 * days_in_year(YEAR)]
    assume(len(stretched) == len(year.marks) + 2 * gap)
    end = D(YEAR + 1, 8, 31)

    def lengths(marks: str) -> list[str]:
        evaluation = evaluate(PupilYear(YEAR, marks), as_of=end)
        return [
            firing.detail.split(" school days")[0]
            for firing in evaluation.firings
            if firing.rule in {Rule.UNAUTHORISED_ABSENCE_10_DAYS, Rule.ABSENCE_20_DAYS_GNO}
        ]

    assert lengths(stretched) == lengths(year.marks)
