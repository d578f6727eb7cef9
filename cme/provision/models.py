"""Securing education for a located child: the route decided, the school place applied for,
the Behaviour and Attendance Panels with their meetings and agendas, and the placement whose
attendance is then watched until the child is settled."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cme.cases.models import Case
from cme.pupils.models import Locality, School

from .rules import AdmissionStatus, AgendaStatus, MonitorKind, PlacementOutcome, ProvisionRoute


class Panel(models.Model):
    """The Behaviour and Attendance Panel of one locality: head teachers and deputies who decide
    the provision for children considered under the Fair Access protocol. Its members read the
    papers of its meetings (members are set in the admin)."""

    locality = models.OneToOneField(Locality, on_delete=models.PROTECT, related_name="panel")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="panels",
        limit_choices_to={"role": "panel_member"},
        help_text="Panel members who read the papers of this panel's meetings",
    )

    class Meta:
        ordering = ["locality__name"]

    def __str__(self) -> str:
        return f"{self.locality.name} Behaviour and Attendance Panel"


class ProvisionDecision(models.Model):
    """The officer's decision, with the family, the referrer and other agencies, on how a
    located child gets back into education: the need recorded and the route chosen. A case has
    one current decision; deciding again (after a refusal or a failed placement) supersedes it
    and withdraws what it had started."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="provision_decisions")
    route = models.CharField(max_length=20, choices=ProvisionRoute.choices)
    need = models.TextField(max_length=4000, help_text="The child's needs, as assessed")
    involved = models.TextField(max_length=1000, help_text="Who took part in the decision")
    additional_support = models.TextField(blank=True, max_length=2000)
    locality = models.ForeignKey(
        Locality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The locality whose panel considers a Fair Access case",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_provision_decision_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(route=ProvisionRoute.FAIR_ACCESS)
                | models.Q(locality__isnull=False),
                name="a_fair_access_decision_names_the_locality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} for {self.case}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class AdmissionRequest(models.Model):
    """An in-year application for a school place, supported by the CME officer, which the
    admissions team acts on: a place offered (with the start date) or not."""

    decision = models.OneToOneField(
        ProvisionDecision, on_delete=models.CASCADE, related_name="admission"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="admission_requests")
    status = models.CharField(
        max_length=20, choices=AdmissionStatus.choices, default=AdmissionStatus.APPLYING
    )
    applied_on = models.DateField()
    preferred_schools = models.TextField(blank=True, max_length=1000)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_on = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="When no place was offered")
    note = models.TextField(blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["applied_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=AdmissionStatus.OFFERED)
                | (
                    models.Q(school__isnull=False)
                    & models.Q(offered_on__isnull=False)
                    & models.Q(start_date__isnull=False)
                ),
                name="an_offer_names_the_school_and_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"School place application for {self.case}"


class SchoolPlaces(models.Model):
    """The places the admissions team knows are free at a school in a year group."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="places")
    year_group = models.SmallIntegerField(help_text="0 is Reception, 1 to 11 are Years 1 to 11")
    places = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["school__name", "year_group"]
        verbose_name_plural = "school places"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year_group"], name="one_places_row_per_year_group"
            ),
            models.CheckConstraint(
                condition=models.Q(year_group__gte=0) & models.Q(year_group__lte=11),
                name="places_are_for_reception_to_year_11",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.places} places in year {self.year_group} at {self.school_id}"


class PanelMeeting(models.Model):
    """One meeting of a locality's panel: its date, where, and (through the agenda) the cases
    it considers."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    meets_on = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meets_on", "-id"]

    def __str__(self) -> str:
        return f"{self.panel} on {self.meets_on:%d/%m/%Y}"


class AgendaItem(models.Model):
    """A case referred to a panel under Fair Access: waiting for a meeting, then on one
    meeting's agenda, and there decided (the provision named, any extra support and the start
    date), deferred (a new item waits for the next meeting) or returned to the officer."""

    decision = models.ForeignKey(
        ProvisionDecision, on_delete=models.CASCADE, related_name="agenda_items"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        PanelMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=AgendaStatus.choices, default=AgendaStatus.WAITING
    )
    referred_at = models.DateTimeField()
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provision_name = models.CharField(max_length=200, blank=True)
    extra_support = models.TextField(blank=True, max_length=2000)
    start_date = models.DateField(null=True, blank=True)
    panel_notes = models.TextField(blank=True, max_length=4000)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting_id", "position", "referred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=AgendaStatus.AGREED)
                | (
                    (models.Q(school__isnull=False) | ~models.Q(provision_name=""))
                    & models.Q(start_date__isnull=False)
                ),
                name="an_agreed_provision_is_named_with_a_start_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AgendaStatus.ON_AGENDA)
                | models.Q(meeting__isnull=False),
                name="an_item_on_the_agenda_has_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} for the {self.locality} panel"

    @property
    def provision_label(self) -> str:
        return self.school.name if self.school is not None else self.provision_name


class Placement(models.Model):
    """Where the child was placed, from when, who monitors it, and how it ended: settled (the
    case closes) or broken down (provision is arranged again). A school placement puts the
    child on that school's roll from `start_date`; a placement elsewhere (named provision) is
    education arranged otherwise than at school."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placements")
    decision = models.ForeignKey(
        ProvisionDecision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    route = models.CharField(max_length=20, choices=ProvisionRoute.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provision_name = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    monitored_by = models.CharField(max_length=20, choices=MonitorKind.choices)
    support = models.TextField(blank=True, max_length=2000)
    started_on = models.DateField(null=True, blank=True, help_text="When the child started")
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=PlacementOutcome.choices, blank=True)
    end_note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) | ~models.Q(provision_name=""),
                name="a_placement_names_the_school_or_provision",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_placement_per_case",
            ),
            models.CheckConstraint(
                condition=(models.Q(ended_on__isnull=True) & models.Q(outcome=""))
                | (models.Q(ended_on__isnull=False) & ~models.Q(outcome="")),
                name="an_ended_placement_has_an_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} placed at {self.provision_label}"

    @property
    def provision_label(self) -> str:
        return self.school.name if self.school is not None else self.provision_name

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def is_at_school(self) -> bool:
        return self.school_id is not None


class HomeEducationRecord(models.Model):
    """A step in a child's elective home education, as the case records it: the authority told
    of it (not yet assessed), the authority's assessment (suitable or unsuitable), or its end.
    Kept as a history, one row a step, because the DfE return is counted as at any date."""

    class Status(models.TextChoices):
        NOT_ASSESSED = "not_assessed", "Home educated, not yet assessed"
        SUITABLE = "suitable", "Home education assessed as suitable"
        UNSUITABLE = "unsuitable", "Home education assessed as unsuitable"
        ENDED = "ended", "No longer home educated"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="home_education")
    child = models.ForeignKey("pupils.Child", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    on = models.DateField(help_text="The day the step took effect")
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.on:%d/%m/%Y}"
