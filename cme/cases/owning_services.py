"""Facts on a case that another council service owns, and which service each one tells.

The policy names the services with a direct responsibility for a child missing education:
the Virtual School for looked-after children, the Youth Offending Team for children under
youth justice supervision (and those returning from custody, whom it supervises on release),
and the SEND team for a child with an education, health and care plan. No queries here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class OwningService(models.TextChoices):
    VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
    YOUTH_OFFENDING_TEAM = "youth_offending_team", "Youth Offending Team"
    SEND_TEAM = "send_team", "SEND team"


@dataclass(frozen=True)
class OwnedFacts:
    looked_after: bool
    youth_justice: bool
    returning_from_custody: bool
    ehc_plan: bool


def services_to_tell(facts: OwnedFacts) -> dict[OwningService, str]:
    """The services these facts concern, each with the fact that concerns it (in words)."""
    told: dict[OwningService, str] = {}
    if facts.looked_after:
        told[OwningService.VIRTUAL_SCHOOL] = "Looked-after child"
    if facts.youth_justice or facts.returning_from_custody:
        told[OwningService.YOUTH_OFFENDING_TEAM] = (
            "Supervised by youth justice" if facts.youth_justice else "Returning from custody"
        )
    if facts.ehc_plan:
        told[OwningService.SEND_TEAM] = "Education, health and care plan"
    return told
