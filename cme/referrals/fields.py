"""Form fields for the public referral journey: text kept as typed, and GOV.UK dates.

Names and free text keep apostrophes, hyphens, diacritics and emoji exactly as typed; only
control characters are removed (they cannot be shown, and PostgreSQL refuses NUL in JSON).
A date is three boxes (day, month, year), and every way it can be wrong has its own GOV.UK
message, naming the box to correct.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

# C0 and C1 control characters except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]+")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)

DATE_PARTS = ("day", "month", "year")
EARLIEST_YEAR = 1900


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


class DateWidget(forms.MultiWidget):
    """Three boxes, posted as `<name>_day`, `<name>_month` and `<name>_year`."""

    def __init__(self) -> None:
        super().__init__(dict.fromkeys(DATE_PARTS, forms.TextInput))

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return ["", "", ""]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def id_for_label(self, id_: str) -> str:
        # Labels and error links go to the first box.
        return f"{id_}_day" if id_ else ""


def date_error(message: str, code: str, parts: Sequence[str]) -> ValidationError:
    """A date error that remembers which boxes to highlight (the first is linked to)."""
    return ValidationError(message, code=code, params={"parts": tuple(parts)})


def parse_date_parts(
    day: str,
    month: str,
    year: str,
    *,
    error_name: str,
    latest: datetime.date | None,
    latest_message: str,
) -> datetime.date | None:
    """The date in three boxes, None if all are empty; ValidationError in GOV.UK words."""
    given = {
        "day": clean_text(day, multiline=False).replace(" ", ""),
        "month": clean_text(month, multiline=False).replace(" ", ""),
        "year": clean_text(year, multiline=False).replace(" ", ""),
    }
    missing = [part for part in DATE_PARTS if not given[part]]
    if len(missing) == len(DATE_PARTS):
        return None
    if missing:
        raise date_error(
            f"{error_name} must include a {' and '.join(missing)}", "incomplete", missing
        )
    not_numbers = [part for part in DATE_PARTS if not _DIGITS.fullmatch(given[part])]
    if not_numbers:
        raise date_error(f"{error_name} must be a real date", "invalid", not_numbers)
    if len(given["year"]) != 4:
        raise date_error("Year must include 4 numbers", "year_length", ["year"])
    try:
        value = datetime.date(int(given["year"]), int(given["month"]), int(given["day"]))
    except ValueError:
        bad = "month" if not 1 <= int(given["month"]) <= 12 else "day"
        raise date_error(f"{error_name} must be a real date", "invalid", [bad]) from None
    if value.year < EARLIEST_YEAR:
        raise date_error(
            f"{error_name} must be the same as or after 1 January {EARLIEST_YEAR}",
            "too_early",
            ["year"],
        )
    if latest is not None and value > latest:
        raise date_error(latest_message, "too_late", DATE_PARTS)
    return value


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
        if not isinstance(value, list | tuple) or len(value) != len(DATE_PARTS):
            return None
        day, month, year = (str(part) if part is not None else "" for part in value)
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
            day, month, year, error_name=self.error_name, latest=latest, latest_message=message
        )
