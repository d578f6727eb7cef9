"""Input for the pupil-register pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms


class WelfareConcernForm(forms.Form):
    concern = forms.CharField(
        label="What is the concern?",
        help_text=(
            "Say what you saw or were told, and when. If a child is in immediate danger, call 999."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe the concern"},
    )


class SafeguardingReferralForm(forms.Form):
    referred_on = forms.DateField(
        label="Date referred",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
        help_text="For example, 27/11/2026",
        error_messages={
            "required": "Enter the date the child was referred",
            "invalid": "Date referred must be a real date, like 27/11/2026",
        },
    )
    referred_to = forms.CharField(
        label="Referred to",
        help_text="For example, the multi-agency safeguarding hub",
        max_length=200,
        error_messages={"required": "Enter who the child was referred to"},
    )
    reference = forms.CharField(label="Their reference (optional)", required=False, max_length=100)
    outcome = forms.CharField(
        label="Outcome (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChooseDuplicateForm(forms.Form):
    duplicate_id = forms.IntegerField(
        label="Child ID of the duplicate record",
        help_text="The number in the record's web address: 1234 in /children/1234/",
        min_value=1,
        widget=forms.TextInput,  # GOV.UK: a number that is not an amount is a text input
        error_messages={
            "required": "Enter the child ID of the duplicate record",
            "invalid": "Child ID must be a number, like 1234",
            "min_value": "Child ID must be a number, like 1234",
        },
    )


class ConfirmMergeForm(forms.Form):
    take = forms.MultipleChoiceField(
        label="Take any of these details from the duplicate record?",
        help_text="This record keeps its own details unless you select them here.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Why are these records the same child?",
        help_text="For example, the same child recorded twice with a misspelt surname.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why these records are the same child"},
    )

    def __init__(self, data: Any = None, *, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["take"]).choices = choices


class UndoMergeForm(forms.Form):
    """No questions: the button confirms. A form so a refusal shows in the error summary."""
