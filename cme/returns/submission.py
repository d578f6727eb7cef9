"""What a stored return says: its pupils read back from the raw submission, tolerantly.

A submission is kept exactly as it was sent, so it is data, not trusted input: every value is
read as text of a bounded length, a date that does not parse counts as not given, and a
pupil that is not a mapping is read as a pupil with nothing given. No queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .kinds import ReturnKind

SUBMISSION_FORMAT = 1
PUPILS_KEY = "pupils"
NIL_KEY = "nil"

# The answer that says what date the return is about, for each kind of return.
EVENT_DATE_KEY: dict[str, str] = {
    ReturnKind.NEW_PUPIL: "entered_on",
    ReturnKind.DELETION: "ground_met_on",
    ReturnKind.ATTENDANCE: "absence_began_on",
    ReturnKind.SICKNESS: "sickness_began_on",
    ReturnKind.FAILED_TO_START: "due_to_start_on",
    ReturnKind.NO_DESTINATION: "last_attended_on",
}
MAX_PARENTS = 2


def text(raw: Mapping[str, Any], key: str, limit: int) -> str:
    value = raw.get(key, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def date(raw: Mapping[str, Any], key: str) -> datetime.date | None:
    value = raw.get(key, "")
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Parent:
    name: str
    address: str
    phone: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "address": self.address, "phone": self.phone}


@dataclass(frozen=True)
class PupilFacts:
    """One child as a submission describes them, ready to store and to match."""

    forename: str
    middle_names: str
    surname: str
    date_of_birth: datetime.date | None
    sex: str
    upn: str
    address: str
    postcode: str
    event_date: datetime.date | None
    deletion_ground: str = ""
    attendance_reason: str = ""
    future_address: str = ""
    destination_school: str = ""
    destination_start_on: datetime.date | None = None
    other_school: str = ""
    notes: str = ""
    parents: tuple[Parent, ...] = field(default_factory=tuple)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.middle_names, self.surname) if part)

    def match_details(self) -> dict[str, str]:
        """The facts in the identity-matching engine's column names."""
        return {
            "forename": self.forename,
            "middle_names": self.middle_names,
            "surname": self.surname,
            "dob": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "sex": self.sex if self.sex in {"M", "F"} else "",
            "upn": self.upn,
            "postcode": self.postcode,
            "address": self.address,
        }


def pupils_in(submission: Any) -> list[Mapping[str, Any]]:
    """The raw answers about each pupil, in order (a non-mapping pupil reads as empty)."""
    pupils = submission.get(PUPILS_KEY) if isinstance(submission, Mapping) else None
    if not isinstance(pupils, list):
        return []
    return [pupil if isinstance(pupil, Mapping) else {} for pupil in pupils]


def read_pupil(
    raw: Mapping[str, Any], *, kind: str, event_date: datetime.date | None = None
) -> PupilFacts:
    """The facts about one pupil. `event_date` is given for a notification whose date is the
    notification's own (another authority's), not a question about the pupil."""
    parents = []
    for number in range(1, MAX_PARENTS + 1):
        parent = Parent(
            name=text(raw, f"parent_{number}_name", 200),
            address=text(raw, f"parent_{number}_address", 500),
            phone=text(raw, f"parent_{number}_phone", 50),
        )
        if parent.name or parent.address or parent.phone:
            parents.append(parent)
    key = EVENT_DATE_KEY.get(kind)
    return PupilFacts(
        forename=text(raw, "forename", 100),
        middle_names=text(raw, "middle_names", 100),
        surname=text(raw, "surname", 100),
        date_of_birth=date(raw, "date_of_birth"),
        sex=text(raw, "sex", 1).upper(),
        upn=text(raw, "upn", 13).upper(),
        address=text(raw, "address", 500),
        postcode=text(raw, "postcode", 10).upper(),
        event_date=event_date if key is None else date(raw, key),
        deletion_ground=text(raw, "deletion_ground", 1).lower(),
        attendance_reason=text(raw, "attendance_reason", 20),
        future_address=text(raw, "future_address", 500),
        destination_school=text(raw, "destination_school", 200),
        destination_start_on=date(raw, "destination_start_on"),
        other_school=text(raw, "other_school", 200),
        notes=text(raw, "notes", 2000),
        parents=tuple(parents),
    )
