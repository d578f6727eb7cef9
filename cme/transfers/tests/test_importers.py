"""Importing CTFs into the register and the Lost Pupil Database store."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import override_settings

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.matching import services as matching
from cme.matching.models import IdentityMatch
from cme.pupils.importers import ImportRefused
from cme.pupils.models import Address, Child, Contact, Enrolment, School, SenStatus
from cme.pupils.tests.factories import ChildFactory, CurrentAddressFactory, OpenSchoolFactory
from cme.transfers import importers
from cme.transfers.models import (
    CtfAttendanceTotals,
    CtfFile,
    CtfImportRun,
    CtfPupil,
    CtfSenHistory,
    TransferWorkItem,
)

from .samples import SPEC_EXAMPLE, UPN_1, UPN_2, ctf, lost_pupil_ctf, pupil, write

pytestmark = pytest.mark.django_db

SEN = (
    "<SENhistory><SEN><StartDate>2022-09-01</StartDate><SENprovision>K</SENprovision></SEN>"
    "<SEN><StartDate>2024-01-10</StartDate><SENprovision>E</SENprovision></SEN>"
    "<SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>SLCN</SENtype></SENneed>"
    "</SENneeds></SENhistory>"
)


@pytest.fixture
def example_school(db: None) -> School:
    """Example Primary School, 8009999: in the register."""
    return OpenSchoolFactory.create(
        name="Example Primary School", establishment_number="9999", laestab="8009999"
    )


def import_file(tmp_path: Path, content: bytes, name: str = "in.xml") -> importers.CtfReport:
    return importers.import_ctf_path(path=write(tmp_path, name, content))


def register_state() -> dict[str, object]:
    """Everything an import may write in the register, to compare before and after."""
    return {
        "children": list(Child.objects.order_by("pk").values()),
        "addresses": list(Address.objects.order_by("pk").values()),
        "contacts": list(Contact.objects.order_by("pk").values()),
        "enrolments": list(Enrolment.objects.order_by("pk").values()),
        "attendance": list(CtfAttendanceTotals.objects.order_by("pk").values()),
        "sen": list(CtfSenHistory.objects.order_by("pk").values()),
        "items": list(TransferWorkItem.objects.order_by("pk").values()),
        "matches": list(IdentityMatch.objects.order_by("pk").values()),
    }


def test_a_ctf_to_a_school_puts_its_pupil_and_all_their_details_in_the_register(
    tmp_path: Path, example_school: School
) -> None:
    report = import_file(tmp_path, ctf(pupil(extra=SEN)))

    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=0"
    assert report.messages == []
    child = Child.objects.get()
    assert (child.forename, child.middle_names, child.surname) == ("ALEX", "JO", "EXAMPLE")
    assert (child.upn, child.date_of_birth, child.sex) == (UPN_1, datetime.date(2016, 5, 14), "F")
    assert (child.ethnicity, child.sen_status) == ("WBRI", SenStatus.EHC_PLAN)
    address = child.addresses.get()
    assert (address.line_1, address.town, address.postcode) == (
        "1 Example Street",
        "Bath",
        "BA1 0AA",
    )
    assert address.source == "CTF in.xml"
    contact = child.contacts.get()
    assert (contact.full_name, contact.relationship, contact.phone) == (
        "SAM EXAMPLE",
        Contact.Relationship.MOTHER,
        "07700900000",
    )
    assert (contact.parental_responsibility, contact.lives_with_child) == (True, True)
    enrolment = child.enrolments.get()
    assert (enrolment.school, enrolment.start_date, enrolment.end_date) == (
        example_school,
        datetime.date(2021, 9, 2),
        datetime.date(2025, 11, 3),
    )
    totals = CtfAttendanceTotals.objects.get(child=child)
    assert (totals.year, totals.sessions_possible, totals.sessions_authorised) == (2025, 70, 4)
    assert totals.sessions_unauthorised == 12
    assert totals.attendance_marks == "/\\/\\/\\NNNN/\\II/\\"
    sen = CtfSenHistory.objects.get(child=child)
    assert [entry["provision"] for entry in sen.entries] == ["K", "E"]
    assert sen.needs == [{"rank": 1, "type": "SLCN"}]
    ctf_file = CtfFile.objects.get()
    assert (ctf_file.status, ctf_file.version, ctf_file.destination) == (
        "imported",
        "25.0",
        "school",
    )
    assert bytes(ctf_file.content) == ctf(pupil(extra=SEN))
    assert CtfImportRun.objects.get().counts_line() == report.counts_line()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.FILE_IMPORTED).count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHILD_CREATED, child_id=child.pk).exists()


def test_importing_the_same_file_again_changes_nothing(
    tmp_path: Path, example_school: School
) -> None:
    content = ctf(pupil(extra=SEN), pupil(upn=UPN_2, forename="BEN", dob="2015-01-02"))
    import_file(tmp_path, content)
    before = register_state()

    report = import_file(tmp_path, content, name="same-content-another-name.xml")

    assert report.counts_line() == "created=0 updated=0 unchanged=2 review=0 rejected=0"
    assert register_state() == before
    assert CtfFile.objects.count() == 1


def test_schools_in_other_authorities_are_normal_and_their_history_stays_with_the_ctf(
    tmp_path: Path,
) -> None:
    report = import_file(tmp_path, ctf(source=("873", "4001"), dest=("800", "LLLL")))

    assert report.counts_line().startswith("created=1")
    assert report.messages == []
    assert Enrolment.objects.count() == 0  # 8009999 is not in the register
    assert CtfPupil.objects.get().child == Child.objects.get()


def test_a_child_on_the_register_is_recognised_by_upn_and_only_the_differences_are_written(
    tmp_path: Path, example_school: School
) -> None:
    child = ChildFactory.create(
        forename="Alex", surname="Example", upn=UPN_1, date_of_birth=datetime.date(2016, 5, 14)
    )
    CurrentAddressFactory.create(child=child, line_1="9 Old Road", postcode="BA2 3AB")

    report = import_file(tmp_path, ctf())

    assert report.counts_line() == "created=0 updated=1 unchanged=0 review=0 rejected=0"
    child.refresh_from_db()
    # DfE writers upper-case names: that is not a change of name.
    assert (child.forename, child.surname) == ("Alex", "Example")
    assert child.middle_names == "JO"
    assert child.addresses.get(moved_out__isnull=True).postcode == "BA1 0AA"
    assert child.addresses.count() == 2  # the old address is kept, closed


def test_a_known_child_under_a_short_name_is_recognised_by_the_engine(tmp_path: Path) -> None:
    william = ChildFactory.create(
        forename="William",
        surname="Hartley",
        date_of_birth=datetime.date(2015, 3, 14),
        upn="",
        sex="M",
    )
    CurrentAddressFactory.create(child=william, line_1="1 Widcombe Parade", postcode="BA2 4JR")
    for _ in range(20):
        ChildFactory.create()
    bill = pupil(
        upn="",
        forename="BILL",
        surname="HARTLEY",
        dob="2015-03-14",
        sex="<Sex>M</Sex>",
        address="<Address><AddressLines><AddressLine1>1 Widcombe Parade</AddressLine1>"
        "</AddressLines><PostCode>BA2 4JR</PostCode></Address>",
    )

    report = import_file(tmp_path, ctf(bill))

    assert report.counts_line().startswith("created=0")
    assert CtfPupil.objects.get().child == william
    assert IdentityMatch.objects.get().status == IdentityMatch.Status.LINKED


def test_a_doubtful_pupil_waits_for_an_officer_and_the_decision_holds_next_time(
    tmp_path: Path, cme_officer: User
) -> None:
    twins = [
        ChildFactory.create(
            forename=name, surname="Ashdown-Cole", date_of_birth=datetime.date(2015, 3, 14), upn=""
        )
        for name in ("Ruby", "Rosa")
    ]
    for twin in twins:
        CurrentAddressFactory.create(child=twin, line_1="1 Widcombe Parade", postcode="BA2 4JR")
    for _ in range(20):
        ChildFactory.create()
    doubtful = pupil(upn="", forename="R", surname="ASHDOWN-COLE", dob="2015-03-14", address="")
    content = ctf(doubtful)

    report = import_file(tmp_path, content)

    assert report.counts_line() == "created=0 updated=0 unchanged=0 review=1 rejected=0"
    assert report.messages[-1].startswith("line 2, /CTfile/CTFpupilData/Pupil: sent to review:")
    assert "decide which under Matches" in report.messages[-1]
    assert Child.objects.filter(surname="Ashdown-Cole").count() == 2
    assert Contact.objects.count() == 0  # nothing written for a pupil in review
    match = IdentityMatch.objects.get(status=IdentityMatch.Status.REVIEW)

    matching.confirm_match(actor=cme_officer, match=match, child_id=twins[1].pk)
    report = import_file(tmp_path, content)

    assert report.counts_line() == "created=0 updated=1 unchanged=0 review=0 rejected=0"
    assert twins[1].contacts.count() == 1
    assert Child.objects.filter(surname="Ashdown-Cole").count() == 2


def test_a_pupil_without_upn_added_by_a_first_import_is_not_added_again(tmp_path: Path) -> None:
    content = ctf(pupil(upn="", forename="XANTHE", surname="QUIMBY"))

    import_file(tmp_path, content)
    report = import_file(tmp_path, content)

    assert report.counts_line() == "created=0 updated=0 unchanged=1 review=0 rejected=0"
    assert Child.objects.count() == 1


def test_a_rejected_pupil_is_counted_and_the_others_imported(tmp_path: Path) -> None:
    report = import_file(tmp_path, ctf(pupil(forename="", surname=""), pupil(upn=UPN_2)))

    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=1"
    assert report.messages == [
        "line 2, /CTfile/CTFpupilData/Pupil[1]: neither Forename nor Surname given; pupil rejected"
    ]
    assert CtfPupil.objects.get(position=1).outcome == CtfPupil.Outcome.REJECTED


def test_the_same_child_twice_in_one_file_is_one_child(tmp_path: Path) -> None:
    report = import_file(tmp_path, ctf(pupil(), pupil()))

    assert report.counts_line() == "created=1 updated=0 unchanged=1 review=0 rejected=0"
    assert Child.objects.count() == 1


# --- Refusals: the raw file is kept, nothing reaches the register ----------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            ctf().replace(b"<CTfile>", b'<!DOCTYPE CTfile SYSTEM "http://x.example/d"><CTfile>'),
            "DOCTYPE",
        ),
        (ctf()[:-30], "not well-formed XML"),
        (b"upn,forename\n", "not well-formed XML"),
        (ctf(version="12.0"), "version 12.0"),
    ],
    ids=["hostile", "truncated", "not-xml", "too-old"],
)
def test_a_refused_file_is_kept_with_the_reason_and_nothing_is_imported(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    with pytest.raises(ImportRefused, match=expected):
        import_file(tmp_path, content, name="bad.xml")

    ctf_file = CtfFile.objects.get()
    assert ctf_file.status == CtfFile.Status.REFUSED
    assert expected in ctf_file.error
    assert bytes(ctf_file.content) == content
    assert Child.objects.count() == 0
    assert CtfPupil.objects.count() == 0
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CTF_REFUSED).count() == 1


@override_settings(CTF_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_unread_and_not_kept(tmp_path: Path) -> None:
    content = ctf(pupil(), pupil(), pupil())
    assert len(content) > 1000

    with pytest.raises(ImportRefused, match=r"larger than the limit of 1,000 bytes"):
        import_file(tmp_path, content)

    ctf_file = CtfFile.objects.get()
    assert (ctf_file.status, bytes(ctf_file.content), ctf_file.size_bytes) == (
        "refused",
        b"",
        len(content),
    )
    assert Child.objects.count() == 0


def test_a_failure_half_way_through_a_file_leaves_the_register_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    original = importers._RegisterImport.import_pupil

    def fail_on_the_second(self: importers._RegisterImport, read: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("power cut")
        original(self, read)  # type: ignore[arg-type]

    monkeypatch.setattr(importers._RegisterImport, "import_pupil", fail_on_the_second)

    with pytest.raises(RuntimeError):
        import_file(tmp_path, ctf(pupil(), pupil(upn=UPN_2, forename="BEN")))

    assert Child.objects.count() == 0
    assert CtfPupil.objects.count() == 0
    ctf_file = CtfFile.objects.get()  # the raw file was kept before processing
    assert ctf_file.status == CtfFile.Status.RECEIVED


# --- Lost-pupil files --------------------------------------------------------------------------


def test_a_lost_pupil_ctf_goes_to_the_lost_pupil_database_not_the_register(tmp_path: Path) -> None:
    report = import_file(tmp_path, lost_pupil_ctf(pupil()))

    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=0"
    assert Child.objects.count() == 0
    stored = CtfPupil.objects.get()
    assert (stored.outcome, stored.upn, stored.postcode) == ("stored", UPN_1, "BA1 0AA")
    item = TransferWorkItem.objects.get()
    assert (item.kind, item.status, item.child) == ("looking", "open", None)


def test_a_lost_pupil_who_is_a_child_in_the_register_goes_on_the_worklist_matched(
    tmp_path: Path,
) -> None:
    child = ChildFactory.create(
        forename="Alex",
        surname="Example",
        upn=UPN_1,
        date_of_birth=datetime.date(2016, 5, 14),
        sex="F",
    )
    CurrentAddressFactory.create(child=child, line_1="1 Example Street", postcode="BA1 0AA")

    import_file(tmp_path, SPEC_EXAMPLE.encode())  # our own school's lost pupil (800)

    item = TransferWorkItem.objects.get()
    assert (item.kind, item.child) == ("found", child)
    assert CtfPupil.objects.get().child == child
    child.refresh_from_db()
    assert child.middle_names == ""  # the register is not changed by a lost-pupil file


def test_our_own_lost_pupil_with_no_match_is_stored_but_not_on_the_worklist(tmp_path: Path) -> None:
    import_file(tmp_path, SPEC_EXAMPLE.encode())

    assert CtfPupil.objects.get().outcome == CtfPupil.Outcome.STORED
    assert TransferWorkItem.objects.count() == 0


def test_importing_a_lost_pupil_file_again_changes_nothing(tmp_path: Path) -> None:
    content = lost_pupil_ctf(pupil(), pupil(upn=UPN_2, forename="BEN"))
    import_file(tmp_path, content)
    before = register_state()

    report = import_file(tmp_path, content)

    assert report.counts_line() == "created=0 updated=0 unchanged=2 review=0 rejected=0"
    assert register_state() == before


def test_a_file_name_is_kept_without_folders_or_control_characters() -> None:
    importers.import_ctf_bytes(
        data=ctf(), name="../../etc/evil\n\x07name.xml", source=CtfFile.Source.UPLOAD
    )

    assert CtfFile.objects.get().name == "evilname.xml"


def test_twins_with_their_own_upns_are_two_children_without_review(tmp_path: Path) -> None:
    twins = ctf(pupil(), pupil(upn=UPN_2, forename="SAM"))

    report = import_file(tmp_path, twins)

    assert report.counts_line() == "created=2 updated=0 unchanged=0 review=0 rejected=0"


def test_a_pupil_with_a_new_upn_is_a_known_child_without_one_under_another_spelling(
    tmp_path: Path,
) -> None:
    william = ChildFactory.create(
        forename="William",
        surname="Hartley",
        date_of_birth=datetime.date(2015, 3, 14),
        upn="",
        sex="M",
    )
    CurrentAddressFactory.create(child=william, line_1="1 Widcombe Parade", postcode="BA2 4JR")
    for _ in range(20):
        ChildFactory.create()
    bill = pupil(
        forename="BILL",
        surname="HARTLEY",
        dob="2015-03-14",
        sex="<Sex>M</Sex>",
        address="<Address><AddressLines><AddressLine1>1 Widcombe Parade</AddressLine1>"
        "</AddressLines><PostCode>BA2 4JR</PostCode></Address>",
    )

    report = import_file(tmp_path, ctf(bill))

    assert report.counts_line().startswith("created=0 updated=1")
    william.refresh_from_db()
    assert william.upn == UPN_1  # the CTF's UPN fills the blank
