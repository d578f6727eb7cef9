"""The pure rules of roll-removal monitoring and missed transitions."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from cme.pupils.models import DeletionGround
from cme.transfers import removals
from cme.transfers.removals import Reason, Removal

dates = st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2035, 12, 31))
grounds = st.sampled_from(["", *DeletionGround.values])


@given(
    end=dates,
    ground=grounds,
    destination=st.sampled_from(["", "  ", "Moved to Leeds"]),
    has_school=st.booleans(),
    on_roll=st.booleans(),
)
def test_a_removal_is_flagged_exactly_when_the_rules_say(
    end: datetime.date, ground: str, destination: str, has_school: bool, on_roll: bool
) -> None:
    reasons = removals.removal_reasons(
        Removal(
            end_date=end,
            deletion_ground=ground,
            destination=destination,
            has_destination_school=has_school,
            now_on_another_roll=on_roll,
        )
    )

    known = has_school or destination.strip() or on_roll or ground in {"b", "j", "k", "l"}
    assert (Reason.REMOVED_NO_DESTINATION in reasons) == (not known)
    assert (Reason.GROUND_NEEDS_JOINT_ENQUIRIES in reasons) == (ground in {"h", "i"})
    assert len(reasons) == len(set(reasons))


@given(day=dates, count=st.integers(min_value=0, max_value=60))
def test_adding_school_days_lands_on_a_weekday_count_weekdays_later(
    day: datetime.date, count: int
) -> None:
    later = removals.add_school_days(day, count)

    assert later.weekday() < 5
    assert later >= day
    start = removals.add_school_days(day, 0)
    weekdays_between = sum(
        1
        for offset in range(1, (later - start).days + 1)
        if (start + datetime.timedelta(days=offset)).weekday() < 5
    )
    assert weekdays_between == count


@given(dob=dates, on=dates)
def test_year_groups_follow_the_school_year(dob: datetime.date, on: datetime.date) -> None:
    year = removals.national_curriculum_year(dob, on)
    a_year_later = on + datetime.timedelta(days=366 if on.month < 9 else 365)

    if removals.school_year_start(a_year_later) == removals.school_year_start(on) + 1:
        assert removals.national_curriculum_year(dob, a_year_later) == year + 1
    # Children born 31 August and 1 September are a school year apart.
    assert (
        removals.national_curriculum_year(datetime.date(dob.year, 8, 31), on)
        == removals.national_curriculum_year(datetime.date(dob.year, 9, 1), on) + 1
    )


def test_year_6_examples() -> None:
    july = datetime.date(2025, 7, 18)
    assert removals.is_summer_end_of_phase(datetime.date(2013, 9, 1), july)
    assert removals.is_summer_end_of_phase(datetime.date(2014, 8, 31), july)
    assert not removals.is_summer_end_of_phase(datetime.date(2014, 9, 1), july)
    assert not removals.is_summer_end_of_phase(datetime.date(2013, 8, 31), july)
    assert not removals.is_summer_end_of_phase(datetime.date(2014, 1, 1), datetime.date(2025, 3, 1))
    assert not removals.is_summer_end_of_phase(None, july)


@given(
    left=dates,
    named=st.booleans(),
    phase=st.booleans(),
    on_roll=st.booleans(),
    today=dates,
    grace=st.integers(min_value=0, max_value=30),
)
def test_a_missed_transition_needs_an_expected_start_past_its_grace_and_no_roll(
    left: datetime.date,
    named: bool,
    phase: bool,
    on_roll: bool,
    today: datetime.date,
    grace: int,
) -> None:
    missed = removals.missed_transition(
        left_on=left,
        named_destination=named,
        end_of_phase=phase,
        now_on_a_roll=on_roll,
        today=today,
        grace_school_days=grace,
    )

    if on_roll or not (named or phase):
        assert not missed
    else:
        start = removals.expected_start(left_on=left, named_destination=named, end_of_phase=phase)
        assert start is not None
        assert start > left or phase
        assert missed == (today > removals.add_school_days(start, grace))
        # More grace never raises an item that less grace would not.
        if missed:
            assert removals.missed_transition(
                left_on=left,
                named_destination=named,
                end_of_phase=phase,
                now_on_a_roll=False,
                today=today,
                grace_school_days=0,
            )
