"""Opening, moving, allocating and closing cases: legal moves happen, the rest change nothing."""

from __future__ import annotations

import pytest

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.cases import services
from cme.cases.categories import CaseCategory, Pathway
from cme.cases.models import Case
from cme.cases.tests.factories import (
    ClosedCaseFactory,
    LocatingCaseFactory,
    OpenCaseFactory,
    WhereaboutsUnknownCaseFactory,
)
from cme.cases.workflow import CaseStatus, CaseTransitionError, ClosureReason
from cme.pupils.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_opening_a_case_puts_the_child_on_the_register_and_audits_it(cme_officer: User) -> None:
    child = ChildFactory.create()
    case = services.open_case(
        actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING
    )
    assert case.status == CaseStatus.REFERRED
    assert case.pathway == Pathway.NOT_ON_ROLL
    assert (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.CASE_OPENED, child_id=child.pk).count() == 1
    )


def test_at_risk_categories_are_on_the_on_roll_pathway(cme_officer: User) -> None:
    case = services.open_case(
        actor=cme_officer,
        child=ChildFactory.create(),
        category=CaseCategory.AT_RISK_IRREGULAR_ATTENDANCE,
    )
    assert case.pathway == Pathway.ON_ROLL_NOT_ATTENDING


def test_a_child_cannot_have_two_open_cases(cme_officer: User) -> None:
    child = ChildFactory.create()
    services.open_case(actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    with pytest.raises(CaseTransitionError, match="already has an open case"):
        services.open_case(actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    assert Case.objects.filter(child=child).count() == 1


def test_siblings_get_linked_cases_in_one_step(cme_officer: User) -> None:
    children = [ChildFactory.create(), ChildFactory.create()]
    cases = services.open_family_cases(
        actor=cme_officer, children=children, category=CaseCategory.IDENTIFIED_MISSING
    )
    assert len({case.family_id for case in cases}) == 1
    assert cases[0].family_id is not None


def test_an_illegal_move_is_refused_and_changes_nothing(cme_officer: User) -> None:
    case = OpenCaseFactory.create()
    with pytest.raises(CaseTransitionError):
        services.move_case(actor=cme_officer, case=case, to=CaseStatus.PLACED)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    assert case.version == 1
    assert AuditEvent.objects.exists() is False


def test_a_legal_move_records_one_event_with_before_and_after(cme_officer: User) -> None:
    case = OpenCaseFactory.create()
    moved = services.move_case(
        actor=cme_officer, case=case, to=CaseStatus.CHECKING, note="Rang school"
    )
    assert moved.status == CaseStatus.CHECKING
    assert moved.version == 2
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CASE_STATUS_CHANGED)
    assert event.changes == {"status": ["referred", "checking"]}


def test_a_stale_edit_is_refused_and_the_other_change_survives(
    cme_officer: User, cme_manager: User
) -> None:
    case = LocatingCaseFactory.create()
    seen_version = case.version
    services.move_case(
        actor=cme_manager, case=case, to=CaseStatus.LOCATED, expected_version=seen_version
    )
    with pytest.raises(services.StaleCaseError, match="Someone else changed this case"):
        services.move_case(
            actor=cme_officer,
            case=case,
            to=CaseStatus.WHEREABOUTS_UNKNOWN,
            expected_version=seen_version,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.LOCATED


def test_only_a_manager_closes_a_whereabouts_unknown_case(
    cme_officer: User, cme_manager: User
) -> None:
    case = WhereaboutsUnknownCaseFactory.create()
    with pytest.raises(CaseTransitionError, match="Only a CME manager"):
        services.close_case(actor=cme_officer, case=case, reason=ClosureReason.LEFT_ENGLAND)
    closed = services.close_case(actor=cme_manager, case=case, reason=ClosureReason.LEFT_ENGLAND)
    assert closed.status == CaseStatus.CLOSED
    assert closed.closed_at is not None
    assert closed.closure_reason == ClosureReason.LEFT_ENGLAND


def test_a_closed_case_can_be_reopened_with_a_reason(cme_officer: User) -> None:
    case = ClosedCaseFactory.create()
    reopened = services.reopen_case(actor=cme_officer, case=case, note="Missing again")
    assert reopened.status == CaseStatus.CHECKING
    assert reopened.closed_at is None
    assert reopened.closure_reason == ""


def test_cases_are_allocated_only_to_cme_staff(cme_officer: User, school_user: User) -> None:
    case = OpenCaseFactory.create()
    with pytest.raises(CaseTransitionError):
        services.allocate_case(actor=cme_officer, case=case, officer=school_user)
    allocated = services.allocate_case(actor=cme_officer, case=case, officer=cme_officer)
    assert allocated.allocated_to == cme_officer


def test_a_child_not_of_compulsory_school_age_cannot_be_put_on_the_register(
    cme_officer: User,
) -> None:
    import datetime

    from django.utils import timezone

    too_young = ChildFactory.create(
        date_of_birth=timezone.localdate() - datetime.timedelta(days=3 * 365)
    )
    with pytest.raises(CaseTransitionError, match="not of compulsory school age"):
        services.open_case(
            actor=cme_officer, child=too_young, category=CaseCategory.IDENTIFIED_MISSING
        )
    assert Case.objects.exists() is False
