"""What identity matching keeps: the trained models, and each notification's match."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MatchModelVersion(models.Model):
    """A trained match model (m and u per field level); the newest one is used."""

    model_json = models.TextField(help_text="cme.linkage.model.MatchModel.to_json()")
    trained_on = models.CharField(max_length=300, blank=True)
    report = models.TextField(blank=True, help_text="The figures before and after, as printed")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Match model {self.pk} ({self.created_at:%d/%m/%Y})"


class IdentityMatch(models.Model):
    """One notification matched against the register: the candidates as scored then, with
    their explanations, and what was decided (automatically, or by an officer)."""

    class Source(models.TextChoices):
        REFERRAL = "referral", "Referral"
        SCHOOL_RETURN = "school_return", "School return"
        CTF = "ctf", "Common Transfer File"
        PUPIL_IMPORT = "pupil_import", "Pupil import"
        PARTNER = "partner", "Partner agency record"

    class Status(models.TextChoices):
        LINKED = "linked", "Linked automatically"
        REVIEW = "review", "Waiting for review"
        NO_MATCH = "no_match", "Not on the register"
        CONFIRMED = "confirmed", "Confirmed by an officer"
        REJECTED = "rejected", "None of the candidates, by an officer"

    OPEN_STATUSES = (Status.REVIEW,)

    source = models.CharField(max_length=20, choices=Source.choices)
    source_reference = models.CharField(max_length=100, help_text="The notification's reference")
    details = models.JSONField(help_text="The identifying details matched, as given")
    candidates = models.JSONField(default=list, help_text="Ranked candidates and explanations")
    model_version = models.ForeignKey(
        MatchModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    child = models.ForeignKey(
        "pupils.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="identity_matches",
        help_text="The child this notification is about, once linked or confirmed",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_reference"], name="one_match_per_notification"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.source_reference}"
