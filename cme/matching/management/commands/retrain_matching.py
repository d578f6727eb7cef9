"""`manage.py retrain_matching [--seed N] [--dry-run]`: retrain the identity-matching model.

Trains on the notifications the service has matched, against the register, without labels;
prints the figures before and after and every weight that changed; keeps the new model
(audited) unless `--dry-run`. Every process uses it from its next match.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cme.matching import services
from cme.matching.training import retrain


class Command(BaseCommand):
    help = (
        "Retrain the identity-matching model on the notifications matched so far, against the "
        "register, with no labels needed (pairs sharing a valid UPN or NHS number seed it). "
        "Prints the figures before and after (how many notifications would be linked, sent to "
        "review or not matched, and how automatic links sit with officers' decisions) and "
        "each weight's change, then keeps the new model unless --dry-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the figures, keep the current model"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        current, version = services.active_model()
        self.stdout.write(
            f"Current model: {'version ' + str(version) if version else 'built-in defaults'}"
        )
        result = retrain(current=current, seed=options["seed"])
        self.stdout.write(result.text())
        if options["dry_run"]:
            self.stdout.write("Dry run: the current model is kept.")
            return
        saved = services.save_model(model=result.model, report=result.text())
        self.stdout.write(f"Saved as model version {saved.pk}; used from the next match.")
