"""What management commands share when reading their arguments: a date given as YYYY-MM-DD,
and the `--as-of` and `--enqueue` options of a run made by cron or the worker.

Two exit contracts stand in docs/interfaces.md, kept apart here: the reports' commands refuse a
bad date as a usage error (argparse's exit 2), the scheduled runs as a command error (exit 1).
"""

from __future__ import annotations

import argparse
import datetime

from django.core.management.base import CommandError, CommandParser


def iso_date(text: str) -> datetime.date:
    """An argparse `type` for a date: a bad one is a usage error (exit 2)."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date in the form YYYY-MM-DD"
        raise argparse.ArgumentTypeError(msg) from None


def _scheduled_as_of(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as bad:
        raise CommandError(f"--as-of must be a date, YYYY-MM-DD: {text!r}") from bad


def add_scheduled_run_arguments(parser: CommandParser) -> None:
    """`--as-of YYYY-MM-DD` (default today; a bad date exits 1) and `--enqueue` (queue the run
    for the background worker instead of making it in the command)."""
    parser.add_argument(
        "--as-of", type=_scheduled_as_of, default=None, help="Today, for the rules."
    )
    parser.add_argument(
        "--enqueue",
        action="store_true",
        help="Queue the run for the background worker instead of making it here.",
    )
