"""The CME register: one case per episode of a child missing, or at risk of missing, education."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from .categories import CaseCategory, Pathway, pathway_for
from .enquiries import EnquiryStatus, SourceKind
from .owning_services import OwningService
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
    # When the work of the current state is due (cme/cases/deadlines.py); none once closed.
    due_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["allocated_to", "status"]),
            models.Index(fields=["due_on"]),
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


class CaseNote(models.Model):
    """A note on a case, shown in its timeline. A sensitive (safeguarding) note's text is read
    only by roles holding `cases.read_sensitive_notes`, on its own page, and every read is in
    the access log; everyone else who sees the case sees only that such a note exists. Notes
    are never edited: a correction is a new note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=4000)
    sensitive = models.BooleanField(default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.case}"


def _letter_path(instance: Letter, filename: str) -> str:
    # A random name: nothing about the child or the family reaches the file system.
    return f"case-letters/{instance.case_id}/{secrets.token_hex(16)}.pdf"


class Letter(models.Model):
    """A letter to the family, generated as a PDF from a template, to print and post. It is
    recorded as a contact attempt by letter; the PDF is kept as generated and is only ever
    downloaded as an attachment."""

    class Kind(models.TextChoices):
        TRYING_TO_CONTACT = "trying_to_contact", "We are trying to contact you"
        CONTACT_THE_TEAM = (
            "contact_the_team",
            ("Please contact the CME team about your child's education"),
        )
        SCHOOL_PLACE_OFFERED = "school_place_offered", "School place offered"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.CharField(max_length=200, help_text="Who it is addressed to")
    address = models.TextField(max_length=1000, help_text="The address printed, one line each")
    file = models.FileField(upload_to=_letter_path, max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    contact_attempt = models.OneToOneField(
        ContactAttempt, on_delete=models.PROTECT, related_name="letter"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case})"


class ServiceNotification(models.Model):
    """Telling a council service that owns a fact on the case (the Virtual School for a
    looked-after child, the Youth Offending Team, the SEND team) that the child is on the CME
    register: made once per case and service, when the case opens or the fact becomes true,
    and emailed to the team through GOV.UK Notify with the case reference and a link only."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Emailed"
        FAILED = "failed", "Not sent: GOV.UK Notify refused or could not be reached"
        NO_ADDRESS = "no_address", "Not sent: no email address set for the team"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_notifications")
    service = models.CharField(max_length=30, choices=OwningService.choices)
    reason = models.CharField(max_length=100, help_text="The fact that concerns the service")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    notify_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "service"], name="one_notification_per_case_and_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} told about {self.case}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT
