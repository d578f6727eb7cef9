"""Signing in: password then TOTP, one message for every failure, rate limits, MFA for all."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from cme.accounts.models import Role, User
from cme.accounts.tests.factories import DEFAULT_PASSWORD, DEMO_TOTP_SECRET, UserFactory, has_totp

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
FAILED = "The email address and/or password you specified are not correct."


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def current_code(secret: str = DEMO_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in_with_password(client: Client, email: str, password: str) -> str:
    response = client.post(LOGIN, {"login": email, "password": password}, follow=True)
    return response.content.decode()


def test_a_password_alone_does_not_sign_in_and_the_code_does(
    client: Client, cme_officer: User
) -> None:
    page = sign_in_with_password(client, cme_officer.email, DEFAULT_PASSWORD)
    assert "Enter your security code" in page
    assert client.get("/children/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert client.get("/children/").status_code == 200


def test_a_wrong_code_is_refused_with_an_error_summary(client: Client, cme_officer: User) -> None:
    sign_in_with_password(client, cme_officer.email, DEFAULT_PASSWORD)
    wrong = "000000" if current_code() != "000000" else "111111"
    page = client.post("/accounts/2fa/authenticate/", {"code": wrong}).content.decode()
    assert "There is a problem" in page
    assert client.get("/children/").status_code == 302


def test_wrong_password_unknown_user_and_locked_account_look_the_same(client: Client) -> None:
    UserFactory.create(email="known@example.org")
    UserFactory.create(email="locked@example.org", is_active=False)
    wrong_password = sign_in_with_password(client, "known@example.org", "not the password")
    unknown_user = sign_in_with_password(client, "nobody@example.org", DEFAULT_PASSWORD)
    locked = sign_in_with_password(client, "locked@example.org", DEFAULT_PASSWORD)
    for page in (wrong_password, unknown_user, locked):
        assert "There is a problem" in page
        assert FAILED in page.replace("&#x27;", "'")


def test_repeated_failures_are_rate_limited(client: Client) -> None:
    UserFactory.create(email="target@example.org")
    for _ in range(5):
        sign_in_with_password(client, "target@example.org", "guess")
    page = sign_in_with_password(client, "target@example.org", DEFAULT_PASSWORD)
    assert "Too many failed login attempts" in page
    assert "Enter your security code" not in page


def test_staff_without_an_authenticator_must_set_one_up_first(client: Client) -> None:
    user = UserFactory.create(role=Role.CME_OFFICER, totp=False)
    sign_in_with_password(client, user.email, DEFAULT_PASSWORD)
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get(response["Location"]).content.decode()
    assert "Set up your authenticator app" in page
    assert has_totp(user) is False


def test_signed_in_pages_are_never_cached(client: Client, cme_officer: User) -> None:
    client.force_login(cme_officer)
    response = client.get("/children/")
    assert "no-store" in response["Cache-Control"]
