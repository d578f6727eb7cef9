"""The public referral journey under /refer/ (docs/interfaces.md "Public pages").

Anyone may use it without signing in. Each page saves its answers when posted, so nothing is
lost between pages; the browser's session holds only the draft's random token. After the
referral is sent, public pages show nothing of the child except the referrer's own copy, and
only in the browser session that sent it.

Abuse protection that never stands in a genuine user's way: page and send limits per client
(a GOV.UK page with status 429 and the team's phone number, never an error), a hidden box
only robots fill in (they are shown a confirmation, and nothing is stored), and length limits
on every answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from cme.web.govuk_forms import error_list

from . import components, journey, selectors, services, tasks
from .forms import HONEYPOT_FIELD, AddAnotherParentForm, ParentForm
from .models import Referral, ReferralDraft

SESSION_DRAFT = "referral_draft"
SESSION_SENT = "referral_sent"
SESSION_ROBOT = "referral_robot"


def _team() -> dict[str, str]:
    return {"team_phone": settings.CME_TEAM_PHONE, "team_email": settings.CME_TEAM_EMAIL}


def _render(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    return render(request, f"referrals/{template}", {**_team(), **(context or {})}, status=status)


def _limited(request: HttpRequest, *, sending: bool) -> bool:
    """Count this POST against the client's limit; True once the limit is passed."""
    # Per client: a page limit a family filling the form in twice over cannot reach, and a
    # send limit that still lets a school office send several referrals in an hour.
    if sending:
        group, rate = "referrals:send", settings.REFERRAL_SEND_RATE
    else:
        group, rate = "referrals:page", settings.REFERRAL_PAGE_RATE
    return bool(
        is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)
    )


def _too_many_requests(request: HttpRequest) -> HttpResponse:
    return _render(request, "too_many_requests.html", status=429)


def _robot(request: HttpRequest) -> bool:
    """True if the hidden box was filled in, now or earlier in this session."""
    if request.POST.get(HONEYPOT_FIELD, ""):
        request.session[SESSION_ROBOT] = True
    return bool(request.session.get(SESSION_ROBOT))


def _returning(request: HttpRequest) -> bool:
    return request.GET.get("return") == journey.RETURN_TO_CHECK


def _draft(request: HttpRequest) -> ReferralDraft | None:
    return selectors.draft_by_token(request.session.get(SESSION_DRAFT))


def _open_draft(request: HttpRequest) -> ReferralDraft | None:
    """The draft still being filled in; None before the first answer or once it was sent."""
    draft = _draft(request)
    return draft if draft is not None and not draft.is_submitted else None


def _keep(request: HttpRequest, draft: ReferralDraft) -> None:
    request.session[SESSION_DRAFT] = draft.token


def _remember_sent(request: HttpRequest, referral: Referral | None) -> None:
    """What the confirmation and the printable copy need; a robot gets a reference only."""
    sent = request.session.get(SESSION_SENT)
    referral_id = referral.pk if referral is not None else None
    if (
        isinstance(sent, dict)
        and referral_id is not None
        and sent.get("referral_id") == referral_id
    ):
        return
    request.session[SESSION_SENT] = {
        "referral_id": referral_id,
        "reference": referral.reference if referral is not None else services.new_reference(),
        "copy_token": get_random_string(43),
    }


def _client_hash(request: HttpRequest) -> str:
    return services.fingerprint_client(
        address=str(request.META.get("REMOTE_ADDR", "")),
        user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:500],
    )


@login_not_required
@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return _render(request, "start.html", {"first_url": journey.step_url(journey.STEPS[0])})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, step_name: str) -> HttpResponse:
    step = journey.step_named(step_name)
    form_class = step.form_class
    assert form_class is not None
    returning = _returning(request)
    draft = _open_draft(request)
    if request.method == "POST":
        if _limited(request, sending=False):
            return _too_many_requests(request)
        if _robot(request):
            return redirect(journey.next_url(step, returning=returning))
        form = form_class(request.POST)
        if form.is_valid():
            draft = services.save_answers(draft=draft, step=step.name, answers=form.answers())
            _keep(request, draft)
            return redirect(journey.next_url(step, returning=returning))
    else:
        saved = draft.answers.get(step.name) if draft is not None else None
        form = form_class(initial=form_class.initial_from(saved if isinstance(saved, dict) else {}))
    heading = components.heading_field(form)
    return _render(
        request,
        "question.html",
        {
            "form": form,
            "title": str(form.fields[heading].label) if heading else step.title,
            "heading": None if heading else step.title,
            "caption": step.section,
            "components": components.question_components(form, heading=heading),
            "error_summary": error_list(form),
            "honeypot": components.honeypot(),
            "back_url": journey.back_url(step, returning=returning),
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def parents(request: HttpRequest) -> HttpResponse:
    """The parents-and-carers loop: the list so far, and "add another?"."""
    step = journey.step_named(services.PARENTS_KEY)
    returning = _returning(request)
    draft = _open_draft(request)
    answers = draft.answers if draft is not None else {}
    count = len(services.parents_in(answers))
    full = count >= services.MAX_PARENTS
    if request.method == "POST":
        if _limited(request, sending=False):
            return _too_many_requests(request)
        if _robot(request) or full:
            return redirect(journey.next_url(step, returning=returning))
        form = AddAnotherParentForm(request.POST, first=count == 0)
        if form.is_valid():
            if form.cleaned_data["add_another"] == "yes":
                return redirect(journey.parent_url(returning=returning))
            return redirect(journey.next_url(step, returning=returning))
    else:
        form = AddAnotherParentForm(first=count == 0)
    return _render(
        request,
        "parents.html",
        {
            "form": form,
            "title": step.title,
            "caption": step.section,
            "added_text": (
                "You have added 1 parent or carer"
                if count == 1
                else f"You have added {count} parents or carers"
            ),
            "full": full,
            "max_parents": services.MAX_PARENTS,
            "rows": journey.parent_rows(answers, returning=returning),
            "components": []
            if full
            else components.question_components(
                form, heading="add_another" if count == 0 else None
            ),
            "error_summary": error_list(form),
            "honeypot": components.honeypot(),
            "back_url": journey.back_url(step, returning=returning),
        },
    )


def _parent_number(raw: str | None, count: int) -> int | None:
    """The parent or carer to change (from 1); None to add one; 404 for any other value."""
    if raw is None:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 3 and 1 <= int(raw) <= count:
        return int(raw)
    raise Http404


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def parent(request: HttpRequest) -> HttpResponse:
    """Add, change or remove one parent or carer."""
    returning = _returning(request)
    draft = _open_draft(request)
    known = services.parents_in(draft.answers) if draft is not None else []
    number = _parent_number(request.GET.get("number"), len(known))
    removing = number is not None and request.GET.get("remove") == "yes"
    back = journey.step_url(journey.step_named(services.PARENTS_KEY), returning=returning)
    if request.method == "POST":
        if _limited(request, sending=False):
            return _too_many_requests(request)
        if _robot(request):
            return redirect(back)
        if removing and draft is not None and number is not None:
            services.remove_parent(draft=draft, number=number)
            return redirect(back)
        form = ParentForm(request.POST)
        if form.is_valid():
            if not form.is_blank:
                draft = services.save_parent(draft=draft, number=number, answers=form.answers())
                _keep(request, draft)
            return redirect(back)
    else:
        form = ParentForm(initial=known[number - 1] if number is not None else None)
    if removing and number is not None:
        return _render(
            request,
            "parent_remove.html",
            {
                "title": f"Remove parent or carer {number}",
                "lines": journey.parent_lines(known[number - 1]),
                "honeypot": components.honeypot(),
                "back_url": back,
            },
        )
    title = f"Parent or carer {number or len(known) + 1}"
    return _render(
        request,
        "question.html",
        {
            "form": form,
            "title": title,
            "heading": title,
            "caption": journey.FAMILY,
            "intro": "Tell us what you know. Leave blank anything you do not know.",
            "components": components.question_components(form),
            "error_summary": error_list(form),
            "honeypot": components.honeypot(),
            "back_url": back,
        },
    )


def _problem_links(problems: list[services.MissingAnswer]) -> list[dict[str, str]]:
    return [
        {
            "text": problem.message,
            "href": journey.step_url(journey.step_named(problem.step), returning=True)
            + f"#id_{problem.field}",
        }
        for problem in problems
    ]


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _limited(request, sending=True):
            return _too_many_requests(request)
        if _robot(request):
            draft = _open_draft(request)
            if draft is not None:
                services.discard_draft(draft=draft)
            _remember_sent(request, None)
            return redirect("referrals:confirmation")
    draft = _draft(request)
    if draft is not None and draft.referral is not None:
        # Sent already (a second click, or the back button): the same confirmation again.
        _remember_sent(request, draft.referral)
        return redirect("referrals:confirmation")
    if draft is None:
        return _render(
            request, "answers_not_available.html", {"title": "There are no answers to check"}
        )
    problems = services.missing_answers(draft.answers)
    if request.method == "POST" and not problems:
        try:
            referral = services.submit_referral(draft=draft, client_hash=_client_hash(request))
        except services.IncompleteReferralError as error:
            problems = error.problems
        else:
            tasks.match_referral.enqueue(referral.pk)
            tasks.acknowledge_referral.enqueue(referral.pk)
            _remember_sent(request, referral)
            return redirect("referrals:confirmation")
    return _render(
        request,
        "check_answers.html",
        {
            "title": "Check your answers before sending your referral",
            "sections": journey.answer_sections(draft.answers, with_changes=True),
            "problems": _problem_links(problems),
            "show_errors": request.method == "POST" and bool(problems),
            "honeypot": components.honeypot(),
            "back_url": journey.step_url(journey.STEPS[-1]),
        },
    )


def _sent(request: HttpRequest) -> dict[str, Any] | None:
    sent = request.session.get(SESSION_SENT)
    return sent if isinstance(sent, dict) and "reference" in sent else None


@login_not_required
@never_cache
@require_GET
def confirmation(request: HttpRequest) -> HttpResponse:
    sent = _sent(request)
    if sent is None:
        return _render(
            request, "answers_not_available.html", {"title": "There is no referral to show"}
        )
    return _render(
        request,
        "confirmation.html",
        {
            "title": "Referral sent",
            "reference": sent["reference"],
            "copy_url": f"{reverse('referrals:your_referral')}?copy={sent['copy_token']}",
            "start_url": reverse("referrals:start"),
        },
    )


@login_not_required
@never_cache
@require_GET
def your_referral(request: HttpRequest) -> HttpResponse:
    """The referrer's own copy, to print or save: only in the browser session that sent it."""
    token = request.GET.get("copy")
    if not token:
        return _render(request, "copy_help.html", {"title": "Your copy of a referral"})
    sent = _sent(request)
    if sent is None or not constant_time_compare(str(token), str(sent.get("copy_token", ""))):
        raise Http404
    referral = selectors.referral_for_referrer(sent.get("referral_id"))
    if referral is None:
        raise Http404
    submission = referral.submission if isinstance(referral.submission, dict) else {}
    answers = submission.get("answers", {})
    response = _render(
        request,
        "your_referral.html",
        {
            "title": f"Your referral {referral.reference}",
            "reference": referral.reference,
            "received_at": referral.received_at,
            "sections": journey.answer_sections(
                answers if isinstance(answers, dict) else {}, with_changes=False
            ),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
