"""Deletions under regulation 9(1)(h) and (i) agreed by the authority after joint enquiries,
and deletions made before that agreement."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.cases.categories import CaseCategory
from cme.cases.selectors import case_timeline
from cme.cases.services import open_case
from cme.pupils.models import Child, Enrolment, School
from cme.pupils.tests.factories import pupil_at
from cme.returns import selectors, services
from cme.returns.kinds import ReturnKind
from cme.returns.models import DeletionAgreement

from .factories import answers_for, days_ago, sent_return

pytestmark = pytest.mark.django_db

ZOE_BORN = datetime.date(2015, 4, 3)


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _requested(school_user: User, child: Child, *, days: int = 0) -> DeletionAgreement:
    agreement = services.request_deletion_agreement(
        actor=school_user, child=child, ground="i", note="Three letters and a home visit"
    )
    if days:
        DeletionAgreement.objects.filter(pk=agreement.pk).update(
            requested_at=timezone.now() - datetime.timedelta(days=days)
        )
        agreement.refresh_from_db()
    return agreement


def test_the_request_and_the_agreement_are_recorded_on_the_childs_open_case(
    school_user: User, cme_officer: User, school: School
) -> None:
    child = pupil_at(school)
    case = open_case(actor=None, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    agreement = _requested(school_user, child, days=3)
    assert agreement.case == case
    assert agreement.status == DeletionAgreement.Status.REQUESTED

    agreed = services.agree_deletion(
        actor=cme_officer,
        agreement=agreement,
        agreed_on=_ago(1),
        joint_enquiries="Joint home visit; checked health and housing records",
    )
    assert agreed.status == DeletionAgreement.Status.AGREED
    assert agreed.agreed_on == _ago(1)
    assert agreed.agreed_by == cme_officer
    kinds = [event.kind for event in case_timeline(case=case)]
    assert AuditEvent.Kind.DELETION_AGREED in kinds
    assert AuditEvent.Kind.DELETION_AGREEMENT_REQUESTED in kinds


def test_an_agreement_cannot_be_dated_in_the_future_or_before_the_request(
    school_user: User, cme_officer: User, school: School
) -> None:
    agreement = _requested(school_user, pupil_at(school), days=2)
    with pytest.raises(services.ReturnError, match="today or in the past"):
        services.agree_deletion(
            actor=cme_officer, agreement=agreement, agreed_on=_ago(-1), joint_enquiries="Visit"
        )
    with pytest.raises(services.ReturnError, match="on or after the day the school asked"):
        services.agree_deletion(
            actor=cme_officer, agreement=agreement, agreed_on=_ago(3), joint_enquiries="Visit"
        )
    agreement.refresh_from_db()
    assert agreement.status == DeletionAgreement.Status.REQUESTED


def test_a_deletion_return_before_agreement_is_flagged_and_counted_against_the_school(
    school_user: User, cme_officer: User, school: School, other_school: School
) -> None:
    child = pupil_at(
        school, forename="Zoë", surname="O'Neill", date_of_birth=ZOE_BORN, sex="F", upn=""
    )
    sent_return(
        user=school_user,
        kind=ReturnKind.DELETION,
        pupils=[
            answers_for(
                ReturnKind.DELETION,
                deletion_ground="h",
                ground_met_on=days_ago(1),
                destination_school="",
                destination_start_on="",
            )
        ],
    )
    early = selectors.early_deletions(school)
    assert [(d.child_id, d.ground, d.source) for d in early] == [(child.pk, "h", "return")]
    assert selectors.early_deletions(other_school) == []

    # An agreement dated after the deletion does not cure it; one dated on or before does.
    agreement = _requested(school_user, child, days=5)
    services.agree_deletion(
        actor=cme_officer, agreement=agreement, agreed_on=_ago(0), joint_enquiries="Visit"
    )
    assert len(selectors.early_deletions(school)) == 1
    DeletionAgreement.objects.filter(pk=agreement.pk).update(agreed_on=_ago(2))
    assert selectors.early_deletions(school) == []


def test_a_roll_removal_under_ground_i_before_agreement_is_flagged(
    school_user: User, cme_officer: User, school: School
) -> None:
    child = pupil_at(school)
    assert selectors.early_deletions(school) == []
    Enrolment.objects.filter(child=child, school=school).update(
        end_date=_ago(4), deletion_ground="i"
    )
    early = selectors.early_deletions(school)
    assert [(d.child_id, d.deleted_on, d.source) for d in early] == [(child.pk, _ago(4), "roll")]
    agreement = _requested(school_user, child, days=6)
    services.agree_deletion(
        actor=cme_officer, agreement=agreement, agreed_on=_ago(4), joint_enquiries="Visit"
    )
    assert selectors.early_deletions(school) == []


def test_a_school_asks_for_agreement_and_sees_only_its_own_requests(
    client: Client,
    school_user: User,
    school_user_other_school: User,
    school: School,
    other_school: School,
) -> None:
    child = pupil_at(school, forename="Amara", surname="Okafor")
    other = pupil_at(other_school, forename="Bartosz", surname="Wiśniewski")
    _requested(school_user_other_school, other)
    client.force_login(school_user)
    page = client.get("/returns/deletions/request/")
    assert page.status_code == 200
    assert "Amara Okafor" in page.content.decode()
    assert "Wiśniewski" not in page.content.decode()

    refused = client.post(
        "/returns/deletions/request/", {"child": str(other.pk), "ground": "h", "note": "Visit"}
    )
    assert refused.status_code == 400
    assert "Select a pupil on your school&#39;s roll" in refused.content.decode()

    sent = client.post(
        "/returns/deletions/request/", {"child": str(child.pk), "ground": "h", "note": "Visit"}
    )
    assert sent.status_code == 302
    listed = client.get("/returns/deletions/").content.decode()
    assert "Amara Okafor" in listed
    assert "Waiting for the authority" in listed
    assert "Wiśniewski" not in listed
    home = client.get("/returns/").content.decode()
    assert "Names deleted before the authority agreed: 0" in home


def test_an_officer_sees_every_request_and_records_the_agreement(
    client: Client,
    school_user: User,
    school_user_other_school: User,
    cme_officer: User,
    school: School,
    other_school: School,
) -> None:
    agreement = _requested(school_user, pupil_at(school, forename="Amara", surname="Okafor"))
    _requested(school_user_other_school, pupil_at(other_school, surname="Wiśniewski"))
    removed = pupil_at(other_school, surname="Kowalczyk")
    Enrolment.objects.filter(child=removed).update(end_date=_ago(1), deletion_ground="h")
    client.force_login(cme_officer)
    listed = client.get("/returns/deletions/").content.decode()
    assert "Okafor" in listed
    assert "Wiśniewski" in listed
    assert "Kowalczyk" in listed  # deleted before agreement
    assert other_school.name in listed

    page = f"/returns/deletions/{agreement.pk}/agree/"
    future = _ago(-2)
    refused = client.post(
        page,
        {
            "joint_enquiries": "Joint visit",
            "agreed_on_day": str(future.day),
            "agreed_on_month": str(future.month),
            "agreed_on_year": str(future.year),
        },
    )
    assert refused.status_code == 400
    today = timezone.localdate()
    agreed = client.post(
        page,
        {
            "joint_enquiries": "Joint visit",
            "agreed_on_day": str(today.day),
            "agreed_on_month": str(today.month),
            "agreed_on_year": str(today.year),
        },
    )
    assert agreed.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == DeletionAgreement.Status.AGREED
    assert agreement.agreed_on == today


def test_a_school_cannot_record_an_agreement(
    client: Client, school_user: User, school: School
) -> None:
    agreement = _requested(school_user, pupil_at(school))
    client.force_login(school_user)
    assert client.get(f"/returns/deletions/{agreement.pk}/agree/").status_code == 403
