"""The GOV.UK date input, for every form that asks for a date: day, month and year in three
boxes, each way a date can be wrong with its own message naming the box to correct (the
first box in error is linked to from the error summary and each is highlighted), and the
parameters of the `govukDateInput` macro.

The public referral journey (`cme.referrals.fields.GovukDate`) and the staff forms
(`cme.provision.dates.GovukDateField`) each wrap it in a field of their own.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

DATE_PARTS = ("day", "month", "year")
EARLIEST_YEAR = 1900
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Control characters, line and paragraph separators and spaces: never part of a date typed.
_NOT_TYPED = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029 ]")


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
        name: _NOT_TYPED.sub("", typed)
        for name, typed in zip(DATE_PARTS, (day, month, year), strict=True)
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


def typed_parts(value: Any) -> tuple[str, str, str] | None:
    """A date field's posted value as the three boxes' text; None if it is not three boxes."""
    if not isinstance(value, list | tuple) or len(value) != len(DATE_PARTS):
        return None
    day, month, year = (str(part) if part is not None else "" for part in value)
    return day, month, year


def date_error_parts(bound: forms.BoundField) -> tuple[str, ...]:
    """The boxes of a date field in error, in the order they should be corrected."""
    parts: list[str] = []
    for error in bound.form.errors.as_data().get(bound.name, []):
        parts.extend(
            part for part in (error.params or {}).get("parts", DATE_PARTS) if part not in parts
        )
    return tuple(parts)


def date_input(
    bound: forms.BoundField, *, is_page_heading: bool = False, legend_classes: str = ""
) -> dict[str, Any]:
    """Parameters for `govukDateInput`: the boxes, what was typed, the boxes in error."""
    value = bound.value()
    widget = bound.field.widget
    typed: list[str] = ["", "", ""]
    if isinstance(value, list | tuple) and len(value) == len(DATE_PARTS):
        typed = ["" if part is None else str(part) for part in value]
    elif isinstance(widget, forms.MultiWidget):
        typed = [str(part) for part in widget.decompress(value) or typed]
    in_error = date_error_parts(bound) if bound.errors else ()
    legend: dict[str, Any] = {"text": str(bound.label)}
    if is_page_heading:
        legend.update(
            {"isPageHeading": True, "classes": legend_classes or "govuk-fieldset__legend--l"}
        )
    elif legend_classes:
        legend["classes"] = legend_classes
    widths = {"day": "govuk-input--width-2", "month": "govuk-input--width-2"}
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
