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
