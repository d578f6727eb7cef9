"""The kinds of return and notification, as enums without queries.

Kept apart from `models.py` (as `cases.workflow` is) so the pure rule modules (`duties`,
`routing`) can name a kind without touching the database.
"""

from __future__ import annotations

from django.db import models

from cme.pupils.models import DeletionGround


class ReturnKind(models.TextChoices):
    """What a return tells the authority: the regulation 13 returns of the School Attendance
    (Pupil Registration) (England) Regulations 2024, the policy's notifications from schools,
    and notifications from other local authorities (recorded by the CME team)."""

    NEW_PUPIL = "new_pupil", "New pupil"
    DELETION = "deletion", "Deletion from the admission register"
    ATTENDANCE = "attendance", "Attendance return"
    SICKNESS = "sickness", "Sickness expected to reach 15 school days"
    FAILED_TO_START = "failed_to_start", "Pupil who failed to start"
    NO_DESTINATION = "no_destination", "Leaving with no known destination"
    LA_MOVING_IN = "la_moving_in", "Another local authority: child moving into our area"
    LA_MOVING_OUT = "la_moving_out", "Another local authority: child moving out of our area"


SCHOOL_KINDS: tuple[ReturnKind, ...] = (
    ReturnKind.NEW_PUPIL,
    ReturnKind.DELETION,
    ReturnKind.ATTENDANCE,
    ReturnKind.SICKNESS,
    ReturnKind.FAILED_TO_START,
    ReturnKind.NO_DESTINATION,
)
OTHER_LA_KINDS: tuple[ReturnKind, ...] = (ReturnKind.LA_MOVING_IN, ReturnKind.LA_MOVING_OUT)
# Returns that tell the authority a pupil has left, or will not be, on the school's roll: any
# of them answers a removal seen in a roll import.
LEAVING_KINDS: tuple[ReturnKind, ...] = (
    ReturnKind.DELETION,
    ReturnKind.NO_DESTINATION,
    ReturnKind.FAILED_TO_START,
)


class AttendanceReason(models.TextChoices):
    """Why a pupil is named in an attendance return (regulation 13)."""

    TEN_DAYS = "ten_days", "Absent for 10 continuous school days without authorisation"
    IRREGULAR = "irregular", "Failing to attend regularly"


# The regulation 9(1) grounds, as the deletion return offers them.
DELETION_GROUNDS: list[tuple[str, str]] = list(DeletionGround.choices)
