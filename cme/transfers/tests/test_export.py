"""Exporting a child's CTF (round-tripping what was imported) and forwarding a lost pupil's."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from cme.accounts.models import User
from cme.audit.models import AccessEvent, AuditEvent
from cme.pupils.models import Child, School, SenStatus
from cme.pupils.tests.factories import (
    CarerFactory,
    ChildFactory,
    CurrentAddressFactory,
    OpenSchoolFactory,
    pupil_at,
)
from cme.transfers import services
from cme.transfers.ctf.document import Destination, Pupil, SchoolRef
from cme.transfers.ctf.reader import read_ctf
from cme.transfers.models import CtfFile, TransferWorkItem

from .factories import import_sample, lost_pupil_on_worklist
from .samples import ctf, pupil

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
LOST = SchoolRef(lea="XXX", estab="XXXX")
EVERYTHING = pupil(
    basic=(
        "<FormerUPN>W80099992500A</FormerUPN><FormerSurname>SMITH</FormerSurname>"
        "<PreferredForename>AL</PreferredForename><MiddleNames>JO</MiddleNames>"
        "<NCyearActual>4</NCyearActual><Ethnicity>WBRI</Ethnicity><EnrolStatus>C</EnrolStatus>"
    ),
    contacts=(
        "<Contacts><Contact><Order>1</Order><Title>Ms</Title><Surname>EXAMPLE</Surname>"
        "<Forename>SAM</Forename><Relationship>PAM</Relationship>"
        "<Responsibility>true</Responsibility><AddressAsPupil>true</AddressAsPupil>"
        "<Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>07700900000</PhoneNo></Phone>"
        "<Phone><TelephoneType>H</TelephoneType><PhoneNo>01632960000</PhoneNo></Phone></Phones>"
        "<Email>sam@example.org</Email></Contact>"
        "<Contact><Order>2</Order><Surname>EXAMPLE</Surname><Forename>CHRIS</Forename>"
        "<Relationship>STF</Relationship><Responsibility>false</Responsibility>"
        "<Address><AddressLines><AddressLine1>4 Far Lane</AddressLine1>"
        "<AddressLine3>York</AddressLine3></AddressLines><PostCode>YO1 7HH</PostCode></Address>"
        "</Contact></Contacts>"
    ),
    history=(
        "<SchoolHistory><School><LEA>873</LEA><Estab>4001</Estab><SchoolName>Fen School"
        "</SchoolName><EntryDate>2020-09-03</EntryDate><LeavingDate>2021-07-20</LeavingDate>"
        "<LeavingReason>Moved</LeavingReason></School>"
        "<School><LEA>800</LEA><Estab>9999</Estab><SchoolName>Example Primary School"
        "</SchoolName><EntryDate>2021-09-02</EntryDate><LeavingDate>2025-11-03</LeavingDate>"
        "</School></SchoolHistory>"
    ),
    extra=(
        "<LookedAfter><InCare>false</InCare><CareAuthority>873</CareAuthority></LookedAfter>"
        "<SENhistory><SEN><StartDate>2023-09-01</StartDate><SENprovision>K</SENprovision></SEN>"
        "<SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>SPLD</SENtype></SENneed>"
        "</SENneeds></SENhistory>"
        "<FSMhistory><FSMreviewDate>2025-01-01</FSMreviewDate><FSMinstance><FSMstartDate>"
        "2024-09-01</FSMstartDate><UKcountry>ENG</UKcountry></FSMinstance></FSMhistory>"
        "<StageAssessments><KeyStage><Stage>KS1</Stage><StageAssessment><Locale>ENG</Locale>"
        "<Year>2023</Year><Subject>MAT</Subject><Result>EXS</Result></StageAssessment>"
        "</KeyStage></StageAssessments>"
    ),
)


def read(content: bytes) -> tuple[object, list[Pupil]]:
    document = read_ctf(content, name="export.xml", today=TODAY)
    return document.header, list(document.pupils)


def comparable(read_pupil: Pupil) -> Pupil:
    return dataclasses.replace(
        read_pupil,
        position=1,
        path="",
        line=None,
        raw_xml="",
        findings=(),
        school_history=tuple(
            sorted(read_pupil.school_history, key=lambda entry: (entry.entry_date, entry.lea))
        ),
    )


@pytest.fixture
def example_school(db: None) -> School:
    return OpenSchoolFactory.create(
        name="Example Primary School", establishment_number="9999", laestab="8009999"
    )


def test_exporting_a_child_imported_from_a_ctf_gives_back_everything_imported(
    example_school: School, cme_officer: User
) -> None:
    received = ctf(EVERYTHING)
    import_sample(received)
    child = Child.objects.get()

    exported = services.export_child_ctf(actor=cme_officer, child=child, dest=LOST)

    header, [out] = read(exported.content)
    _, [original] = read(received)
    assert out.findings == ()
    assert comparable(out) == comparable(original)
    assert (header.source.code, header.dest.code, header.version) == ("800LLLL", "XXXXXXX", "25.0")  # type: ignore[attr-defined]
    assert header.destination is Destination.UNKNOWN  # type: ignore[attr-defined]
    assert exported.name == "800LLLL_CTF_XXXXXXX_001.xml"


def test_importing_the_export_again_changes_nothing(
    example_school: School, cme_officer: User
) -> None:
    import_sample(ctf(EVERYTHING))
    child = Child.objects.get()
    exported = services.export_child_ctf(
        actor=cme_officer, child=child, dest=SchoolRef(lea="800", estab="2001")
    )
    before = Child.objects.values().get()

    ctf_file = import_sample(exported.content, name=exported.name)

    assert (
        ctf_file.runs.get().counts_line() == "created=0 updated=0 unchanged=1 review=0 rejected=0"
    )
    assert Child.objects.values().get() == before


def test_a_child_known_only_from_the_register_exports_as_a_ctf_that_reads_cleanly(
    school: School, cme_officer: User
) -> None:
    child = pupil_at(school, middle_names="Rose", sen_status=SenStatus.EHC_PLAN, looked_after=True)
    CurrentAddressFactory.create(child=child, line_1="2 Lyncombe Hill", postcode="BA2 4PQ")
    CarerFactory.create(child=child, full_name="Jane Mary Smith", phone="07700 900456")

    exported = services.export_child_ctf(
        actor=cme_officer, child=child, dest=SchoolRef(lea="873", estab="4001")
    )

    _, [out] = read(exported.content)
    assert out.findings == ()
    assert (out.upn, out.forename, out.middle_names) == (child.upn, child.forename, "Rose")
    assert out.in_care is True
    assert [entry.provision for entry in out.sen] == ["E"]
    assert out.address is not None
    assert out.address.postcode == "BA2 4PQ"
    [contact] = out.contacts
    assert (contact.forename, contact.middle_names, contact.surname) == ("Jane", "Mary", "Smith")
    assert (contact.relationship, contact.responsibility) == ("PAM", True)
    [history] = out.school_history
    assert history.laestab == school.laestab


def test_an_export_is_audited_and_logged_as_an_export(cme_officer: User) -> None:
    child = ChildFactory.create()

    services.export_child_ctf(
        actor=cme_officer, child=child, dest=SchoolRef(lea="MMM", estab="MMMM")
    )

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CTF_EXPORTED)
    assert (event.child_id, event.actor) == (child.pk, cme_officer)
    assert "MMMMMMM" in event.summary
    assert AccessEvent.objects.filter(
        action=AccessEvent.Action.EXPORT, child_id=child.pk, actor=cme_officer
    ).exists()


def test_forwarding_a_lost_pupils_ctf_readdresses_the_file_as_received(cme_officer: User) -> None:
    item = lost_pupil_on_worklist()
    received = bytes(CtfFile.objects.get().content)

    forwarded = services.forward_lost_pupil_ctf(
        actor=cme_officer, item=item, dest=SchoolRef(lea="800", estab="2001", name="Widcombe")
    )

    header, [out] = read(forwarded.content)
    original_header, [original] = read(received)
    assert header.dest == SchoolRef(lea="800", estab="2001")  # type: ignore[attr-defined]
    assert header.source == original_header.source  # type: ignore[attr-defined]
    assert comparable(out) == comparable(original)
    assert forwarded.name == "8739999_CTF_8002001_001.xml"
    item.refresh_from_db()
    assert (item.status, item.forwarded_to) == (TransferWorkItem.Status.DONE, "8002001")
    assert item.outcome == "CTF forwarded to Widcombe (8002001)"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CTF_EXPORTED).count() == 1


def test_a_sen_status_changed_in_the_register_is_the_newest_provision_in_the_export(
    example_school: School, cme_officer: User
) -> None:
    import_sample(ctf(EVERYTHING))  # SEN support from 2023
    child = Child.objects.get()
    child.sen_status = SenStatus.EHC_PLAN
    child.save()

    exported = services.export_child_ctf(actor=cme_officer, child=child, dest=LOST)

    _, [out] = read(exported.content)
    assert [entry.provision for entry in out.sen] == ["K", "E"]
    assert out.sen[-1].start_date is not None
