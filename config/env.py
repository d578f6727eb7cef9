"""Typed readers for settings that come from the environment.

Each raises ImproperlyConfigured on a value it cannot read, so a bad deployment fails at
start-up rather than on the first request. Secrets may come from a file named by X_FILE
(Docker and systemd credentials), which keeps them out of the process listing.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_map(name: str, *, default: dict[str, int]) -> dict[str, int]:
    """`key=number` pairs, comma-separated (for example "checking=5,locating=20")."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return dict(default)
    values: dict[str, int] = {}
    for item in raw.split(","):
        key, _, number = item.partition("=")
        try:
            values[key.strip()] = int(number)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must be key=number pairs separated by commas, not {raw!r}"
            ) from exc
    return values


def env_date_list(name: str) -> list[datetime.date]:
    """ISO dates (2027-01-05), comma-separated."""
    try:
        return [datetime.date.fromisoformat(item) for item in env_list(name, default=[])]
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be dates like 2027-01-05 separated by commas"
        ) from exc


def env_secret(name: str, *, default: str | None = None) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE names {file_name!r}, which cannot be read"
            ) from exc
    value = os.environ.get(name)
    if value:
        return value
    if default is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set")
    return default
