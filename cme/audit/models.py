"""The two audit trails: what changed (AuditEvent) and who looked (AccessEvent).

Both are append-only: services only ever create rows, the admin is read-only, and on
PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change to a child, case, referral or other record, with who made it and what changed.

    `subject_type`/`subject_id` name the changed record without a foreign key, so the trail
    outlives the record. `child_id` is denormalised so a child's whole history is one query.
    """

    class Kind(models.TextChoices):
        CHILD_CREATED = "child_created", "Child added to the register"
        CHILD_UPDATED = "child_updated", "Child's details changed"
        CHILD_MERGED = "child_merged", "Duplicate records merged"
        CHILD_UNMERGED = "child_unmerged", "Merge of duplicate records undone"
        ENROLMENT_CREATED = "enrolment_created", "Enrolment recorded"
        ENROLMENT_UPDATED = "enrolment_updated", "Enrolment changed"
        ADDRESS_RECORDED = "address_recorded", "Address recorded"
        CONTACT_RECORDED = "contact_recorded", "Carer or contact recorded"
        SCHOOL_CREATED = "school_created", "School added"
        SCHOOL_UPDATED = "school_updated", "School changed"
        FILE_IMPORTED = "file_imported", "File imported"
        REFERRAL_RECEIVED = "referral_received", "Referral received"
        REFERRAL_TRIAGED = "referral_triaged", "Referral triaged"
        REFERRAL_ACKNOWLEDGED = "referral_acknowledged", "Referrer emailed the reference"
        REFERRAL_ACKNOWLEDGEMENT_FAILED = "referral_ack_failed", "Referrer's email not sent"
        RETURN_RECEIVED = "return_received", "School return or notification received"
        RETURN_PROCESSED = "return_processed", "School return or notification processed"
        RETURN_FAILED = "return_failed", "Processing a school return failed"
        DELETION_AGREEMENT_REQUESTED = "deletion_agreement_requested", "Deletion agreement asked"
        DELETION_AGREED = "deletion_agreed", "Deletion from roll agreed by the authority"
        HOME_EDUCATION_RECORDED = "home_education", "Home education recorded"
        CASE_OPENED = "case_opened", "Case opened"
        CASE_STATUS_CHANGED = "case_status_changed", "Case status changed"
        CASE_ALLOCATED = "case_allocated", "Case allocated"
        CASE_CLOSED = "case_closed", "Case closed"
        CASE_REOPENED = "case_reopened", "Case re-opened"
        ENQUIRY_UPDATED = "enquiry_updated", "Enquiry updated"
        WELFARE_CONCERN_RAISED = "welfare_concern", "Welfare concern raised"
        SAFEGUARDING_REFERRAL_RECORDED = "safeguarding_referral", "Safeguarding referral recorded"
        CONTACT_ATTEMPT_RECORDED = "contact_attempt", "Contact attempt recorded"
        CASE_NOTE_ADDED = "case_note_added", "Case note added"
        CASE_RECHECKED = "case_rechecked", "Whereabouts re-checked"
        LETTER_GENERATED = "letter_generated", "Letter to the family generated"
        SERVICE_NOTIFICATION_DUE = "service_notification_due", "Owning service to be told"
        SERVICE_NOTIFIED = "service_notified", "Owning service emailed"
        SERVICE_NOTIFICATION_FAILED = "service_notification_failed", "Owning service not emailed"
        WEEKLY_DIGEST_SENT = "weekly_digest_sent", "Weekly digest emailed"
        WEEKLY_DIGEST_FAILED = "weekly_digest_failed", "Weekly digest not sent"
        IDENTITY_MATCHED = "identity_matched", "Notification matched to the register"
        MATCH_CONFIRMED = "match_confirmed", "Register match confirmed"
        MATCH_REJECTED = "match_rejected", "Register match rejected"
        MATCH_MODEL_TRAINED = "match_model_trained", "Match model retrained"
        CTF_RECEIVED = "ctf_received", "Common Transfer File received"
        CTF_REFUSED = "ctf_refused", "Common Transfer File refused"
        CTF_DATA_RECORDED = "ctf_data_recorded", "Attendance or SEN history recorded from a CTF"
        CTF_EXPORTED = "ctf_exported", "Common Transfer File exported"
        TRANSFER_ITEM_CREATED = "transfer_item_created", "Lost pupil added to the transfer worklist"
        TRANSFER_ITEM_UPDATED = "transfer_item_updated", "Transfer worklist item changed"
        ROLL_ITEM_CREATED = "roll_item_created", "Roll removal added to the roll worklist"
        ROLL_ITEM_UPDATED = "roll_item_updated", "Roll worklist item changed"
        PROVISION_DECIDED = "provision_decided", "Route to education decided"
        ADMISSION_UPDATED = "admission_updated", "School place application updated"
        SCHOOL_PLACES_UPDATED = "school_places_updated", "School places available changed"
        PANEL_MEETING_SCHEDULED = "panel_meeting_scheduled", "Panel meeting scheduled"
        PANEL_AGENDA_CHANGED = "panel_agenda_changed", "Panel agenda changed"
        PANEL_DECISION_RECORDED = "panel_decision_recorded", "Panel decision recorded"
        PLACEMENT_RECORDED = "placement_recorded", "Placement recorded"
        PLACEMENT_STARTED = "placement_started", "Child started at the placement"
        PLACEMENT_ENDED = "placement_ended", "Placement monitoring ended"
        SCHOOL_REPORT_GENERATED = "school_report_generated", "Termly school report generated"
        USER_CREATED = "user_created", "User account created"
        USER_UPDATED = "user_updated", "User account changed"
        ATTENDANCE_MARKS_CORRECTED = "attendance_corrected", "Attendance marks corrected"
        ATTENDANCE_TRIGGER_OPENED = "attendance_trigger_opened", "Attendance trigger opened"
        ATTENDANCE_TRIGGER_CLOSED = "attendance_trigger_closed", "Attendance trigger closed"
        ATTENDANCE_TRIGGER_FOLLOWED_UP = (
            "attendance_trigger_followed_up",
            "Attendance trigger followed up",
        )
        PLACEMENT_MONITORED = "placement_monitored", "Attendance after placement watched"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text="Who, as named when it happened")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [before, after]")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"


class AccessEvent(models.Model):
    """One read of sensitive data: a child's record viewed, a search, an export, a download.

    Answers the safeguarding question "who looked at this child, when, and why".
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        SEARCH = "search", "Searched"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=20, choices=Action.choices)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=300, help_text="Why: the page or task that read it")
    query = models.CharField(max_length=500, blank=True, help_text="Search terms, for searches")
    result_count = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.purpose}"
