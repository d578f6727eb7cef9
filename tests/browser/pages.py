"""Page objects: what a user sees and does on each page, so tests read as journeys.

Locators go by role and label, as assistive technology would, wherever the page gives one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Locator, Page, expect

from cme.accounts.models import User


def title_starting(text: str) -> re.Pattern[str]:
    """A GOV.UK page title: `text`, the service and the council separated by en dashes,
    with "Error: " first when the page shows a form error."""
    # A \u escape, not \N{...}: Playwright hands the pattern to JavaScript's RegExp.
    return re.compile(f"^(Error: )?{re.escape(text)} \u2013 ")


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now (allauth accepts the neighbouring periods too)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def tab_until_focused(page: Page, target: Locator, *, max_presses: int = 40) -> int:
    """Press Tab until `target` has focus, as a keyboard user would; returns the presses used."""
    for presses in range(max_presses + 1):
        if target.evaluate("element => element === document.activeElement"):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never received focus after {max_presses} presses of Tab")


class BasePage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.skip_link = page.get_by_role("link", name="Skip to main content")
        self.navigation = page.get_by_role("navigation", name="Menu")
        self.main = page.get_by_role("main")
        # The component's root, which GOV.UK Frontend focuses (its role="alert" is inside).
        self.error_summary = page.locator(".govuk-error-summary")

    def navigation_links(self) -> list[str]:
        return [text.strip() for text in self.navigation.get_by_role("link").all_inner_texts()]


class SignInPage(BasePage):
    path = "/accounts/login/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.email = page.get_by_label("Email address")
        self.password = page.get_by_label("Password", exact=True)
        self.continue_button = page.get_by_role("button", name="Continue")

    @classmethod
    def open(cls, page: Page) -> SignInPage:
        page.goto(cls.path)
        signin = cls(page)
        expect(signin.heading).to_contain_text("Sign in")
        return signin

    def submit(self, email: str, password: str) -> None:
        self.email.fill(email)
        self.password.fill(password)
        self.continue_button.click()

    def sign_in(self, email: str, password: str) -> SecurityCodePage:
        self.submit(email, password)
        return SecurityCodePage.expect_shown(self.page)


class SecurityCodePage(BasePage):
    title = "Enter your security code"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        # By name, not by label: the label's wording is checked by its own test.
        self.code = page.locator("input[name=code]")
        self.sign_in_button = page.get_by_role("button", name="Sign in")

    @classmethod
    def expect_shown(cls, page: Page) -> SecurityCodePage:
        expect(page).to_have_title(title_starting(cls.title))
        return cls(page)

    def enter_code_for(self, secret: str) -> HomePage:
        self.code.fill(current_totp_code(secret))
        self.sign_in_button.click()
        return HomePage.expect_shown(self.page)


class HomePage(BasePage):
    path = "/"

    @classmethod
    def expect_shown(cls, page: Page) -> HomePage:
        home = cls(page)
        expect(page).to_have_title(title_starting("Home"))
        return home


class FindAChildPage(BasePage):
    path = "/children/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.search_box = page.get_by_label("Search for a child")
        self.search_button = page.get_by_role("button", name="Search")
        self.results_heading = page.locator("#results-heading")
        self.results = page.get_by_role("table", name="Children matching your search")

    @classmethod
    def open(cls, page: Page) -> FindAChildPage:
        page.goto(cls.path)
        return cls.expect_shown(page)

    @classmethod
    def expect_shown(cls, page: Page) -> FindAChildPage:
        finder = cls(page)
        expect(finder.heading).to_have_text("Find a child")
        return finder

    def search(self, query: str) -> FindAChildPage:
        self.search_box.fill(query)
        self.search_button.click()
        expect(self.results_heading).to_be_visible()
        return self

    def result_link(self, full_name: str) -> Locator:
        return self.results.get_by_role("link", name=full_name, exact=True)

    def open_child(self, full_name: str) -> ChildRecordPage:
        self.result_link(full_name).click()
        return ChildRecordPage.expect_shown(self.page, full_name)


class ChildRecordPage(BasePage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.school_history = page.get_by_role("table", name="Schools", exact=True)
        self.addresses = page.get_by_role("table", name="Address history")
        self.contacts = page.get_by_role("table", name="Contacts")
        self.history_link = page.get_by_role("link", name="Change and access history")

    @classmethod
    def open(cls, page: Page, child_id: int, full_name: str) -> ChildRecordPage:
        page.goto(f"/children/{child_id}/")
        return cls.expect_shown(page, full_name)

    @classmethod
    def expect_shown(cls, page: Page, full_name: str) -> ChildRecordPage:
        record = cls(page)
        expect(record.heading).to_have_text(full_name)
        return record

    def school_names(self) -> list[str]:
        return self.school_history.locator("tbody tr > :first-child").all_inner_texts()


# What the `sign_in` fixture returns: sign a persona in through the real pages.
SignIn = Callable[[User], HomePage]
