"""Input for the report pages: validation only."""

from __future__ import annotations

from typing import Any

from django import forms

from cme.provision.dates import GovukDateField

from .terms import Term


class DfeReturnForm(forms.Form):
    as_of = GovukDateField(
        label="Census date",
        error_name="The census date",
        hint="The counts are as the register stood at the end of that day. For example, 2 10 2025",
        required=False,
        latest="today",
    )


class TermForm(forms.Form):
    term = forms.ChoiceField(
        label="Term",
        required=False,
        error_messages={"invalid_choice": "Select a term from the list"},
    )

    def __init__(self, *args: Any, terms: list[Term], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(t.slug, t.label) for t in terms]  # type: ignore[attr-defined]
