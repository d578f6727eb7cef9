"""Attendance pages: a child's attendance over time, the worklist of statutory triggers and
each item's follow-ups, and the authority's and each school's figures."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cme.pupils import selectors as pupils
from cme.web import drafts

from . import selectors, services
from .charts import DAY_COLOURS, DAY_WORDS, year_charts
from .forms import FollowUpForm
from .marks import school_year_of
from .models import TriggerFollowUp
from .rules import RULES, WORKLIST_RULES, Rule

_WORKLIST_LIMIT = 500


def _school_year(request: HttpRequest, choices: list[int]) -> int:
    """The school year asked for (?year=2025), else the latest with marks, else this one."""
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in choices:
        return int(asked)
    return choices[0] if choices else school_year_of(timezone.localdate())


@require_GET
@permission_required("attendance.view_attendance", raise_exception=True)
def child_attendance(request: HttpRequest, child_id: int) -> HttpResponse:
    child = pupils.access_child(
        user=request.user, child_id=child_id, purpose="Viewed the child's attendance"
    )
    today = timezone.localdate()
    years = selectors.child_years(user=request.user, child=child, today=today)
    threshold = int(settings.ATTENDANCE_TERMLY_REPORT_PERCENT)
    shown = [
        {
            "year": item.year,
            "as_of": item.as_of,
            "flags": [(RULES[flag.rule].title, flag) for flag in item.flags],
            "charts": year_charts(item.year.marks, item.year.school_year, threshold=threshold),
        }
        for item in years
    ]
    triggers = selectors.child_triggers(user=request.user, child=child)
    return render(
        request,
        "attendance/child_attendance.html",
        {
            "child": child,
            "years": shown,
            "triggers": [(RULES[Rule(t.rule)].title, t) for t in triggers],
            "colours": DAY_COLOURS,
            "words": DAY_WORDS,
            "can_see_worklist": request.user.has_perm("attendance.view_triggers"),
        },
    )


def _worklist_url(query: dict[str, str]) -> str:
    path = reverse("attendance:worklist")
    return f"{path}?{urlencode(query)}" if query else path


@require_GET
@permission_required("attendance.view_triggers", raise_exception=True)
def worklist(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get("rule", "")
    rule = Rule(asked) if asked in {r.value for r in WORKLIST_RULES} else None
    awaiting = request.GET.get("awaiting") == "1"
    shown, total = selectors.worklist(
        user=request.user, rule=rule, limit=_WORKLIST_LIMIT, awaiting=awaiting
    )
    counts = selectors.open_triggers_by_rule(request.user, awaiting=awaiting)

    def listed(choice: Rule | None, only_awaiting: bool) -> str:
        query = {"rule": choice.value} if choice else {}
        return _worklist_url({**query, "awaiting": "1"} if only_awaiting else query)

    # Each filter: its title, how many items, and its link (None for the one shown).
    rules = [("Every rule", sum(counts.values()), listed(None, awaiting) if rule else None)]
    rules += [
        (RULES[candidate].title, counts.get(candidate, 0),
         listed(candidate, awaiting) if candidate != rule else None)
        for candidate in Rule
        if candidate in WORKLIST_RULES
    ]  # fmt: skip
    thresholds = selectors.attendance_thresholds()
    return render(
        request,
        "attendance/worklist.html",
        {
            "triggers": [
                (RULES[Rule(t.rule)].title, t, next(iter(t.follow_ups.all()), None)) for t in shown
            ],
            "total": total,
            "awaiting": awaiting,
            "limit": _WORKLIST_LIMIT,
            "rules": rules,
            "other_view": listed(rule, not awaiting),
            "explanation": RULES[rule].explanation(thresholds) if rule else "",
            "explanations": [
                (RULES[candidate].title, RULES[candidate].explanation(thresholds))
                for candidate in Rule
            ],
        },
    )


@require_GET
@permission_required("attendance.view_figures", raise_exception=True)
def authority_attendance(request: HttpRequest) -> HttpResponse:
    choices = selectors.school_years_with_marks()
    school_year = _school_year(request, choices)
    authority, schools = selectors.authority_figures(school_year=school_year)
    return render(
        request,
        "attendance/authority_attendance.html",
        {
            "school_year": school_year,
            "choices": choices,
            "figures": authority,
            "schools": schools,
            "local": settings.ATTENDANCE_LOCAL_THRESHOLD_PERCENT,
            "report": settings.ATTENDANCE_TERMLY_REPORT_PERCENT,
        },
    )


@require_GET
@permission_required("attendance.view_figures", raise_exception=True)
def school_attendance(request: HttpRequest, school_id: int) -> HttpResponse:
    school = pupils.access_school(user=request.user, school_id=school_id)
    choices = selectors.school_years_with_marks()
    school_year = _school_year(request, choices)
    return render(
        request,
        "attendance/school_attendance.html",
        {
            "school": school,
            "school_year": school_year,
            "choices": choices,
            "figures": selectors.school_figures(school=school, school_year=school_year),
            "local": settings.ATTENDANCE_LOCAL_THRESHOLD_PERCENT,
            "report": settings.ATTENDANCE_TERMLY_REPORT_PERCENT,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("attendance.view_triggers", raise_exception=True)
def trigger_detail(request: HttpRequest, trigger_id: int) -> HttpResponse:
    """A worklist item: the rule and what the register shows, what has been done about it,
    and (for those who may) a form to record the next follow-up."""
    trigger = selectors.access_trigger(user=request.user, trigger_id=trigger_id)
    can_follow_up = request.user.has_perm("attendance.follow_up_trigger")
    form = FollowUpForm(
        request.POST if request.method == "POST" else drafts.take_draft(request, form="follow_up")
    )
    if request.method == "POST":
        if not can_follow_up:
            raise PermissionDenied
        if form.is_valid():
            services.record_follow_up(
                actor=request.user,
                trigger=trigger,
                action=TriggerFollowUp.Action(form.cleaned_data["action"]),
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Follow-up recorded")
            return redirect("attendance:trigger_detail", trigger_id=trigger.pk)
    rule = RULES[Rule(trigger.rule)]
    return render(
        request,
        "attendance/trigger_detail.html",
        {
            "trigger": trigger,
            "rule_title": rule.title,
            "explanation": rule.explanation(selectors.attendance_thresholds()),
            "follow_ups": selectors.follow_ups_of(trigger),
            "form": form,
            "can_follow_up": can_follow_up,
            "can_open_case": request.user.has_perm("cases.open_case"),
        },
        status=400 if request.method == "POST" else 200,
    )
