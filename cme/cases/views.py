"""CME register pages: the case list, a case with its timeline, and the forms that move it;
letters to the family, notes, the termly re-check and the managers' workload page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cme.pupils import selectors as pupil_selectors
from cme.web import drafts
from cme.web.domain_errors import domain_errors_to

from . import letters, notes, selectors, services
from .categories import CaseCategory
from .enquiries import EnquiryStatus
from .forms import (
    AllocateCaseForm,
    CaseFilterForm,
    CloseCaseForm,
    ContactAttemptForm,
    EnquiryForm,
    LetterForm,
    MoveCaseForm,
    NoteForm,
    OpenCaseForm,
    RecheckForm,
    ReopenCaseForm,
)
from .models import Case, ContactAttempt, Letter
from .workflow import CaseStatus, CaseTransitionError, ClosureReason

REFUSALS = (CaseTransitionError, services.StaleCaseError)


@require_http_methods(["GET"])
@permission_required("cases.view_case", raise_exception=True)
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    cases = selectors.case_list(
        user=request.user,
        status=filters.get("status", ""),
        allocation=filters.get("allocation", ""),
        overdue=filters.get("due") == "overdue",
        today=today,
    )[:500]
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "rows": selectors.case_rows(cases, today=today),
            "can_view_workload": request.user.has_perm("cases.view_workload"),
        },
    )


DRAFT_FORMS = {
    "contact": "contact_form",
    "move": "move_form",
    "allocate": "allocate_form",
    "close": "close_form",
    "reopen": "reopen_form",
    "note": "note_form",
    "recheck": "recheck_form",
}


def _case_page(
    request: HttpRequest, case: Case, *, restored: bool = False, **bound: object
) -> HttpResponse:
    """The case page, with any refused (or restored) form shown bound, its errors summarised."""
    officers = [(str(u.pk), str(u)) for u in selectors.officers_for_allocation()]
    initial = {"version": case.version}
    today = timezone.localdate()
    context = {
        "case": case,
        "row": selectors.case_row(case, today=today),
        "timeline": selectors.case_timeline_entries(case=case),
        "can_read_sensitive_notes": request.user.has_perm("cases.read_sensitive_notes"),
        "note_form": bound.get("note_form") or NoteForm(),
        "recheck_form": bound.get("recheck_form") or RecheckForm(initial=initial),
        "is_whereabouts_unknown": case.status == CaseStatus.WHEREABOUTS_UNKNOWN,
        "letters": selectors.case_letters(case=case),
        "service_notifications": selectors.case_service_notifications(case=case),
        "move_form": bound.get("move_form")
        or MoveCaseForm(current=CaseStatus(case.status), initial=initial),
        "allocate_form": bound.get("allocate_form")
        or AllocateCaseForm(
            officers=officers, initial={**initial, "officer": case.allocated_to_id or ""}
        ),
        "close_form": bound.get("close_form") or CloseCaseForm(initial=initial),
        "reopen_form": bound.get("reopen_form") or ReopenCaseForm(initial=initial),
        "can_change": request.user.has_perm("cases.change_case"),
        "can_approve_closure": request.user.has_perm("cases.approve_closure"),
        "restored": restored,
        "enquiries": services.case_enquiries(case=case),
        "welfare": pupil_selectors.welfare_flag(user=request.user, child_id=case.child_id),
        "contact_attempts": list(case.contact_attempts.all()),
        "contact_form": bound.get("contact_form") or ContactAttemptForm(),
    }
    refused = bool(bound) and not restored
    return render(request, "cases/case_detail.html", context, status=400 if refused else 200)


@require_http_methods(["GET"])
@permission_required("cases.view_case", raise_exception=True)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id)
    draft = drafts.take_draft(request)
    form_key = DRAFT_FORMS.get(draft.get(drafts.FORM_FIELD, "")) if draft else None
    if draft is None or form_key is None:
        return _case_page(request, case)
    restored_form: forms.Form
    if form_key == "move_form":
        restored_form = MoveCaseForm(draft, current=CaseStatus(case.status))
    elif form_key == "allocate_form":
        officers = [(str(u.pk), str(u)) for u in selectors.officers_for_allocation()]
        restored_form = AllocateCaseForm(draft, officers=officers)
    elif form_key == "close_form":
        restored_form = CloseCaseForm(draft)
    elif form_key == "contact_form":
        restored_form = ContactAttemptForm(draft)
    elif form_key == "note_form":
        restored_form = NoteForm(draft)
    elif form_key == "recheck_form":
        restored_form = RecheckForm(draft)
    else:
        restored_form = ReopenCaseForm(draft)
    return _case_page(request, case, restored=True, **{form_key: restored_form})


@require_http_methods(["GET", "POST"])
@permission_required("cases.open_case", raise_exception=True)
def open_case(request: HttpRequest, child_id: int) -> HttpResponse:
    child = pupil_selectors.access_child(
        user=request.user, child_id=child_id, purpose="Opening a CME case"
    )
    existing = selectors.open_case_for_child(child_id=child.pk)
    if existing is not None:
        messages.info(request, f"{child.full_name} already has an open case.")
        return redirect("cases:case_detail", case_id=existing.pk)
    form = OpenCaseForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="open_case")
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            case = services.open_case(
                actor=request.user,
                child=child,
                category=CaseCategory(form.cleaned_data["category"]),
                summary=form.cleaned_data["summary"],
            )
            messages.success(request, f"Case {case.reference} opened")
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/open_case.html", {"child": child, "form": form})


@require_http_methods(["POST"])
@permission_required("cases.change_case", raise_exception=True)
def move_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Changing the case")
    form = MoveCaseForm(request.POST, current=CaseStatus(case.status))
    if form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.move_case(
                actor=request.user,
                case=case,
                to=CaseStatus(form.cleaned_data["to"]),
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, "Case status changed")
            return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, move_form=form)


@require_http_methods(["POST"])
@permission_required("cases.change_case", raise_exception=True)
def allocate_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Changing the case")
    officers = {str(u.pk): u for u in selectors.officers_for_allocation()}
    form = AllocateCaseForm(request.POST, officers=[(pk, str(u)) for pk, u in officers.items()])
    if form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.allocate_case(
                actor=request.user,
                case=case,
                officer=officers.get(form.cleaned_data["officer"]),
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, "Case allocation changed")
            return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, allocate_form=form)


@require_http_methods(["POST"])
@permission_required("cases.change_case", raise_exception=True)
def close_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Changing the case")
    form = CloseCaseForm(request.POST)
    if form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.close_case(
                actor=request.user,
                case=case,
                reason=ClosureReason(form.cleaned_data["reason"]),
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                manager_approved=form.cleaned_data["manager_approved"],
            )
            messages.success(request, "Case closed")
            return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, close_form=form)


@require_http_methods(["POST"])
@permission_required("cases.change_case", raise_exception=True)
def reopen_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Changing the case")
    form = ReopenCaseForm(request.POST)
    if form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.reopen_case(
                actor=request.user,
                case=case,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, "Case re-opened")
            return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, reopen_form=form)


@require_http_methods(["GET", "POST"])
@permission_required("cases.change_case", raise_exception=True)
def update_enquiry(request: HttpRequest, case_id: int, enquiry_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Recording an enquiry")
    enquiry = selectors.enquiry_on_case(case=case, enquiry_id=enquiry_id)
    initial = {
        "status": enquiry.status,
        "requested_on": enquiry.requested_on,
        "response": enquiry.response,
        "responded_on": enquiry.responded_on,
    }
    form = EnquiryForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="enquiry"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.update_enquiry(
                actor=request.user,
                enquiry=enquiry,
                status=EnquiryStatus(form.cleaned_data["status"]),
                requested_on=form.cleaned_data["requested_on"],
                response=form.cleaned_data["response"],
                responded_on=form.cleaned_data["responded_on"],
            )
            messages.success(request, f"Enquiry to {enquiry.source.name} updated")
            return redirect("cases:case_detail", case_id=case.pk)
    return render(
        request,
        "cases/update_enquiry.html",
        {"case": case, "enquiry": enquiry, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["POST"])
@permission_required("cases.change_case", raise_exception=True)
def record_contact_attempt(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Changing the case")
    form = ContactAttemptForm(request.POST)
    if form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.record_contact_attempt(
                actor=request.user,
                case=case,
                method=ContactAttempt.Method(form.cleaned_data["method"]),
                made_on=form.cleaned_data["made_on"],
                outcome=form.cleaned_data["outcome"],
                reached_family=form.cleaned_data["reached_family"] == "yes",
            )
            messages.success(request, "Contact attempt recorded")
            return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, contact_form=form)


@require_http_methods(["POST"])
@permission_required("cases.change_case", raise_exception=True)
def record_recheck(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Changing the case")
    form = RecheckForm(request.POST)
    if form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.record_recheck(
                actor=request.user,
                case=case,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, "Termly re-check recorded")
            return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, recheck_form=form)


@require_http_methods(["POST"])
@permission_required("cases.change_case", raise_exception=True)
def add_note(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Adding a note")
    form = NoteForm(request.POST)
    if form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            notes.add_note(
                actor=request.user,
                case=case,
                text=form.cleaned_data["text"],
                sensitive=form.cleaned_data["sensitive"],
            )
            messages.success(request, "Note added")
            return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, note_form=form)


@require_http_methods(["GET"])
@permission_required("cases.read_sensitive_notes", raise_exception=True)
def read_note(request: HttpRequest, case_id: int, note_id: int) -> HttpResponse:
    """A note on its own page: where a sensitive note is read, and the read logged."""
    case = selectors.access_case(user=request.user, case_id=case_id, purpose="Reading a note")
    note = selectors.note_on_case(user=request.user, case=case, note_id=note_id)
    return render(request, "cases/read_note.html", {"case": case, "note": note})


@require_http_methods(["GET", "POST"])
@permission_required("cases.change_case", raise_exception=True)
def write_letter(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(
        user=request.user, case_id=case_id, purpose="Writing a letter to the family"
    )
    recipients = letters.recipients_for(case.child)
    form = LetterForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="letter"),
        recipients=[(recipient.key, recipient.label) for recipient in recipients],
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            letters.send_letter(
                actor=request.user,
                case=case,
                kind=Letter.Kind(form.cleaned_data["kind"]),
                recipient_key=form.cleaned_data["recipient"],
                school_name=form.cleaned_data["school_name"],
                start_date=form.cleaned_data["start_date"],
                extra=form.cleaned_data["extra"],
            )
            messages.success(
                request, "Letter generated. Download it below, then print it and post it."
            )
            return redirect(reverse("cases:case_detail", args=[case.pk]) + "#letters")
    return render(
        request,
        "cases/write_letter.html",
        {"case": case, "form": form, "has_recipients": bool(recipients)},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET"])
@permission_required("cases.view_case", raise_exception=True)
def download_letter(request: HttpRequest, case_id: int, letter_id: int) -> FileResponse:
    """The letter as an attachment: never rendered by the browser, and the download logged."""
    letter = selectors.access_letter(user=request.user, case_id=case_id, letter_id=letter_id)
    response = FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=f"{letter.case.reference}-letter-{letter.pk}.pdf",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET"])
@permission_required("cases.view_workload", raise_exception=True)
def workload(request: HttpRequest) -> HttpResponse:
    """Each officer's open cases by state and overdue work; the unallocated cases first."""
    load = selectors.workload(user=request.user, today=timezone.localdate())
    return render(request, "cases/workload.html", {"workload": load})
