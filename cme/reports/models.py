"""What the reports keep: the national attendance figures each school is compared with, and
the termly reports as generated for each school."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from cme.pupils.models import School


class NationalAttendanceFigure(models.Model):
    """The national attendance rate of state-funded primary schools for a term, from the
    DfE's published statistics (entered in the admin), which each school's termly report
    shows beside its own and the authority's."""

    term = models.CharField(max_length=20, unique=True, help_text="For example, autumn-2025")
    attendance_percent = models.DecimalField(max_digits=4, decimal_places=1)
    source = models.CharField(max_length=300, blank=True, help_text="Where the figure is from")

    class Meta:
        ordering = ["-term"]

    def __str__(self) -> str:
        return f"{self.term}: {self.attendance_percent}%"


def _report_path(instance: SchoolReport, filename: str) -> str:
    # A random name: nothing about the school's pupils reaches the file system.
    return f"school-reports/{instance.term}/{secrets.token_hex(16)}.pdf"


class SchoolReport(models.Model):
    """One school's termly attendance report as the scheduled run generated it: the tagged PDF
    kept exactly as made (the page shows the figures as they are now)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    term = models.CharField(max_length=20)
    file = models.FileField(upload_to=_report_path, max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-generated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="one_report_per_school_term"),
        ]

    def __str__(self) -> str:
        return f"Termly report for {self.school_id}, {self.term}"
