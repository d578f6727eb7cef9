"""Why a child is on the CME register, and which pathway that puts them on.

The current guidance and the DfE return count children not on any school roll as missing
education; registered pupils who are not attending go through a separate pathway (domain.md
b1). The category decides the pathway, so the pathway is never stored twice.
"""

from __future__ import annotations

from django.db import models


class Pathway(models.TextChoices):
    NOT_ON_ROLL = "not_on_roll", "Not on any school roll (missing education)"
    ON_ROLL_NOT_ATTENDING = "on_roll", "On a roll but not attending (at risk)"


class CaseCategory(models.TextChoices):
    # Missing education: the policy's CME database categories, brought up to date.
    IDENTIFIED_MISSING = "identified_missing", "Identified as missing education"
    REMOVED_DESTINATION_UNKNOWN = "removed_unknown", "Removed from a roll, destination unknown"
    EXCLUDED_WITHOUT_PROVISION = "excluded", "Permanently excluded without full-time provision"
    NOT_STARTED_AFTER_TRANSITION = "not_started", "Not started after a transition point"
    IN_AP_ON_NO_ROLL = "ap_no_roll", "In alternative provision but on no roll"
    AWAITING_EHCP_PLACEMENT = "awaiting_ehcp", "Awaiting a placement named in an EHC plan"
    OFFERED_AP_NOT_ATTENDING = "ap_not_attending", "Offered alternative provision, not attending"
    # At risk of missing education (the policy's reasons 1 to 7).
    AT_RISK_FAILED_TO_START = "risk_failed_start", "At risk: failed to start at a school"
    AT_RISK_IRREGULAR_ATTENDANCE = "risk_irregular", "At risk: irregular attendance"
    AT_RISK_UNLAWFUL_EXCLUSION = "risk_unlawful_exclusion", "At risk: unlawful exclusion"
    AT_RISK_UNMONITORED_AP = "risk_unmonitored_ap", "At risk: unmonitored alternative provision"
    AT_RISK_HEALTH_NEEDS = "risk_health", "At risk: health needs"
    AT_RISK_STOPPED_ATTENDING = "risk_stopped", "At risk: stopped attending"
    AT_RISK_LEFT_WITHOUT_PROVISION = "risk_left", "At risk: left without ongoing provision"


C = CaseCategory
ON_ROLL_CATEGORIES = frozenset(
    {
        C.AT_RISK_FAILED_TO_START,
        C.AT_RISK_IRREGULAR_ATTENDANCE,
        C.AT_RISK_UNLAWFUL_EXCLUSION,
        C.AT_RISK_UNMONITORED_AP,
        C.AT_RISK_HEALTH_NEEDS,
        C.AT_RISK_STOPPED_ATTENDING,
        C.OFFERED_AP_NOT_ATTENDING,
    }
)


def pathway_for(category: CaseCategory) -> Pathway:
    return Pathway.ON_ROLL_NOT_ATTENDING if category in ON_ROLL_CATEGORIES else Pathway.NOT_ON_ROLL
