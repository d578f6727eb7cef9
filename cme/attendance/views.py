"""Attendance pages: a child's attendance over time, the worklist of statutory triggers, and
the authority's and each school's figures."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cme.pupils import selectors as pupils

from . import selectors
from .charts import DAY_COLOURS, DAY_WORDS, year_charts
from .marks import school_year_of
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


@require_GET
@permission_required("attendance.view_triggers", raise_exception=True)
def worklist(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get("rule", "")
    rule = Rule(asked) if asked in {r.value for r in WORKLIST_RULES} else None
    shown, total = selectors.worklist(user=request.user, rule=rule, limit=_WORKLIST_LIMIT)
    counts = selectors.open_triggers_by_rule(request.user)
    rules = [
        (candidate, RULES[candidate].title, counts.get(candidate, 0))
        for candidate in Rule
        if candidate in WORKLIST_RULES
    ]
    thresholds = selectors.attendance_thresholds()
    return render(
        request,
        "attendance/worklist.html",
        {
            "triggers": [(RULES[Rule(t.rule)].title, t) for t in shown],
            "total": total,
            "limit": _WORKLIST_LIMIT,
            "rules": rules,
            "chosen": rule,
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
