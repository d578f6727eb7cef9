"""One adapter from Django form fields to GOV.UK Frontend macro parameters.

Templates call `field(form["name"])` and pass the result to `govukInput`, `govukRadios`,
`govukCheckboxes`, `govukSelect`, `govukTextarea` or `govukDateInput`, so no page writes
its own <input> markup and every error is shown the GOV.UK way.
"""

from __future__ import annotations

from typing import Any

from django import forms

from .dates import DATE_PARTS, DateWidget


def _label(bound: forms.BoundField, *, is_page_heading: bool, label_classes: str) -> dict[str, Any]:
    label: dict[str, Any] = {"text": str(bound.label)}
    if is_page_heading:
        label.update({"isPageHeading": True, "classes": label_classes or "govuk-label--l"})
    elif label_classes:
        label["classes"] = label_classes
    return label


def field(
    bound: forms.BoundField,
    *,
    is_page_heading: bool = False,
    label_classes: str = "",
    classes: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """Parameters for the GOV.UK macro that renders `bound`."""
    widget = bound.field.widget
    params: dict[str, Any] = {
        "id": bound.id_for_label or bound.auto_id,
        "name": bound.html_name,
    }
    if bound.help_text:
        params["hint"] = {"text": str(bound.help_text)}
    if bound.errors:
        params["errorMessage"] = {"text": " ".join(str(error) for error in bound.errors)}
    if classes:
        params["classes"] = classes
    attributes = {
        key: value
        for key, value in widget.attrs.items()
        if key in {"autocomplete", "inputmode", "spellcheck", "maxlength"} and key not in extra
    }

    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        selected = bound.value()
        chosen = (
            {str(v) for v in selected} if isinstance(selected, list | tuple) else {str(selected)}
        )
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": value, "text": str(text), "checked": str(value) in chosen}
            for value, text in bound.field.choices  # type: ignore[attr-defined]
            if value != ""
        ]
        legend: dict[str, Any] = {"text": str(bound.label)}
        if is_page_heading:
            legend.update(
                {"isPageHeading": True, "classes": label_classes or "govuk-fieldset__legend--l"}
            )
        elif label_classes:
            legend["classes"] = label_classes
        params["fieldset"] = {"legend": legend}
    elif isinstance(widget, forms.Select):
        value = bound.value()
        params["label"] = _label(
            bound, is_page_heading=is_page_heading, label_classes=label_classes
        )
        params["items"] = [
            {"value": choice, "text": str(text), "selected": str(choice) == str(value)}
            for choice, text in bound.field.choices  # type: ignore[attr-defined]
        ]
    else:
        params["label"] = _label(
            bound, is_page_heading=is_page_heading, label_classes=label_classes
        )
        value = bound.value()
        params["value"] = "" if value is None else str(value)
        if isinstance(widget, forms.PasswordInput):
            params["value"] = ""
        input_type = getattr(widget, "input_type", "text")
        if input_type not in {"text", "textarea"}:
            params["type"] = input_type
    if attributes:
        params["attributes"] = attributes
    params.update(extra)
    return params


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's list: each message linked to the field it is about (a date's
    first box in error; a group of radios or checkboxes' first)."""
    items: list[dict[str, str]] = []
    for name, errors in form.errors.as_data().items():
        if name not in form.fields:
            items.extend({"text": message} for error in errors for message in error.messages)
            continue
        bound = form[name]
        for error in errors:
            if isinstance(bound.field.widget, DateWidget):
                parts = (error.params or {}).get("parts", DATE_PARTS)
                target = f"{bound.auto_id}_{parts[0]}"
            elif isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                target = f"{bound.auto_id}"
            else:
                target = bound.id_for_label or str(bound.auto_id)
            items.extend({"text": message, "href": f"#{target}"} for message in error.messages)
    return items
