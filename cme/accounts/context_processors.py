from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    # Error pages for requests refused before authentication (a bad Host) have no user.
    return {"service_navigation": navigation_for(getattr(request, "user", None), request.path)}
