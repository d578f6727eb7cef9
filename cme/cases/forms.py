"""Input for the case pages. Each change form carries the case version it was made against."""

from __future__ import annotations

from typing import Any

from django import forms

from .categories import CaseCategory
from .enquiries import EnquiryStatus
from .models import ContactAttempt, Letter
from .workflow import ALLOWED_TRANSITIONS, CaseStatus, ClosureReason


class OpenCaseForm(forms.Form):
    category = forms.ChoiceField(
        label="Why is this child on the CME register?",
        choices=CaseCategory.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why this child is missing, or at risk of missing, education"
        },
    )
    summary = forms.CharField(
        label="What do we know so far? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MoveCaseForm(VersionedForm):
    to = forms.ChoiceField(
        label="Move the case to",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the case's new status"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000)

    def __init__(self, *args: Any, current: CaseStatus, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (status.value, status.label)
            for status in CaseStatus
            if status in ALLOWED_TRANSITIONS[current] and status != CaseStatus.CLOSED
        ]


class AllocateCaseForm(VersionedForm):
    officer = forms.ChoiceField(label="Allocate to", required=False)

    def __init__(self, *args: Any, officers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", "Nobody (unallocated)"), *officers]  # type: ignore[attr-defined]


class CloseCaseForm(VersionedForm):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    manager_approved = forms.BooleanField(
        label="As a CME manager, I approve closing with enquiries outstanding",
        required=False,
    )


class ReopenCaseForm(VersionedForm):
    note = forms.CharField(
        label="Why is the case re-opening?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the case is re-opening"},
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any open status"), *CaseStatus.choices]
    )
    allocation = forms.ChoiceField(
        label="Allocated",
        required=False,
        choices=[("", "Anyone"), ("mine", "To me"), ("unallocated", "Unallocated")],
    )
    due = forms.ChoiceField(
        label="Deadline",
        required=False,
        choices=[("", "Any"), ("overdue", "Overdue")],
    )


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"]


class EnquiryForm(forms.Form):
    status = forms.ChoiceField(
        label="Where has this enquiry got to?",
        choices=EnquiryStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where this enquiry has got to"},
    )
    requested_on = forms.DateField(
        label="Date requested (optional)",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 27/11/2026",
        error_messages={"invalid": "Date requested must be a real date, like 27/11/2026"},
    )
    response = forms.CharField(
        label="What did they say? (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    responded_on = forms.DateField(
        label="Date of the response (optional)",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 28/11/2026",
        error_messages={"invalid": "Date of the response must be a real date, like 28/11/2026"},
    )


class ContactAttemptForm(forms.Form):
    method = forms.ChoiceField(
        label="How did you try to reach the family?",
        choices=ContactAttempt.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you tried to reach the family"},
    )
    made_on = forms.DateField(
        label="Date of the attempt",
        input_formats=DATE_FORMATS,
        help_text="For example, 27/11/2026",
        error_messages={
            "required": "Enter the date of the attempt",
            "invalid": "Date of the attempt must be a real date, like 27/11/2026",
        },
    )
    reached_family = forms.ChoiceField(
        label="Did you reach the family?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you reached the family"},
    )
    outcome = forms.CharField(
        label="What happened?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what happened"},
    )


class RecheckForm(VersionedForm):
    note = forms.CharField(
        label="What did you check again this term?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the Lost Pupil Database, Child Health and the last known school",
        error_messages={"required": "Enter what you checked again this term"},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the note",
            "max_length": "The note must be 4000 characters or fewer",
        },
    )
    sensitive = forms.BooleanField(
        label="Sensitive (safeguarding): only the CME team can read it",
        required=False,
    )


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which letter?",
        choices=Letter.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which letter to write"},
    )
    recipient = forms.ChoiceField(
        label="Who is it to?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who the letter is to",
            "invalid_choice": "Select who the letter is to",
        },
    )
    school_name = forms.CharField(
        label="School that offered the place",
        required=False,
        max_length=200,
        help_text="Only for a school place offered letter",
        error_messages={"max_length": "The school's name must be 200 characters or fewer"},
    )
    start_date = forms.DateField(
        label="Date the child starts at the school",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="Only for a school place offered letter. For example, 5/1/2027",
        error_messages={"invalid": "The start date must be a real date, like 5/1/2027"},
    )
    extra = forms.CharField(
        label="Anything else to say in the letter (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "What else to say must be 1000 characters or fewer"},
    )

    def __init__(self, *args: Any, recipients: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = recipients  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Letter.Kind.SCHOOL_PLACE_OFFERED:
            if not cleaned.get("school_name", "").strip() and "school_name" not in self.errors:
                self.add_error("school_name", "Enter the school that offered the place")
            if cleaned.get("start_date") is None and "start_date" not in self.errors:
                self.add_error("start_date", "Enter the date the child starts at the school")
        return cleaned
