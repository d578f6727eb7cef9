"""Factories for the pupil register, named by the state they build."""

from __future__ import annotations

import datetime

import factory

from cme.pupils.models import (
    Address,
    Child,
    Contact,
    Enrolment,
    Household,
    LocalAuthority,
    Locality,
    School,
    SchoolPhase,
    SchoolStatus,
    SchoolType,
    SenStatus,
)
from cme.standards.nhs_number import make_synthetic_nhs_number
from cme.standards.upn import make_upn


class LocalAuthorityFactory(factory.django.DjangoModelFactory[LocalAuthority]):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = "800"
    name = "Bath and North East Somerset"


class LocalityFactory(factory.django.DjangoModelFactory[Locality]):
    class Meta:
        model = Locality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Locality {n}")


class OpenSchoolFactory(factory.django.DjangoModelFactory[School]):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{900000 + n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    establishment_number = factory.Sequence(lambda n: f"{2000 + n % 8000:04d}")
    laestab = factory.LazyAttribute(lambda s: f"{s.local_authority.code}{s.establishment_number}")
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    school_type = SchoolType.MAINTAINED
    type_name = "Community school"
    phase = SchoolPhase.PRIMARY
    status = SchoolStatus.OPEN
    locality = factory.SubFactory(LocalityFactory)
    postcode = "BA1 1AA"


class ClosedSchoolFactory(OpenSchoolFactory):
    status = SchoolStatus.CLOSED


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    """A child with a valid UPN and synthetic NHS number, on no roll."""

    class Meta:
        model = Child

    forename = factory.Faker("first_name")
    surname = factory.Faker("last_name")
    # Aged 6 to 15 whenever the tests run: always of compulsory school age.
    date_of_birth = factory.Faker("date_between", start_date="-15y", end_date="-6y")
    sex = factory.Iterator(["M", "F"])
    upn = factory.Sequence(
        lambda n: make_upn("800", f"{2000 + n // 1000:04d}", "19", f"{n % 1000:03d}")
    )
    nhs_number = factory.Sequence(make_synthetic_nhs_number)
    sen_status = SenStatus.NONE


class ChildWithEhcPlanFactory(ChildFactory):
    sen_status = SenStatus.EHC_PLAN


class CurrentEnrolmentFactory(factory.django.DjangoModelFactory[Enrolment]):
    class Meta:
        model = Enrolment

    child = factory.SubFactory(ChildFactory)
    school = factory.SubFactory(OpenSchoolFactory)
    start_date = datetime.date(2024, 9, 4)
    end_date: datetime.date | None = None


class EndedEnrolmentFactory(CurrentEnrolmentFactory):
    end_date = datetime.date(2025, 7, 18)
    leaving_reason = "Moved away"


class CurrentAddressFactory(factory.django.DjangoModelFactory[Address]):
    class Meta:
        model = Address

    child = factory.SubFactory(ChildFactory)
    line_1 = factory.Faker("street_address")
    town = "Bath"
    postcode = "BA2 3AB"
    moved_in = datetime.date(2020, 1, 1)


class CarerFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    child = factory.SubFactory(ChildFactory)
    full_name = factory.Faker("name")
    relationship = Contact.Relationship.MOTHER
    parental_responsibility = True
    lives_with_child = True
    emergency_contact = True
    phone = "07700 900123"


def pupil_at(school: School, **child_fields: object) -> Child:
    """A child currently on `school`'s roll."""
    child = ChildFactory.create(**child_fields)
    CurrentEnrolmentFactory.create(child=child, school=school)
    return child
