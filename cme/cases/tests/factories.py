"""Cases in each state."""

from __future__ import annotations

import factory
from django.utils import timezone

from cme.cases.categories import CaseCategory
from cme.cases.models import Case
from cme.cases.workflow import CaseStatus, ClosureReason
from cme.pupils.tests.factories import ChildFactory


class OpenCaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    child = factory.SubFactory(ChildFactory)
    category = CaseCategory.IDENTIFIED_MISSING
    status = CaseStatus.REFERRED
    status_changed_at = factory.LazyFunction(timezone.now)
    opened_at = factory.LazyFunction(timezone.now)


class LocatingCaseFactory(OpenCaseFactory):
    status = CaseStatus.LOCATING


class WhereaboutsUnknownCaseFactory(OpenCaseFactory):
    status = CaseStatus.WHEREABOUTS_UNKNOWN


class ClosedCaseFactory(OpenCaseFactory):
    status = CaseStatus.CLOSED
    closed_at = factory.LazyFunction(timezone.now)
    closure_reason = ClosureReason.ON_ROLL_AND_ATTENDING
