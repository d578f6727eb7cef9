"""The provision rules: routes by plan, who monitors, when attendance needs attention."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cme.provision.rules import (
    PLACEMENT_ATTENDANCE_MINIMUM_SESSIONS,
    MonitorKind,
    ProvisionRoute,
    attendance_needs_attention,
    attendance_percent,
    monitor_for,
    routes_for,
)


@given(has_ehc_plan=st.booleans())
def test_the_send_team_is_the_route_for_every_child_with_a_plan_and_only_for_them(
    has_ehc_plan: bool,
) -> None:
    routes = routes_for(has_ehc_plan=has_ehc_plan)
    assert (ProvisionRoute.SEND in routes) is has_ehc_plan
    assert (routes == (ProvisionRoute.SEND,)) is has_ehc_plan


def test_each_route_has_the_policys_monitor() -> None:
    assert monitor_for(ProvisionRoute.MAINSTREAM) == MonitorKind.SCHOOL
    assert monitor_for(ProvisionRoute.FAIR_ACCESS) == MonitorKind.SCHOOL_WITH_PANEL
    assert monitor_for(ProvisionRoute.SEND) == MonitorKind.EHC_PLAN_REVIEW


@given(
    possible=st.integers(min_value=0, max_value=400),
    attended=st.integers(min_value=0, max_value=400),
    threshold=st.integers(min_value=1, max_value=100),
)
def test_attendance_needs_attention_exactly_when_below_the_threshold_with_enough_sessions(
    possible: int, attended: int, threshold: int
) -> None:
    attended = min(attended, possible)
    alert = attendance_needs_attention(
        attended=attended, possible=possible, threshold_percent=threshold
    )
    percent = attendance_percent(attended=attended, possible=possible)
    if possible < PLACEMENT_ATTENDANCE_MINIMUM_SESSIONS:
        assert alert is False
    else:
        assert percent is not None
        # Integer arithmetic in the rule; the percentage agrees away from the boundary.
        if abs(percent - threshold) > 1e-9:
            assert alert is (percent < threshold)


def test_no_possible_sessions_is_no_percentage() -> None:
    assert attendance_percent(attended=0, possible=0) is None
