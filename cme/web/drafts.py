"""Keeping what a user typed when their session ended before they pressed the button.

A form posted after the idle limit is kept in the (new, anonymous) session, the user signs in
again, and the page they were on gives the answers back to check and send (WCAG 2.2.1 and
2.2.5 without JavaScript). Passwords and the CSRF token are never kept.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, QueryDict

SESSION_KEY = "drafts"
MAX_DRAFT_BYTES = 64 * 1024
_NEVER_KEPT = ("csrfmiddlewaretoken", "password", "code", "token")


def keep_draft(request: HttpRequest) -> bool:
    """Store the POSTed fields for `request.path`; returns whether anything was kept."""
    fields = {
        key: request.POST.getlist(key)
        for key in request.POST
        if not any(secret in key.lower() for secret in _NEVER_KEPT)
    }
    if not fields or len(json.dumps(fields)) > MAX_DRAFT_BYTES:
        return False
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts[request.path] = fields
    request.session[SESSION_KEY] = drafts
    return True


def take_draft(request: HttpRequest) -> QueryDict | None:
    """The answers kept for this page, once; None if there are none."""
    drafts = dict(request.session.get(SESSION_KEY, {}))
    fields = drafts.pop(request.path, None)
    if fields is None:
        return None
    request.session[SESSION_KEY] = drafts
    restored = QueryDict(mutable=True)
    for key, values in fields.items():
        restored.setlist(key, values)
    return restored
