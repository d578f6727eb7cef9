"""Identity-matching pages: the review queue and the decision on one match."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cme.web import drafts
from cme.web.domain_errors import domain_errors_to

from . import search, selectors, services
from .forms import NONE_OF_THESE, ChildSearchForm, MatchDecisionForm
from .models import IdentityMatch


@require_GET
@permission_required("pupils.view_child", raise_exception=True)
def find_child(request: HttpRequest) -> HttpResponse:
    """Find a child: a submitted search, or (with JavaScript) the results part as they type."""
    form = ChildSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = search.find_children(user=request.user, query=form.cleaned_data["q"])
    context = {"form": form, "results": results, "limit": search.RESULT_LIMIT}
    if request.GET.get("fragment") == "results":
        return render(request, "matching/_search_results.html", context)
    return render(request, "matching/find_child.html", context)


@require_GET
@permission_required("matching.review_match", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "matching/review_queue.html", {"matches": list(selectors.review_queue()[:200])}
    )


@require_http_methods(["GET", "POST"])
@permission_required("matching.review_match", raise_exception=True)
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.access_match(user=request.user, match_id=match_id)
    candidates = selectors.candidates_shown(user=request.user, match=match)
    form = MatchDecisionForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="match"),
        candidates=[(str(c.child.pk), c.child.full_name) for c in candidates],
    )
    undecided = match.status not in {
        IdentityMatch.Status.CONFIRMED,
        IdentityMatch.Status.REJECTED,
    }
    if request.method == "POST" and undecided and form.is_valid():
        choice = form.cleaned_data["child"]
        with domain_errors_to(form, services.MatchError):
            if choice == NONE_OF_THESE:
                services.reject_match(
                    actor=request.user, match=match, note=form.cleaned_data["note"]
                )
            else:
                services.confirm_match(
                    actor=request.user,
                    match=match,
                    child_id=int(choice),
                    note=form.cleaned_data["note"],
                )
            messages.success(request, f"{match}: {match.get_status_display().lower()}")
            return redirect("matching:review_queue")
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "candidates": candidates,
            "form": form,
            "undecided": undecided,
            "details": selectors.details_rows(match),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
