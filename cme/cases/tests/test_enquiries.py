"""Reasonable enquiries and contact attempts: generated from the facts, recorded with dates,
and holding closure until they are done or a manager approves."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cme.accounts.models import User
from cme.cases import services
from cme.cases.categories import CaseCategory
from cme.cases.enquiries import CaseFacts, EnquiryStatus, SourceKind, applies
from cme.cases.models import Case, ContactAttempt
from cme.cases.workflow import CaseStatus, CaseTransitionError, ClosureReason
from cme.pupils.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _locating(actor: User, **child: object) -> Case:
    case = services.open_case(
        actor=actor, child=ChildFactory.create(**child), category=CaseCategory.IDENTIFIED_MISSING
    )
    case = services.move_case(actor=actor, case=case, to=CaseStatus.CHECKING)
    return services.move_case(actor=actor, case=case, to=CaseStatus.LOCATING)


def test_armed_forces_families_add_the_ceas_enquiry() -> None:
    plain = CaseFacts(
        armed_forces=False,
        left_custody=False,
        came_from_another_authority=False,
        may_have_moved_away=False,
    )
    forces = CaseFacts(
        armed_forces=True,
        left_custody=False,
        came_from_another_authority=False,
        may_have_moved_away=False,
    )
    assert applies(SourceKind.ARMED_FORCES, plain) is False
    assert applies(SourceKind.ARMED_FORCES, forces) is True
    assert applies(SourceKind.ALWAYS, plain) is True


def test_enquiries_start_when_the_child_is_being_located(cme_officer: User) -> None:
    case = services.open_case(
        actor=cme_officer, child=ChildFactory.create(), category=CaseCategory.IDENTIFIED_MISSING
    )
    assert services.case_enquiries(case=case) == []
    case = _locating(cme_officer, vulnerability_flags=["armed_forces"])
    names = [e.source.name for e in services.case_enquiries(case=case)]
    assert "Child Health" in names
    assert "Home Office border checks" in names
    assert "Children's Education Advisory Service (armed forces)" in names
    assert "The custodial institution the child left" not in names


def test_a_case_with_outstanding_enquiries_cannot_close_without_a_manager(
    cme_officer: User, cme_manager: User
) -> None:
    case = _locating(cme_officer)
    with pytest.raises(CaseTransitionError, match="enquiries are still outstanding"):
        services.close_case(actor=cme_officer, case=case, reason=ClosureReason.PLACED)
    with pytest.raises(CaseTransitionError, match="enquiries are still outstanding"):
        services.close_case(
            actor=cme_officer, case=case, reason=ClosureReason.PLACED, manager_approved=True
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.LOCATING
    closed = services.close_case(
        actor=cme_manager, case=case, reason=ClosureReason.PLACED, manager_approved=True
    )
    assert closed.status == CaseStatus.CLOSED


def test_once_every_enquiry_has_an_outcome_an_officer_may_close(cme_officer: User) -> None:
    case = _locating(cme_officer)
    for enquiry in services.case_enquiries(case=case):
        services.update_enquiry(
            actor=cme_officer, enquiry=enquiry, status=EnquiryStatus.NOT_APPLICABLE
        )
    assert (
        services.close_case(actor=cme_officer, case=case, reason=ClosureReason.PLACED).status
        == CaseStatus.CLOSED
    )


def test_enquiry_dates_in_the_future_or_before_birth_are_refused_and_change_nothing(
    cme_officer: User,
) -> None:
    case = _locating(cme_officer, date_of_birth=datetime.date(2015, 4, 3))
    enquiry = services.case_enquiries(case=case)[0]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CaseTransitionError, match="cannot be in the future"):
        services.update_enquiry(
            actor=cme_officer,
            enquiry=enquiry,
            status=EnquiryStatus.REQUESTED,
            requested_on=tomorrow,
        )
    with pytest.raises(CaseTransitionError, match="before the child was born"):
        services.update_enquiry(
            actor=cme_officer,
            enquiry=enquiry,
            status=EnquiryStatus.REQUESTED,
            requested_on=datetime.date(2014, 1, 1),
        )
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.NOT_STARTED


def test_siblings_share_one_set_of_enquiries(cme_officer: User) -> None:
    cases = services.open_family_cases(
        actor=cme_officer,
        children=[ChildFactory.create(), ChildFactory.create()],
        category=CaseCategory.IDENTIFIED_MISSING,
    )
    for opened in cases:
        checking = services.move_case(actor=cme_officer, case=opened, to=CaseStatus.CHECKING)
        services.move_case(actor=cme_officer, case=checking, to=CaseStatus.LOCATING)
    first, second = (services.case_enquiries(case=c) for c in cases)
    assert first == second
    assert len(first) > 0


def test_a_contact_attempt_is_recorded_and_a_future_one_refused(cme_officer: User) -> None:
    case = _locating(cme_officer)
    attempt = services.record_contact_attempt(
        actor=cme_officer,
        case=case,
        method=ContactAttempt.Method.HOME_VISIT,
        made_on=timezone.localdate(),
        outcome="No answer; neighbour says the family moved in October",
    )
    assert attempt.reached_family is False
    with pytest.raises(CaseTransitionError, match="cannot be in the future"):
        services.record_contact_attempt(
            actor=cme_officer,
            case=case,
            method=ContactAttempt.Method.TELEPHONE,
            made_on=timezone.localdate() + datetime.timedelta(days=3),
            outcome="x",
        )


def test_with_no_sources_configured_the_policys_list_is_used(cme_officer: User) -> None:
    from cme.cases.models import EnquirySource

    EnquirySource.objects.all().delete()
    case = _locating(cme_officer)
    assert len(services.case_enquiries(case=case)) >= 10
