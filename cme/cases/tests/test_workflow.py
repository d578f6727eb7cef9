"""The case workflow: every legal move allowed, every other one refused with a reason."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.cases.workflow import (
    ALLOWED_TRANSITIONS,
    MANAGER_ONLY,
    CaseStatus,
    CaseTransitionError,
    check_transition,
    reachable_from,
)

ALL_PAIRS = list(itertools.product(CaseStatus, CaseStatus))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_a_move_is_allowed_exactly_when_the_table_says_so(
    current: CaseStatus, target: CaseStatus
) -> None:
    legal = target in ALLOWED_TRANSITIONS[current]
    if legal:
        check_transition(current, target, by_manager=True)
    else:
        with pytest.raises(CaseTransitionError):
            check_transition(current, target, by_manager=True)


def test_every_status_has_an_entry() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(CaseStatus)


def test_every_open_case_can_reach_closure_and_a_closed_one_can_reopen() -> None:
    for status in CaseStatus:
        assert CaseStatus.CLOSED in reachable_from(status)
    assert CaseStatus.CHECKING in ALLOWED_TRANSITIONS[CaseStatus.CLOSED]


def test_only_a_manager_closes_a_case_whose_whereabouts_are_unknown() -> None:
    with pytest.raises(CaseTransitionError, match="Only a CME manager"):
        check_transition(CaseStatus.WHEREABOUTS_UNKNOWN, CaseStatus.CLOSED)
    check_transition(CaseStatus.WHEREABOUTS_UNKNOWN, CaseStatus.CLOSED, by_manager=True)


def test_manager_only_moves_are_legal_moves() -> None:
    for current, target in MANAGER_ONLY:
        assert target in ALLOWED_TRANSITIONS[current]


def test_a_closed_case_cannot_jump_straight_to_placed() -> None:
    with pytest.raises(CaseTransitionError, match="closed cannot be moved to placed"):
        check_transition(CaseStatus.CLOSED, CaseStatus.PLACED)


@given(st.lists(st.sampled_from(list(CaseStatus)), max_size=30))
def test_any_sequence_of_requests_only_ever_follows_legal_moves(requests: list[CaseStatus]) -> None:
    status = CaseStatus.REFERRED
    for target in requests:
        try:
            check_transition(status, target, by_manager=False)
        except CaseTransitionError:
            continue
        assert target in ALLOWED_TRANSITIONS[status]
        assert (status, target) not in MANAGER_ONLY
        status = target
