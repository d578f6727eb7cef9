"""Writing returns: drafts saved pupil by pupil, the raw submission stored once, processing.

Sending stores the whole submission in a `SchoolReturn` first, in one transaction with its
"received" audit event. Processing then reads it, in a transaction of its own: each pupil is
matched against the register, and a pupil who needs the CME team becomes a referral in the
triage inbox, already matched. If processing fails, everything it did is rolled back and the
return keeps its raw submission, marked failed with the error, to be processed again.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.cases import selectors as case_selectors
from cme.matching import services as matching
from cme.matching.models import IdentityMatch
from cme.pupils.models import Child, School
from cme.referrals import services as referral_services
from cme.referrals import triage_services
from cme.referrals.models import Referral
from cme.standards.la_codes import load_la_codes

from . import duties, routing, selectors
from .kinds import ReturnKind
from .models import DeletionAgreement, ReturnDraft, ReturnedPupil, SchoolReturn
from .submission import (
    NIL_KEY,
    PUPILS_KEY,
    SUBMISSION_FORMAT,
    PupilFacts,
    pupils_in,
    read_pupil,
)

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "RET-"
REFERENCE_LENGTH = 10
MAX_PUPILS = 100
PROCESSING_ERROR_LIMIT = 2000


class ReturnError(Exception):
    """A return that cannot be saved or sent as it is; the message says why, in the
    user's words."""


def new_reference() -> str:
    """`RET-` and 10 random characters without look-alikes: not guessable or countable."""
    alphabet = referral_services.REFERENCE_ALPHABET
    return REFERENCE_PREFIX + "".join(secrets.choice(alphabet) for _ in range(REFERENCE_LENGTH))


def idempotency_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Drafts -----------------------------------------------------------------------------------


def start_draft(*, actor: Any, kind: ReturnKind) -> ReturnDraft:
    """A new, empty return of `kind` for the actor's school (or the empty one they started a
    moment ago: choosing the kind twice, or pressing the button twice, makes one draft)."""
    if getattr(actor, "school_id", None) is None:
        raise ReturnError("Only a school's attendance staff can make a school return")
    latest = (
        ReturnDraft.objects.filter(
            created_by=actor, school_id=actor.school_id, kind=kind, school_return__isnull=True
        )
        .order_by("-updated_at", "-id")
        .first()
    )
    if latest is not None and not draft_pupils(latest) and not is_nil(latest):
        return latest
    return ReturnDraft.objects.create(
        token=secrets.token_urlsafe(32),
        kind=kind,
        school_id=actor.school_id,
        created_by=actor,
    )


def draft_pupils(draft: ReturnDraft) -> list[dict[str, str]]:
    pupils = draft.answers.get(PUPILS_KEY, []) if isinstance(draft.answers, dict) else []
    return [dict(pupil) for pupil in pupils if isinstance(pupil, dict)]


def pupil_name(answers: Mapping[str, Any]) -> str:
    """A pupil's name as a draft or submission gives it, for lists and messages."""
    facts = read_pupil(answers, kind="")
    return facts.full_name or "Pupil with no name given"


def _locked_unsent(draft: ReturnDraft) -> ReturnDraft:
    locked = ReturnDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.is_sent:
        raise ReturnError("This return has already been sent")
    return locked


def _check_sickness(*, draft: ReturnDraft, number: int | None, answers: Mapping[str, str]) -> None:
    """One sickness return per continuous period of sickness: refuse a second one for the
    same pupil and the same first day, in this return or an earlier one."""
    facts = read_pupil(answers, kind=draft.kind)
    if facts.event_date is None:
        return
    for other_number, other in enumerate(draft_pupils(draft), start=1):
        if other_number == number:
            continue
        same = read_pupil(other, kind=draft.kind)
        if same.event_date == facts.event_date and _same_pupil(same, facts):
            raise ReturnError(
                f"You have already added {facts.full_name} to this return for this period "
                "of sickness"
            )
    earlier = selectors.earlier_sickness_return(
        school_id=draft.school_id,
        upn=facts.upn,
        forename=facts.forename,
        surname=facts.surname,
        date_of_birth=facts.date_of_birth,
        began_on=facts.event_date,
    )
    if earlier is not None:
        raise ReturnError(
            f"You have already told us about this period of sickness for {facts.full_name} "
            f"(return {earlier.reference}). Make one return for each period of sickness."
        )


def _same_pupil(first: PupilFacts, second: PupilFacts) -> bool:
    if first.upn and first.upn == second.upn:
        return True
    return (
        first.forename.casefold() == second.forename.casefold()
        and first.surname.casefold() == second.surname.casefold()
        and first.date_of_birth == second.date_of_birth
    )


def save_pupil(
    *, draft: ReturnDraft, number: int | None, answers: Mapping[str, str]
) -> ReturnDraft:
    """Add a pupil to the draft (`number` None) or change the `number`th (from 1). Raises
    ReturnError if the return is full, already sent, or (sickness) repeats a period."""
    with transaction.atomic():
        locked = _locked_unsent(draft)
        pupils = draft_pupils(locked)
        if locked.kind == ReturnKind.SICKNESS:
            _check_sickness(draft=locked, number=number, answers=answers)
        if number is not None and 1 <= number <= len(pupils):
            pupils[number - 1] = dict(answers)
        elif len(pupils) >= MAX_PUPILS:
            raise ReturnError(
                f"A return can name up to {MAX_PUPILS} pupils. Send this one and make another."
            )
        else:
            pupils.append(dict(answers))
        locked.answers = {PUPILS_KEY: pupils, NIL_KEY: False}
        locked.save(update_fields=["answers", "updated_at"])
    return locked


def remove_pupil(*, draft: ReturnDraft, number: int) -> ReturnDraft:
    with transaction.atomic():
        locked = _locked_unsent(draft)
        pupils = draft_pupils(locked)
        if 1 <= number <= len(pupils):
            del pupils[number - 1]
        locked.answers = {**locked.answers, PUPILS_KEY: pupils}
        locked.save(update_fields=["answers", "updated_at"])
    return locked


def make_nil(*, draft: ReturnDraft) -> ReturnDraft:
    """An attendance return with no pupil to report (a nil return)."""
    with transaction.atomic():
        locked = _locked_unsent(draft)
        if locked.kind != ReturnKind.ATTENDANCE:
            raise ReturnError("Only an attendance return can be a nil return")
        locked.answers = {PUPILS_KEY: [], NIL_KEY: True}
        locked.save(update_fields=["answers", "updated_at"])
    return locked


def is_nil(draft: ReturnDraft) -> bool:
    return bool(
        draft.kind == ReturnKind.ATTENDANCE
        and isinstance(draft.answers, dict)
        and draft.answers.get(NIL_KEY) is True
        and not draft_pupils(draft)
    )


def delete_abandoned_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for `RETURN_DRAFT_LIFETIME_DAYS`: children's details are not
    kept unsent for longer."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.RETURN_DRAFT_LIFETIME_DAYS)
    deleted, _ = ReturnDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


# Sending: the raw submission first ---------------------------------------------------------


def _create_return(**fields: Any) -> tuple[SchoolReturn, bool]:
    """A new return with an unused reference, or the one already made with the same key."""
    key = fields["idempotency_key"]
    for _ in range(5):
        try:
            with transaction.atomic():
                return SchoolReturn.objects.create(reference=new_reference(), **fields), True
        except IntegrityError:
            # The same form sent at the same moment, or (rarely) a reference already taken.
            earlier = SchoolReturn.objects.filter(idempotency_key=key).first()
            if earlier is not None:
                return earlier, False
    msg = "Could not draw an unused return reference"
    raise RuntimeError(msg)


def _received(*, actor: Any, school_return: SchoolReturn, pupils: int) -> None:
    sender = school_return.school.name if school_return.school else school_return.other_la_code
    audit.record_event(
        kind=AuditEvent.Kind.RETURN_RECEIVED,
        actor=actor,
        subject=school_return,
        summary=f"{school_return.get_kind_display()} {school_return.reference} received "
        f"from {sender}"[:300],
        details={"kind": school_return.kind, "pupils": pupils, "nil": school_return.is_nil},
    )


def submit_return(*, draft: ReturnDraft, actor: Any) -> SchoolReturn:
    """Store the draft as a received return, once, exactly as it stands. Sending the same
    draft again (a double click, a resubmitted page) gives back the return made the first
    time. Raises ReturnError for a return with no pupil that is not a nil return."""
    key = idempotency_key(draft.token)
    with transaction.atomic():
        locked = ReturnDraft.objects.select_for_update().select_related("school").get(pk=draft.pk)
        if locked.school_return is not None:
            return locked.school_return
        earlier = SchoolReturn.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            return earlier
        pupils = draft_pupils(locked)
        nil = is_nil(locked)
        if not pupils and not nil:
            raise ReturnError(
                "Add a pupil to the return"
                + (", or make a nil return" if locked.kind == ReturnKind.ATTENDANCE else "")
            )
        school_return, _ = _create_return(
            kind=locked.kind,
            school=locked.school,
            is_nil=nil,
            submitted_by=actor,
            submitted_at=timezone.now(),
            submission={
                "format": SUBMISSION_FORMAT,
                "kind": locked.kind,
                "school": locked.school.laestab,
                NIL_KEY: nil,
                PUPILS_KEY: pupils,
            },
            idempotency_key=key,
        )
        _received(actor=actor, school_return=school_return, pupils=len(pupils))
        # The return now holds the answers; the draft keeps only the link to it.
        locked.school_return = school_return
        locked.answers = {}
        locked.save(update_fields=["school_return", "answers", "updated_at"])
    return school_return


def record_la_notification(
    *,
    actor: Any,
    kind: ReturnKind,
    other_la_code: str,
    notified_on: datetime.date,
    answers: Mapping[str, str],
    token: str,
) -> tuple[SchoolReturn, bool]:
    """Store another authority's notification about a child, taken down by an officer, as
    received; then process it. The same form `token` gives back the notification made the
    first time (and whether this call made it)."""
    with transaction.atomic():
        school_return, created = _create_return(
            kind=kind,
            school=None,
            other_la_code=other_la_code,
            submitted_by=actor,
            submitted_at=timezone.now(),
            submission={
                "format": SUBMISSION_FORMAT,
                "kind": kind.value,
                "other_la": other_la_code,
                "notified_on": notified_on.isoformat(),
                PUPILS_KEY: [dict(answers)],
            },
            idempotency_key=idempotency_key(f"la:{token or secrets.token_urlsafe(32)}"),
        )
        if created:
            _received(actor=actor, school_return=school_return, pupils=1)
    if created:
        school_return = process_return(school_return=school_return, actor=actor)
    return school_return, created


# Processing --------------------------------------------------------------------------------


def process_return(*, school_return: SchoolReturn, actor: Any) -> SchoolReturn:
    """Read the stored submission: store each pupil, match them against the register, and
    send those who need the CME team to the triage inbox. Never raises: a failure rolls the
    processing back and leaves the return, with its submission, marked failed with the
    error. A processed return is left as it is."""
    try:
        with transaction.atomic():
            current = SchoolReturn.objects.select_for_update().get(pk=school_return.pk)
            if current.status == SchoolReturn.Status.PROCESSED:
                return current
            _process(current, actor=actor)
    except Exception as error:  # any failure must leave the return in the inbox, not a 500
        # The reference and the kind of error only: its message may quote a child's details,
        # which logs never hold (so no traceback). The message is kept on the return instead.
        logger.error(
            "Processing return %s failed: %s", school_return.reference, type(error).__name__
        )
        return _mark_failed(school_return=school_return, actor=actor, error=error)
    school_return.refresh_from_db()
    return school_return


def _mark_failed(*, school_return: SchoolReturn, actor: Any, error: Exception) -> SchoolReturn:
    message = f"{type(error).__name__}: {error}"[:PROCESSING_ERROR_LIMIT]
    with transaction.atomic():
        current = SchoolReturn.objects.select_for_update().get(pk=school_return.pk)
        current.status = SchoolReturn.Status.FAILED
        current.processing_error = message
        current.save(update_fields=["status", "processing_error"])
        audit.record_event(
            kind=AuditEvent.Kind.RETURN_FAILED,
            actor=actor,
            subject=current,
            summary=f"Processing {current.reference} failed; the return is kept as received",
            details={"error": type(error).__name__},
        )
    return current


def _event_date_override(school_return: SchoolReturn) -> datetime.date | None:
    """Another authority's notification is about the day it told us."""
    if not school_return.is_from_other_la:
        return None
    submission = school_return.submission
    raw = submission.get("notified_on") if isinstance(submission, dict) else None
    try:
        return datetime.date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _process(school_return: SchoolReturn, *, actor: Any) -> None:
    kind = ReturnKind(school_return.kind)
    notified_on = _event_date_override(school_return)
    routed = 0
    pupils = pupils_in(school_return.submission)
    for number, raw in enumerate(pupils, start=1):
        facts = read_pupil(raw, kind=kind, event_date=notified_on)
        pupil = _process_pupil(school_return, kind=kind, number=number, facts=facts)
        routed += pupil.outcome == ReturnedPupil.Outcome.TRIAGE
    school_return.status = SchoolReturn.Status.PROCESSED
    school_return.processed_at = timezone.now()
    school_return.processing_error = ""
    school_return.save(update_fields=["status", "processed_at", "processing_error"])
    audit.record_event(
        kind=AuditEvent.Kind.RETURN_PROCESSED,
        actor=actor,
        subject=school_return,
        summary=f"{school_return.reference} processed: {len(pupils)} pupil(s), "
        f"{routed} sent to triage",
        details={"pupils": len(pupils), "triage": routed},
    )


def _due_on(kind: ReturnKind, facts: PupilFacts) -> datetime.date | None:
    if facts.event_date is None:
        return None
    if kind == ReturnKind.NEW_PUPIL:
        return duties.new_pupil_return_due(facts.event_date)
    if kind == ReturnKind.DELETION:
        return duties.deletion_return_due(facts.event_date)
    return None


def _process_pupil(
    school_return: SchoolReturn, *, kind: ReturnKind, number: int, facts: PupilFacts
) -> ReturnedPupil:
    decided = routing.route_pupil(
        kind=kind,
        has_open_case=False,
        ground=facts.deletion_ground,
        destination_known=bool(facts.destination_school),
        attendance_reason=facts.attendance_reason,
    )
    match: IdentityMatch | None = None
    if not decided.to_triage:
        match = matching.match_notification(
            source=IdentityMatch.Source.SCHOOL_RETURN,
            reference=f"{school_return.reference}-{number}",
            details=facts.match_details(),
        )
        if match.child_id is not None and case_selectors.children_with_open_cases(
            child_ids=[match.child_id]
        ):
            decided = routing.route_pupil(kind=kind, has_open_case=True)
    referral: Referral | None = None
    if decided.to_triage:
        referral = referral_services.receive_notification(
            submission=referral_submission(
                school_return, number=number, facts=facts, reason=decided.reason
            ),
            channel=(
                Referral.Channel.OTHER_LA
                if school_return.is_from_other_la
                else Referral.Channel.SCHOOL_RETURN
            ),
            received_at=school_return.submitted_at,
            actor=school_return.submitted_by,
            idempotency_key=f"return:{school_return.reference}:{number}",
        )
        # Matched now, so it arrives in the inbox already checked against the register.
        match = triage_services.match_referral(referral=referral)
    pupil = ReturnedPupil.objects.create(
        school_return=school_return,
        number=number,
        forename=facts.forename,
        middle_names=facts.middle_names,
        surname=facts.surname,
        date_of_birth=facts.date_of_birth,
        sex=facts.sex,
        upn=facts.upn,
        address=facts.address,
        postcode=facts.postcode,
        event_date=facts.event_date,
        due_on=_due_on(kind, facts),
        deletion_ground=facts.deletion_ground,
        attendance_reason=facts.attendance_reason,
        parents=[parent.as_json() for parent in facts.parents],
        future_address=facts.future_address,
        destination_school=facts.destination_school,
        destination_start_on=facts.destination_start_on,
        other_school=facts.other_school,
        notes=facts.notes,
        match=match,
        referral=referral,
        outcome=ReturnedPupil.Outcome.TRIAGE if referral else ReturnedPupil.Outcome.RECORDED,
        outcome_reason=decided.reason[:300],
    )
    audit.record_event(
        kind=AuditEvent.Kind.RETURN_PROCESSED,
        actor=school_return.submitted_by,
        subject=pupil,
        child_id=match.child_id if match else None,
        summary=f"Named in {school_return.get_kind_display().lower()} {school_return.reference}"
        f": {decided.reason}"[:300],
        details={
            "return": school_return.reference,
            "outcome": pupil.outcome,
            "referral": referral.reference if referral else None,
            "match": match.status if match else None,
        },
    )
    return pupil


# What a pupil sent to triage looks like to the officer ---------------------------------------

_GENDERS = {"F": "female", "M": "male"}
# Kinds whose date is the pupil's last day on the roll (the referral's "last on a school roll").
LEFT_THE_ROLL = (ReturnKind.DELETION, ReturnKind.NO_DESTINATION)


def _sender(school_return: SchoolReturn) -> tuple[str, str]:
    """Who sent the return, and their local authority's name."""
    if school_return.school is not None:
        school: School = school_return.school
        return school.name, school.local_authority.name
    known = load_la_codes().get(school_return.other_la_code)
    name = f"{known.name} ({known.code})" if known else school_return.other_la_code
    return f"{name} local authority", name


def referral_submission(
    school_return: SchoolReturn, *, number: int, facts: PupilFacts, reason: str
) -> dict[str, Any]:
    """The pupil in the referral journey's own structure, so the triage page reads and shows
    a return like any other referral."""
    sender, area = _sender(school_return)
    kind = ReturnKind(school_return.kind)
    event = f" Date: {facts.event_date:%d/%m/%Y}." if facts.event_date else ""
    details = [
        line
        for line in (
            f"Destination school: {facts.destination_school}" if facts.destination_school else "",
            f"Starting there: {facts.destination_start_on:%d/%m/%Y}"
            if facts.destination_start_on
            else "",
            f"Previous or last school: {facts.other_school}" if facts.other_school else "",
            facts.notes,
        )
        if line
    ]
    submitter = school_return.submitted_by
    return {
        "format": referral_services.SUBMISSION_FORMAT,
        "answers": {
            "child_name": {
                "first_name": " ".join(p for p in (facts.forename, facts.middle_names) if p),
                "last_name": facts.surname,
                "description": "",
            },
            "date_of_birth": {
                "date_of_birth": facts.date_of_birth.isoformat() if facts.date_of_birth else "",
                "approximate_age": "",
            },
            "about_child": {"gender": _GENDERS.get(facts.sex, "not_known")},
            "address": {"address": facts.address, "postcode": facts.postcode},
            "moved": {
                "has_moved": "yes" if facts.future_address else "",
                "new_address": facts.future_address,
            },
            referral_services.PARENTS_KEY: [
                {"name": p.name, "address": p.address, "phone_numbers": p.phone}
                for p in facts.parents
            ],
            "school": {
                "last_school": sender if school_return.school else facts.other_school,
                "last_school_area": area,
                "last_on_roll": facts.event_date.isoformat()
                if facts.event_date and kind in LEFT_THE_ROLL
                else "",
                "upn": facts.upn,
            },
            "reason": {
                "reason": f"{kind.label} (return {school_return.reference})"
                + ("" if reason == kind.label else f": {reason}")
                + f".{event}",
            },
            "other_details": {"other_details": "\n".join(details)},
            "referrer": {
                "referrer_name": str(submitter),
                "referrer_type": "agency",
                "organisation": sender,
            },
            "referrer_contact": {"phone": "", "email": submitter.email},
        },
        "school_return": {
            "reference": school_return.reference,
            "kind": kind.value,
            "pupil": number,
        },
    }


@transaction.atomic
def request_deletion_agreement(
    *, actor: Any, child: Child, ground: str, note: str
) -> DeletionAgreement:
    """A school asks the authority to agree a deletion under ground (h) or (i). Linked to
    the child's open case, if any; recorded on the child's timeline."""
    if actor.school_id is None:
        raise ReturnError("Only a school's staff can ask for agreement")
    if ground not in DeletionAgreement.Ground.values:
        raise ReturnError("Select ground (h) or (i)")
    if DeletionAgreement.objects.filter(
        school_id=actor.school_id, child=child, status=DeletionAgreement.Status.REQUESTED
    ).exists():
        raise ReturnError("You have already asked for agreement to delete this pupil")
    agreement = DeletionAgreement.objects.create(
        school_id=actor.school_id,
        child=child,
        ground=ground,
        requested_at=timezone.now(),
        requested_by=actor,
        school_note=note,
        case=case_selectors.open_case_for_child(child_id=child.pk),
    )
    audit.record_event(
        kind=AuditEvent.Kind.DELETION_AGREEMENT_REQUESTED,
        actor=actor,
        subject=agreement,
        child_id=child.pk,
        summary=f"School asked the authority to agree deletion under ground ({ground})",
        details={"school_id": actor.school_id, "case_id": agreement.case_id, "ground": ground},
    )
    return agreement


@transaction.atomic
def agree_deletion(
    *, actor: Any, agreement: DeletionAgreement, agreed_on: datetime.date, joint_enquiries: str
) -> DeletionAgreement:
    """The officer records the joint enquiries and the dated agreement. The date can be
    neither in the future nor before the school asked."""
    agreement = DeletionAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == DeletionAgreement.Status.AGREED:
        raise ReturnError("This deletion has already been agreed")
    if agreed_on > timezone.localdate():
        raise ReturnError("The date of agreement must be today or in the past")
    if agreed_on < timezone.localdate(agreement.requested_at):
        raise ReturnError("The date of agreement must be on or after the day the school asked")
    if not joint_enquiries.strip():
        raise ReturnError("Enter the joint enquiries made")
    agreement.status = DeletionAgreement.Status.AGREED
    agreement.agreed_on = agreed_on
    agreement.agreed_by = actor
    agreement.joint_enquiries = joint_enquiries
    if agreement.case_id is None:
        agreement.case = case_selectors.open_case_for_child(child_id=agreement.child_id)
    agreement.save()
    audit.record_event(
        kind=AuditEvent.Kind.DELETION_AGREED,
        actor=actor,
        subject=agreement,
        child_id=agreement.child_id,
        summary=(
            f"Authority agreed deletion under ground ({agreement.ground}) "
            f"on {agreed_on.isoformat()} after joint enquiries"
        ),
        changes={"status": ["requested", "agreed"]},
        details={
            "school_id": agreement.school_id,
            "case_id": agreement.case_id,
            "agreed_on": agreed_on,
            "joint_enquiries": joint_enquiries,
        },
    )
    return agreement
