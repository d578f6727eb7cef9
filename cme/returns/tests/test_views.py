"""The return pages, as a school's attendance staff and the CME team use them."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.matching.models import IdentityMatch
from cme.pupils.models import School
from cme.pupils.tests.factories import pupil_at
from cme.referrals.models import Referral
from cme.returns import services
from cme.returns.kinds import ReturnKind
from cme.returns.models import ReturnDraft, ReturnedPupil, SchoolReturn

from .factories import answers_for, days_ago, la_posted, posted_pupil, sent_return

pytestmark = pytest.mark.django_db


def _start(client: Client, kind: ReturnKind) -> ReturnDraft:
    response = client.post("/returns/new/", {"kind": kind.value})
    assert response.status_code == 302
    draft = ReturnDraft.objects.latest("id")
    assert response["Location"] == f"/returns/drafts/{draft.pk}/pupil/"
    return draft


def test_a_school_sends_a_deletion_return_naming_two_pupils_and_gets_a_reference(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.DELETION)
    page = f"/returns/drafts/{draft.pk}/pupil/"
    first = client.post(page, {**posted_pupil(ReturnKind.DELETION), "action": "add_another"})
    assert first["Location"] == page
    second = posted_pupil(ReturnKind.DELETION, forename="Nikolai", surname="Nowak-Kowalska")
    response = client.post(page, {**second, "action": "continue"})
    assert response["Location"] == f"/returns/drafts/{draft.pk}/check/"
    check = client.get(response["Location"]).content.decode()
    assert "Pupil 1: Zoë O&#39;Neill" in check
    assert "Pupil 2: Nikolai Nowak-Kowalska" in check
    sent = client.post(f"/returns/drafts/{draft.pk}/check/")
    school_return = SchoolReturn.objects.get()
    assert sent["Location"] == f"/returns/{school_return.pk}/"
    confirmation = client.get(sent["Location"]).content.decode()
    assert "Return sent" in confirmation
    assert school_return.reference in confirmation
    assert school_return.school == school_user.school
    assert school_return.status == SchoolReturn.Status.PROCESSED
    assert [p["surname"] for p in school_return.submission["pupils"]] == [
        "O'Neill",
        "Nowak-Kowalska",
    ]
    assert school_return.pupils.count() == 2


def test_sending_the_same_return_twice_makes_one_record(client: Client, school_user: User) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.SICKNESS)
    client.post(f"/returns/drafts/{draft.pk}/pupil/", posted_pupil(ReturnKind.SICKNESS))
    first = client.post(f"/returns/drafts/{draft.pk}/check/")
    again = client.post(f"/returns/drafts/{draft.pk}/check/")
    assert SchoolReturn.objects.count() == 1
    assert first["Location"] == again["Location"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.RETURN_RECEIVED).count() == 1


def test_a_deletion_after_failed_joint_enquiries_arrives_in_the_triage_inbox_matched(
    client: Client, school_user: User, school: School, cme_officer: User
) -> None:
    pupil_at(
        school,
        forename="Zoë",
        surname="O'Neill",
        date_of_birth=__import__("datetime").date(2015, 4, 3),
    )
    client.force_login(school_user)
    draft = _start(client, ReturnKind.DELETION)
    client.post(
        f"/returns/drafts/{draft.pk}/pupil/",
        posted_pupil(ReturnKind.DELETION, deletion_ground="i", destination_school=""),
    )
    client.post(f"/returns/drafts/{draft.pk}/check/")
    pupil = ReturnedPupil.objects.get()
    assert pupil.outcome == ReturnedPupil.Outcome.TRIAGE
    referral = pupil.referral
    assert referral is not None
    assert referral.channel == Referral.Channel.SCHOOL_RETURN
    match = IdentityMatch.objects.get(
        source=IdentityMatch.Source.REFERRAL, source_reference=referral.reference
    )
    assert pupil.match == match
    client.force_login(cme_officer)
    inbox = client.get("/referrals/").content.decode()
    assert referral.reference in inbox
    detail = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "ground (i)" in html.unescape(detail)


def test_another_schools_staff_cannot_open_a_schools_draft_or_return(
    client: Client, school_user: User, school_user_other_school: User
) -> None:
    draft_client = Client()
    draft_client.force_login(school_user)
    draft = _start(draft_client, ReturnKind.DELETION)
    sent = sent_return(user=school_user, kind=ReturnKind.ATTENDANCE, pupils=[])
    client.force_login(school_user_other_school)
    for path in (
        f"/returns/drafts/{draft.pk}/pupil/",
        f"/returns/drafts/{draft.pk}/check/",
        f"/returns/{sent.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/returns/drafts/{draft.pk}/check/").status_code == 404
    assert sent.reference not in client.get("/returns/").content.decode()


def test_every_question_left_blank_is_named_in_the_error_summary(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.DELETION)
    response = client.post(f"/returns/drafts/{draft.pk}/pupil/", {"action": "continue"})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page
    for message in (
        "Enter the pupil's first name",
        "Enter the pupil's date of birth",
        "Select the pupil's sex",
        "Enter the pupil's address",
        "Select the ground for deletion",
        "Enter the date the ground for deletion was met",
        "Enter the full name of parent or carer 1",
        "Enter an emergency telephone number for parent or carer 1",
    ):
        assert message in page
    # The summary lists the problems in the order of the questions on the page.
    assert page.index("Enter the pupil's first name") < page.index("Select the ground for")
    assert services_pupils(draft) == []


def services_pupils(draft: ReturnDraft) -> list[dict[str, str]]:
    draft.refresh_from_db()
    return services.draft_pupils(draft)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ground_met_on": days_ago(-1)}, "Date the ground was met must be today or in the past"),
        ({"date_of_birth": days_ago(0)}, "Date of birth must be in the past"),
        ({"date_of_birth": "1990-01-01"}, "Date of birth must be the same as or after"),
        ({"ground_met_on": "2014-01-01"}, "Date the ground was met must be after the pupil"),
        ({"forename": "x" * 10_000}, "First name must be 100 characters or less"),
        ({"upn": "A80120001400Z"}, "Enter a UPN in the correct format"),
        ({"postcode": "not a postcode"}, "Enter a real postcode, like BA1 1JG"),
        ({"parent_1_phone": "call me"}, "Enter a telephone number, like 01632 960 001"),
        (
            {"parent_2_name": "Jan Nowak"},
            "Enter an emergency telephone number for parent or carer 2",
        ),
        ({"deletion_ground": "z"}, "Select one of the options"),
    ],
)
def test_each_bad_answer_gets_a_message_in_the_questions_own_words(
    client: Client, school_user: User, overrides: dict[str, str], message: str
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.DELETION)
    response = client.post(
        f"/returns/drafts/{draft.pk}/pupil/", posted_pupil(ReturnKind.DELETION, **overrides)
    )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())


def test_an_impossible_date_names_the_box_to_correct(client: Client, school_user: User) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.SICKNESS)
    data = {
        **posted_pupil(ReturnKind.SICKNESS),
        "sickness_began_on_day": "31",
        "sickness_began_on_month": "2",
    }
    response = client.post(f"/returns/drafts/{draft.pk}/pupil/", data)
    page = html.unescape(response.content.decode())
    assert "First day of sickness must be a real date" in page
    assert 'href="#id_sickness_began_on_day"' in page


def test_names_keep_apostrophes_diacritics_and_emoji_but_lose_control_characters(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.NEW_PUPIL)
    data = posted_pupil(
        ReturnKind.NEW_PUPIL, forename="Zoë\x00\x1b 🌟", surname="O'Neill-Nowak-Kowalska"
    )
    assert client.post(f"/returns/drafts/{draft.pk}/pupil/", data).status_code == 302
    client.post(f"/returns/drafts/{draft.pk}/check/")
    school_return = SchoolReturn.objects.get()
    assert school_return.submission["pupils"][0]["forename"] == "Zoë 🌟"
    assert school_return.pupils.get().surname == "O'Neill-Nowak-Kowalska"


def test_ten_days_absence_needs_its_first_day_at_least_eleven_days_ago(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.ATTENDANCE)
    page = f"/returns/drafts/{draft.pk}/pupil/"
    missing = client.post(page, posted_pupil(ReturnKind.ATTENDANCE, absence_began_on=""))
    assert "Enter the first day of the continuous absence" in html.unescape(
        missing.content.decode()
    )
    recent = client.post(page, posted_pupil(ReturnKind.ATTENDANCE, absence_began_on=days_ago(3)))
    assert "must be at least 11 days ago" in recent.content.decode()
    irregular = posted_pupil(
        ReturnKind.ATTENDANCE, attendance_reason="irregular", absence_began_on=""
    )
    assert client.post(page, irregular).status_code == 302


def test_a_nil_attendance_return_is_one_button_and_says_so(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.ATTENDANCE)
    response = client.post(f"/returns/drafts/{draft.pk}/pupil/", {"action": "nil"})
    assert response["Location"] == f"/returns/drafts/{draft.pk}/check/"
    assert "this is a nil return" in client.get(response["Location"]).content.decode()
    sent = client.post(f"/returns/drafts/{draft.pk}/check/")
    detail = client.get(sent["Location"]).content.decode()
    assert "Attendance return (nil return)" in detail
    assert SchoolReturn.objects.get().is_nil is True


def test_continuing_with_a_blank_page_after_adding_pupils_goes_to_check_answers(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.FAILED_TO_START)
    page = f"/returns/drafts/{draft.pk}/pupil/"
    client.post(page, {**posted_pupil(ReturnKind.FAILED_TO_START), "action": "add_another"})
    response = client.post(page, {"action": "continue"})
    assert response["Location"] == f"/returns/drafts/{draft.pk}/check/"
    assert len(services_pupils(draft)) == 1


def test_a_pupil_is_changed_and_removed_from_check_answers(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    draft = _start(client, ReturnKind.FAILED_TO_START)
    page = f"/returns/drafts/{draft.pk}/pupil/"
    client.post(page, {**posted_pupil(ReturnKind.FAILED_TO_START), "action": "add_another"})
    client.post(page, posted_pupil(ReturnKind.FAILED_TO_START, forename="Nikolai"))
    change = client.get(f"{page}?number=2")
    assert 'value="Nikolai"' in change.content.decode()
    client.post(f"{page}?number=2", posted_pupil(ReturnKind.FAILED_TO_START, forename="Mikołaj"))
    assert client.get(f"{page}?number=3").status_code == 404
    assert client.get(f"{page}?number=x").status_code == 404
    remove = f"/returns/drafts/{draft.pk}/pupils/1/remove/"
    assert "Remove Zoë O&#39;Neill from this return?" in client.get(remove).content.decode()
    client.post(remove)
    assert [p["forename"] for p in services_pupils(draft)] == ["Mikołaj"]
    assert client.get(f"/returns/drafts/{draft.pk}/pupils/5/remove/").status_code == 404


def test_the_school_home_shows_what_was_sent_and_what_is_overdue(
    client: Client, school_user: User
) -> None:
    sent = sent_return(
        user=school_user, kind=ReturnKind.SICKNESS, pupils=[answers_for(ReturnKind.SICKNESS)]
    )
    client.force_login(school_user)
    page = client.get("/returns/").content.decode()
    assert sent.reference in page
    assert "Overdue" in page
    assert "School returns" in page


def test_an_officer_sees_a_failed_return_with_its_error_and_processes_it_again(
    client: Client, school_user: User, cme_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "cme.returns.services.triage_services.match_referral",
        lambda **_: (_ for _ in ()).throw(RuntimeError("register offline")),
    )
    school_return = sent_return(
        user=school_user,
        kind=ReturnKind.NO_DESTINATION,
        pupils=[answers_for(ReturnKind.NO_DESTINATION)],
    )
    monkeypatch.undo()
    client.force_login(school_user)
    school_page = html.unescape(client.get(f"/returns/{school_return.pk}/").content.decode())
    assert "register offline" in school_page
    assert "Zoë" in school_page  # what the school sent is shown, as sent
    assert "Process the return again" not in school_page
    client.force_login(cme_officer)
    listing = client.get("/returns/").content.decode()
    assert "Needing attention" in listing
    assert school_return.reference in listing
    response = client.post(f"/returns/{school_return.pk}/process/")
    assert response["Location"] == f"/returns/{school_return.pk}/"
    school_return.refresh_from_db()
    assert school_return.status == SchoolReturn.Status.PROCESSED
    detail = client.get(f"/returns/{school_return.pk}/").content.decode()
    assert school_return.pupils.get().referral.reference in detail  # type: ignore[union-attr]


def test_an_officer_filters_by_school_and_sees_its_overdue_returns(
    client: Client, cme_officer: User, school: School
) -> None:
    client.force_login(cme_officer)
    page = client.get("/returns/", {"school": school.pk}).content.decode()
    assert f"Overdue at {school.name}" in page
    assert client.get("/returns/", {"school": "nonsense"}).status_code == 200


def test_an_officer_records_a_notification_from_another_authority_once(
    client: Client, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    data = la_posted()
    first = client.post("/returns/other-authority/", data)
    again = client.post("/returns/other-authority/", data)
    notification = SchoolReturn.objects.get()
    assert first["Location"] == again["Location"] == f"/returns/{notification.pk}/"
    assert "Notification recorded" in client.get(first["Location"]).content.decode()
    assert notification.kind == ReturnKind.LA_MOVING_IN
    referral = notification.pupils.get().referral
    assert referral is not None
    assert referral.channel == Referral.Channel.OTHER_LA


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the other local authority's code"),
        ("8O1", "Local authority code must be 3 numbers, like 801"),
        ("999", "Enter the code of a local authority in England or Wales"),
        ("800", "Enter the other local authority's code, not our own"),
    ],
)
def test_the_other_authoritys_code_is_checked(
    client: Client, cme_officer: User, code: str, message: str
) -> None:
    client.force_login(cme_officer)
    response = client.post("/returns/other-authority/", la_posted(other_la_code=code))
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert SchoolReturn.objects.exists() is False


def test_a_refused_notification_keeps_its_token_so_the_corrected_one_is_sent_once(
    client: Client, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    token = "k" * 43
    refused = client.post("/returns/other-authority/", la_posted(forename="", token=token))
    assert f'name="token" value="{token}"' in refused.content.decode()


def test_school_staff_cannot_record_another_authoritys_notification(
    client: Client, school_user: User
) -> None:
    client.force_login(school_user)
    assert client.get("/returns/other-authority/").status_code == 403
