"""The local authority's pupil register: authorities, schools, children, their carers,
addresses and enrolments."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LocalAuthority(models.Model):
    """An English or Welsh local authority, by its 3-digit DfE code (reference data)."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=120)
    status = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Locality(models.Model):
    """An area of the authority with its own Behaviour and Attendance Panel. The authority's
    own setting, not GIAS's `Locality` (an address line)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class SchoolType(models.TextChoices):
    MAINTAINED = "maintained", "Maintained"
    ACADEMY = "academy", "Academy"
    FREE = "free", "Free school"
    INDEPENDENT = "independent", "Independent"
    SPECIAL = "special", "Special"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    OTHER = "other", "Other"


class SchoolPhase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE_PRIMARY = "middle_deemed_primary", "Middle deemed primary"
    MIDDLE_SECONDARY = "middle_deemed_secondary", "Middle deemed secondary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class SchoolStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"
    PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"


class School(models.Model):
    """An establishment from Get Information about Schools. URN is the key; LAESTAB can be
    shared over time by a closed school and its successor (the open one wins)."""

    urn = models.CharField("URN", max_length=8, unique=True)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    establishment_number = models.CharField(max_length=4)
    laestab = models.CharField("LAESTAB", max_length=7, db_index=True)
    name = models.CharField(max_length=200)
    school_type = models.CharField(max_length=30, choices=SchoolType.choices)
    type_name = models.CharField(max_length=120, blank=True, help_text="GIAS type, as given")
    phase = models.CharField(max_length=30, choices=SchoolPhase.choices)
    status = models.CharField(max_length=30, choices=SchoolStatus.choices)
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    postcode = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.laestab})"

    @property
    def is_open(self) -> bool:
        return self.status != SchoolStatus.CLOSED


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class SenStatus(models.TextChoices):
    NONE = "N", "No special educational needs"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "Education, health and care plan"


class VulnerabilityFlag(models.TextChoices):
    """The policy's list of children at particular risk of missing education."""

    GYPSY_ROMA_TRAVELLER = "grt", "Gypsy, Roma and Traveller"
    ARMED_FORCES = "armed_forces", "Armed forces family"
    MISSING_FROM_HOME_OR_CARE = "missing_home_care", "Missing from home or care"
    YOUTH_JUSTICE = "youth_justice", "Supervised by youth justice"
    RETURNING_FROM_CUSTODY = "custody", "Returning from custody"
    NEW_TO_COUNTRY = "new_to_country", "New to the country"
    LOOKED_AFTER_OR_FOSTERED = "looked_after", "Looked after or privately fostered"
    TEMPORARY_ACCOMMODATION = "temporary_accommodation", "Temporary accommodation or refuge"
    SUPPORTED_LODGINGS = "supported_lodgings", "Supported lodgings at 16"
    YOUNG_CARER = "young_carer", "Young carer"
    TEENAGE_PARENT = "teenage_parent", "Teenage parent"
    RISK_OF_HARM = "risk_of_harm", "At risk of harm"


class Household(models.Model):
    """Children who live together; siblings are found through it."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Household {self.pk}"


class Child(models.Model):
    """A child known to the authority. Everything here is sensitive: read it through
    `selectors.access_child`, which scopes and logs the read."""

    forename = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    former_surnames = models.CharField(
        max_length=300, blank=True, help_text="Separated by semicolons"
    )
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=10, blank=True, help_text="DfE ethnicity code")
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    sen_status = models.CharField(max_length=1, choices=SenStatus.choices, default=SenStatus.NONE)
    looked_after = models.BooleanField(default=False)
    vulnerability_flags = models.JSONField(default=list, blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Set when this record was found to be a duplicate and merged into another: the record is
    # kept (so the merge can be undone) but every list, search and match leaves it out.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_children",
        help_text="The record this duplicate was merged into",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the identity-matching register finds the children changed since a moment by it.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["surname", "forename", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["upn"], condition=~models.Q(upn=""), name="one_child_per_upn"
            ),
        ]
        indexes = [
            models.Index(fields=["surname", "forename"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["nhs_number"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.middle_names, self.surname) if part)

    @property
    def has_ehc_plan(self) -> bool:
        return self.sen_status == SenStatus.EHC_PLAN

    @property
    def former_surname_list(self) -> list[str]:
        return [name.strip() for name in self.former_surnames.split(";") if name.strip()]


class Address(models.Model):
    """Where a child has lived, with dates: the address history that tracing relies on."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    moved_in = models.DateField(null=True, blank=True)
    moved_out = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="Who told us")

    class Meta:
        ordering = ["-moved_in", "-id"]
        verbose_name_plural = "addresses"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moved_out__isnull=True)
                | models.Q(moved_in__isnull=True)
                | models.Q(moved_out__gte=models.F("moved_in")),
                name="address_moved_out_after_moved_in",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.line_1, self.line_2, self.town, self.postcode) if part
        )

    @property
    def is_current(self) -> bool:
        return self.moved_out is None


class Contact(models.Model):
    """A parent, carer or other person to contact about a child."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        FOSTER_CARER = "foster_carer", "Foster carer"
        OTHER_RELATIVE = "other_relative", "Other relative"
        SOCIAL_WORKER = "social_worker", "Social worker"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=False)
    emergency_contact = models.BooleanField(default=False)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-lives_with_child", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"


class DeletionGround(models.TextChoices):
    """Regulation 9(1) of the School Attendance (Pupil Registration) (England) Regulations 2024."""

    A = "a", "(a) Registered at another school"
    B = "b", "(b) Left nursery and not continuing"
    C = "c", "(c) Dual-registered: will not attend again"
    D = "d", "(d) School attendance order names another school"
    E = "e", "(e) School attendance order revoked"
    F = "f", "(f) Parent notified in writing of education otherwise than at school"
    G = "g", "(g) No longer lives within reasonable distance"
    H = "h", "(h) Not returned 10 school days after leave, enquiries failed"
    I = "i", "(i) Absent 20 continuous school days, enquiries failed"  # noqa: E741
    J = "j", "(j) Detained under a sentence"
    K = "k", "(k) Died"
    L = "l", "(l) Over compulsory school age, not continuing"
    M = "m", "(m) Boarding fees unpaid"
    N = "n", "(n) Ceased to be a pupil at an independent or non-maintained special school"
    O = "o", "(o) Permanently excluded"  # noqa: E741


class Enrolment(models.Model):
    """A child on a school's admission register, from the starting day to deletion."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    deletion_ground = models.CharField(max_length=1, choices=DeletionGround.choices, blank=True)
    leaving_reason = models.CharField(max_length=200, blank=True)
    destination = models.CharField(max_length=200, blank=True)
    destination_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="enrolment_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["child", "school", "start_date"], name="one_enrolment_per_start"
            ),
        ]
        indexes = [models.Index(fields=["school", "end_date"])]

    def __str__(self) -> str:
        return f"{self.child_id} at {self.school_id} from {self.start_date}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class ImportRun(models.Model):
    """One file processed by an importer: which file (its name and SHA-256), who ran it, when,
    and what came of its rows. It is the subject of the file's `FILE_IMPORTED` audit event.
    Rows sent to review are kept here whole, so nothing in the file is lost while an officer
    decides who the pupil is. A refused file leaves no run: nothing is written for it."""

    class Kind(models.TextChoices):
        SCHOOLS = "schools", "Schools (GIAS extract)"
        PUPILS = "pupils", "Pupils"
        ATTENDANCE = "attendance", "Attendance marks"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=255, help_text="The file's name, without its folder")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField()
    options = models.JSONField(default=dict, blank=True, help_text="For example full roll, as of")
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
    review_rows = models.JSONField(
        default=list, blank=True, help_text="Rows sent to review: line, reason and the row's values"
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class WelfareConcern(models.Model):
    """A welfare concern about a child. Raising one creates a mandatory task: refer the child to
    children's social care (the multi-agency safeguarding hub). The concern stays flagged on
    every page about the child until that referral is recorded. The concern's text is
    sensitive: only the CME team reads it."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="welfare_concerns")
    concern = models.TextField(max_length=4000)
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    mash_reference = models.CharField(max_length=100, blank=True)
    outcome = models.TextField(blank=True, max_length=2000)
    referral_recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(referred_at__isnull=True) | ~models.Q(referred_to=""),
                name="a_safeguarding_referral_names_who_it_went_to",
            ),
        ]

    def __str__(self) -> str:
        return f"Welfare concern {self.pk}"

    @property
    def is_awaiting_referral(self) -> bool:
        return self.referred_at is None


class ChildMerge(models.Model):
    """Two records found to be the same child, merged: every row that pointed at `duplicate`
    (cases, referrals, addresses, contacts, enrolments, anything added later) was re-pointed
    at `survivor`, and the duplicate kept with `merged_into` set. `moved` lists exactly those
    rows, so undoing the merge moves them, and only them, back; `survivor_before` holds the
    survivor's details that the officer chose to take from the duplicate, as they were, and
    `duplicate_before` the duplicate's UPN if it was taken (a UPN belongs to one record)."""

    survivor = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_as_survivor")
    duplicate = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="merges_as_duplicate"
    )
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    moved = models.JSONField(
        default=list, blank=True, help_text='Rows re-pointed: [{"model", "field", "pk"}]'
    )
    survivor_before = models.JSONField(
        default=dict, blank=True, help_text="The survivor's details replaced, as they were"
    )
    duplicate_before = models.JSONField(
        default=dict, blank=True, help_text="The duplicate's details released, as they were"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("duplicate")),
                name="a_child_is_not_merged_into_itself",
            ),
            models.UniqueConstraint(
                fields=["duplicate"],
                condition=models.Q(unmerged_at__isnull=True),
                name="a_duplicate_is_merged_once_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Child {self.duplicate_id} merged into {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.unmerged_at is not None
