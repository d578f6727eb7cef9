"""Letters to families: chosen by kind, addressed from the child's record, rendered from a
Jinja2 template on the council's letterhead and made into a tagged PDF (PDF/UA-1) by
WeasyPrint, to print and post.

A letter is recorded as a contact attempt by letter, and the PDF is kept exactly as generated
(Django's default storage, under a random name). It is only ever downloaded as an attachment.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import engines
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.pupils.models import Address, Child, Contact

from .deadlines import add_school_days
from .models import Case, ContactAttempt, Letter
from .workflow import CaseTransitionError

TEMPLATE = "cases/letters/letter.html"
PDF_VARIANT = "pdf/ua-1"  # tagged, with the document's language and title: read aloud in order
REPLY_WITHIN_SCHOOL_DAYS = 10
HOUSEHOLD = "household"
# Who a letter can go to: people with parental responsibility or who live with the child.
NOT_A_PARENT = frozenset({Contact.Relationship.SOCIAL_WORKER})
MAX_EXTRA_LENGTH = 1000


class LetterError(CaseTransitionError):
    """A letter that cannot be written as asked; the message says why."""


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str
    salutation: str
    address_lines: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name}, {', '.join(self.address_lines)}"


def _lines(address: Address) -> tuple[str, ...]:
    return tuple(
        part for part in (address.line_1, address.line_2, address.town, address.postcode) if part
    )


def current_address(child: Child) -> Address | None:
    return next((address for address in child.addresses.all() if address.is_current), None)


def recipients_for(child: Child) -> list[Recipient]:
    """Who a letter about `child` can be addressed to, from the child's record: each parent or
    carer with an address, and "the parent or carer" at the child's current address."""
    home = current_address(child)
    home_lines = _lines(home) if home is not None else ()
    recipients = []
    for contact in child.contacts.all():
        if contact.relationship in NOT_A_PARENT or not (
            contact.parental_responsibility or contact.lives_with_child
        ):
            continue
        own = tuple(
            line.strip() for line in contact.address.replace("\n", ",").split(",") if line.strip()
        )
        lines = own or (home_lines if contact.lives_with_child else ())
        if lines:
            recipients.append(
                Recipient(
                    key=f"contact-{contact.pk}",
                    name=contact.full_name,
                    salutation=contact.full_name,
                    address_lines=lines,
                )
            )
    if home_lines:
        recipients.append(
            Recipient(
                key=HOUSEHOLD,
                name=f"The parent or carer of {child.full_name}",
                salutation="parent or carer",
                address_lines=home_lines,
            )
        )
    return recipients


def letter_context(
    *,
    case: Case,
    kind: Letter.Kind,
    recipient: Recipient,
    officer: Any,
    today: datetime.date,
    school_name: str = "",
    start_date: datetime.date | None = None,
    extra: str = "",
) -> dict[str, Any]:
    child = case.child
    return {
        "kind": kind.value,
        "subject": _subject(kind, child=child, school_name=school_name),
        "council_name": settings.COUNCIL_NAME,
        "council_address": settings.COUNCIL_ADDRESS,
        "team_phone": settings.CME_TEAM_PHONE,
        "team_email": settings.CME_TEAM_EMAIL,
        "date": today,
        "reference": case.reference,
        "recipient": recipient,
        "child_name": child.preferred_name or child.forename,
        "child_full_name": child.full_name,
        "date_of_birth": child.date_of_birth,
        "reply_by": add_school_days(today, REPLY_WITHIN_SCHOOL_DAYS),
        "school_name": school_name,
        "start_date": start_date,
        "extra_paragraphs": [line.strip() for line in extra.splitlines() if line.strip()],
        "officer_name": (officer.get_full_name() if officer is not None else "") or "",
        "officer_title": getattr(officer, "job_title", "") or "Children Missing Education Officer",
    }


def _subject(kind: Letter.Kind, *, child: Child, school_name: str) -> str:
    if kind == Letter.Kind.SCHOOL_PLACE_OFFERED:
        return f"A school place for {child.full_name} at {school_name}"
    if kind == Letter.Kind.CONTACT_THE_TEAM:
        return f"Please contact us about {child.full_name}'s education"
    return f"We are trying to contact you about {child.full_name}'s education"


def render_letter_html(context: dict[str, Any]) -> str:
    return str(engines["jinja2"].get_template(TEMPLATE).render(context))


def render_pdf(html: str) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1). The HTML refers to nothing outside itself."""
    import weasyprint  # type: ignore[import-untyped]  # untyped; heavy, so loaded only here

    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def send_letter(
    *,
    actor: Any,
    case: Case,
    kind: Letter.Kind,
    recipient_key: str,
    school_name: str = "",
    start_date: datetime.date | None = None,
    extra: str = "",
) -> Letter:
    """Generate a letter to the family and record it as a contact attempt by letter. Refused,
    with nothing recorded, when the case is closed, the recipient has no address on the
    child's record, or a school place letter lacks the school or the start date."""
    if not case.is_open:
        raise LetterError("Letters can only be written on an open case.")
    recipient = next((r for r in recipients_for(case.child) if r.key == recipient_key), None)
    if recipient is None:
        raise LetterError("Select who the letter is to")
    if kind == Letter.Kind.SCHOOL_PLACE_OFFERED:
        if not school_name.strip():
            raise LetterError("Enter the school that offered the place")
        if start_date is None:
            raise LetterError("Enter the date the child starts at the school")
    if len(extra) > MAX_EXTRA_LENGTH:
        raise LetterError(f"What else to say must be {MAX_EXTRA_LENGTH} characters or fewer")
    today = timezone.localdate()
    html = render_letter_html(
        letter_context(
            case=case,
            kind=kind,
            recipient=recipient,
            officer=actor if getattr(actor, "is_authenticated", False) else None,
            today=today,
            school_name=school_name.strip(),
            start_date=start_date,
            extra=extra,
        )
    )
    pdf = render_pdf(html)
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            case=case,
            method=ContactAttempt.Method.LETTER,
            made_on=today,
            outcome=f"Letter generated to post: {kind.label} (to {recipient.name})",
            reached_family=False,
            recorded_by=actor,
        )
        letter = Letter(
            case=case,
            kind=kind,
            recipient=recipient.name,
            address="\n".join(recipient.address_lines),
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            contact_attempt=attempt,
            written_by=actor,
        )
        letter.file.save("letter.pdf", ContentFile(pdf), save=False)
        letter.save()
        audit.record_event(
            kind=AuditEvent.Kind.LETTER_GENERATED,
            actor=actor,
            subject=letter,
            child_id=case.child_id,
            summary=f"Letter generated: {kind.label}",
            details={"kind": kind.value, "contact_attempt": attempt.pk, "sha256": letter.sha256},
        )
    return letter
