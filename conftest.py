"""Role personas shared by every test. Each persona's docstring says what it may see."""

from __future__ import annotations

from collections.abc import Iterator

import factory
import pytest

from cme.accounts.models import PartnerAgency, Role, User
from cme.accounts.tests.factories import PartnerAgencyFactory, UserFactory
from cme.pupils.models import School
from cme.pupils.tests.factories import OpenSchoolFactory

factory.Faker._DEFAULT_LOCALE = "en_GB"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) PostgreSQL-only tests when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql_only")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql_only")]


@pytest.fixture(autouse=True)
def _fresh_match_register() -> Iterator[None]:
    """Each test's database starts empty, so no process-wide register may outlive a test."""
    from cme.matching.register import LIVE_REGISTER

    LIVE_REGISTER.clear()
    yield
    LIVE_REGISTER.clear()


@pytest.fixture
def school(db: None) -> School:
    """A maintained primary school in the authority."""
    return OpenSchoolFactory.create(name="Widcombe Junior School")


@pytest.fixture
def other_school(db: None) -> School:
    return OpenSchoolFactory.create(name="Oldfield Park Infant School")


@pytest.fixture
def agency(db: None) -> PartnerAgency:
    return PartnerAgencyFactory.create(name="Bath health visiting")


@pytest.fixture
def cme_officer(db: None) -> User:
    """Sees every child in the register and works cases."""
    return UserFactory.create(username="officer", role=Role.CME_OFFICER)


@pytest.fixture
def cme_manager(db: None) -> User:
    """Sees every child, and each child's change history and access log."""
    return UserFactory.create(username="manager", role=Role.CME_MANAGER)


@pytest.fixture
def school_user(db: None, school: School) -> User:
    """Sees only the pupils on their own school's roll (and recent leavers)."""
    return UserFactory.create(username="school", role=Role.SCHOOL_ATTENDANCE, school=school)


@pytest.fixture
def school_user_other_school(db: None, other_school: School) -> User:
    """Another school's attendance officer: sees none of `school`'s pupils."""
    return UserFactory.create(
        username="otherschool", role=Role.SCHOOL_ATTENDANCE, school=other_school
    )


@pytest.fixture
def partner_agency_user(db: None, agency: PartnerAgency) -> User:
    """Sees only what their agency submitted; no pupil-register pages."""
    return UserFactory.create(username="agency", role=Role.PARTNER_AGENCY, agency=agency)


@pytest.fixture
def send_officer(db: None) -> User:
    """Sees children with an education, health and care plan."""
    return UserFactory.create(username="send", role=Role.SEND)


@pytest.fixture
def administrator(db: None) -> User:
    """Manages users and reference data; sees no child's record."""
    return UserFactory.create(username="admin", role=Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def personas(
    cme_officer: User,
    cme_manager: User,
    school_user: User,
    school_user_other_school: User,
    partner_agency_user: User,
    send_officer: User,
    administrator: User,
) -> dict[str, User]:
    return {
        "cme_officer": cme_officer,
        "cme_manager": cme_manager,
        "school_user": school_user,
        "school_user_other_school": school_user_other_school,
        "partner_agency_user": partner_agency_user,
        "send_officer": send_officer,
        "administrator": administrator,
    }
