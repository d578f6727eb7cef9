"""Every page passes axe-core's WCAG 2.2 AA rules, with JavaScript on, as the role that uses it.

axe finds about a third of WCAG failures; the keyboard journeys in test_journeys.py cover
some of the rest. A page whose content depends on data is checked with data in every section.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from cme.accounts.models import User
from cme.accounts.tests.factories import DEFAULT_PASSWORD
from cme.cases.categories import CaseCategory
from cme.cases.services import move_case, open_case
from cme.cases.workflow import CaseStatus
from cme.matching.models import IdentityMatch
from cme.matching.services import match_notification
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import pupil_at
from cme.referrals.tests.factories import ReceivedReferralFactory

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
