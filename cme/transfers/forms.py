"""Input for the school-transfer pages: HTTP validation only."""

from __future__ import annotations

import datetime
import re
from typing import Any, Final

from django import forms

from cme.linkage.records import parse_dob
from cme.standards.upn import check_upn

from .ctf.document import LOST_DESTINATIONS, Destination, SchoolRef

_LAESTAB: Final = re.compile(r"[0-9]{7}", re.ASCII)
_POSTCODE: Final = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}")


def _printable(value: str) -> str:
    # Control characters can only come from a pasted or crafted request.
    return "".join(ch for ch in value if ch.isprintable())


class UploadCtfForm(forms.Form):
    file = forms.FileField(
        label="Common Transfer File",
        help_text="An .xml file downloaded from S2S or sent by a school or authority",
        error_messages={
            "required": "Select a CTF file",
            "empty": "The selected file is empty",
            "invalid": "Select a CTF file",
        },
    )


class ReimportForm(forms.Form):
    """Import a kept file again (after an officer has decided a match, say); nothing to fill in."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="yes")


class LostPupilSearchForm(forms.Form):
    """ "Has anyone lost this child?": the child's details, any of them."""

    forename = forms.CharField(label="First name", max_length=100, required=False)
    surname = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = forms.CharField(
        label="Date of birth",
        help_text="For example, 27/3/2016",
        max_length=20,
        required=False,
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    upn = forms.CharField(label="UPN", max_length=20, required=False)
    child = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean_date_of_birth(self) -> str:
        text = _printable(self.cleaned_data["date_of_birth"]).strip()
        if not text:
            return ""
        dob = parse_dob(text)
        if dob is None or dob > datetime.date.today():  # noqa: DTZ011 - a calendar date
            raise forms.ValidationError("Enter a real date of birth, for example 27/3/2016")
        return dob.isoformat()

    def clean_postcode(self) -> str:
        text = " ".join(_printable(self.cleaned_data["postcode"]).upper().split())
        if text and not _POSTCODE.fullmatch(text):
            raise forms.ValidationError("Enter a full UK postcode, for example BA1 1AA")
        return text

    def clean_upn(self) -> str:
        text = _printable(self.cleaned_data["upn"]).strip()
        if not text:
            return ""
        result = check_upn(text)
        if not result.is_valid:
            raise forms.ValidationError(result.message or "Enter a valid UPN")
        return result.normalised

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("forename", "surname"):
            if name in cleaned:
                cleaned[name] = _printable(cleaned[name]).strip()
        if not any(cleaned.get(name) for name in ("forename", "surname", "date_of_birth", "upn")):
            raise forms.ValidationError("Enter a name, a date of birth or a UPN to search for")
        return cleaned

    def details(self) -> dict[str, str]:
        """The details in the identity-matching engine's column names."""
        data = self.cleaned_data
        return {
            "forename": data.get("forename", ""),
            "surname": data.get("surname", ""),
            "dob": data.get("date_of_birth", ""),
            "postcode": data.get("postcode", ""),
            "upn": data.get("upn", ""),
        }

    def query_text(self) -> str:
        """What was searched for, for the access log."""
        return " ".join(value for value in self.details().values() if value)


class DestinationForm(forms.Form):
    """Where a CTF goes: a school (by LAESTAB, in any authority), or the Lost Pupil Database."""

    SCHOOL = "school"
    destination = forms.ChoiceField(
        label="Where is the CTF going?",
        widget=forms.RadioSelect,
        choices=[
            (SCHOOL, "A school that has admitted the child"),
            (Destination.UNKNOWN.value, "The Lost Pupil Database: destination not known (XXXXXXX)"),
            (
                Destination.OUTSIDE.value,
                "The Lost Pupil Database: gone to an independent school or out of England "
                "(MMMMMMM)",
            ),
        ],
        error_messages={"required": "Select where the CTF is going"},
    )
    laestab = forms.CharField(
        label="The school's LAESTAB",
        help_text="7 digits: the LA code and the establishment number, for example 8002001",
        max_length=20,
        required=False,
    )

    def __init__(self, *args: Any, schools_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if schools_only:
            field = self.fields["destination"]
            field.choices = [(self.SCHOOL, "A school that has admitted the child")]  # type: ignore[attr-defined]
            field.initial = self.SCHOOL

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        laestab = "".join(str(cleaned.get("laestab", "")).split())
        cleaned["laestab"] = laestab
        if cleaned.get("destination") == self.SCHOOL and not _LAESTAB.fullmatch(laestab):
            self.add_error("laestab", "Enter the school's LAESTAB: 7 digits, for example 8002001")
        return cleaned

    def school_ref(self, *, name: str = "", urn: str = "") -> SchoolRef:
        destination = self.cleaned_data["destination"]
        if destination == self.SCHOOL:
            laestab = self.cleaned_data["laestab"]
            return SchoolRef(lea=laestab[:3], estab=laestab[3:], urn=urn, name=name)
        return LOST_DESTINATIONS[Destination(destination)]


class WorkItemForm(forms.Form):
    TAKE = "take"
    CLOSE = "close"
    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[(TAKE, "Deal with it myself"), (CLOSE, "Mark it done")],
        error_messages={"required": "Select what you want to do"},
    )
    outcome = forms.CharField(
        label="What was done (when marking it done)",
        help_text="For example: not known to us; replied to the other authority through S2S",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == self.CLOSE and not str(cleaned.get("outcome", "")).strip():
            self.add_error("outcome", "Enter what was done")
        return cleaned


class RecordMatchForm(forms.Form):
    child = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RollItemDoneForm(forms.Form):
    """Mark one roll worklist item done (a button per item)."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
