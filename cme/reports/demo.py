"""Demo reference data for the reports, for `manage.py demo_data`: the national primary
attendance figures each school's termly report is compared with (illustrative values, not
the DfE's published ones)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .models import NationalAttendanceFigure
from .terms import recent_terms

# Illustrative national primary attendance by season (about where England has been lately).
DEMO_PERCENT = {"autumn": Decimal("94.8"), "spring": Decimal("94.1"), "summer": Decimal("93.9")}


def create_demo_national_figures(*, today: datetime.date) -> int:
    """National figures for the current term and the five before it; returns how many."""
    made = 0
    for term in recent_terms(today, count=6):
        _, created = NationalAttendanceFigure.objects.get_or_create(
            term=term.slug,
            defaults={
                "attendance_percent": DEMO_PERCENT[term.season.value],
                "source": "Demo figure (illustrative, not published statistics)",
            },
        )
        made += created
    return made
