"""Demo casework: referrals waiting for triage and CME cases in every workflow state.

Written through the referral and case services (so every record has its audit trail and
timeline), drawn deterministically from the seed over the generated children.
"""

from __future__ import annotations

import datetime
import random
from collections import deque
from dataclasses import dataclass

from django.utils import timezone

from cme.accounts.models import Role, User
from cme.cases import services as case_services
from cme.cases.categories import CaseCategory, Pathway, pathway_for
from cme.cases.enquiries import EnquiryStatus
from cme.cases.workflow import ALLOWED_TRANSITIONS, CaseStatus, ClosureReason
from cme.pupils import services as pupil_services
from cme.pupils.models import Child
from cme.referrals import services as referral_services
from cme.referrals import triage_services
from cme.referrals.models import Referral
from cme.standards.school_age import is_of_compulsory_school_age

CASES_PER_STATUS = 6
RECEIVED_REFERRALS = 24
TRIAGED_REFERRALS = 8

UNKNOWN_CHILDREN = (
    ("Amira", "Haddad", "2014-02-11"),
    ("Tomasz", "Wiśniewski", "2012-10-30"),
    ("Liberty", "Lee", "2016-06-03"),
    ("Hodan", "Warsame", "2013-01-19"),
    ("Jake", "Loveridge", "2011-12-08"),
    ("Ioana", "Popescu", "2015-09-27"),
)


@dataclass(frozen=True, slots=True)
class DemoCasework:
    cases: int
    referrals: int


def _path_to(target: CaseStatus) -> list[CaseStatus]:
    """The shortest legal route from "referred" to `target`, not passing through closed."""
    queue: deque[list[CaseStatus]] = deque([[CaseStatus.REFERRED]])
    seen = {CaseStatus.REFERRED}
    while queue:
        path = queue.popleft()
        if path[-1] == target:
            return path[1:]
        for nxt in sorted(ALLOWED_TRANSITIONS[path[-1]]):
            if nxt not in seen and nxt != CaseStatus.CLOSED:
                seen.add(nxt)
                queue.append([*path, nxt])
    raise AssertionError(f"{target} is unreachable")


def _submission(*, forename: str, surname: str, dob: str, rng: random.Random) -> dict[str, object]:
    return {
        "format": 1,
        "answers": {
            "child_name": {"first_name": forename, "last_name": surname, "description": ""},
            "date_of_birth": {"date_of_birth": dob, "approximate_age": ""},
            "reason": {"reason": rng.choice(["Moved house", "Not seen at school", "Family left"])},
            "referrer_contact": {"phone": f"07700 900{rng.randrange(1000):03d}", "email": ""},
        },
    }


STAFF_CHANNELS = (
    Referral.Channel.ONLINE,
    Referral.Channel.EMAIL,
    Referral.Channel.PHONE,
    Referral.Channel.POST,
)


def _take_off_every_roll(child: Child, *, actor: User, today: datetime.date) -> None:
    """A child missing education is on no roll: the register must say so too."""
    for enrolment in child.enrolments.filter(end_date__isnull=True):
        pupil_services.end_enrolment(
            actor=actor,
            enrolment=enrolment,
            end_date=max(enrolment.start_date, today - datetime.timedelta(days=30)),
            reason="Left; destination not known",
        )


def generate_demo_casework(*, seed: int, users: list[User], today: datetime.date) -> DemoCasework:
    rng = random.Random(f"{seed}-casework")  # noqa: S311 - synthetic data, not secrets
    officer = next(u for u in users if u.role == Role.CME_OFFICER)
    manager = next(u for u in users if u.role == Role.CME_MANAGER)
    # Only children of compulsory school age can be on the CME register.
    child_ids = [
        pk
        for pk, born in Child.objects.order_by("id").values_list("id", "date_of_birth")
        if born is not None and is_of_compulsory_school_age(born, timezone.localdate())
    ]
    chosen = iter(rng.sample(child_ids, min(len(child_ids), 200)))
    # A small register (tests) gets fewer cases, leaving children for the referrals.
    per_status = min(CASES_PER_STATUS, len(child_ids) // (2 * len(CaseStatus)))
    cases = 0
    for status in CaseStatus:
        for n in range(per_status):
            child = Child.objects.get(pk=next(chosen))
            category = rng.choice(list(CaseCategory))
            if pathway_for(category) == Pathway.NOT_ON_ROLL:
                _take_off_every_roll(child, actor=officer, today=today)
            case = case_services.open_case(
                actor=officer,
                child=child,
                category=category,
                summary="Synthetic demo case.",
                allocated_to=[officer, manager, None][n % 3],
            )
            actor = manager if status == CaseStatus.CLOSED else officer
            for step in _path_to(CaseStatus.LOCATING if status == CaseStatus.CLOSED else status):
                case = case_services.move_case(actor=actor, case=case, to=step)
            if status == CaseStatus.CLOSED:
                for enquiry in case_services.case_enquiries(case=case):
                    case_services.update_enquiry(
                        actor=officer,
                        enquiry=enquiry,
                        status=EnquiryStatus.RESPONSE_RECEIVED,
                        requested_on=today - datetime.timedelta(days=6),
                        responded_on=today - datetime.timedelta(days=2),
                        response="No record of the child since the summer.",
                    )
                case_services.close_case(
                    actor=manager, case=case, reason=list(ClosureReason)[n % len(ClosureReason)]
                )
            cases += 1
    now = timezone.now()
    referrals = 0
    for n in range(RECEIVED_REFERRALS + TRIAGED_REFERRALS):
        known_id = next(chosen, None) if n % 3 != 2 else None
        if known_id is None:
            forename, surname, dob = UNKNOWN_CHILDREN[n % len(UNKNOWN_CHILDREN)]
        else:
            known = Child.objects.get(pk=known_id)
            forename, surname = known.forename, known.surname
            if n % 4 == 1:
                # Referrers often know only an initial: these wait under Matches for an officer.
                forename = forename[:1]
            dob = known.date_of_birth.isoformat() if known.date_of_birth else ""
        referral = referral_services.receive_referral(
            submission=_submission(forename=forename, surname=surname, dob=dob, rng=rng),
            # Returns and other authorities' notifications come from cme.returns' own demo.
            channel=rng.choice(STAFF_CHANNELS),
            received_at=now - datetime.timedelta(hours=rng.randrange(1, 240)),
        )
        if n < RECEIVED_REFERRALS:
            triage_services.match_referral(referral=referral)
        else:
            triage_services.triage_referral(
                actor=officer, referral=referral, outcome=Referral.Outcome.NOT_CME, note="Demo"
            )
        referrals += 1
    return DemoCasework(cases=cases, referrals=referrals)
