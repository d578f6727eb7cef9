"""Whatever is typed or posted into any referral page gets a page, never a server error."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme.referrals.fields import GovukDate
from cme.referrals.forms import ParentForm
from cme.referrals.journey import STEPS
from cme.web.dates import DATE_PARTS

pytestmark = pytest.mark.django_db

# Any text a browser could send: control characters, emoji, diacritics, 10,000 characters.
garbage = (
    st.text(max_size=300)
    | st.sampled_from(["O'Neill", "Zoë", "Nowak-Kowalska", "\x00", "😀" * 500, "31", "2999"])
    | st.builds(lambda char, n: char * n, st.characters(codec="utf-8"), st.integers(9_000, 10_000))
)


def _field_names(form_class: type) -> list[str]:
    names: list[str] = []
    for name, spec in form_class.base_fields.items():  # type: ignore[attr-defined]
        if isinstance(spec, GovukDate):
            names.extend(f"{name}_{part}" for part in DATE_PARTS)
        else:
            names.append(name)
    return names


PAGES = [
    *[(f"/refer/{step.slug}/", _field_names(step.form_class)) for step in STEPS if step.form_class],
    ("/refer/parents-and-carers/", ["add_another"]),
    ("/refer/parent-or-carer/", _field_names(ParentForm)),
    ("/refer/check-answers/", []),
]


@pytest.mark.parametrize(("path", "fields"), PAGES, ids=[path for path, _ in PAGES])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_answer_to_any_page_gets_a_page_not_an_error(
    client: Client, path: str, fields: list[str], data: st.DataObject
) -> None:
    cache.clear()  # the page limit would otherwise answer 429 part of the way through
    posted = {name: data.draw(garbage, label=name) for name in fields}
    response = client.post(path, posted)
    assert response.status_code < 500
    assert response.status_code in {200, 302}
    follow = client.get(path)
    assert follow.status_code == 200
