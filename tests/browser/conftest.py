"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

The live server runs in a thread of the test process, so `settings` overrides and factory
data reach it; it serves /static/ from STATICFILES_DIRS (static_build) through Django's
StaticFilesHandler. A browser is never downloaded: `/usr/bin/chromium` is the only one used.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from cme.accounts.models import User
from cme.accounts.tests.factories import DEFAULT_PASSWORD, DEMO_TOTP_SECRET
from cme.pupils import services as pupil_services
from cme.pupils.models import Child, Contact, DeletionGround, School, VulnerabilityFlag
from cme.pupils.tests.factories import (
    CarerFactory,
    ChildWithEhcPlanFactory,
    CurrentAddressFactory,
    CurrentEnrolmentFactory,
    EndedEnrolmentFactory,
    HouseholdFactory,
    pupil_at,
)

from .pages import HomePage, SignIn, SignInPage

# Playwright's sync API keeps an event loop running in the main thread for the whole session,
# which trips Django's async-safety check on every ORM call made by fixtures and factories.
# The test process is not serving anything asynchronously, so the check only gets in the way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # pytest-socket guards only this process; Chromium is another. Left alone, it looks up
    # content-autofill.googleapis.com on every page with a form, plus accounts.google.com and
    # update.googleapis.com. With every host name but localhost unresolvable, it reaches
    # nothing but the live server (and the autofill queries are not even attempted).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
    "--disable-features=AutofillServerCommunication",
]
BUILT_ASSETS = Path(settings.BASE_DIR) / "static_build" / "js" / "application.js"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # The driver talks to Playwright over pipes and to Chromium over --remote-debugging-pipe,
    # so pytest-socket's --disable-socket (Unix sockets allowed) does not get in its way.
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    if not BUILT_ASSETS.exists():
        pytest.fail(f"Front-end assets are not built ({BUILT_ASSETS} missing): run `npm run build`")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The sign-in rate limits and allauth's "TOTP code already used" marks live in the
    (per-process, locmem) cache; without this, the tenth sign-in of the run is refused."""
    cache.clear()


@pytest.fixture
def base_url(live_server: LiveServer) -> str:
    return str(live_server.url)


@pytest.fixture
def new_context(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Opens browser contexts on the live server and checks, when the test ends, that no page
    asked for anything other than the live server (fonts, scripts or images from elsewhere
    would break offline council networks and the CSP)."""
    contexts: list[BrowserContext] = []
    elsewhere: list[str] = []
    own_origin = urlsplit(base_url).netloc

    def note_foreign_request(request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in {"data", "blob"} and url.netloc != own_origin:
            elsewhere.append(request.url)

    def open_context(*, java_script_enabled: bool = True) -> BrowserContext:
        context = browser.new_context(
            base_url=base_url,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=java_script_enabled,
        )
        context.set_default_timeout(10_000)
        context.on("request", note_foreign_request)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert elsewhere == [], f"Pages asked for resources off the live server: {elsewhere}"


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def sign_in(page: Page) -> SignIn:
    """Signs a persona in through the real pages: email and password, then the TOTP code."""

    def sign_in_as(user: User) -> HomePage:
        security_code_page = SignInPage.open(page).sign_in(user.email, DEFAULT_PASSWORD)
        return security_code_page.enter_code_for(DEMO_TOTP_SECRET)

    return sign_in_as


@pytest.fixture
def child_with_full_record(school: School, other_school: School, cme_officer: User) -> Child:
    """A looked-after child with an EHC plan, two schools, two addresses, a carer, a sibling
    and a change in the audit trail: every section of the record page has something in it."""
    household = HouseholdFactory.create()
    child = ChildWithEhcPlanFactory.create(
        forename="Amara",
        middle_names="Grace",
        surname="Okafor",
        former_surnames="Adeyemi",
        looked_after=True,
        vulnerability_flags=[VulnerabilityFlag.NEW_TO_COUNTRY, VulnerabilityFlag.YOUNG_CARER],
        household=household,
    )
    EndedEnrolmentFactory.create(
        child=child,
        school=other_school,
        start_date=datetime.date(2022, 9, 5),
        end_date=datetime.date(2024, 7, 19),
        deletion_ground=DeletionGround.A,
        destination_school=school,
    )
    CurrentEnrolmentFactory.create(child=child, school=school)
    CurrentAddressFactory.create(child=child, moved_in=datetime.date(2024, 8, 1))
    CurrentAddressFactory.create(
        child=child,
        town="Keynsham",
        postcode="BS31 1AA",
        moved_in=datetime.date(2019, 3, 1),
        moved_out=datetime.date(2024, 7, 31),
    )
    CarerFactory.create(child=child)
    CarerFactory.create(
        child=child,
        relationship=Contact.Relationship.GRANDPARENT,
        parental_responsibility=False,
        lives_with_child=False,
        emergency_contact=True,
        phone="",
    )
    pupil_at(school, forename="Tobi", surname="Okafor", household=household)
    pupil_services.update_child(actor=cme_officer, child=child, preferred_name="Mara")
    return child
