"""Case notes in the timeline; a sensitive note's text only for roles that need it, and
every read of it in the access log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rules
from django.test import Client

from cme.accounts.models import User
from cme.accounts.permissions import register_role_permissions, roles_with
from cme.audit.models import AccessEvent, AuditEvent
from cme.cases import notes, selectors
from cme.cases.models import Case
from cme.cases.tests.factories import OpenCaseFactory
from cme.cases.workflow import CaseTransitionError

pytestmark = pytest.mark.django_db

SECRET = "Mother disclosed domestic abuse; do not visit alone"


@pytest.fixture
def case() -> Case:
    return OpenCaseFactory.create()


@pytest.fixture
def _sensitive_notes_refused() -> Iterator[None]:
    """As if the user's role could see the case but not read sensitive notes."""
    rules.set_perm("cases.read_sensitive_notes", rules.always_deny)
    yield
    rules.remove_perm("cases.read_sensitive_notes")
    register_role_permissions()


def test_only_the_cme_team_reads_sensitive_notes() -> None:
    assert {role.value for role in roles_with("cases.read_sensitive_notes")} == {
        "cme_officer",
        "cme_manager",
    }


def test_a_note_is_in_the_timeline_with_its_text(case: Case, cme_officer: User) -> None:
    notes.add_note(actor=cme_officer, case=case, text="Phoned the school: not on roll")
    [entry] = selectors.case_timeline_entries(case=case)
    assert entry.text == "Phoned the school: not on roll"
    assert entry.sensitive is False


def test_a_sensitive_notes_text_is_kept_out_of_the_timeline_and_the_audit_trail(
    case: Case, cme_officer: User
) -> None:
    note = notes.add_note(actor=cme_officer, case=case, text=SECRET, sensitive=True)
    [entry] = selectors.case_timeline_entries(case=case)
    assert entry.sensitive is True
    assert entry.text == ""
    assert entry.note_id == note.pk
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CASE_NOTE_ADDED)
    assert "domestic" not in str([event.summary, event.details, event.changes])


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_note_is_refused(case: Case, cme_officer: User, text: str) -> None:
    with pytest.raises(CaseTransitionError, match="Enter the note"):
        notes.add_note(actor=cme_officer, case=case, text=text)


def test_reading_a_sensitive_note_is_logged_each_time(
    client: Client, case: Case, cme_officer: User
) -> None:
    note = notes.add_note(actor=cme_officer, case=case, text=SECRET, sensitive=True)
    client.force_login(cme_officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert SECRET not in page
    assert f"/cases/{case.pk}/notes/{note.pk}/" in page
    assert AccessEvent.objects.filter(subject_type="cases.casenote").exists() is False
    for _ in range(2):
        assert SECRET in client.get(f"/cases/{case.pk}/notes/{note.pk}/").content.decode()
    reads = AccessEvent.objects.filter(subject_type="cases.casenote", subject_id=str(note.pk))
    assert reads.count() == 2
    assert reads.first() is not None
    assert reads.first().child_id == case.child_id  # type: ignore[union-attr]


@pytest.mark.usefixtures("_sensitive_notes_refused")
def test_a_role_without_the_permission_sees_that_a_sensitive_note_exists_not_its_text(
    client: Client, case: Case, cme_officer: User
) -> None:
    note = notes.add_note(actor=cme_officer, case=case, text=SECRET, sensitive=True)
    client.force_login(cme_officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "A sensitive (safeguarding) note. Only the CME team can read it." in page
    assert SECRET not in page
    assert f"/notes/{note.pk}/" not in page
    assert client.get(f"/cases/{case.pk}/notes/{note.pk}/").status_code == 403
    assert AccessEvent.objects.filter(subject_type="cases.casenote").exists() is False


def test_an_officer_adds_a_sensitive_note_through_the_case_page(
    client: Client, case: Case, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    response = client.post(f"/cases/{case.pk}/notes/", {"text": SECRET, "sensitive": "on"})
    assert response.status_code == 302
    note = case.notes.get()
    assert note.sensitive is True
    assert note.written_by == cme_officer


def test_a_refused_note_keeps_what_was_typed(client: Client, case: Case, cme_officer: User) -> None:
    client.force_login(cme_officer)
    long = "x" * 4001
    response = client.post(f"/cases/{case.pk}/notes/", {"text": long, "sensitive": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "The note must be 4000 characters or fewer" in page
    assert long in page
    assert case.notes.exists() is False


def test_a_note_on_another_case_is_not_found(client: Client, cme_officer: User) -> None:
    one, other = OpenCaseFactory.create(), OpenCaseFactory.create()
    note = notes.add_note(actor=cme_officer, case=other, text=SECRET, sensitive=True)
    client.force_login(cme_officer)
    assert client.get(f"/cases/{one.pk}/notes/{note.pk}/").status_code == 404
