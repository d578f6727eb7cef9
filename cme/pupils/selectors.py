"""Reads over the pupil register, each scoped to what the user's role may see.

`children_visible_to` is the one place that says which children a user may see; every list,
search, export and task over children goes through it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cme.accounts.models import Role
from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.standards.nhs_number import format_nhs_number, is_valid_nhs_number
from cme.standards.upn import normalise_upn

from .models import Child, Enrolment, School, VulnerabilityFlag, WelfareConcern


def children_visible_to(user: Any) -> QuerySet[Child]:
    """The children `user` may see. A school sees its own pupils (and recent leavers, for
    its deletion returns); the CME team sees everyone; the SEND team children with an EHC
    plan. Roles whose scope comes from cases or referrals see none until those exist."""
    children = Child.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return children.none()
    role = user.role
    if role in {Role.CME_OFFICER, Role.CME_MANAGER}:
        return children
    if role == Role.SCHOOL_ATTENDANCE and user.school_id is not None:
        since = timezone.localdate() - datetime.timedelta(
            days=settings.SCHOOL_LEAVER_VISIBILITY_DAYS
        )
        return children.filter(
            Q(enrolments__school_id=user.school_id)
            & (Q(enrolments__end_date__isnull=True) | Q(enrolments__end_date__gte=since))
        ).distinct()
    if role == Role.SEND:
        return children.filter(sen_status="E")
    return children.none()


def access_child(*, user: Any, child_id: int, purpose: str = "Viewed the child's record") -> Child:
    """The child if `user` may see them, else 404 exactly as if they did not exist.
    The read is recorded in the access log."""
    try:
        child = children_visible_to(user).get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such child") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=child,
        child_id=child.pk,
        purpose=purpose,
    )
    return child


def search_children(*, user: Any, query: str, limit: int = 50) -> list[Child]:
    """Children matching a name, UPN or date of birth typed by a member of staff.

    Exact UPN first; otherwise every word must match the start of a forename, surname or
    former surname, or a date of birth written DD/MM/YYYY. The search is logged."""
    terms = query.split()
    results: QuerySet[Child] = children_visible_to(user)
    upn = normalise_upn(query)
    if len(upn) == 13 and upn[1:4].isdigit():
        results = results.filter(Q(upn=upn) | Q(former_upn=upn))
    else:
        for term in terms[:5]:
            date = _parse_date(term)
            if date is not None:
                results = results.filter(date_of_birth=date)
                continue
            results = results.filter(
                Q(forename__istartswith=term)
                | Q(surname__istartswith=term)
                | Q(middle_names__istartswith=term)
                | Q(former_surnames__icontains=term)
                | Q(preferred_name__istartswith=term)
            )
    found = list(results.order_by("surname", "forename", "id")[:limit]) if terms else []
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.SEARCH,
        purpose="Searched the pupil register",
        query=query,
        result_count=len(found),
    )
    return found


def _parse_date(term: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(term, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def child_record(*, user: Any, child: Child) -> dict[str, Any]:
    """Everything on a child's record page that `user` may see, in a fixed number of queries."""
    enrolments = list(child.enrolments.select_related("school", "destination_school"))
    return {
        "child": child,
        "enrolments": enrolments,
        "current_enrolments": [e for e in enrolments if e.end_date is None],
        "addresses": list(child.addresses.all()),
        "vulnerability_labels": [
            VulnerabilityFlag(flag).label
            for flag in child.vulnerability_flags
            if flag in VulnerabilityFlag.values
        ],
        "nhs_number_display": (
            format_nhs_number(child.nhs_number)
            if is_valid_nhs_number(child.nhs_number)
            else child.nhs_number
        ),
        "contacts": list(child.contacts.all()),
        "siblings": list(
            children_visible_to(user).filter(household_id=child.household_id).exclude(pk=child.pk)
            if child.household_id
            else Child.objects.none()
        ),
    }


def schools_visible_to(user: Any) -> QuerySet[School]:
    """Schools are reference data, open to every role that may look schools up."""
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.select_related("local_authority", "locality")


def access_school(*, user: Any, school_id: int) -> School:
    try:
        return schools_visible_to(user).get(pk=school_id)
    except (School.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such school") from missing


def children_on_roll(*, child_ids: list[int]) -> set[int]:
    """Which of these children have a current enrolment."""
    return set(
        Enrolment.objects.filter(child_id__in=child_ids, end_date__isnull=True).values_list(
            "child_id", flat=True
        )
    )


def welfare_flag(*, user: Any, child_id: int) -> dict[str, Any]:
    """What a page about a child shows of its welfare concerns: that one awaits a referral to
    children's social care (everyone who can see the child), and what it says (CME team only)."""
    awaiting = list(
        WelfareConcern.objects.filter(child_id=child_id, referred_at__isnull=True).order_by(
            "raised_at"
        )
    )
    readable = bool(user.has_perm("pupils.read_welfare_concern"))
    return {
        "awaiting": len(awaiting),
        "concerns": awaiting if readable else [],
        "can_record_referral": bool(user.has_perm("pupils.record_safeguarding_referral")),
    }


def concern_for_child(*, child: Child, concern_id: int) -> WelfareConcern:
    try:
        return WelfareConcern.objects.get(pk=concern_id, child=child)
    except (WelfareConcern.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such concern") from missing
