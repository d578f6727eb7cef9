"""The order of the public referral journey, in one place, and its answers read back.

`STEPS` is the journey: each page's URL, title, section and form. The views walk it forwards
and back; "Check your answers" and the referrer's printable copy read the answers back in
the same order. The parents-and-carers loop is one step whose pages add, change or remove
one person at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import forms as referral_forms
from .fields import Choice, GovukDate
from .services import CHILD_STEP, CONTACT_STEP, PARENTS_KEY, parents_in

RETURN_TO_CHECK = "check"
NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Step:
    """One page (or, for parents and carers, one loop) of the journey."""

    name: str  # URL name and the key of its answers
    slug: str  # URL path under /refer/
    title: str
    section: str
    form_class: type[referral_forms.StepForm] | None  # None: the parents-and-carers loop

    @property
    def url_name(self) -> str:
        return f"referrals:{self.name}"


THE_CHILD = "The child"
FAMILY = "Family and contacts"
EDUCATION = "School and education"
SAFETY = "Finding the child safely"
ABOUT_YOU = "About you"

STEPS: tuple[Step, ...] = (
    Step(
        CHILD_STEP,
        "child-name",
        "What is the child's name?",
        THE_CHILD,
        referral_forms.ChildNameForm,
    ),
    Step(
        "date_of_birth",
        "date-of-birth",
        "Their date of birth",
        THE_CHILD,
        referral_forms.DateOfBirthForm,
    ),
    Step(
        "about_child",
        "about-the-child",
        "About the child",
        THE_CHILD,
        referral_forms.AboutChildForm,
    ),
    Step("address", "address", "Where does the child live?", THE_CHILD, referral_forms.AddressForm),
    Step("moved", "moved", "Moving home", THE_CHILD, referral_forms.MovedForm),
    Step(PARENTS_KEY, "parents-and-carers", "Parents and carers", FAMILY, None),
    Step(
        "siblings",
        "brothers-and-sisters",
        "Brothers and sisters",
        FAMILY,
        referral_forms.SiblingsForm,
    ),
    Step(
        "emergency_contacts",
        "other-contacts",
        "Other contacts",
        FAMILY,
        referral_forms.EmergencyContactsForm,
    ),
    Step("school", "last-school", "Their last school", EDUCATION, referral_forms.SchoolForm),
    Step("reason", "reason", "Why they are out of education", EDUCATION, referral_forms.ReasonForm),
    Step("support", "care-and-support", "Care and support", EDUCATION, referral_forms.SupportForm),
    Step(
        "attempts",
        "attempts-to-find",
        "What has been done to find them",
        SAFETY,
        referral_forms.AttemptsForm,
    ),
    Step("safety", "safety", "Safety of visiting staff", SAFETY, referral_forms.SafetyForm),
    Step(
        "other_details", "anything-else", "Anything else", SAFETY, referral_forms.OtherDetailsForm
    ),
    Step("referrer", "about-you", "About you", ABOUT_YOU, referral_forms.ReferrerForm),
    Step(
        CONTACT_STEP,
        "contact-details",
        "How can we contact you?",
        ABOUT_YOU,
        referral_forms.ReferrerContactForm,
    ),
)

SECTIONS = (THE_CHILD, FAMILY, EDUCATION, SAFETY, ABOUT_YOU)
_BY_NAME = {step.name: step for step in STEPS}


def step_named(name: str) -> Step:
    return _BY_NAME[name]


def _with_return(url: str, returning: bool) -> str:
    return f"{url}?return={RETURN_TO_CHECK}" if returning else url


def step_url(step: Step, *, returning: bool = False) -> str:
    return _with_return(reverse(step.url_name), returning)


def next_url(step: Step, *, returning: bool) -> str:
    """Where "Continue" goes: the next page, or back to check answers after a change."""
    index = STEPS.index(step)
    if returning or index + 1 == len(STEPS):
        return reverse("referrals:check_answers")
    return step_url(STEPS[index + 1])


def back_url(step: Step, *, returning: bool) -> str:
    index = STEPS.index(step)
    if returning:
        return reverse("referrals:check_answers")
    if index == 0:
        return reverse("referrals:start")
    return step_url(STEPS[index - 1])


def parent_url(*, number: int | None = None, returning: bool = False, remove: bool = False) -> str:
    query = []
    if number is not None:
        query.append(f"number={number}")
    if remove:
        query.append("remove=yes")
    if returning:
        query.append(f"return={RETURN_TO_CHECK}")
    url = reverse("referrals:parent")
    return f"{url}?{'&'.join(query)}" if query else url


# Reading answers back ------------------------------------------------------------------


def _lines_html(lines: list[str]) -> SafeString:
    """Lines of text, escaped, one under another."""
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))


def display_answer(spec: forms.Field, raw: Any) -> dict[str, Any]:
    """A stored answer as the summary list shows it ({"text": …} or {"html": …})."""
    if raw is None or raw == "":
        return {"text": NOT_GIVEN}
    text = str(raw)
    if isinstance(spec, Choice):
        labels = dict(spec.options)
        return {"text": labels.get(text, text)}
    if isinstance(spec, GovukDate):
        try:
            return {"text": date_format(datetime.date.fromisoformat(text), "j F Y")}
        except ValueError:
            return {"text": text}
    if "\n" in text:
        return {"html": _lines_html(text.split("\n"))}
    return {"text": text}


def _label(spec: forms.Field) -> str:
    return str(getattr(spec, "summary_label", spec.label))


def _step_rows(step: Step, saved: Mapping[str, Any], *, with_changes: bool) -> list[dict[str, Any]]:
    assert step.form_class is not None
    rows = []
    for name, spec in step.form_class.base_fields.items():
        label = _label(spec)
        row: dict[str, Any] = {
            "key": {"text": label},
            "value": display_answer(spec, saved.get(name)),
        }
        if with_changes:
            href = f"{step_url(step, returning=True)}#id_{name}"
            row["actions"] = {
                "items": [{"href": href, "text": "Change", "visuallyHiddenText": label.lower()}]
            }
        rows.append(row)
    return rows


def parent_lines(parent: Mapping[str, Any]) -> list[str]:
    """One parent or carer, a line per answer given."""
    return [
        f"{_label(spec)}: {parent[name]}"
        for name, spec in referral_forms.ParentForm.base_fields.items()
        if parent.get(name)
    ]


def parent_rows(answers: Mapping[str, Any], *, returning: bool) -> list[dict[str, Any]]:
    """The parents-and-carers page's list, each with Change and Remove links."""
    rows = []
    for number, parent in enumerate(parents_in(answers), start=1):
        label = f"Parent or carer {number}"
        hidden = label.lower()
        rows.append(
            {
                "key": {"text": label},
                "value": {"html": _lines_html(parent_lines(parent))},
                "actions": {
                    "items": [
                        {
                            "href": parent_url(number=number, returning=returning),
                            "text": "Change",
                            "visuallyHiddenText": hidden,
                        },
                        {
                            "href": parent_url(number=number, returning=returning, remove=True),
                            "text": "Remove",
                            "visuallyHiddenText": hidden,
                        },
                    ]
                },
            }
        )
    return rows


def _parents_row(step: Step, answers: Mapping[str, Any], *, with_changes: bool) -> dict[str, Any]:
    lines: list[str] = []
    for number, parent in enumerate(parents_in(answers), start=1):
        if lines:
            lines.append("")
        lines.extend([f"Parent or carer {number}", *parent_lines(parent)])
    row: dict[str, Any] = {
        "key": {"text": "Parents and carers"},
        "value": {"html": _lines_html(lines)} if lines else {"text": NOT_GIVEN},
    }
    if with_changes:
        row["actions"] = {
            "items": [
                {
                    "href": step_url(step, returning=True),
                    "text": "Change",
                    "visuallyHiddenText": "parents and carers",
                }
            ]
        }
    return row


def answer_sections(answers: Mapping[str, Any], *, with_changes: bool) -> list[dict[str, Any]]:
    """Every question and its answer, by section, for check answers and the printable copy."""
    sections = []
    for section in SECTIONS:
        rows: list[dict[str, Any]] = []
        for step in STEPS:
            if step.section != section:
                continue
            if step.form_class is None:
                rows.append(_parents_row(step, answers, with_changes=with_changes))
                continue
            saved = answers.get(step.name)
            rows.extend(
                _step_rows(
                    step, saved if isinstance(saved, Mapping) else {}, with_changes=with_changes
                )
            )
        sections.append({"title": section, "rows": rows})
    return sections
