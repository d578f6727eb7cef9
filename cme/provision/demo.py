"""Demo provision, for `manage.py demo_data`: routes decided on located cases, applications
with the admissions team, school places, a panel meeting with its agenda and one decision,
and placements, all written through the services so each has its audit trail.

Call `create_demo_provision(users=..., today=...)` after the demo casework (it works on the
cases that casework left located).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from cme.accounts.models import Role, User
from cme.cases.models import Case
from cme.cases.workflow import CaseStatus
from cme.pupils.models import Locality, School, SchoolPhase, SchoolStatus

from . import services
from .models import AdmissionRequest, AgendaItem, Panel
from .rules import AdmissionStatus, AgendaStatus, PanelOutcome, ProvisionRoute

ROUTED_CASES = 8
SCHOOLS_WITH_PLACES = 8


@dataclass(frozen=True, slots=True)
class DemoProvision:
    decisions: int
    offers: int
    meetings: int
    panel_decisions: int


def _user(users: Sequence[User], role: Role) -> User:
    return next(user for user in users if user.role == role)


def create_demo_provision(
    *, users: Sequence[User], today: datetime.date, seed: int = 0
) -> DemoProvision:
    rng = random.Random(f"{seed}-provision")  # noqa: S311 - synthetic data, not secrets
    officer = _user(users, Role.CME_OFFICER)
    admissions = _user(users, Role.ADMISSIONS)
    support_manager = _user(users, Role.PUPIL_SUPPORT_MANAGER)
    member = _user(users, Role.PANEL_MEMBER)
    schools = list(
        School.objects.exclude(status=SchoolStatus.CLOSED)
        .filter(phase__in=[SchoolPhase.PRIMARY, SchoolPhase.SECONDARY])
        .order_by("urn")
    )
    localities = list(Locality.objects.order_by("name"))
    for school in rng.sample(schools, min(SCHOOLS_WITH_PLACES, len(schools))):
        services.set_school_places(
            actor=admissions,
            school=school,
            places={year: rng.randrange(4) for year in range(12) if rng.random() < 0.5},
        )
    # One located case is left waiting for its decision, so the demo has a case in every state.
    located = list(
        Case.objects.filter(status=CaseStatus.LOCATED).select_related("child").order_by("pk")
    )[1 : ROUTED_CASES + 1]
    decisions = 0
    for index, case in enumerate(located):
        if case.child.has_ehc_plan:
            route = ProvisionRoute.SEND
        else:
            route = ProvisionRoute.FAIR_ACCESS if index % 2 else ProvisionRoute.MAINSTREAM
        services.decide_provision(
            actor=officer,
            case=case,
            route=route,
            need=rng.choice(
                [
                    "A school place near home; the family has no transport.",
                    "Reintegration after a long absence, with a reading catch-up.",
                    "A small school setting; anxious about returning.",
                ]
            ),
            involved="The parent, the child and the referrer",
            additional_support="A reintegration mentor"
            if route != ProvisionRoute.MAINSTREAM
            else "",
            locality=rng.choice(localities) if route == ProvisionRoute.FAIR_ACCESS else None,
            preferred_schools=rng.choice(schools).name if schools else "",
            applied_on=today - datetime.timedelta(days=rng.randrange(1, 20)),
        )
        decisions += 1
    offers = _offer_one_place(actor=admissions, schools=schools, today=today)
    meetings, panel_decisions = _hold_a_panel(
        actor=support_manager, member=member, schools=schools, today=today
    )
    return DemoProvision(
        decisions=decisions, offers=offers, meetings=meetings, panel_decisions=panel_decisions
    )


def _offer_one_place(*, actor: User, schools: Sequence[School], today: datetime.date) -> int:
    admission = (
        AdmissionRequest.objects.filter(
            status=AdmissionStatus.APPLYING, case__status=CaseStatus.ARRANGING_PROVISION
        )
        .order_by("pk")
        .first()
    )
    if admission is None or not schools:
        return 0
    services.record_offer(
        actor=actor,
        admission=admission,
        school=schools[0],
        offered_on=today,
        start_date=today + datetime.timedelta(days=7),
    )
    return 1


def _hold_a_panel(
    *, actor: User, member: User, schools: Sequence[School], today: datetime.date
) -> tuple[int, int]:
    """A meeting next week for each locality with cases waiting, all on its agenda; the first
    meeting's first case decided (a place named, with support, starting in two weeks)."""
    waiting = list(
        AgendaItem.objects.filter(status=AgendaStatus.WAITING)
        .select_related("locality")
        .order_by("locality__name", "pk")
    )
    meetings = decided = 0
    for locality in dict.fromkeys(item.locality for item in waiting):
        meeting = services.schedule_meeting(
            actor=actor,
            locality=locality,
            meets_on=today + datetime.timedelta(days=7),
            starts_at=datetime.time(9, 30),
            location="Guildhall, Bath",
        )
        Panel.objects.get(pk=meeting.panel_id).members.add(member)
        items = [item for item in waiting if item.locality_id == locality.pk]
        services.add_to_agenda(actor=actor, meeting=meeting, items=items)
        meetings += 1
        if decided == 0 and schools:
            services.record_panel_decision(
                actor=actor,
                item=items[0],
                outcome=PanelOutcome.AGREED,
                school=schools[-1],
                extra_support="Behaviour support for the first half term",
                start_date=today + datetime.timedelta(days=14),
                panel_notes="Agreed by the head teachers present.",
            )
            decided += 1
    return meetings, decided
