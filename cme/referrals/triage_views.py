"""The CME team's triage inbox: referrals waiting for a decision, and the decision page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cme.attendance import selectors as attendance_selectors
from cme.web import drafts
from cme.web.domain_errors import domain_errors_to

from . import journey, selectors, staff_referrals, tasks, triage, triage_services
from .models import Referral
from .staff_forms import StaffReferralForm
from .triage_forms import NO_MATCH, TriageForm


@require_http_methods(["GET"])
@permission_required("referrals.triage_referral", raise_exception=True)
def inbox(request: HttpRequest) -> HttpResponse:
    items = selectors.triage_inbox(user=request.user)
    return render(
        request,
        "referrals/inbox.html",
        {"items": items, "overdue": sum(item.is_overdue for item in items)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("referrals.triage_referral", raise_exception=True)
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = selectors.access_referral(user=request.user, referral_id=referral_id)
    match = triage_services.match_referral(referral=referral)
    candidates = selectors.register_candidates(user=request.user, match=match)
    by_id = {str(c.child.pk): c for c in candidates}
    choices = [
        (
            key,
            f"{c.child.full_name}, born {c.child.date_of_birth:%d/%m/%Y}"
            if c.child.date_of_birth
            else c.child.full_name,
        )
        for key, c in by_id.items()
    ]
    # Only an automatic link is chosen in advance: a doubtful match is the officer's call.
    best = candidates[0] if candidates and candidates[0].view.decision == "link" else None
    attending = (
        attendance_selectors.attended_recently(child_id=best.child.pk, today=timezone.localdate())
        if best is not None
        else None
    )
    suggestion = triage.suggested_outcome(
        matched=best is not None,
        has_open_case=bool(best and best.has_open_case),
        on_roll=bool(best and best.on_roll),
        attending=attending,
    )
    form = TriageForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="triage"),
        candidates=choices,
        offer_attending=bool(attending),
        initial={
            "outcome": suggestion.value,
            "child": str(best.child.pk) if best else (None if candidates else NO_MATCH),
        },
    )
    if request.method == "POST" and form.is_valid():
        chosen = by_id.get(form.cleaned_data["child"])
        with domain_errors_to(form, triage_services.TriageError):
            triage_services.triage_referral(
                actor=request.user,
                referral=referral,
                outcome=Referral.Outcome(form.cleaned_data["outcome"]),
                child=chosen.child if chosen else None,
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"Referral {referral.reference} triaged")
            return redirect("referrals:inbox")
    due = triage.triage_due(referral.received_at)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "sections": journey.answer_sections(
                referral.submission.get("answers", {}), with_changes=False
            ),
            "candidates": candidates,
            "match": match,
            "originals": list(referral.originals.all()),
            "suggestion": suggestion,
            "form": form,
            "due": due,
            "is_overdue": referral.status == Referral.Status.RECEIVED and timezone.now() > due,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("referrals.record_referral", raise_exception=True)
def record_referral(request: HttpRequest) -> HttpResponse:
    """A referral taken by telephone, email or post."""
    form = StaffReferralForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="staff"),
        request.FILES or None,
    )
    if request.method == "POST" and form.is_valid():
        received = form.cleaned_data["received_on"]
        now = timezone.localtime()
        received_at = (
            now
            if received == now.date()
            else timezone.make_aware(datetime.datetime.combine(received, datetime.time(9)))
        )
        referral = staff_referrals.record_staff_referral(
            actor=request.user,
            channel=Referral.Channel(form.cleaned_data["channel"]),
            received_at=received_at,
            answers=form.answers(),
            original=form.cleaned_data["original"],
        )
        tasks.match_referral.enqueue(referral.pk)
        messages.success(request, f"Referral {referral.reference} recorded")
        return redirect("referrals:referral_detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/record_referral.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET"])
@permission_required("referrals.triage_referral", raise_exception=True)
def download_original(request: HttpRequest, referral_id: int, original_id: int) -> FileResponse:
    """The original as an attachment: never rendered by the browser, and the download logged."""
    original = selectors.access_original(
        user=request.user, referral_id=referral_id, original_id=original_id
    )
    response = FileResponse(
        original.file.open("rb"),
        as_attachment=True,
        filename=f"{original.referral.reference}-original.{original.extension}",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
