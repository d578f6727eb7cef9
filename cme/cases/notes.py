"""Writing case notes. A note is never edited; a sensitive (safeguarding) one keeps its text
out of the audit trail and the timeline, which everyone who sees the case reads."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cme.audit import services as audit
from cme.audit.models import AuditEvent

from .models import Case, CaseNote
from .workflow import CaseTransitionError

MAX_NOTE_LENGTH = 4000


def add_note(*, actor: Any, case: Case, text: str, sensitive: bool = False) -> CaseNote:
    """Add a note to the case; it appears in the case timeline."""
    text = text.strip()
    if not text:
        raise CaseTransitionError("Enter the note")
    if len(text) > MAX_NOTE_LENGTH:
        raise CaseTransitionError(f"The note must be {MAX_NOTE_LENGTH} characters or fewer")
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, text=text, sensitive=sensitive, written_by=actor)
        audit.record_event(
            kind=AuditEvent.Kind.CASE_NOTE_ADDED,
            actor=actor,
            subject=note,
            child_id=case.child_id,
            summary=(
                f"Sensitive (safeguarding) note added to case {case.reference}"
                if sensitive
                else f"Note added to case {case.reference}"
            ),
            details={"sensitive": sensitive},
        )
    return note
