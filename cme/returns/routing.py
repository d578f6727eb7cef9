"""Which pupils named in a return need the CME team, and why: a rule without queries.

A pupil who needs the team goes to the triage inbox as a referral, already matched against
the register; every other pupil is recorded with the reason it needed nothing more. A child
with an open CME case always goes to triage: a new school, a move or a deletion is news
for the officer working the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from cme.pupils.models import DeletionGround

from .kinds import AttendanceReason, ReturnKind

# Deleted after joint reasonable enquiries with the authority failed to find the child.
GROUNDS_AFTER_FAILED_ENQUIRIES = frozenset({DeletionGround.H, DeletionGround.I})
# Grounds after which the child should be going to another school: without one named, the
# child may be missing education.
GROUNDS_NEEDING_A_DESTINATION = frozenset(
    {
        DeletionGround.A,
        DeletionGround.D,
        DeletionGround.G,
        DeletionGround.M,
        DeletionGround.N,
        DeletionGround.O,
    }
)


@dataclass(frozen=True)
class Routing:
    to_triage: bool
    reason: str


# Kinds whose every pupil goes the same way, whatever else the return says.
FIXED_ROUTES: dict[str, Routing] = {
    ReturnKind.FAILED_TO_START: Routing(True, "Failed to start at the school"),
    ReturnKind.NO_DESTINATION: Routing(True, "Leaving with no known destination"),
    ReturnKind.LA_MOVING_IN: Routing(
        True, "Moving into the area: check the child has a school place"
    ),
    ReturnKind.LA_MOVING_OUT: Routing(False, "Moving out of the area"),
    ReturnKind.SICKNESS: Routing(
        False, "Sickness: for the team that arranges education for ill children"
    ),
    ReturnKind.NEW_PUPIL: Routing(False, "New pupil recorded"),
}
OPEN_CASE = Routing(True, "The child has an open CME case")


def route_pupil(
    *,
    kind: ReturnKind,
    has_open_case: bool,
    ground: str = "",
    destination_known: bool = False,
    attendance_reason: str = "",
) -> Routing:
    """Whether a pupil named in a return of `kind` goes to the triage inbox, and why."""
    if has_open_case:
        return OPEN_CASE
    if kind == ReturnKind.DELETION:
        return _route_deletion(ground=ground, destination_known=destination_known)
    if kind == ReturnKind.ATTENDANCE:
        if attendance_reason == AttendanceReason.TEN_DAYS:
            return Routing(True, "Absent for 10 continuous school days without authorisation")
        return Routing(False, "Failing to attend regularly: for attendance support")
    return FIXED_ROUTES[kind]


def _route_deletion(*, ground: str, destination_known: bool) -> Routing:
    label = DeletionGround(ground).label if ground in DeletionGround.values else "unknown ground"
    if ground in GROUNDS_AFTER_FAILED_ENQUIRIES:
        return Routing(True, f"Deleted under ground {label}: the child has not been found")
    if ground in GROUNDS_NEEDING_A_DESTINATION and not destination_known:
        return Routing(True, f"Deleted under ground {label} with no destination school")
    return Routing(False, f"Deleted under ground {label}")
