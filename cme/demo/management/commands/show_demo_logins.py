"""`manage.py show_demo_logins`: where the demo is running and how to sign in to it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cme.demo.users import DEMO_EMAIL_DOMAIN, demo_logins

_COLUMNS = ("Role", "Email", "Password", "TOTP secret", "Organisation")


class Command(BaseCommand):
    help = "Print the demo's address and each demo user's email, password and TOTP secret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        base = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write(f"CME Tracker is running at {base} — sign in at {base}accounts/login/")
        logins = demo_logins()
        if not logins:
            self.stdout.write(
                f"There are no demo users (…@{DEMO_EMAIL_DOMAIN}): run `manage.py demo_data`."
            )
            return
        self.stdout.write("")
        self.stdout.write("Demo sign-ins. Synthetic data only; the password is for this demo only.")
        rows = [
            (login.role, login.email, login.password, login.totp_secret, login.organisation)
            for login in logins
        ]
        widths = [max(len(row[i]) for row in (_COLUMNS, *rows)) for i in range(len(_COLUMNS))]
        for row in (_COLUMNS, tuple("-" * width for width in widths), *rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write("")
        self.stdout.write(
            "For the 6-digit code: add the secret to an authenticator app, or run "
            "`oathtool --totp -b SECRET`, or `python manage.py totp_code EMAIL`."
        )
