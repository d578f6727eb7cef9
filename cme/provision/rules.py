"""Securing education for a located child, as data plus small pure functions: the routes, who
monitors a placement on each, where each record has got to, and when attendance after a
placement needs the officer's attention. No queries here.

The policy ("Determining an appropriate educational provision"): the allocated officer, with
the family, the referrer and other agencies, chooses between an admission to a mainstream
school, the Fair Access protocol (the Behaviour and Attendance Panel of the child's locality)
and the SEND team for a child with an education, health and care plan. "Monitoring the
placements of children missing education" says who watches each placement.
"""

from __future__ import annotations

from django.db import models

from cme.cases.workflow import CaseStatus


class ProvisionRoute(models.TextChoices):
    MAINSTREAM = "mainstream", "Admission to a mainstream school"
    FAIR_ACCESS = "fair_access", "Fair Access: the Behaviour and Attendance Panel"
    SEND = "send", "The SEND team (education, health and care plan)"


class MonitorKind(models.TextChoices):
    SCHOOL = "school", "The school"
    SCHOOL_WITH_PANEL = "school_with_panel", "The school, with the panel's additional support"
    EHC_PLAN_REVIEW = "ehc_plan_review", "The review of the education, health and care plan"


class AdmissionStatus(models.TextChoices):
    APPLYING = "applying", "Applying for a place"
    OFFERED = "offered", "Place offered"
    NO_PLACE = "no_place", "No place offered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AgendaStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a meeting"
    ON_AGENDA = "on_agenda", "On the agenda"
    AGREED = "agreed", "Provision agreed"
    DEFERRED = "deferred", "Deferred to a later meeting"
    RETURNED = "returned", "Not for the panel: back to the officer"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PanelOutcome(models.TextChoices):
    """What a panel can decide about one case on its agenda."""

    AGREED = AgendaStatus.AGREED.value, "Provision agreed: name the school or provision"
    DEFERRED = AgendaStatus.DEFERRED.value, "Deferred to the panel's next meeting"
    RETURNED = AgendaStatus.RETURNED.value, "Not a Fair Access case: back to the officer"


class PlacementOutcome(models.TextChoices):
    SETTLED = "settled", "Settled: the case closes"
    BROKE_DOWN = "broke_down", "Did not work out: provision is arranged again"


# A case is ready for its route to be decided once the child is located; a route decided
# earlier can be changed while provision is still being arranged.
DECIDABLE_STATUSES = frozenset({CaseStatus.LOCATED, CaseStatus.ARRANGING_PROVISION})
# A placement is recorded while provision is being arranged (the case then moves to placed).
PLACEABLE_STATUSES = frozenset({CaseStatus.ARRANGING_PROVISION})
OPEN_ADMISSION = frozenset({AdmissionStatus.APPLYING, AdmissionStatus.OFFERED})
OPEN_AGENDA = frozenset({AgendaStatus.WAITING, AgendaStatus.ON_AGENDA})

# The policy's local threshold: attendance after a placement below 90% needs attention,
# judged once there are enough possible sessions for a percentage to mean something.
PLACEMENT_ATTENDANCE_ALERT_PERCENT = 90
PLACEMENT_ATTENDANCE_MINIMUM_SESSIONS = 10


def routes_for(*, has_ehc_plan: bool) -> tuple[ProvisionRoute, ...]:
    """The routes open to a child: the SEND team for a child with an EHC plan (the policy
    refers every such child to it), a school admission or Fair Access for any other."""
    if has_ehc_plan:
        return (ProvisionRoute.SEND,)
    return (ProvisionRoute.MAINSTREAM, ProvisionRoute.FAIR_ACCESS)


def monitor_for(route: ProvisionRoute) -> MonitorKind:
    """Who monitors a placement made on `route` (the policy's three bullets)."""
    return {
        ProvisionRoute.MAINSTREAM: MonitorKind.SCHOOL,
        ProvisionRoute.FAIR_ACCESS: MonitorKind.SCHOOL_WITH_PANEL,
        ProvisionRoute.SEND: MonitorKind.EHC_PLAN_REVIEW,
    }[route]


def attendance_percent(*, attended: int, possible: int) -> float | None:
    """Attended sessions as a percentage of possible ones; None when none were possible."""
    if possible <= 0:
        return None
    return 100.0 * attended / possible


def attendance_needs_attention(
    *,
    attended: int,
    possible: int,
    threshold_percent: int = PLACEMENT_ATTENDANCE_ALERT_PERCENT,
    minimum_sessions: int = PLACEMENT_ATTENDANCE_MINIMUM_SESSIONS,
) -> bool:
    """True when attendance since the placement has fallen below the threshold, counted once
    there are at least `minimum_sessions` possible sessions."""
    if possible < max(minimum_sessions, 1):
        return False
    return attended * 100 < threshold_percent * possible
