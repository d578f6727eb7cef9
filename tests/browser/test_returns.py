"""A school's attendance officer makes a return naming two pupils, in a real browser: every
page passes axe-core's WCAG 2.2 AA rules, errors included, and the journey works with
JavaScript off ("Add another pupil" is a plain submit button)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from cme.accounts.models import User
from cme.accounts.tests.factories import DEFAULT_PASSWORD, DEMO_TOTP_SECRET
from cme.returns.models import SchoolReturn

from .accessibility import assert_no_axe_violations
from .pages import BasePage, SignIn, SignInPage

# serialized_rollback: reference data loaded by migrations (enquiry sources, LA codes)
# survives the flush after each live-server test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class PupilPage(BasePage):
    """One pupil's answers in a return. Questions repeat between sections (each parent has a
    "Full name"), so boxes are found by their id, as the error summary links to them."""

    def fill_date(self, name: str, day: datetime.date) -> None:
        self.page.locator(f"#id_{name}_day").fill(str(day.day))
        self.page.locator(f"#id_{name}_month").fill(str(day.month))
        self.page.locator(f"#id_{name}_year").fill(str(day.year))

    def fill_deleted_pupil(self, *, forename: str, surname: str, ground: str) -> None:
        self.page.get_by_label("First name").fill(forename)
        self.page.get_by_label("Last name").fill(surname)
        self.fill_date("date_of_birth", datetime.date(2015, 4, 3))
        self.page.get_by_label("Female").check()
        self.page.get_by_label("Pupil's address").fill("1 Abbey Street\nBath")
        self.page.get_by_label("Ground for deletion (regulation 9)").select_option(ground)
        self.fill_date("ground_met_on", timezone.localdate())
        self.page.locator("#id_parent_1_name").fill("Ewa Nowak-Kowalska")
        self.page.locator("#id_parent_1_phone").fill("07700 900982")

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button).click()


def _start_a_deletion_return(page: Page) -> PupilPage:
    page.get_by_role("button", name="Make a return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you need to tell us about?")
    page.get_by_label("Deletion from the admission register").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pupil 1")
    return PupilPage(page)


def test_a_school_sends_a_return_naming_two_pupils_and_every_page_is_accessible(
    page: Page, sign_in: SignIn, school_user: User
) -> None:
    home = sign_in(school_user)
    home.navigation.get_by_role("link", name="School returns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School returns")
    expect(page.get_by_role("table", name="Overdue returns, oldest first")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Make a return").click()
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    expect(page.get_by_role("alert")).to_contain_text("Select what you need to tell us about")
    assert_no_axe_violations(page)
    page.get_by_label("Deletion from the admission register").check()
    page.get_by_role("button", name="Continue").click()

    pupil = PupilPage(page)
    expect(pupil.heading).to_have_text("Pupil 1")
    assert_no_axe_violations(page)
    pupil.press("Save and continue")  # every required answer missing
    expect(pupil.error_summary).to_contain_text("Enter the pupil's first name")
    expect(pupil.error_summary).to_contain_text("Select the ground for deletion")
    assert_no_axe_violations(page)
    pupil.error_summary.get_by_role("link", name="Enter the pupil's first name").click()
    expect(page.get_by_label("First name")).to_be_focused()

    pupil.fill_deleted_pupil(forename="Zoë", surname="O'Neill", ground="i")
    pupil.press("Add another pupil")
    expect(pupil.heading).to_have_text("Pupil 2")
    expect(page.get_by_role("main")).to_contain_text("Zoë O'Neill")
    pupil.fill_deleted_pupil(forename="Mikołaj", surname="Nowak-Kowalska", ground="a")
    pupil.press("Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your return before sending it")
    expect(page.get_by_role("heading", name="Pupil 2: Mikołaj Nowak-Kowalska")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send return").click()

    school_return = SchoolReturn.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return sent")
    expect(page.locator(".govuk-panel")).to_contain_text(school_return.reference)
    expect(page.get_by_role("heading", name="Pupil 1: Zoë O'Neill")).to_be_visible()
    assert_no_axe_violations(page)
    assert school_return.pupils.count() == 2


def test_a_return_is_made_and_sent_once_with_javascript_off(
    new_context: Callable[..., BrowserContext], school_user: User
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    SignInPage.open(page).sign_in(school_user.email, DEFAULT_PASSWORD).enter_code_for(
        DEMO_TOTP_SECRET
    )
    page.goto("/returns/")
    pupil = _start_a_deletion_return(page)
    pupil.fill_deleted_pupil(forename="Zoë", surname="O'Neill", ground="a")
    pupil.press("Add another pupil")
    expect(pupil.heading).to_have_text("Pupil 2")
    pupil.fill_deleted_pupil(forename="Aoife", surname="Ní Bhriain", ground="k")
    pupil.press("Save and continue")
    page.get_by_role("button", name="Send return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return sent")
    school_return = SchoolReturn.objects.get()
    assert [pupil.surname for pupil in school_return.pupils.all()] == ["O'Neill", "Ní Bhriain"]


def test_an_officer_records_another_authoritys_notification_and_the_pages_are_accessible(
    page: Page, sign_in: SignIn, cme_officer: User
) -> None:
    home = sign_in(cme_officer)
    home.navigation.get_by_role("link", name="School returns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School returns")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record a notification from another local authority").click()
    page.get_by_label("The other local authority's code").fill("999")
    page.get_by_role("button", name="Record notification").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Enter the code of a local authority in England or Wales")
    expect(alert).to_contain_text("Enter the child's first name")
    assert_no_axe_violations(page)
    page.get_by_label("Moving into our area").check()
    page.get_by_label("The other local authority's code").fill("801")
    today = timezone.localdate()
    page.locator("#id_notified_on_day").fill(str(today.day))
    page.locator("#id_notified_on_month").fill(str(today.month))
    page.locator("#id_notified_on_year").fill(str(today.year))
    page.get_by_label("First name").fill("Niamh")
    page.get_by_label("Last name").fill("O'Sullivan")
    page.get_by_role("button", name="Record notification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification recorded")
    expect(page.get_by_role("link", name="Referral CME-")).to_be_visible()
    assert_no_axe_violations(page)
