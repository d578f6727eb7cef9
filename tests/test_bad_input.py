"""Garbage posted or typed into any form gets a page, never a server error."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme.accounts.models import User

pytestmark = pytest.mark.django_db

# Any text a browser could send, including control characters, emoji and very long values.
garbage = st.text(max_size=3000) | st.sampled_from(
    ["O'Neill", "Zoë", "Nowak-Kowalska", "\x00", "😀" * 500]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=garbage)
def test_any_search_text_gets_a_page(client: Client, cme_officer: User, query: str) -> None:
    client.force_login(cme_officer)
    response = client.get("/children/", {"q": query})
    assert response.status_code == 200


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(login=garbage, password=garbage)
def test_any_sign_in_attempt_gets_the_form_back(client: Client, login: str, password: str) -> None:
    cache.clear()  # rate limits would otherwise answer after five tries
    response = client.post("/accounts/login/", {"login": login, "password": password})
    assert response.status_code in {200, 429}
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
