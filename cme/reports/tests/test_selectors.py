"""The DfE return from the register as it stood at any date: rebuilt from the case trail,
enrolments and provision, never from today's state."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from cme.accounts.models import User
from cme.cases import services as case_services
from cme.cases.categories import CaseCategory
from cme.cases.models import Case
from cme.cases.workflow import CaseStatus, ClosureReason
from cme.provision import services as provision_services
from cme.provision.models import AdmissionRequest, HomeEducationRecord
from cme.provision.rules import ProvisionRoute
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import ChildFactory, CurrentEnrolmentFactory
from cme.reports.selectors import (
    dfe_return_as_at,
    interval_steps,
    register_histories,
    schools_with_termly_reports,
)

pytestmark = pytest.mark.django_db

BORN = datetime.date(2015, 3, 3)


def at(day: str) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+01:00"), tick=False)


def _open(child: Child, day: str, category: CaseCategory = CaseCategory.IDENTIFIED_MISSING) -> Case:
    with at(day):
        return case_services.open_case(actor=None, child=child, category=category)


def _move(case: Case, day: str, *statuses: CaseStatus) -> Case:
    with at(day):
        for status in statuses:
            case = case_services.move_case(actor=None, case=case, to=status)
    return case


def counted(day: str) -> int:
    return dfe_return_as_at(datetime.date.fromisoformat(day)).on_census_date


def test_a_childs_path_from_referral_to_school_is_counted_as_it_stood_on_each_date(
    school: School,
) -> None:
    child = ChildFactory.create(date_of_birth=BORN, sex="F")
    case = _open(child, "2025-09-03")
    case = _move(case, "2025-09-03", CaseStatus.CHECKING)
    case = _move(case, "2025-09-10", CaseStatus.LOCATING)
    case = _move(case, "2025-09-20", CaseStatus.LOCATED)
    with at("2025-09-25"):
        provision_services.decide_provision(
            actor=None,
            case=case,
            route=ProvisionRoute.MAINSTREAM,
            need="A place",
            involved="Parent",
            applied_on=datetime.date(2025, 9, 25),
        )
    with at("2025-10-10"):
        provision_services.record_offer(
            actor=None,
            admission=AdmissionRequest.objects.get(case=case),
            school=school,
            offered_on=datetime.date(2025, 10, 10),
            start_date=datetime.date(2025, 10, 20),
        )

    assert counted("2025-09-02") == 0  # no case yet
    assert counted("2025-09-05") == 0  # still being checked
    assert counted("2025-09-12") == 1  # locating: missing education
    applying = dfe_return_as_at(datetime.date(2025, 9, 30))
    assert dict(applying.by_reason.rows)["Applying for a school place"] == 1
    offered = dfe_return_as_at(datetime.date(2025, 10, 15))
    assert dict(offered.by_reason.rows)["Offered a school place, not yet started"] == 1
    assert counted("2025-10-20") == 0  # on the school's roll from the start date
    later = dfe_return_as_at(datetime.date(2026, 1, 15))
    assert later.on_census_date == 0
    # Today's state (placed) did not leak into the past: autumn 2025 is in 2026/27's look-back.
    next_year = dfe_return_as_at(datetime.date(2026, 10, 1))
    assert next_year.previous_year == 1


def test_pupils_on_a_roll_are_never_counted_however_absent(school: School) -> None:
    child = ChildFactory.create(date_of_birth=BORN)
    CurrentEnrolmentFactory.create(child=child, school=school, start_date=datetime.date(2024, 9, 4))
    case = _open(child, "2025-09-03", CaseCategory.AT_RISK_IRREGULAR_ATTENDANCE)
    _move(case, "2025-09-04", CaseStatus.CHECKING, CaseStatus.LOCATING)
    assert counted("2025-10-01") == 0


def test_a_closed_case_counts_until_the_day_it_closed_and_again_once_reopened(
    cme_manager: User,
) -> None:
    child = ChildFactory.create(date_of_birth=BORN, sex="M")
    case = _open(child, "2025-09-03")
    case = _move(case, "2025-09-04", CaseStatus.CHECKING, CaseStatus.LOCATING)
    with at("2025-10-01"):
        case = case_services.close_case(
            actor=cme_manager,
            case=case,
            reason=ClosureReason.ELECTIVE_HOME_EDUCATION,
            manager_approved=True,
        )
    assert counted("2025-09-30") == 1
    assert counted("2025-10-01") == 0
    with at("2025-11-03"):
        case = case_services.reopen_case(actor=None, case=case, note="Home education unsuitable")
    case = _move(case, "2025-11-04", CaseStatus.CONFIRMED_MISSING)
    assert counted("2025-11-03") == 0  # re-opened: being checked again
    result = dfe_return_as_at(datetime.date(2025, 11, 10))
    assert result.on_census_date == 1
    assert dict(result.by_length.rows)["Less than 4 weeks"] == 1  # missing since the re-opening


def test_whereabouts_unknown_counts_with_the_length_since_the_referral() -> None:
    child = ChildFactory.create(date_of_birth=BORN)
    case = _open(child, "2024-06-03")
    case = _move(case, "2024-06-04", CaseStatus.CHECKING, CaseStatus.LOCATING)
    _move(case, "2024-07-01", CaseStatus.WHEREABOUTS_UNKNOWN)
    result = dfe_return_as_at(datetime.date(2025, 10, 2))
    assert dict(result.by_reason.rows)["Whereabouts unknown"] == 1
    assert dict(result.by_length.rows)["52 weeks or more"] == 1


def test_the_register_is_read_in_a_fixed_number_of_queries(
    django_assert_max_num_queries: pytest.FixtureDef[object],
) -> None:
    for day in ("2025-09-01", "2025-09-02", "2025-09-03"):
        case = _open(ChildFactory.create(date_of_birth=BORN), day)
        _move(case, day, CaseStatus.CHECKING, CaseStatus.LOCATING)
    with django_assert_max_num_queries(7):  # type: ignore[operator]  # one more: home education
        histories = register_histories()
    assert len(histories) == 3


def test_intervals_cover_their_first_and_last_days() -> None:
    first, last = datetime.date(2025, 1, 1), datetime.date(2025, 1, 10)
    steps = interval_steps([(first, last)])
    assert steps == ((first, True), (last + datetime.timedelta(days=1), False))


def test_termly_reports_go_to_open_maintained_primary_schools(school: School) -> None:
    assert list(schools_with_termly_reports()) == [school]


def test_today_is_the_default_nowhere() -> None:
    # The return is always asked for a date: the view and the command choose today.
    assert dfe_return_as_at(timezone.localdate()).on_census_date == 0


def test_home_education_counts_once_assessed_as_unsuitable_and_not_before() -> None:
    child = ChildFactory.create(date_of_birth=BORN, sex="M")
    case = _open(child, "2025-09-03")
    case = _move(case, "2025-09-03", CaseStatus.CHECKING, CaseStatus.LOCATING, CaseStatus.LOCATED)
    assert counted("2025-09-05") == 1  # located, on no roll, no suitable education
    with at("2025-09-08"):
        provision_services.record_home_education(
            actor=None,
            case=case,
            status=HomeEducationRecord.Status.NOT_ASSESSED,
            on=datetime.date(2025, 9, 8),
        )
    with at("2025-10-20"):
        provision_services.record_home_education(
            actor=None,
            case=case,
            status=HomeEducationRecord.Status.UNSUITABLE,
            on=datetime.date(2025, 10, 20),
        )
    assert counted("2025-09-30") == 0  # home educated, not yet assessed
    assert counted("2025-10-21") == 1  # assessed as unsuitable
