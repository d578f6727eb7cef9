"""Delete school return drafts untouched for CME_RETURN_DRAFT_LIFETIME_DAYS (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cme.returns import services


class Command(BaseCommand):
    help = (
        "Delete school return drafts nobody has changed for CME_RETURN_DRAFT_LIFETIME_DAYS "
        "days (default 14): a child's details are not kept unsent for longer. Sent returns "
        "are never touched. Prints how many drafts were deleted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = services.delete_abandoned_drafts()
        self.stdout.write(f"deleted={deleted}")
