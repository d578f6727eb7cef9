"""Sending email through GOV.UK Notify, the public sector's notification service.

Owns the one way the service emails people outside it (referrers, families): a template in
the council's Notify account, filled in with personalisation. Which sender is used is a
setting: the real Notify client when an API key is configured, a sender that logs only the
template and reference (never the address or the content) when not, and a recording sender
in tests, whose outbox the tests read, like Django's `mail.outbox`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class NotifyError(Exception):
    """Notify refused or could not be reached; the message says why (never the content)."""


class EmailSender(Protocol):
    def send_email(
        self, *, to: str, template_id: str, personalisation: Mapping[str, str], reference: str
    ) -> str:
        """Send one email; returns Notify's id for it. Raises NotifyError."""
        ...


class GovukNotifySender:
    """The real service, through the official `notifications-python-client`."""

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self._client = NotificationsAPIClient(settings.NOTIFY_API_KEY)  # type: ignore[no-untyped-call]  # the client is untyped

    def send_email(
        self, *, to: str, template_id: str, personalisation: Mapping[str, str], reference: str
    ) -> str:
        from notifications_python_client.errors import APIError

        try:
            response: dict[str, Any] = self._client.send_email_notification(  # type: ignore[no-untyped-call]  # the client is untyped
                email_address=to,
                template_id=template_id,
                personalisation=dict(personalisation),
                reference=reference,
            )
        except APIError as error:
            msg = f"GOV.UK Notify refused the email ({error.status_code})"
            raise NotifyError(msg) from error
        except OSError as error:
            msg = "GOV.UK Notify could not be reached"
            raise NotifyError(msg) from error
        return str(response["id"])


class LoggingSender:
    """For development without a Notify key: logs that an email would go, and nothing else."""

    def send_email(
        self, *, to: str, template_id: str, personalisation: Mapping[str, str], reference: str
    ) -> str:
        logger.info("Email not sent (no NOTIFY_API_KEY): template %s, %s", template_id, reference)
        return f"not-sent-{uuid.uuid4()}"


@dataclass(frozen=True)
class SentEmail:
    to: str
    template_id: str
    personalisation: Mapping[str, str]
    reference: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))


class RecordingSender:
    """For tests: keeps every email in `RecordingSender.outbox`."""

    outbox: ClassVar[list[SentEmail]] = []

    def send_email(
        self, *, to: str, template_id: str, personalisation: Mapping[str, str], reference: str
    ) -> str:
        sent = SentEmail(to, template_id, dict(personalisation), reference)
        RecordingSender.outbox.append(sent)
        return sent.id


def email_sender() -> EmailSender:
    """The configured sender: NOTIFY_EMAIL_SENDER, else Notify when a key is set."""
    path = settings.NOTIFY_EMAIL_SENDER or (
        "cme.lib.notify.GovukNotifySender"
        if settings.NOTIFY_API_KEY
        else "cme.lib.notify.LoggingSender"
    )
    sender: EmailSender = import_string(path)()
    return sender


def template_id(name: str) -> str:
    """The Notify template id configured for `name` (empty when not configured)."""
    return str(settings.NOTIFY_TEMPLATES.get(name, ""))
