"""Return answers as a school's staff would post them, and returns made through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from cme.accounts.models import User
from cme.referrals.fields import GovukDate
from cme.returns import services
from cme.returns.forms import PUPIL_FORMS, LaNotificationForm
from cme.returns.kinds import ReturnKind
from cme.returns.models import SchoolReturn
from cme.web.dates import DATE_PARTS


def days_ago(days: int) -> str:
    """Today's date less `days` (a negative number is in the future), as YYYY-MM-DD."""
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def child(**overrides: str) -> dict[str, str]:
    """A pupil's identifying answers: Zoë O'Neill, born 3 April 2015."""
    return {
        "forename": "Zoë",
        "middle_names": "",
        "surname": "O'Neill",
        "date_of_birth": "2015-04-03",
        "sex": "F",
        "upn": "",
        "address": "1 Abbey Street\nBath",
        "postcode": "BA1 1AA",
        **overrides,
    }


def parent(number: int = 1, **overrides: str) -> dict[str, str]:
    return {
        f"parent_{number}_name": "Ewa Nowak-Kowalska",
        f"parent_{number}_address": "",
        f"parent_{number}_phone": "07700 900982",
        **{f"parent_{number}_{key}": value for key, value in overrides.items()},
    }


def answers_for(kind: ReturnKind, **overrides: str) -> dict[str, str]:
    """Complete, valid answers about one pupil for a return of `kind` (dates as YYYY-MM-DD)."""
    extra: dict[str, str] = {
        ReturnKind.NEW_PUPIL: {"entered_on": days_ago(2), "other_school": "", **parent()},
        ReturnKind.DELETION: {
            "deletion_ground": "a",
            "ground_met_on": days_ago(1),
            "future_address": "",
            "destination_school": "Oldfield School",
            "destination_start_on": days_ago(-3),
            **parent(),
        },
        ReturnKind.ATTENDANCE: {
            "attendance_reason": "ten_days",
            "absence_began_on": days_ago(20),
            "notes": "",
        },
        ReturnKind.SICKNESS: {
            "sickness_began_on": days_ago(10),
            "expected_back_on": "",
            "notes": "",
        },
        ReturnKind.FAILED_TO_START: {"due_to_start_on": days_ago(5), "notes": ""},
        ReturnKind.NO_DESTINATION: {"last_attended_on": days_ago(15), "notes": ""},
    }[kind]
    return {**child(), **extra, **overrides}


def posted(form_class: type[forms.Form], answers: dict[str, str]) -> dict[str, Any]:
    """The POST a browser sends for `answers`: each date as day, month and year boxes."""
    data: dict[str, Any] = {}
    for name, spec in form_class.base_fields.items():
        value = answers.get(name, "")
        if isinstance(spec, GovukDate):
            parts = ["", "", ""]
            if value:
                date = datetime.date.fromisoformat(value)
                parts = [str(date.day), str(date.month), str(date.year)]
            data.update({f"{name}_{part}": parts[i] for i, part in enumerate(DATE_PARTS)})
        elif name in answers:
            data[name] = value
    return data


def posted_pupil(kind: ReturnKind, **overrides: str) -> dict[str, Any]:
    return posted(PUPIL_FORMS[kind], answers_for(kind, **overrides))


def la_posted(**overrides: str) -> dict[str, Any]:
    answers = {
        "kind": ReturnKind.LA_MOVING_IN.value,
        "other_la_code": "801",
        "notified_on": days_ago(1),
        **child(address="", postcode=""),
        "future_address": "",
        "other_school": "",
        "notes": "",
        **overrides,
    }
    return {**posted(LaNotificationForm, answers), "token": overrides.get("token", "t" * 43)}


def sent_return(
    *, user: User, kind: ReturnKind, pupils: list[dict[str, str]], process: bool = True
) -> SchoolReturn:
    """A return `user` made for their school through the services, naming `pupils`."""
    draft = services.start_draft(actor=user, kind=kind)
    for answers in pupils:
        draft = services.save_pupil(draft=draft, number=None, answers=answers)
    if not pupils:
        draft = services.make_nil(draft=draft)
    school_return = services.submit_return(draft=draft, actor=user)
    if process:
        school_return = services.process_return(school_return=school_return, actor=user)
    return school_return
