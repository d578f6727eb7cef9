"""Loading the demo: the synthetic authority and its demo users, as one step.

Owns the rule for when demo data may be loaded (never in production, only into an empty
register) and the transaction that loads it, for the `demo_data` command and the tests.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from cme.accounts.models import Role, User
from cme.attendance.demo import add_demo_follow_ups, load_demo_attendance
from cme.provision.demo import create_demo_provision
from cme.pupils.models import Child
from cme.reports.demo import create_demo_national_figures
from cme.returns.demo import generate_demo_returns

from .casework import generate_demo_casework
from .generator import DemoAuthority, Progress, generate_demo_authority
from .users import create_demo_users


class DemoRefusedError(Exception):
    """Demo data, with its published password, is never loaded into a production service."""


@dataclass(frozen=True, slots=True)
class DemoLoad:
    authority: DemoAuthority
    users: list[User]


def register_child_count() -> int:
    return Child.objects.count()


def load_demo_data(
    *,
    seed: int,
    pupils: int,
    today: datetime.date,
    progress: Progress | None = None,
) -> DemoLoad:
    """Generate the synthetic authority and create the demo users, all or nothing.

    Raises DemoRefusedError in production and `generator.RegisterNotEmptyError` when the
    register already has children.
    """
    if settings.IS_PRODUCTION:
        msg = "Demo data is never loaded in production (CME_ENVIRONMENT=production)."
        raise DemoRefusedError(msg)
    report = progress or (lambda _line: None)
    with transaction.atomic():
        authority = generate_demo_authority(
            seed=seed,
            pupils=pupils,
            today=today,
            la_code=settings.COUNCIL_LA_CODE,
            progress=report,
        )
        started = time.monotonic()
        users = create_demo_users(
            seed=seed, school=authority.demo_school, other_school=authority.other_school
        )
        elapsed = time.monotonic() - started
        report(f"Demo users: {len(users)} with TOTP authenticators ({elapsed:.1f} s)")
        started = time.monotonic()
        registers = load_demo_attendance(seed=seed, today=today)
        followed_up = add_demo_follow_ups(
            officer=next(user for user in users if user.role == Role.CME_OFFICER)
        )
        report(
            f"Attendance registers: created={registers.created} updated={registers.updated}, "
            f"{followed_up} worklist items followed up ({time.monotonic() - started:.1f} s)"
        )
        started = time.monotonic()
        casework = generate_demo_casework(seed=seed, users=users, today=today)
        elapsed = time.monotonic() - started
        report(
            f"Casework: {casework.cases} cases in every state, "
            f"{casework.referrals} referrals ({elapsed:.1f} s)"
        )
        started = time.monotonic()
        provision = create_demo_provision(users=users, today=today, seed=seed)
        create_demo_national_figures(today=today)
        report(
            f"Provision: {provision.decisions} decisions, {provision.offers} offers, "
            f"{provision.meetings} panel meetings ({time.monotonic() - started:.1f} s)"
        )
        started = time.monotonic()
        returns = generate_demo_returns(seed=seed, users=users, today=today)
        report(
            f"School returns: {returns.returns} with {returns.pupils} pupils "
            f"({time.monotonic() - started:.1f} s)"
        )
    return DemoLoad(authority=authority, users=users)
