"""Returns made ready to show: table rows for the lists, and for one return what was sent
(read back from the submission as received) beside what became of each pupil."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cme.matching.models import IdentityMatch
from cme.standards.la_codes import load_la_codes

from .components import answer_rows
from .forms import PUPIL_FORMS, LaNotificationForm, ReturnForm
from .kinds import ReturnKind
from .models import ReturnedPupil, SchoolReturn
from .services import pupil_name
from .submission import pupils_in

STATUS_TAGS = {
    SchoolReturn.Status.RECEIVED: ("Not processed yet", "govuk-tag--yellow"),
    SchoolReturn.Status.PROCESSED: ("Processed", "govuk-tag--green"),
    SchoolReturn.Status.FAILED: ("Processing failed", "govuk-tag--red"),
}
MATCH_WORDS = {
    IdentityMatch.Status.LINKED: "Matched to a child on the register",
    IdentityMatch.Status.CONFIRMED: "Matched to a child on the register, confirmed by an officer",
    IdentityMatch.Status.REVIEW: "An officer will check which child on the register this is",
    IdentityMatch.Status.NO_MATCH: "Not found on the register",
    IdentityMatch.Status.REJECTED: "None of the children on the register, an officer decided",
}


def _link(href: str, text: str) -> SafeString:
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)


def status_tag(school_return: SchoolReturn) -> dict[str, str]:
    text, classes = STATUS_TAGS[SchoolReturn.Status(school_return.status)]
    return {"text": text, "classes": classes}


def tag_html(school_return: SchoolReturn) -> SafeString:
    tag = status_tag(school_return)
    return format_html('<strong class="govuk-tag {}">{}</strong>', tag["classes"], tag["text"])


def sender(school_return: SchoolReturn) -> str:
    if school_return.school is not None:
        return school_return.school.name
    known = load_la_codes().get(school_return.other_la_code)
    return f"{known.name} ({known.code})" if known else school_return.other_la_code


def kind_text(school_return: SchoolReturn) -> str:
    label = ReturnKind(school_return.kind).label
    return f"{label} (nil return)" if school_return.is_nil else label


def return_rows(
    returns: Iterable[SchoolReturn], *, with_school: bool = False
) -> list[list[dict[str, Any]]]:
    """Rows for a GOV.UK table of returns: reference, what, (from,) pupils, sent, status."""
    rows = []
    for school_return in returns:
        row: list[dict[str, Any]] = [
            {
                "html": _link(
                    reverse("returns:return_detail", args=[school_return.pk]),
                    school_return.reference,
                )
            },
            {"text": kind_text(school_return)},
        ]
        if with_school:
            row.append({"text": sender(school_return)})
        row.extend(
            [
                {"text": str(getattr(school_return, "pupil_count", "")), "format": "numeric"},
                {"text": date_format(school_return.submitted_at, "j F Y, g:ia")},
                {"html": tag_html(school_return)},
            ]
        )
        rows.append(row)
    return rows


def return_summary_rows(school_return: SchoolReturn) -> list[dict[str, Any]]:
    """What the return is, who sent it and when, and where processing got to."""
    by = school_return.submitted_by
    rows: list[dict[str, Any]] = [
        {"key": {"text": "Reference"}, "value": {"text": school_return.reference}},
        {"key": {"text": "What"}, "value": {"text": kind_text(school_return)}},
        {"key": {"text": "From"}, "value": {"text": sender(school_return)}},
        {
            "key": {"text": "Sent by" if school_return.school else "Recorded by"},
            "value": {"text": str(by)},
        },
        {
            "key": {"text": "Sent" if school_return.school else "Recorded"},
            "value": {"text": date_format(school_return.submitted_at, "j F Y, g:ia")},
        },
        {"key": {"text": "Status"}, "value": {"html": tag_html(school_return)}},
    ]
    if school_return.processing_error:
        rows.append({"key": {"text": "Error"}, "value": {"text": school_return.processing_error}})
    return rows


def _form_for(school_return: SchoolReturn) -> type[ReturnForm]:
    if school_return.is_from_other_la:
        return LaNotificationForm
    return PUPIL_FORMS[school_return.kind]


def _as_sent(school_return: SchoolReturn, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A pupil's answers as sent; for another authority, with the notification's own."""
    answers = dict(raw)
    submission = school_return.submission if isinstance(school_return.submission, dict) else {}
    if school_return.is_from_other_la:
        answers.update(
            {
                "kind": school_return.kind,
                "other_la_code": sender(school_return),
                "notified_on": submission.get("notified_on", ""),
            }
        )
    return answers


def _due_text(pupil: ReturnedPupil) -> str:
    assert pupil.due_on is not None
    late = pupil.days_late
    when = "made on time" if late == 0 else f"made {late} day{'s' if late != 1 else ''} late"
    return f"By {date_format(pupil.due_on, 'j F Y')} ({when})"


def _outcome_rows(pupil: ReturnedPupil, *, show_referrals: bool) -> list[dict[str, Any]]:
    happened: dict[str, Any] = {"text": f"{pupil.get_outcome_display()}: {pupil.outcome_reason}"}
    if show_referrals and pupil.referral is not None:
        href = reverse("referrals:referral_detail", args=[pupil.referral.pk])
        happened = {
            "html": format_html(
                "{}: {}. {}",
                pupil.get_outcome_display(),
                pupil.outcome_reason,
                _link(href, f"Referral {pupil.referral.reference}"),
            )
        }
    rows = [{"key": {"text": "What happened"}, "value": happened}]
    # The register match is the CME team's working, not the school's business.
    if show_referrals and pupil.match is not None:
        words = MATCH_WORDS.get(IdentityMatch.Status(pupil.match.status), "")
        rows.append({"key": {"text": "Pupil register"}, "value": {"text": words}})
    if pupil.due_on is not None:
        rows.append({"key": {"text": "Return due"}, "value": {"text": _due_text(pupil)}})
    return rows


def pupil_summaries(
    school_return: SchoolReturn, pupils: list[ReturnedPupil], *, show_referrals: bool
) -> list[dict[str, Any]]:
    """For each pupil in the submission as received: their answers, and once processed what
    became of them. A return whose processing failed still shows everything it was sent."""
    form_class = _form_for(school_return)
    processed = {pupil.number: pupil for pupil in pupils}
    summaries = []
    for number, raw in enumerate(pupils_in(school_return.submission), start=1):
        pupil = processed.get(number)
        summaries.append(
            {
                "title": f"Child: {pupil_name(raw)}"
                if school_return.is_from_other_la
                else f"Pupil {number}: {pupil_name(raw)}",
                "rows": answer_rows(form_class, _as_sent(school_return, raw)),
                "outcome_rows": _outcome_rows(pupil, show_referrals=show_referrals)
                if pupil
                else [],
            }
        )
    return summaries
