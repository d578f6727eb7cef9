"""Reading returns, each scoped to what the user's role may see, and the duties overdue.

`returns_visible_to` is the one place that says whose returns a user may see: a school its
own, the CME team every school's and every other authority's notification.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from cme.accounts.models import Role
from cme.attendance import selectors as attendance_selectors
from cme.attendance.rules import Rule
from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.matching.models import IdentityMatch
from cme.pupils import selectors as pupil_selectors
from cme.pupils.models import Enrolment, School

from . import duties
from .kinds import LEAVING_KINDS, ReturnKind
from .models import DeletionAgreement, ReturnDraft, ReturnedPupil, SchoolReturn


def _is_active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def returns_visible_to(user: Any) -> QuerySet[SchoolReturn]:
    """A school's attendance staff see their own school's returns; the CME team sees all."""
    returns = SchoolReturn.objects.select_related("school", "submitted_by")
    if not _is_active(user):
        return returns.none()
    if user.role in {Role.CME_OFFICER, Role.CME_MANAGER}:
        return returns
    if user.role == Role.SCHOOL_ATTENDANCE and user.school_id is not None:
        return returns.filter(school_id=user.school_id)
    return returns.none()


def access_return(*, user: Any, return_id: int) -> SchoolReturn:
    """The return if `user` may see it, else 404 exactly as if it did not exist. The read is
    recorded in the access log (a return names children)."""
    try:
        school_return = returns_visible_to(user).get(pk=return_id)
    except (SchoolReturn.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such return") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=school_return,
        purpose=f"Viewed return {school_return.reference}",
    )
    return school_return


def pupils_of(school_return: SchoolReturn) -> list[ReturnedPupil]:
    return list(school_return.pupils.select_related("match", "referral").order_by("number"))


def returns_with_counts(returns: QuerySet[SchoolReturn]) -> QuerySet[SchoolReturn]:
    return returns.annotate(
        pupil_count=Count("pupils", distinct=True),
        triage_count=Count(
            "pupils", filter=Q(pupils__outcome=ReturnedPupil.Outcome.TRIAGE), distinct=True
        ),
    )


def school_returns(*, user: Any, limit: int = 200) -> list[SchoolReturn]:
    """The returns a school's attendance staff have sent, newest first."""
    return list(returns_with_counts(returns_visible_to(user))[:limit])


@dataclass(frozen=True)
class OfficerReturns:
    needing_attention: list[SchoolReturn]
    recent: list[SchoolReturn]


def returns_for_officers(
    *, user: Any, school_id: int | None = None, limit: int = 200
) -> OfficerReturns:
    """Returns whose processing failed or has not run (oldest first), then the latest."""
    visible = returns_with_counts(returns_visible_to(user))
    if school_id is not None:
        visible = visible.filter(school_id=school_id)
    return OfficerReturns(
        needing_attention=list(
            visible.exclude(status=SchoolReturn.Status.PROCESSED).order_by("submitted_at", "id")[
                :limit
            ]
        ),
        recent=list(visible.filter(status=SchoolReturn.Status.PROCESSED)[:limit]),
    )


def draft_for(*, user: Any, draft_id: int) -> ReturnDraft:
    """A draft the user started for their own school, else 404."""
    if not _is_active(user) or getattr(user, "school_id", None) is None:
        raise Http404("No such draft")
    try:
        return ReturnDraft.objects.select_related("school").get(
            pk=draft_id, created_by_id=user.pk, school_id=user.school_id
        )
    except (ReturnDraft.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such draft") from missing


def unsent_drafts(*, user: Any) -> list[ReturnDraft]:
    if not _is_active(user) or getattr(user, "school_id", None) is None:
        return []
    return list(
        ReturnDraft.objects.filter(
            created_by_id=user.pk, school_id=user.school_id, school_return__isnull=True
        )[:20]
    )


def earlier_sickness_return(
    *,
    school_id: int,
    upn: str,
    forename: str,
    surname: str,
    date_of_birth: datetime.date | None,
    began_on: datetime.date,
) -> SchoolReturn | None:
    """A sickness return this school already made for the same pupil and the same period of
    sickness (the same first day), if there is one: the same UPN, or the same names (in any
    case, compared in Python: SQLite folds only ASCII) and date of birth."""
    same_day = ReturnedPupil.objects.filter(
        school_return__school_id=school_id,
        school_return__kind=ReturnKind.SICKNESS,
        event_date=began_on,
    ).select_related("school_return")
    for earlier in same_day:
        if (upn and earlier.upn == upn) or (
            earlier.forename.casefold() == forename.casefold()
            and earlier.surname.casefold() == surname.casefold()
            and earlier.date_of_birth == date_of_birth
        ):
            return earlier.school_return
    return None


# Overdue returns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueReturn:
    """A duty the service can see with no matching return after the grace days."""

    kind: ReturnKind
    description: str
    due_on: datetime.date
    days_overdue: int


def overdue_returns(*, school: School, today: datetime.date | None = None) -> list[OverdueReturn]:
    """Everything `school` should have told the authority and has not, oldest first: pupils
    its roll imports show taken off the roll, a month without an attendance return, and the
    triggers in its own attendance registers."""
    today = today or timezone.localdate()
    grace = settings.RETURNS_OVERDUE_AFTER_DAYS
    overdue = [
        *removals_without_deletion_return(school=school, today=today, grace_days=grace),
        *months_without_attendance_return(school=school, today=today, grace_days=grace),
        *attendance_triggers_without_return(school=school, today=today, grace_days=grace),
    ]
    return sorted(overdue, key=lambda item: (item.due_on, item.description))


def _overdue(
    kind: ReturnKind, description: str, due_on: datetime.date, today: datetime.date, grace_days: int
) -> OverdueReturn:
    return OverdueReturn(
        kind=kind,
        description=description,
        due_on=due_on,
        days_overdue=(today - due_on).days - grace_days,
    )


def removals_without_deletion_return(
    *, school: School, today: datetime.date, grace_days: int
) -> list[OverdueReturn]:
    """Pupils a roll import took off `school`'s roll (an enrolment with an end date) in the
    window the school can still see its leavers, with no deletion, no-destination or
    failed-to-start return naming them `grace_days` after they left. Pupils who left at the
    end of the school's most senior year, or were not of compulsory school age, need none."""
    since = today - datetime.timedelta(days=settings.SCHOOL_LEAVER_VISIBILITY_DAYS)
    latest = today - datetime.timedelta(days=grace_days + 1)
    removals = list(
        Enrolment.objects.filter(
            school=school, end_date__gte=since, end_date__lte=latest
        ).select_related("child")
    )
    if not removals:
        return []
    named = ReturnedPupil.objects.filter(
        school_return__school=school,
        school_return__kind__in=LEAVING_KINDS,
        school_return__submitted_at__date__gte=since - datetime.timedelta(days=366),
    ).values_list("match__child_id", "upn")
    named_children = {child_id for child_id, _ in named if child_id is not None}
    named_upns = {upn for _, upn in named if upn}
    overdue = []
    for enrolment in removals:
        child = enrolment.child
        assert enrolment.end_date is not None
        if child.pk in named_children or (child.upn and child.upn in named_upns):
            continue
        if not duties.deletion_return_expected(
            date_of_birth=child.date_of_birth, removed_on=enrolment.end_date, phase=school.phase
        ):
            continue
        overdue.append(
            _overdue(
                ReturnKind.DELETION,
                f"Deletion return for {child.full_name}, taken off the roll on "
                f"{date_format(enrolment.end_date, 'j F Y')}",
                duties.deletion_return_due(enrolment.end_date),
                today,
                grace_days,
            )
        )
    return overdue


def months_without_attendance_return(
    *, school: School, today: datetime.date, grace_days: int
) -> list[OverdueReturn]:
    """Each month of this school year, August aside, in which `school` made no attendance
    return (a nil return counts), once the month is over by more than `grace_days`."""
    months = duties.attendance_months_due(today=today, grace_days=grace_days)
    if not months:
        return []
    made = set()
    for submitted in SchoolReturn.objects.filter(
        school=school, kind=ReturnKind.ATTENDANCE, submitted_at__date__gte=months[0]
    ).values_list("submitted_at", flat=True):
        local = timezone.localtime(submitted)
        made.add((local.year, local.month))
    return [
        _overdue(
            ReturnKind.ATTENDANCE,
            f"Attendance return for {date_format(month, 'F Y')} (a nil return if there is "
            "nobody to report)",
            duties.month_end(month),
            today,
            grace_days,
        )
        for month in months
        if (month.year, month.month) not in made
    ]


def attendance_triggers_without_return(
    *, school: School, today: datetime.date, grace_days: int
) -> list[OverdueReturn]:
    """Pupils whose marks in `school`'s own attendance registers show 10 continuous school
    days of unauthorised absence, or sickness reaching 15 school days, with no attendance or
    sickness return naming them made since the run began, `grace_days` after the trigger."""
    wanted = {
        Rule.UNAUTHORISED_ABSENCE_10_DAYS: ReturnKind.ATTENDANCE,
        Rule.SICKNESS_15_DAYS: ReturnKind.SICKNESS,
    }
    triggers = attendance_selectors.triggers_fired_at_school(
        school_id=school.pk,
        rules=wanted,
        fired_on_or_before=today - datetime.timedelta(days=grace_days + 1),
    )
    if not triggers:
        return []
    named = ReturnedPupil.objects.filter(
        school_return__school=school,
        school_return__kind__in=set(wanted.values()),
        school_return__submitted_at__date__gte=min(t.start_date for t in triggers),
    ).values_list("school_return__kind", "school_return__submitted_at", "match__child_id", "upn")
    overdue = []
    for trigger in triggers:
        kind = wanted[Rule(trigger.rule)]
        child = trigger.child
        reported = any(
            returned_kind == kind
            and timezone.localtime(submitted).date() >= trigger.start_date
            and (child_id == child.pk or (bool(upn) and upn == child.upn))
            for returned_kind, submitted, child_id, upn in named
        )
        if reported:
            continue
        what = "Attendance" if kind == ReturnKind.ATTENDANCE else "Sickness"
        overdue.append(
            _overdue(
                kind,
                f"{what} return for {child.full_name}: {trigger.detail}",
                trigger.fired_on,
                today,
                grace_days,
            )
        )
    return overdue


JOINT_ENQUIRY_GROUNDS = ("h", "i")


@dataclass(frozen=True, slots=True)
class EarlyDeletion:
    """A name deleted under ground (h) or (i) without the authority's agreement dated on or
    before the deletion."""

    school: School
    child_id: int
    child_name: str
    ground: str
    deleted_on: datetime.date
    source: str  # "return" or "roll"


def deletion_agreements(*, user: Any) -> QuerySet[DeletionAgreement]:
    """A school's own requests; the CME team's every school's."""
    agreements = DeletionAgreement.objects.select_related("school", "child", "case")
    if user.role in {Role.CME_OFFICER, Role.CME_MANAGER}:
        return agreements
    if user.role == Role.SCHOOL_ATTENDANCE and user.school_id is not None:
        return agreements.filter(school_id=user.school_id)
    return agreements.none()


def deletion_agreement_for(*, user: Any, agreement_id: int) -> DeletionAgreement:
    try:
        return deletion_agreements(user=user).get(pk=agreement_id)
    except DeletionAgreement.DoesNotExist as missing:
        raise Http404("No such request") from missing


def early_deletions(school: School | None = None) -> list[EarlyDeletion]:
    """Deletions under ground (h) or (i), from a deletion return or a roll removal, made
    before the authority agreed (no agreement for that school and child dated on or before
    the deletion). For one school, or every school."""
    returned = ReturnedPupil.objects.filter(
        school_return__kind=ReturnKind.DELETION,
        school_return__school__isnull=False,
        deletion_ground__in=JOINT_ENQUIRY_GROUNDS,
        match__child__isnull=False,
        match__status__in=[IdentityMatch.Status.LINKED, IdentityMatch.Status.CONFIRMED],
        event_date__isnull=False,
    ).select_related("school_return__school", "match")
    ended = Enrolment.objects.filter(
        end_date__isnull=False, deletion_ground__in=JOINT_ENQUIRY_GROUNDS
    ).select_related("school", "child")
    if school is not None:
        returned = returned.filter(school_return__school=school)
        ended = ended.filter(school=school)
    deletions: dict[tuple[int, int], EarlyDeletion] = {}
    for pupil in returned:
        assert pupil.match is not None
        assert pupil.event_date is not None
        found = EarlyDeletion(
            school=pupil.school_return.school,  # type: ignore[arg-type]
            child_id=int(pupil.match.child_id),  # type: ignore[arg-type]
            child_name=pupil.full_name,
            ground=pupil.deletion_ground,
            deleted_on=pupil.event_date,
            source="return",
        )
        deletions.setdefault((found.school.pk, found.child_id), found)
    for enrolment in ended:
        assert enrolment.end_date is not None
        found = EarlyDeletion(
            school=enrolment.school,
            child_id=enrolment.child_id,
            child_name=f"{enrolment.child.forename} {enrolment.child.surname}",
            ground=enrolment.deletion_ground,
            deleted_on=enrolment.end_date,
            source="roll",
        )
        key = (found.school.pk, found.child_id)
        if key not in deletions or found.deleted_on < deletions[key].deleted_on:
            deletions[key] = found
    agreed: dict[tuple[int, int], datetime.date] = {}
    for school_id, child_id, agreed_on in DeletionAgreement.objects.filter(
        status=DeletionAgreement.Status.AGREED,
        child_id__in={key[1] for key in deletions},
    ).values_list("school_id", "child_id", "agreed_on"):
        key = (school_id, child_id)
        if agreed_on is not None:
            agreed[key] = min(agreed_on, agreed.get(key, agreed_on))
    return sorted(
        (
            deletion
            for key, deletion in deletions.items()
            if key not in agreed or agreed[key] > deletion.deleted_on
        ),
        key=lambda deletion: (deletion.school.name, deletion.deleted_on),
    )


def pupils_on_roll(*, user: Any) -> list[tuple[str, str]]:
    """The school's current pupils, as choices (id, name and date of birth), for asking
    agreement to delete one."""
    if user.school_id is None:
        return []
    children = (
        pupil_selectors.children_visible_to(user)
        .filter(enrolments__school_id=user.school_id, enrolments__end_date__isnull=True)
        .distinct()
        .order_by("surname", "forename", "pk")
    )
    return [
        (
            str(child.pk),
            f"{child.forename} {child.surname}"
            + (
                f", born {date_format(child.date_of_birth, 'j F Y')}" if child.date_of_birth else ""
            ),
        )
        for child in children
    ]


def pupil_on_roll(*, user: Any, child_id: int) -> Any:
    """One of the school's current pupils, else 404."""
    return pupil_selectors.access_child(user=user, child_id=child_id, purpose="Asked to delete")
