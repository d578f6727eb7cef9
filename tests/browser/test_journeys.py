"""User journeys in a real browser: signing in with password and TOTP, finding a child, the
keyboard alone, JavaScript off, the session-timeout warning, and navigation by role."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect
from pytest_django.fixtures import Settings

from cme.accounts.models import User
from cme.accounts.tests.factories import DEFAULT_PASSWORD, DEMO_TOTP_SECRET
from cme.pupils.models import Child, School
from cme.pupils.tests.factories import pupil_at

from .accessibility import assert_no_axe_violations
from .pages import (
    BasePage,
    ChildRecordPage,
    FindAChildPage,
    HomePage,
    SecurityCodePage,
    SignIn,
    SignInPage,
    current_totp_code,
    tab_until_focused,
    title_starting,
)

# serialized_rollback: reference data loaded by migrations (enquiry sources, LA codes)
# survives the flush after each live-server test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FAILED_SIGN_IN = "The email address and/or password you specified are not correct."


def assert_first_tab_reaches_skip_link(page: Page) -> BasePage:
    """On a freshly loaded page, the first Tab lands on "Skip to main content"."""
    current = BasePage(page)
    page.keyboard.press("Tab")
    expect(current.skip_link).to_be_focused()
    expect(current.skip_link).to_be_visible()  # GOV.UK's skip link shows itself on focus
    return current


def test_an_officer_finds_a_childs_school_history_with_the_keyboard_alone(
    page: Page,
    cme_officer: User,
    child_with_full_record: Child,
    school: School,
    other_school: School,
) -> None:
    page.goto(SignInPage.path)
    signin = SignInPage(page)
    assert_first_tab_reaches_skip_link(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), (
        "After the skip link, the next Tab should land inside the main content"
    )
    tab_until_focused(page, signin.email)
    page.keyboard.type(cme_officer.email)
    tab_until_focused(page, signin.password)
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")

    security = SecurityCodePage.expect_shown(page)
    assert_first_tab_reaches_skip_link(page)
    tab_until_focused(page, security.code)
    page.keyboard.type(current_totp_code(DEMO_TOTP_SECRET))
    page.keyboard.press("Enter")

    # No skip-link check here: GOV.UK Frontend moves focus to the "signed in" success
    # banner so that screen readers announce it, and Tab carries on from there.
    home = HomePage.expect_shown(page)
    tab_until_focused(page, home.main.get_by_role("link", name="Children"))
    page.keyboard.press("Enter")

    finder = FindAChildPage.expect_shown(page)
    assert_first_tab_reaches_skip_link(page)
    tab_until_focused(page, finder.search_box)
    page.keyboard.type("Amara Okafor")
    page.keyboard.press("Enter")
    expect(finder.results_heading).to_have_text("1 child found")
    tab_until_focused(page, finder.result_link(child_with_full_record.full_name))
    page.keyboard.press("Enter")

    record = ChildRecordPage.expect_shown(page, child_with_full_record.full_name)
    assert_first_tab_reaches_skip_link(page)
    assert record.school_names() == [school.name, other_school.name]
    expect(record.school_history).to_contain_text("On roll")
    expect(record.school_history).to_contain_text("(a) Registered at another school")


def test_a_wrong_password_gets_the_same_answer_as_an_unknown_email(
    page: Page, cme_officer: User
) -> None:
    """The sign-in page never tells anyone which email addresses have accounts."""
    answers = []
    for email, password in [
        (cme_officer.email, "not the password"),
        ("nobody@example.org", DEFAULT_PASSWORD),
    ]:
        signin = SignInPage.open(page)
        signin.submit(email, password)
        expect(signin.error_summary).to_be_visible()
        expect(page).to_have_title(title_starting("Error: Sign in"))
        answers.append(signin.error_summary.inner_text())
    wrong_password, unknown_email = answers
    assert FAILED_SIGN_IN in wrong_password
    assert wrong_password == unknown_email


def test_signing_in_and_finding_a_child_work_with_javascript_off(
    new_context: Callable[..., BrowserContext],
    cme_officer: User,
    child_with_full_record: Child,
    school: School,
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    security = SignInPage.open(page).sign_in(cme_officer.email, DEFAULT_PASSWORD)
    security.enter_code_for(DEMO_TOTP_SECRET)
    expect(page.locator("#session-timeout-dialog")).to_be_hidden()
    finder = FindAChildPage.open(page).search("Okafor")
    expect(finder.results_heading).to_have_text("2 children found")
    record = finder.open_child(child_with_full_record.full_name)
    assert school.name in record.school_names()


def test_the_session_timeout_warning_lets_an_officer_stay_signed_in(
    page: Page, sign_in: SignIn, cme_officer: User, settings: Settings
) -> None:
    """WCAG 2.2.1: warned a minute before an idle session ends, and able to extend it.

    The idle limit is two minutes, not one: with the warning as long as the limit, the
    warning would be due the moment the page loads and the test could not tell a warning
    that waits from one that does not. The live server runs in this process, so the
    override reaches it; the page's fake clock makes the minutes pass at once."""
    settings.SESSION_IDLE_MINUTES = 2
    settings.SESSION_WARNING_MINUTES = 1
    page.clock.install()
    sign_in(cme_officer)
    dialog = page.locator("#session-timeout-dialog")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("00:50")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("00:11")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("dialog", name="You will be signed out soon")).to_be_visible()
    expect(dialog).to_contain_text("you will be signed out in 1 minute")
    expect(stay).to_be_focused()
    assert_no_axe_violations(page)

    with page.expect_response("**/session/keep-alive/") as keep_alive:
        stay.click()
    assert keep_alive.value.status == 204
    expect(dialog).to_be_hidden()

    # Staying signed in starts the idle time again, so the warning comes back a minute later;
    # Escape also means "stay signed in".
    page.clock.fast_forward("01:01")
    expect(stay).to_be_focused()
    with page.expect_response("**/session/keep-alive/"):
        page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


@pytest.mark.parametrize(
    ("persona", "sees_children"),
    [
        ("cme_officer", True),
        ("school_user", True),
        ("partner_agency_user", False),
        ("administrator", False),
    ],
)
def test_the_service_navigation_shows_only_what_the_role_may_open(
    page: Page,
    sign_in: SignIn,
    request: pytest.FixtureRequest,
    persona: str,
    sees_children: bool,
) -> None:
    home = sign_in(request.getfixturevalue(persona))
    links = home.navigation_links()
    assert ("Children" in links) is sees_children
    assert links[0] == "Home"
    assert links[-1] == "Sign out"
    # GOV.UK's service navigation marks the current section with aria-current.
    expect(home.navigation.get_by_role("link", name="Home")).to_have_attribute(
        "aria-current", re.compile(r"^(page|true)$")
    )


def test_gov_uk_frontend_scripts_run_under_the_content_security_policy(page: Page) -> None:
    """The template's inline script marks <body> `govuk-frontend-supported`; without it no
    GOV.UK Frontend or MOJ component starts (error summary focus, password reveal, skip
    link focus). The CSP must let it run by its nonce."""
    blocked: list[str] = []

    def note_csp_errors(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", note_csp_errors)
    signin = SignInPage.open(page)
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    assert blocked == []
    signin.submit("", "")
    expect(signin.error_summary).to_be_focused()
    expect(page.get_by_role("button", name="Show password")).to_be_visible()


def test_the_security_code_page_asks_its_question_in_the_heading(
    page: Page, cme_officer: User
) -> None:
    """The code field's label is the page's h1, so it must say what to do, as the title does."""
    security = SignInPage.open(page).sign_in(cme_officer.email, DEFAULT_PASSWORD)
    expect(security.heading).to_have_text("Enter your security code")
    expect(page.get_by_label("Enter your security code")).to_be_editable()


def test_the_sign_in_page_offers_a_password_reset_once_and_not_in_the_hint(page: Page) -> None:
    signin = SignInPage.open(page)
    expect(page.locator('a[href="/accounts/password/reset/"]')).to_have_count(1)
    expect(signin.password).not_to_have_accessible_description(re.compile("password", re.I))


def test_results_appear_as_the_officer_types_and_the_address_keeps_the_search(
    page: Page, sign_in: SignIn, cme_officer: User, school: School
) -> None:
    pupil_at(school, forename="William", surname="Hartley")
    sign_in(cme_officer)
    finder = FindAChildPage.open(page)
    finder.search_box.press_sequentially("Bill Hartley")
    expect(finder.results_heading).to_have_text("1 child found")
    expect(finder.result_link("William Hartley")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 child found")
    expect(page).to_have_url(re.compile(r"/children/\?q=Bill\+Hartley$"))
