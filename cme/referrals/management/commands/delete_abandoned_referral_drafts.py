"""`manage.py delete_abandoned_referral_drafts`: delete online referral drafts left unsent.

A draft holds a child's details typed by a member of the public. One untouched for a day is
deleted (and one already sent keeps no answers). Run it daily from cron or a systemd timer.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cme.referrals import services


class Command(BaseCommand):
    help = "Delete online referral drafts untouched for 24 hours."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = services.delete_abandoned_drafts()
        self.stdout.write(f"deleted={deleted}")
