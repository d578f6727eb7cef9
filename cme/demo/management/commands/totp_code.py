"""`manage.py totp_code EMAIL`: the current sign-in code of a demo user.

A convenience for trying the demo, not a way round MFA: it answers only for demo accounts
(…@demo.cme.invalid) and needs shell access to the server.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cme.demo.users import NotADemoUserError, current_totp_code


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo user (demo accounts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="a demo user's email, e.g. officer@demo.cme.invalid")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            msg = "There are no demo users in production."
            raise CommandError(msg)
        try:
            code = current_totp_code(email=options["email"])
        except NotADemoUserError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(code)
