"""The attendance pages' forms: recording a follow-up on a worklist item."""

from __future__ import annotations

from django import forms

from .models import TriggerFollowUp


class FollowUpForm(forms.Form):
    action = forms.ChoiceField(
        label="What did you do?",
        choices=TriggerFollowUp.Action.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you did",
            "invalid_choice": "Select what you did from the options given",
        },
    )
    note = forms.CharField(
        label="Details",
        help_text="Who you spoke to, what they said, what happens next",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the details of what you did",
            "max_length": "Details must be 1,000 characters or fewer",
        },
    )
