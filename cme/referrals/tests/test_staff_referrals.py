"""Referrals taken by telephone, email or post, with their originals kept safely."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from cme.accounts.models import User
from cme.audit.models import AccessEvent
from cme.referrals import documents
from cme.referrals.models import Referral, ReferralOriginal

pytestmark = pytest.mark.django_db

EML = b"From: school@example.org\r\nTo: cme@example.org\r\nSubject: Pupil not seen\r\n\r\nHello"
FORM = {
    "channel": "email",
    "received_on": "20/11/2026",
    "first_name": "Zoë",
    "last_name": "Nowak-Kowalska",
    "referrer_name": "Head of Year 7",
    "referrer_contact": "office@school.example.org",
    "details": "Not seen since half term.",
}


def test_an_emailed_referral_is_recorded_with_its_original(
    client: Client, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    upload = SimpleUploadedFile("Pupil not seen.eml", EML, content_type="text/html")
    response = client.post("/referrals/new/", {**FORM, "original": upload})
    referral = Referral.objects.get()
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.channel == Referral.Channel.EMAIL
    assert referral.submission["answers"]["child_name"]["last_name"] == "Nowak-Kowalska"
    assert referral.received_at.date().isoformat() == "2026-11-20"
    original = ReferralOriginal.objects.get()
    assert original.content_type == documents.EML  # from the bytes, not the browser's claim
    assert "Nowak" not in original.file.name  # nothing about the child in the stored name


def test_an_original_downloads_as_an_attachment_and_the_download_is_logged(
    client: Client, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    client.post("/referrals/new/", {**FORM, "original": SimpleUploadedFile("a.pdf", b"%PDF-1.7 x")})
    original = ReferralOriginal.objects.get()
    response = client.get(f"/referrals/{original.referral_id}/originals/{original.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessEvent.objects.filter(action=AccessEvent.Action.DOWNLOAD).count() == 1


def test_a_file_that_is_not_a_letter_or_email_is_refused_and_nothing_is_stored(
    client: Client, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    upload = SimpleUploadedFile(
        "letter.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )
    response = client.post("/referrals/new/", {**FORM, "original": upload})
    assert response.status_code == 400
    assert "must be a PDF, a scanned image" in response.content.decode()
    assert Referral.objects.exists() is False


def test_only_a_name_or_description_and_a_contact_are_needed(
    client: Client, cme_officer: User
) -> None:
    client.force_login(cme_officer)
    response = client.post(
        "/referrals/new/",
        {
            "channel": "phone",
            "received_on": "20/11/2026",
            "description": "Girl about 10",
            "referrer_contact": "07700 900123",
        },
    )
    assert response.status_code == 302


def test_a_future_date_and_a_missing_child_are_explained(client: Client, cme_officer: User) -> None:
    client.force_login(cme_officer)
    page = client.post(
        "/referrals/new/", {"channel": "post", "received_on": "01/01/2099"}
    ).content.decode()
    assert "Date received must be today or in the past" in page
    assert "Enter the child's name, or describe the child" in html.unescape(page)
    assert "Enter a phone number or email address for the referrer" in page


def test_too_large_a_file_is_refused() -> None:
    with pytest.raises(documents.OriginalRefusedError, match="smaller than 10 MB"):
        documents.check_original(head=b"%PDF-", size=documents.MAX_ORIGINAL_BYTES + 1)


def _recognised(head: bytes) -> str:
    try:
        return documents.check_original(head=head, size=len(head) or 1).content_type
    except documents.OriginalRefusedError as refused:
        return f"refused: {refused}"


@given(st.binary(max_size=300))
def test_any_bytes_are_either_recognised_or_refused_with_a_message(head: bytes) -> None:
    kinds = {
        documents.PDF,
        documents.PNG,
        documents.JPEG,
        documents.TIFF,
        documents.EML,
        documents.MSG,
    }
    outcome = _recognised(head)
    assert outcome in kinds or outcome.startswith("refused: The selected file")
