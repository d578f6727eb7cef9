"""GOV.UK macro parameters for the referral pages, built on `cme.web.govuk_forms.field`.

Chooses the macro for each question (the GOV.UK date input from `cme.web.dates`), so the
page template only renders what it is given; the error summary is `cme.web.govuk_forms.
error_list`.
"""

from __future__ import annotations

from typing import Any

from django import forms

from cme.web.dates import date_input
from cme.web.govuk_forms import field

from .fields import Choice, GovukDate, Text
from .forms import HONEYPOT_FIELD, HoneypotForm

_LABEL_SMALL = "govuk-label--s"
_LEGEND_SMALL = "govuk-fieldset__legend--s"
_LEGEND_LARGE = "govuk-fieldset__legend--l"


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


def honeypot() -> dict[str, Any]:
    """The hidden box only robots fill in (the template wraps it in `hidden aria-hidden`)."""
    bound = HoneypotForm()[HONEYPOT_FIELD]
    return field(bound, autocomplete="off", attributes={"tabindex": "-1"})
