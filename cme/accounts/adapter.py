"""How django-allauth behaves here: no self sign-up, and one answer for every failed sign-in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class StaffAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by an administrator, never by the public.
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        if user is not None and not user.is_active:
            # A locked (inactive) account answers exactly like a wrong password, so the
            # sign-in page never tells anyone which accounts exist.
            self.authentication_failed(request, **credentials)
            return None
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # A user setting up their first authenticator has just typed their password (the
        # middleware sends them there straight after it); asking again would only annoy.
        # Changing an existing authenticator still needs the password again.
        user = getattr(self.request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user).exists():
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))
