"""Provision pages, one set per route's users: the CME team's (deciding the route, placements),
the admissions team's, the SEND team's, the Pupil Support Manager's panels, and the panel
papers. Thin: access → form → service → redirect, or the page again with its errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cme.cases import selectors as case_selectors
from cme.cases.services import StaleCaseError
from cme.cases.workflow import CaseStatus, CaseTransitionError
from cme.web import drafts
from cme.web.dates import date_input
from cme.web.domain_errors import domain_errors_to
from cme.web.govuk_forms import error_list

from . import pdf, selectors, services
from .forms import (
    YEAR_LABELS,
    AddToAgendaForm,
    DecideProvisionForm,
    EndPlacementForm,
    HomeEducationForm,
    MeetingForm,
    NoPlaceForm,
    OfferForm,
    PanelDecisionForm,
    PlacementForm,
    PlacesForm,
    RemoveFromAgendaForm,
    StartForm,
)
from .models import HomeEducationRecord
from .rules import (
    DECIDABLE_STATUSES,
    PLACEABLE_STATUSES,
    AdmissionStatus,
    AgendaStatus,
    PanelOutcome,
    PlacementOutcome,
    ProvisionRoute,
    routes_for,
)

REFUSALS = (CaseTransitionError, StaleCaseError)
PAPERS_TEMPLATE = "provision/panel_papers_document.html"


def _status(*forms: Any) -> int:
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def _posted(request: HttpRequest, form_name: str) -> Any:
    """What this form was sent with: the POST, a draft kept when the session ended, or None."""
    if request.method == "POST":
        return request.POST
    return drafts.take_draft(request, form=form_name)


def _action(request: HttpRequest) -> str:
    return request.POST.get("action", "") if request.method == "POST" else ""


def _school_choices() -> list[tuple[str, str]]:
    return [(str(s.pk), s.name) for s in selectors.schools_for_places()]


def _locality_choices() -> list[tuple[str, str]]:
    return [(str(locality.pk), locality.name) for locality in selectors.localities()]


# The CME team -------------------------------------------------------------------------------


@require_GET
@permission_required("provision.decide_provision", raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    """Every case where education is being secured, and placements whose attendance fell."""
    mine = request.GET.get("mine") == "1"
    rows = selectors.provision_rows(user=request.user, today=timezone.localdate(), mine=mine)
    return render(
        request,
        "provision/home.html",
        {
            "mine": mine,
            "alerts": [
                r for r in rows if r.attendance is not None and r.attendance.needs_attention
            ],
            "sections": [
                (status, [r for r in rows if r.case.status == status])
                for status in selectors.PROVISION_STATUSES
            ],
        },
    )


def _case_page(request: HttpRequest, case: Any) -> dict[str, Any]:
    provision = selectors.case_provision(case=case)
    status = CaseStatus(case.status)
    return {
        "case": case,
        "provision": provision,
        "can_decide": status in DECIDABLE_STATUSES,
        "can_place": status in PLACEABLE_STATUSES
        and provision.decision is not None
        and provision.open_placement is None,
    }


@require_GET
@permission_required("provision.decide_provision", raise_exception=True)
def case_provision(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.access_case(
        user=request.user, case_id=case_id, purpose="Viewed the case's provision"
    )
    return render(request, "provision/case_provision.html", _case_page(request, case))


@require_http_methods(["GET", "POST"])
@permission_required("provision.decide_provision", raise_exception=True)
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.access_case(
        user=request.user, case_id=case_id, purpose="Deciding the route to education"
    )
    current = selectors.current_decision(case=case)
    form = DecideProvisionForm(
        _posted(request, "decide"),
        routes=routes_for(has_ehc_plan=case.child.has_ehc_plan),
        localities=_locality_choices(),
        initial={"version": case.version, "replacing": current.pk if current else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_to(form, *REFUSALS):
            services.decide_provision(
                actor=request.user,
                case=case,
                route=ProvisionRoute(data["route"]),
                need=data["need"],
                involved=data["involved"],
                additional_support=data["additional_support"],
                locality=selectors.locality(data["locality"]) if data["locality"] else None,
                preferred_schools=data["preferred_schools"],
                applied_on=data["applied_on"],
                expected_version=data["version"],
                replacing=data["replacing"],
            )
            messages.success(request, "Route to education recorded")
            return redirect("provision:case_provision", case_id=case.pk)
    return render(
        request,
        "provision/decide.html",
        {
            "case": case,
            "current": current,
            "can_decide": CaseStatus(case.status) in DECIDABLE_STATUSES,
            "form": form,
            "errors": error_list(form),
            "applied_on": date_input(
                form["applied_on"], legend_classes="govuk-fieldset__legend--s"
            ),
        },
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.decide_provision", raise_exception=True)
def record_placement(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.access_case(
        user=request.user, case_id=case_id, purpose="Recording a placement"
    )
    return _placement_page(
        request,
        case=case,
        template="provision/record_placement.html",
        done=lambda: redirect("provision:case_provision", case_id=case.pk),
    )


def _placement_page(
    request: HttpRequest, *, case: Any, template: str, done: Any, extra: Any = None
) -> HttpResponse:
    """A form recording where the child is placed (the CME team's and the SEND team's)."""
    page = _case_page(request, case)
    form = PlacementForm(
        _posted(request, "placement"), schools=_school_choices(), initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_to(form, *REFUSALS):
            services.record_placement(
                actor=request.user,
                case=case,
                school=selectors.school_for_places(data["school"]) if data["school"] else None,
                provision_name=data["provision_name"],
                start_date=data["start_date"],
                support=data["support"],
                expected_version=data["version"],
            )
            messages.success(request, "Placement recorded")
            return done()  # type: ignore[no-any-return]
    return render(
        request,
        template,
        {
            **page,
            **(extra or {}),
            "form": form,
            "errors": error_list(form),
            "start_date": date_input(
                form["start_date"], legend_classes="govuk-fieldset__legend--s"
            ),
        },
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.decide_provision", raise_exception=True)
def placement(request: HttpRequest, placement_id: int) -> HttpResponse:
    """A placement: attendance since the child started; record the start, end monitoring."""
    chosen = selectors.access_placement(user=request.user, placement_id=placement_id)
    case = chosen.case
    action = _action(request)
    initial = {"version": case.version}
    start_form = StartForm(request.POST if action == "start" else None, initial=initial)
    end_form = EndPlacementForm(request.POST if action == "end" else None, initial=initial)
    bound = start_form if action == "start" else end_form if action == "end" else None
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        with domain_errors_to(bound, *REFUSALS):
            if bound is start_form:
                services.record_start(
                    actor=request.user,
                    placement=chosen,
                    started_on=data["started_on"],
                    expected_version=data["version"],
                )
                messages.success(request, "Start recorded: the placement is being monitored")
            else:
                services.end_placement(
                    actor=request.user,
                    placement=chosen,
                    outcome=PlacementOutcome(data["outcome"]),
                    ended_on=data["ended_on"],
                    note=data["note"],
                    expected_version=data["version"],
                    manager_approved=data["manager_approved"],
                )
                messages.success(request, "Monitoring ended")
            return redirect("provision:placement", placement_id=chosen.pk)
    elif request.method == "POST" and bound is None:
        end_form = EndPlacementForm(request.POST, initial=initial)
        end_form.add_error(None, "Choose what to record")
        bound = end_form
    return render(
        request,
        "provision/placement.html",
        {
            "placement": chosen,
            "case": case,
            "attendance": selectors.placement_attendance(
                placement=chosen, today=timezone.localdate()
            ),
            "form": bound,
            "start_form": start_form,
            "end_form": end_form,
            "errors": error_list(bound) if bound is not None else [],
            "started_on": date_input(
                start_form["started_on"], legend_classes="govuk-fieldset__legend--s"
            ),
            "ended_on": date_input(
                end_form["ended_on"], legend_classes="govuk-fieldset__legend--s"
            ),
            "can_approve_closure": request.user.has_perm("cases.approve_closure"),
        },
        status=_status(bound),
    )


# The admissions team ------------------------------------------------------------------------


@require_GET
@permission_required("provision.view_admissions", raise_exception=True)
def admissions(request: HttpRequest) -> HttpResponse:
    waiting = selectors.admissions_to_act_on(user=request.user)
    today = timezone.localdate()
    return render(
        request,
        "provision/admissions.html",
        {
            "waiting": [
                (
                    a,
                    (today - a.applied_on).days,
                    selectors.year_group_on(a.case.child.date_of_birth, today),
                )
                for a in waiting
            ],
            "recent": selectors.recent_offers(user=request.user),
            "can_record": request.user.has_perm("provision.record_admission"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.record_admission", raise_exception=True)
def admission(request: HttpRequest, admission_id: int) -> HttpResponse:
    chosen = selectors.access_admission(user=request.user, admission_id=admission_id)
    case = chosen.case
    action = _action(request)
    offer_form = OfferForm(
        request.POST if action == "offer" else None,
        schools=_school_choices(),
        initial={"version": case.version},
    )
    no_place_form = NoPlaceForm(request.POST if action == "no_place" else None)
    bound: Any = (
        offer_form if action == "offer" else no_place_form if action == "no_place" else None
    )
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        with domain_errors_to(bound, *REFUSALS):
            if bound is offer_form:
                services.record_offer(
                    actor=request.user,
                    admission=chosen,
                    school=selectors.school_for_places(data["school"]),
                    offered_on=data["offered_on"],
                    start_date=data["start_date"],
                    expected_version=data["version"],
                )
                messages.success(request, "Offer recorded")
            else:
                services.record_no_place(actor=request.user, admission=chosen, note=data["note"])
                messages.success(request, "Recorded that no place can be offered")
            return redirect("provision:admissions")
    elif request.method == "POST" and bound is None:
        bound = offer_form = OfferForm(
            request.POST, schools=_school_choices(), initial={"version": case.version}
        )
        offer_form.add_error(None, "Choose what to record")
    today = timezone.localdate()
    born = case.child.date_of_birth
    return render(
        request,
        "provision/admission.html",
        {
            "admission": chosen,
            "case": case,
            "year_group": selectors.year_group_on(born, today),
            "places": selectors.places_for_year(year=selectors.year_of(born, today)),
            "is_open": chosen.status == AdmissionStatus.APPLYING,
            "form": bound,
            "offer_form": offer_form,
            "no_place_form": no_place_form,
            "errors": error_list(bound) if bound is not None else [],
            "offered_on": date_input(
                offer_form["offered_on"], legend_classes="govuk-fieldset__legend--s"
            ),
            "start_date": date_input(
                offer_form["start_date"], legend_classes="govuk-fieldset__legend--s"
            ),
        },
        status=_status(bound),
    )


@require_GET
@permission_required("provision.view_admissions", raise_exception=True)
def places(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "provision/places.html",
        {
            "rows": selectors.places_table(),
            "year_labels": YEAR_LABELS,
            "schools": selectors.schools_for_places(),
            "can_record": request.user.has_perm("provision.record_admission"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.record_admission", raise_exception=True)
def school_places(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.access_school_for_places(school_id=school_id)
    current = selectors.places_at(school=school)
    form = PlacesForm(
        _posted(request, "places"),
        initial={f"year_{year}": count for year, count in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.set_school_places(actor=request.user, school=school, places=form.places())
            messages.success(request, f"Places at {school.name} saved")
            return redirect("provision:places")
    return render(
        request,
        "provision/school_places.html",
        {"school": school, "form": form, "errors": error_list(form)},
        status=_status(form),
    )


# The SEND team ------------------------------------------------------------------------------


@require_GET
@permission_required("provision.view_send_cases", raise_exception=True)
def send_cases(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "provision/send_cases.html",
        {"rows": selectors.send_case_rows(user=request.user, today=timezone.localdate())},
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.view_send_cases", raise_exception=True)
def send_case(request: HttpRequest, send_case_id: int) -> HttpResponse:
    case = selectors.access_send_case(user=request.user, case_id=send_case_id)
    return _placement_page(
        request,
        case=case,
        template="provision/send_case.html",
        done=lambda: redirect("provision:send_cases"),
        extra={
            "year_group": selectors.year_group_on(case.child.date_of_birth, timezone.localdate())
        },
    )


# Panels -------------------------------------------------------------------------------------


@require_GET
@permission_required("provision.manage_panels", raise_exception=True)
def panels(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "provision/panels.html",
        {
            "localities": selectors.panels_overview(user=request.user, today=today),
            "past": selectors.past_meetings(user=request.user, today=today),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.manage_panels", raise_exception=True)
def new_meeting(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(
        _posted(request, "meeting"),
        localities=_locality_choices(),
        initial={"locality": request.GET.get("locality", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_to(form, *REFUSALS):
            meeting = services.schedule_meeting(
                actor=request.user,
                locality=selectors.locality(data["locality"]),
                meets_on=data["meets_on"],
                starts_at=data["starts_at"],
                location=data["location"],
            )
            messages.success(request, "Meeting scheduled")
            return redirect("provision:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "provision/new_meeting.html",
        {
            "form": form,
            "errors": error_list(form),
            "meets_on": date_input(form["meets_on"], legend_classes="govuk-fieldset__legend--s"),
        },
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.manage_panels", raise_exception=True)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting's agenda: add the cases waiting for the panel, take one off."""
    chosen = selectors.access_meeting(user=request.user, meeting_id=meeting_id)
    items = selectors.agenda(meeting=chosen)
    waiting = selectors.waiting_for(meeting=chosen, user=request.user)
    action = _action(request)
    add_form = AddToAgendaForm(
        request.POST if action == "add" else None,
        waiting=[(str(i.pk), f"{i.case.reference}: {i.case.child.full_name}") for i in waiting],
    )
    on_agenda = [i for i in items if i.status == AgendaStatus.ON_AGENDA]
    remove_form = RemoveFromAgendaForm(
        request.POST if action == "remove" else None,
        on_agenda=[(str(i.pk), i.case.reference) for i in on_agenda],
    )
    bound: Any = add_form if action == "add" else remove_form if action == "remove" else None
    if bound is not None and bound.is_valid():
        with domain_errors_to(bound, *REFUSALS):
            if bound is add_form:
                chosen_ids = set(bound.cleaned_data["items"])
                services.add_to_agenda(
                    actor=request.user,
                    meeting=chosen,
                    items=[i for i in waiting if str(i.pk) in chosen_ids],
                )
                messages.success(request, "Agenda updated")
            else:
                item = next(i for i in on_agenda if str(i.pk) == bound.cleaned_data["item"])
                services.remove_from_agenda(actor=request.user, item=item)
                messages.success(request, f"{item.case.reference} taken off the agenda")
            return redirect("provision:meeting", meeting_id=chosen.pk)
    elif request.method == "POST" and bound is None:
        bound = add_form = AddToAgendaForm(request.POST, waiting=[])
        add_form.add_error(None, "Choose what to change")
    return render(
        request,
        "provision/meeting.html",
        {
            "meeting": chosen,
            "items": items,
            "waiting": waiting,
            "form": bound,
            "add_form": add_form,
            "errors": error_list(bound) if bound is not None else [],
        },
        status=_status(bound),
    )


@require_http_methods(["GET", "POST"])
@permission_required("provision.manage_panels", raise_exception=True)
def agenda_item(request: HttpRequest, agenda_item_id: int) -> HttpResponse:
    """Record the panel's decision on one case."""
    item = selectors.access_agenda_item(user=request.user, item_id=agenda_item_id)
    form = PanelDecisionForm(
        _posted(request, "panel_decision"),
        schools=_school_choices(),
        initial={"version": item.case.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_to(form, *REFUSALS):
            services.record_panel_decision(
                actor=request.user,
                item=item,
                outcome=PanelOutcome(data["outcome"]),
                school=selectors.school_for_places(data["school"]) if data["school"] else None,
                provision_name=data["provision_name"],
                extra_support=data["extra_support"],
                start_date=data["start_date"],
                panel_notes=data["panel_notes"],
                expected_version=data["version"],
            )
            messages.success(request, f"Panel decision on {item.case.reference} recorded")
            return redirect("provision:meeting", meeting_id=item.meeting_id)
    return render(
        request,
        "provision/agenda_item.html",
        {
            "item": item,
            "case": item.case,
            "can_decide": item.status == AgendaStatus.ON_AGENDA,
            "form": form,
            "errors": error_list(form),
            "start_date": date_input(
                form["start_date"], legend_classes="govuk-fieldset__legend--s"
            ),
        },
        status=_status(form),
    )


# Panel papers -------------------------------------------------------------------------------


@require_GET
@permission_required("provision.view_panel_papers", raise_exception=True)
def papers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = list(selectors.meetings_visible_to(request.user))
    return render(
        request,
        "provision/papers.html",
        {
            "upcoming": sorted(
                (m for m in meetings if m.meets_on >= today), key=lambda m: m.meets_on
            ),
            "past": [m for m in meetings if m.meets_on < today][:20],
        },
    )


@require_GET
@permission_required("provision.view_panel_papers", raise_exception=True)
def meeting_papers(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The papers for a meeting, to read or print (the browser's print gives the pack)."""
    chosen = selectors.access_meeting(user=request.user, meeting_id=meeting_id)
    return render(
        request,
        "provision/meeting_papers.html",
        {"papers": selectors.panel_papers(user=request.user, meeting=chosen)},
    )


@require_GET
@permission_required("provision.view_panel_papers", raise_exception=True)
def meeting_papers_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The papers as a tagged PDF, from the same content as the page."""
    chosen = selectors.access_meeting(user=request.user, meeting_id=meeting_id)
    html = pdf.render_document(
        PAPERS_TEMPLATE, {"papers": selectors.panel_papers(user=request.user, meeting=chosen)}
    )
    response = HttpResponse(pdf.render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="panel-papers-{chosen.meets_on:%Y-%m-%d}.pdf"'
    )
    return response


@require_http_methods(["GET", "POST"])
@permission_required("provision.decide_provision", raise_exception=True)
def home_education(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a step in the child's home education (told, assessed, ended) on the case."""
    case = case_selectors.access_case(
        user=request.user, case_id=case_id, purpose="Recording home education"
    )
    form = HomeEducationForm(_posted(request, "home_education"))
    if request.method == "POST" and form.is_valid():
        with domain_errors_to(form, *REFUSALS):
            services.record_home_education(
                actor=request.user,
                case=case,
                status=HomeEducationRecord.Status(form.cleaned_data["status"]),
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Home education recorded")
            return redirect("provision:case_provision", case_id=case.pk)
    return render(
        request,
        "provision/home_education.html",
        {
            "case": case,
            "history": selectors.home_education_of(case=case),
            "form": form,
            "errors": error_list(form),
            "on": date_input(form["on"], legend_classes="govuk-fieldset__legend--s"),
        },
        status=_status(form),
    )
