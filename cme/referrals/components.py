"""GOV.UK macro parameters for the referral pages, built on `cme.web.govuk_forms.field`.

The shared adapter has no date input and links a date's error to its fieldset; this module
adds the GOV.UK date input (the error links to, and highlights, the box to correct) and
chooses the macro for each question, so the page template only renders what it is given.
"""

from __future__ import annotations

from typing import Any

from django import forms

from cme.web.govuk_forms import field

from .fields import DATE_PARTS, Choice, GovukDate, Text
from .forms import HONEYPOT_FIELD, HoneypotForm

_LABEL_SMALL = "govuk-label--s"
_LEGEND_SMALL = "govuk-fieldset__legend--s"
_LEGEND_LARGE = "govuk-fieldset__legend--l"


def _date_error_parts(bound: forms.BoundField) -> tuple[str, ...]:
    errors = bound.form.errors.as_data().get(bound.name, [])
    parts: list[str] = []
    for error in errors:
        params = error.params or {}
        parts.extend(part for part in params.get("parts", DATE_PARTS) if part not in parts)
    return tuple(parts)


def date_input(
    bound: forms.BoundField, *, is_page_heading: bool = False, legend_classes: str = ""
) -> dict[str, Any]:
    """Parameters for `govukDateInput`: three boxes named `<name>_day|month|year`."""
    value = bound.value()
    widget = bound.field.widget
    typed: list[str] = ["", "", ""]
    if isinstance(value, list | tuple) and len(value) == len(DATE_PARTS):
        typed = ["" if part is None else str(part) for part in value]
    elif isinstance(widget, forms.MultiWidget):
        typed = [str(part) for part in widget.decompress(value) or typed]
    in_error = _date_error_parts(bound) if bound.errors else ()
    legend: dict[str, Any] = {"text": str(bound.label)}
    if is_page_heading:
        legend.update({"isPageHeading": True, "classes": legend_classes or _LEGEND_LARGE})
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


def heading_field(form: forms.BaseForm) -> str | None:
    """The question that is the page's heading: the form's choice, or a lone question."""
    chosen = getattr(form, "heading_field", None)
    if chosen:
        return str(chosen)
    return next(iter(form.fields)) if len(form.fields) == 1 else None


def question_components(
    form: forms.BaseForm, *, heading: str | None = None
) -> list[dict[str, Any]]:
    """Each question as {"macro": …, "params": …}; the `heading` question is the page's h1."""
    components = []
    for bound in form:
        spec = bound.field
        is_heading = bound.name == heading
        if isinstance(spec, GovukDate):
            params = date_input(
                bound,
                is_page_heading=is_heading,
                legend_classes="" if is_heading else _LEGEND_SMALL,
            )
            components.append({"macro": "date", "params": params})
        elif isinstance(spec, Choice) and isinstance(spec.widget, forms.RadioSelect):
            params = field(
                bound,
                is_page_heading=is_heading,
                label_classes=_LEGEND_LARGE if is_heading else _LEGEND_SMALL,
            )
            components.append({"macro": "radios", "params": params})
        elif isinstance(spec, Choice):
            params = field(
                bound, is_page_heading=is_heading, label_classes="" if is_heading else _LABEL_SMALL
            )
            components.append({"macro": "select", "params": params})
        elif isinstance(spec, Text) and spec.multiline:
            params = field(
                bound,
                is_page_heading=is_heading,
                label_classes="" if is_heading else _LABEL_SMALL,
                maxlength=spec.limit,
                rows=5,
            )
            components.append({"macro": "character_count", "params": params})
        elif isinstance(spec, Text):
            extra: dict[str, Any] = {"autocomplete": spec.autocomplete}
            if spec.spellcheck is not None:
                extra["spellcheck"] = spec.spellcheck
            if spec.input_type:
                extra["type"] = spec.input_type
            params = field(
                bound,
                is_page_heading=is_heading,
                label_classes="" if is_heading else _LABEL_SMALL,
                classes=spec.width,
                **extra,
            )
            components.append({"macro": "input", "params": params})
    return components


def error_summary(form: forms.BaseForm) -> list[dict[str, str]]:
    """The GOV.UK error summary's list, each message linked to the box to correct."""
    items: list[dict[str, str]] = []
    for name, errors in form.errors.as_data().items():
        if name not in form.fields:
            items.extend({"text": message} for error in errors for message in error.messages)
            continue
        bound = form[name]
        for error in errors:
            if isinstance(bound.field, GovukDate):
                parts = (error.params or {}).get("parts", DATE_PARTS)
                target = f"{bound.auto_id}_{parts[0]}"
            else:
                target = bound.id_for_label or str(bound.auto_id)
            items.extend({"text": message, "href": f"#{target}"} for message in error.messages)
    return items


def honeypot() -> dict[str, Any]:
    """The hidden box only robots fill in (the template wraps it in `hidden aria-hidden`)."""
    bound = HoneypotForm()[HONEYPOT_FIELD]
    return field(bound, autocomplete="off", attributes={"tabindex": "-1"})
