"""The audit trails: what is recorded, and that nothing can rewrite it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from cme.accounts.models import User
from cme.audit import services
from cme.audit.models import AccessEvent, AuditEvent
from cme.pupils import services as pupil_services
from cme.pupils.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_changing_a_child_records_who_and_what_changed(cme_officer: User) -> None:
    child = ChildFactory.create(surname="Smith")
    changed = pupil_services.update_child(actor=cme_officer, child=child, surname="Smyth")
    assert changed is True
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CHILD_UPDATED, child_id=child.pk)
    assert event.actor == cme_officer
    assert event.actor_label == cme_officer.username
    assert event.changes == {"surname": ["Smith", "Smyth"]}


def test_an_update_that_changes_nothing_writes_no_event(cme_officer: User) -> None:
    child = ChildFactory.create(surname="Smith")
    assert pupil_services.update_child(actor=cme_officer, child=child, surname="Smith") is False
    assert AuditEvent.objects.filter(child_id=child.pk).exists() is False


def test_a_system_change_is_attributed_to_the_system() -> None:
    child = pupil_services.create_child(actor=None, forename="Ada", surname="Obi", source="test")
    event = AuditEvent.objects.get(child_id=child.pk)
    assert event.actor is None
    assert event.actor_label == services.SYSTEM_LABEL


def test_field_changes_lists_only_the_fields_that_differ() -> None:
    assert services.field_changes({"a": 1, "b": "x"}, {"a": 1, "b": "y"}) == {"b": ["x", "y"]}


@pytest.mark.postgresql_only
def test_postgresql_refuses_to_update_or_delete_audit_rows(cme_officer: User) -> None:
    child = ChildFactory.create()
    services.record_access(
        actor=cme_officer, action=AccessEvent.Action.VIEW, purpose="test", child_id=child.pk
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.update(purpose="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AccessEvent.objects.get().purpose == "test"


def test_a_record_is_named_by_its_kind_and_key_and_a_reference_stays_as_it_is() -> None:
    user = User(pk=42)

    assert services.subject_type(User) == services.subject_type(user) == "accounts.user"
    assert services.subject_reference(user) == ("accounts.user", "42")
    assert services.subject_reference(("accounts.user", "42")) == ("accounts.user", "42")
