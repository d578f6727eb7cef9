"""Users, their role and the organisation that scopes what they see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """What a member of staff does; `cme.accounts.permissions` says what each may do."""

    CME_OFFICER = "cme_officer", "CME officer"
    CME_MANAGER = "cme_manager", "CME manager"
    SCHOOL_ATTENDANCE = "school_attendance", "School attendance staff"
    PARTNER_AGENCY = "partner_agency", "Partner agency"
    ADMISSIONS = "admissions", "Admissions"
    SEND = "send", "SEND team"
    PUPIL_SUPPORT_MANAGER = "pupil_support_manager", "Pupil support manager"
    PANEL_MEMBER = "panel_member", "Panel member"
    ADMINISTRATOR = "administrator", "Administrator"


class PartnerAgency(models.Model):
    """An organisation outside the council's education team that works with families:
    health, social care, police, housing, another local authority."""

    class Kind(models.TextChoices):
        HEALTH = "health", "Health"
        SOCIAL_CARE = "social_care", "Social care"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing"
        OTHER_LA = "other_la", "Another local authority"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name_plural = "partner agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Their `role` and organisation (school or agency) scope every query.

    School attendance staff must name their school, partner-agency users their agency
    (database constraints hold this, not a plea in help text).
    """

    role = models.CharField(max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        "pupils.School", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    agency = models.ForeignKey(
        PartnerAgency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    job_title = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="school_attendance") | models.Q(school__isnull=False),
                name="school_staff_have_a_school",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="partner_agency") | models.Q(agency__isnull=False),
                name="agency_staff_have_an_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""
