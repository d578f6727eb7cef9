"""Pupil-register pages: a child's record and history, merging duplicates, schools."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cme.audit import selectors as audit_selectors
from cme.web import drafts
from cme.web.domain_errors import domain_errors_to

from . import merging, safeguarding, selectors
from .forms import (
    ChooseDuplicateForm,
    ConfirmMergeForm,
    SafeguardingReferralForm,
    UndoMergeForm,
    WelfareConcernForm,
)


@require_GET
@permission_required("pupils.view_child", raise_exception=True)
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.access_child(user=request.user, child_id=child_id)
    if child.pk != child_id:
        messages.info(
            request,
            f"This record (child ID {child_id}) was merged into {child.full_name}'s record "
            f"(child ID {child.pk}), shown here.",
        )
        return redirect("pupils:child_detail", child_id=child.pk)
    record = selectors.child_record(user=request.user, child=child)
    return render(
        request,
        "pupils/child_detail.html",
        {
            **record,
            "can_see_history": request.user.has_perm("pupils.view_child_history"),
            "can_open_case": request.user.has_perm("cases.open_case"),
            "can_merge": request.user.has_perm("pupils.merge_children"),
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


@require_http_methods(["GET", "POST"])
@permission_required("pupils.merge_children", raise_exception=True)
def merge_child(request: HttpRequest, child_id: int) -> HttpResponse:
    """Merge a duplicate into this record, step 1: which record is the duplicate."""
    child = selectors.access_child(
        user=request.user,
        child_id=child_id,
        purpose="Finding a duplicate record to merge into this one",
        follow_merges=False,
    )
    form = ChooseDuplicateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            duplicate = selectors.access_child(
                user=request.user,
                child_id=form.cleaned_data["duplicate_id"],
                purpose="Checking a possible duplicate record",
                follow_merges=False,
            )
        except Http404:
            form.add_error("duplicate_id", "There is no child record with that ID")
        else:
            with domain_errors_to(form, merging.MergeError):
                merging.check_merge(survivor=child, duplicate=duplicate)
                return redirect(
                    "pupils:confirm_merge", child_id=child.pk, duplicate_id=duplicate.pk
                )
    return render(
        request,
        "pupils/merge_child.html",
        {
            "child": child,
            "form": form,
            "candidates": selectors.likely_duplicates(user=request.user, child=child),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("pupils.merge_children", raise_exception=True)
def confirm_merge(request: HttpRequest, child_id: int, duplicate_id: int) -> HttpResponse:
    """Merge a duplicate into this record, step 2: the two side by side, which details to take,
    and why."""
    child = selectors.access_child(
        user=request.user,
        child_id=child_id,
        purpose="Merging a duplicate record into this one",
        follow_merges=False,
    )
    duplicate = selectors.access_child(
        user=request.user,
        child_id=duplicate_id,
        purpose="Merging this record into another",
        follow_merges=False,
    )
    comparison = selectors.merge_comparison(survivor=child, duplicate=duplicate)
    form = ConfirmMergeForm(
        request.POST if request.method == "POST" else None,
        choices=[
            (row.name, f"{row.label}: {row.duplicate_value}")
            for row in comparison
            if row.differs and row.duplicate_value
        ],
    )
    with domain_errors_to(form, merging.MergeError):
        merging.check_merge(survivor=child, duplicate=duplicate)
        if request.method == "POST" and form.is_valid():
            merge = merging.merge_children(
                actor=request.user,
                survivor=child,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
                take_from_duplicate=frozenset(form.cleaned_data["take"]),
            )
            messages.success(
                request,
                f"Record {duplicate.pk} merged into this record: "
                f"{len(merge.moved)} linked records moved here.",
            )
            return redirect("pupils:child_detail", child_id=child.pk)
    return render(
        request,
        "pupils/confirm_merge.html",
        {
            "child": child,
            "duplicate": duplicate,
            "comparison": comparison,
            "child_rows": selectors.related_row_counts(child=child),
            "duplicate_rows": selectors.related_row_counts(child=duplicate),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("pupils.merge_children", raise_exception=True)
def undo_merge(request: HttpRequest, child_id: int, merge_id: int) -> HttpResponse:
    child = selectors.access_child(
        user=request.user,
        child_id=child_id,
        purpose="Undoing a merge of duplicate records",
        follow_merges=False,
    )
    merge = selectors.access_merge(child=child, merge_id=merge_id)
    form = UndoMergeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, merging.MergeError):
            merging.unmerge_children(actor=request.user, merge=merge)
            messages.success(
                request, f"Merge undone: record {merge.duplicate_id} is a separate record again."
            )
            return redirect("pupils:child_detail", child_id=child.pk)
    return render(request, "pupils/undo_merge.html", {"child": child, "merge": merge, "form": form})
