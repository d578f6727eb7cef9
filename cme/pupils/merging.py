"""Merging two records of the same child, and undoing a merge.

A merge re-points every row that belongs to the duplicate (found from the model's relations,
so a case, a referral, an attendance mark or any model added later follows without this app
knowing it) at the survivor, and keeps the duplicate, marked `merged_into`, so nothing is
lost. The `ChildMerge` row records exactly which rows moved: undoing the merge moves those,
and only those, back. Both are one transaction with an audit event on each child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any, Final

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent

from .models import Child, ChildMerge
from .selectors import IDENTIFYING_FIELDS, ChildRelation, child_field, child_relations

# A value only one child may hold: when the survivor takes it, the duplicate gives it up.
_HELD_BY_ONE_CHILD: Final = frozenset({"upn"})
_CHUNK: Final = 500


class MergeError(ValueError):
    """Records that cannot be merged (or a merge that cannot be undone); the message says why."""


def check_merge(*, survivor: Child, duplicate: Child) -> None:
    """Refuse a merge that can never be made, whatever is chosen on the way."""
    if survivor.pk == duplicate.pk:
        raise MergeError("A record cannot be merged into itself.")
    if duplicate.merged_into_id is not None:
        raise MergeError(
            f"Record {duplicate.pk} has already been merged into record {duplicate.merged_into_id}."
        )
    if survivor.merged_into_id is not None:
        raise MergeError(
            f"Record {survivor.pk} has been merged into record {survivor.merged_into_id}: "
            "merge into that record instead."
        )


def merge_children(
    *,
    actor: Any,
    survivor: Child,
    duplicate: Child,
    reason: str,
    take_from_duplicate: Collection[str] = frozenset(),
) -> ChildMerge:
    """Merge `duplicate` into `survivor`. The survivor keeps its own details except those named
    in `take_from_duplicate` (identifying fields), which it takes from the duplicate."""
    unknown = set(take_from_duplicate) - set(IDENTIFYING_FIELDS)
    if unknown:
        raise TypeError(f"Not identifying fields: {sorted(unknown)}")
    reason = reason.strip()
    if not reason:
        raise MergeError("Enter why these records are the same child")
    try:
        with transaction.atomic():
            survivor, duplicate = _lock(survivor.pk, duplicate.pk)
            check_merge(survivor=survivor, duplicate=duplicate)
            relations = child_relations()
            _refuse_clashes(relations, survivor=survivor, duplicate=duplicate)
            # The duplicate is locked FOR UPDATE, which also blocks any row being pointed at
            # it meanwhile (a foreign-key check locks the row it points at): the rows counted
            # here are exactly the rows the update moves.
            moved: list[dict[str, Any]] = []
            for relation in relations:
                rows = relation.rows_of(duplicate)
                pks = list(rows.order_by("pk").values_list("pk", flat=True))
                if pks:
                    rows.update(**{relation.field.name: survivor})
                    moved.extend(
                        {"model": relation.label, "field": relation.field.name, "pk": _json_pk(pk)}
                        for pk in pks
                    )

            taken = [
                name
                for name in IDENTIFYING_FIELDS
                if name in take_from_duplicate
                and getattr(survivor, name) != getattr(duplicate, name)
            ]
            survivor_before = {name: getattr(survivor, name) for name in taken}
            survivor_after = {name: getattr(duplicate, name) for name in taken}
            duplicate_before = {
                name: getattr(duplicate, name)
                for name in taken
                if name in _HELD_BY_ONE_CHILD and getattr(duplicate, name)
            }

            # The duplicate gives up what only one child may hold before the survivor takes it.
            for name in duplicate_before:
                setattr(duplicate, name, "")
            duplicate.merged_into = survivor
            duplicate.save(update_fields=["merged_into", *duplicate_before, "updated_at"])
            for name, value in survivor_after.items():
                setattr(survivor, name, value)
            # Saved even when no detail changed: `updated_at` tells the identity-matching
            # register that the child's addresses and history have changed.
            survivor.save(update_fields=[*taken, "updated_at"])

            merge = ChildMerge.objects.create(
                survivor=survivor,
                duplicate=duplicate,
                merged_at=timezone.now(),
                merged_by=_user_or_none(actor),
                reason=reason,
                moved=moved,
                survivor_before={k: audit.json_safe(v) for k, v in survivor_before.items()},
                duplicate_before={k: audit.json_safe(v) for k, v in duplicate_before.items()},
            )
            details = {
                "merge": merge.pk,
                "survivor": survivor.pk,
                "duplicate": duplicate.pk,
                "reason": reason,
                "moved": _describe(moved),
            }
            audit.record_event(
                kind=AuditEvent.Kind.CHILD_MERGED,
                actor=actor,
                subject=survivor,
                child_id=survivor.pk,
                summary=f"Record {duplicate.pk} merged into this record: "
                f"{_count(len(moved), 'linked record')} moved here",
                changes=audit.field_changes(survivor_before, survivor_after),
                details={**details, "taken_from_duplicate": taken},
            )
            audit.record_event(
                kind=AuditEvent.Kind.CHILD_MERGED,
                actor=actor,
                subject=duplicate,
                child_id=duplicate.pk,
                summary=f"Merged into record {survivor.pk}: "
                f"{_count(len(moved), 'linked record')} moved there",
                changes=audit.field_changes(
                    {"merged_into": None, **duplicate_before},
                    {"merged_into": survivor.pk, **dict.fromkeys(duplicate_before, "")},
                ),
                details=details,
            )
    except IntegrityError as clash:
        raise MergeError(
            "These records cannot be merged: a record linked to each would break a rule that "
            "only one child may have it. Close, end or link one of them first, then merge."
        ) from clash
    return merge


def unmerge_children(*, actor: Any, merge: ChildMerge) -> ChildMerge:
    """Undo `merge`: the rows it moved go back to the duplicate (rows added to the survivor
    since stay), the survivor's replaced details are restored, and the duplicate is a record
    of its own again."""
    try:
        with transaction.atomic():
            merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
            survivor, duplicate = _lock(merge.survivor_id, merge.duplicate_id)
            if merge.unmerged_at is not None:
                raise MergeError("This merge has already been undone.")
            if survivor.merged_into_id is not None:
                raise MergeError(
                    f"Record {survivor.pk} has since been merged into record "
                    f"{survivor.merged_into_id}: undo that merge first."
                )
            moved_back, not_found = _move_back(merge.moved, survivor=survivor, to=duplicate)

            # The survivor gives back what only one child may hold before the duplicate has it.
            restored = {
                name: _from_json(name, value) for name, value in merge.survivor_before.items()
            }
            survivor_now = {name: getattr(survivor, name) for name in restored}
            for name, value in restored.items():
                setattr(survivor, name, value)
            survivor.save(update_fields=[*restored, "updated_at"])
            released = {
                name: _from_json(name, value) for name, value in merge.duplicate_before.items()
            }
            for name, value in released.items():
                setattr(duplicate, name, value)
            duplicate.merged_into = None
            duplicate.save(update_fields=["merged_into", *released, "updated_at"])

            merge.unmerged_at = timezone.now()
            merge.unmerged_by = _user_or_none(actor)
            merge.save(update_fields=["unmerged_at", "unmerged_by"])
            details = {
                "merge": merge.pk,
                "survivor": survivor.pk,
                "duplicate": duplicate.pk,
                "moved_back": _describe(moved_back),
                "not_moved_back": _describe(not_found),
            }
            audit.record_event(
                kind=AuditEvent.Kind.CHILD_UNMERGED,
                actor=actor,
                subject=survivor,
                child_id=survivor.pk,
                summary=f"Merge of record {duplicate.pk} undone: "
                f"{_count(len(moved_back), 'linked record')} moved back",
                changes=audit.field_changes(survivor_now, restored),
                details=details,
            )
            audit.record_event(
                kind=AuditEvent.Kind.CHILD_UNMERGED,
                actor=actor,
                subject=duplicate,
                child_id=duplicate.pk,
                summary=f"No longer merged into record {survivor.pk}: "
                f"{_count(len(moved_back), 'linked record')} moved back here",
                changes=audit.field_changes(
                    {"merged_into": survivor.pk, **dict.fromkeys(released, "")},
                    {"merged_into": None, **released},
                ),
                details=details,
            )
    except IntegrityError as clash:
        raise MergeError(
            "This merge cannot be undone: a record would then break a rule that only one child "
            "may have it (for example, the UPN is now another child's). Resolve that first."
        ) from clash
    return merge


def _lock(*ids: int) -> tuple[Child, Child]:
    # In id order, so two merges of the same pair cannot deadlock.
    locked = {
        child.pk: child
        for child in Child.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    first, second = ids
    return locked[first], locked[second]


def _refuse_clashes(
    relations: Iterable[ChildRelation], *, survivor: Child, duplicate: Child
) -> None:
    """Refuse, with the reason, a merge after which a child would hold two rows where a
    uniqueness rule allows one (two enrolments from the same day at the same school; two open
    cases, if the register held that as a constraint). Rules written as expressions are not
    checked here: the database still holds them, and the merge is then refused as a whole."""
    for relation in relations:
        model = relation.model
        manager = model._base_manager
        for others, condition, rule in _uniqueness_rules(model, relation.field):
            theirs, ours = relation.rows_of(duplicate), relation.rows_of(survivor)
            if condition is not None:
                theirs, ours = theirs.filter(condition), ours.filter(condition)
            if others:
                # As in SQL, rows with a NULL in the rule never clash.
                keys = {tuple(key) for key in ours.values_list(*others) if None not in key}
                clash_pk = next(
                    (pk for pk, *key in theirs.values_list("pk", *others) if tuple(key) in keys),
                    None,
                )
                clash = None if clash_pk is None else manager.get(pk=clash_pk)
            else:
                clash = theirs.first() if ours.exists() else None
            if clash is not None:
                meta = model._meta
                same = " and ".join(
                    str(getattr(meta.get_field(name), "verbose_name", name)) for name in others
                )
                raise MergeError(
                    f"Both records have {meta.verbose_name_plural}"
                    + (f" with the same {same}" if same else "")
                    + f", which only one child may have (the rule “{rule}”). Close, end or "
                    "link one of them first, then merge the records."
                )


def _uniqueness_rules(
    model: type[models.Model], field: models.ForeignKey[Any, Any]
) -> list[tuple[tuple[str, ...], Q | None, str]]:
    """The uniqueness rules on `model` that include `field`: the other fields in each, its
    condition and its name."""
    names = {field.name, field.attname}
    rules: list[tuple[tuple[str, ...], Q | None, str]] = []
    if field.unique:
        rules.append(((), None, f"one {model._meta.verbose_name} per child"))
    rules.extend(
        (tuple(f for f in together if f not in names), None, " and ".join(together))
        for together in model._meta.unique_together
        if names & set(together)
    )
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        if not names & set(constraint.fields):
            continue  # includes rules written as expressions: the database still holds them
        others = tuple(f for f in constraint.fields if f not in names)
        rules.append((others, constraint.condition, constraint.name))
    return rules


def _move_back(
    moved: list[dict[str, Any]], *, survivor: Child, to: Child
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Move the rows a merge moved back to the duplicate, if they still belong to the survivor.
    Returns the rows moved back and those not found (deleted, or moved on since)."""
    by_relation: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in moved:
        by_relation[(row["model"], row["field"])].append(row["pk"])
    moved_back: list[dict[str, Any]] = []
    not_found: list[dict[str, Any]] = []
    for (label, field), pks in by_relation.items():
        try:
            manager = apps.get_model(label)._base_manager
        except LookupError:
            not_found.extend({"model": label, "field": field, "pk": pk} for pk in pks)
            continue
        for start in range(0, len(pks), _CHUNK):
            chunk = pks[start : start + _CHUNK]
            rows = manager.filter(pk__in=chunk, **{field: survivor})
            found = {_json_pk(pk) for pk in rows.values_list("pk", flat=True)}
            rows.update(**{field: to})
            for pk in chunk:
                entry = {"model": label, "field": field, "pk": pk}
                (moved_back if pk in found else not_found).append(entry)
    return moved_back, not_found


def _from_json(name: str, value: Any) -> Any:
    return child_field(name).to_python(value)


def _json_pk(pk: Any) -> Any:
    return pk if isinstance(pk, int | str) else str(pk)


def _describe(rows: Iterable[dict[str, Any]]) -> list[str]:
    return [f"{row['model']} {row['pk']} ({row['field']})" for row in rows]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
