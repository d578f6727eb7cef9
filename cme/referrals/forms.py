"""The questions of the public referral form (CME1 plus what councils have since needed).

One form per page. Only two things are required, each on its own page: the child's name or a
description, and one way to reach the referrer. Every other question can be left blank or
answered "I do not know" ("information is better than no information", council policy).
Forms validate and clean input only; saving is `services`' job.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from cme.standards.upn import is_valid_upn

from . import services
from .fields import Choice, GovukDate, Text

NAME_MAX = 200
SHORT_MAX = 200
ADDRESS_MAX = 500
FREE_TEXT_MAX = 2000

HONEYPOT_FIELD = "website"

NOT_KNOWN = ("not_known", "I do not know")
YES_NO_NOT_KNOWN = [("yes", "Yes"), ("no", "No"), NOT_KNOWN]
GENDERS = [("female", "Female"), ("male", "Male"), NOT_KNOWN]
SEN_STAGES = [
    ("none", "No special educational needs"),
    ("sen_support", "SEN support"),
    ("ehc_plan", "Education, health and care (EHC) plan"),
    NOT_KNOWN,
]
YEAR_GROUPS = [
    ("", "I do not know"),
    ("nursery", "Nursery"),
    ("reception", "Reception"),
    *[(f"year_{number}", f"Year {number}") for number in range(1, 14)],
]
REFERRER_TYPES = [
    ("public", "A member of the public, for example a parent, relative or neighbour"),
    ("agency", "Someone working for a school, council, charity or other organisation"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]

_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", re.ASCII)
_PHONE = re.compile(
    r"\+?[0-9 ()\-]{6,30}(?: *(?:ext\.?|extension|x) *[0-9]{1,6})?", re.ASCII | re.IGNORECASE
)


def _valid_postcode(value: str) -> None:
    if not _POSTCODE.fullmatch(" ".join(value.upper().split())):
        raise ValidationError("Enter a real postcode, like BA1 1JG", code="postcode")


def _valid_phone(value: str) -> None:
    digits = sum(character.isdigit() for character in value)
    if not _PHONE.fullmatch(value) or not 7 <= digits <= 16:
        raise ValidationError(
            "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
            code="phone",
        )


def _valid_upn(value: str) -> None:
    if not is_valid_upn(value):
        raise ValidationError(
            "Enter a UPN in the correct format, like A801200014001, or leave it blank",
            code="upn",
        )


_valid_email = EmailValidator(
    message="Enter an email address in the correct format, like name@example.com"
)


def _json_value(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


class StepForm(forms.Form):
    """One page of the journey. Its answers are stored as text (dates as YYYY-MM-DD).

    `heading_field` names the question that is the page's heading; a page with one question
    always has it as its heading.
    """

    heading_field: str | None = None

    def answers(self) -> dict[str, str]:
        return {name: _json_value(value) for name, value in self.cleaned_data.items()}

    @classmethod
    def initial_from(cls, saved: Mapping[str, Any]) -> dict[str, Any]:
        return {name: saved[name] for name in cls.base_fields if name in saved}


class ChildNameForm(StepForm):
    first_name = Text(
        label="First name", error_name="First name", max_length=NAME_MAX, spellcheck=False
    )
    last_name = Text(
        label="Last name", error_name="Last name", max_length=NAME_MAX, spellcheck=False
    )
    description = Text(
        label="If you do not know their name, describe the child",
        summary_label="Description",
        hint="For example, how old they look, what they look like and where you have seen them",
        error_name="Description",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (
            cleaned.get("first_name") or cleaned.get("last_name") or cleaned.get("description")
        ) and not self.has_error("first_name"):
            self.add_error("first_name", services.CHILD_IDENTITY_MESSAGE)
        return cleaned


class DateOfBirthForm(StepForm):
    heading_field = "date_of_birth"

    date_of_birth = GovukDate(
        label="What is the child's date of birth?",
        summary_label="Date of birth",
        hint="For example, 27 3 2014",
        error_name="Date of birth",
        past_only="past",
    )
    approximate_age = Text(
        label="If you do not know their date of birth, how old do you think they are?",
        summary_label="Age, if date of birth not known",
        error_name="Their age",
        max_length=100,
        width="govuk-!-width-one-half",
    )


class AboutChildForm(StepForm):
    gender = Choice(label="Is the child male or female?", summary_label="Sex", choices=GENDERS)
    year_group = Choice(
        label="Which school year are they in, or should they be in?",
        summary_label="Year group",
        choices=YEAR_GROUPS,
        select=True,
    )
    ethnicity = Text(
        label="Their ethnicity",
        summary_label="Ethnicity",
        hint="Leave this blank if you do not know",
        error_name="Ethnicity",
        max_length=SHORT_MAX,
        width="govuk-!-width-two-thirds",
    )


class AddressForm(StepForm):
    address = Text(
        label="Address",
        hint="Where the child lives or was last known to live in the area",
        error_name="Address",
        max_length=ADDRESS_MAX,
        multiline=True,
    )
    postcode = Text(
        label="Postcode",
        error_name="Postcode",
        max_length=20,
        width="govuk-input--width-10",
        validators=[_valid_postcode],
    )
    phone_numbers = Text(
        label="Phone numbers for the child or family",
        summary_label="Phone numbers",
        hint="Any mobile or landline numbers you know",
        error_name="Phone numbers",
        max_length=SHORT_MAX,
    )


class MovedForm(StepForm):
    heading_field = "has_moved"

    has_moved = Choice(
        label="Has the child or family moved, or are they about to move?",
        summary_label="Moved or moving",
        choices=YES_NO_NOT_KNOWN,
    )
    new_address = Text(
        label="Their new address",
        summary_label="New address",
        hint="Include the country if they have moved abroad",
        error_name="New address",
        max_length=ADDRESS_MAX,
        multiline=True,
    )
    new_phone_numbers = Text(
        label="Their new phone numbers",
        summary_label="New phone numbers",
        error_name="New phone numbers",
        max_length=SHORT_MAX,
    )
    moved_on = GovukDate(
        label="When did they move, or when will they move?",
        summary_label="Date of move",
        hint="For example, 27 3 2026",
        error_name="Date of move",
    )


class ParentForm(forms.Form):
    """One parent or carer; the journey lets the referrer add as many as they know."""

    name = Text(
        label="Their name",
        summary_label="Name",
        error_name="Name",
        max_length=NAME_MAX,
        spellcheck=False,
    )
    relationship = Text(
        label="How are they related to the child?",
        summary_label="Relationship",
        hint="For example, mother, father, grandparent or foster carer",
        error_name="Relationship",
        max_length=100,
        width="govuk-!-width-one-half",
    )
    address = Text(
        label="Their address, if it is different from the child's",
        summary_label="Address",
        error_name="Address",
        max_length=ADDRESS_MAX,
        multiline=True,
    )
    phone_numbers = Text(
        label="Their phone numbers",
        summary_label="Phone numbers",
        error_name="Phone numbers",
        max_length=SHORT_MAX,
    )

    def answers(self) -> dict[str, str]:
        return {name: _json_value(value) for name, value in self.cleaned_data.items()}

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.values())


class AddAnotherParentForm(forms.Form):
    add_another = Choice(label="Do you want to add another parent or carer?", choices=YES_NO)

    def __init__(self, *args: Any, first: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if first:
            self.fields["add_another"].label = "Do you know who the child's parents or carers are?"
            self.fields[
                "add_another"
            ].help_text = "For example, their mother, father or someone else who looks after them"


class SiblingsForm(StepForm):
    siblings = Text(
        label="Does the child have brothers or sisters of school age?",
        summary_label="Brothers or sisters of school age",
        hint=(
            "Give their names, ages and schools if you know them. "
            "Leave this blank if you do not know."
        ),
        error_name="Brothers or sisters",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )


class EmergencyContactsForm(StepForm):
    emergency_contacts = Text(
        label="Who else could we contact about the child?",
        summary_label="Other contacts",
        hint=(
            "For example, grandparents, family friends, or emergency contacts a school had. "
            "Give their names, how they know the child and their phone numbers."
        ),
        error_name="Other contacts",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )


class SchoolForm(StepForm):
    last_school = Text(
        label="Name of their last school",
        summary_label="Last school",
        error_name="School name",
        max_length=SHORT_MAX,
    )
    last_school_area = Text(
        label="Which council area is the school in?",
        summary_label="Local authority",
        hint="For example, Bath and North East Somerset, Bristol or Wiltshire",
        error_name="Council area",
        max_length=SHORT_MAX,
    )
    last_on_roll = GovukDate(
        label="When were they last on a school roll?",
        summary_label="Date last on a school roll",
        hint="The last day they were registered at a school. For example, 27 3 2026",
        error_name="Date last on a school roll",
        past_only="today_or_past",
    )
    upn = Text(
        label="Unique pupil number (UPN)",
        summary_label="UPN",
        hint="13 letters and numbers, shown on some school reports. Leave blank if not known.",
        error_name="UPN",
        max_length=20,
        width="govuk-input--width-20",
        spellcheck=False,
        validators=[_valid_upn],
    )


class ReasonForm(StepForm):
    reason = Text(
        label="Why do you think the child is not in education?",
        summary_label="Reason out of education",
        hint="For example, if they left a school, moved to the area or were excluded",
        error_name="Reason",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )


class SupportForm(StepForm):
    looked_after = Choice(
        label="Is the child looked after by a council (in care)?",
        summary_label="Looked after",
        choices=YES_NO_NOT_KNOWN,
    )
    sen_stage = Choice(
        label="Do they have special educational needs?",
        summary_label="Special educational needs",
        choices=SEN_STAGES,
    )
    gp = Text(
        label="Their doctor (GP)",
        summary_label="GP",
        hint="The name and address of the surgery, if you know it",
        error_name="GP details",
        max_length=ADDRESS_MAX,
        multiline=True,
    )
    agencies = Text(
        label="Which other services are working with the child or family?",
        summary_label="Other agencies",
        hint="For example, social care, a health visitor, youth services or the police",
        error_name="Other services",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )


class AttemptsForm(StepForm):
    attempts = Text(
        label="What has already been done to find or contact the child?",
        summary_label="Attempts to find the child",
        hint="For example, phone calls, letters or home visits: when, and what happened",
        error_name="What has been done",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )


class SafetyForm(StepForm):
    heading_field = "safety_concerns"

    safety_concerns = Choice(
        label="Is there anything that could put staff visiting the home at risk?",
        summary_label="Risks to visiting staff",
        hint="For example, dogs, threats or violence, or someone who should not be approached",
        choices=YES_NO_NOT_KNOWN,
    )
    safety_details = Text(
        label="What should staff know before visiting?",
        summary_label="What staff should know",
        error_name="What staff should know",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )


class OtherDetailsForm(StepForm):
    other_details = Text(
        label="Is there anything else we should know?",
        summary_label="Other details",
        hint="Leave this blank if there is nothing else",
        error_name="Other details",
        max_length=FREE_TEXT_MAX,
        multiline=True,
    )


class ReferrerForm(StepForm):
    referrer_name = Text(
        label="Your name",
        error_name="Your name",
        max_length=NAME_MAX,
        autocomplete="name",
        spellcheck=False,
    )
    referrer_type = Choice(
        label="Are you contacting us as", summary_label="Contacting us as", choices=REFERRER_TYPES
    )
    organisation = Text(
        label="If you work for an organisation, which one?",
        summary_label="Organisation",
        hint="For example, the name of the school, council team, charity or health service",
        error_name="Organisation",
        max_length=SHORT_MAX,
        autocomplete="organization",
    )


class ReferrerContactForm(StepForm):
    phone = Text(
        label="Phone number",
        summary_label="Your phone number",
        hint="For international numbers include the country code",
        error_name="Phone number",
        max_length=50,
        width="govuk-input--width-20",
        autocomplete="tel",
        input_type="tel",
        validators=[_valid_phone],
    )
    email = Text(
        label="Email address",
        summary_label="Your email address",
        error_name="Email address",
        max_length=254,
        autocomplete="email",
        spellcheck=False,
        input_type="email",
        validators=[_valid_email],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("phone") or cleaned.get("email")) and not self.errors:
            self.add_error("phone", services.REFERRER_CONTACT_MESSAGE)
        return cleaned


class HoneypotForm(forms.Form):
    """A box only robots fill in: hidden from sight, from screen readers and from the tab order."""

    website = Text(label="Leave this box empty", error_name="Website", max_length=10_000)
