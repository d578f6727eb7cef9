"""Input for the identity-matching pages."""

from __future__ import annotations

from typing import Any

from django import forms

NONE_OF_THESE = "none"


class MatchDecisionForm(forms.Form):
    child = forms.ChoiceField(
        label="Which child in the register is this?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child this is about, or none of these"},
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, how you checked",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [  # type: ignore[attr-defined]
            *candidates,
            (NONE_OF_THESE, "None of these"),
        ]


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a child",
        help_text=(
            "Name, date of birth, postcode, UPN or NHS number, in any order. "
            "For example, Bill Smith 03/04/2015 BA2 4QP"
        ),
        max_length=200,
        required=False,
        strip=True,
    )

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"]
        # Control characters can only come from a pasted or crafted request.
        return "".join(ch for ch in value if ch.isprintable())
