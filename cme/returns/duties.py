"""When each return is due, and which duties the service can see: rules without queries.

Regulation 13 of the School Attendance (Pupil Registration) (England) Regulations 2024:

- a new pupil return is due by the end of the fifth day after the pupil's name is entered in
  the admission register. The regulation says "day" where elsewhere it says "school day", so
  these are calendar days. Pupils joining the most junior class on the first day of the
  school year are exempt unless the authority asks for them;
- a deletion return is due when the ground for deletion is met. Its date is the day it is
  made, never backdated, and the ground cannot be met in the future. No return is due for a
  pupil leaving at the end of the school's most senior year;
- the attendance return is due at least once a calendar month (a nil return is a return).

"Overdue" means a duty the service can see with no matching return `grace_days` after it
fell due (the `RETURNS_OVERDUE_AFTER_DAYS` setting).
"""

from __future__ import annotations

import datetime

from cme.pupils.models import SchoolPhase
from cme.standards.school_age import (
    is_of_compulsory_school_age,
    national_curriculum_year,
    school_year_start,
)

NEW_PUPIL_RETURN_DAYS = 5
SUMMER_HOLIDAY_MONTH = 8  # August: no school days, so no attendance return is due for it
END_OF_YEAR_MONTHS = (7, 8)  # a pupil in the final year who leaves now leaves at its end

# The most senior year group of each phase: a pupil leaving at its end needs no deletion
# return. Phases without one (special schools, alternative provision) always need one.
FINAL_YEAR_GROUP: dict[str, int] = {
    SchoolPhase.PRIMARY: 6,
    SchoolPhase.MIDDLE_PRIMARY: 7,
    SchoolPhase.MIDDLE_SECONDARY: 8,
    SchoolPhase.SECONDARY: 11,
    SchoolPhase.ALL_THROUGH: 11,
}


def new_pupil_return_due(entered_on: datetime.date) -> datetime.date:
    """The last day for a new pupil return: the fifth day after the name was entered."""
    return entered_on + datetime.timedelta(days=NEW_PUPIL_RETURN_DAYS)


def new_pupil_return_required(*, joins_most_junior_class_on_first_day: bool, la_asks: bool) -> bool:
    """Whether a new pupil needs a return: always, except a pupil joining the most junior
    class on the first day of the school year, unless the authority asks for those too."""
    return la_asks or not joins_most_junior_class_on_first_day


def deletion_return_due(ground_met_on: datetime.date) -> datetime.date:
    """A deletion return is due on the day the ground for deletion is met."""
    return ground_met_on


def days_late(*, due_on: datetime.date, made_on: datetime.date) -> int:
    """How many days after its due date a return was made (0 if on time)."""
    return max(0, (made_on - due_on).days)


def is_overdue(*, due_on: datetime.date, today: datetime.date, grace_days: int) -> bool:
    return today > due_on + datetime.timedelta(days=grace_days)


def month_end(first: datetime.date) -> datetime.date:
    """The last day of the month that `first` is in."""
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def attendance_months_due(
    *, today: datetime.date, grace_days: int, since: datetime.date | None = None
) -> list[datetime.date]:
    """The months (as their first day) of the school year of `today`, from the month of
    `since` if given, whose attendance return is past its due date (the month's last day) by
    more than `grace_days`. August, the summer holiday, is never among them."""
    start = datetime.date(school_year_start(today), 9, 1)
    if since is not None:
        start = max(start, since.replace(day=1))
    months = []
    month = start
    while month <= today:
        if month.month != SUMMER_HOLIDAY_MONTH and is_overdue(
            due_on=month_end(month), today=today, grace_days=grace_days
        ):
            months.append(month)
        month = month_end(month) + datetime.timedelta(days=1)
    return months


def deletion_return_expected(
    *, date_of_birth: datetime.date | None, removed_on: datetime.date, phase: str
) -> bool:
    """Whether a pupil taken off a roll on `removed_on` needs a deletion return: yes, unless
    they were not of compulsory school age, or they left at the end of the most senior year
    of a school in `phase` (regulation 13(4)). An unknown date of birth expects one."""
    if date_of_birth is None:
        return True
    if not is_of_compulsory_school_age(date_of_birth, removed_on):
        return False
    final_year = FINAL_YEAR_GROUP.get(phase)
    if final_year is None:
        return True
    year = national_curriculum_year(date_of_birth, removed_on)
    # A roll import after the summer sees last year's leavers a year group on.
    if year > final_year:
        return False
    return not (year == final_year and removed_on.month in END_OF_YEAR_MONTHS)
