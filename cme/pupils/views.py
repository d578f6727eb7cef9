"""Pupil-register pages: find a child, a child's record and history, schools."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cme.audit import selectors as audit_selectors

from . import selectors
from .forms import ChildSearchForm


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
