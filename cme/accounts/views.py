"""Home page and sign-out confirmation for signed-in staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .home import home_sections_for
from .navigation import navigation_for


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's starting point: the sections their role opens, and what other apps add
    for them (their overdue work)."""
    sections = [
        item for item in navigation_for(request.user, request.path) if item["href"] not in {"/", ""}
    ]
    return render(
        request,
        "accounts/home.html",
        {"sections": sections[:-1], "home_sections": home_sections_for(request.user)},
    )


@require_GET
@login_required
def sign_out(request: HttpRequest) -> HttpResponse:
    return render(request, "account/logout.html")
