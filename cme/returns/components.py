"""GOV.UK macro parameters for the return forms, section by section, and answers read back.

Built on the referral pages' components (the GOV.UK date input with its box-by-box errors),
so the templates only render what they are given.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from cme.referrals.fields import Choice, GovukDate, Text
from cme.web.dates import date_input
from cme.web.govuk_forms import error_list, field

from .forms import ReturnForm

_LABEL_SMALL = "govuk-label--s"
_LEGEND_SMALL = "govuk-fieldset__legend--s"
NOT_GIVEN = "Not given"


def component(bound: forms.BoundField) -> dict[str, Any]:
    """One question as {"macro": …, "params": …} for `referrals/_components.html`."""
    spec = bound.field
    if isinstance(spec, GovukDate):
        return {"macro": "date", "params": date_input(bound, legend_classes=_LEGEND_SMALL)}
    if isinstance(spec, Choice) and isinstance(spec.widget, forms.RadioSelect):
        return {"macro": "radios", "params": field(bound, label_classes=_LEGEND_SMALL)}
    if isinstance(spec, Choice):
        return {"macro": "select", "params": field(bound, label_classes=_LABEL_SMALL)}
    if isinstance(spec, Text) and spec.multiline:
        params = field(bound, label_classes=_LABEL_SMALL, maxlength=spec.limit, rows=3)
        return {"macro": "character_count", "params": params}
    extra: dict[str, Any] = {"autocomplete": spec.autocomplete} if isinstance(spec, Text) else {}
    if isinstance(spec, Text):
        if spec.spellcheck is not None:
            extra["spellcheck"] = spec.spellcheck
        if spec.input_type:
            extra["type"] = spec.input_type
    classes = spec.width if isinstance(spec, Text) else ""
    return {
        "macro": "input",
        "params": field(bound, label_classes=_LABEL_SMALL, classes=classes, **extra),
    }


def form_sections(form: ReturnForm) -> list[dict[str, Any]]:
    """The form's questions in its sections: [{"title", "components"}]."""
    return [
        {"title": title, "components": [component(form[name]) for name in names]}
        for title, names in form.sections
    ]


def display(spec: forms.Field, raw: Any) -> dict[str, Any]:
    """A stored answer as a summary list shows it: {"text": …}, or {"html": …} for lines."""
    if raw is None or raw == "":
        return {"text": NOT_GIVEN}
    text = str(raw)
    if isinstance(spec, Choice):
        return {"text": str(dict(spec.options).get(text, text))}
    if isinstance(spec, GovukDate):
        try:
            return {"text": date_format(datetime.date.fromisoformat(text), "j F Y")}
        except ValueError:
            return {"text": text}
    if "\n" in text:
        return {
            "html": format_html_join(
                mark_safe("<br>"), "{}", ((line,) for line in text.split("\n"))
            )
        }
    return {"text": text}


def answer_rows(form_class: type[ReturnForm], saved: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every question the form asks, with the stored answer, for a GOV.UK summary list.
    Unanswered optional questions about a second parent are left out."""
    rows = []
    for _title, names in form_class.sections:
        for name in names:
            spec = form_class.base_fields[name]
            if name.startswith("parent_2_") and not saved.get(name):
                continue
            label = str(getattr(spec, "summary_label", spec.label))
            rows.append({"key": {"text": label}, "value": display(spec, saved.get(name))})
    return rows


def error_summary(form: forms.BaseForm) -> list[dict[str, str]]:
    """The GOV.UK error summary, in the order the questions are on the page (problems with
    the whole form first), each message linked to the box to correct."""
    order = [name for _title, names in getattr(form, "sections", ()) for name in names]
    order += [name for name in form.fields if name not in order]
    position = {f"#{form[name].auto_id}": index for index, name in enumerate(order)}

    def place(item: dict[str, str]) -> int:
        href = item.get("href", "")
        if not href:
            return -1
        for prefix, index in position.items():
            if href == prefix or href.startswith(f"{prefix}_"):
                return index
        return len(order)

    return sorted(error_list(form), key=place)
