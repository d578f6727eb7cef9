"""`manage.py demo_data`: load the synthetic demo authority and its demo users."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cme.demo import services
from cme.demo.generator import MAX_PUPILS, RegisterNotEmptyError


def _iso_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


class Command(BaseCommand):
    help = (
        "Generate a synthetic local authority (schools, families, pupils, enrolments) and one "
        "demo user per role. Synthetic data only; refused in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pupils", type=int, default=25_000, help="children (default 25,000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="the day the register is as of, YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and say so) if the register already has children",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pupils: int = options["pupils"]
        if not 1 <= pupils <= MAX_PUPILS:
            msg = f"--pupils must be between 1 and {MAX_PUPILS:,}"
            raise CommandError(msg)
        existing = services.register_child_count()
        if existing and options["if_empty"]:
            self.stdout.write(
                f"The register already has {existing:,} children: demo data not loaded."
            )
            return
        today = options["today"] or timezone.localdate()
        self.stdout.write(
            f"Generating a synthetic authority: {pupils:,} pupils, seed {options['seed']}, "
            f"as of {today:%d %B %Y}."
        )
        started = time.monotonic()
        try:
            services.load_demo_data(
                seed=options["seed"], pupils=pupils, today=today, progress=self.stdout.write
            )
        except (RegisterNotEmptyError, services.DemoRefusedError) as error:
            hint = " Use --if-empty to skip quietly." if existing else ""
            raise CommandError(f"{error}{hint}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s.")
        )
