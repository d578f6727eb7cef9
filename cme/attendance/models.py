"""School registers in, statutory triggers out: stored marks, worklist items, placements."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from cme.pupils.models import Child, School

from .rules import RULES, WORKLIST_RULES, Rule

WORKLIST_RULE_CHOICES = [(rule.value, RULES[rule].title) for rule in Rule if rule in WORKLIST_RULES]


class AttendanceYear(models.Model):
    """One pupil's register marks at one school for one school year, packed one character
    per session from the morning of 1 September (cme.attendance.marks; "." where no file
    gave a mark; trailing ones trimmed), with the year's session counts kept beside them for
    the figures. One row per pupil, school and year, not one per mark: a whole authority's
    year is ~25,000 rows, not ~9.5 million. Read the marks through the selectors."""

    # No index of its own: the unique constraint below starts with the child (one index
    # fewer for a year's 25,000 rows to go into).
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="attendance_years", db_index=False
    )
    # PROTECT is Django's; no database constraint: checking one at commit for each of a
    # year's 25,000 rows, all naming the same 90 schools, took half a second of the import
    # (schools are never deleted: a closed school keeps its record). Indexed below.
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    school_year = models.PositiveSmallIntegerField(
        help_text="The calendar year in which the school year starts (1 September)"
    )
    marks = models.TextField(blank=True, help_text="One character per session (see marks.py)")
    possible_sessions = models.PositiveSmallIntegerField(default=0)
    attended_sessions = models.PositiveSmallIntegerField(default=0)
    unauthorised_sessions = models.PositiveSmallIntegerField(default=0)
    first_marked_on = models.DateField(null=True, blank=True)
    last_marked_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-school_year", "school_id", "child_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "school", "school_year"], name="one_attendance_year_per_school"
            ),
        ]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self) -> str:
        years = f"{self.school_year}/{(self.school_year + 1) % 100:02d}"
        return f"Attendance of {self.child_id} at {self.school_id} in {years}"

    @property
    def authorised_sessions(self) -> int:
        return self.possible_sessions - self.attended_sessions - self.unauthorised_sessions


class AttendanceTrigger(models.Model):
    """An item on the CME officers' attendance worklist: one firing of a rule (rules.py) for
    a pupil at a school, from the school day the threshold was reached until the condition
    ends. Created and closed by the rules as marks are imported, never one a day."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Closure(models.TextChoices):
        CONDITION_ENDED = "ended", "The condition ended"
        MARKS_CORRECTED = "corrected", "Marks corrected: the register no longer shows it"
        YEAR_ENDED = "year_ended", "The school year ended"

    # Indexed with the school year, below.
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="attendance_triggers", db_index=False
    )
    # As AttendanceYear.school: PROTECT is Django's, without a database constraint.
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    school_year = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=40, choices=WORKLIST_RULE_CHOICES)
    start_date = models.DateField(help_text="The first school day of the run")
    fired_on = models.DateField(help_text="The school day the rule's threshold was reached")
    ended_on = models.DateField(
        null=True, blank=True, help_text="The first school day the condition no longer held"
    )
    detail = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closure = models.CharField(max_length=20, choices=Closure.choices, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["fired_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="open", closed_at__isnull=True, closure="")
                    | (models.Q(status="closed", closed_at__isnull=False) & ~models.Q(closure=""))
                ),
                name="a_closed_trigger_says_when_and_why",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "fired_on"]),
            models.Index(fields=["child", "school_year"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.child_id} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_current_on(self, day: datetime.date) -> bool:
        """Open, or its condition still held on `day` (ended after it, or not ended)."""
        return self.is_open or self.ended_on is None or self.ended_on >= day


class TriggerFollowUp(models.Model):
    """What the CME team did about a worklist item, in their words: one per action, never
    edited (a correction is a new one). The item itself stays the rules' to open and close."""

    class Action(models.TextChoices):
        CONTACTED_SCHOOL = "contacted_school", "Contacted the school"
        CONTACTED_FAMILY = "contacted_family", "Contacted the family"
        HOME_VISIT = "home_visit", "Home visit"
        CASE_OPENED = "case_opened", "Opened a CME case"
        REFERRED = "referred", "Referred to another service"
        NO_FURTHER_ACTION = "no_further_action", "No further action needed"

    trigger = models.ForeignKey(
        AttendanceTrigger, on_delete=models.CASCADE, related_name="follow_ups"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    note = models.TextField(max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.recorded_at:%Y-%m-%d}"


class PlacementMonitoring(models.Model):
    """A child placed at a school by the CME service, whose attendance there is watched
    after the placement (the post-placement rule) until `ends_on`, if set."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements_watched")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    placed_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-placed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("placed_on")),
                name="placement_monitoring_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} placed at {self.school_id} on {self.placed_on}"
