"""Sign-in form: allauth's, with GOV.UK wording."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm


class StaffLoginForm(LoginForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["login"].widget.attrs.pop("autofocus", None)
        self.fields["login"].error_messages["required"] = "Enter your email address"
        self.fields["password"].label = "Password"
        # allauth puts a "Forgot your password?" link in the hint; the page has its own.
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields.pop("remember", None)
