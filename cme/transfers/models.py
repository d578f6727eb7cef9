"""School transfers: Common Transfer Files received (kept raw before anything is read from
them), the pupils in them (the Lost Pupil Database store is the pupils of X and M files), the
data from CTFs the register has no column for (attendance session totals, SEN history), the
worklist of lost pupils, and the runs of the S2S inbox job."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .ctf.document import Destination as CtfDestination


class Destination(models.TextChoices):
    """Where a file was going (`DestSchool`), as `cme.transfers.ctf.document.Destination`."""

    SCHOOL = CtfDestination.SCHOOL.value, "A school"
    AUTHORITY = CtfDestination.AUTHORITY.value, "A local authority"
    UNKNOWN = CtfDestination.UNKNOWN.value, "Not known (XXXXXXX): a lost pupil"
    OUTSIDE = CtfDestination.OUTSIDE.value, "Outside the maintained sector or England (MMMMMMM)"
    NOT_GIVEN = CtfDestination.NOT_GIVEN.value, "Not given"


LOST_PUPIL_DESTINATIONS = (Destination.UNKNOWN, Destination.OUTSIDE)


class CtfFile(models.Model):
    """A Common Transfer File as it was received: its bytes (kept before any processing, so a
    refused or failed file is never lost), where it came from, and what became of it. One row
    per distinct content (SHA-256): the same file received again is the same row, which is how
    the S2S inbox imports each file once. A file refused for its size keeps no content."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded by a member of staff"
        COMMAND = "command", "Imported with manage.py import_ctf"
        S2S_INBOX = "s2s_inbox", "The S2S inbox folder"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received, not yet imported"
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Refused: nothing imported"
        FAILED = "failed", "Failed: nothing imported"

    name = models.CharField(max_length=255, help_text="The file's name, without its folder")
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size_bytes = models.PositiveBigIntegerField()
    content = models.BinaryField(blank=True, help_text="The file's bytes, exactly as received")
    source = models.CharField(max_length=20, choices=Source.choices)
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True, help_text="Why the file was refused or failed")
    processed_at = models.DateTimeField(null=True, blank=True)
    # From the header, once the file has been read.
    version = models.CharField("CTF version", max_length=10, blank=True)
    document_qualifier = models.CharField(max_length=20, blank=True)
    written_at = models.DateTimeField(null=True, blank=True, help_text="Header DateTime")
    source_lea = models.CharField("source LA", max_length=20, blank=True)
    source_estab = models.CharField(max_length=20, blank=True)
    source_urn = models.CharField("source URN", max_length=20, blank=True)
    source_school_name = models.CharField(max_length=200, blank=True)
    dest_lea = models.CharField("destination LA", max_length=20, blank=True)
    dest_estab = models.CharField("destination establishment", max_length=20, blank=True)
    destination = models.CharField(max_length=20, choices=Destination.choices, blank=True)
    pupil_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["destination"]),
        ]

    def __str__(self) -> str:
        return f"CTF {self.name}"

    @property
    def is_lost_pupil_file(self) -> bool:
        return self.destination in LOST_PUPIL_DESTINATIONS

    @property
    def source_code(self) -> str:
        return f"{self.source_lea}{self.source_estab}"


class CtfImportRun(models.Model):
    """One processing of a file that was not refused: who ran it, when, and what came of each
    pupil. The subject of the run's `FILE_IMPORTED` audit event."""

    file = models.ForeignKey(CtfFile, on_delete=models.PROTECT, related_name="runs")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    messages = models.JSONField(default=list, blank=True, help_text="Findings, by element path")
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.file.name} ({self.started_at:%Y-%m-%d %H:%M})"

    def counts_line(self) -> str:
        return (
            f"created={self.created_count} updated={self.updated_count} "
            f"unchanged={self.unchanged_count} review={self.review_count} "
            f"rejected={self.rejected_count}"
        )


class CtfPupil(models.Model):
    """One pupil in a received file: the element verbatim and the identifying details read
    from it, the register child it is about (once known) and what the latest import did. The
    pupils of lost-pupil files (X and M) are the Lost Pupil Database store."""

    class Outcome(models.TextChoices):
        CREATED = "created", "Added to the register"
        UPDATED = "updated", "Register record updated"
        UNCHANGED = "unchanged", "Already in the register"
        REVIEW = "review", "Waiting for an officer to match"
        REJECTED = "rejected", "Rejected"
        STORED = "stored", "Kept in the Lost Pupil Database"

    file = models.ForeignKey(CtfFile, on_delete=models.PROTECT, related_name="pupils")
    position = models.PositiveIntegerField(help_text="1 for the file's first pupil")
    path = models.CharField(max_length=200, help_text="The element path in the file")
    raw_xml = models.TextField(help_text="The Pupil element exactly as received")
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    forename = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    former_surnames = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    findings = models.JSONField(default=list, blank=True)
    child = models.ForeignKey(
        "pupils.Child",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ctf_pupils",
        help_text="The register child this pupil is, once known",
    )
    identity_match = models.ForeignKey(
        "matching.IdentityMatch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["file", "position"]
        constraints = [
            models.UniqueConstraint(fields=["file", "position"], name="one_row_per_ctf_pupil"),
        ]

    def __str__(self) -> str:
        return f"Pupil {self.position} of {self.file.name}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.middle_names, self.surname) if part)


class CtfAttendanceTotals(models.Model):
    """A school's attendance session totals for a child for one academic year, from the
    `Attendance/YearData` of a CTF. `attendance_marks` is kept exactly as received and nothing
    is derived from it: its encoding has not been checked against the specification. Kept
    here, not with the attendance marks, which are the register's own."""

    child = models.ForeignKey(
        "pupils.Child", on_delete=models.CASCADE, related_name="ctf_attendance_totals"
    )
    source = models.ForeignKey(CtfPupil, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Academic year start")
    lea = models.CharField("LA", max_length=20, blank=True)
    estab = models.CharField(max_length=20, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    sessions_possible = models.PositiveIntegerField(null=True, blank=True)
    sessions_authorised = models.PositiveIntegerField(null=True, blank=True)
    sessions_attended = models.PositiveIntegerField(null=True, blank=True)
    sessions_unauthorised = models.PositiveIntegerField(null=True, blank=True)
    attendance_start_date = models.DateField(null=True, blank=True)
    attendance_marks = models.TextField(blank=True, help_text="As received; encoding unverified")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "lea", "estab", "id"]
        verbose_name_plural = "CTF attendance totals"

    def __str__(self) -> str:
        return f"Attendance {self.year} at {self.lea}{self.estab}"


class CtfSenHistory(models.Model):
    """A child's SEN history as one CTF gave it: provision from each date, and the ranked
    needs. The child's current SEN status is the register's `Child.sen_status`."""

    child = models.ForeignKey("pupils.Child", on_delete=models.CASCADE, related_name="ctf_sen")
    source = models.ForeignKey(CtfPupil, on_delete=models.PROTECT, related_name="+")
    entries = models.JSONField(default=list, help_text='[{"start_date", "end_date", "provision"}]')
    needs = models.JSONField(default=list, blank=True, help_text='[{"rank", "type"}]')
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "CTF SEN histories"

    def __str__(self) -> str:
        return f"SEN history from {self.source}"


class TransferWorkItem(models.Model):
    """Something about a lost pupil for an officer to deal with: another authority looking for
    a pupil (a lost-pupil CTF it sent), or a lost pupil matched to a child in the register,
    whose CTF can be forwarded to the child's new school. One per lost pupil."""

    class Kind(models.TextChoices):
        LOOKING_FOR_PUPIL = "looking", "Another authority is looking for a pupil"
        LOST_PUPIL_FOUND = "found", "A lost pupil matches a child in the register"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    lost_pupil = models.OneToOneField(CtfPupil, on_delete=models.PROTECT, related_name="work_item")
    child = models.ForeignKey(
        "pupils.Child",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfer_work_items",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, max_length=2000)
    forwarded_to = models.CharField(
        max_length=7, blank=True, help_text="LAESTAB the CTF was last forwarded to"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(closed_at__isnull=False),
                name="a_done_transfer_item_has_a_closing_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer item {self.pk}"


class S2sInboxRun(models.Model):
    """One pass of the S2S inbox job over its folder: when, and what it found."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    folder = models.CharField(max_length=500)
    files_found = models.PositiveIntegerField(default=0)
    files_imported = models.PositiveIntegerField(default=0)
    files_already_seen = models.PositiveIntegerField(default=0)
    files_refused = models.PositiveIntegerField(default=0)
    files_failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"S2S inbox run {self.started_at:%Y-%m-%d %H:%M}"


class RollWorkItem(models.Model):
    """An ended enrolment for an officer to look at (roll-removal monitoring, issue 6): a pupil
    taken off a roll with no known destination, deleted under regulation 9 ground (h) or (i),
    which needs the authority's joint enquiries first, or a leaver not started on any roll by
    the expected start date plus the grace. One per enrolment and reason, so monitoring runs
    may repeat. Kept apart from `TransferWorkItem`, which is one per lost-pupil CTF record."""

    class Reason(models.TextChoices):
        REMOVED_NO_DESTINATION = "removed_no_destination", "Removed from roll, destination unknown"
        GROUND_NEEDS_JOINT_ENQUIRIES = (
            "ground_needs_joint_enquiries",
            "Deleted under ground (h) or (i): joint enquiries needed",
        )
        MISSED_TRANSITION = (
            "missed_transition",
            "Not started following a key transition point",
        )

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    enrolment = models.ForeignKey(
        "pupils.Enrolment", on_delete=models.CASCADE, related_name="roll_work_items"
    )
    child = models.ForeignKey(
        "pupils.Child", on_delete=models.CASCADE, related_name="roll_work_items"
    )
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=40, choices=Reason.choices)
    detail = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "reason"], name="one_roll_item_per_enrolment_and_reason"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(done_at__isnull=False),
                name="a_done_roll_item_has_a_closing_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Roll item {self.pk}"
