"""School returns and other authorities' notifications: drafts, the raw submissions, and
the pupils named in each once processed.

A return is stored exactly as sent (`SchoolReturn.submission`) before anything else happens
to it. Processing reads that submission, writes one `ReturnedPupil` per child, matches each
against the register and sends those who need the CME team to the triage inbox. Processing
never rewrites the submission; if it fails, the return keeps its submission and the error.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .kinds import OTHER_LA_KINDS, SCHOOL_KINDS, AttendanceReason, ReturnKind

__all__ = [
    "AttendanceReason",
    "DeletionAgreement",
    "ReturnDraft",
    "ReturnKind",
    "ReturnedPupil",
    "SchoolReturn",
]


class SchoolReturn(models.Model):
    """One return from a school (regulation 13), or one notification from another local
    authority recorded by the CME team, stored as received.

    `submission` holds every answer as it was sent (minus control characters), in the form's
    own structure (`{"format": 1, "kind": …, "pupils": [{question: answer}], …}`).
    `idempotency_key` ties the row to the draft or form it came from, so a second press of
    the button cannot make a second return. `reference` is random (`RET-` and 10 characters)
    and is what the school quotes. A school return names its `school`; a notification from
    another authority names that authority's DfE code instead.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", "Received, not yet processed"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Processing failed"

    reference = models.CharField(max_length=14, unique=True)
    kind = models.CharField(max_length=20, choices=ReturnKind.choices)
    school = models.ForeignKey(
        "pupils.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
    )
    other_la_code = models.CharField(
        "other local authority's code", max_length=3, blank=True, help_text="DfE 3-digit code"
    )
    is_nil = models.BooleanField(
        default=False, help_text="An attendance return with no pupil to report"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(db_index=True)
    submission = models.JSONField(help_text="Every answer, as received")
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    processed_at = models.DateTimeField(null=True, blank=True)
    processing_error = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["school", "kind", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reference__startswith="RET-"),
                name="return_reference_prefixed",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=[kind.value for kind in SCHOOL_KINDS])
                    & models.Q(school__isnull=False)
                    & models.Q(other_la_code="")
                )
                | (
                    models.Q(kind__in=[kind.value for kind in OTHER_LA_KINDS])
                    & models.Q(school__isnull=True)
                    & ~models.Q(other_la_code="")
                ),
                name="return_from_a_school_or_another_authority",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_nil=True) | models.Q(kind=ReturnKind.ATTENDANCE.value),
                name="only_attendance_returns_are_nil",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="processed") | models.Q(processed_at__isnull=False),
                name="processed_returns_say_when",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_from_other_la(self) -> bool:
        return self.kind in OTHER_LA_KINDS


class ReturnedPupil(models.Model):
    """One child named in a return, as processing read them from the submission, with the
    register match, what was done with the notification, and the referral if it went to
    the triage inbox.

    `event_date` is the date the return is about (the name entered, the ground met, the
    absence or sickness began, the day they should have started, the day the other authority
    told us); `due_on` is when the return was due, where the regulation says. Parents are a
    list of `{"name", "address", "phone"}`."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        TRIAGE = "triage", "Sent to the CME team's triage inbox"

    school_return = models.ForeignKey(SchoolReturn, on_delete=models.PROTECT, related_name="pupils")
    number = models.PositiveSmallIntegerField(help_text="Its place in the return, from 1")
    forename = models.CharField(max_length=200)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    address = models.TextField(blank=True, max_length=500)
    postcode = models.CharField(max_length=10, blank=True)
    event_date = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    deletion_ground = models.CharField(max_length=1, blank=True)
    attendance_reason = models.CharField(
        max_length=20, choices=AttendanceReason.choices, blank=True
    )
    parents = models.JSONField(default=list, blank=True)
    future_address = models.TextField(blank=True, max_length=500)
    destination_school = models.CharField(max_length=200, blank=True)
    destination_start_on = models.DateField(null=True, blank=True)
    other_school = models.CharField(
        max_length=200, blank=True, help_text="Previous or last school, as given"
    )
    notes = models.TextField(blank=True, max_length=2000)
    match = models.ForeignKey(
        "matching.IdentityMatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referral = models.OneToOneField(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returned_pupil",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    outcome_reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["school_return", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_return", "number"], name="one_pupil_per_place_in_a_return"
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="triage") | models.Q(referral__isnull=False),
                name="a_pupil_sent_to_triage_has_a_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_return_id} pupil {self.number}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.middle_names, self.surname) if part)

    @property
    def days_late(self) -> int:
        if self.due_on is None:
            return 0
        return max(0, (self.school_return.submitted_at.date() - self.due_on).days)


class ReturnDraft(models.Model):
    """A school return being filled in: its kind and the pupils added so far, saved on every
    page, so nothing typed is lost if the session ends or the browser closes.

    A draft belongs to the member of staff who started it and their school. `token` is the
    idempotency key of the return it becomes: once sent, `school_return` is set and pressing
    "Send" again shows that return rather than making another.
    """

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=ReturnKind.choices)
    school = models.ForeignKey("pupils.School", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    school_return = models.OneToOneField(
        SchoolReturn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"Draft return {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.school_return_id is not None


class DeletionAgreement(models.Model):
    """A school's request for the authority's agreement before deleting a pupil's name under
    regulation 9(1)(h) or (i), which need the school and the authority to have made
    reasonable enquiries jointly; the officer records those enquiries and the dated
    agreement. Linked to the child's open case, if there is one, when requested."""

    class Ground(models.TextChoices):
        H = "h", "(h) Not returned 10 school days after leave, enquiries failed"
        I = "i", "(i) Absent 20 continuous school days, enquiries failed"  # noqa: E741

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the authority"
        AGREED = "agreed", "Agreed"

    school = models.ForeignKey(
        "pupils.School", on_delete=models.PROTECT, related_name="deletion_agreements"
    )
    child = models.ForeignKey(
        "pupils.Child", on_delete=models.PROTECT, related_name="deletion_agreements"
    )
    ground = models.CharField(max_length=1, choices=Ground.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    school_note = models.TextField("what the school has done", max_length=2000)
    joint_enquiries = models.TextField(blank=True, max_length=4000)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deletion_agreements",
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="agreed")
                | (models.Q(agreed_on__isnull=False) & models.Q(agreed_by__isnull=False)),
                name="an_agreement_says_when_and_who",
            ),
        ]

    def __str__(self) -> str:
        return f"Deletion agreement {self.pk}"
