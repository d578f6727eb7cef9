"""The importers as services: what a GIAS extract and a pupil roll file do to the register.

Files are hand-written from the contract (docs/interfaces.md) and the GIAS header verified in
spec section 5.2. UPNs and NHS numbers are synthetic (`make_upn`, the 999 NHS range) or the
public worked examples of spec sections 2 and 3.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cme.accounts.models import User
from cme.audit.models import AuditEvent
from cme.pupils import importers, services
from cme.pupils.importers import (
    ImportRefused,
    KnownChild,
    KnownChildren,
    find_existing_child,
    import_pupils_file,
    import_schools_file,
)
from cme.pupils.models import (
    Address,
    Child,
    Enrolment,
    ImportRun,
    LocalAuthority,
    School,
    SchoolPhase,
    SchoolStatus,
    SchoolType,
)
from cme.standards.nhs_number import make_synthetic_nhs_number
from cme.standards.upn import make_upn

pytestmark = pytest.mark.django_db

# The header of edubaseallstatefunded.csv, July 2025, in its own order (spec section 5.2).
GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (name)",
    "OfficialSixthForm (name)",
    "Gender (name)",
    "ReligiousCharacter (name)",
    "AdmissionsPolicy (name)",
    "UKPRN",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "HeadPreferredJobTitle",
    "GOR (name)",
    "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)",
]

PUPIL_HEADER = [
    "upn",
    "forename",
    "middle_names",
    "surname",
    "former_surname",
    "dob",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "laestab",
    "start_date",
]

UPN_1 = make_upn("800", "2001", "19", "001")
UPN_2 = make_upn("800", "2001", "19", "002")
UPN_3 = make_upn("800", "2001", "19", "003")
# The DfE guidance's worked example (spec section 2.2) with its check letter H changed to A.
UPN_WRONG_CHECK_LETTER = "A801200001001"
NHS_1 = make_synthetic_nhs_number(1)
START = "2024-09-04"


def gias_row(**values: str) -> dict[str, str]:
    """A GIAS row for an open community primary school in Bath and North East Somerset."""
    row = {
        "URN": "109123",
        "LA (code)": "800",
        "LA (name)": "Bath and North East Somerset",
        "EstablishmentNumber": "2001",
        "EstablishmentName": "Widcombe Junior School",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentStatus (name)": "Open",
        "ReasonEstablishmentOpened (name)": "Not applicable",
        "OpenDate": "",
        "PhaseOfEducation (name)": "Primary",
        "StatutoryLowAge": "7",
        "StatutoryHighAge": "11",
        "Postcode": "BA2 4JR",
        "HeadTitle (name)": "Mrs",
        "HeadFirstName": "Philippa",
        "HeadLastName": "Quennell",
        "HeadPreferredJobTitle": "Headteacher",
    }
    row.update(values)
    return row


def pupil(**values: str) -> dict[str, str]:
    """A pupil row at LAESTAB 8002001 with a valid UPN."""
    row = {
        "upn": UPN_1,
        "forename": "Zoë",
        "middle_names": "",
        "surname": "O'Neill",
        "former_surname": "",
        "dob": "2015-03-14",
        "sex": "F",
        "postcode": "BA2 4JR",
        "address": "1 Widcombe Parade",
        "nhs_number": NHS_1,
        "laestab": "8002001",
        "start_date": START,
    }
    row.update(values)
    return row


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    *,
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([[row.get(column, "") for column in header] for row in rows])
    return path


def pupils_file(
    tmp_path: Path,
    rows: Sequence[Mapping[str, str]],
    header: Sequence[str] = PUPIL_HEADER,
    name: str = "pupils.csv",
) -> Path:
    return write_csv(tmp_path / name, header, rows)


def add_school(
    laestab: str = "8002001",
    urn: str = "109123",
    status: SchoolStatus = SchoolStatus.OPEN,
    name: str = "Widcombe Junior School",
) -> School:
    return services.upsert_school(
        actor=None,
        urn=urn,
        local_authority=LocalAuthority.objects.get(code=laestab[:3]),
        establishment_number=laestab[3:],
        laestab=laestab,
        name=name,
        school_type=SchoolType.MAINTAINED,
        type_name="Community school",
        phase=SchoolPhase.PRIMARY,
        status=status,
    ).school


@pytest.fixture
def school(db: None) -> School:
    """Widcombe Junior School, LAESTAB 8002001, open."""
    return add_school()


def add_child(**fields: Any) -> Child:
    return services.create_child(actor=None, **fields)


def register() -> dict[str, int]:
    """How many rows each table of the register holds: a write changes at least one."""
    return {
        "schools": School.objects.count(),
        "authorities": LocalAuthority.objects.count(),
        "children": Child.objects.count(),
        "addresses": Address.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "events": AuditEvent.objects.count(),
        "runs": ImportRun.objects.count(),
    }


def lines(report: importers.ImportReport) -> list[str]:
    return [str(message) for message in report.messages]


# --- GIAS extracts -------------------------------------------------------------------------


def test_a_gias_extract_creates_each_school_with_the_columns_it_needs(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "edubaseallstatefunded20250701.csv",
        GIAS_HEADER,
        [
            gias_row(),
            gias_row(
                URN="141234",
                EstablishmentNumber="4001",
                EstablishmentName="Beechen Cliff School",
                **{
                    "TypeOfEstablishment (name)": "Academy converter",
                    "PhaseOfEducation (name)": "Secondary",
                },
            ),
        ],
    )

    report = import_schools_file(path=path)

    assert report.counts_line() == "created=2 updated=0 unchanged=0 review=0 rejected=0"
    assert report.messages == []
    widcombe = School.objects.get(urn="109123")
    assert widcombe.laestab == "8002001"
    assert widcombe.local_authority.code == "800"
    assert widcombe.school_type == SchoolType.MAINTAINED
    assert widcombe.type_name == "Community school"
    assert widcombe.phase == SchoolPhase.PRIMARY
    assert widcombe.status == SchoolStatus.OPEN
    assert widcombe.postcode == "BA2 4JR"
    assert School.objects.get(urn="141234").school_type == SchoolType.ACADEMY


def test_a_gias_import_keeps_no_head_teachers_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gias.csv", GIAS_HEADER, [gias_row()])

    import_schools_file(path=path)

    rows = [
        *School.objects.values(),
        *AuditEvent.objects.values(),
        *ImportRun.objects.values(),
    ]
    stored = [str(value) for row in rows for value in row.values()]
    assert not any("Philippa" in value or "Quennell" in value for value in stored)


def test_importing_the_same_gias_extract_again_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gias.csv", GIAS_HEADER, [gias_row(), gias_row(URN="109124")])
    import_schools_file(path=path)
    before = register()

    report = import_schools_file(path=path)

    assert report.counts_line() == "created=0 updated=0 unchanged=2 review=0 rejected=0"
    after = register()
    assert after == {**before, "events": before["events"] + 1, "runs": before["runs"] + 1}


def test_a_changed_gias_row_updates_the_school_found_by_urn(tmp_path: Path) -> None:
    import_schools_file(path=write_csv(tmp_path / "a.csv", GIAS_HEADER, [gias_row()]))

    report = import_schools_file(
        path=write_csv(
            tmp_path / "b.csv", GIAS_HEADER, [gias_row(EstablishmentName="Widcombe Academy")]
        )
    )

    assert report.updated == 1
    assert School.objects.get(urn="109123").name == "Widcombe Academy"


def test_closed_establishments_are_imported_with_their_status(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "gias.csv",
        GIAS_HEADER,
        [gias_row(**{"EstablishmentStatus (name)": "Closed"})],
    )

    report = import_schools_file(path=path)

    assert report.created == 1
    assert School.objects.get(urn="109123").status == SchoolStatus.CLOSED


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"URN": "10912A"}, "line 2, column 1: URN must be a number (digits only); row rejected"),
        (
            {"EstablishmentName": ""},
            "line 2, column 5: EstablishmentName is missing; row rejected",
        ),
        ({"LA (code)": "80"}, "line 2, column 2: LA (code) must be 3 digits; row rejected"),
        (
            {"EstablishmentNumber": "201"},
            "line 2, column 4: EstablishmentNumber must be 4 digits; row rejected",
        ),
    ],
)
def test_a_bad_gias_row_is_rejected_with_its_line_and_column(
    tmp_path: Path, values: dict[str, str], message: str
) -> None:
    path = write_csv(tmp_path / "gias.csv", GIAS_HEADER, [gias_row(**values)])

    report = import_schools_file(path=path)

    assert report.counts_line() == "created=0 updated=0 unchanged=0 review=0 rejected=1"
    assert lines(report) == [message]
    assert School.objects.exists() is False


def test_an_unknown_establishment_status_rejects_the_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "gias.csv", GIAS_HEADER, [gias_row(**{"EstablishmentStatus (name)": "Gone"})]
    )

    report = import_schools_file(path=path)

    assert report.rejected == 1
    assert lines(report)[0].startswith("line 2, column 7: EstablishmentStatus (name) must be")


def test_an_la_code_missing_from_the_reference_list_is_added_with_a_message(
    tmp_path: Path,
) -> None:
    LocalAuthority.objects.filter(code="800").delete()
    path = write_csv(tmp_path / "gias.csv", GIAS_HEADER, [gias_row()])

    report = import_schools_file(path=path)

    assert report.created == 1
    assert LocalAuthority.objects.get(code="800").name == "Bath and North East Somerset"
    assert lines(report) == [
        "line 2, column 2: LA code 800 is not in the reference list of local authorities; "
        "added as 'Bath and North East Somerset'"
    ]


def test_an_unknown_phase_is_recorded_as_not_applicable_with_a_message(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "gias.csv", GIAS_HEADER, [gias_row(**{"PhaseOfEducation (name)": "Tertiary"})]
    )

    report = import_schools_file(path=path)

    assert report.created == 1
    assert School.objects.get().phase == SchoolPhase.NOT_APPLICABLE
    assert lines(report)[0].startswith("line 2, column 10: PhaseOfEducation (name)")


def test_a_column_gias_does_not_have_is_ignored_with_a_message_on_line_1(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gias.csv", [*GIAS_HEADER, "Notes"], [gias_row(Notes="x")])

    report = import_schools_file(path=path)

    assert report.created == 1
    assert lines(report) == [
        f"line 1, column {len(GIAS_HEADER) + 1}: unknown column 'Notes' ignored"
    ]


# --- Faults that refuse a whole file -------------------------------------------------------


def test_a_byte_order_mark_is_accepted(tmp_path: Path, school: School) -> None:
    path = write_csv(tmp_path / "bom.csv", PUPIL_HEADER, [pupil()], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    report = import_pupils_file(path=path)

    assert report.created == 1
    assert Child.objects.get().upn == UPN_1


def test_header_names_are_matched_after_trimming_spaces(tmp_path: Path, school: School) -> None:
    header = [f"  {column} " for column in PUPIL_HEADER]
    path = write_csv(tmp_path / "spaced.csv", header, [])
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow([pupil()[column] for column in PUPIL_HEADER])

    assert import_pupils_file(path=path).created == 1


def test_a_missing_required_header_refuses_the_file_and_writes_nothing(
    tmp_path: Path, school: School
) -> None:
    header = [column for column in PUPIL_HEADER if column not in {"dob", "laestab"}]
    path = pupils_file(tmp_path, [pupil()], header=header)
    before = register()

    with pytest.raises(ImportRefused) as refused:
        import_pupils_file(path=path)

    assert "missing the required columns dob, laestab" in refused.value.message
    assert "\n" not in refused.value.message
    assert register() == before


def test_a_header_in_the_wrong_case_is_refused_with_a_hint(tmp_path: Path, school: School) -> None:
    header = ["UPN" if column == "upn" else column for column in PUPIL_HEADER]
    path = pupils_file(tmp_path, [pupil(UPN=UPN_1)], header=header)

    with pytest.raises(ImportRefused) as refused:
        import_pupils_file(path=path)

    assert "'UPN' should be 'upn'" in refused.value.message


def test_a_file_that_is_not_utf8_is_refused_and_writes_nothing(
    tmp_path: Path, school: School
) -> None:
    path = write_csv(tmp_path / "excel.csv", PUPIL_HEADER, [pupil()], encoding="cp1252")
    before = register()

    with pytest.raises(ImportRefused) as refused:
        import_pupils_file(path=path)

    assert "is not UTF-8: line 2" in refused.value.message
    assert "CSV UTF-8" in refused.value.message
    assert register() == before


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, school: School) -> None:
    path = pupils_file(tmp_path, [pupil()])

    with (
        override_settings(IMPORT_MAX_BYTES=path.stat().st_size - 1),
        pytest.raises(ImportRefused) as refused,
    ):
        import_pupils_file(path=path)

    assert "larger than the limit" in refused.value.message
    assert Child.objects.exists() is False


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (bytes(range(256)) * 4, "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 50, "Excel workbook"),
        (b"%PDF-1.7\n" + b"x" * 50, "PDF"),
        ("upn,forename\n".encode("utf-16"), "UTF-16"),
    ],
    ids=["binary junk", "xlsx", "pdf", "utf-16"],
)
def test_a_file_that_is_not_csv_is_refused(
    tmp_path: Path, school: School, content: bytes, expected: str
) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(content)

    with pytest.raises(ImportRefused) as refused:
        import_pupils_file(path=path)

    assert expected in refused.value.message


def test_text_that_is_not_a_pupil_csv_is_refused(tmp_path: Path, school: School) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("Dear team, please find the roll attached.\n", encoding="utf-8")

    with pytest.raises(ImportRefused) as refused:
        import_pupils_file(path=path)

    assert "is not a pupil CSV" in refused.value.message


def test_a_value_too_large_for_the_csv_reader_refuses_the_file(
    tmp_path: Path, school: School
) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2, address="x" * 200_000)])

    with pytest.raises(ImportRefused) as refused:
        import_pupils_file(path=path)

    assert "not a readable CSV file: line 3" in refused.value.message
    assert Child.objects.exists() is False


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n"])
def test_an_empty_file_is_refused(tmp_path: Path, school: School, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    with pytest.raises(ImportRefused) as refused:
        import_pupils_file(path=path)

    assert "is empty" in refused.value.message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_schools_file(path=tmp_path / "nowhere.csv")

    assert "cannot read" in refused.value.message


def test_a_file_with_only_a_header_imports_nothing(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, []))

    assert report.counts_line() == "created=0 updated=0 unchanged=0 review=0 rejected=0"


# --- Pupil files ---------------------------------------------------------------------------


def test_a_pupil_file_adds_each_child_with_their_address_and_enrolment(
    tmp_path: Path, school: School
) -> None:
    path = pupils_file(
        tmp_path,
        [
            pupil(middle_names="Anne", former_surname="Smith;Jones"),
            pupil(
                upn=UPN_2,
                forename="Katarzyna",
                surname="Nowak-Kowalska",
                dob="2014-11-02",
                nhs_number="",
                sex="F",
            ),
        ],
    )

    report = import_pupils_file(path=path)

    assert report.counts_line() == "created=2 updated=0 unchanged=0 review=0 rejected=0"
    assert report.messages == []
    zoe = Child.objects.get(upn=UPN_1)
    assert (zoe.forename, zoe.middle_names, zoe.surname) == ("Zoë", "Anne", "O'Neill")
    assert zoe.former_surname_list == ["Smith", "Jones"]
    assert zoe.date_of_birth == datetime.date(2015, 3, 14)
    assert zoe.sex == "F"
    assert zoe.nhs_number == NHS_1
    address = zoe.addresses.get()
    assert (address.line_1, address.postcode, address.is_current) == (
        "1 Widcombe Parade",
        "BA2 4JR",
        True,
    )
    enrolment = zoe.enrolments.get()
    assert (enrolment.school, enrolment.start_date, enrolment.end_date) == (
        school,
        datetime.date(2024, 9, 4),
        None,
    )
    kinds = set(AuditEvent.objects.filter(child_id=zoe.pk).values_list("kind", flat=True))
    assert kinds == {
        AuditEvent.Kind.CHILD_CREATED,
        AuditEvent.Kind.ADDRESS_RECORDED,
        AuditEvent.Kind.ENROLMENT_CREATED,
    }


def test_names_with_apostrophes_diacritics_and_hyphens_round_trip(
    tmp_path: Path, school: School
) -> None:
    names = [("Zoë", "O'Neill"), ("Katarzyna", "Nowak-Kowalska"), ("Seán", "Ó Briain")]
    rows = [
        pupil(upn=upn, forename=forename, surname=surname)
        for upn, (forename, surname) in zip((UPN_1, UPN_2, UPN_3), names, strict=True)
    ]

    import_pupils_file(path=pupils_file(tmp_path, rows))

    stored = set(Child.objects.values_list("forename", "surname"))
    assert stored == set(names)


def test_decomposed_accents_are_stored_composed(tmp_path: Path, school: School) -> None:
    import_pupils_file(path=pupils_file(tmp_path, [pupil(forename="Zoe\u0308")]))

    assert Child.objects.get().forename == "Zoë"


def test_importing_the_same_pupil_file_again_changes_nothing(
    tmp_path: Path, school: School
) -> None:
    path = pupils_file(
        tmp_path,
        [
            pupil(),
            pupil(upn="", forename="Jack", surname="Brown", dob="2016-01-20", nhs_number=""),
            pupil(upn=UPN_2, forename="Amelia", surname="Patel", dob="2013-07-07"),
        ],
    )
    import_pupils_file(path=path)
    before = register()

    report = import_pupils_file(path=path)

    assert report.counts_line() == "created=0 updated=0 unchanged=3 review=0 rejected=0"
    assert register() == {**before, "events": before["events"] + 1, "runs": before["runs"] + 1}


def test_the_same_child_twice_in_one_file_is_added_once(tmp_path: Path, school: School) -> None:
    other = add_school(laestab="8002002", urn="109124", name="Oldfield Park Infant School")
    path = pupils_file(tmp_path, [pupil(), pupil(laestab="8002002", start_date="2025-01-06")])

    report = import_pupils_file(path=path)

    assert report.counts_line() == "created=1 updated=1 unchanged=0 review=0 rejected=0"
    child = Child.objects.get()
    assert {enrolment.school for enrolment in child.enrolments.all()} == {school, other}


def test_a_upn_with_a_wrong_check_letter_counts_as_missing_with_a_line_and_column_warning(
    tmp_path: Path, school: School
) -> None:
    path = pupils_file(tmp_path, [pupil(upn=UPN_WRONG_CHECK_LETTER)])

    report = import_pupils_file(path=path)

    assert lines(report) == ["line 2, column 1: UPN invalid (wrong check letter at character 1)"]
    assert report.created == 1
    assert Child.objects.get().upn == ""


def test_a_upn_in_the_wrong_format_counts_as_missing(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(upn="12345")]))

    assert lines(report) == [
        "line 2, column 1: UPN invalid (not 13 characters: a letter, 11 digits, then a digit "
        "or a letter)"
    ]
    assert report.created == 1


def test_a_upn_is_normalised_before_it_is_stored(tmp_path: Path, school: School) -> None:
    spaced = f" {UPN_1[:5].lower()} {UPN_1[5:]} "

    import_pupils_file(path=pupils_file(tmp_path, [pupil(upn=spaced)]))

    assert Child.objects.get().upn == UPN_1


@pytest.mark.parametrize(
    ("dob", "reason"),
    [
        ("14/03/2015", "dob is not a date in the form YYYY-MM-DD; counted as missing"),
        (
            "2015-02-30",
            "dob is not a real date (the day or month is out of range); counted as missing",
        ),
        ("2999-01-01", "dob is in the future; counted as missing"),
    ],
    ids=["unparseable", "impossible", "future"],
)
def test_a_bad_date_of_birth_counts_as_missing_and_the_row_is_still_used(
    tmp_path: Path, school: School, dob: str, reason: str
) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(dob=dob)]))

    assert lines(report) == [f"line 2, column 6: {reason}"]
    assert report.created == 1
    assert Child.objects.get().date_of_birth is None


def test_an_invalid_nhs_number_counts_as_missing(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(nhs_number="9434765918")]))

    assert lines(report) == [
        "line 2, column 10: NHS number invalid (not 10 digits, or wrong check digit)"
    ]
    assert Child.objects.get().nhs_number == ""


def test_an_nhs_number_written_with_spaces_is_stored_as_ten_digits(
    tmp_path: Path, school: School
) -> None:
    import_pupils_file(path=pupils_file(tmp_path, [pupil(nhs_number="943 476 5919")]))

    assert Child.objects.get().nhs_number == "9434765919"


@pytest.mark.parametrize(("sex", "stored"), [("M", "M"), ("f", "F"), ("U", "U"), ("", "U")])
def test_sex_is_m_f_or_u(tmp_path: Path, school: School, sex: str, stored: str) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(sex=sex)]))

    assert report.messages == []
    assert Child.objects.get().sex == stored


def test_any_other_sex_is_recorded_as_u_with_a_warning(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(sex="Female")]))

    assert lines(report) == ["line 2, column 7: sex must be M, F or U; recorded as U"]
    assert Child.objects.get().sex == "U"


def test_an_unknown_laestab_rejects_the_row(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(laestab="8009999")]))

    assert report.counts_line() == "created=0 updated=0 unchanged=0 review=0 rejected=1"
    assert lines(report) == [
        "line 2, column 11: laestab 8009999 is not a known school (import the GIAS extract "
        "with import_schools first); row rejected"
    ]
    assert Child.objects.exists() is False


def test_a_laestab_that_is_not_seven_digits_rejects_the_row(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(laestab="800-2001")]))

    assert report.rejected == 1
    assert lines(report)[0].startswith("line 2, column 11: laestab must be 7 digits")


def test_a_row_with_neither_forename_nor_surname_is_rejected(
    tmp_path: Path, school: School
) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(forename=" ", surname="")]))

    assert lines(report) == ["line 2, column 2: neither forename nor surname given; row rejected"]
    assert report.rejected == 1


def test_a_row_with_only_a_surname_is_used(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(forename="")]))

    assert report.created == 1


@pytest.mark.parametrize("start_date", ["", "04/09/2024", "2024-13-01"])
def test_a_row_without_a_valid_start_date_is_rejected(
    tmp_path: Path, school: School, start_date: str
) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(start_date=start_date)]))

    assert report.rejected == 1
    assert lines(report)[0].startswith("line 2, column 12: start_date")
    assert Child.objects.exists() is False


def test_a_value_too_long_to_store_counts_as_missing(tmp_path: Path, school: School) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(address="x" * 201)]))

    assert lines(report) == ["line 2, column 9: address is too long to store; counted as missing"]
    assert Child.objects.get().addresses.get().line_1 == ""


def test_a_row_rejected_for_several_reasons_reports_each(tmp_path: Path, school: School) -> None:
    row = pupil(forename="", surname="", laestab="x", dob="soon")

    report = import_pupils_file(path=pupils_file(tmp_path, [row]))

    assert report.rejected == 1
    assert [message.column for message in report.messages] == [2, 6, 11]


def test_line_numbers_count_physical_lines(tmp_path: Path, school: School) -> None:
    path = pupils_file(
        tmp_path,
        [
            pupil(address="Flat 2\nWidcombe Parade"),
            pupil(upn=UPN_2, forename="Jack", dob="2015-03-15", sex="boy"),
        ],
    )

    report = import_pupils_file(path=path)

    assert lines(report) == ["line 4, column 7: sex must be M, F or U; recorded as U"]


def test_blank_lines_and_rows_of_blank_values_are_skipped(tmp_path: Path, school: School) -> None:
    path = tmp_path / "gappy.csv"
    cells = [pupil()[column] for column in PUPIL_HEADER]
    path.write_text(
        ",".join(PUPIL_HEADER) + "\n\n" + ",,,,\n" + ",".join(cells) + "\n", encoding="utf-8"
    )

    report = import_pupils_file(path=path)

    assert report.counts_line() == "created=1 updated=0 unchanged=0 review=0 rejected=0"


def test_a_row_with_fewer_or_more_values_than_columns_is_read_and_noted(
    tmp_path: Path, school: School
) -> None:
    path = tmp_path / "ragged.csv"
    cells = [pupil()[column] for column in PUPIL_HEADER]
    other = [pupil(upn=UPN_2, surname="Brown")[column] for column in PUPIL_HEADER]
    path.write_text(
        "\n".join([",".join(PUPIL_HEADER), ",".join([*cells, "extra"]), ",".join(other[:-1])])
        + "\n",
        encoding="utf-8",
    )

    report = import_pupils_file(path=path)

    assert lines(report) == [
        "line 2, column 13: more values than column names; ignored",
        "line 3, column 12: fewer values than column names; read as blank",
        "line 3, column 12: start_date is missing; row rejected",
    ]
    assert report.created == 1


def test_unknown_pupil_columns_are_ignored_with_a_message(tmp_path: Path, school: School) -> None:
    header = [*PUPIL_HEADER, "ethnicity", "end_date"]
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(ethnicity="WBRI")], header))

    assert lines(report) == ["line 1, column 13: unknown column 'ethnicity' ignored"]
    assert report.created == 1


def test_an_end_date_and_leaving_reason_close_the_enrolment(tmp_path: Path, school: School) -> None:
    header = [*PUPIL_HEADER, "end_date", "leaving_reason"]
    import_pupils_file(path=pupils_file(tmp_path, [pupil()], header, name="a.csv"))

    report = import_pupils_file(
        path=pupils_file(
            tmp_path,
            [pupil(end_date="2025-02-14", leaving_reason="Moved to Wales")],
            header,
            name="b.csv",
        )
    )

    assert report.counts_line() == "created=0 updated=1 unchanged=0 review=0 rejected=0"
    enrolment = Enrolment.objects.get()
    assert (enrolment.end_date, enrolment.leaving_reason) == (
        datetime.date(2025, 2, 14),
        "Moved to Wales",
    )


def test_an_end_date_before_the_start_date_counts_as_missing(
    tmp_path: Path, school: School
) -> None:
    header = [*PUPIL_HEADER, "end_date"]

    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(end_date="2024-01-01")], header))

    assert lines(report) == ["line 2, column 13: end_date is before start_date; counted as missing"]
    assert Enrolment.objects.get().end_date is None


def test_a_blank_end_date_never_reopens_an_ended_enrolment(tmp_path: Path, school: School) -> None:
    header = [*PUPIL_HEADER, "end_date"]
    import_pupils_file(path=pupils_file(tmp_path, [pupil(end_date="2025-02-14")], header, "a.csv"))

    report = import_pupils_file(path=pupils_file(tmp_path, [pupil()], name="b.csv"))

    assert report.unchanged == 1
    assert Enrolment.objects.get().end_date == datetime.date(2025, 2, 14)


def test_blank_values_never_erase_what_is_stored(tmp_path: Path, school: School) -> None:
    child = add_child(
        forename="Zoë",
        middle_names="Anne",
        surname="O'Neill",
        upn=UPN_1,
        nhs_number=NHS_1,
        sex="F",
        date_of_birth=datetime.date(2015, 3, 14),
    )
    row = pupil(middle_names="", nhs_number="", sex="U", dob="", postcode="", address="")

    report = import_pupils_file(path=pupils_file(tmp_path, [row]))

    assert report.counts_line() == "created=0 updated=1 unchanged=0 review=0 rejected=0"
    child.refresh_from_db()
    assert (child.middle_names, child.nhs_number, child.sex, child.date_of_birth) == (
        "Anne",
        NHS_1,
        "F",
        datetime.date(2015, 3, 14),
    )
    assert child.addresses.exists() is False


def test_a_changed_value_updates_the_child_and_is_audited(tmp_path: Path, school: School) -> None:
    import_pupils_file(path=pupils_file(tmp_path, [pupil()], name="a.csv"))

    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(surname="Murphy")], name="b.csv"))

    assert report.updated == 1
    child = Child.objects.get()
    assert child.surname == "Murphy"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CHILD_UPDATED)
    assert event.changes == {"surname": ["O'Neill", "Murphy"]}


def test_former_surnames_are_added_to_never_replaced(tmp_path: Path, school: School) -> None:
    import_pupils_file(path=pupils_file(tmp_path, [pupil(former_surname="Smith")], name="a.csv"))

    import_pupils_file(
        path=pupils_file(tmp_path, [pupil(former_surname="jones; SMITH")], name="b.csv")
    )

    assert Child.objects.get().former_surname_list == ["Smith", "jones"]


def test_a_new_address_keeps_the_old_one_in_the_history(tmp_path: Path, school: School) -> None:
    import_pupils_file(path=pupils_file(tmp_path, [pupil()], name="a.csv"))

    report = import_pupils_file(
        path=pupils_file(
            tmp_path, [pupil(address="4 Lyncombe Hill", postcode="BA2 4PQ")], name="b.csv"
        )
    )

    assert report.updated == 1
    child = Child.objects.get()
    assert child.addresses.count() == 2
    assert child.addresses.get(moved_out__isnull=True).line_1 == "4 Lyncombe Hill"


def test_a_postcode_alone_that_matches_keeps_the_current_address(
    tmp_path: Path, school: School
) -> None:
    import_pupils_file(path=pupils_file(tmp_path, [pupil()], name="a.csv"))

    report = import_pupils_file(
        path=pupils_file(tmp_path, [pupil(address="", postcode="ba2  4jr")], name="b.csv")
    )

    assert report.unchanged == 1
    assert Address.objects.count() == 1


# --- Recognising a child -------------------------------------------------------------------


def test_a_child_without_a_upn_is_recognised_by_name_and_date_of_birth_ignoring_case_and_accents(
    tmp_path: Path, school: School
) -> None:
    child = add_child(forename="Zoë", surname="O'Neill", date_of_birth=datetime.date(2015, 3, 14))

    report = import_pupils_file(
        path=pupils_file(tmp_path, [pupil(upn="", forename="ZOE", surname="o\u2019neill")])
    )

    assert report.created == 0
    assert report.updated == 1
    assert Child.objects.get().pk == child.pk


def test_a_new_valid_upn_is_added_to_the_child_found_by_name(
    tmp_path: Path, school: School
) -> None:
    child = add_child(forename="Zoë", surname="O'Neill", date_of_birth=datetime.date(2015, 3, 14))

    import_pupils_file(path=pupils_file(tmp_path, [pupil()]))

    child.refresh_from_db()
    assert child.upn == UPN_1


def test_a_child_is_recognised_by_their_former_upn_which_stays_former(
    tmp_path: Path, school: School
) -> None:
    child = add_child(forename="Zoë", surname="O'Neill", upn=UPN_2, former_upn=UPN_1)

    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(upn=UPN_1)]))

    assert report.created == 0
    child.refresh_from_db()
    assert (child.upn, child.former_upn) == (UPN_2, UPN_1)


def test_two_children_with_the_same_name_and_date_of_birth_send_the_row_to_review(
    tmp_path: Path, school: School
) -> None:
    for upn in (UPN_2, UPN_3):
        add_child(
            forename="Zoë", surname="O'Neill", date_of_birth=datetime.date(2015, 3, 14), upn=upn
        )
    before = register()

    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(upn="")]))

    assert report.counts_line() == "created=0 updated=0 unchanged=0 review=1 rejected=0"
    assert lines(report) == ["line 2: sent to review: 2 children have this name and date of birth"]
    assert register() == {**before, "events": before["events"] + 1, "runs": before["runs"] + 1}
    run = ImportRun.objects.get()
    assert run.review_count == 1
    assert run.review_rows[0]["line"] == 2
    assert run.review_rows[0]["row"]["surname"] == "O'Neill"


@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        (
            {"forename": "Zoey", "date_of_birth": datetime.date(2015, 3, 4)},
            "a child has the same surname and date of birth but another forename",
        ),
        (
            {"forename": "Zoë", "date_of_birth": datetime.date(2015, 4, 3)},
            "a child has the same name, with day and month of birth swapped",
        ),
    ],
    ids=["another forename", "day and month swapped"],
)
def test_a_near_miss_on_name_and_date_of_birth_goes_to_review(
    tmp_path: Path, school: School, stored: dict[str, Any], reason: str
) -> None:
    add_child(surname="O'Neill", **stored)

    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(upn="", dob="2015-03-04")]))

    assert report.review == 1
    assert lines(report) == [f"line 2: sent to review: {reason}"]
    assert Child.objects.count() == 1


def test_a_row_without_a_upn_or_date_of_birth_goes_to_review(
    tmp_path: Path, school: School
) -> None:
    report = import_pupils_file(path=pupils_file(tmp_path, [pupil(upn="", dob="")]))

    assert report.review == 1
    assert Child.objects.exists() is False


def test_a_twin_with_their_own_upn_is_a_new_child(tmp_path: Path, school: School) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2, forename="Niamh")])

    report = import_pupils_file(path=path)

    assert report.created == 2


def _known(*children: KnownChild) -> KnownChildren:
    known = KnownChildren()
    for child in children:
        known.add(child)
    return known


def _stored(child_id: int, forename: str, upn: str = "") -> KnownChild:
    return KnownChild(
        id=child_id,
        forename_key=importers.name_key(forename),
        surname_key=importers.name_key("O'Neill"),
        date_of_birth=datetime.date(2015, 3, 14),
        upn=upn,
        former_upn="",
    )


def test_find_existing_child_lets_a_valid_upn_decide_over_names() -> None:
    known = _known(_stored(1, "Zoë", upn=UPN_1))

    found = find_existing_child(
        upn=UPN_1, forename="Someone", surname="Else", date_of_birth=None, known=known
    )

    assert found == importers.Recognition(child_id=1)


def test_find_existing_child_sends_a_full_match_holding_another_upn_to_review() -> None:
    known = _known(_stored(1, "Zoë", upn=UPN_2))

    found = find_existing_child(
        upn=UPN_1,
        forename="Zoë",
        surname="O'Neill",
        date_of_birth=datetime.date(2015, 3, 14),
        known=known,
    )

    assert found.review_reason == "a child with the same name and date of birth has a different UPN"


def test_find_existing_child_matches_without_a_upn_a_child_who_has_one() -> None:
    known = _known(_stored(1, "Zoë", upn=UPN_2))

    found = find_existing_child(
        upn="",
        forename="zoe",
        surname="O'NEILL",
        date_of_birth=datetime.date(2015, 3, 14),
        known=known,
    )

    assert found == importers.Recognition(child_id=1)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Zoë O\u2019Neill", "ZOE O'NEILL"), ("Łucja", "lucja"), ("  Mary  Ann ", "mary ann")],
)
def test_name_keys_ignore_case_accents_spacing_and_apostrophe_style(
    first: str, second: str
) -> None:
    assert importers.name_key(first) == importers.name_key(second)


# --- Schools sharing a LAESTAB -------------------------------------------------------------


def test_where_schools_share_a_laestab_the_open_one_gets_the_enrolment(tmp_path: Path) -> None:
    add_school(urn="109123", status=SchoolStatus.CLOSED, name="Old Widcombe")
    successor = add_school(urn="145678", status=SchoolStatus.OPEN, name="Widcombe Academy")
    add_school(urn="100001", status=SchoolStatus.CLOSED, name="Older Widcombe")

    import_pupils_file(path=pupils_file(tmp_path, [pupil()]))

    assert Enrolment.objects.get().school == successor


# --- Full roll -----------------------------------------------------------------------------


@pytest.fixture
def roll_of_three(tmp_path: Path, school: School) -> Path:
    """Three pupils imported onto Widcombe's roll; returns the file."""
    path = pupils_file(
        tmp_path,
        [
            pupil(),
            pupil(upn=UPN_2, forename="Jack", surname="Brown", dob="2015-05-01"),
            pupil(upn=UPN_3, forename="Amelia", surname="Patel", dob="2015-06-01"),
        ],
        name="roll-autumn.csv",
    )
    import_pupils_file(path=path)
    return path


def test_a_full_roll_ends_the_enrolment_of_a_pupil_absent_from_it(
    tmp_path: Path, school: School, roll_of_three: Path
) -> None:
    path = pupils_file(
        tmp_path,
        [pupil(), pupil(upn=UPN_3, forename="Amelia", surname="Patel", dob="2015-06-01")],
        name="roll-spring.csv",
    )
    as_of = datetime.date(2025, 1, 10)

    report = import_pupils_file(path=path, full_roll=True, as_of=as_of)

    assert report.counts_line() == "created=0 updated=1 unchanged=2 review=0 rejected=0"
    jack = Child.objects.get(upn=UPN_2)
    assert jack.enrolments.get().end_date == as_of
    assert set(
        Enrolment.objects.filter(end_date__isnull=True).values_list("child__upn", flat=True)
    ) == {
        UPN_1,
        UPN_3,
    }
    removal = AuditEvent.objects.get(child_id=jack.pk, kind=AuditEvent.Kind.ENROLMENT_UPDATED)
    assert removal.details["removal"] is True
    assert removal.changes == {"end_date": [None, "2025-01-10"]}


def test_importing_the_same_full_roll_again_changes_nothing(
    tmp_path: Path, school: School, roll_of_three: Path
) -> None:
    path = pupils_file(tmp_path, [pupil()], name="roll-spring.csv")
    as_of = datetime.date(2025, 1, 10)
    import_pupils_file(path=path, full_roll=True, as_of=as_of)

    report = import_pupils_file(path=path, full_roll=True, as_of=as_of)

    assert report.counts_line() == "created=0 updated=0 unchanged=1 review=0 rejected=0"


def test_a_full_roll_leaves_other_schools_rolls_alone(
    tmp_path: Path, school: School, roll_of_three: Path
) -> None:
    add_school(laestab="8002002", urn="109124", name="Oldfield Park Infant School")
    path = pupils_file(
        tmp_path, [pupil(upn=make_upn("800", "2002", "19", "001"), laestab="8002002")]
    )

    report = import_pupils_file(path=path, full_roll=True, as_of=datetime.date(2025, 1, 10))

    assert report.updated == 0
    assert Enrolment.objects.filter(school=school, end_date__isnull=True).count() == 3


def test_a_full_roll_makes_no_removal_at_a_school_with_a_rejected_row(
    tmp_path: Path, school: School, roll_of_three: Path
) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2, forename="", surname="")])

    report = import_pupils_file(path=path, full_roll=True, as_of=datetime.date(2025, 1, 10))

    assert report.rejected == 1
    assert Enrolment.objects.filter(end_date__isnull=False).exists() is False
    assert report.warnings == [
        "no pupil was taken off the roll of 8002001: some of its rows were rejected or sent to "
        "review. Resolve them and import the file again."
    ]


def test_a_full_roll_makes_no_removal_at_all_when_a_row_has_no_known_school(
    tmp_path: Path, school: School, roll_of_three: Path
) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2, laestab="8009999")])

    report = import_pupils_file(path=path, full_roll=True, as_of=datetime.date(2025, 1, 10))

    assert Enrolment.objects.filter(end_date__isnull=False).exists() is False
    assert report.warnings[0].startswith("no pupil was taken off any roll")


def test_a_full_roll_does_not_end_an_enrolment_that_starts_after_its_date(
    tmp_path: Path, school: School
) -> None:
    import_pupils_file(path=pupils_file(tmp_path, [pupil(start_date="2025-04-22")], name="a.csv"))
    path = pupils_file(tmp_path, [pupil(upn=UPN_2, surname="Brown")], name="b.csv")

    import_pupils_file(path=path, full_roll=True, as_of=datetime.date(2025, 1, 10))

    assert Enrolment.objects.get(child__upn=UPN_1).end_date is None


def test_full_roll_and_as_of_go_together(tmp_path: Path, school: School) -> None:
    with pytest.raises(ValueError, match="go together"):
        import_pupils_file(path=pupils_file(tmp_path, [pupil()]), full_roll=True)


# --- One transaction, one record of the run ------------------------------------------------


def test_a_crash_mid_file_leaves_the_database_as_it_was(
    tmp_path: Path, school: School, roll_of_three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = [
        pupil(surname="Murphy"),
        pupil(upn=UPN_2, forename="Jack", surname="Smith", dob="2015-05-01"),
        pupil(upn=UPN_3, forename="Amelia", surname="Shah", dob="2015-06-01"),
        pupil(upn=make_upn("800", "2001", "19", "004"), forename="New", surname="Pupil"),
    ]
    path = pupils_file(tmp_path, changed, name="changes.csv")
    before = register()
    calls = 0
    update_child = services.update_child

    def crash_on_row_3(**kwargs: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        return update_child(**kwargs)

    monkeypatch.setattr(services, "update_child", crash_on_row_3)

    with pytest.raises(RuntimeError, match="disk full"):
        import_pupils_file(path=path)

    assert calls == 3
    assert register() == before
    assert set(Child.objects.values_list("surname", flat=True)) == {"O'Neill", "Brown", "Patel"}


def test_a_crash_while_adding_new_children_leaves_the_database_as_it_was(
    tmp_path: Path, school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2), pupil(upn=UPN_3)])
    before = register()

    def crash(**kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "_enrolment_created", crash)

    with pytest.raises(KeyboardInterrupt):
        import_pupils_file(path=path)

    assert register() == before


def test_each_file_is_recorded_as_one_run_with_one_audit_event(
    tmp_path: Path, school: School, cme_officer: User
) -> None:
    path = pupils_file(tmp_path, [pupil(), pupil(upn=UPN_2, laestab="8009999")])

    report = import_pupils_file(path=path, actor=cme_officer)

    run = ImportRun.objects.get()
    assert report.run == run
    assert (run.kind, run.file_name, run.run_by) == (
        ImportRun.Kind.PUPILS,
        "pupils.csv",
        cme_officer,
    )
    assert (run.created_count, run.rejected_count) == (1, 1)
    assert len(run.sha256) == 64
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.FILE_IMPORTED)
    assert (event.subject_type, event.subject_id) == ("pupils.importrun", str(run.pk))
    assert event.actor == cme_officer
    assert event.details["sha256"] == run.sha256
    imported = AuditEvent.objects.exclude(kind=AuditEvent.Kind.SCHOOL_CREATED)
    assert imported.exclude(actor=cme_officer).exists() is False


def test_progress_is_reported_with_the_number_of_rows(
    tmp_path: Path, school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [pupil(upn=make_upn("800", "2001", "20", f"{n:03d}"), surname=f"S{n}") for n in range(7)]
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(importers, "BATCH_SIZE", 3)

    import_pupils_file(
        path=pupils_file(tmp_path, rows), progress=lambda done, total: calls.append((done, total))
    )

    assert calls == [(3, 7), (6, 7), (7, 7), (7, 7)]


# --- Any text in a row ---------------------------------------------------------------------

# Values a school's system might well send, right and wrong, for each column.
_VALUES: dict[str, list[str]] = {
    "upn": [UPN_1, UPN_2, UPN_WRONG_CHECK_LETTER, ""],
    "forename": ["Zoë", "Jack", "Seán", ""],
    "middle_names": ["", "Anne"],
    "surname": ["O'Neill", "Nowak-Kowalska", ""],
    "former_surname": ["", "Smith;Jones", ";"],
    "dob": ["2015-03-14", "2015-14-03", "2015-03-04", ""],
    "sex": ["M", "F", "U", "X"],
    "postcode": ["BA2 4JR", ""],
    "address": ["1 Widcombe Parade", ""],
    "nhs_number": [NHS_1, "9434765918", ""],
    "laestab": ["8002001", "8002001", "8009999"],
    "start_date": [START, START, "2024-02-30"],
}


@st.composite
def _pupil_rows(draw: st.DrawFn) -> dict[str, str]:
    """A plausible pupil row in which a few values are replaced by any text at all."""
    row = {column: draw(st.sampled_from(values)) for column, values in _VALUES.items()}
    for column in draw(st.sets(st.sampled_from(PUPIL_HEADER), max_size=4)):
        row[column] = draw(st.text(max_size=60))
    return row


_rows = st.lists(_pupil_rows(), max_size=6)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=_rows)
def test_any_text_in_a_pupil_file_is_reported_or_refused_and_never_half_written(
    school: School, rows: list[dict[str, str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        path = pupils_file(Path(folder), rows)
        before = register()
        refusal = ""
        try:
            report = import_pupils_file(path=path)
        except ImportRefused as refused:
            refusal = refused.message
        if refusal:
            assert "\n" not in refusal
            assert register() == before
        else:
            non_blank = sum(1 for row in rows if any(value.strip() for value in row.values()))
            counted = (
                report.created + report.updated + report.unchanged + report.review + report.rejected
            )
            after = register()
            assert counted == non_blank
            assert after["children"] == before["children"] + report.created
            assert after["runs"] == before["runs"] + 1
        transaction.set_rollback(True)
