"""Reads over the pupil register, each scoped to what the user's role may see.

`children_visible_to` is the one place that says which children a user may see; every list,
search, export and task over children goes through it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import ManyToOneRel, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from cme.accounts.models import Role
from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.standards.nhs_number import format_nhs_number, is_valid_nhs_number
from cme.standards.upn import normalise_upn

from .models import Child, ChildMerge, Enrolment, School, VulnerabilityFlag, WelfareConcern


def children_visible_to(user: Any) -> QuerySet[Child]:
    """The children `user` may see. A school sees its own pupils (and recent leavers, for
    its deletion returns); the CME team sees everyone; the SEND team children with an EHC
    plan. Roles whose scope comes from cases or referrals see none until those exist.
    A record merged into another is left out: the child is the surviving record."""
    return _children_in_scope(user).filter(merged_into__isnull=True)


def _children_in_scope(user: Any) -> QuerySet[Child]:
    """`children_visible_to`, merged records included."""
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


def access_child(
    *,
    user: Any,
    child_id: int,
    purpose: str = "Viewed the child's record",
    follow_merges: bool = True,
) -> Child:
    """The child if `user` may see them, else 404 exactly as if they did not exist.
    The read is recorded in the access log.

    The id of a record merged into another gives the surviving record (check `child.pk`
    against `child_id`), if `user` may see that one: an old link, bookmark or case note still
    leads to the child. With `follow_merges=False` a merged record is given as itself, for the
    pages that merge records and undo merges."""
    try:
        if follow_merges:
            child = _survivor_visible_to(user, child_id)
        else:
            child = _children_in_scope(user).get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such child") from missing
    if child.pk != child_id:
        purpose = f"{purpose} (through merged record {child_id})"
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=child,
        child_id=child.pk,
        purpose=purpose,
    )
    return child


# A merged record's survivor can itself be merged later; no real chain is longer than this.
_MAX_MERGE_HOPS = 20


def _survivor_visible_to(user: Any, child_id: int) -> Child:
    visible = children_visible_to(user)
    try:
        return visible.get(pk=child_id)
    except Child.DoesNotExist:
        pass
    target = child_id
    for _ in range(_MAX_MERGE_HOPS):
        survivor_id = (
            Child.objects.filter(pk=target, merged_into__isnull=False)
            .values_list("merged_into_id", flat=True)
            .first()
        )
        if survivor_id is None:
            break
        found = visible.filter(pk=survivor_id).first()
        if found is not None:
            return found
        target = survivor_id
    raise Child.DoesNotExist


def search_children(*, user: Any, query: str, limit: int = 50) -> list[Child]:
    """`children_matching_words`, with the search logged."""
    found = children_matching_words(user=user, query=query, limit=limit)
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.SEARCH,
        purpose="Searched the pupil register",
        query=query,
        result_count=len(found),
    )
    return found


def children_matching_words(*, user: Any, query: str, limit: int = 50) -> list[Child]:
    """Children matching a name, UPN or date of birth typed by a member of staff (not logged:
    the caller logs the search it makes of this).

    Exact UPN (current or former) first; otherwise every word must match the start of a
    forename, surname or former surname, or a date of birth written DD/MM/YYYY."""
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
    return list(results.order_by("surname", "forename", "id")[:limit]) if terms else []


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
        "merges": merge_history(child=child),
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


# The details that say who a child is: on a merge the officer may take each from the duplicate.
IDENTIFYING_FIELDS = (
    "forename",
    "middle_names",
    "surname",
    "former_surnames",
    "preferred_name",
    "date_of_birth",
    "sex",
    "upn",
    "former_upn",
    "nhs_number",
)


@dataclass(frozen=True)
class ChildRelation:
    """A foreign key (or one-to-one field) `field`, on `model`, that points at a child."""

    model: type[models.Model]
    field: models.ForeignKey[Any, Any]

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_of(self, child: Child) -> QuerySet[Any]:
        """Every row of `model` that belongs to `child`, whatever its default manager hides."""
        return self.model._base_manager.filter(**{self.field.name: child})


def child_relations() -> list[ChildRelation]:
    """Every foreign key and one-to-one field, in any app, that points at a child: the rows that
    belong to a child and follow it when records are merged. Hidden relations (`related_name=
    "+"`, many-to-many tables) are included; the merge's own bookkeeping (`ChildMerge`,
    `Child.merged_into`) is not."""
    return [
        ChildRelation(model=relation.field.model, field=relation.field)
        for relation in Child._meta.get_fields(include_hidden=True)
        if isinstance(relation, ManyToOneRel)
        and relation.field.model is not ChildMerge
        and not (relation.field.model is Child and relation.field.name == "merged_into")
    ]


@dataclass(frozen=True)
class RelatedRows:
    label: str
    count: int


def related_row_counts(*, child: Child) -> list[RelatedRows]:
    """How many rows of each kind belong to `child` (cases, referrals, addresses …), for the
    page that confirms a merge."""
    counts = []
    for relation in child_relations():
        count = relation.rows_of(child).count()
        if count:
            meta = relation.model._meta
            label = str(meta.verbose_name if count == 1 else meta.verbose_name_plural)
            counts.append(RelatedRows(label=label, count=count))
    return counts


def likely_duplicates(*, user: Any, child: Child, limit: int = 10) -> list[Child]:
    """Other children `user` can see with the same date of birth and surname, or the same UPN
    or NHS number: the records most likely to be this child again."""
    same = Q()
    if child.date_of_birth is not None:
        same |= Q(date_of_birth=child.date_of_birth, surname__iexact=child.surname)
    if child.upn:
        same |= Q(former_upn=child.upn)
    if child.former_upn:
        same |= Q(upn=child.former_upn)
    if child.nhs_number:
        same |= Q(nhs_number=child.nhs_number)
    if not same:
        return []
    return list(
        children_visible_to(user)
        .filter(same)
        .exclude(pk=child.pk)
        .order_by("surname", "forename", "id")[:limit]
    )


def merge_history(*, child: Child) -> list[ChildMerge]:
    """The records merged into `child`, newest first, undone ones included."""
    return list(
        ChildMerge.objects.filter(survivor=child).select_related(
            "duplicate", "merged_by", "unmerged_by"
        )
    )


def access_merge(*, child: Child, merge_id: int) -> ChildMerge:
    """One of the merges into `child` (whose access has been checked), else 404."""
    try:
        return ChildMerge.objects.select_related("duplicate", "survivor").get(
            pk=merge_id, survivor=child
        )
    except (ChildMerge.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such merge") from missing


@dataclass(frozen=True)
class FieldComparison:
    name: str
    label: str
    survivor_value: str
    duplicate_value: str

    @property
    def differs(self) -> bool:
        return self.survivor_value != self.duplicate_value


def _display(child: Child, name: str) -> str:
    value = getattr(child, name)
    if name == "sex":
        return str(child.get_sex_display())
    if name == "nhs_number" and is_valid_nhs_number(value):
        return format_nhs_number(value)
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return "" if value is None else str(value)


def child_field(name: str) -> models.Field[Any, Any]:
    field = Child._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"Child.{name} is not a field")
    return field


def _sentence_case(label: str) -> str:
    return label[:1].upper() + label[1:]


def merge_comparison(*, survivor: Child, duplicate: Child) -> list[FieldComparison]:
    """The two records' identifying details side by side, ready to show."""
    return [
        FieldComparison(
            name=name,
            label=_sentence_case(str(child_field(name).verbose_name)),
            survivor_value=_display(survivor, name),
            duplicate_value=_display(duplicate, name),
        )
        for name in IDENTIFYING_FIELDS
    ]
