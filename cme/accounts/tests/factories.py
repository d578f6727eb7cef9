"""Users in each role, with their TOTP authenticator already set up."""

from __future__ import annotations

from typing import Any

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from cme.accounts.models import PartnerAgency, Role, User

DEFAULT_PASSWORD = "correct horse battery staple"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class PartnerAgencyFactory(factory.django.DjangoModelFactory[PartnerAgency]):
    class Meta:
        model = PartnerAgency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Health visiting team {n}")
    kind = PartnerAgency.Kind.HEALTH


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A CME officer with TOTP set up (secret DEMO_TOTP_SECRET)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.CME_OFFICER
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def totp(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            TOTP.activate(self, extracted or DEMO_TOTP_SECRET)


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
