"""A form posted after the session ended is kept and given back, filled in, after signing in."""

from __future__ import annotations

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.cases.tests.factories import OpenCaseFactory
from cme.cases.workflow import CaseStatus
from cme.pupils.tests.factories import ChildFactory
from cme.web import drafts

pytestmark = pytest.mark.django_db


def test_a_post_after_the_session_ended_is_kept_without_secrets(client: Client) -> None:
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


def test_a_case_change_typed_before_the_session_ended_is_given_back_on_the_case_page(
    client: Client, cme_officer: User
) -> None:
    case = OpenCaseFactory.create()
    page = f"/cases/{case.pk}/"
    response = client.post(
        f"/cases/{case.pk}/close/",
        {
            "version": str(case.version),
            "reason": "moved_la",
            "note": "Confirmed by Wiltshire CME officer",
            "draft_page": page,
            "draft_form": "close",
        },
    )
    assert response["Location"] == f"/accounts/login/?next={page}"

    client.force_login(cme_officer)  # signing in keeps the anonymous session's data
    restored = client.get(page)
    html = restored.content.decode()
    assert restored.status_code == 200
    assert "Your session ended before your change was saved" in html
    assert "Confirmed by Wiltshire CME officer" in html
    assert 'value="moved_la" checked' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED  # nothing was saved without the user's say-so
    assert "Confirmed by Wiltshire" not in client.get(page).content.decode()  # given back once


def test_a_draft_page_outside_the_service_is_ignored(client: Client) -> None:
    response = client.post(
        "/session/keep-alive/", {"note": "x", "draft_page": "//evil.example/steal"}
    )
    assert response["Location"] == "/accounts/login/?next=/session/keep-alive/"


def test_opening_a_case_gives_back_the_answers_typed_before_the_session_ended(
    client: Client, cme_officer: User
) -> None:
    child = ChildFactory.create()
    page = f"/children/{child.pk}/open-case/"
    client.post(
        page,
        {"category": "not_started", "summary": "Did not start Year 7", "draft_form": "open_case"},
    )
    client.force_login(cme_officer)
    html = client.get(page).content.decode()
    assert "Did not start Year 7" in html


def test_a_huge_post_is_not_kept(client: Client) -> None:
    client.post("/session/keep-alive/", {"note": "x" * (drafts.MAX_DRAFT_BYTES + 1)})
    assert drafts.SESSION_KEY not in client.session
