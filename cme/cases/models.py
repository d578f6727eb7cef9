"""The CME register: one case per episode of a child missing, or at risk of missing, education."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .categories import CaseCategory, Pathway, pathway_for
from .workflow import CaseStatus, ClosureReason


class Family(models.Model):
    """Siblings whose cases were opened together, so enquiries about the family are shared."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {self.pk}"


class Case(models.Model):
    """One episode of a child missing, or at risk of missing, education.

    `version` rises with every change, so an edit made on an out-of-date page is refused
    instead of silently overwriting someone else's (no lost updates).
    """

    child = models.ForeignKey("pupils.Child", on_delete=models.PROTECT, related_name="cases")
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    category = models.CharField(max_length=30, choices=CaseCategory.choices)
    status = models.CharField(
        max_length=30, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    status_changed_at = models.DateTimeField()
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_cases",
    )
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True, max_length=2000)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True, max_length=2000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["allocated_to", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status=CaseStatus.CLOSED)
                    & models.Q(closed_at__isnull=False)
                    & ~models.Q(closure_reason="")
                )
                | (
                    ~models.Q(status=CaseStatus.CLOSED)
                    & models.Q(closed_at__isnull=True)
                    & models.Q(closure_reason="")
                ),
                name="closed_cases_have_a_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C{self.pk:06d}" if self.pk else "New case"

    @property
    def pathway(self) -> Pathway:
        return pathway_for(CaseCategory(self.category))

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED
