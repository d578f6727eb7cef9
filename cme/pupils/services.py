"""Writes to the pupil register. Each is atomic and records its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cme.audit import services as audit
from cme.audit.models import AuditEvent

from .models import Address, Child, Contact, Enrolment, LocalAuthority, Locality, School

CHILD_FIELDS = (
    "forename",
    "middle_names",
    "surname",
    "former_surnames",
    "preferred_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "upn",
    "former_upn",
    "nhs_number",
    "sen_status",
    "looked_after",
    "vulnerability_flags",
)

SCHOOL_FIELDS = (
    "local_authority",
    "establishment_number",
    "laestab",
    "name",
    "school_type",
    "type_name",
    "phase",
    "status",
    "postcode",
)


def _snapshot(instance: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def create_child(*, actor: Any, source: str = "", **fields: Any) -> Child:
    """Add a child to the register."""
    unknown = set(fields) - set(CHILD_FIELDS) - {"household"}
    if unknown:
        raise TypeError(f"Unknown child fields: {sorted(unknown)}")
    with transaction.atomic():
        child = Child.objects.create(**fields)
        _child_created(actor=actor, child=child, source=source)
    return child


def _child_created(*, actor: Any, child: Child, source: str) -> None:
    audit.record_event(
        kind=AuditEvent.Kind.CHILD_CREATED,
        actor=actor,
        subject=child,
        child_id=child.pk,
        summary="Child added to the register" + (f" from {source}" if source else ""),
        changes=audit.field_changes({}, _snapshot(child, CHILD_FIELDS)),
    )


def update_child(*, actor: Any, child: Child, source: str = "", **fields: Any) -> bool:
    """Change a child's details; returns whether anything changed. Unchanged calls write nothing."""
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown child fields: {sorted(unknown)}")
    before = _snapshot(child, tuple(fields))
    changes = audit.field_changes(before, fields)
    if not changes:
        return False
    with transaction.atomic():
        for name, value in fields.items():
            setattr(child, name, value)
        child.save(update_fields=[*fields, "updated_at"])
        audit.record_event(
            kind=AuditEvent.Kind.CHILD_UPDATED,
            actor=actor,
            subject=child,
            child_id=child.pk,
            summary="Child's details changed" + (f" from {source}" if source else ""),
            changes=changes,
        )
    return True


def record_enrolment(
    *,
    actor: Any,
    child: Child,
    school: School,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    leaving_reason: str = "",
) -> tuple[Enrolment, bool]:
    """Record that a child is (or was) on a school's roll. Idempotent on (child, school, start):
    returns the enrolment and whether anything was written."""
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            child=child,
            school=school,
            start_date=start_date,
            defaults={"end_date": end_date, "leaving_reason": leaving_reason},
        )
        if created:
            _enrolment_created(actor=actor, enrolment=enrolment, child=child, school=school)
            return enrolment, True
        changes = audit.field_changes(
            {"end_date": enrolment.end_date, "leaving_reason": enrolment.leaving_reason},
            {"end_date": end_date, "leaving_reason": leaving_reason or enrolment.leaving_reason},
        )
        if not changes:
            return enrolment, False
        enrolment.end_date = end_date
        enrolment.leaving_reason = leaving_reason or enrolment.leaving_reason
        enrolment.save(update_fields=["end_date", "leaving_reason"])
        audit.record_event(
            kind=AuditEvent.Kind.ENROLMENT_UPDATED,
            actor=actor,
            subject=enrolment,
            child_id=child.pk,
            summary=f"Enrolment at {school.name} changed",
            changes=changes,
        )
        return enrolment, True


def _enrolment_created(*, actor: Any, enrolment: Enrolment, child: Child, school: School) -> None:
    audit.record_event(
        kind=AuditEvent.Kind.ENROLMENT_CREATED,
        actor=actor,
        subject=enrolment,
        child_id=child.pk,
        summary=f"On roll at {school.name} from {enrolment.start_date:%d/%m/%Y}",
        details={
            "school": school.laestab,
            "start_date": enrolment.start_date,
            "end_date": enrolment.end_date,
        },
    )


def end_enrolment(
    *, actor: Any, enrolment: Enrolment, end_date: datetime.date, reason: str = ""
) -> bool:
    """Take a child off a school's roll from `end_date`: a removal, which roll-removal
    monitoring picks up. The leaving reason is left as it was, because a roll that simply no
    longer lists a pupil does not say why. Returns whether anything was written."""
    if end_date < enrolment.start_date:
        msg = f"an enrolment cannot end ({end_date}) before it starts ({enrolment.start_date})"
        raise ValueError(msg)
    if enrolment.end_date == end_date:
        return False
    with transaction.atomic():
        changes = audit.field_changes({"end_date": enrolment.end_date}, {"end_date": end_date})
        enrolment.end_date = end_date
        enrolment.save(update_fields=["end_date"])
        audit.record_event(
            kind=AuditEvent.Kind.ENROLMENT_UPDATED,
            actor=actor,
            subject=enrolment,
            child_id=enrolment.child_id,
            summary=f"Taken off the roll at {enrolment.school.name} from {end_date:%d/%m/%Y}"
            + (f": {reason}" if reason else ""),
            changes=changes,
            details={"removal": True, "school": enrolment.school.laestab, "reason": reason},
        )
    return True


def record_address(
    *,
    actor: Any,
    child: Child,
    line_1: str,
    postcode: str,
    line_2: str = "",
    town: str = "",
    moved_in: datetime.date | None = None,
    source: str = "",
) -> tuple[Address, bool]:
    """Record where a child lives now. A new address closes the previous current one, so the
    history is kept; the same address again writes nothing."""
    with transaction.atomic():
        current = child.addresses.filter(moved_out__isnull=True).first()
        if current and current.line_1 == line_1 and current.postcode == postcode:
            return current, False
        if current is not None:
            today = datetime.date.today()  # noqa: DTZ011 - a calendar date
            current.moved_out = max(moved_in or today, current.moved_in or datetime.date.min)
            current.save(update_fields=["moved_out"])
        address = Address.objects.create(
            child=child,
            line_1=line_1,
            line_2=line_2,
            town=town,
            postcode=postcode,
            moved_in=moved_in,
            source=source,
        )
        # The identity-matching register watches `updated_at` for changes to match against.
        child.save(update_fields=["updated_at"])
        _address_recorded(
            actor=actor,
            address=address,
            child=child,
            previous_postcode=current.postcode if current else "",
            source=source,
        )
        return address, True


def _address_recorded(
    *, actor: Any, address: Address, child: Child, previous_postcode: str, source: str
) -> None:
    audit.record_event(
        kind=AuditEvent.Kind.ADDRESS_RECORDED,
        actor=actor,
        subject=address,
        child_id=child.pk,
        summary="New address recorded" + (f" from {source}" if source else ""),
        details={"postcode": address.postcode, "previous_postcode": previous_postcode},
    )


@dataclass(frozen=True)
class NewChildOnRoll:
    """A child not yet on the register, with their current address and an enrolment."""

    fields: Mapping[str, Any]
    school: School
    start_date: datetime.date
    end_date: datetime.date | None = None
    leaving_reason: str = ""
    address_line_1: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class ChildOnRoll:
    child: Child
    address: Address | None
    enrolment: Enrolment


def add_children_on_roll(
    *, actor: Any, pupils: Sequence[NewChildOnRoll], source: str = ""
) -> list[ChildOnRoll]:
    """Add new children, each with their address (if any) and an enrolment, as a roll import
    does for pupils not yet on the register. Writes the same rows and the same audit events,
    one per row written, as `create_child`, `record_address` and `record_enrolment` would, in
    one transaction. The rows are inserted in bulk and nothing is looked up first (a new child
    has no address or enrolment yet): an import adding thousands of pupils runs about twice
    as fast as through the single-row services."""
    for pupil in pupils:
        unknown = set(pupil.fields) - set(CHILD_FIELDS) - {"household"}
        if unknown:
            raise TypeError(f"Unknown child fields: {sorted(unknown)}")
    with transaction.atomic():
        children = Child.objects.bulk_create([Child(**pupil.fields) for pupil in pupils])
        if any(child.pk is None for child in children):
            msg = "the database did not return the new children's ids (SQLite 3.35+ needed)"
            raise RuntimeError(msg)
        housed = [
            (child, pupil)
            for child, pupil in zip(children, pupils, strict=True)
            if pupil.address_line_1 or pupil.postcode
        ]
        new_addresses = Address.objects.bulk_create(
            Address(
                child=child, line_1=pupil.address_line_1, postcode=pupil.postcode, source=source
            )
            for child, pupil in housed
        )
        addresses = {
            child.pk: address for (child, _), address in zip(housed, new_addresses, strict=True)
        }
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(
                child=child,
                school=pupil.school,
                start_date=pupil.start_date,
                end_date=pupil.end_date,
                leaving_reason=pupil.leaving_reason,
            )
            for child, pupil in zip(children, pupils, strict=True)
        )
        added = []
        for child, pupil, enrolment in zip(children, pupils, enrolments, strict=True):
            _child_created(actor=actor, child=child, source=source)
            address = addresses.get(child.pk)
            if address is not None:
                _address_recorded(
                    actor=actor, address=address, child=child, previous_postcode="", source=source
                )
            _enrolment_created(actor=actor, enrolment=enrolment, child=child, school=pupil.school)
            added.append(ChildOnRoll(child=child, address=address, enrolment=enrolment))
    return added


def record_contact(*, actor: Any, child: Child, **fields: Any) -> Contact:
    """Add a parent, carer or other contact for a child."""
    with transaction.atomic():
        contact = Contact.objects.create(child=child, **fields)
        audit.record_event(
            kind=AuditEvent.Kind.CONTACT_RECORDED,
            actor=actor,
            subject=contact,
            child_id=child.pk,
            summary=f"Contact recorded: {contact.get_relationship_display()}",
        )
    return contact


@dataclass(frozen=True)
class SchoolChange:
    school: School
    created: bool
    changed: bool


def upsert_school(*, actor: Any, urn: str, **fields: Any) -> SchoolChange:
    """Create or update a school by URN (the key that survives renames)."""
    unknown = set(fields) - set(SCHOOL_FIELDS) - {"locality"}
    if unknown:
        raise TypeError(f"Unknown school fields: {sorted(unknown)}")
    with transaction.atomic():
        school = School.objects.filter(urn=urn).first()
        if school is None:
            school = School.objects.create(urn=urn, **fields)
            audit.record_event(
                kind=AuditEvent.Kind.SCHOOL_CREATED,
                actor=actor,
                subject=school,
                summary=f"School added: {school.name}",
            )
            return SchoolChange(school=school, created=True, changed=True)
        changes = audit.field_changes(_snapshot(school, tuple(fields)), fields)
        if not changes:
            return SchoolChange(school=school, created=False, changed=False)
        for name, value in fields.items():
            setattr(school, name, value)
        school.save()
        audit.record_event(
            kind=AuditEvent.Kind.SCHOOL_UPDATED,
            actor=actor,
            subject=school,
            summary=f"School changed: {school.name}",
            changes=changes,
        )
        return SchoolChange(school=school, created=False, changed=True)


def ensure_local_authority(*, code: str, name: str = "", status: str = "") -> LocalAuthority:
    """Reference data: the authority with this DfE code, created from the code list if new."""
    authority, _ = LocalAuthority.objects.get_or_create(
        code=code, defaults={"name": name or f"Local authority {code}", "status": status}
    )
    return authority


def ensure_locality(*, name: str) -> Locality:
    locality, _ = Locality.objects.get_or_create(name=name)
    return locality
