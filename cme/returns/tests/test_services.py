"""Returns stored as received, processed pupil by pupil, and nothing lost when processing fails."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.cases.categories import CaseCategory
from cme.cases.services import open_case
from cme.matching.models import IdentityMatch
from cme.pupils.models import School
from cme.pupils.tests.factories import pupil_at
from cme.referrals.models import Referral
from cme.returns import services
from cme.returns.kinds import ReturnKind
from cme.returns.models import ReturnDraft, ReturnedPupil, SchoolReturn

from .factories import answers_for, child, days_ago, sent_return

pytestmark = pytest.mark.django_db

ZOE_BORN = datetime.date(2015, 4, 3)


def _fail_matching(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("the register could not be read")


def test_a_return_is_stored_as_received_before_processing(school_user: User) -> None:
    answers = answers_for(ReturnKind.DELETION, forename="Zoë", notes_absent="x")
    school_return = sent_return(
        user=school_user, kind=ReturnKind.DELETION, pupils=[answers], process=False
    )
    assert school_return.status == SchoolReturn.Status.RECEIVED
    assert school_return.submission["pupils"] == [answers]
    assert school_return.submission["kind"] == "deletion"
    assert school_return.pupils.exists() is False
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.RETURN_RECEIVED).count() == 1


def test_a_failure_in_processing_keeps_the_submission_and_shows_the_error(
    school_user: User, cme_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    pupils = [
        answers_for(ReturnKind.NO_DESTINATION),  # would become a referral first
        answers_for(ReturnKind.NO_DESTINATION, forename="Nikolai"),
    ]
    monkeypatch.setattr("cme.returns.services.triage_services.match_referral", _fail_matching)
    school_return = sent_return(user=school_user, kind=ReturnKind.NO_DESTINATION, pupils=pupils)
    assert school_return.status == SchoolReturn.Status.FAILED
    assert "the register could not be read" in school_return.processing_error
    assert school_return.submission["pupils"] == pupils
    # Everything processing did was rolled back: no half-processed pupils or referrals.
    assert ReturnedPupil.objects.exists() is False
    assert Referral.objects.exists() is False
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.RETURN_FAILED).count() == 1
    monkeypatch.undo()
    again = services.process_return(school_return=school_return, actor=cme_officer)
    assert again.status == SchoolReturn.Status.PROCESSED
    assert again.processing_error == ""
    assert Referral.objects.count() == 2


def test_processing_twice_changes_nothing(school_user: User) -> None:
    school_return = sent_return(
        user=school_user,
        kind=ReturnKind.FAILED_TO_START,
        pupils=[answers_for(ReturnKind.FAILED_TO_START)],
    )
    again = services.process_return(school_return=school_return, actor=school_user)
    assert again.status == SchoolReturn.Status.PROCESSED
    assert ReturnedPupil.objects.count() == 1
    assert Referral.objects.count() == 1


def test_a_new_pupil_on_the_register_closes_fast_with_no_triage_item(
    school_user: User, school: School
) -> None:
    child_on_register = pupil_at(
        school, forename="Zoë", surname="O'Neill", date_of_birth=ZOE_BORN, sex="F", upn=""
    )
    school_return = sent_return(
        user=school_user, kind=ReturnKind.NEW_PUPIL, pupils=[answers_for(ReturnKind.NEW_PUPIL)]
    )
    pupil = school_return.pupils.get()
    assert pupil.outcome == ReturnedPupil.Outcome.RECORDED
    assert pupil.referral is None
    assert pupil.match is not None
    assert pupil.match.source == IdentityMatch.Source.SCHOOL_RETURN
    assert pupil.match.status == IdentityMatch.Status.LINKED
    assert pupil.match.child_id == child_on_register.pk
    assert pupil.due_on == datetime.date.fromisoformat(days_ago(2)) + datetime.timedelta(days=5)
    assert Referral.objects.exists() is False
    named = AuditEvent.objects.get(
        kind=AuditEvent.Kind.RETURN_PROCESSED, subject_type="returns.returnedpupil"
    )
    assert named.child_id == child_on_register.pk


def test_a_new_pupil_with_an_open_case_goes_to_the_officer(
    school_user: User, school: School, cme_officer: User
) -> None:
    child_on_register = pupil_at(
        school, forename="Zoë", surname="O'Neill", date_of_birth=ZOE_BORN, sex="F", upn=""
    )
    open_case(actor=cme_officer, child=child_on_register, category=CaseCategory.IDENTIFIED_MISSING)
    school_return = sent_return(
        user=school_user, kind=ReturnKind.NEW_PUPIL, pupils=[answers_for(ReturnKind.NEW_PUPIL)]
    )
    pupil = school_return.pupils.get()
    assert pupil.outcome == ReturnedPupil.Outcome.TRIAGE
    assert pupil.outcome_reason == "The child has an open CME case"
    assert pupil.referral is not None
    assert pupil.referral.status == Referral.Status.RECEIVED
    assert pupil.match is not None
    assert pupil.match.child_id == child_on_register.pk


def test_each_pupil_in_a_return_is_routed_on_its_own(school_user: User) -> None:
    school_return = sent_return(
        user=school_user,
        kind=ReturnKind.ATTENDANCE,
        pupils=[
            answers_for(ReturnKind.ATTENDANCE),
            answers_for(
                ReturnKind.ATTENDANCE,
                forename="Nikolai",
                attendance_reason="irregular",
                absence_began_on="",
            ),
        ],
    )
    outcomes = list(school_return.pupils.values_list("forename", "outcome"))
    assert outcomes == [("Zoë", "triage"), ("Nikolai", "recorded")]
    referral = school_return.pupils.get(number=1).referral
    assert referral is not None
    assert referral.channel == Referral.Channel.SCHOOL_RETURN
    answers = referral.submission["answers"]
    assert answers["child_name"]["last_name"] == "O'Neill"
    assert answers["date_of_birth"]["date_of_birth"] == "2015-04-03"
    assert school_return.reference in answers["reason"]["reason"]


def test_a_nil_attendance_return_names_nobody(school_user: User) -> None:
    school_return = sent_return(user=school_user, kind=ReturnKind.ATTENDANCE, pupils=[])
    assert school_return.is_nil is True
    assert school_return.status == SchoolReturn.Status.PROCESSED
    assert school_return.pupils.exists() is False


def test_only_an_attendance_return_may_be_nil_and_others_need_a_pupil(school_user: User) -> None:
    draft = services.start_draft(actor=school_user, kind=ReturnKind.DELETION)
    with pytest.raises(services.ReturnError, match="Only an attendance return"):
        services.make_nil(draft=draft)
    with pytest.raises(services.ReturnError, match="Add a pupil to the return"):
        services.submit_return(draft=draft, actor=school_user)
    assert SchoolReturn.objects.exists() is False


def test_a_sent_draft_cannot_be_changed_and_sending_it_again_gives_the_same_return(
    school_user: User,
) -> None:
    draft = services.start_draft(actor=school_user, kind=ReturnKind.SICKNESS)
    draft = services.save_pupil(draft=draft, number=None, answers=answers_for(ReturnKind.SICKNESS))
    first = services.submit_return(draft=draft, actor=school_user)
    assert services.submit_return(draft=draft, actor=school_user) == first
    with pytest.raises(services.ReturnError, match="already been sent"):
        services.save_pupil(draft=draft, number=None, answers=answers_for(ReturnKind.SICKNESS))
    draft.refresh_from_db()
    assert draft.answers == {}  # the return holds the answers now


def test_one_sickness_return_per_continuous_period_of_sickness(school_user: User) -> None:
    sickness = answers_for(ReturnKind.SICKNESS)
    earlier = sent_return(user=school_user, kind=ReturnKind.SICKNESS, pupils=[sickness])
    draft = services.start_draft(actor=school_user, kind=ReturnKind.SICKNESS)
    with pytest.raises(services.ReturnError, match=earlier.reference):
        services.save_pupil(draft=draft, number=None, answers={**sickness, "forename": "ZOË"})
    # A new period of sickness for the same pupil is a new return.
    services.save_pupil(
        draft=draft, number=None, answers={**sickness, "sickness_began_on": days_ago(2)}
    )
    with pytest.raises(services.ReturnError, match="already added"):
        services.save_pupil(
            draft=draft, number=None, answers={**sickness, "sickness_began_on": days_ago(2)}
        )


def test_a_pupil_can_be_changed_and_removed_before_sending(school_user: User) -> None:
    draft = services.start_draft(actor=school_user, kind=ReturnKind.FAILED_TO_START)
    for forename in ("Zoë", "Nikolai", "Aoife"):
        draft = services.save_pupil(
            draft=draft,
            number=None,
            answers=answers_for(ReturnKind.FAILED_TO_START, forename=forename),
        )
    draft = services.save_pupil(
        draft=draft, number=2, answers=answers_for(ReturnKind.FAILED_TO_START, forename="Mikołaj")
    )
    draft = services.remove_pupil(draft=draft, number=1)
    assert [p["forename"] for p in services.draft_pupils(draft)] == ["Mikołaj", "Aoife"]


def test_a_return_holds_at_most_a_hundred_pupils(school_user: User) -> None:
    draft = services.start_draft(actor=school_user, kind=ReturnKind.NEW_PUPIL)
    pupils = [answers_for(ReturnKind.NEW_PUPIL, forename=f"Pupil {n}") for n in range(100)]
    ReturnDraft.objects.filter(pk=draft.pk).update(answers={"pupils": pupils})
    with pytest.raises(services.ReturnError, match="up to 100 pupils"):
        services.save_pupil(draft=draft, number=None, answers=answers_for(ReturnKind.NEW_PUPIL))


def test_a_moving_in_notification_from_another_authority_goes_to_triage_once(
    cme_officer: User,
) -> None:
    arguments: dict[str, Any] = {
        "actor": cme_officer,
        "kind": ReturnKind.LA_MOVING_IN,
        "other_la_code": "801",
        "notified_on": timezone.localdate(),
        "answers": child(),
        "token": "a" * 43,
    }
    notification, created = services.record_la_notification(**arguments)
    again, created_again = services.record_la_notification(**arguments)
    assert (created, created_again) == (True, False)
    assert again == notification
    assert notification.school is None
    assert notification.other_la_code == "801"
    pupil = notification.pupils.get()
    assert pupil.event_date == timezone.localdate()
    assert pupil.referral is not None
    assert pupil.referral.channel == Referral.Channel.OTHER_LA
    assert "Bristol" in pupil.referral.submission["answers"]["school"]["last_school_area"]


def test_a_moving_out_notification_is_recorded_without_a_triage_item(cme_officer: User) -> None:
    notification, _ = services.record_la_notification(
        actor=cme_officer,
        kind=ReturnKind.LA_MOVING_OUT,
        other_la_code="801",
        notified_on=timezone.localdate(),
        answers=child(),
        token="b" * 43,
    )
    assert notification.pupils.get().outcome == ReturnedPupil.Outcome.RECORDED
    assert Referral.objects.exists() is False


def test_a_tampered_submission_is_read_tolerantly(school_user: User, school: School) -> None:
    school_return = sent_return(
        user=school_user,
        kind=ReturnKind.DELETION,
        pupils=[answers_for(ReturnKind.DELETION)],
        process=False,
    )
    SchoolReturn.objects.filter(pk=school_return.pk).update(
        submission={"pupils": [["not", "a", "pupil"], {"forename": 7, "date_of_birth": "31/02"}]}
    )
    school_return.refresh_from_db()
    processed = services.process_return(school_return=school_return, actor=school_user)
    assert processed.status == SchoolReturn.Status.PROCESSED
    assert processed.pupils.count() == 2


def test_abandoned_drafts_are_deleted(school_user: User) -> None:
    services.start_draft(actor=school_user, kind=ReturnKind.DELETION)
    assert services.delete_abandoned_drafts() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        assert services.delete_abandoned_drafts() == 1


def test_the_daily_command_deletes_abandoned_drafts(school_user: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.start_draft(actor=school_user, kind=ReturnKind.DELETION)
    out = StringIO()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        call_command("delete_abandoned_return_drafts", stdout=out)
    assert out.getvalue().strip() == "deleted=1"


def test_choosing_the_kind_twice_makes_one_draft(school_user: User) -> None:
    first = services.start_draft(actor=school_user, kind=ReturnKind.DELETION)
    assert services.start_draft(actor=school_user, kind=ReturnKind.DELETION) == first
    services.save_pupil(draft=first, number=None, answers=answers_for(ReturnKind.DELETION))
    assert services.start_draft(actor=school_user, kind=ReturnKind.DELETION) != first
    assert services.start_draft(actor=school_user, kind=ReturnKind.SICKNESS) != first
