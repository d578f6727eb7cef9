"""The triage decision form."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Referral

NO_MATCH = "none"


class TriageForm(forms.Form):
    child = forms.ChoiceField(
        label="Which child in the register is this?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child in the register, or none of these"},
    )
    outcome = forms.ChoiceField(
        label="What happens next?",
        choices=Referral.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happens next"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        candidates: list[tuple[str, str]],
        offer_attending: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # "On a roll and attending" is offered only when the register shows it.
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in Referral.Outcome.choices
            if offer_attending or value != Referral.Outcome.ON_ROLL_ATTENDING
        ]
        self.fields["child"].choices = [  # type: ignore[attr-defined]
            *candidates,
            (NO_MATCH, "None of these: the child is not in the register"),
        ]
