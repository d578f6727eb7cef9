"""The synthetic demo authority: deterministic, valid identifiers, every child on one roll,
realistic families, demo users who sign in with MFA, and one audit event per run."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from pytest_django.fixtures import Settings

from cme.accounts.models import Role, User
from cme.audit.models import AuditEvent
from cme.demo import services
from cme.demo.generator import (
    DemoAuthority,
    RegisterNotEmptyError,
    authority_size,
    generate_demo_authority,
    year_group,
)
from cme.demo.users import DEMO_PASSWORD, DEMO_USERS, NotADemoUserError, current_totp_code
from cme.pupils.models import (
    Address,
    Child,
    Contact,
    Enrolment,
    School,
    SchoolPhase,
    SchoolStatus,
)
from cme.standards.nhs_number import is_valid_nhs_number
from cme.standards.upn import check_upn, is_valid_upn

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)
SCHOOL_YEAR = 2025  # the school year that began in September 2025


def generate(pupils: int, seed: int = 1) -> DemoAuthority:
    return generate_demo_authority(seed=seed, pupils=pupils, today=TODAY, la_code="800")


def register_digest() -> str:
    """A stable fingerprint of the register's content (never its database keys)."""
    tables: list[Iterable[tuple[Any, ...]]] = [
        Child.objects.order_by("id").values_list(
            "forename",
            "middle_names",
            "surname",
            "former_surnames",
            "preferred_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "upn",
            "nhs_number",
            "sen_status",
            "looked_after",
            "vulnerability_flags",
        ),
        Enrolment.objects.order_by("child_id", "id").values_list(
            "school__urn", "start_date", "end_date", "deletion_ground", "leaving_reason"
        ),
        Address.objects.order_by("child_id", "id").values_list(
            "line_1", "line_2", "town", "postcode", "moved_in", "moved_out"
        ),
        Contact.objects.order_by("child_id", "id").values_list(
            "full_name", "relationship", "parental_responsibility", "phone"
        ),
        School.objects.order_by("urn").values_list("urn", "laestab", "name", "status"),
    ]
    digest = hashlib.sha256()
    for table in tables:
        for row in table:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def digest_in_a_fresh_register(pupils: int, seed: int) -> str:
    """Generate into the empty register, fingerprint it, and roll it all back."""
    with transaction.atomic():
        generate(pupils, seed)
        result = register_digest()
        transaction.set_rollback(True)
    return result


def test_the_same_seed_generates_the_same_register_and_another_seed_does_not() -> None:
    first = digest_in_a_fresh_register(300, seed=1)
    assert Child.objects.exists() is False
    assert digest_in_a_fresh_register(300, seed=1) == first
    assert digest_in_a_fresh_register(300, seed=2) != first


def test_the_register_is_the_same_when_the_database_cannot_return_new_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = digest_in_a_fresh_register(300, seed=1)
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    assert digest_in_a_fresh_register(300, seed=1) == expected


def test_it_generates_exactly_the_number_of_pupils_asked_for() -> None:
    result = generate(457)
    assert Child.objects.count() == result.pupils == 457


def test_every_upn_is_valid_and_unique_and_about_3_percent_are_temporary_or_missing() -> None:
    generate(1000)
    upns = list(Child.objects.values_list("upn", flat=True))
    given = [upn for upn in upns if upn]
    assert all(is_valid_upn(upn) for upn in given)
    assert len(set(given)) == len(given)
    temporary_or_missing = len(upns) - len(given) + sum(check_upn(u).is_temporary for u in given)
    assert 10 <= temporary_or_missing <= 60


def test_every_nhs_number_is_valid_unique_and_from_the_never_issued_999_range() -> None:
    generate(1000)
    numbers = [n for n in Child.objects.values_list("nhs_number", flat=True) if n]
    assert len(numbers) > 950
    assert all(is_valid_nhs_number(n) and n.startswith("999") for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_each_child_reception_to_year_11_has_one_current_enrolment_at_an_open_school_in_phase() -> (
    None
):
    generate(1000)
    current = defaultdict(list)
    for enrolment in Enrolment.objects.filter(end_date__isnull=True).select_related(
        "school__local_authority"
    ):
        current[enrolment.child_id].append(enrolment)
    for child in Child.objects.all():
        assert child.date_of_birth is not None
        year = year_group(child.date_of_birth, SCHOOL_YEAR)
        assert 0 <= year <= 11
        (enrolment,) = current[child.pk]
        school = enrolment.school
        assert school.status == SchoolStatus.OPEN
        assert school.local_authority.code == "800"
        assert enrolment.start_date <= TODAY
        if school.phase == SchoolPhase.PRIMARY:
            assert year <= 6
        elif school.phase == SchoolPhase.SECONDARY:
            assert year >= 7
        else:
            assert school.phase in (SchoolPhase.NOT_APPLICABLE, SchoolPhase.ALL_THROUGH)


def test_earlier_enrolments_ended_with_a_deletion_ground_and_a_reason_before_the_current_one() -> (
    None
):
    generate(1000)
    ended = Enrolment.objects.filter(end_date__isnull=False)
    children_with_history = ended.values("child").distinct().count()
    assert 40 <= children_with_history <= 140  # ~8% of 1,000
    for enrolment in ended:
        assert enrolment.end_date is not None
        assert enrolment.start_date <= enrolment.end_date < TODAY
        assert enrolment.deletion_ground
        assert enrolment.leaving_reason
        current = Enrolment.objects.get(child_id=enrolment.child_id, end_date__isnull=True)
        assert enrolment.end_date < current.start_date


def test_twins_share_a_surname_date_of_birth_household_and_address() -> None:
    generate(1000)
    pairs = Counter(Child.objects.values_list("household_id", "surname", "date_of_birth"))
    twins = [key for key, count in pairs.items() if count == 2]
    assert len(twins) >= 5
    household, _surname, born = twins[0]
    postcodes = set(
        Address.objects.filter(
            child__household_id=household, child__date_of_birth=born, moved_out__isnull=True
        ).values_list("postcode", flat=True)
    )
    assert len(postcodes) == 1


def test_families_are_varied_step_siblings_double_barrelled_and_former_surnames() -> None:
    generate(1000)
    surnames_per_household = Counter(
        household
        for household, _ in Child.objects.values_list("household_id", "surname").distinct()
    )
    assert any(count >= 2 for count in surnames_per_household.values())
    assert Child.objects.filter(surname__contains="-").exists()
    assert Child.objects.exclude(former_surnames="").exists()
    assert Contact.objects.filter(relationship=Contact.Relationship.STEP_PARENT).exists()
    assert 300 <= Child.objects.exclude(middle_names="").count() <= 500


def test_every_child_has_a_current_address_and_a_carer_with_a_drama_range_phone_number() -> None:
    generate(500)
    for child in Child.objects.prefetch_related("addresses", "contacts"):
        assert sum(1 for a in child.addresses.all() if a.moved_out is None) == 1
        contacts = list(child.contacts.all())
        assert any(c.lives_with_child for c in contacts)
        assert any(c.emergency_contact for c in contacts)
        for contact in contacts:
            assert contact.phone.startswith(("07700 900", "01632 960"))


def test_the_authority_has_its_real_school_mix_and_academies_share_a_predecessor_laestab() -> None:
    generate(300)
    own = School.objects.filter(local_authority__code="800", status=SchoolStatus.OPEN)
    assert own.filter(phase=SchoolPhase.PRIMARY).count() == 62
    assert own.filter(phase=SchoolPhase.SECONDARY).count() == 13
    assert own.filter(school_type="special").count() == 3
    assert own.filter(school_type="alternative_provision").count() == 1
    assert own.filter(school_type="independent").count() == 1
    assert all(school.locality_id is not None for school in own)
    assert School.objects.exclude(local_authority__code="800").count() == 6
    closed = School.objects.filter(status=SchoolStatus.CLOSED)
    assert closed.count() == 2
    for school in closed:
        assert own.filter(laestab=school.laestab).exists()
    urns = list(School.objects.values_list("urn", flat=True))
    assert len(set(urns)) == len(urns)
    assert all(len(urn) == 6 and urn.isdigit() for urn in urns)


def test_a_bigger_authority_gets_proportionally_more_schools_and_localities() -> None:
    base, million = authority_size(25_000), authority_size(1_000_000)
    assert (base.primary, base.secondary, base.special, base.localities) == (62, 13, 3, 6)
    assert 1_900 <= million.primary <= 1_990
    assert 400 <= million.secondary <= 420
    assert million.localities == 240


def test_generating_into_a_register_that_has_children_is_refused() -> None:
    generate(50)
    with pytest.raises(RegisterNotEmptyError):
        generate(50, seed=2)


def test_one_run_records_one_audit_event_not_one_per_child() -> None:
    generate(300, seed=5)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.FILE_IMPORTED)
    assert event.summary == "Synthetic demo data generated (seed 5, 300 pupils)"
    assert event.actor is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHILD_CREATED).exists() is False


def test_demo_data_creates_a_user_for_every_role_each_with_its_own_totp_authenticator() -> None:
    call_command("demo_data", pupils=200, seed=3, stdout=io.StringIO())
    users = User.objects.filter(email__endswith="@demo.cme.invalid")
    assert {user.role for user in users} == set(Role.values)
    assert users.count() == len(DEMO_USERS)
    secrets = [
        a.data["secret"]
        for a in Authenticator.objects.filter(user__in=users, type=Authenticator.Type.TOTP)
    ]
    assert len(secrets) == users.count()
    assert len(set(secrets)) == len(secrets)
    assert all(len(secret) == 32 for secret in secrets)
    school_users = users.filter(role=Role.SCHOOL_ATTENDANCE)
    assert len({user.school_id for user in school_users}) == 2
    assert users.get(role=Role.PARTNER_AGENCY).agency.name == "Bath Health Visiting Team"  # type: ignore[union-attr]


def test_the_demo_administrator_is_staff_but_not_superuser_and_manages_users_and_schools() -> None:
    call_command("demo_data", pupils=100, stdout=io.StringIO())
    admin = User.objects.get(email="admin@demo.cme.invalid")
    assert admin.is_staff is True
    assert admin.is_superuser is False
    assert admin.has_perm("accounts.add_user") is True
    assert admin.has_perm("accounts.change_partneragency") is True
    assert admin.has_perm("pupils.change_school") is True
    assert admin.has_perm("pupils.view_locality") is True
    assert admin.has_perm("pupils.add_school") is False
    assert admin.has_perm("pupils.view_child") is False
    officer = User.objects.get(email="officer@demo.cme.invalid")
    assert officer.is_staff is False


def test_a_demo_user_signs_in_with_the_demo_password_and_a_code_from_totp_code(
    client: Client,
) -> None:
    cache.clear()
    call_command("demo_data", pupils=100, stdout=io.StringIO())
    page = client.post(
        "/accounts/login/",
        {"login": "officer@demo.cme.invalid", "password": DEMO_PASSWORD},
        follow=True,
    ).content.decode()
    assert "Enter your security code" in page
    out = io.StringIO()
    call_command("totp_code", "officer@demo.cme.invalid", stdout=out)
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": out.getvalue().strip()}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"


def test_totp_code_refuses_an_account_outside_the_demo_domain() -> None:
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("totp_code", "officer@example.org", stdout=io.StringIO())
    with pytest.raises(NotADemoUserError):
        current_totp_code(email="nobody@demo.cme.invalid")


def test_if_empty_on_a_register_with_children_changes_nothing() -> None:
    call_command("demo_data", pupils=100, seed=1, stdout=io.StringIO())
    before = (register_digest(), User.objects.count(), AuditEvent.objects.count())
    out = io.StringIO()
    call_command("demo_data", "--if-empty", pupils=500, seed=9, stdout=out)
    assert "already has 100 children" in out.getvalue()
    assert (register_digest(), User.objects.count(), AuditEvent.objects.count()) == before


def test_without_if_empty_a_register_with_children_is_an_error() -> None:
    call_command("demo_data", pupils=50, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--if-empty"):
        call_command("demo_data", pupils=50, stdout=io.StringIO())


def test_demo_data_is_refused_in_production(settings: Settings) -> None:
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("demo_data", pupils=10, stdout=io.StringIO())
    assert Child.objects.exists() is False
    with pytest.raises(services.DemoRefusedError):
        services.load_demo_data(seed=1, pupils=10, today=TODAY)


def test_show_demo_logins_prints_the_address_and_each_users_email_password_and_secret() -> None:
    call_command("demo_data", pupils=50, stdout=io.StringIO())
    out = io.StringIO()
    call_command("show_demo_logins", port=8123, stdout=out)
    text = out.getvalue()
    assert (
        "CME Tracker is running at http://127.0.0.1:8123/ — sign in at "
        "http://127.0.0.1:8123/accounts/login/"
    ) in text
    for spec in DEMO_USERS:
        assert spec.email in text
    assert DEMO_PASSWORD in text
    assert "oathtool --totp -b SECRET" in text
    assert "totp_code EMAIL" in text
