"""Every page passes axe-core's WCAG 2.2 AA rules, with JavaScript on, as the role that uses it.

axe finds about a third of WCAG failures; the keyboard journeys in test_journeys.py cover
some of the rest. A page whose content depends on data is checked with data in every section.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from cme.accounts.models import Role, User
from cme.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from cme.cases.categories import CaseCategory
from cme.cases.services import move_case, open_case
from cme.cases.workflow import CaseStatus
from cme.matching.models import IdentityMatch
from cme.matching.services import match_notification
from cme.provision import selectors as provision_selectors
from cme.provision.models import Panel
from cme.provision.rules import ProvisionRoute
from cme.provision.tests.factories import (
    admission_for,
    agenda_item_for,
    decided_case,
    located_case,
    meeting_with,
    placed_case,
)
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import ChildFactory, EndedEnrolmentFactory, pupil_at
from cme.referrals.tests.factories import ReceivedReferralFactory
from cme.reports import figures as report_figures
from cme.reports.figures import OffSitePupil, PupilAttendance, SchoolTermFigures
from cme.returns import services as return_services
from cme.transfers.monitoring import monitor_rolls

from .accessibility import assert_no_axe_violations
from .pages import ChildRecordPage, FindAChildPage, SecurityCodePage, SignIn, SignInPage

# serialized_rollback: reference data loaded by migrations (enquiry sources, LA codes)
# survives the flush after each live-server test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PERSONAS = [
    "cme_officer",
    "cme_manager",
    "school_user",
    "school_user_other_school",
    "partner_agency_user",
    "send_officer",
    "administrator",
]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Sign in to Children missing education"),
        ("/accounts/login/?timeout=1", "Sign in to Children missing education"),
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
        ("/refer/", "Tell us about a child who may be missing education"),
    ],
)
def test_public_page_is_accessible(page: Page, path: str, heading: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_no_axe_violations(page)


def test_sign_in_page_showing_errors_is_accessible(page: Page) -> None:
    signin = SignInPage.open(page)
    signin.submit("", "")
    expect(signin.error_summary).to_be_visible()
    assert_no_axe_violations(page)


def test_security_code_page_is_accessible(page: Page, cme_officer: User) -> None:
    SignInPage.open(page).sign_in(cme_officer.email, DEFAULT_PASSWORD)
    assert_no_axe_violations(page)


def test_security_code_page_showing_an_error_is_accessible(page: Page, cme_officer: User) -> None:
    security = SignInPage.open(page).sign_in(cme_officer.email, DEFAULT_PASSWORD)
    security.code.fill("12")
    security.sign_in_button.click()
    security = SecurityCodePage.expect_shown(page)
    expect(security.error_summary).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_page_is_accessible_for_each_role(
    page: Page, sign_in: SignIn, request: pytest.FixtureRequest, persona: str
) -> None:
    sign_in(request.getfixturevalue(persona))
    assert_no_axe_violations(page)


def test_find_a_child_before_searching_is_accessible(
    page: Page, sign_in: SignIn, cme_officer: User
) -> None:
    sign_in(cme_officer)
    FindAChildPage.open(page)
    assert_no_axe_violations(page)


def test_find_a_child_with_results_is_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    for forename in ("Ada", "Alfie", "Amelia"):
        pupil_at(school, forename=forename, surname="Lovelace")
    sign_in(cme_officer)
    finder = FindAChildPage.open(page).search("Lovelace")
    expect(finder.results_heading).to_have_text("3 children found")
    expect(finder.results.get_by_role("link")).to_have_count(3)  # each name opens the record
    assert_no_axe_violations(page)


def test_find_a_child_with_no_results_is_accessible(
    page: Page, sign_in: SignIn, cme_officer: User
) -> None:
    sign_in(cme_officer)
    finder = FindAChildPage.open(page).search("Nobody")
    expect(finder.results_heading).to_have_text("0 children found")
    assert_no_axe_violations(page)


def test_a_childs_full_record_is_accessible(
    page: Page, sign_in: SignIn, cme_manager: User, child_with_full_record: Child
) -> None:
    sign_in(cme_manager)
    record = ChildRecordPage.open(page, child_with_full_record.pk, child_with_full_record.full_name)
    expect(record.school_history.locator("tbody tr")).to_have_count(2)
    expect(record.addresses.locator("tbody tr")).to_have_count(2)
    expect(record.contacts.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="Tobi Okafor")).to_be_visible()
    assert_no_axe_violations(page)


def test_change_and_access_history_is_accessible_to_the_manager(
    page: Page, sign_in: SignIn, cme_manager: User, child_with_full_record: Child
) -> None:
    sign_in(cme_manager)
    record = ChildRecordPage.open(page, child_with_full_record.pk, child_with_full_record.full_name)
    record.history_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Change and access history for {child_with_full_record.full_name}"
    )
    expect(page.get_by_role("table", name="Changes, newest first")).to_be_visible()
    expect(page.get_by_role("table", name="Access log, newest first")).to_be_visible()
    assert_no_axe_violations(page)


def test_schools_list_and_a_school_page_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School, other_school: School
) -> None:
    sign_in(cme_officer)
    page.goto("/schools/")
    expect(page.get_by_role("table", name="Schools in the register")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=school.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(school.name)
    assert_no_axe_violations(page)


def test_page_not_found_is_accessible(
    page: Page, sign_in: SignIn, school_user_other_school: User, school: School
) -> None:
    """Another school's pupil is answered with 404, as if the child did not exist."""
    child = pupil_at(school)
    sign_in(school_user_other_school)
    response = page.goto(f"/children/{child.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_no_axe_violations(page)


def test_access_denied_is_accessible(page: Page, sign_in: SignIn, administrator: User) -> None:
    sign_in(administrator)
    response = page.goto("/children/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    assert_no_axe_violations(page)


def test_case_register_and_a_case_with_its_timeline_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    child = pupil_at(school, forename="Nadia", surname="Hussain")
    case = open_case(actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    sign_in(cme_officer)
    page.goto("/cases/")
    expect(page.get_by_role("table", name="Open cases")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Case {case.reference}")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Change status").click()  # nothing chosen: the error summary
    expect(page.get_by_role("alert")).to_contain_text("Select the case's new status")
    assert_no_axe_violations(page)


def test_opening_a_case_is_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    child = pupil_at(school)
    sign_in(cme_officer)
    page.goto(f"/children/{child.pk}/open-case/")
    assert_no_axe_violations(page)


def test_triage_inbox_and_a_referral_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    pupil_at(school, forename="Zoë", surname="O'Neill", date_of_birth=datetime.date(2015, 4, 3))
    referral = ReceivedReferralFactory.create()
    sign_in(cme_officer)
    page.goto("/referrals/")
    expect(page.get_by_role("table", name="Referrals waiting, oldest first")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=referral.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(referral.reference)
    assert_no_axe_violations(page)


def test_recording_a_referral_is_accessible_with_and_without_errors(
    page: Page, sign_in: SignIn, cme_officer: User
) -> None:
    sign_in(cme_officer)
    page.goto("/referrals/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a referral")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_role("alert")).to_contain_text("Select how the referral arrived")
    assert_no_axe_violations(page)


def test_a_case_with_enquiries_and_an_enquiry_page_are_accessible(
    page: Page, sign_in: SignIn, cme_manager: User, school: School
) -> None:
    child = pupil_at(school, forename="Hodan", surname="Warsame")
    case = open_case(actor=cme_manager, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    case = move_case(actor=cme_manager, case=case, to=CaseStatus.CHECKING)
    case = move_case(actor=cme_manager, case=case, to=CaseStatus.LOCATING)
    sign_in(cme_manager)
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_role("table", name="Enquiries")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Update the enquiry to Child Health").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquiry to Child Health")
    assert_no_axe_violations(page)


def test_a_welfare_concern_flag_and_its_pages_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    child = pupil_at(school, forename="Liberty", surname="Lee")
    sign_in(cme_officer)
    page.goto(f"/children/{child.pk}/welfare-concern/")
    assert_no_axe_violations(page)
    page.get_by_label("What is the concern?").fill("Not seen for three weeks; neighbours worried")
    page.get_by_role("button", name="Raise concern").click()
    expect(page.get_by_role("region", name="Welfare concern")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Record the referral to children's social care").click()
    assert_no_axe_violations(page)


def test_matches_to_check_and_a_match_with_its_explanations_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    birthday = datetime.date(2016, 9, 1)
    for forename in ("Ruby", "Rosa"):
        pupil_at(school, forename=forename, surname="Ashdown-Cole", date_of_birth=birthday)
    match = match_notification(
        source=IdentityMatch.Source.SCHOOL_RETURN,
        reference="RET-1",
        details={"surname": "Ashdown-Cole", "dob": birthday.isoformat()},
    )
    sign_in(cme_officer)
    page.goto("/matches/")
    expect(page.get_by_role("link", name="RET-1")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"/matches/{match.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which child is RET-1 about?")
    for summary in page.locator(".govuk-details__summary").all():
        summary.click()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_no_axe_violations(page)


def test_merging_a_duplicate_and_undoing_it_are_accessible(
    page: Page, sign_in: SignIn, cme_manager: User, school: School
) -> None:
    birthday = datetime.date(2015, 6, 2)
    survivor = pupil_at(school, forename="Amara", surname="Okafor", date_of_birth=birthday)
    duplicate = ChildFactory.create(forename="Amarah", surname="Okafor", date_of_birth=birthday)
    sign_in(cme_manager)
    page.goto(f"/children/{survivor.pk}/merge/")
    assert_no_axe_violations(page)
    page.goto(f"/children/{survivor.pk}/merge/{duplicate.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Why are these records the same child?").fill("Same child, name misspelt")
    page.get_by_role("button", name="Merge records").click()
    expect(page.get_by_text(re.compile("merged", re.IGNORECASE)).first).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"/children/{survivor.pk}/")
    page.get_by_role("link", name=re.compile("Undo this merge", re.IGNORECASE)).first.click()
    assert_no_axe_violations(page)


def test_case_work_pages_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, cme_manager: User, school: School
) -> None:
    """Home with overdue work, the workload page, a case with a letter, notes (one sensitive)
    and the owning services told, the letter form with its errors, a sensitive note, and a
    case whose whereabouts are unknown with its termly re-check."""
    from django.utils import timezone

    from cme.cases.models import Case
    from cme.cases.notes import add_note
    from cme.pupils.tests.factories import CarerFactory, CurrentAddressFactory

    child = pupil_at(school, forename="Nadia", surname="Hussain", looked_after=True)
    CurrentAddressFactory.create(child=child)
    CarerFactory.create(child=child, full_name="Samira Hussain")
    case = open_case(
        actor=cme_officer,
        child=child,
        category=CaseCategory.IDENTIFIED_MISSING,
        allocated_to=cme_officer,
    )
    add_note(actor=cme_officer, case=case, text="Neighbour says the family moved", sensitive=False)
    add_note(actor=cme_officer, case=case, text="Disclosure to the school nurse", sensitive=True)
    lost = open_case(
        actor=cme_officer,
        child=pupil_at(school, forename="Leo", surname="Marsh"),
        category=CaseCategory.IDENTIFIED_MISSING,
    )
    for step in (CaseStatus.CHECKING, CaseStatus.LOCATING, CaseStatus.WHEREABOUTS_UNKNOWN):
        lost = move_case(actor=cme_officer, case=lost, to=step)
    # Both cases long past their deadlines.
    Case.objects.filter(pk__in=[case.pk, lost.pk]).update(
        due_on=timezone.localdate() - datetime.timedelta(days=30)
    )

    sign_in(cme_manager)
    expect(page.get_by_role("heading", name="Your team's overdue work")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/cases/workload/")
    expect(page.get_by_role("table", name="Open cases by officer and status")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/cases/{case.pk}/letters/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a letter to the family")
    assert_no_axe_violations(page)
    page.get_by_label("School place offered").check()
    page.get_by_label("Samira Hussain").check()
    page.get_by_role("button", name="Generate the letter").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the school that offered the place")
    assert_no_axe_violations(page)
    page.get_by_label("We are trying to contact you").check()
    page.get_by_role("button", name="Generate the letter").click()
    expect(page.get_by_role("link", name=re.compile("Download \\(PDF\\)"))).to_be_visible()
    expect(page.get_by_text("A sensitive")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("link", name=re.compile("Read the sensitive note")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sensitive (safeguarding) note")
    assert_no_axe_violations(page)

    page.goto(f"/cases/{lost.pk}/")
    expect(page.get_by_role("heading", name="Termly re-check")).to_be_visible()
    page.get_by_role("button", name="Record the re-check").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what you checked again this term")
    assert_no_axe_violations(page)

    page.context.clear_cookies()  # signed out: now as the officer
    sign_in(cme_officer)
    expect(page.get_by_role("heading", name="Your overdue work")).to_be_visible()
    assert_no_axe_violations(page)


# Provision and reports (issue 8) ------------------------------------------------------------


def _accessible(page: Page, path: str, heading: str | re.Pattern[str]) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page)


def test_the_cme_teams_provision_pages_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    located = located_case(actor=cme_officer)
    decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    placing, placement = placed_case(actor=cme_officer)
    monkeypatch.setattr(
        provision_selectors,
        "post_placement_attendance",
        lambda **_: provision_selectors.SessionCounts(possible=40, attended=30),
    )
    sign_in(cme_officer)
    _accessible(page, "/provision/", "Securing education")
    _accessible(page, f"/cases/{placing.pk}/provision/", f"Provision for case {placing.reference}")
    _accessible(page, f"/cases/{located.pk}/provision/decide/", "Decide the route to education")
    page.get_by_role("button", name="Save the route").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the route to education")
    assert_no_axe_violations(page)
    _accessible(page, f"/placements/{placement.pk}/", re.compile("^Placement at "))
    page.get_by_role("button", name="Record the start").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the child started")
    assert_no_axe_violations(page)


def test_the_route_teams_pages_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, send_officer: User, school: School
) -> None:
    applying = decided_case(ProvisionRoute.MAINSTREAM, actor=cme_officer)
    send_case = decided_case(ProvisionRoute.SEND, actor=cme_officer)
    admissions = UserFactory.create(role=Role.ADMISSIONS)
    sign_in(admissions)
    _accessible(page, "/admissions/", "School place applications")
    _accessible(
        page,
        f"/admissions/{admission_for(applying).pk}/",
        f"School place for {applying.child.full_name}",
    )
    page.get_by_role("button", name="Record the offer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the school")
    assert_no_axe_violations(page)
    _accessible(page, f"/admissions/places/{school.pk}/", f"Places at {school.name}")
    page.get_by_label("Year 3").fill("2")
    page.get_by_role("button", name="Save places").click()
    _accessible(page, "/admissions/places/", "Places available at each school")
    page.context.clear_cookies()
    sign_in(send_officer)
    _accessible(page, "/send/", "Cases referred to the SEND team")
    _accessible(page, f"/send/{send_case.pk}/", f"{send_case.child.full_name}: SEND placement")


def test_the_panel_pages_and_papers_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User
) -> None:
    waiting = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    on_agenda = decided_case(ProvisionRoute.FAIR_ACCESS, actor=cme_officer)
    meeting = meeting_with(on_agenda)
    psm = UserFactory.create(role=Role.PUPIL_SUPPORT_MANAGER)
    sign_in(psm)
    _accessible(page, "/panels/", "Behaviour and Attendance Panels")
    _accessible(page, "/panels/meetings/new/", "Schedule a panel meeting")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the locality")
    assert_no_axe_violations(page)
    _accessible(page, f"/panels/meetings/{meeting.pk}/", re.compile("panel, "))
    item = agenda_item_for(on_agenda)
    _accessible(page, f"/panels/items/{item.pk}/", f"Panel decision on case {on_agenda.reference}")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the panel decided")
    assert_no_axe_violations(page)
    _accessible(page, f"/panels/items/{agenda_item_for(waiting).pk}/", re.compile("Panel decision"))
    member = UserFactory.create(role=Role.PANEL_MEMBER)
    Panel.objects.get(pk=meeting.panel_id).members.add(member)
    page.context.clear_cookies()
    sign_in(member)
    _accessible(page, "/panel-papers/", "Panel papers")
    _accessible(page, f"/panel-papers/{meeting.pk}/", re.compile("^Panel papers, "))


def test_the_report_pages_are_accessible(
    page: Page,
    sign_in: SignIn,
    cme_manager: User,
    school: School,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    low = pupil_at(school, forename="Ruby", surname="Ashdown")
    away = pupil_at(school, forename="Liberty", surname="Lee")
    stub = SchoolTermFigures(
        school_possible=300,
        school_attended=270,
        authority_possible=10_000,
        authority_attended=9_300,
        national_percent=94.5,
        pupils=(
            PupilAttendance(low.pk, "Ruby Ashdown", "Year 3", 100, 70),
            PupilAttendance(away.pk, "Liberty Lee", "Year 5", 100, 96),
        ),
        off_site=(OffSitePupil(away.pk, "Liberty Lee", "Year 5", 12, "Tuition service"),),
    )
    monkeypatch.setattr(report_figures, "school_term_figures", lambda **_: stub)
    located_case(actor=cme_manager)
    sign_in(cme_manager)
    _accessible(page, "/reports/", "Reports")
    _accessible(page, f"/reports/schools/{school.pk}/", re.compile(f"^{school.name}: "))
    _accessible(page, "/reports/dfe-cme-return/", "DfE children missing education return")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Show the counts").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    assert_no_axe_violations(page)


def test_the_roll_removals_page_is_accessible(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    EndedEnrolmentFactory.create(school=school, deletion_ground="h")
    EndedEnrolmentFactory.create(school=school, end_date=datetime.date(2025, 9, 19))
    monitor_rolls(today=datetime.date(2025, 10, 1))
    sign_in(cme_officer)
    _accessible(page, "/transfers/rolls/", "Roll removals to look at")
    page.get_by_role("button", name="Mark done").first.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Item marked done")
    assert_no_axe_violations(page)


def test_the_deletion_agreement_pages_are_accessible(
    page: Page, sign_in: SignIn, school_user: User, cme_officer: User, school: School
) -> None:
    child = pupil_at(school, forename="Amara", surname="Okafor")
    return_services.request_deletion_agreement(
        actor=school_user, child=child, ground="i", note="Letters and a home visit"
    )
    EndedEnrolmentFactory.create(school=school, deletion_ground="h")
    sign_in(cme_officer)
    _accessible(page, "/returns/deletions/", "Deletions agreed with the local authority")
    page.get_by_role("link", name="Record agreement").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the authority's agreement")
    page.get_by_role("button", name="Record agreement").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    page.context.clear_cookies()
    sign_in(school_user)
    _accessible(page, "/returns/", "School returns")
    _accessible(page, "/returns/deletions/request/", "Ask the authority to agree a deletion")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


def test_recording_home_education_is_accessible_with_and_without_errors(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    child = pupil_at(school, forename="Noor", surname="Haddad")
    case = open_case(actor=None, child=child, category=CaseCategory.IDENTIFIED_MISSING)
    for status in (CaseStatus.CHECKING, CaseStatus.LOCATING, CaseStatus.LOCATED):
        case = move_case(actor=None, case=case, to=status)
    sign_in(cme_officer)
    page.goto(f"/cases/{case.pk}/provision/home-education/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Home education")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record home education").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
