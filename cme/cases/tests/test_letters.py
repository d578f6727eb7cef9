"""Letters to families: addressed from the child's record, a tagged PDF kept as generated,
recorded as a contact attempt, downloaded only as a logged attachment."""

from __future__ import annotations

import datetime
import re
import zlib

import pytest
from django.test import Client
from django.utils import timezone

from cme.accounts.models import User
from cme.audit.models import AccessEvent, AuditEvent
from cme.cases import letters, services
from cme.cases.categories import CaseCategory
from cme.cases.models import Case, ContactAttempt, Letter
from cme.cases.workflow import ClosureReason
from cme.pupils.models import Contact
from cme.pupils.tests.factories import CarerFactory, ChildFactory, CurrentAddressFactory

pytestmark = pytest.mark.django_db


def _decompressed(pdf: bytes) -> bytes:
    """The PDF with each of its compressed streams inflated, to look inside."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


@pytest.fixture
def case(cme_officer: User) -> Case:
    child = ChildFactory.create(forename="Amara", surname="Okafor")
    CurrentAddressFactory.create(child=child, line_1="12 Elm Road", postcode="BA2 3AB")
    CarerFactory.create(child=child, full_name="Grace Okafor")
    CarerFactory.create(
        child=child,
        full_name="Sam Social",
        relationship=Contact.Relationship.SOCIAL_WORKER,
        parental_responsibility=False,
        lives_with_child=False,
    )
    return services.open_case(
        actor=cme_officer, child=child, category=CaseCategory.IDENTIFIED_MISSING
    )


def test_letters_go_to_parents_and_the_household_never_to_a_social_worker(case: Case) -> None:
    recipients = letters.recipients_for(case.child)
    assert [r.name for r in recipients] == [
        "Grace Okafor",
        "The parent or carer of Amara Okafor",
    ]
    assert recipients[0].address_lines == ("12 Elm Road", "Bath", "BA2 3AB")


def test_a_parent_living_elsewhere_is_written_to_at_their_own_address() -> None:
    child = ChildFactory.create()
    CarerFactory.create(
        child=child,
        full_name="Tom Father",
        relationship=Contact.Relationship.FATHER,
        lives_with_child=False,
        address="3 Mill Lane, Keynsham, BS31 1AA",
    )
    [recipient] = letters.recipients_for(child)
    assert recipient.address_lines == ("3 Mill Lane", "Keynsham", "BS31 1AA")


def test_the_letter_names_the_council_the_child_and_the_reply_by_date(
    case: Case, cme_officer: User
) -> None:
    today = datetime.date(2026, 11, 30)
    html = letters.render_letter_html(
        letters.letter_context(
            case=case,
            kind=Letter.Kind.TRYING_TO_CONTACT,
            recipient=letters.recipients_for(case.child)[0],
            officer=cme_officer,
            today=today,
        )
    )
    assert '<html lang="en-GB">' in html
    assert "<title>We are trying to contact you about Amara Okafor&#39;s education</title>" in html
    assert "Bath and North East Somerset Council" in html
    assert "Dear Grace Okafor," in html
    assert case.reference in html
    assert "14 December 2026" in html  # ten school days on


def test_sending_a_letter_stores_a_tagged_pdf_and_records_a_contact_attempt(
    case: Case, cme_officer: User
) -> None:
    letter = letters.send_letter(
        actor=cme_officer,
        case=case,
        kind=Letter.Kind.SCHOOL_PLACE_OFFERED,
        recipient_key=letters.HOUSEHOLD,
        school_name="Widcombe Junior School",
        start_date=datetime.date(2027, 1, 5),
    )
    with letter.file.open("rb") as stored:
        pdf = stored.read()
    assert pdf.startswith(b"%PDF-")
    inside = _decompressed(pdf)
    assert b"pdfuaid" in inside  # PDF/UA-1 identification in the XMP metadata
    assert b"/StructTreeRoot" in inside  # tagged: headings and paragraphs in reading order
    assert b"/Lang" in inside
    assert letter.size == len(pdf)
    assert letter.file.name.startswith(f"case-letters/{case.pk}/")
    assert "Okafor" not in letter.file.name
    attempt = letter.contact_attempt
    assert attempt.method == ContactAttempt.Method.LETTER
    assert attempt.made_on == timezone.localdate()
    assert "School place offered" in attempt.outcome
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LETTER_GENERATED)
    assert event.child_id == case.child_id
    assert event.actor == cme_officer


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"recipient_key": "contact-999999"}, "Select who the letter is to"),
        (
            {"recipient_key": letters.HOUSEHOLD, "kind": Letter.Kind.SCHOOL_PLACE_OFFERED},
            "Enter the school",
        ),
        (
            {
                "recipient_key": letters.HOUSEHOLD,
                "kind": Letter.Kind.SCHOOL_PLACE_OFFERED,
                "school_name": "Widcombe",
            },
            "Enter the date",
        ),
    ],
)
def test_a_letter_that_cannot_be_written_is_refused_and_records_nothing(
    case: Case, cme_officer: User, kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"kind": Letter.Kind.TRYING_TO_CONTACT, **kwargs}
    with pytest.raises(letters.LetterError, match=message):
        letters.send_letter(actor=cme_officer, case=case, **arguments)  # type: ignore[arg-type]
    assert Letter.objects.exists() is False
    assert ContactAttempt.objects.exists() is False


def test_no_letter_on_a_closed_case(case: Case, cme_officer: User) -> None:
    services.close_case(actor=cme_officer, case=case, reason=ClosureReason.ON_ROLL_AND_ATTENDING)
    case.refresh_from_db()
    with pytest.raises(letters.LetterError, match="open case"):
        letters.send_letter(
            actor=cme_officer,
            case=case,
            kind=Letter.Kind.TRYING_TO_CONTACT,
            recipient_key=letters.HOUSEHOLD,
        )


def test_an_officer_writes_a_letter_and_downloads_it_as_a_logged_attachment(
    client: Client, case: Case, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    page = client.get(f"/cases/{case.pk}/letters/new/").content.decode()
    assert "Grace Okafor, 12 Elm Road, Bath, BA2 3AB" in page
    response = client.post(
        f"/cases/{case.pk}/letters/new/",
        {"kind": "contact_the_team", "recipient": letters.HOUSEHOLD, "extra": "We called twice."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#letters"
    letter = Letter.objects.get(case=case)
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/letters/{letter.pk}/" in detail
    download = client.get(f"/cases/{case.pk}/letters/{letter.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    assert AccessEvent.objects.filter(
        action=AccessEvent.Action.DOWNLOAD, subject_type="cases.letter", subject_id=str(letter.pk)
    ).exists()


def test_a_letter_form_with_errors_keeps_what_was_typed_and_shows_the_summary(
    client: Client, case: Case, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    response = client.post(
        f"/cases/{case.pk}/letters/new/",
        {
            "kind": "school_place_offered",
            "recipient": letters.HOUSEHOLD,
            "start_date": "31/02/2027",
            "extra": "Please bring the birth certificate.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter the school that offered the place" in page
    assert "The start date must be a real date" in page
    assert "Please bring the birth certificate." in page
    assert Letter.objects.exists() is False


def test_garbage_in_the_letter_form_is_refused_not_a_500(
    client: Client, case: Case, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    for data in (
        {"kind": "x" * 10_000, "recipient": "y"},
        {"kind": "trying_to_contact", "recipient": "contact-abc"},
        {"kind": "trying_to_contact", "recipient": letters.HOUSEHOLD, "extra": "z" * 5000},
    ):
        assert client.post(f"/cases/{case.pk}/letters/new/", data).status_code == 400


def test_without_an_address_the_page_says_to_record_one(client: Client, cme_officer: User) -> None:
    case = services.open_case(
        actor=cme_officer, child=ChildFactory.create(), category=CaseCategory.IDENTIFIED_MISSING
    )
    client.force_login(cme_officer)
    page = client.get(f"/cases/{case.pk}/letters/new/").content.decode()
    assert "There is no address" in page


def test_a_letter_on_another_case_is_not_found(
    client: Client, case: Case, cme_officer: User
) -> None:
    from cme.cases.tests.factories import LetterFactory

    other = LetterFactory.create()
    client.force_login(cme_officer)
    assert client.get(f"/cases/{case.pk}/letters/{other.pk}/").status_code == 404
