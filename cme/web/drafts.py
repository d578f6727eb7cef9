"""Keeping what a user typed when their session ended before they pressed the button.

A form posted after the idle limit is kept in the (new, anonymous) session, the user signs in
again, and the page the form was on gives the answers back to check and send (WCAG 2.2.1 and
2.2.5 without JavaScript). Passwords, codes and the CSRF token are never kept.

A form that posts to an action URL names the page it lives on (`draft_page`) and itself
(`draft_form`), so the user is brought back to that page, not to the action.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "drafts"
PAGE_FIELD = "draft_page"
FORM_FIELD = "draft_form"
MAX_DRAFT_BYTES = 64 * 1024
_NEVER_KEPT = ("csrfmiddlewaretoken", "password", "code", "token")


def draft_page(request: HttpRequest) -> str:
    """The page a posted form lives on: its own `draft_page` if that is a local path."""
    page = request.POST.get(PAGE_FIELD, "")
    if page.startswith("/") and url_has_allowed_host_and_scheme(page, allowed_hosts=None):
        return page
    return request.path


def keep_draft(request: HttpRequest) -> str | None:
    """Store the POSTed fields under the page they came from; returns that page, or None if
    nothing was kept."""
    fields = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key != PAGE_FIELD and not any(secret in key.lower() for secret in _NEVER_KEPT)
    }
    if not fields or len(json.dumps(fields)) > MAX_DRAFT_BYTES:
        return None
    page = draft_page(request)
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts[page] = fields
    request.session[SESSION_KEY] = drafts
    return page


def take_draft(request: HttpRequest, *, form: str = "") -> QueryDict | None:
    """The answers kept for this page (and, if named, this form), once; None if there are none."""
    drafts = dict(request.session.get(SESSION_KEY, {}))
    fields = drafts.get(request.path)
    if fields is None or (form and fields.get(FORM_FIELD, [""])[0] != form):
        return None
    drafts.pop(request.path)
    request.session[SESSION_KEY] = drafts
    restored = QueryDict(mutable=True)
    for key, values in fields.items():
        restored.setlist(key, values)
    return restored
