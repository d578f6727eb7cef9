"""Demo returns, as the demo generator makes them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cme.accounts.models import User
from cme.pupils.models import School
from cme.pupils.tests.factories import CarerFactory, CurrentAddressFactory, pupil_at
from cme.returns.demo import generate_demo_returns
from cme.returns.models import ReturnedPupil, SchoolReturn

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_returns_of_every_kind_and_some_reach_triage(
    school: School, other_school: School, school_user: User, cme_officer: User
) -> None:
    """`other_school` is where the demo's leaver is going."""
    for _ in range(6):
        child = pupil_at(school)
        CurrentAddressFactory.create(child=child)
        CarerFactory.create(child=child)
    made = generate_demo_returns(
        seed=2026, users=[cme_officer, school_user], today=timezone.localdate()
    )
    assert made.returns == SchoolReturn.objects.count() == 7
    assert set(SchoolReturn.objects.values_list("kind", flat=True)) == {
        "attendance",
        "new_pupil",
        "deletion",
        "sickness",
        "failed_to_start",
        "la_moving_in",
    }
    assert SchoolReturn.objects.filter(status=SchoolReturn.Status.RECEIVED).count() == 1
    assert SchoolReturn.objects.filter(status=SchoolReturn.Status.FAILED).exists() is False
    assert ReturnedPupil.objects.filter(outcome=ReturnedPupil.Outcome.TRIAGE).count() == 3
