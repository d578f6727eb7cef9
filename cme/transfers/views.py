"""School-transfer pages: received CTFs and uploading one, the Lost Pupil Database search,
the worklist of lost pupils, forwarding a lost pupil's CTF, and a child's CTF export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from cme.pupils.importers import ImportRefused
from cme.web import drafts
from cme.web.domain_errors import domain_errors_to

from . import importers, monitoring, selectors, services
from .forms import (
    DestinationForm,
    LostPupilSearchForm,
    RecordMatchForm,
    ReimportForm,
    RollItemDoneForm,
    UploadCtfForm,
    WorkItemForm,
)
from .services import ExportedCtf


def _download(exported: ExportedCtf) -> HttpResponse:
    response = HttpResponse(exported.content, content_type="application/xml")
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=True, filename=services.safe_file_name(exported.name)
        )
        or "attachment"
    )
    return response


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_GET
@permission_required("transfers.import_ctf", raise_exception=True)
def file_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transfers/file_list.html",
        {"files": list(selectors.ctf_files()[:200]), "inbox_run": selectors.inbox_last_run()},
    )


@require_http_methods(["GET", "POST"])
@permission_required("transfers.import_ctf", raise_exception=True)
def upload_ctf(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadCtfForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            report = importers.import_ctf_upload(
                upload=form.cleaned_data["file"], actor=request.user
            )
        except ImportRefused as refused:
            form.add_error("file", refused.message)
        else:
            assert report.file is not None  # an imported report names its file
            messages.success(request, f"{report.file.name} imported: {report.counts_line()}")
            return redirect("transfers:file_detail", file_id=report.file.pk)
    return render(request, "transfers/upload_ctf.html", {"form": form}, status=_status(form))


@require_http_methods(["GET", "POST"])
@permission_required("transfers.import_ctf", raise_exception=True)
def file_detail(request: HttpRequest, file_id: int) -> HttpResponse:
    """A received file: what came of it; POST imports it again (after a match decision)."""
    ctf_file = selectors.access_ctf_file(user=request.user, file_id=file_id)
    form = ReimportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report = importers.process_ctf_file(ctf_file=ctf_file, actor=request.user)
        except ImportRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{ctf_file.name} imported again: {report.counts_line()}")
            return redirect("transfers:file_detail", file_id=ctf_file.pk)
    return render(
        request,
        "transfers/file_detail.html",
        {**selectors.ctf_file_page(ctf_file=ctf_file), "form": form},
        status=_status(form),
    )


@require_GET
@permission_required("transfers.import_ctf", raise_exception=True)
def download_file(request: HttpRequest, file_id: int) -> HttpResponse:
    name, content = selectors.download_ctf_file(user=request.user, file_id=file_id)
    return _download(ExportedCtf(name=name, content=content))


@require_GET
@permission_required("transfers.search_lost_pupils", raise_exception=True)
def worklist(request: HttpRequest) -> HttpResponse:
    show_done = request.GET.get("show") == "all"
    return render(
        request,
        "transfers/worklist.html",
        {
            "rows": selectors.worklist(today=timezone.localdate(), show_done=show_done),
            "show_done": show_done,
            "inbox_run": selectors.inbox_last_run(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("transfers.search_lost_pupils", raise_exception=True)
def work_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.access_work_item(user=request.user, item_id=item_id)
    form = WorkItemForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="item")
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, services.TransferError):
            if form.cleaned_data["action"] == WorkItemForm.TAKE:
                services.assign_work_item(actor=request.user, item=item, assignee=request.user)
                messages.success(request, "You are dealing with this lost pupil.")
            else:
                services.close_work_item(
                    actor=request.user, item=item, outcome=form.cleaned_data["outcome"]
                )
                messages.success(request, "Marked done.")
            return redirect("transfers:work_item", item_id=item.pk)
    return render(
        request,
        "transfers/work_item.html",
        {
            "item": item,
            "pupil": item.lost_pupil,
            "from_authority": selectors.authority_name(item.lost_pupil.file.source_lea),
            "form": form,
            "can_forward": request.user.has_perm("transfers.export_ctf"),
            "can_review": request.user.has_perm("matching.review_match"),
        },
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("transfers.export_ctf", raise_exception=True)
def forward_ctf(request: HttpRequest, item_id: int) -> HttpResponse:
    """Forward a lost pupil's CTF to the school that has admitted them (to upload to S2S)."""
    item = selectors.access_work_item(user=request.user, item_id=item_id)
    school = selectors.current_school(child=item.child) if item.child is not None else None
    form = DestinationForm(
        request.POST if request.method == "POST" else None,
        schools_only=True,
        initial={"laestab": school.laestab if school else ""},
    )
    if request.method == "POST" and form.is_valid():
        laestab = form.cleaned_data["laestab"]
        known = selectors.schools_by_laestab([laestab]).get(laestab)
        dest = form.school_ref(name=known.name if known else "", urn=known.urn if known else "")
        return _download(services.forward_lost_pupil_ctf(actor=request.user, item=item, dest=dest))
    return render(
        request,
        "transfers/forward_ctf.html",
        {"item": item, "pupil": item.lost_pupil, "school": school, "form": form},
        status=_status(form),
    )


def _search_data(request: HttpRequest) -> dict[str, str] | None:
    """The search form's data: what was submitted, or a child's details to search for."""
    if set(request.GET) - {"child"}:
        return request.GET.dict()
    if "child" not in request.GET:
        return None
    try:
        child_id = int(request.GET["child"])
    except ValueError as bad:
        raise Http404("No such child") from bad
    child = selectors.access_child(
        user=request.user,
        child_id=child_id,
        purpose="Searched the Lost Pupil Database for the child",
    )
    details = selectors.details_of_child(child)
    dob = details["dob"]
    return {
        "forename": details["forename"],
        "surname": details["surname"],
        "date_of_birth": f"{dob[8:10]}/{dob[5:7]}/{dob[:4]}" if dob else "",
        "postcode": details["postcode"],
        "upn": details["upn"],
        "child": str(child.pk),
    }


@require_GET
@permission_required("transfers.search_lost_pupils", raise_exception=True)
def lost_pupil_search(request: HttpRequest) -> HttpResponse:
    """ "Has anyone lost this child?": the Lost Pupil Database ranked by the matching engine."""
    form = LostPupilSearchForm(_search_data(request))
    results = None
    child = None
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("child"):
            child = selectors.access_child(
                user=request.user,
                child_id=form.cleaned_data["child"],
                purpose="Searched the Lost Pupil Database for the child",
            )
        results = selectors.search_lost_pupils(
            user=request.user, details=form.details(), query=form.query_text()
        )
    return render(
        request,
        "transfers/lost_pupil_search.html",
        {"form": form, "results": results, "child": child},
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("transfers.search_lost_pupils", raise_exception=True)
def lost_pupil_detail(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """A pupil in the Lost Pupil Database; with ?child=, recording that it is that child."""
    pupil = selectors.access_lost_pupil(user=request.user, pupil_id=pupil_id)
    form = RecordMatchForm(
        request.POST if request.method == "POST" else {"child": request.GET.get("child", "")}
    )
    child = None
    if form.is_valid():
        child = selectors.access_child(
            user=request.user,
            child_id=form.cleaned_data["child"],
            purpose="Compared with a pupil in the Lost Pupil Database",
        )
    if request.method == "POST":
        if child is None:
            raise Http404("No child to record")
        item = services.record_lost_pupil_match(actor=request.user, lost_pupil=pupil, child=child)
        messages.success(request, f"Recorded: this lost pupil is {child.full_name}.")
        return redirect("transfers:work_item", item_id=item.pk)
    on_worklist = getattr(pupil, "work_item", None)
    return render(
        request,
        "transfers/lost_pupil_detail.html",
        {
            "pupil": pupil,
            "ctf_file": pupil.file,
            "from_authority": selectors.authority_name(pupil.file.source_lea),
            "item": on_worklist,
            "child": child,
            "form": form,
            "can_review": request.user.has_perm("matching.review_match"),
            "can_download": request.user.has_perm("transfers.import_ctf"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("transfers.export_ctf", raise_exception=True)
def child_ctf(request: HttpRequest, child_id: int) -> HttpResponse:
    """A child's transfer data, and a CTF about them to download: for a school that has
    admitted them, or for the Lost Pupil Database."""
    child = selectors.access_child(
        user=request.user, child_id=child_id, purpose="Viewed the child's transfers (CTF)"
    )
    if child.pk != child_id:
        return redirect("transfers:child_ctf", child_id=child.pk)
    school = selectors.current_school(child=child)
    form = DestinationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        laestab = form.cleaned_data["laestab"]
        known = selectors.schools_by_laestab([laestab]).get(laestab) if laestab else None
        dest = form.school_ref(name=known.name if known else "", urn=known.urn if known else "")
        return _download(services.export_child_ctf(actor=request.user, child=child, dest=dest))
    return render(
        request,
        "transfers/child_ctf.html",
        {
            "child": child,
            "school": school,
            "form": form,
            "can_search": request.user.has_perm("transfers.search_lost_pupils"),
            **selectors.child_transfers(child=child),
        },
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("transfers.search_lost_pupils", raise_exception=True)
def roll_worklist(request: HttpRequest) -> HttpResponse:
    """Roll removals and missed transitions to look at; POST marks one item done."""
    show_done = request.GET.get("show") == "all"
    form = RollItemDoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        item = selectors.access_roll_item(item_id=form.cleaned_data["item"])
        with domain_errors_to(form, monitoring.RollItemError):
            monitoring.mark_roll_item_done(actor=request.user, item=item)
            messages.success(request, "Item marked done.")
            return redirect("transfers:roll_worklist")
    return render(
        request,
        "transfers/roll_worklist.html",
        {
            "form": form,
            "items": selectors.roll_items(show_done=show_done),
            "show_done": show_done,
            "schools": selectors.joint_enquiry_deletions_by_school(),
        },
        status=_status(form),
    )
