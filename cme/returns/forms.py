"""Input for school returns and other authorities' notifications: validation and cleaning only.

Each kind of return has its own pupil form, asking what regulation 13 (or the policy) needs,
grouped in sections for the page. Names and free text keep apostrophes, hyphens, diacritics
and emoji as typed; control characters are removed. Every message is in the question's own
words, the GOV.UK way. Answers are stored as text, dates as YYYY-MM-DD.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from cme.referrals.fields import Choice, GovukDate, Text
from cme.standards.la_codes import LaCodeStatus, load_la_codes
from cme.standards.upn import check_upn, normalise_upn
from cme.web.dates import DATE_PARTS

from .kinds import DELETION_GROUNDS, SCHOOL_KINDS, AttendanceReason, ReturnKind

NAME_MAX = 100
SHORT_MAX = 200
ADDRESS_MAX = 500
NOTES_MAX = 2000
OLDEST_PUPIL_YEARS = 25
TEN_SCHOOL_DAYS_IN_CALENDAR_DAYS = 11  # Monday to the Friday of the next week, at the least
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}", re.ASCII)

SEXES = [("F", "Female"), ("M", "Male"), ("U", "Not known")]
DATE_HINT = "For example, 27 3 2026"
OTHER_LA_STATUSES = frozenset({LaCodeStatus.CURRENT_ENGLAND_LA, LaCodeStatus.WALES_LA})

_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", re.ASCII)
_PHONE = re.compile(
    r"\+?[0-9 ()\-]{6,30}(?: *(?:ext\.?|extension|x) *[0-9]{1,6})?", re.ASCII | re.IGNORECASE
)


def valid_postcode(value: str) -> None:
    if not _POSTCODE.fullmatch(" ".join(value.upper().split())):
        raise ValidationError("Enter a real postcode, like BA1 1JG", code="postcode")


def valid_phone(value: str) -> None:
    digits = sum(character.isdigit() for character in value)
    if not _PHONE.fullmatch(value) or not 7 <= digits <= 16:
        raise ValidationError(
            "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
            code="phone",
        )


def valid_upn(value: str) -> None:
    result = check_upn(value)
    if not result.is_valid:
        raise ValidationError(
            "Enter a UPN in the correct format, like A801200014001, or leave it blank",
            code="upn",
        )


def _json_value(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _long_date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def new_form_token() -> str:
    return secrets.token_urlsafe(32)


class ChooseKindForm(forms.Form):
    kind = Choice(
        label="What do you need to tell us about?",
        choices=[(kind.value, kind.label) for kind in SCHOOL_KINDS],
    )

    def clean_kind(self) -> str:
        value: str = self.cleaned_data.get("kind", "")
        if not value:
            raise ValidationError("Select what you need to tell us about")
        return value


class ReturnForm(forms.Form):
    """The answers about one child. `sections` groups the questions on the page; `required`
    maps each question that must be answered to the message shown when it is not."""

    sections: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = ()
    required: ClassVar[dict[str, str]] = {}
    # Parents or carers whose name and emergency telephone number must be given.
    parents_required: ClassVar[int] = 0
    parent_slots: ClassVar[int] = 0

    def answers(self) -> dict[str, str]:
        return {name: _json_value(value) for name, value in self.cleaned_data.items()}

    @classmethod
    def initial_from(cls, saved: Mapping[str, Any]) -> dict[str, Any]:
        return {name: saved[name] for name in cls.base_fields if name in saved}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in self.required.items():
            if name not in self.errors and not cleaned.get(name):
                self.add_error(name, message)
        for number in range(1, self.parent_slots + 1):
            self._check_parent(cleaned, number)
        return cleaned

    def _check_parent(self, cleaned: Mapping[str, Any], number: int) -> None:
        fields = [f"parent_{number}_{part}" for part in ("name", "address", "phone")]
        given = any(cleaned.get(name) for name in fields)
        if not given and number > self.parents_required:
            return
        name, _, phone = fields
        if name not in self.errors and not cleaned.get(name):
            self.add_error(name, f"Enter the full name of parent or carer {number}")
        if phone not in self.errors and not cleaned.get(phone):
            self.add_error(
                phone, f"Enter an emergency telephone number for parent or carer {number}"
            )

    def clean_upn(self) -> str:
        value: str = self.cleaned_data.get("upn", "")
        return normalise_upn(value) if value else ""

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data.get("postcode", "")
        return " ".join(value.upper().split())

    def clean_date_of_birth(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("date_of_birth")
        earliest = _years_before(timezone.localdate(), OLDEST_PUPIL_YEARS)
        if value is not None and value < earliest:
            raise ValidationError(
                f"Date of birth must be the same as or after {_long_date(earliest)}"
            )
        return value

    def _after_birth(self, cleaned: Mapping[str, Any], name: str, error_name: str) -> None:
        born = cleaned.get("date_of_birth")
        value = cleaned.get(name)
        if born and value and value < born and name not in self.errors:
            self.add_error(name, f"{error_name} must be after the pupil's date of birth")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# The questions every kind of return asks about the child -----------------------------------


def _forename() -> Text:
    return Text(label="First name", error_name="First name", max_length=NAME_MAX, spellcheck=False)


def _middle_names() -> Text:
    return Text(
        label="Middle names (optional)",
        summary_label="Middle names",
        error_name="Middle names",
        max_length=NAME_MAX,
        spellcheck=False,
    )


def _surname() -> Text:
    return Text(label="Last name", error_name="Last name", max_length=NAME_MAX, spellcheck=False)


def _date_of_birth(*, optional: bool = False) -> GovukDate:
    return GovukDate(
        label="Date of birth (optional)" if optional else "Date of birth",
        summary_label="Date of birth",
        hint="For example, 3 4 2015",
        error_name="Date of birth",
        past_only="past",
    )


def _sex(*, optional: bool = False) -> Choice:
    return Choice(label="Sex (optional)" if optional else "Sex", summary_label="Sex", choices=SEXES)


def _upn() -> Text:
    return Text(
        label="Unique pupil number (UPN) (optional)",
        summary_label="UPN",
        hint="13 letters and numbers, like A801200014001",
        error_name="UPN",
        max_length=20,
        width="govuk-input--width-20",
        spellcheck=False,
        validators=[valid_upn],
    )


def _address(label: str = "Pupil's address", hint: str = "") -> Text:
    return Text(
        label=label,
        summary_label=label.replace(" (optional)", "").replace(", if known", ""),
        hint=hint,
        error_name="Address",
        max_length=ADDRESS_MAX,
        multiline=True,
    )


def _postcode() -> Text:
    return Text(
        label="Postcode (optional)",
        summary_label="Postcode",
        error_name="Postcode",
        max_length=20,
        width="govuk-input--width-10",
        validators=[valid_postcode],
    )


def _notes(label: str) -> Text:
    return Text(
        label=label,
        summary_label=label.replace(" (optional)", ""),
        error_name="Notes",
        max_length=NOTES_MAX,
        multiline=True,
    )


def _date(label: str, error_name: str, *, hint: str = DATE_HINT, past: bool = True) -> GovukDate:
    return GovukDate(
        label=label,
        summary_label=label.replace(" (optional)", "").replace(", if known", ""),
        hint=hint,
        error_name=error_name,
        past_only="today_or_past" if past else None,
    )


def _parent_name(number: int) -> Text:
    return Text(
        label="Full name",
        summary_label=f"Parent or carer {number}: name",
        error_name=f"Full name of parent or carer {number}",
        max_length=SHORT_MAX,
        spellcheck=False,
    )


def _parent_address(number: int) -> Text:
    return Text(
        label="Address, if different from the pupil's (optional)",
        summary_label=f"Parent or carer {number}: address",
        error_name=f"Address of parent or carer {number}",
        max_length=ADDRESS_MAX,
        multiline=True,
    )


def _parent_phone(number: int) -> Text:
    return Text(
        label="Emergency telephone number",
        summary_label=f"Parent or carer {number}: emergency telephone",
        error_name=f"Emergency telephone number for parent or carer {number}",
        max_length=50,
        width="govuk-input--width-20",
        input_type="tel",
        validators=[valid_phone],
    )


class _OneParent(forms.Form):
    parent_1_name = _parent_name(1)
    parent_1_address = _parent_address(1)
    parent_1_phone = _parent_phone(1)


class _TwoParents(_OneParent):
    parent_2_name = _parent_name(2)
    parent_2_address = _parent_address(2)
    parent_2_phone = _parent_phone(2)


IDENTITY = ("forename", "middle_names", "surname", "date_of_birth", "sex", "upn")
HOME = ("address", "postcode")
PARENT_SECTIONS = (
    ("Parent or carer 1", ("parent_1_name", "parent_1_address", "parent_1_phone")),
    ("Parent or carer 2 (optional)", ("parent_2_name", "parent_2_address", "parent_2_phone")),
)
CHILD_REQUIRED = {
    "forename": "Enter the pupil's first name",
    "surname": "Enter the pupil's last name",
    "date_of_birth": "Enter the pupil's date of birth",
    "sex": "Select the pupil's sex",
    "address": "Enter the pupil's address",
}


class _SchoolPupilForm(ReturnForm):
    forename = _forename()
    middle_names = _middle_names()
    surname = _surname()
    date_of_birth = _date_of_birth()
    sex = _sex()
    upn = _upn()
    address = _address()
    postcode = _postcode()


class NewPupilForm(_SchoolPupilForm, _TwoParents):
    entered_on = _date(
        "Date the pupil's name was entered in the admission register",
        "Date the name was entered",
    )
    other_school = Text(
        label="Last school they attended (optional)",
        summary_label="Last school",
        error_name="Last school",
        max_length=SHORT_MAX,
    )

    sections = (
        ("The pupil", (*IDENTITY, *HOME, "entered_on", "other_school")),
        *PARENT_SECTIONS,
    )
    required = {
        **CHILD_REQUIRED,
        "entered_on": "Enter the date the pupil's name was entered in the admission register",
    }
    parents_required = 1
    parent_slots = 2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._after_birth(cleaned, "entered_on", "Date the name was entered")
        return cleaned


GROUND_CHOICES = [("", "Select a ground"), *DELETION_GROUNDS]


class DeletionForm(_SchoolPupilForm, _TwoParents):
    deletion_ground = Choice(
        label="Ground for deletion (regulation 9)",
        summary_label="Ground for deletion",
        choices=GROUND_CHOICES,
        select=True,
    )
    ground_met_on = _date(
        "Date the ground was met",
        "Date the ground was met",
        hint="The day the name is deleted. It cannot be in the future. For example, 27 3 2026",
    )
    future_address = _address(
        "Their future address, if known (optional)", hint="Include the country if abroad"
    )
    destination_school = Text(
        label="School they are going to, if known (optional)",
        summary_label="Destination school",
        error_name="Destination school",
        max_length=SHORT_MAX,
    )
    destination_start_on = _date(
        "Date they start there, if known (optional)", "Start date", past=False
    )

    sections = (
        ("The pupil", (*IDENTITY, *HOME)),
        ("Deletion", ("deletion_ground", "ground_met_on")),
        ("Where they are going", ("future_address", "destination_school", "destination_start_on")),
        *PARENT_SECTIONS,
    )
    required = {
        **CHILD_REQUIRED,
        "deletion_ground": "Select the ground for deletion",
        "ground_met_on": "Enter the date the ground for deletion was met",
    }
    parents_required = 1
    parent_slots = 2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._after_birth(cleaned, "ground_met_on", "Date the ground was met")
        return cleaned


class AttendanceForm(_SchoolPupilForm):
    attendance_reason = Choice(
        label="Why are you telling us about this pupil?",
        summary_label="Reason",
        choices=AttendanceReason.choices,
    )
    absence_began_on = _date(
        "First day of the continuous absence",
        "First day of the absence",
        hint="Needed for 10 continuous school days of absence. For example, 27 3 2026",
    )
    notes = _notes("What has the school done? (optional)")

    sections = (
        ("The pupil", (*IDENTITY, *HOME)),
        ("Attendance", ("attendance_reason", "absence_began_on", "notes")),
    )
    required = {
        **CHILD_REQUIRED,
        "attendance_reason": "Select why you are telling us about this pupil",
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        began = cleaned.get("absence_began_on")
        if cleaned.get("attendance_reason") == AttendanceReason.TEN_DAYS:
            if "absence_began_on" not in self.errors and began is None:
                self.add_error("absence_began_on", "Enter the first day of the continuous absence")
            elif began is not None and (
                (timezone.localdate() - began).days < TEN_SCHOOL_DAYS_IN_CALENDAR_DAYS
            ):
                self.add_error(
                    "absence_began_on",
                    "First day of the absence must be at least 11 days ago, "
                    "for 10 school days to have passed",
                )
        self._after_birth(cleaned, "absence_began_on", "First day of the absence")
        return cleaned


class SicknessForm(_SchoolPupilForm):
    sickness_began_on = _date(
        "First day of this period of sickness",
        "First day of sickness",
        hint="Tell us once for each continuous period of sickness. For example, 27 3 2026",
    )
    expected_back_on = _date(
        "When do you expect them back? (optional)", "Expected return date", past=False
    )
    notes = _notes("What do you know about their illness and education? (optional)")

    sections = (
        ("The pupil", (*IDENTITY, *HOME)),
        ("Sickness", ("sickness_began_on", "expected_back_on", "notes")),
    )
    required = {
        **CHILD_REQUIRED,
        "sickness_began_on": "Enter the first day of this period of sickness",
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._after_birth(cleaned, "sickness_began_on", "First day of sickness")
        began, back = cleaned.get("sickness_began_on"), cleaned.get("expected_back_on")
        if began and back and back < began and "expected_back_on" not in self.errors:
            self.add_error(
                "expected_back_on", "Expected return date must be after the first day of sickness"
            )
        return cleaned


class FailedToStartForm(_SchoolPupilForm, _TwoParents):
    due_to_start_on = _date("Date they should have started", "Date they should have started")
    other_school = Text(
        label="Their previous school, if known (optional)",
        summary_label="Previous school",
        error_name="Previous school",
        max_length=SHORT_MAX,
    )
    notes = _notes("What has the school done to find out why? (optional)")

    sections = (
        ("The pupil", (*IDENTITY, *HOME)),
        ("Starting", ("due_to_start_on", "other_school", "notes")),
        ("Parent or carer 1 (optional)", PARENT_SECTIONS[0][1]),
        PARENT_SECTIONS[1],
    )
    required = {
        **CHILD_REQUIRED,
        "due_to_start_on": "Enter the date the pupil should have started",
    }
    parent_slots = 2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._after_birth(cleaned, "due_to_start_on", "Date they should have started")
        return cleaned


class NoDestinationForm(_SchoolPupilForm, _TwoParents):
    last_attended_on = _date("Last day they attended", "Last day they attended")
    notes = _notes("What has the school done to find out where they have gone? (optional)")

    sections = (
        ("The pupil", (*IDENTITY, *HOME)),
        ("Leaving", ("last_attended_on", "notes")),
        ("Parent or carer 1 (optional)", PARENT_SECTIONS[0][1]),
        PARENT_SECTIONS[1],
    )
    required = {
        **CHILD_REQUIRED,
        "last_attended_on": "Enter the last day the pupil attended",
    }
    parent_slots = 2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._after_birth(cleaned, "last_attended_on", "Last day they attended")
        return cleaned


PUPIL_FORMS: dict[str, type[ReturnForm]] = {
    ReturnKind.NEW_PUPIL: NewPupilForm,
    ReturnKind.DELETION: DeletionForm,
    ReturnKind.ATTENDANCE: AttendanceForm,
    ReturnKind.SICKNESS: SicknessForm,
    ReturnKind.FAILED_TO_START: FailedToStartForm,
    ReturnKind.NO_DESTINATION: NoDestinationForm,
}


def nothing_posted(form_class: type[ReturnForm], data: Mapping[str, Any]) -> bool:
    """Whether every box of the form was left empty (a date's three boxes included)."""
    names: list[str] = []
    for name, spec in form_class.base_fields.items():
        if isinstance(spec, GovukDate):
            names.extend(f"{name}_{part}" for part in DATE_PARTS)
        else:
            names.append(name)
    return not any(str(data.get(name, "")).strip() for name in names)


# What pressing each button on the pupil page asks for.
ADD_ANOTHER = "add_another"
CONTINUE = "continue"
NIL_RETURN = "nil"
PUPIL_ACTIONS = frozenset({ADD_ANOTHER, CONTINUE})


# Another local authority's notification ----------------------------------------------------

DIRECTIONS = [
    (ReturnKind.LA_MOVING_IN.value, "Moving into our area"),
    (ReturnKind.LA_MOVING_OUT.value, "Moving out of our area"),
]


def valid_other_la_code(value: str) -> None:
    if not (len(value) == 3 and value.isascii() and value.isdigit()):
        raise ValidationError("Local authority code must be 3 numbers, like 801", code="format")
    known = load_la_codes().get(value)
    if known is None or known.status not in OTHER_LA_STATUSES:
        raise ValidationError(
            "Enter the code of a local authority in England or Wales, like 801", code="unknown"
        )
    if value == settings.COUNCIL_LA_CODE:
        raise ValidationError(
            "Enter the other local authority's code, not our own", code="own_code"
        )


class LaNotificationForm(ReturnForm, _OneParent):
    """A notification from another local authority about one child, taken down by an officer.
    `token` makes sending it twice (a double click, the page posted again) one record."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = Choice(label="Is the child moving into or out of our area?", choices=DIRECTIONS)
    other_la_code = Text(
        label="The other local authority's code",
        summary_label="Other local authority",
        hint="3 numbers, for example 801 for Bristol",
        error_name="Local authority code",
        max_length=10,
        width="govuk-input--width-3",
        spellcheck=False,
        validators=[valid_other_la_code],
    )
    notified_on = _date(
        "Date the other local authority told us", "Date the other local authority told us"
    )
    forename = _forename()
    middle_names = _middle_names()
    surname = _surname()
    date_of_birth = _date_of_birth(optional=True)
    sex = _sex(optional=True)
    upn = _upn()
    address = _address("Address in our area, if known (optional)")
    future_address = _address("Address they are moving to, if known (optional)")
    postcode = _postcode()
    other_school = Text(
        label="School they attend or last attended, if known (optional)",
        summary_label="School",
        error_name="School",
        max_length=SHORT_MAX,
    )
    notes = _notes("What else did the other local authority tell us? (optional)")

    sections = (
        ("The notification", ("kind", "other_la_code", "notified_on")),
        ("The child", IDENTITY),
        ("Where they live", ("address", "future_address", "postcode", "other_school")),
        ("Parent or carer (optional)", ("parent_1_name", "parent_1_address", "parent_1_phone")),
        ("Anything else", ("notes",)),
    )
    required = {
        "kind": "Select whether the child is moving into or out of our area",
        "other_la_code": "Enter the other local authority's code",
        "notified_on": "Enter the date the other local authority told us",
        "forename": "Enter the child's first name",
        "surname": "Enter the child's last name",
    }
    parent_slots = 1

    def clean_token(self) -> str:
        value = self.cleaned_data.get("token") or ""
        return value if TOKEN_PATTERN.fullmatch(value) else ""

    def answers(self) -> dict[str, str]:
        return {
            name: _json_value(value)
            for name, value in self.cleaned_data.items()
            if name not in {"token", "kind", "other_la_code", "notified_on"}
        }


class DeletionAgreementRequestForm(forms.Form):
    """A school asks the authority to agree a deletion under ground (h) or (i)."""

    child = forms.ChoiceField(
        label="Pupil",
        error_messages={
            "required": "Select the pupil",
            "invalid_choice": "Select a pupil on your school's roll",
        },
    )
    ground = forms.ChoiceField(
        label="Deletion ground",
        widget=forms.RadioSelect,
        choices=[
            ("h", "(h) Not returned 10 school days after leave of absence"),
            ("i", "(i) Absent 20 continuous school days (sessions coded G, N or O)"),
        ],
        error_messages={"required": "Select ground (h) or (i)"},
    )
    note = forms.CharField(
        label="What the school has done to find the pupil",
        help_text="The enquiries made so far: calls, letters, home visits, and when",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter what the school has done to find the pupil"},
    )

    def __init__(self, *args: Any, pupils: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "Select a pupil"), *pupils]  # type: ignore[attr-defined]


class AgreeDeletionForm(forms.Form):
    """The officer records the joint enquiries and the date the authority agreed."""

    joint_enquiries = forms.CharField(
        label="Joint enquiries made by the school and the authority",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter the joint enquiries made"},
    )
    agreed_on = GovukDate(
        label="Date the authority agreed",
        error_name="Date the authority agreed",
        hint="For example, 27 3 2025",
        past_only="today_or_past",
    )

    def clean_agreed_on(self) -> datetime.date:
        agreed_on = self.cleaned_data.get("agreed_on")
        if not isinstance(agreed_on, datetime.date):
            raise ValidationError("Enter the date the authority agreed")
        return agreed_on
