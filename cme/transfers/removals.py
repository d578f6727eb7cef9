"""Roll-removal monitoring and missed transitions (issue 6, items 5 and 6): pure rules, no
Django. Given what is known of an ended enrolment, decide whether it needs an officer's look
and why. `cme.transfers.services.monitor_rolls` applies them to the register."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

# Regulation 9(1) grounds (h) and (i): the school may delete only after it and the authority
# have failed, after reasonable enquiries, to find the child.
JOINT_ENQUIRY_GROUNDS = frozenset({"h", "i"})
# Grounds that explain where the child went (or why no school is expected), so no unknown
# destination: (b) left nursery, (j) detained, (k) died, (l) over compulsory school age.
GROUNDS_WITHOUT_A_SCHOOL = frozenset({"b", "j", "k", "l"})


class Reason(enum.StrEnum):
    REMOVED_NO_DESTINATION = "removed_no_destination"
    GROUND_NEEDS_JOINT_ENQUIRIES = "ground_needs_joint_enquiries"
    MISSED_TRANSITION = "missed_transition"


@dataclass(frozen=True)
class Removal:
    """An ended enrolment, as the rules need it."""

    end_date: datetime.date
    deletion_ground: str = ""
    destination: str = ""
    has_destination_school: bool = False
    now_on_another_roll: bool = False


def removal_reasons(removal: Removal) -> list[Reason]:
    """Why an ended enrolment needs a worklist item (empty: it does not)."""
    reasons: list[Reason] = []
    known = (
        removal.has_destination_school
        or bool(removal.destination.strip())
        or removal.now_on_another_roll
        or removal.deletion_ground in GROUNDS_WITHOUT_A_SCHOOL
    )
    if not known:
        reasons.append(Reason.REMOVED_NO_DESTINATION)
    if removal.deletion_ground in JOINT_ENQUIRY_GROUNDS:
        reasons.append(Reason.GROUND_NEEDS_JOINT_ENQUIRIES)
    return reasons


def is_school_day(day: datetime.date) -> bool:
    """A weekday (the monitoring's school days: holidays are covered by the grace)."""
    return day.weekday() < 5


def add_school_days(day: datetime.date, count: int) -> datetime.date:
    """The school day `count` school days after `day` (`day` itself if count is 0 and it is
    a school day, else the next one)."""
    current = day
    while not is_school_day(current):
        current += datetime.timedelta(days=1)
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_school_day(current):
            remaining -= 1
    return current


def school_year_start(day: datetime.date) -> int:
    """The calendar year in which the school year containing `day` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def national_curriculum_year(date_of_birth: datetime.date, on: datetime.date) -> int:
    """The National Curriculum year group on `on` (Reception is 0): children born between
    1 September and 31 August are in one year group."""
    return school_year_start(on) - school_year_start(date_of_birth) - 5


def is_summer_end_of_phase(date_of_birth: datetime.date | None, left_on: datetime.date) -> bool:
    """A Year 6 pupil leaving at the end of the summer term (June to August)."""
    if date_of_birth is None or left_on.month not in (6, 7, 8):
        return False
    return national_curriculum_year(date_of_birth, left_on) == 6


def expected_start(
    *, left_on: datetime.date, named_destination: bool, end_of_phase: bool
) -> datetime.date | None:
    """When the child should next be on a roll: the September after a Year 6 summer leaving,
    else the school day after leaving for a named destination; None when nothing is expected."""
    if end_of_phase:
        return add_school_days(datetime.date(left_on.year, 9, 1), 0)
    if named_destination:
        return add_school_days(left_on + datetime.timedelta(days=1), 0)
    return None


def missed_transition(
    *,
    left_on: datetime.date,
    named_destination: bool,
    end_of_phase: bool,
    now_on_a_roll: bool,
    today: datetime.date,
    grace_school_days: int,
) -> bool:
    """True when the child should have been on a roll by the start date plus the grace, that
    day has passed, and they are on none."""
    start = expected_start(
        left_on=left_on, named_destination=named_destination, end_of_phase=end_of_phase
    )
    if start is None or now_on_a_roll:
        return False
    return today > add_school_days(start, grace_school_days)
