"""Every URL, as anonymous, as each role and with an out-of-scope object.

A view not listed in PROTECTED or PUBLIC fails `test_every_view_is_in_the_matrix`, so a new
view cannot ship without a decision on who may open it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cme.accounts.models import User
from cme.attendance.models import AttendanceTrigger
from cme.cases.categories import CaseCategory
from cme.cases.notes import add_note
from cme.cases.services import case_enquiries, move_case, open_case
from cme.cases.tests.factories import LetterFactory
from cme.cases.workflow import CaseStatus
from cme.matching.models import IdentityMatch
from cme.matching.services import match_notification
from cme.provision.tests.factories import provision_objects
from cme.pupils.merging import merge_children
from cme.pupils.models import School
from cme.pupils.safeguarding import raise_welfare_concern
from cme.pupils.tests.factories import ChildFactory, pupil_at
from cme.referrals.staff_referrals import attach_original
from cme.referrals.tests.factories import ReceivedReferralFactory
from cme.returns import services as return_services
from cme.returns.kinds import ReturnKind
from cme.returns.tests.factories import answers_for, sent_return
from cme.transfers.tests.factories import lost_pupil_on_worklist

# URL name → the permission a view requires (None: any signed-in member of staff).
PROTECTED: dict[str, str | None] = {
    "home": None,
    "web:keep_alive": None,
    "accounts:sign_out": None,
    "matching:find_child": "pupils.view_child",
    "pupils:child_detail": "pupils.view_child",
    "pupils:child_history": "pupils.view_child_history",
    "pupils:raise_concern": "pupils.view_child",
    "pupils:record_safeguarding_referral": "pupils.record_safeguarding_referral",
    "pupils:merge_child": "pupils.merge_children",
    "pupils:confirm_merge": "pupils.merge_children",
    "pupils:undo_merge": "pupils.merge_children",
    "pupils:school_list": "pupils.view_school",
    "pupils:school_detail": "pupils.view_school",
    "referrals:inbox": "referrals.triage_referral",
    "referrals:referral_detail": "referrals.triage_referral",
    "referrals:record_referral": "referrals.record_referral",
    "referrals:download_original": "referrals.triage_referral",
    "cases:case_list": "cases.view_case",
    "cases:case_detail": "cases.view_case",
    "cases:open_case": "cases.open_case",
    "cases:move_case": "cases.change_case",
    "cases:allocate_case": "cases.change_case",
    "cases:close_case": "cases.change_case",
    "cases:reopen_case": "cases.change_case",
    "cases:update_enquiry": "cases.change_case",
    "cases:record_contact_attempt": "cases.change_case",
    "cases:workload": "cases.view_workload",
    "cases:record_recheck": "cases.change_case",
    "cases:add_note": "cases.change_case",
    "cases:read_note": "cases.read_sensitive_notes",
    "cases:write_letter": "cases.change_case",
    "cases:download_letter": "cases.view_case",
    "matching:review_queue": "matching.review_match",
    "attendance:child_attendance": "attendance.view_attendance",
    "attendance:worklist": "attendance.view_triggers",
    "attendance:trigger_detail": "attendance.view_triggers",
    "attendance:authority_attendance": "attendance.view_figures",
    "attendance:school_attendance": "attendance.view_figures",
    "matching:match_detail": "matching.review_match",
    "transfers:worklist": "transfers.search_lost_pupils",
    "transfers:work_item": "transfers.search_lost_pupils",
    "transfers:forward_ctf": "transfers.export_ctf",
    "transfers:lost_pupil_search": "transfers.search_lost_pupils",
    "transfers:lost_pupil_detail": "transfers.search_lost_pupils",
    "transfers:file_list": "transfers.import_ctf",
    "transfers:upload_ctf": "transfers.import_ctf",
    "transfers:file_detail": "transfers.import_ctf",
    "transfers:download_file": "transfers.import_ctf",
    "transfers:child_ctf": "transfers.export_ctf",
    "transfers:roll_worklist": "transfers.search_lost_pupils",
    "returns:home": "returns.view_returns",
    "returns:choose_kind": "returns.make_return",
    "returns:pupil": "returns.make_return",
    "returns:check_answers": "returns.make_return",
    "returns:remove_pupil": "returns.make_return",
    "returns:return_detail": "returns.view_returns",
    "returns:process_return": "returns.process_return",
    "returns:record_la_notification": "returns.record_la_notification",
    "returns:deletion_agreements": "returns.view_returns",
    "returns:request_deletion_agreement": "returns.request_deletion_agreement",
    "returns:agree_deletion": "returns.agree_deletion",
    "provision:home": "provision.decide_provision",
    "provision:case_provision": "provision.decide_provision",
    "provision:decide": "provision.decide_provision",
    "provision:home_education": "provision.decide_provision",
    "provision:record_placement": "provision.decide_provision",
    "provision:placement": "provision.decide_provision",
    "provision:admissions": "provision.view_admissions",
    "provision:admission": "provision.record_admission",
    "provision:places": "provision.view_admissions",
    "provision:school_places": "provision.record_admission",
    "provision:send_cases": "provision.view_send_cases",
    "provision:send_case": "provision.view_send_cases",
    "provision:panels": "provision.manage_panels",
    "provision:new_meeting": "provision.manage_panels",
    "provision:meeting": "provision.manage_panels",
    "provision:agenda_item": "provision.manage_panels",
    "provision:papers": "provision.view_panel_papers",
    "provision:meeting_papers": "provision.view_panel_papers",
    "provision:meeting_papers_pdf": "provision.view_panel_papers",
    "reports:home": "reports.view_school_reports",
    "reports:school_report": "reports.view_school_reports",
    "reports:school_report_pdf": "reports.view_school_reports",
    "reports:dfe_return": "reports.view_dfe_return",
    "reports:dfe_return_csv": "reports.view_dfe_return",
}

# Views that answer without signing in (docs/interfaces.md "Public pages").
PUBLIC = {
    "web:health",
    "web:accessibility",
    "web:privacy",
    # The public referral journey under /refer/ (cme/referrals/journey.py holds its order).
    "referrals:start",
    "referrals:child_name",
    "referrals:date_of_birth",
    "referrals:about_child",
    "referrals:address",
    "referrals:moved",
    "referrals:parents",
    "referrals:parent",
    "referrals:siblings",
    "referrals:emergency_contacts",
    "referrals:school",
    "referrals:reason",
    "referrals:support",
    "referrals:attempts",
    "referrals:safety",
    "referrals:other_details",
    "referrals:referrer",
    "referrals:referrer_contact",
    "referrals:check_answers",
    "referrals:confirmation",
    "referrals:your_referral",
}
PUBLIC_PREFIXES = ("/accounts/",)  # sign-in, password reset and MFA pages (django-allauth)
POST_ONLY = {
    "web:keep_alive",
    "cases:move_case",
    "cases:allocate_case",
    "cases:close_case",
    "cases:reopen_case",
    "cases:record_contact_attempt",
    "cases:record_recheck",
    "cases:add_note",
    "returns:process_return",
}
# What an empty POST answers when the user may make it: 204, or the page with its errors.
POST_ALLOWED_STATUS = {"web:keep_alive": 204, "returns:process_return": 302}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif entry.name:
            yield Route(
                name=f"{namespace}{entry.name}",
                route=prefix + str(entry.pattern),
                params=tuple(entry.pattern.regex.groupindex),
            )


def all_routes() -> list[Route]:
    return [
        route
        for route in _walk(get_resolver().url_patterns)
        if not route.route.startswith(("accounts/", "admin/"))
    ]


def test_every_view_is_in_the_matrix() -> None:
    unlisted = sorted(
        r.name for r in all_routes() if r.name not in PROTECTED and r.name not in PUBLIC
    )
    assert unlisted == [], f"Decide who may open these views and add them to the matrix: {unlisted}"


@pytest.fixture
def objects(db: None, school: School, school_user: User) -> dict[str, int]:
    """One object of each kind: in `school_user`'s scope, out of `school_user_other_school`'s."""
    child = pupil_at(school)
    case = open_case(actor=None, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    case = move_case(actor=None, case=case, to=CaseStatus.CHECKING)
    case = move_case(actor=None, case=case, to=CaseStatus.LOCATING)  # starts the enquiries
    enquiry = case_enquiries(case=case)[0]
    note = add_note(actor=None, case=case, text="Sensitive", sensitive=True)
    letter = LetterFactory.create(case=case)
    concern = raise_welfare_concern(actor=None, child=child, concern="Bruise on arm")
    duplicate = ChildFactory.create()  # a record the child's could be merged with
    merge = merge_children(
        actor=None, survivor=child, duplicate=ChildFactory.create(), reason="Same child"
    )
    referral = ReceivedReferralFactory.create()
    original = attach_original(
        actor=None,
        referral=referral,
        upload=SimpleUploadedFile("letter.pdf", b"%PDF-1.7 synthetic letter"),
    )
    match = match_notification(
        source=IdentityMatch.Source.REFERRAL,
        reference=referral.reference,
        details={"forename": child.forename, "surname": child.surname},
    )
    # A return and an unsent draft of `school_user`'s (their school's), one pupil in each.
    school_return = sent_return(
        user=school_user, kind=ReturnKind.SICKNESS, pupils=[answers_for(ReturnKind.SICKNESS)]
    )
    draft = return_services.save_pupil(
        draft=return_services.start_draft(actor=school_user, kind=ReturnKind.DELETION),
        number=None,
        answers=answers_for(ReturnKind.DELETION),
    )
    agreement = return_services.request_deletion_agreement(
        actor=school_user, child=child, ground="h", note="Letters and a home visit"
    )
    lost = lost_pupil_on_worklist()  # a lost-pupil CTF from another authority, on the worklist
    trigger = AttendanceTrigger.objects.create(
        child=child,
        school=school,
        school_year=2025,
        rule="unauthorised_absence_10_days",
        start_date=datetime.date(2025, 12, 1),
        fired_on=datetime.date(2025, 12, 12),
        detail="10 school days without authorisation",
        opened_at=timezone.now(),
    )
    return {
        **provision_objects(),  # a SEND case, an application, a panel meeting, a placement
        "note_id": note.pk,
        "letter_id": letter.pk,
        "item_id": lost.pk,
        "pupil_id": lost.lost_pupil_id,
        "file_id": lost.lost_pupil.file_id,
        "return_id": school_return.pk,
        "draft_id": draft.pk,
        "agreement_id": agreement.pk,
        "number": 1,
        "match_id": match.pk,
        "enquiry_id": enquiry.pk,
        "concern_id": concern.pk,
        "original_id": original.pk,
        "child_id": child.pk,
        "duplicate_id": duplicate.pk,
        "merge_id": merge.pk,
        "school_id": school.pk,
        "case_id": case.pk,
        "referral_id": referral.pk,
        "trigger_id": trigger.pk,
    }


def path_for(route: Route, objects: dict[str, int]) -> str:
    return reverse(route.name, kwargs={param: objects[param] for param in route.params})


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_routes(), ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_sign_in_except_on_public_pages(
    client: Client, route: Route, objects: dict[str, int]
) -> None:
    path = path_for(route, objects)
    response = client.post(path) if route.name in POST_ONLY else client.get(path)
    if route.name in PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in all_routes() if r.name in PROTECTED], ids=lambda r: r.name
)
def test_each_role_gets_exactly_what_its_permission_and_scope_allow(
    route: Route, personas: dict[str, User], objects: dict[str, int]
) -> None:
    permission = PROTECTED[route.name]
    path = path_for(route, objects)
    for persona, user in personas.items():
        client = Client()
        client.force_login(user)
        response = client.post(path) if route.name in POST_ONLY else client.get(path)
        allowed = permission is None or user.has_perm(permission)
        out_of_scope = bool(
            {"child_id", "concern_id", "return_id", "draft_id"} & set(route.params)
        ) and persona in {
            "school_user_other_school",
            "send_officer",
        }
        if not allowed:
            expected = 403
        elif out_of_scope:
            expected = 404
        elif route.name in POST_ONLY:
            expected = POST_ALLOWED_STATUS.get(route.name, 400)
        elif route.name == "cases:open_case":
            expected = 302  # the child already has an open case: shown that one
        else:
            expected = 200
        assert response.status_code == expected, f"{persona} on {path}"


@pytest.mark.django_db
def test_a_tampered_or_foreign_child_id_answers_404_like_a_missing_one(
    client: Client, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    assert client.get("/children/999999999/").status_code == 404
    assert client.get("/children/99999999999999999999999/").status_code == 404


@pytest.mark.django_db
def test_the_admin_is_open_only_to_administrators(personas: dict[str, User]) -> None:
    for persona, user in personas.items():
        client = Client()
        client.force_login(user)
        response = client.get("/admin/")
        assert (response.status_code == 200) is (persona == "administrator"), persona


@pytest.mark.django_db
def test_the_admin_has_no_password_only_sign_in(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
