"""Pupil-register pages: find a child, a child's record and history, schools."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cme.audit import selectors as audit_selectors
from cme.web import drafts
from cme.web.domain_errors import domain_errors_to

from . import safeguarding, selectors
from .forms import ChildSearchForm, SafeguardingReferralForm, WelfareConcernForm


@require_GET
@permission_required("pupils.view_child", raise_exception=True)
def child_list(request: HttpRequest) -> HttpResponse:
    form = ChildSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = selectors.search_children(user=request.user, query=form.cleaned_data["q"])
    return render(request, "pupils/child_list.html", {"form": form, "results": results})


@require_GET
@permission_required("pupils.view_child", raise_exception=True)
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.access_child(user=request.user, child_id=child_id)
    record = selectors.child_record(user=request.user, child=child)
    return render(
        request,
        "pupils/child_detail.html",
        {
            **record,
            "can_see_history": request.user.has_perm("pupils.view_child_history"),
            "can_open_case": request.user.has_perm("cases.open_case"),
            "welfare": selectors.welfare_flag(user=request.user, child_id=child.pk),
        },
    )


@require_GET
@permission_required("pupils.view_child_history", raise_exception=True)
def child_history(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.access_child(
        user=request.user, child_id=child_id, purpose="Viewed the child's change and access history"
    )
    return render(
        request,
        "pupils/child_history.html",
        {
            "child": child,
            "changes": audit_selectors.change_history_for_child(child_id=child.pk)[:200],
            "accesses": audit_selectors.access_log_for_child(child_id=child.pk)[:200],
        },
    )


@require_GET
@permission_required("pupils.view_school", raise_exception=True)
def school_list(request: HttpRequest) -> HttpResponse:
    schools = selectors.schools_visible_to(request.user).order_by("name")
    return render(request, "pupils/school_list.html", {"schools": schools})


@require_GET
@permission_required("pupils.view_school", raise_exception=True)
def school_detail(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.access_school(user=request.user, school_id=school_id)
    return render(request, "pupils/school_detail.html", {"school": school})


@require_http_methods(["GET", "POST"])
@permission_required("pupils.view_child", raise_exception=True)
def raise_concern(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.access_child(
        user=request.user, child_id=child_id, purpose="Raising a welfare concern"
    )
    form = WelfareConcernForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="concern")
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, safeguarding.SafeguardingError):
            safeguarding.raise_welfare_concern(
                actor=request.user, child=child, concern=form.cleaned_data["concern"]
            )
            messages.success(
                request,
                "Concern recorded. The duty manager has been told; the child must now be "
                "referred to children's social care.",
            )
            return redirect("pupils:child_detail", child_id=child.pk)
    return render(request, "pupils/raise_concern.html", {"child": child, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("pupils.record_safeguarding_referral", raise_exception=True)
def record_referral(request: HttpRequest, child_id: int, concern_id: int) -> HttpResponse:
    child = selectors.access_child(
        user=request.user, child_id=child_id, purpose="Recording a safeguarding referral"
    )
    concern = selectors.concern_for_child(child=child, concern_id=concern_id)
    form = SafeguardingReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        referred_on = form.cleaned_data["referred_on"]
        referred_at = timezone.make_aware(datetime.datetime.combine(referred_on, datetime.time(12)))
        with domain_errors_to(form, safeguarding.SafeguardingError):
            safeguarding.record_safeguarding_referral(
                actor=request.user,
                concern=concern,
                referred_at=min(referred_at, timezone.now())
                if referred_on == timezone.localdate()
                else referred_at,
                referred_to=form.cleaned_data["referred_to"],
                reference=form.cleaned_data["reference"],
                outcome=form.cleaned_data["outcome"],
            )
            messages.success(request, "Safeguarding referral recorded")
            return redirect("pupils:child_detail", child_id=child.pk)
    return render(
        request, "pupils/record_referral.html", {"child": child, "concern": concern, "form": form}
    )
