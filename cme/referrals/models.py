"""Referrals as they arrive: the online form's drafts, the raw submissions and their history.

A referral is stored exactly as received before anything else happens to it; triage, matching
and case opening read from it later and never rewrite `submission`.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import models

# A draft untouched for this long is no longer offered back, and is deleted.
DRAFT_LIFETIME = datetime.timedelta(hours=24)


class Referral(models.Model):
    """One notification that a child may be missing education, stored as it was received.

    `submission` holds every answer as the referrer gave it (minus control characters), in
    the journey's own structure (`{"format": 1, "answers": {step: {question: answer}}}`), so
    what the council was told can always be shown again. `reference` is what the referrer
    quotes; it is random, so it cannot be guessed or counted through. `client_hash` is a keyed
    hash of the sender's address and browser, enough to spot a flood from one sender without
    keeping an IP address. `idempotency_key` ties the row to the draft it came from, so a
    second press of the button cannot make a second referral.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", "Online form"
        EMAIL = "email", "Email"
        PHONE = "phone", "Telephone"
        POST = "post", "Post"
        SCHOOL_RETURN = "school_return", "School return"
        OTHER_LA = "other_la", "Another local authority"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        TRIAGED = "triaged", "Triaged"

    class Outcome(models.TextChoices):
        CASE_OPENED = "case_opened", "New CME case opened"
        LINKED_TO_CASE = "linked_to_case", "Linked to the child's open case"
        ON_ROLL_ATTENDING = "on_roll_attending", "On a roll and attending: closed"
        CONFIRM_WITH_SCHOOL = "confirm_with_school", "On a roll: confirm attendance with the school"
        ATTENDANCE_SUPPORT = "attendance_support", "Not CME: attendance support team"
        ELECTIVE_HOME_EDUCATION = "ehe", "Not CME: elective home education team"
        NOT_CME = "not_cme", "Not CME: no further action"

    reference = models.CharField(max_length=14, unique=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(db_index=True)
    submission = models.JSONField(help_text="Every answer, as received")
    client_hash = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Triage: what an officer decided, about which child and case.
    child = models.ForeignKey(
        "pupils.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True, max_length=2000)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    channel__in=["online", "email", "phone", "post", "school_return", "other_la"]
                ),
                name="referral_channel_known",
            ),
            models.CheckConstraint(
                condition=models.Q(reference__startswith="CME-"),
                name="referral_reference_prefixed",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="triaged")
                    & models.Q(triaged_at__isnull=False)
                    & ~models.Q(outcome="")
                )
                | (
                    models.Q(status="received")
                    & models.Q(triaged_at__isnull=True)
                    & models.Q(outcome="")
                ),
                name="triaged_referrals_have_an_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ReferralEvent(models.Model):
    """One thing that happened to a referral, for its timeline (received, later triaged …).

    Kept inside this app until the audit trail has referral kinds of its own.
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", "Referral received"
        TRIAGED = "triaged", "Referral triaged"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    occurred_at = models.DateTimeField(auto_now_add=True)
    actor_label = models.CharField(max_length=254)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.referral} {self.kind}"


class ReferralDraft(models.Model):
    """The answers of an online referral still being filled in, saved on every page.

    The browser's session holds only `token`, which is random and long, so nobody else can
    reach the answers. Once sent, `answers` is emptied (the referral holds them) and
    `referral` is kept so that pressing the button again shows the same confirmation.
    Drafts are deleted a day after their last change (`services.delete_abandoned_drafts`).
    """

    token = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Draft {self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.referral_id is not None


def _original_path(instance: ReferralOriginal, filename: str) -> str:
    # A random name: nothing about the child or the sender reaches the file system.
    return f"referral-originals/{instance.referral_id}/{secrets.token_hex(16)}.{instance.extension}"


class ReferralOriginal(models.Model):
    """The original of a referral that came by email or post (an .eml or .msg file, a scanned
    letter), kept as received. Served only as a download, never shown in the browser."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="originals")
    file = models.FileField(upload_to=_original_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
