"""Reads for school transfers: received files, the worklist, the Lost Pupil Database search,
and a child's transfer data, including the CTF pupil an export writes.

The CTF pages are for the CME team, who may see every child (`pupils.selectors`); every read
of a file, a lost pupil or a worklist item is written to the access log, because each holds
a child's details.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from django.http import Http404

from cme.audit import services as audit
from cme.audit.models import AccessEvent
from cme.linkage.index import RegisterIndex
from cme.linkage.linker import Linker
from cme.linkage.records import parse_record
from cme.matching.register import query_record
from cme.matching.selectors import readable_percent
from cme.matching.services import active_model
from cme.pupils import selectors as pupil_selectors
from cme.pupils.importers import name_key
from cme.pupils.models import Child, Contact, SchoolStatus, SenStatus
from cme.pupils.models import School as RegisterSchool
from cme.standards.la_codes import load_la_codes

from .ctf.document import (
    Address,
    AttendanceYear,
    Pupil,
    SchoolHistoryEntry,
    SenEntry,
    SenNeed,
)
from .ctf.document import Contact as CtfContact
from .ctf.document import Phone as CtfPhone
from .ctf.reader import CtfRefused, read_pupil_xml
from .models import (
    LOST_PUPIL_DESTINATIONS,
    CtfAttendanceTotals,
    CtfFile,
    CtfImportRun,
    CtfPupil,
    CtfSenHistory,
    RollWorkItem,
    S2sInboxRun,
    TransferWorkItem,
)

# CBDS relationship codes (spec §1.8) → the register's relationships.
RELATIONSHIP_FROM_CTF: Final = {
    "PAM": Contact.Relationship.MOTHER,
    "PAF": Contact.Relationship.FATHER,
    "STM": Contact.Relationship.STEP_PARENT,
    "STF": Contact.Relationship.STEP_PARENT,
    "FOM": Contact.Relationship.FOSTER_CARER,
    "FOF": Contact.Relationship.FOSTER_CARER,
    "FAM": Contact.Relationship.OTHER_RELATIVE,
    "REL": Contact.Relationship.OTHER_RELATIVE,
    "SWR": Contact.Relationship.SOCIAL_WORKER,
}
# The other way, for contacts that did not come from a CTF (the codes that carry a sex are
# used only where the register's relationship says it).
RELATIONSHIP_TO_CTF: Final = {
    Contact.Relationship.MOTHER: "PAM",
    Contact.Relationship.FATHER: "PAF",
    Contact.Relationship.STEP_PARENT: "OTH",
    Contact.Relationship.GRANDPARENT: "REL",
    Contact.Relationship.FOSTER_CARER: "CAR",
    Contact.Relationship.OTHER_RELATIVE: "REL",
    Contact.Relationship.SOCIAL_WORKER: "SWR",
    Contact.Relationship.OTHER: "OTH",
}
# SEN provision codes → the register's SEN status. A (School Action), P (School Action Plus)
# and S (statement) are the codes before the 2014 reforms; their successors are SEN support
# and the EHC plan.
SEN_STATUS_FROM_CTF: Final = {
    "N": SenStatus.NONE,
    "K": SenStatus.SEN_SUPPORT,
    "A": SenStatus.SEN_SUPPORT,
    "P": SenStatus.SEN_SUPPORT,
    "E": SenStatus.EHC_PLAN,
    "S": SenStatus.EHC_PLAN,
}
SEN_STATUS_TO_CTF: Final = {
    SenStatus.NONE: "N",
    SenStatus.SEN_SUPPORT: "K",
    SenStatus.EHC_PLAN: "E",
}
# The outcomes of pupils whose details went into the register (not lost-pupil files).
REGISTER_OUTCOMES: Final = (
    CtfPupil.Outcome.CREATED,
    CtfPupil.Outcome.UPDATED,
    CtfPupil.Outcome.UNCHANGED,
)
_STATUS_PREFERENCE: Final = {
    SchoolStatus.OPEN: 3,
    SchoolStatus.PROPOSED_TO_CLOSE: 2,
    SchoolStatus.PROPOSED_TO_OPEN: 1,
    SchoolStatus.CLOSED: 0,
}


def authority_name(code: str) -> str:
    """An LA's name from the bundled DfE code list, or the code itself."""
    entry = load_la_codes().get(code)
    return entry.name if entry is not None else code


def schools_by_laestab(laestabs: Iterable[str]) -> dict[str, RegisterSchool]:
    """The register's school for each LAESTAB it knows: where schools share one over time,
    the open one, then the newest URN (as the pupil importer decides)."""
    found: dict[str, RegisterSchool] = {}
    for school in RegisterSchool.objects.filter(laestab__in=set(laestabs)):
        best = found.get(school.laestab)
        if best is None or _preference(school) > _preference(best):
            found[school.laestab] = school
    return found


def _preference(school: RegisterSchool) -> tuple[int, int, str]:
    return _STATUS_PREFERENCE.get(SchoolStatus(school.status), 0), len(school.urn), school.urn


def latest_sen_status(entries: Sequence[SenEntry]) -> SenStatus | None:
    """The SEN status the newest provision gives (None if no entry has a known code)."""
    dated = sorted(
        (entry for entry in entries if entry.provision in SEN_STATUS_FROM_CTF),
        key=lambda entry: entry.start_date or datetime.date.min,
    )
    return SEN_STATUS_FROM_CTF[dated[-1].provision] if dated else None


# --- Files ---------------------------------------------------------------------------------


def ctf_files() -> QuerySet[CtfFile]:
    """Received files, newest first, without their bytes."""
    return CtfFile.objects.defer("content").order_by("-received_at", "-id")


def _ctf_file(file_id: int) -> CtfFile:
    try:
        return CtfFile.objects.defer("content").get(pk=file_id)
    except (CtfFile.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such file") from missing


def access_ctf_file(*, user: Any, file_id: int) -> CtfFile:
    """One received file, or 404; the read is logged (a CTF holds children's details)."""
    ctf_file = _ctf_file(file_id)
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=ctf_file,
        purpose="Viewed a received CTF",
    )
    return ctf_file


def ctf_file_content(*, ctf_file: CtfFile) -> bytes:
    return bytes(CtfFile.objects.values_list("content", flat=True).get(pk=ctf_file.pk))


def download_ctf_file(*, user: Any, file_id: int) -> tuple[str, bytes]:
    """A kept file's name and bytes, to download; 404 if it was not kept (too large). The
    download is logged."""
    ctf_file = _ctf_file(file_id)
    content = ctf_file_content(ctf_file=ctf_file)
    if not content:
        raise Http404("The file was not kept")
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.DOWNLOAD,
        subject=ctf_file,
        purpose="Downloaded a received CTF",
    )
    return ctf_file.name, content


def ctf_file_page(*, ctf_file: CtfFile) -> dict[str, Any]:
    """What the file's page shows: its pupils (with the register child each is), its runs."""
    kept = (
        CtfFile.objects.filter(pk=ctf_file.pk)
        .annotate(length=Length("content"))
        .values_list("length", flat=True)
        .get()
    )
    return {
        "ctf_file": ctf_file,
        "kept": bool(kept),
        "pupils": list(
            ctf_file.pupils.select_related("child", "identity_match").order_by("position")
        ),
        "runs": list(CtfImportRun.objects.filter(file=ctf_file).select_related("run_by")[:20]),
        "source_authority": authority_name(ctf_file.source_lea),
    }


# --- The worklist and the Lost Pupil Database ------------------------------------------------


@dataclass(frozen=True)
class WorkItemRow:
    item: TransferWorkItem
    pupil: CtfPupil
    from_authority: str
    waiting_days: int


def worklist(*, today: datetime.date, show_done: bool = False) -> list[WorkItemRow]:
    """Lost pupils to deal with, oldest first: what each is, who sent it, how long it has
    waited and who is dealing with it."""
    items = TransferWorkItem.objects.select_related(
        "lost_pupil__file", "child", "assigned_to"
    ).order_by("created_at", "id")
    if not show_done:
        items = items.filter(status=TransferWorkItem.Status.OPEN)
    return [
        WorkItemRow(
            item=item,
            pupil=item.lost_pupil,
            from_authority=authority_name(item.lost_pupil.file.source_lea),
            waiting_days=max(0, (today - item.created_at.date()).days),
        )
        for item in items[:500]
    ]


def access_work_item(*, user: Any, item_id: int) -> TransferWorkItem:
    try:
        item = TransferWorkItem.objects.select_related(
            "lost_pupil__file", "lost_pupil__identity_match", "child", "assigned_to"
        ).get(pk=item_id)
    except (TransferWorkItem.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such item") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=item,
        child_id=item.child_id,
        purpose="Viewed a lost pupil on the transfer worklist",
    )
    return item


def lost_pupils() -> QuerySet[CtfPupil]:
    """The Lost Pupil Database store: pupils of imported X and M files, not rejected."""
    return (
        CtfPupil.objects.filter(
            file__destination__in=LOST_PUPIL_DESTINATIONS, file__status=CtfFile.Status.IMPORTED
        )
        .exclude(outcome=CtfPupil.Outcome.REJECTED)
        .select_related("file")
    )


def access_lost_pupil(*, user: Any, pupil_id: int) -> CtfPupil:
    try:
        pupil = lost_pupils().select_related("identity_match", "child").get(pk=pupil_id)
    except (CtfPupil.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404("No such lost pupil") from missing
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.VIEW,
        subject=pupil,
        child_id=pupil.child_id,
        purpose="Viewed a pupil in the Lost Pupil Database",
    )
    return pupil


@dataclass(frozen=True)
class LostPupilResult:
    """A lost pupil who may be the child searched for, with the engine's reasons."""

    pupil: CtfPupil
    probability: float
    decision: str
    reasons: tuple[str, ...]
    from_authority: str

    @property
    def percent(self) -> str:
        return readable_percent(self.probability)


def _lost_pupil_record(pupil: CtfPupil) -> dict[str, str]:
    return {
        "id": str(pupil.pk),
        "forename": pupil.forename,
        "middle_names": pupil.middle_names,
        "surname": pupil.surname,
        "former_surname": pupil.former_surnames,
        "dob": pupil.date_of_birth.isoformat() if pupil.date_of_birth else "",
        "sex": pupil.sex if pupil.sex in {"M", "F"} else "",
        "postcode": pupil.postcode,
        "address": pupil.address,
        "upn": pupil.upn,
    }


def search_lost_pupils(*, user: Any, details: dict[str, str], query: str) -> list[LostPupilResult]:
    """ "Has anyone lost this child?": the lost pupils the identity-matching engine ranks for
    `details` (linkage column names), best first. The index is built over the store for each
    search: it holds hundreds of pupils, not the register's million. The search is logged."""
    store = list(lost_pupils())
    results: list[LostPupilResult] = []
    if store:
        records = [parse_record(_lost_pupil_record(pupil))[0] for pupil in store]
        model, _version = active_model()
        linker = Linker(RegisterIndex.from_records(records), model)
        by_id = {str(pupil.pk): pupil for pupil in store}
        for match in linker.match(query_record(details)):
            pupil = by_id[match.record.id]
            strongest = [
                line for line in match.explanation.lines if line.counted and line.weight > 0
            ]
            results.append(
                LostPupilResult(
                    pupil=pupil,
                    probability=match.candidate.pair.probability,
                    decision=match.candidate.decision.value,
                    reasons=tuple(f"{line.label}: {line.outcome}" for line in strongest[:3]),
                    from_authority=authority_name(pupil.file.source_lea),
                )
            )
    audit.record_access(
        actor=user,
        action=AccessEvent.Action.SEARCH,
        purpose="Searched the Lost Pupil Database",
        query=query[:500],
        result_count=len(results),
    )
    return results


def details_of_child(child: Child) -> dict[str, str]:
    """A register child's identifying details in linkage column names (to search with)."""
    address = child.addresses.filter(moved_out__isnull=True).first()
    return {
        "forename": child.forename,
        "middle_names": child.middle_names,
        "surname": child.surname,
        "former_surname": child.former_surnames,
        "dob": child.date_of_birth.isoformat() if child.date_of_birth else "",
        "sex": child.sex if child.sex in {"M", "F"} else "",
        "postcode": address.postcode if address else "",
        "upn": child.upn,
    }


def inbox_last_run() -> S2sInboxRun | None:
    return S2sInboxRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()


# --- A child's transfers, and the CTF pupil an export writes ---------------------------------


def child_transfers(*, child: Child) -> dict[str, Any]:
    """The transfer data held about a child: the CTFs about them, the attendance totals and
    SEN history those gave, and lost-pupil worklist items."""
    return {
        "received": list(
            child.ctf_pupils.select_related("file").order_by("-file__received_at", "-id")[:50]
        ),
        "attendance": list(CtfAttendanceTotals.objects.filter(child=child)),
        "sen_history": CtfSenHistory.objects.filter(child=child).first(),
        "work_items": list(child.transfer_work_items.select_related("lost_pupil__file")),
    }


def _latest_register_pupil(child: Child, today: datetime.date) -> Pupil | None:
    """The newest CTF pupil imported into this child's record, read back from its XML."""
    stored = (
        child.ctf_pupils.filter(outcome__in=REGISTER_OUTCOMES)
        .exclude(file__destination__in=LOST_PUPIL_DESTINATIONS)
        .order_by("-file__received_at", "-id")
        .first()
    )
    if stored is None:
        return None
    try:
        return read_pupil_xml(stored.raw_xml, today=today)
    except CtfRefused:
        return None


def _ctf_contact(contact: Contact, received: dict[str, CtfContact], order: int) -> CtfContact:
    known = received.get(name_key(contact.full_name))
    if known is not None:
        return known
    words = contact.full_name.split()
    return CtfContact(
        order=order,
        forename=words[0] if len(words) > 1 else "",
        middle_names=" ".join(words[1:-1]),
        surname=words[-1] if words else "",
        relationship=RELATIONSHIP_TO_CTF.get(Contact.Relationship(contact.relationship), "OTH"),
        responsibility=contact.parental_responsibility,
        address_as_pupil=contact.lives_with_child,
        phones=(CtfPhone(telephone_type="", number=contact.phone),) if contact.phone else (),
        email=contact.email,
    )


def ctf_pupil_for_child(*, child: Child, today: datetime.date) -> Pupil:
    """The child as a CTF `Pupil`: the register's details (identity, current address,
    contacts, enrolments, SEN status) with the CTF-only data (attendance totals, SEN history,
    schools outside the register, and every element the service keeps verbatim) from the CTFs
    imported into the child's record. Exporting a child imported from a CTF gives back what
    was imported."""
    received = _latest_register_pupil(child, today)
    address = child.addresses.filter(moved_out__isnull=True).order_by("-moved_in", "-id").first()
    received_contacts = {name_key(c.full_name): c for c in received.contacts} if received else {}
    contacts = tuple(
        _ctf_contact(contact, received_contacts, order)
        for order, contact in enumerate(child.contacts.order_by("id"), start=1)
    )
    enrolments = list(child.enrolments.select_related("school").order_by("start_date", "id"))
    history = [
        SchoolHistoryEntry(
            lea=e.school.laestab[:3],
            estab=e.school.laestab[3:],
            school_name=e.school.name,
            entry_date=e.start_date,
            leaving_date=e.end_date,
            leaving_reason=e.leaving_reason,
        )
        for e in enrolments
    ]
    in_register = {(entry.laestab, entry.entry_date) for entry in history}
    if received is not None:
        history += [
            entry
            for entry in received.school_history
            if (entry.laestab, entry.entry_date) not in in_register
        ]
    history.sort(key=lambda entry: entry.entry_date or datetime.date.min)
    sen_record = CtfSenHistory.objects.filter(child=child).first()
    sen: tuple[SenEntry, ...] = ()
    needs: tuple[SenNeed, ...] = ()
    if sen_record is not None:
        sen = tuple(
            SenEntry(
                start_date=_date(entry.get("start_date")),
                end_date=_date(entry.get("end_date")),
                provision=str(entry.get("provision", "")),
            )
            for entry in sen_record.entries
        )
        needs = tuple(
            SenNeed(rank=need.get("rank"), need_type=str(need.get("type", "")))
            for need in sen_record.needs
        )
    # The register's SEN status, where the CTFs' history does not end with it, as provision
    # from the day of the export (so that it reads back as the newest entry).
    status = SenStatus(child.sen_status)
    if latest_sen_status(sen) != status and (sen or status != SenStatus.NONE):
        sen = (*sen, SenEntry(start_date=today, provision=SEN_STATUS_TO_CTF[status]))
    return Pupil(
        upn=child.upn,
        former_upn=child.former_upn,
        surname=child.surname,
        forename=child.forename,
        middle_names=child.middle_names,
        preferred_forename=child.preferred_name,
        former_surnames=tuple(child.former_surname_list),
        date_of_birth=child.date_of_birth,
        sex=child.sex if child.sex in {"M", "F"} else "",
        ethnicity=child.ethnicity,
        in_care=child.looked_after,
        care_authority=received.care_authority if received else "",
        address=(
            Address(
                line_1=address.line_1,
                line_2=address.line_2,
                town=address.town,
                postcode=address.postcode,
            )
            if address is not None
            else None
        ),
        contacts=contacts,
        attendance=tuple(
            AttendanceYear(
                year=totals.year,
                lea=totals.lea,
                estab=totals.estab,
                school_name=totals.school_name,
                sessions_possible=totals.sessions_possible,
                sessions_authorised=totals.sessions_authorised,
                sessions_attended=totals.sessions_attended,
                sessions_unauthorised=totals.sessions_unauthorised,
                start_date=totals.attendance_start_date,
                marks=totals.attendance_marks,
            )
            for totals in CtfAttendanceTotals.objects.filter(child=child).order_by(
                "year", "lea", "estab", "id"
            )
        ),
        sen=sen,
        sen_needs=needs,
        school_history=tuple(history),
        kept=received.kept if received else (),
        kept_basic=received.kept_basic if received else (),
    )


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def current_school(*, child: Child) -> RegisterSchool | None:
    """The school a child is on the roll of now (the latest start), if any."""
    enrolment = (
        child.enrolments.filter(Q(end_date__isnull=True))
        .select_related("school")
        .order_by("-start_date", "-id")
        .first()
    )
    return enrolment.school if enrolment is not None else None


def access_child(*, user: Any, child_id: int, purpose: str) -> Child:
    """The child, through the pupil register's scoped and logged access."""
    return pupil_selectors.access_child(user=user, child_id=child_id, purpose=purpose)


# --- Roll-removal monitoring --------------------------------------------------------------------


def roll_items(*, show_done: bool = False) -> list[RollWorkItem]:
    """The roll worklist, oldest first (open items only unless `show_done`)."""
    items = RollWorkItem.objects.select_related("child", "school", "enrolment")
    if not show_done:
        items = items.filter(status=RollWorkItem.Status.OPEN)
    return list(items.order_by("created_at", "id")[:500])


def access_roll_item(*, item_id: int) -> RollWorkItem:
    try:
        return RollWorkItem.objects.get(pk=item_id)
    except RollWorkItem.DoesNotExist as missing:
        raise Http404 from missing


def joint_enquiry_deletions_by_school() -> list[dict[str, Any]]:
    """Schools that deleted names under ground (h) or (i), with how many: those deletions
    need the authority's joint enquiries to have been completed first."""
    return list(
        RollWorkItem.objects.filter(reason=RollWorkItem.Reason.GROUND_NEEDS_JOINT_ENQUIRIES)
        .values("school__name", "school__laestab")
        .annotate(
            deletions=Count("id"),
            open_items=Count("id", filter=Q(status=RollWorkItem.Status.OPEN)),
        )
        .order_by("-deletions", "school__name")
    )
