"""Whatever is typed or posted into any return page gets a page, never a server error; and
names as schools type them are kept as typed, in one record however often "Send" is pressed."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme.accounts.models import User
from cme.referrals.fields import GovukDate, clean_text
from cme.returns import services
from cme.returns.forms import PUPIL_FORMS, LaNotificationForm, ReturnForm
from cme.returns.kinds import SCHOOL_KINDS, ReturnKind
from cme.returns.models import ReturnDraft, SchoolReturn
from cme.web.dates import DATE_PARTS

from .factories import la_posted, posted_pupil

pytestmark = pytest.mark.django_db

# Any text a browser could send: control characters, emoji, diacritics, 10,000 characters.
garbage = (
    st.text(max_size=300)
    | st.sampled_from(["O'Neill", "Zoë", "Nowak-Kowalska", "\x00", "😀" * 500, "31", "2999", "-1"])
    | st.builds(lambda char, n: char * n, st.characters(codec="utf-8"), st.integers(9_000, 10_000))
)
# A name a school might type: any letters, marks, punctuation, symbols or spaces (no control
# characters), at most 100 characters once trimmed.
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
    min_size=1,
    max_size=100,
).filter(lambda name: 0 < len(clean_text(name, multiline=False)) <= 100)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Each example of these posts several pages.
FEWER = settings(SETTINGS, max_examples=15)


def _field_names(form_class: type[ReturnForm]) -> list[str]:
    fields: list[str] = []
    for name, spec in form_class.base_fields.items():
        if isinstance(spec, GovukDate):
            fields.extend(f"{name}_{part}" for part in DATE_PARTS)
        else:
            fields.append(name)
    return fields


@pytest.mark.parametrize("kind", SCHOOL_KINDS, ids=lambda kind: kind.value)
@FEWER
@given(data=st.data())
def test_any_answer_on_any_pupil_page_gets_a_page_not_an_error(
    client: Client, school_user: User, kind: ReturnKind, data: st.DataObject
) -> None:
    client.force_login(school_user)
    draft = ReturnDraft.objects.filter(kind=kind, school_return__isnull=True).first()
    draft = draft or services.start_draft(actor=school_user, kind=kind)
    page = f"/returns/drafts/{draft.pk}/pupil/"
    posted = {name: data.draw(garbage, label=name) for name in _field_names(PUPIL_FORMS[kind])}
    posted["action"] = data.draw(st.sampled_from(["continue", "add_another", "nil", "x"]) | garbage)
    response = client.post(page, posted)
    assert response.status_code in {200, 302, 400}
    assert client.get(page).status_code == 200
    number = data.draw(garbage, label="number")
    assert client.get(page, {"number": number}).status_code in {200, 404}
    check = client.post(f"/returns/drafts/{draft.pk}/check/")
    assert check.status_code in {302, 400}


@SETTINGS
@given(kind=garbage)
def test_any_choice_of_kind_gets_a_page(client: Client, school_user: User, kind: str) -> None:
    client.force_login(school_user)
    response = client.post("/returns/new/", {"kind": kind})
    assert response.status_code in {302, 400}


@SETTINGS
@given(data=st.data())
def test_any_notification_from_another_authority_gets_a_page(
    client: Client, cme_officer: User, data: st.DataObject
) -> None:
    client.force_login(cme_officer)
    posted = {name: data.draw(garbage, label=name) for name in _field_names(LaNotificationForm)}
    response = client.post("/returns/other-authority/", posted)
    assert response.status_code in {302, 400}


@pytest.mark.parametrize("kind", SCHOOL_KINDS, ids=lambda kind: kind.value)
@FEWER
@given(forename=names, surname=names)
def test_any_name_a_school_types_is_sent_as_typed_once(
    client: Client, school_user: User, kind: ReturnKind, forename: str, surname: str
) -> None:
    client.force_login(school_user)
    client.post("/returns/new/", {"kind": kind.value})
    draft = ReturnDraft.objects.latest("id")
    pupil = posted_pupil(kind, forename=forename, surname=surname)
    assert client.post(f"/returns/drafts/{draft.pk}/pupil/", pupil).status_code == 302
    first = client.post(f"/returns/drafts/{draft.pk}/check/")
    again = client.post(f"/returns/drafts/{draft.pk}/check/")  # a double click
    assert first["Location"] == again["Location"]
    school_return = SchoolReturn.objects.get(pk=first["Location"].split("/")[-2])
    assert SchoolReturn.objects.filter(idempotency_key=school_return.idempotency_key).count() == 1
    sent = school_return.submission["pupils"][0]
    assert sent["forename"] == clean_text(forename, multiline=False)
    assert sent["surname"] == clean_text(surname, multiline=False)
    assert school_return.status == SchoolReturn.Status.PROCESSED
    assert school_return.pupils.get().forename == clean_text(forename, multiline=False)


@SETTINGS
@given(
    forename=names,
    token=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=20, max_size=64),
)
def test_a_notification_sent_twice_is_one_record(
    client: Client, cme_officer: User, forename: str, token: str
) -> None:
    client.force_login(cme_officer)
    data = la_posted(forename=forename, token=token)
    first = client.post("/returns/other-authority/", data)
    again = client.post("/returns/other-authority/", data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
