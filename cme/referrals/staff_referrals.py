"""Referrals taken by staff: by telephone, email or post, with the original kept as received."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cme.audit import services as audit
from cme.audit.models import AuditEvent

from . import services
from .documents import check_original
from .models import Referral, ReferralOriginal


def record_staff_referral(
    *,
    actor: Any,
    channel: Referral.Channel,
    received_at: datetime.datetime,
    answers: dict[str, dict[str, str]],
    original: UploadedFile | None = None,
) -> Referral:
    """Store a referral a member of staff took down, in the online form's structure so triage
    reads every referral alike, with the uploaded original if there is one."""
    submission = {
        "format": services.SUBMISSION_FORMAT,
        "answers": answers,
        "recorded_by": str(actor),
    }
    with transaction.atomic():
        referral = services.receive_referral(
            submission=submission, channel=channel, received_at=received_at, actor=actor
        )
        if original is not None:
            attach_original(actor=actor, referral=referral, upload=original)
    return referral


def attach_original(*, actor: Any, referral: Referral, upload: UploadedFile) -> ReferralOriginal:
    """Keep the original email or letter. Raises documents.OriginalRefusedError for a file that
    is not a PDF, a scanned image or an email."""
    upload.seek(0)
    checked = check_original(head=upload.read(2048), size=upload.size or 0)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        stored = ReferralOriginal(
            referral=referral,
            original_name=(upload.name or "original")[-200:],
            content_type=checked.content_type,
            extension=checked.extension,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        stored.file.save("original", upload, save=False)
        stored.save()
        audit.record_event(
            kind=AuditEvent.Kind.REFERRAL_RECEIVED,
            actor=actor,
            subject=stored,
            summary=f"Original of referral {referral.reference} kept ({checked.extension})",
            details={"sha256": stored.sha256, "size": stored.size},
        )
    return stored
