"""The form for a referral taken by telephone, email or post."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from .documents import OriginalRefusedError, check_original
from .models import Referral

STAFF_CHANNELS = [
    (Referral.Channel.PHONE.value, "Telephone"),
    (Referral.Channel.EMAIL.value, "Email"),
    (Referral.Channel.POST.value, "Post"),
]


def _printable(value: str) -> str:
    return "".join(ch for ch in value if ch.isprintable() or ch == "\n").strip()


class StaffReferralForm(forms.Form):
    channel = forms.ChoiceField(
        label="How did the referral arrive?",
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the referral arrived"},
    )
    received_on = forms.DateField(
        label="Date received",
        help_text="For example, 27/11/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
        error_messages={
            "required": "Enter the date the referral was received",
            "invalid": "Date received must be a real date, like 27/11/2026",
        },
    )
    first_name = forms.CharField(label="Child's first name", required=False, max_length=100)
    last_name = forms.CharField(label="Child's last name", required=False, max_length=100)
    description = forms.CharField(
        label="If the name is not known, describe the child",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    date_of_birth = forms.DateField(
        label="Child's date of birth (optional)",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
        help_text="For example, 03/04/2015",
        error_messages={"invalid": "Date of birth must be a real date, like 03/04/2015"},
    )
    referrer_name = forms.CharField(label="Who made the referral?", required=False, max_length=200)
    referrer_contact = forms.CharField(
        label="Their phone number or email address",
        max_length=200,
        error_messages={"required": "Enter a phone number or email address for the referrer"},
    )
    details = forms.CharField(
        label="What did they tell us?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    original = forms.FileField(
        label="The original email or letter (optional)",
        help_text="A PDF, a scanned image (PNG, JPEG or TIFF) or an email saved as .eml or .msg, "
        "smaller than 10 MB",
        required=False,
    )

    def clean_received_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Date received must be today or in the past")
        return value

    def clean_date_of_birth(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("date_of_birth")
        if value is not None and value >= timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        if value is not None and value.year < 1990:
            raise forms.ValidationError("Date of birth must be after 1990")
        return value

    def clean_original(self) -> Any:
        upload = self.cleaned_data.get("original")
        if upload is None:
            return None
        try:
            check_original(head=upload.read(2048), size=upload.size or 0)
        except OriginalRefusedError as refused:
            raise forms.ValidationError(str(refused)) from refused
        finally:
            upload.seek(0)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in (
            "first_name",
            "last_name",
            "description",
            "referrer_name",
            "referrer_contact",
            "details",
        ):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = _printable(cleaned[name])
        if not (
            cleaned.get("first_name") or cleaned.get("last_name") or cleaned.get("description")
        ):
            self.add_error("first_name", "Enter the child's name, or describe the child")
        return cleaned

    def answers(self) -> dict[str, dict[str, str]]:
        """The answers in the online journey's structure, so triage reads them alike."""
        data = self.cleaned_data
        contact = data["referrer_contact"]
        dob = data.get("date_of_birth")
        return {
            "child_name": {
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "description": data["description"],
            },
            "date_of_birth": {
                "date_of_birth": dob.isoformat() if dob else "",
                "approximate_age": "",
            },
            "referrer": {"referrer_name": data["referrer_name"]},
            "referrer_contact": {
                "phone": "" if "@" in contact else contact,
                "email": contact if "@" in contact else "",
            },
            "other_details": {"other_details": data["details"]},
        }
