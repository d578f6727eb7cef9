"""Demo school returns: a few of each kind from the demo school, and another authority's
notification, made through the services so each has its audit trail, matches and referrals.

Called by the demo generator after the demo users and casework exist:
`generate_demo_returns(seed=seed, users=users, today=today)`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from cme.accounts.models import Role, User
from cme.pupils.models import Address, Child, Contact, Enrolment, School

from . import services
from .kinds import ReturnKind
from .models import SchoolReturn

# Children no register knows: the school's failed-to-start pupil and the incoming family.
NEW_TO_THE_AREA = (
    ("Aleksander", "Wiśniewski", "2016-05-14", "M"),
    ("Niamh", "O'Sullivan", "2013-11-02", "F"),
    ("Chiara", "Rossi", "2015-02-21", "F"),
)


@dataclass(frozen=True, slots=True)
class DemoReturns:
    returns: int
    pupils: int


def _address(child: Child) -> tuple[str, str]:
    address = Address.objects.filter(child=child, moved_out__isnull=True).first()
    if address is None:
        return "1 Demo Street\nBath", "BA1 1AA"
    lines = [address.line_1, address.line_2, address.town]
    return "\n".join(line for line in lines if line), address.postcode


def _parents(child: Child) -> dict[str, str]:
    answers: dict[str, str] = {}
    carers = Contact.objects.filter(child=child, lives_with_child=True).order_by("id")[:2]
    for number, carer in enumerate(carers, start=1):
        answers[f"parent_{number}_name"] = carer.full_name
        answers[f"parent_{number}_address"] = ""
        answers[f"parent_{number}_phone"] = carer.phone or "01632 960 123"
    if not answers:
        answers = {"parent_1_name": "Parent Not Recorded", "parent_1_phone": "01632 960 123"}
    return answers


def _pupil(child: Child) -> dict[str, str]:
    address, postcode = _address(child)
    return {
        "forename": child.forename,
        "middle_names": child.middle_names,
        "surname": child.surname,
        "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
        "sex": child.sex,
        "upn": child.upn,
        "address": address,
        "postcode": postcode,
    }


def _invented(index: int, address: str = "4 Arrival Court\nBath") -> dict[str, str]:
    forename, surname, born, sex = NEW_TO_THE_AREA[index]
    return {
        "forename": forename,
        "middle_names": "",
        "surname": surname,
        "date_of_birth": born,
        "sex": sex,
        "upn": "",
        "address": address,
        "postcode": "BA2 9ZZ",
    }


def _send(
    *, user: User, kind: ReturnKind, pupils: list[dict[str, str]], process: bool = True
) -> SchoolReturn:
    draft = services.start_draft(actor=user, kind=kind)
    for answers in pupils:
        draft = services.save_pupil(draft=draft, number=None, answers=answers)
    if not pupils:
        draft = services.make_nil(draft=draft)
    school_return = services.submit_return(draft=draft, actor=user)
    if process:
        school_return = services.process_return(school_return=school_return, actor=user)
    return school_return


def generate_demo_returns(*, seed: int, users: list[User], today: datetime.date) -> DemoReturns:
    """Returns from the demo school (a nil attendance return, a new pupil already on the
    register, a deletion return naming two pupils, one of whom goes to triage, a sickness
    return, a pupil who failed to start, and an attendance return received but not yet
    processed), and another authority's notification of a family moving in."""
    rng = random.Random(f"{seed}-returns")  # noqa: S311 - synthetic data, not secrets
    school_user = next(u for u in users if u.role == Role.SCHOOL_ATTENDANCE and u.school_id)
    officer = next(u for u in users if u.role == Role.CME_OFFICER)
    school: School = school_user.school  # type: ignore[assignment]
    roll = list(
        Enrolment.objects.filter(school=school, end_date__isnull=True)
        .select_related("child")
        .order_by("id")[:200]
    )
    children = [e.child for e in rng.sample(roll, min(len(roll), 5))]
    destination = School.objects.exclude(pk=school.pk).order_by("name").first()

    def ago(days: int) -> str:
        return (today - datetime.timedelta(days=days)).isoformat()

    made: list[SchoolReturn] = [_send(user=school_user, kind=ReturnKind.ATTENDANCE, pupils=[])]
    if len(children) >= 5:
        new_pupil, leaving, missing, ill, absent = children
        made.append(
            _send(
                user=school_user,
                kind=ReturnKind.NEW_PUPIL,
                pupils=[{**_pupil(new_pupil), "entered_on": ago(2), **_parents(new_pupil)}],
            )
        )
        deletion: list[dict[str, Any]] = [
            {
                **_pupil(leaving),
                "deletion_ground": "a",
                "ground_met_on": ago(1),
                "destination_school": destination.name if destination else "",
                "destination_start_on": ago(-2),
                **_parents(leaving),
            },
            {
                **_pupil(missing),
                "deletion_ground": "i",
                "ground_met_on": ago(0),
                "notes": "Not seen since half term; home visits found the house empty.",
                **_parents(missing),
            },
        ]
        made.append(_send(user=school_user, kind=ReturnKind.DELETION, pupils=deletion))
        made.append(
            _send(
                user=school_user,
                kind=ReturnKind.SICKNESS,
                pupils=[{**_pupil(ill), "sickness_began_on": ago(9), "notes": "In hospital."}],
            )
        )
        made.append(
            _send(
                user=school_user,
                kind=ReturnKind.ATTENDANCE,
                pupils=[
                    {
                        **_pupil(absent),
                        "attendance_reason": "ten_days",
                        "absence_began_on": ago(16),
                    }
                ],
                process=False,
            )
        )
    made.append(
        _send(
            user=school_user,
            kind=ReturnKind.FAILED_TO_START,
            pupils=[{**_invented(0), "due_to_start_on": ago(4), "other_school": ""}],
        )
    )
    notification, _ = services.record_la_notification(
        actor=officer,
        kind=ReturnKind.LA_MOVING_IN,
        other_la_code="801",
        notified_on=today,
        answers={
            **_invented(1, address=""),
            "future_address": "",
            "other_school": "A school in Bristol",
            "notes": "Family moving to Bath this month; no school place applied for yet.",
        },
        token=f"demo-{seed}-la-notification-{rng.randrange(10**9)}",
    )
    made.append(notification)
    return DemoReturns(
        returns=len(made), pupils=sum(len(r.submission.get("pupils", [])) for r in made)
    )
