"""A form posted after the session ended is kept and given back after signing in again."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from cme.accounts.models import User
from cme.web import drafts

pytestmark = pytest.mark.django_db


def test_a_post_after_the_session_ended_is_kept_without_secrets(
    client: Client, cme_officer: User
) -> None:
    response = client.post(
        "/session/keep-alive/",
        {
            "note": "Visited the family; nobody home",
            "password": "hunter2",
            "csrfmiddlewaretoken": "x",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    kept = client.session[drafts.SESSION_KEY]["/session/keep-alive/"]
    assert kept == {"note": ["Visited the family; nobody home"]}
    login_page = client.get(response["Location"]).content.decode()
    assert "what you typed will be shown" in login_page

    client.force_login(cme_officer)  # signing in keeps the anonymous session's data
    request = RequestFactory().get("/session/keep-alive/")
    request.session = client.session
    restored = drafts.take_draft(request)
    assert restored is not None
    assert restored.get("note") == "Visited the family; nobody home"
    assert drafts.take_draft(request) is None


def test_a_huge_post_is_not_kept(client: Client) -> None:
    client.post("/session/keep-alive/", {"note": "x" * (drafts.MAX_DRAFT_BYTES + 1)})
    assert drafts.SESSION_KEY not in client.session
