"""Return pages: a school's returns and what is overdue, making a return pupil by pupil, and
for the CME team every school's returns and other authorities' notifications.

A school's attendance staff see only their own school's returns and drafts (the selectors
scope them). Each pupil page saves its answers when posted, so nothing typed is lost; the
"Add another pupil" button works without JavaScript. Sending is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cme.pupils import selectors as pupil_selectors
from cme.web import drafts
from cme.web.dates import date_input
from cme.web.domain_errors import domain_errors_to

from . import components, duties, selectors, services
from .forms import (
    ADD_ANOTHER,
    CONTINUE,
    NIL_RETURN,
    PUPIL_FORMS,
    TOKEN_PATTERN,
    AgreeDeletionForm,
    ChooseKindForm,
    DeletionAgreementRequestForm,
    LaNotificationForm,
    ReturnForm,
    new_form_token,
    nothing_posted,
)
from .kinds import ReturnKind
from .models import ReturnDraft, SchoolReturn
from .presentation import pupil_summaries, return_rows, return_summary_rows, sender

SESSION_SENT = "return_sent"
TOKEN_FIELD = "token"  # noqa: S105 - the name of the form field, not a secret


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_GET
@permission_required("returns.view_returns", raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    """A school's returns and what it has not sent; for the CME team, every school's."""
    user: Any = request.user
    if user.has_perm("returns.make_return") and user.school_id is not None:
        return render(
            request,
            "returns/school_home.html",
            {
                "school": user.school,
                "overdue": selectors.overdue_returns(school=user.school),
                "drafts": selectors.unsent_drafts(user=user),
                "rows": return_rows(selectors.school_returns(user=user)),
                "grace_days": settings.RETURNS_OVERDUE_AFTER_DAYS,
                "early_deletion_count": len(selectors.early_deletions(user.school)),
            },
        )
    schools = list(pupil_selectors.schools_visible_to(user))
    chosen = next((s for s in schools if str(s.pk) == request.GET.get("school", "")), None)
    listed = selectors.returns_for_officers(user=user, school_id=chosen.pk if chosen else None)
    return render(
        request,
        "returns/officer_home.html",
        {
            "school_items": [
                {"value": "", "text": "All schools", "selected": chosen is None},
                *({"value": str(s.pk), "text": s.name, "selected": s == chosen} for s in schools),
            ],
            "chosen": chosen,
            "overdue": selectors.overdue_returns(school=chosen) if chosen else [],
            "attention_rows": return_rows(listed.needing_attention, with_school=True),
            "recent_rows": return_rows(listed.recent, with_school=True),
            "can_record": user.has_perm("returns.record_la_notification"),
            "grace_days": settings.RETURNS_OVERDUE_AFTER_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("returns.make_return", raise_exception=True)
def choose_kind(request: HttpRequest) -> HttpResponse:
    form = ChooseKindForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="kind")
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, services.ReturnError):
            draft = services.start_draft(
                actor=request.user, kind=ReturnKind(form.cleaned_data["kind"])
            )
            return redirect("returns:pupil", draft_id=draft.pk)
    junior_class_exempt = not duties.new_pupil_return_required(
        joins_most_junior_class_on_first_day=True,
        la_asks=settings.RETURNS_NEW_PUPILS_IN_JUNIOR_CLASS,
    )
    return render(
        request,
        "returns/choose_kind.html",
        {
            "form": form,
            "error_summary": components.error_summary(form),
            "junior_class_exempt": junior_class_exempt,
        },
        status=_status(form),
    )


def _open_draft(request: HttpRequest, draft_id: int) -> ReturnDraft:
    return selectors.draft_for(user=request.user, draft_id=draft_id)


def _number(raw: str | None, count: int) -> int | None:
    """The pupil to change (from 1); None to add one; 404 for any other value."""
    if raw is None or raw == "":
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 3 and 1 <= int(raw) <= count:
        return int(raw)
    raise Http404("No such pupil in this return")


def _kind_title(kind: str) -> str:
    return ReturnKind(kind).label


def _nil_return(draft: ReturnDraft) -> HttpResponse:
    try:
        services.make_nil(draft=draft)
    except services.ReturnError:  # sent meanwhile, from another tab
        return redirect("returns:pupil", draft_id=draft.pk)
    return redirect("returns:check_answers", draft_id=draft.pk)


@require_http_methods(["GET", "POST"])
@permission_required("returns.make_return", raise_exception=True)
def pupil(request: HttpRequest, draft_id: int) -> HttpResponse:
    """One pupil's answers: "Add another pupil" saves them and asks for the next,
    "Continue" saves them and goes to check the return."""
    draft = _open_draft(request, draft_id)
    if draft.is_sent:
        return redirect("returns:return_detail", return_id=draft.school_return_id)
    pupils = services.draft_pupils(draft)
    number = _number(request.GET.get("number"), len(pupils))
    form_class: type[ReturnForm] = PUPIL_FORMS[draft.kind]
    action = request.POST.get("action", CONTINUE) if request.method == "POST" else ""
    form: ReturnForm
    can_nil = draft.kind == ReturnKind.ATTENDANCE and not pupils
    if request.method == "POST" and action == NIL_RETURN and can_nil:
        return _nil_return(draft)
    if request.method == "POST":
        blank = nothing_posted(form_class, request.POST)
        if action == CONTINUE and pupils and number is None and blank:
            # "Continue" on the empty page after "Add another pupil": there was no other.
            return redirect("returns:check_answers", draft_id=draft.pk)
        form = form_class(request.POST)
        if form.is_valid():
            with domain_errors_to(form, services.ReturnError):
                services.save_pupil(draft=draft, number=number, answers=form.answers())
                if action == ADD_ANOTHER:
                    messages.success(request, f"Pupil {number or len(pupils) + 1} saved")
                    return redirect("returns:pupil", draft_id=draft.pk)
                return redirect("returns:check_answers", draft_id=draft.pk)
    else:
        restored = drafts.take_draft(request, form="pupil")
        saved = pupils[number - 1] if number else {}
        form = (
            form_class(restored)
            if restored is not None
            else form_class(initial=form_class.initial_from(saved))
        )
    return render(
        request,
        "returns/pupil.html",
        {
            "draft": draft,
            "title": _kind_title(draft.kind),
            "form": form,
            "sections": components.form_sections(form),
            "error_summary": components.error_summary(form),
            "number": number or len(pupils) + 1,
            "changing": number is not None,
            "added": [services.pupil_name(p) for p in pupils],
            "can_nil": can_nil,
            "can_continue_without_saving": bool(pupils) and number is None,
        },
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("returns.make_return", raise_exception=True)
def check_answers(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _open_draft(request, draft_id)
    if draft.is_sent:
        return redirect("returns:return_detail", return_id=draft.school_return_id)
    error = ""
    if request.method == "POST":
        try:
            school_return = services.submit_return(draft=draft, actor=request.user)
        except services.ReturnError as refused:
            error = str(refused)
        else:
            services.process_return(school_return=school_return, actor=request.user)
            request.session[SESSION_SENT] = school_return.pk
            return redirect("returns:return_detail", return_id=school_return.pk)
    pupils = services.draft_pupils(draft)
    form_class = PUPIL_FORMS[draft.kind]
    return render(
        request,
        "returns/check_answers.html",
        {
            "draft": draft,
            "title": _kind_title(draft.kind),
            "is_nil": services.is_nil(draft),
            "pupils": [
                {
                    "name": services.pupil_name(answers),
                    "number": number,
                    "rows": components.answer_rows(form_class, answers),
                    "change_url": f"{reverse('returns:pupil', args=[draft.pk])}?number={number}",
                    "remove_url": reverse("returns:remove_pupil", args=[draft.pk, number]),
                }
                for number, answers in enumerate(pupils, start=1)
            ],
            "add_url": reverse("returns:pupil", args=[draft.pk]),
            "error_summary": [{"text": error, "href": "#pupils"}] if error else [],
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("returns.make_return", raise_exception=True)
def remove_pupil(request: HttpRequest, draft_id: int, number: int) -> HttpResponse:
    draft = _open_draft(request, draft_id)
    if draft.is_sent:
        return redirect("returns:return_detail", return_id=draft.school_return_id)
    pupils = services.draft_pupils(draft)
    if not 1 <= number <= len(pupils):
        raise Http404("No such pupil in this return")
    if request.method == "POST":
        try:
            services.remove_pupil(draft=draft, number=number)
        except services.ReturnError:  # sent meanwhile, from another tab
            return redirect("returns:pupil", draft_id=draft.pk)
        messages.success(request, f"{services.pupil_name(pupils[number - 1])} removed")
        if len(pupils) > 1:
            return redirect("returns:check_answers", draft_id=draft.pk)
        return redirect("returns:pupil", draft_id=draft.pk)
    return render(
        request,
        "returns/remove_pupil.html",
        {"draft": draft, "name": services.pupil_name(pupils[number - 1])},
    )


@require_GET
@permission_required("returns.view_returns", raise_exception=True)
def return_detail(request: HttpRequest, return_id: int) -> HttpResponse:
    """What was sent (the submission as received) and what became of each pupil."""
    school_return = selectors.access_return(user=request.user, return_id=return_id)
    just_sent = request.session.get(SESSION_SENT) == school_return.pk
    if just_sent:
        del request.session[SESSION_SENT]
    user: Any = request.user
    return render(
        request,
        "returns/return_detail.html",
        {
            "school_return": school_return,
            "just_sent": just_sent,
            "sender": sender(school_return),
            "summary_rows": return_summary_rows(school_return),
            "pupils": pupil_summaries(
                school_return,
                selectors.pupils_of(school_return),
                show_referrals=user.has_perm("referrals.triage_referral"),
            ),
            "can_process": user.has_perm("returns.process_return")
            and school_return.status != SchoolReturn.Status.PROCESSED,
        },
    )


@require_POST
@permission_required("returns.process_return", raise_exception=True)
def process_return(request: HttpRequest, return_id: int) -> HttpResponse:
    """Process again a return whose processing failed or never ran."""
    school_return = selectors.access_return(user=request.user, return_id=return_id)
    processed = services.process_return(school_return=school_return, actor=request.user)
    if processed.status == SchoolReturn.Status.PROCESSED:
        messages.success(request, f"Return {processed.reference} processed")
    else:
        messages.error(request, f"Return {processed.reference} could not be processed")
    return redirect("returns:return_detail", return_id=processed.pk)


@require_http_methods(["GET", "POST"])
@permission_required("returns.record_la_notification", raise_exception=True)
def record_la_notification(request: HttpRequest) -> HttpResponse:
    """A notification from another local authority about a child moving in or out, taken
    down by an officer (other authorities have no accounts here)."""
    data = (
        request.POST
        if request.method == "POST"
        else drafts.take_draft(request, form="la_notification")
    )
    form = LaNotificationForm(data)
    if request.method == "POST" and form.is_valid():
        school_return, _ = services.record_la_notification(
            actor=request.user,
            kind=ReturnKind(form.cleaned_data["kind"]),
            other_la_code=form.cleaned_data["other_la_code"],
            notified_on=form.cleaned_data["notified_on"],
            answers=form.answers(),
            token=form.cleaned_data[TOKEN_FIELD],
        )
        request.session[SESSION_SENT] = school_return.pk
        return redirect("returns:return_detail", return_id=school_return.pk)
    # The same token goes back with the page, so correcting an answer and sending still
    # makes one notification; a missing or tampered one is replaced.
    posted = data.get(TOKEN_FIELD, "") if data is not None else ""
    token = posted if isinstance(posted, str) and TOKEN_PATTERN.fullmatch(posted) else ""
    return render(
        request,
        "returns/la_notification.html",
        {
            "form": form,
            "token": token or new_form_token(),
            "sections": components.form_sections(form),
            "error_summary": components.error_summary(form),
        },
        status=_status(form),
    )


@require_GET
@permission_required("returns.view_returns", raise_exception=True)
def deletion_agreements(request: HttpRequest) -> HttpResponse:
    """Requests for the authority's agreement to a deletion under ground (h) or (i): a
    school's own, with its deletions made before agreement; for the CME team, every school's,
    with every deletion made before agreement and the count per school."""
    user: Any = request.user
    is_school = user.school_id is not None and not user.has_perm("returns.agree_deletion")
    early = selectors.early_deletions(user.school if is_school else None)
    counts: dict[str, int] = {}
    for deletion in early:
        counts[deletion.school.name] = counts.get(deletion.school.name, 0) + 1
    return render(
        request,
        "returns/deletion_agreements.html",
        {
            "is_school": is_school,
            "agreements": list(selectors.deletion_agreements(user=user)),
            "early": early,
            "counts": sorted(counts.items()),
            "can_request": user.has_perm("returns.request_deletion_agreement"),
            "can_agree": user.has_perm("returns.agree_deletion"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("returns.request_deletion_agreement", raise_exception=True)
def request_deletion_agreement(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = DeletionAgreementRequestForm(
        request.POST if request.method == "POST" else None,
        pupils=selectors.pupils_on_roll(user=user),
    )
    if request.method == "POST" and form.is_valid():
        child = selectors.pupil_on_roll(user=user, child_id=int(form.cleaned_data["child"]))
        with domain_errors_to(form, services.ReturnError):
            services.request_deletion_agreement(
                actor=user,
                child=child,
                ground=form.cleaned_data["ground"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Your request has been sent to the local authority")
            return redirect("returns:deletion_agreements")
    return render(
        request,
        "returns/request_deletion_agreement.html",
        {"form": form},
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("returns.agree_deletion", raise_exception=True)
def agree_deletion(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.deletion_agreement_for(user=request.user, agreement_id=agreement_id)
    form = AgreeDeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, services.ReturnError):
            services.agree_deletion(
                actor=request.user,
                agreement=agreement,
                agreed_on=form.cleaned_data["agreed_on"],
                joint_enquiries=form.cleaned_data["joint_enquiries"],
            )
            messages.success(request, "Agreement recorded")
            return redirect("returns:deletion_agreements")
    return render(
        request,
        "returns/agree_deletion.html",
        {
            "agreement": agreement,
            "form": form,
            "agreed_on": date_input(form["agreed_on"], legend_classes="govuk-fieldset__legend--s"),
        },
        status=_status(form),
    )
