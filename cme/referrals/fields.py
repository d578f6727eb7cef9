"""Form fields for the public referral journey: text kept as typed, and GOV.UK dates.

Names and free text keep apostrophes, hyphens, diacritics and emoji exactly as typed; only
control characters are removed (they cannot be shown, and PostgreSQL refuses NUL in JSON).
A date is three boxes (day, month, year), read by `cme.web.dates`: every way it can be wrong
has its own GOV.UK message, naming the box to correct.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cme.web.dates import DateWidget, parse_date_parts, typed_parts

# C0 and C1 control characters except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]+")


def clean_text(value: str, *, multiline: bool) -> str:
    """The text as typed, without control characters; one line unless `multiline`."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub("", text).strip()


class Text(forms.CharField):
    """Free text or a name, with a length limit stated the GOV.UK way.

    No `maxlength` attribute is sent to the browser (GOV.UK: it cuts text off unseen); the
    limit is checked here and, for boxes of several lines, counted on the page.
    """

    def __init__(
        self,
        *,
        label: str,
        error_name: str,
        max_length: int,
        multiline: bool = False,
        hint: str = "",
        summary_label: str = "",
        width: str = "",
        autocomplete: str = "off",
        spellcheck: bool | None = None,
        input_type: str = "",
        validators: Sequence[Callable[[Any], None]] = (),
    ) -> None:
        super().__init__(
            label=label,
            help_text=hint,
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}) if multiline else forms.TextInput,
            validators=list(validators),
        )
        self.limit = max_length
        self.multiline = multiline
        self.error_name = error_name
        self.summary_label = summary_label or label
        self.width = width
        self.autocomplete = autocomplete
        self.spellcheck = spellcheck
        self.input_type = input_type

    def to_python(self, value: Any) -> str:
        if value in self.empty_values:
            return ""
        return clean_text(str(value), multiline=self.multiline)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > self.limit:
            raise ValidationError(
                f"{self.error_name} must be {self.limit:,} characters or less", code="max_length"
            )


class Choice(forms.ChoiceField):
    """Radios (or, for long lists, a select) where "I do not know" is always a choice."""

    def __init__(
        self,
        *,
        label: str,
        choices: Sequence[tuple[str, str]],
        hint: str = "",
        summary_label: str = "",
        select: bool = False,
    ) -> None:
        super().__init__(
            label=label,
            help_text=hint,
            required=False,
            choices=choices,
            widget=forms.Select if select else forms.RadioSelect,
            error_messages={"invalid_choice": "Select one of the options"},
        )
        self.summary_label = summary_label or label
        self.options: list[tuple[str, str]] = list(choices)

    def to_python(self, value: Any) -> str:
        # A list or a value with control characters is simply not one of the choices.
        return "" if value in self.empty_values else str(value)


class GovukDate(forms.Field):
    """A date asked for as day, month and year (the GOV.UK date input pattern).

    `past_only`: the date must be before today (`"past"`) or no later than today
    (`"today_or_past"`); None allows any date.
    """

    widget = DateWidget

    def __init__(
        self,
        *,
        label: str,
        error_name: str,
        hint: str = "",
        summary_label: str = "",
        past_only: str | None = None,
    ) -> None:
        super().__init__(label=label, help_text=hint, required=False)
        self.error_name = error_name
        self.summary_label = summary_label or label
        self.past_only = past_only

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        typed = typed_parts(value)
        if typed is None:
            return None
        today = timezone.localdate()
        if self.past_only == "past":
            latest: datetime.date | None = today - datetime.timedelta(days=1)
            message = f"{self.error_name} must be in the past"
        elif self.past_only == "today_or_past":
            latest = today
            message = f"{self.error_name} must be today or in the past"
        else:
            latest, message = None, ""
        return parse_date_parts(
            *typed, error_name=self.error_name, latest=latest, latest_message=message
        )
