"""Sections that apps above accounts add to the home page (a CME officer's overdue work, for
instance), without accounts importing them: each app registers a provider when it is ready.

A provider takes the signed-in user and returns the section to show them, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


HomeSectionProvider = Callable[[Any], HomeSection | None]

_PROVIDERS: list[HomeSectionProvider] = []


def register_home_section(provider: HomeSectionProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def home_sections_for(user: Any) -> list[HomeSection]:
    return [section for provider in _PROVIDERS if (section := provider(user)) is not None]
