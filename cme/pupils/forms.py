"""Input for the pupil-register pages."""

from __future__ import annotations

from django import forms


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a child",
        help_text="Name, UPN, or date of birth as DD/MM/YYYY. For example, Jordan Smith 03/04/2015",
        max_length=200,
        required=False,
        strip=True,
    )

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"]
        # Control characters can only come from a pasted or crafted request.
        return "".join(ch for ch in value if ch.isprintable())
