"""Demo sign-ins: one member of staff per role, each with a TOTP authenticator of their own.

Owns the demo accounts (`<name>@demo.cme.invalid`), their shared demo-only password, the
deterministic TOTP secret of each, the "Administrators" group the demo administrator belongs
to, and reading the sign-ins back for `show_demo_logins` and `totp_code`. Every demo user signs
in exactly as staff do, password then a code from their authenticator: nothing here bypasses
MFA. The `.invalid` top-level domain can never receive mail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Final, Literal

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from cme.accounts.models import PartnerAgency, Role, User
from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.pupils.models import School

DEMO_EMAIL_DOMAIN: Final = "demo.cme.invalid"
# DEMO ONLY. Every demo account shares this published password; it is printed on the console
# by `make run`. Demo data, and so these accounts, are refused in production
# (cme.demo.services). Never reuse it for a real account.
DEMO_PASSWORD: Final = "demo-password-2026"  # noqa: S105 - published demo credential
AGENCY_NAME: Final = "Bath Health Visiting Team"
ADMINISTRATORS_GROUP: Final = "Administrators"
# What the demo administrator may do in the admin: manage users and partner agencies, and keep
# schools and localities right. No superuser, and no child data.
ADMINISTRATOR_PERMISSIONS: Final = (
    ("accounts", "user", ("view", "add", "change")),
    ("accounts", "partneragency", ("view", "add", "change")),
    ("pupils", "school", ("view", "change")),
    ("pupils", "locality", ("view", "change")),
    ("cases", "enquirysource", ("view", "add", "change")),
)
# Keyed so the secret changes with the seed but no two demo users share one.
_TOTP_KEY: Final = b"cme-tracker-demo-totp"

Organisation = Literal["", "school", "other_school", "agency"]


class NotADemoUserError(Exception):
    """Asked for a code for an account that is not a demo account (or does not exist)."""


@dataclass(frozen=True, slots=True)
class DemoUserSpec:
    """One demo account: who they are, what they do and which organisation scopes them."""

    key: str
    role: Role
    first_name: str
    last_name: str
    job_title: str
    organisation: Organisation = ""

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_EMAIL_DOMAIN}"


DEMO_USERS: Final = (
    DemoUserSpec(
        "officer", Role.CME_OFFICER, "Alex", "Morgan", "Children missing education officer"
    ),
    DemoUserSpec(
        "manager", Role.CME_MANAGER, "Jordan", "Patel", "Children missing education manager"
    ),
    DemoUserSpec("school", Role.SCHOOL_ATTENDANCE, "Sam", "Hughes", "Attendance officer", "school"),
    DemoUserSpec(
        "school2", Role.SCHOOL_ATTENDANCE, "Chris", "Nowak", "Attendance lead", "other_school"
    ),
    DemoUserSpec("agency", Role.PARTNER_AGENCY, "Taylor", "Evans", "Health visitor", "agency"),
    DemoUserSpec("admissions", Role.ADMISSIONS, "Robin", "Clarke", "School admissions officer"),
    DemoUserSpec("send", Role.SEND, "Morgan", "Ahmed", "SEND caseworker"),
    DemoUserSpec(
        "pupil-support", Role.PUPIL_SUPPORT_MANAGER, "Jamie", "O'Connor", "Pupil support manager"
    ),
    DemoUserSpec("panel", Role.PANEL_MEMBER, "Casey", "Kowalska", "Fair Access panel member"),
    DemoUserSpec("admin", Role.ADMINISTRATOR, "Riley", "Thompson", "System administrator"),
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """What someone trying the demo needs to sign in as one demo user."""

    role: str
    email: str
    password: str
    totp_secret: str
    organisation: str


def is_demo_email(email: str) -> bool:
    return email.lower().endswith(f"@{DEMO_EMAIL_DOMAIN}")


def demo_totp_secret(*, seed: int, key: str) -> str:
    """The demo user's TOTP secret: 20 bytes (160 bits, RFC 4226's recommendation) derived
    from the seed and the user, as 32 base32 characters."""
    digest = hmac.new(_TOTP_KEY, f"{seed}:{key}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def create_demo_users(*, seed: int, school: School, other_school: School) -> list[User]:
    """Create (or bring back to their demo state) one user per role, each with its own TOTP
    authenticator. Records one audit event per account: these are real sign-ins."""
    with transaction.atomic():
        agency, _ = PartnerAgency.objects.get_or_create(
            name=AGENCY_NAME, defaults={"kind": PartnerAgency.Kind.HEALTH}
        )
        administrators = _administrators_group()
        # One hash for every account: hashing is deliberately slow and the password is shared.
        password = make_password(DEMO_PASSWORD)
        schools = {"school": school, "other_school": other_school}
        users = []
        for spec in DEMO_USERS:
            user, created = User.objects.update_or_create(
                username=spec.email,
                defaults={
                    "email": spec.email,
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "job_title": spec.job_title,
                    "role": spec.role,
                    "school": schools.get(spec.organisation),
                    "agency": agency if spec.organisation == "agency" else None,
                    "is_staff": spec.role == Role.ADMINISTRATOR,
                    "is_superuser": False,
                    "is_active": True,
                    "password": password,
                },
            )
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
            TOTP.activate(user, demo_totp_secret(seed=seed, key=spec.key))
            if spec.role == Role.ADMINISTRATOR:
                user.groups.add(administrators)
            audit.record_event(
                kind=AuditEvent.Kind.USER_CREATED if created else AuditEvent.Kind.USER_UPDATED,
                actor=None,
                subject=user,
                summary=(
                    f"Demo user {'created' if created else 'reset'}: "
                    f"{spec.email} ({spec.role.label})"
                ),
                details={"role": spec.role, "demo": True},
            )
            users.append(user)
    return users


def _administrators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, model, actions in ADMINISTRATOR_PERMISSIONS
        for action in actions
    ]
    group.permissions.add(*permissions)
    return group


def demo_logins() -> list[DemoLogin]:
    """The demo users that exist, in role order, with their TOTP secrets."""
    users = {
        user.email: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").select_related(
            "school", "agency"
        )
    }
    secrets = {
        authenticator.user_id: decrypt(authenticator.data["secret"])
        for authenticator in Authenticator.objects.filter(
            user__in=users.values(), type=Authenticator.Type.TOTP
        )
    }
    logins = []
    for spec in DEMO_USERS:
        user = users.get(spec.email)
        if user is None:
            continue
        organisation = user.school or user.agency
        logins.append(
            DemoLogin(
                role=user.role_label,
                email=user.email,
                password=DEMO_PASSWORD,
                totp_secret=secrets.get(user.pk, "(no authenticator)"),
                organisation=str(organisation) if organisation else "",
            )
        )
    return logins


def current_totp_code(*, email: str, at: float | None = None) -> str:
    """The 6-digit code a demo user's authenticator shows now (or at Unix time `at`).

    Refuses any account outside the demo domain: it is a convenience for trying the demo from
    the server's shell, never a way round MFA for real staff.
    """
    if not is_demo_email(email):
        msg = f"{email} is not a demo account (…@{DEMO_EMAIL_DOMAIN})"
        raise NotADemoUserError(msg)
    authenticator = Authenticator.objects.filter(
        user__email__iexact=email, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is None:
        msg = f"There is no demo account {email} with an authenticator"
        raise NotADemoUserError(msg)
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))
