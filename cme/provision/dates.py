"""The staff forms' date field: a date asked for as day, month and year (`cme.web.dates`, the
GOV.UK date input every form uses), required unless said otherwise, and with `latest="today"`
no later than today. Reports use it too."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from cme.web.dates import DATE_PARTS, DateWidget, date_error, parse_date_parts, typed_parts


class GovukDateField(forms.Field):
    """A date in three boxes. `latest="today"`: the date cannot be after today."""

    widget = DateWidget

    def __init__(
        self,
        *,
        label: str,
        error_name: str,
        hint: str = "For example, 27 3 2026",
        required: bool = True,
        latest: str | None = None,
    ) -> None:
        super().__init__(label=label, help_text=hint, required=False)
        self.mandatory = required
        self.error_name = error_name
        self.latest = latest

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        typed = typed_parts(value)
        if typed is None:
            return None
        latest = timezone.localdate() if self.latest == "today" else None
        return parse_date_parts(
            *typed,
            error_name=self.error_name,
            latest=latest,
            latest_message=f"{self.error_name} must be today or in the past",
        )

    def validate(self, value: Any) -> None:
        if value is None and self.mandatory:
            raise date_error(f"Enter {self.error_name.lower()}", "required", DATE_PARTS)
