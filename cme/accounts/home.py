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

# (place, provider): sections are shown by place, then in the order they were registered.
_PROVIDERS: list[tuple[int, HomeSectionProvider]] = []


def register_home_section(provider: HomeSectionProvider, *, place: int = 100) -> None:
    """Show `provider`'s section on the home page, before those with a higher `place`."""
    if all(registered is not provider for _place, registered in _PROVIDERS):
        _PROVIDERS.append((place, provider))
        _PROVIDERS.sort(key=lambda entry: entry[0])


def home_sections_for(user: Any) -> list[HomeSection]:
    return [section for _place, provider in _PROVIDERS if (section := provider(user)) is not None]
