"""Input for the case pages. Each change form carries the case version it was made against."""

from __future__ import annotations

from typing import Any

from django import forms

from .categories import CaseCategory
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
