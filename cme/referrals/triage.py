"""Triage rules without queries: what a referral says about the child, the suggested outcome,
and when triage is due.

Kept pure so the rules can be read, tested and changed in one place.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cme.standards.upn import check_upn

from .models import Referral

# A referral should be triaged within this many working days of arriving.
TRIAGE_TARGET_WORKING_DAYS = 1


@dataclass(frozen=True)
class ReferredChild:
    """The identifying facts a referral gives about the child, normalised for matching."""

    forename: str
    surname: str
    description: str
    date_of_birth: datetime.date | None
    sex: str
    upn: str
    postcode: str
    address: str = ""

    def match_details(self) -> dict[str, str]:
        """The facts in the identity-matching engine's column names."""
        return {
            "forename": self.forename,
            "surname": self.surname,
            "dob": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "sex": self.sex if self.sex in {"M", "F"} else "",
            "upn": self.upn,
            "postcode": self.postcode,
            "address": self.address,
        }


def _answer(answers: Mapping[str, Any], step: str, question: str) -> str:
    page = answers.get(step)
    value = page.get(question, "") if isinstance(page, Mapping) else ""
    return value.strip() if isinstance(value, str) else ""


def referred_child(submission: Mapping[str, Any]) -> ReferredChild:
    """Tolerant of any shape: a submission is kept as received, so it is read, never trusted."""
    answers = submission.get("answers") if isinstance(submission, Mapping) else None
    if not isinstance(answers, Mapping):
        answers = {}
    raw_dob = _answer(answers, "date_of_birth", "date_of_birth")
    try:
        dob = datetime.date.fromisoformat(raw_dob) if raw_dob else None
    except ValueError:
        dob = None
    upn = check_upn(_answer(answers, "school", "upn"))
    gender = _answer(answers, "about_child", "gender").upper()[:1]
    return ReferredChild(
        forename=_answer(answers, "child_name", "first_name"),
        surname=_answer(answers, "child_name", "last_name"),
        description=_answer(answers, "child_name", "description"),
        date_of_birth=dob,
        sex=gender if gender in {"M", "F"} else "U",
        upn=upn.normalised if upn.is_valid else "",  # a bad check letter is no evidence
        postcode=_answer(answers, "address", "postcode").upper(),
        address=_answer(answers, "address", "address"),
    )


def suggested_outcome(
    *, matched: bool, has_open_case: bool, on_roll: bool, attending: bool | None = None
) -> Referral.Outcome:
    """What the inbox proposes. "On roll and attending" (closed with one action) only when the
    register holds a recent present mark for the child in fresh data (`attending` True, from
    cme.attendance); a child on a roll without that means "confirm with the school"."""
    if matched and has_open_case:
        return Referral.Outcome.LINKED_TO_CASE
    if matched and attending:
        return Referral.Outcome.ON_ROLL_ATTENDING
    if matched and on_roll:
        return Referral.Outcome.CONFIRM_WITH_SCHOOL
    return Referral.Outcome.CASE_OPENED


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """`days` working days (Monday to Friday) after `start`."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def triage_due(received_at: datetime.datetime) -> datetime.datetime:
    return add_working_days(received_at, TRIAGE_TARGET_WORKING_DAYS)
