"""What a Common Transfer File holds, as plain values: the header, and per pupil the parts this
service keeps (identity, basic details, address, contacts, attendance, SEN history, school
history) plus every other element verbatim, so that nothing received is lost.

Element names and order are those of spec.md §1.3-1.7 (DfE's own CTF writers and a commercial
MIS implementation; the official XSD is not in our hands yet, so order and cardinality are
secondary evidence).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Final

# The element names of the root, version and pupil list, by root element (spec §1.2).
ROOTS: Final = {
    "CTfile": ("CTFversion", "CTFpupilData"),
    "ATfile": ("ATFversion", "ATFpupilData"),
}
DOCUMENT_NAME: Final = "Common Transfer File"
# The oldest version read at all (docs/interfaces.md `import_ctf`).
OLDEST_VERSION: Final = 15
# The version this service writes: the newest whose element names are verified (spec §1.1:
# CTF 25 uses `Sex`, not `Gender`). Change it when a newer specification is in
# shared/standards/ctf/.
EXPORT_VERSION: Final = "25.0"
# Exports are made by the authority, not a school: `LLLL` as the establishment (spec §1.3).
AUTHORITY_ESTAB: Final = "LLLL"

# Pupil elements in the order writers emit them (spec §1.6). Elements not listed are written
# after these, in the order they were received.
PUPIL_ORDER: Final = (
    "ApplicationReference",
    "UPN",
    "UniqueLearnerNumber",
    "UCI",
    "Surname",
    "Forename",
    "DOB",
    "Sex",
    "BasicDetails",
    "FSMhistory",
    "NAWdetails",
    "LookedAfter",
    "SENhistory",
    "Admissions",
    "Address",
    "Phones",
    "Email",
    "Contacts",
    "Attendance",
    "StageAssessments",
    "SchoolHistory",
    "SuppInfo",
)
BASIC_DETAILS_ORDER: Final = (
    "FormerUPN",
    "PreferredSurname",
    "FormerSurname",
    "PreferredForename",
    "FormerForename",
    "MiddleNames",
    "NCyearActual",
    "Ethnicity",
    "EthnicitySource",
    "Languages",
    "MedicalFlag",
    "Disabilities",
    "EnrolStatus",
)


class Destination(enum.StrEnum):
    """Where a CTF is going, from `DestSchool` (spec §1.3, §1.9 rule 7)."""

    SCHOOL = "school"
    AUTHORITY = "authority"  # Estab LLLL: the local authority itself
    UNKNOWN = "unknown"  # the all-X LA and establishment codes: a lost pupil, destination unknown
    OUTSIDE = "outside"  # the all-M codes: independent sector, or outside England
    NOT_GIVEN = "not_given"

    @property
    def is_lost_pupil(self) -> bool:
        """Files the Lost Pupil Database holds: X and M files (spec §1.5)."""
        return self in {Destination.UNKNOWN, Destination.OUTSIDE}


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem with one element, where it is: the element path (XPath, with positions where
    siblings share a name) and the line it starts on. Never quotes a child's details."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class SchoolRef:
    """A school as a CTF names it: LA code and establishment number, perhaps URN and name."""

    lea: str = ""
    estab: str = ""
    urn: str = ""
    name: str = ""

    @property
    def laestab(self) -> str:
        """The 7-digit LAESTAB, or "" when either part is not digits (XXX, MMMM, LLLL ...)."""
        joined = f"{self.lea}{self.estab}"
        return joined if len(joined) == 7 and joined.isascii() and joined.isdigit() else ""

    @property
    def code(self) -> str:
        """LEA and Estab as one, as in file names: 8002001, XXXXXXX, 800LLLL."""
        return f"{self.lea}{self.estab}"

    @property
    def destination(self) -> Destination:
        lea, estab = self.lea.upper(), self.estab.upper()
        if not lea and not estab:
            return Destination.NOT_GIVEN
        if lea == "XXX" or estab == "XXXX":
            return Destination.UNKNOWN
        if lea == "MMM" or estab == "MMMM":
            return Destination.OUTSIDE
        if estab == AUTHORITY_ESTAB:
            return Destination.AUTHORITY
        return Destination.SCHOOL


LOST_DESTINATIONS: Final = {
    Destination.UNKNOWN: SchoolRef(lea="XXX", estab="XXXX"),
    Destination.OUTSIDE: SchoolRef(lea="MMM", estab="MMMM"),
}


@dataclass(frozen=True, slots=True)
class Header:
    """`CTfile/Header` (spec §1.3). `version` is as written; `version_number` its major part."""

    version: str
    version_number: int
    root: str = "CTfile"
    document_name: str = DOCUMENT_NAME
    date_time: datetime.datetime | None = None
    document_qualifier: str = ""
    data_qualifier: str = ""
    data_descriptor: str = ""
    supplier_id: str = ""
    source: SchoolRef = field(default_factory=SchoolRef)
    academic_year: int | None = None
    dest: SchoolRef = field(default_factory=SchoolRef)

    @property
    def destination(self) -> Destination:
        return self.dest.destination


@dataclass(frozen=True, slots=True)
class Address:
    """An address as the register keeps it: three lines and a postcode.

    Read from `BS7666Address` (SAON, PAON and Street make line 1; Locality line 2; Town, else
    PostTown, the town) or `AddressLines` (line 1, line 2, lines 3-5 the town); written as
    `AddressLines`, which gives the same values back.
    """

    line_1: str = ""
    line_2: str = ""
    town: str = ""
    postcode: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.line_1 or self.line_2 or self.town or self.postcode)

    def one_line(self) -> str:
        return ", ".join(
            part for part in (self.line_1, self.line_2, self.town, self.postcode) if part
        )


@dataclass(frozen=True, slots=True)
class Phone:
    telephone_type: str
    number: str


@dataclass(frozen=True, slots=True)
class Contact:
    """`Contacts/Contact`: a parent, carer or other person (spec §1.6)."""

    order: int | None = None
    title: str = ""
    forename: str = ""
    middle_names: str = ""
    surname: str = ""
    relationship: str = ""  # the CBDS code as given, e.g. PAM, PAF, CAR
    responsibility: bool | None = None
    address_as_pupil: bool | None = None
    address: Address | None = None
    phones: tuple[Phone, ...] = ()
    email: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.middle_names, self.surname) if part)


@dataclass(frozen=True, slots=True)
class AttendanceYear:
    """`Attendance/YearData`: one school's session totals for one academic year (spec §1.7).

    `marks` is kept exactly as received: its encoding is unverified, so nothing is derived
    from it."""

    year: int | None = None
    lea: str = ""
    estab: str = ""
    school_name: str = ""
    sessions_possible: int | None = None
    sessions_authorised: int | None = None
    sessions_attended: int | None = None
    sessions_unauthorised: int | None = None
    start_date: datetime.date | None = None
    marks: str = ""


@dataclass(frozen=True, slots=True)
class SenEntry:
    """`SENhistory/SEN`: SEN provision from a date (N none, K SEN support, E EHC plan; older
    files A, P and S)."""

    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    provision: str = ""


@dataclass(frozen=True, slots=True)
class SenNeed:
    rank: int | None = None
    need_type: str = ""


@dataclass(frozen=True, slots=True)
class SchoolHistoryEntry:
    """`SchoolHistory/School`: a school the pupil was on the roll of."""

    lea: str = ""
    estab: str = ""
    school_name: str = ""
    entry_date: datetime.date | None = None
    leaving_date: datetime.date | None = None
    leaving_reason: str = ""

    @property
    def laestab(self) -> str:
        return SchoolRef(lea=self.lea, estab=self.estab).laestab


@dataclass(frozen=True, slots=True)
class Kept:
    """An element kept verbatim (serialised XML) because this service does not model it."""

    name: str
    xml: str


@dataclass(frozen=True, slots=True)
class Pupil:
    """One `Pupil`: the values read (an unusable value is blank, with a finding) and the rest
    of the element kept verbatim in `kept` and `kept_basic` (BasicDetails children)."""

    position: int = 1
    path: str = ""
    line: int | None = None
    upn: str = ""
    former_upn: str = ""
    surname: str = ""
    forename: str = ""
    middle_names: str = ""
    preferred_forename: str = ""
    former_surnames: tuple[str, ...] = ()
    date_of_birth: datetime.date | None = None
    sex: str = ""  # M, F or U; "" when not given
    ethnicity: str = ""
    in_care: bool | None = None
    care_authority: str = ""
    address: Address | None = None
    contacts: tuple[Contact, ...] = ()
    attendance: tuple[AttendanceYear, ...] = ()
    sen: tuple[SenEntry, ...] = ()
    sen_needs: tuple[SenNeed, ...] = ()
    school_history: tuple[SchoolHistoryEntry, ...] = ()
    kept: tuple[Kept, ...] = ()
    kept_basic: tuple[Kept, ...] = ()
    findings: tuple[Finding, ...] = ()
    rejected: bool = False
    raw_xml: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.middle_names, self.surname) if part)

    def match_details(self) -> dict[str, str]:
        """The identifying details in the identity-matching engine's column names."""
        address = self.address or Address()
        return {
            "forename": self.forename,
            "middle_names": self.middle_names,
            "surname": self.surname,
            "former_surname": ";".join(self.former_surnames),
            "dob": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "sex": self.sex if self.sex in {"M", "F"} else "",
            "postcode": address.postcode,
            "address": ", ".join(p for p in (address.line_1, address.line_2, address.town) if p),
            "upn": self.upn,
            "nhs_number": "",
        }


@dataclass(frozen=True, slots=True)
class Document:
    """A whole file: its header, its pupils, and warnings about the file as a whole."""

    header: Header
    pupils: tuple[Pupil, ...] = ()
    warnings: tuple[str, ...] = ()
