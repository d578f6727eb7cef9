"""Which pupils named in a return need the CME team."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.pupils.models import DeletionGround
from cme.returns.kinds import AttendanceReason, ReturnKind
from cme.returns.routing import route_pupil


@given(
    kind=st.sampled_from(list(ReturnKind)),
    ground=st.sampled_from(["", *DeletionGround.values]),
    destination_known=st.booleans(),
    reason=st.sampled_from(["", *AttendanceReason.values]),
)
def test_a_child_with_an_open_case_always_goes_to_triage(
    kind: ReturnKind, ground: str, destination_known: bool, reason: str
) -> None:
    routing = route_pupil(
        kind=kind,
        has_open_case=True,
        ground=ground,
        destination_known=destination_known,
        attendance_reason=reason,
    )
    assert routing.to_triage is True
    assert routing.reason == "The child has an open CME case"


@pytest.mark.parametrize(
    ("kind", "to_triage"),
    [
        (ReturnKind.NEW_PUPIL, False),
        (ReturnKind.SICKNESS, False),
        (ReturnKind.FAILED_TO_START, True),
        (ReturnKind.NO_DESTINATION, True),
        (ReturnKind.LA_MOVING_IN, True),
        (ReturnKind.LA_MOVING_OUT, False),
    ],
)
def test_each_kind_of_notification_goes_where_the_team_needs_it(
    kind: ReturnKind, to_triage: bool
) -> None:
    assert route_pupil(kind=kind, has_open_case=False).to_triage is to_triage


def test_only_ten_days_unauthorised_absence_goes_to_triage_from_an_attendance_return() -> None:
    ten_days = route_pupil(
        kind=ReturnKind.ATTENDANCE, has_open_case=False, attendance_reason="ten_days"
    )
    irregular = route_pupil(
        kind=ReturnKind.ATTENDANCE, has_open_case=False, attendance_reason="irregular"
    )
    assert ten_days.to_triage is True
    assert irregular.to_triage is False


@pytest.mark.parametrize("ground", DeletionGround.values)
@pytest.mark.parametrize("destination_known", [True, False])
def test_deletions_go_to_triage_after_failed_enquiries_or_with_no_destination(
    ground: str, destination_known: bool
) -> None:
    routing = route_pupil(
        kind=ReturnKind.DELETION,
        has_open_case=False,
        ground=ground,
        destination_known=destination_known,
    )
    after_failed_enquiries = ground in {"h", "i"}
    should_have_a_school = ground in {"a", "d", "g", "m", "n", "o"}
    assert routing.to_triage is (
        after_failed_enquiries or (should_have_a_school and not destination_known)
    )
    assert f"({ground})" in routing.reason
