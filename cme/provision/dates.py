"""The GOV.UK date input for staff forms: a date asked for as day, month and year, each way it
can be wrong with its own message naming the box to correct, and the macro's parameters.

The referral journey has its own (cme.referrals.fields), which this app cannot import: it sits
above provision in the layers. Reports use this one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

DATE_PARTS = ("day", "month", "year")
EARLIEST_YEAR = 1900
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _error(message: str, code: str, parts: Sequence[str]) -> ValidationError:
    return ValidationError(message, code=code, params={"parts": tuple(parts)})


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
        return f"{id_}_day" if id_ else ""


class GovukDateField(forms.Field):
    """A date in three boxes. `latest="today"`: the date cannot be after today."""

    widget = DateWidget

    def __init__(
        self,
        *,
        label: str,
        error_name: str,
        hint: str = "For example, 27 3 2026",
        required: bool = True,
        latest: str | None = None,
    ) -> None:
        super().__init__(label=label, help_text=hint, required=False)
        self.mandatory = required
        self.error_name = error_name
        self.latest = latest

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, list | tuple) or len(value) != len(DATE_PARTS):
            return None
        given = {
            part: _CONTROL.sub("", str(typed or "")).replace(" ", "")
            for part, typed in zip(DATE_PARTS, value, strict=True)
        }
        missing = [part for part in DATE_PARTS if not given[part]]
        if len(missing) == len(DATE_PARTS):
            return None
        if missing:
            raise _error(
                f"{self.error_name} must include a {' and '.join(missing)}", "incomplete", missing
            )
        not_numbers = [part for part in DATE_PARTS if not _DIGITS.fullmatch(given[part])]
        if not_numbers:
            raise _error(f"{self.error_name} must be a real date", "invalid", not_numbers)
        if len(given["year"]) != 4:
            raise _error("Year must include 4 numbers", "year_length", ["year"])
        try:
            date = datetime.date(int(given["year"]), int(given["month"]), int(given["day"]))
        except ValueError:
            bad = "month" if not 1 <= int(given["month"]) <= 12 else "day"
            raise _error(f"{self.error_name} must be a real date", "invalid", [bad]) from None
        if date.year < EARLIEST_YEAR:
            raise _error(
                f"{self.error_name} must be after 1 January {EARLIEST_YEAR}", "too_early", ["year"]
            )
        if self.latest == "today" and date > timezone.localdate():
            raise _error(f"{self.error_name} must be today or in the past", "too_late", DATE_PARTS)
        return date

    def validate(self, value: Any) -> None:
        if value is None and self.mandatory:
            raise _error(f"Enter {self.error_name.lower()}", "required", DATE_PARTS)


def _parts_in_error(bound: forms.BoundField) -> tuple[str, ...]:
    parts: list[str] = []
    for error in bound.form.errors.as_data().get(bound.name, []):
        for part in (error.params or {}).get("parts", DATE_PARTS):
            if part not in parts:
                parts.append(part)
    return tuple(parts)


def date_input(bound: forms.BoundField, *, legend_classes: str = "") -> dict[str, Any]:
    """Parameters for `govukDateInput`: the boxes, what was typed, the boxes in error."""
    value = bound.value()
    typed = ["", "", ""]
    if isinstance(value, list | tuple) and len(value) == len(DATE_PARTS):
        typed = ["" if part is None else str(part) for part in value]
    elif isinstance(bound.field.widget, forms.MultiWidget):
        typed = [str(part) for part in bound.field.widget.decompress(value) or typed]
    in_error = _parts_in_error(bound) if bound.errors else ()
    widths = {"day": "govuk-input--width-2", "month": "govuk-input--width-2"}
    legend: dict[str, Any] = {"text": str(bound.label)}
    if legend_classes:
        legend["classes"] = legend_classes
    params: dict[str, Any] = {
        "id": bound.auto_id,
        "fieldset": {"legend": legend},
        "items": [
            {
                "id": f"{bound.auto_id}_{part}",
                "name": f"{bound.html_name}_{part}",
                "label": part.capitalize(),
                "value": typed[index],
                "classes": widths.get(part, "govuk-input--width-4")
                + (" govuk-input--error" if part in in_error else ""),
            }
            for index, part in enumerate(DATE_PARTS)
        ],
    }
    if bound.help_text:
        params["hint"] = {"text": str(bound.help_text)}
    if bound.errors:
        params["errorMessage"] = {"text": " ".join(str(error) for error in bound.errors)}
    return params


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """The GOV.UK error summary's list, each message linked to the box to correct (a date's
    first box in error)."""
    items: list[dict[str, str]] = []
    for name, errors in form.errors.as_data().items():
        if name not in form.fields:
            items.extend({"text": message} for error in errors for message in error.messages)
            continue
        bound = form[name]
        for error in errors:
            if isinstance(bound.field, GovukDateField):
                parts = (error.params or {}).get("parts", DATE_PARTS)
                target = f"{bound.auto_id}_{parts[0]}"
            elif isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                target = f"{bound.auto_id}"
            else:
                target = bound.id_for_label or str(bound.auto_id)
            items.extend({"text": message, "href": f"#{target}"} for message in error.messages)
    return items
