"""The CME register: one case per episode of a child missing, or at risk of missing, education."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .categories import CaseCategory, Pathway, pathway_for
from .enquiries import EnquiryStatus, SourceKind
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


class EnquirySource(models.Model):
    """Somewhere the council asks about a missing child (configured per council; the policy's
    list is loaded by a data migration)."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.ALWAYS)
    contact = models.TextField(blank=True, help_text="How to reach them")
    due_days = models.PositiveSmallIntegerField(default=5, help_text="Days allowed for an answer")
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Enquiry(models.Model):
    """One reasonable enquiry on a case: who was asked, when, what they said, who recorded it.

    Enquiries about a family (siblings opened together) are recorded once, on the first
    sibling's case, and shown on every sibling's case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enquiries")
    source = models.ForeignKey(EnquirySource, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=EnquiryStatus.choices, default=EnquiryStatus.NOT_STARTED
    )
    requested_on = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    response = models.TextField(blank=True, max_length=4000)
    responded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source__order", "id"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.UniqueConstraint(fields=["case", "source"], name="one_enquiry_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source} for {self.case}"

    @property
    def is_outstanding(self) -> bool:
        return self.status in {EnquiryStatus.NOT_STARTED, EnquiryStatus.REQUESTED}


class ContactAttempt(models.Model):
    """A try at reaching the family directly: telephone, letter, home visit, emergency
    contacts, neighbours."""

    class Method(models.TextChoices):
        TELEPHONE = "telephone", "Telephone"
        LETTER = "letter", "Letter"
        HOME_VISIT = "home_visit", "Home visit"
        EMERGENCY_CONTACT = "emergency_contact", "Emergency contact"
        NEIGHBOUR = "neighbour", "Neighbour"
        EMAIL = "email", "Email"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    method = models.CharField(max_length=20, choices=Method.choices)
    made_on = models.DateField()
    reached_family = models.BooleanField(default=False)
    outcome = models.TextField(max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} on {self.made_on}"
