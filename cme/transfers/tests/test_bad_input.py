"""Whatever file arrives, importing it never crashes, hangs or leaves half a file imported:
it is refused (the register untouched) or imported whole (Hypothesis, with the database)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme.pupils.importers import ImportRefused
from cme.pupils.models import Address, Child, Contact, Enrolment
from cme.transfers import importers
from cme.transfers.models import CtfAttendanceTotals, CtfFile, CtfPupil

from .samples import UPN_2, ctf, lost_pupil_ctf, pupil

pytestmark = pytest.mark.django_db

DB_FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALID = ctf(pupil(), pupil(upn=UPN_2, forename="BEN", surname="ROE"))


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Child, Address, Contact, Enrolment, CtfAttendanceTotals, CtfPupil)
    )


def import_or_refuse(data: bytes) -> None:
    before = counts()
    try:
        report = importers.import_ctf_bytes(
            data=data, name="fuzz.xml", source=CtfFile.Source.COMMAND
        )
    except ImportRefused as refusal:
        message = refusal.message
    else:
        message = ""
    if message:
        assert "\n" not in message
        assert counts() == before  # nothing of a refused file reaches the register
        return
    assert report.file is not None
    assert CtfFile.objects.get(pk=report.file.pk).status == CtfFile.Status.IMPORTED
    total = report.created + report.updated + report.unchanged + report.review + report.rejected
    assert total == report.file.pupil_count


@DB_FUZZ
@given(st.integers(min_value=0, max_value=len(VALID)))
def test_a_truncated_file_is_refused_or_imported_whole(cut: int) -> None:
    import_or_refuse(VALID[:cut])


@DB_FUZZ
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.binary(min_size=1, max_size=12))
def test_a_corrupted_file_is_refused_or_imported_whole(at: int, junk: bytes) -> None:
    import_or_refuse(VALID[:at] + junk + VALID[at:])


# Any text XML can carry, in every value the importer reads, including the longest.
value = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30),
    st.sampled_from(["", " ", "0", "-1", "99999999", "2016-02-30", "9999-12-31", "true", "K"]),
    st.integers(min_value=90, max_value=5000).map(lambda n: "W" * n),
).map(
    lambda text: (
        text.replace("&", "&amp;").replace("<", "&lt;").replace("\ufffe", "").replace("\uffff", "")
    )
)


@st.composite
def wild_pupil(draw: st.DrawFn) -> str:
    def v() -> str:
        return draw(value)

    return pupil(
        upn=v(),
        surname=v(),
        forename=v(),
        dob=v(),
        sex=f"<Sex>{v()}</Sex>",
        basic=(
            f"<FormerUPN>{v()}</FormerUPN><FormerSurname>{v()}</FormerSurname>"
            f"<PreferredForename>{v()}</PreferredForename><MiddleNames>{v()}</MiddleNames>"
            f"<Ethnicity>{v()}</Ethnicity>"
        ),
        address=(
            f"<Address><BS7666Address><SAON>{v()}</SAON><PAON>{v()}</PAON><Street>{v()}</Street>"
            f"<Locality>{v()}</Locality><Town>{v()}</Town></BS7666Address>"
            f"<PostCode>{v()}</PostCode></Address>"
        ),
        contacts=(
            f"<Contacts><Contact><Order>{v()}</Order><Surname>{v()}</Surname>"
            f"<Forename>{v()}</Forename><Relationship>{v()}</Relationship>"
            f"<Responsibility>{v()}</Responsibility><Address><AddressLines><AddressLine1>{v()}"
            f"</AddressLine1></AddressLines></Address><Phones><Phone><PhoneNo>{v()}</PhoneNo>"
            f"</Phone></Phones><Email>{v()}</Email></Contact></Contacts>"
        ),
        attendance=(
            f"<Attendance><YearData><Year>{v()}</Year><LEA>{v()}</LEA><Estab>{v()}</Estab>"
            f"<SchoolName>{v()}</SchoolName><SessionsPossible>{v()}</SessionsPossible>"
            f"<SessionsAuthorised>{v()}</SessionsAuthorised><AttendSessions>"
            f"<AttendanceStartDate>{v()}</AttendanceStartDate><AttendanceMarks>{v()}"
            "</AttendanceMarks></AttendSessions></YearData></Attendance>"
        ),
        history=(
            f"<SchoolHistory><School><LEA>800</LEA><Estab>2001</Estab><SchoolName>{v()}</SchoolName>"
            f"<EntryDate>{v()}</EntryDate><LeavingDate>{v()}</LeavingDate>"
            f"<LeavingReason>{v()}</LeavingReason></School></SchoolHistory>"
        ),
        extra=f"<SENhistory><SEN><StartDate>{v()}</StartDate><SENprovision>{v()}</SENprovision>"
        f"</SEN></SENhistory>",
    )


@DB_FUZZ
@given(st.lists(wild_pupil(), min_size=1, max_size=3), st.booleans())
def test_any_values_in_any_element_never_break_an_import(pupils: list[str], lost: bool) -> None:
    content = lost_pupil_ctf(*pupils) if lost else ctf(*pupils)
    import_or_refuse(content)


def test_the_header_date_at_the_end_of_time_does_not_overflow() -> None:
    content = ctf().replace(b"2025-11-03T10:15:00", b"9999-12-31T23:59:59")

    report = importers.import_ctf_bytes(data=content, name="x.xml", source=CtfFile.Source.COMMAND)

    assert report.file is not None
    assert report.file.written_at is None
    assert any("DateTime" in warning for warning in report.warnings)


def test_a_child_born_on_the_first_day_of_the_calendar_imports() -> None:
    report = importers.import_ctf_bytes(
        data=ctf(pupil(dob="0001-01-01")), name="x.xml", source=CtfFile.Source.COMMAND
    )

    assert report.created == 1
    assert Child.objects.get().date_of_birth == datetime.date(1, 1, 1)
