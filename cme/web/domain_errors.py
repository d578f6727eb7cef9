"""Turning a domain error raised by a service into a form error, shown in the GOV.UK summary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms


@contextmanager
def domain_errors_to(form: forms.BaseForm, *errors: type[Exception]) -> Iterator[None]:
    """Inside the block, any of `errors` becomes a non-field error on `form` (and the block's
    remaining statements are skipped, so the view falls through to re-render the form)."""
    try:
        yield
    except errors as error:
        form.add_error(None, str(error))
