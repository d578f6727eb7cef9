"""The GOV.UK Notify sender: the official client called as documented, its errors mapped."""

from __future__ import annotations

from typing import Any

import pytest
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from pytest_django.fixtures import Settings

from cme.lib.notify import GovukNotifySender, LoggingSender, NotifyError, email_sender

# The shape of a Notify key (name, service id, secret); not a real key.
FAKE_KEY = (
    "test-" + "11111111-1111-4111-8111-111111111111" + "-" + "22222222-2222-4222-8222-222222222222"
)


def test_the_client_is_called_with_the_template_personalisation_and_reference(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NOTIFY_API_KEY = FAKE_KEY
    calls: list[dict[str, Any]] = []

    def record(self: NotificationsAPIClient, **kwargs: Any) -> dict[str, str]:
        calls.append(kwargs)
        return {"id": "abc"}

    monkeypatch.setattr(NotificationsAPIClient, "send_email_notification", record)
    sent = GovukNotifySender().send_email(
        to="a@example.org", template_id="t-1", personalisation={"reference": "R"}, reference="R"
    )
    assert sent == "abc"
    assert calls == [
        {
            "email_address": "a@example.org",
            "template_id": "t-1",
            "personalisation": {"reference": "R"},
            "reference": "R",
        }
    ]


def test_a_refusal_becomes_a_notify_error_without_the_content(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NOTIFY_API_KEY = FAKE_KEY

    class RefusedError(APIError):
        status_code = 400

    def refuse(self: NotificationsAPIClient, **kwargs: Any) -> dict[str, str]:
        raise RefusedError

    monkeypatch.setattr(NotificationsAPIClient, "send_email_notification", refuse)
    with pytest.raises(NotifyError, match=r"refused the email \(400\)") as raised:
        GovukNotifySender().send_email(
            to="a@example.org", template_id="t", personalisation={}, reference="R"
        )
    assert "a@example.org" not in str(raised.value)


def test_without_a_key_emails_are_only_logged(settings: Settings) -> None:
    settings.NOTIFY_EMAIL_SENDER = ""
    settings.NOTIFY_API_KEY = ""
    assert isinstance(email_sender(), LoggingSender)
    settings.NOTIFY_API_KEY = FAKE_KEY
    assert isinstance(email_sender(), GovukNotifySender)
