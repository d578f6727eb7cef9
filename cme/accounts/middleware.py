"""Sign-in is required everywhere except the public pages, and every member of staff uses MFA."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from cme.web import drafts

# Paths a signed-in user without an authenticator may still reach while setting one up.
_MFA_SETUP_PREFIXES = (
    "/accounts/",
    "/static/",
    "/health/",
    "/accessibility/",
    "/privacy/",
    "/refer/",
)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's own: every view needs sign-in unless marked `login_not_required`.

    A form posted after the session ended is kept, so signing in again loses nothing."""

    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable[..., HttpResponseBase]
    ) -> HttpResponseRedirect:
        if request.method == "POST":
            page = drafts.keep_draft(request)
            if page is not None:
                # Back to the page the form was on, which gives the answers back.
                return redirect_to_login(page, resolve_url(self.get_login_url(view_func)))
        return super().handle_no_permission(request, view_func)


class RequireMultiFactorMiddleware:
    """Send a signed-in user who has no TOTP authenticator to set one up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_MFA_SETUP_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
