"""Reading a Common Transfer File safely and tolerantly (spec.md §1.9).

Owns which files are refused as a whole (`CtfRefused`: not XML, malformed, wrongly encoded, a
DOCTYPE, entities or external references, not a CTF, no header or version, a version before
15) and how each pupil's values are read: an unusable value counts as missing and is reported
as a `Finding` with its element path and line; a pupil with neither forename nor surname is
rejected; unknown elements are kept verbatim, never refused.

XML is parsed by lxml with a hardened parser: no DTD loaded, no entity resolved, no network,
libxml2's default limits on depth (256) and text size (`huge_tree` off), and its
entity-amplification guard. A DOCTYPE is refused before parsing, so neither "billion laughs"
nor an external entity is ever looked at. The size limit is the caller's (it is a setting).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from typing import Final, TypeVar

from lxml import etree

from cme.standards.upn import UPN_CENSUS_MESSAGES, UPN_WARNING_MESSAGES, check_upn

from .document import (
    OLDEST_VERSION,
    ROOTS,
    Address,
    AttendanceYear,
    Contact,
    Document,
    Finding,
    Header,
    Kept,
    Phone,
    Pupil,
    SchoolHistoryEntry,
    SchoolRef,
    SenEntry,
    SenNeed,
)

_T = TypeVar("_T")
Element = etree._Element


class CtfRefused(Exception):  # noqa: N818 - the importer contract's word for a refused file
    """The whole file is refused; `message` is one line saying what is wrong and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Limits:
    """The longest value the register stores for each kind of text; a longer one counts as
    missing, with a finding. The importer's tests hold these to the database columns."""

    name: int = 100
    middle_names: int = 200
    former_surnames: int = 300
    ethnicity: int = 10
    postcode: int = 10
    address_line: int = 200
    town: int = 100
    contact_name: int = 200
    phone: int = 30
    email: int = 254
    contact_address: int = 300
    leaving_reason: int = 200
    school_name: int = 200
    code: int = 20
    marks: int = 4000


LIMITS: Final = Limits()

# A CTF never has a document type declaration; it is how entity attacks are made.
_HOSTILE_MARKERS: Final = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_OTHER_FORMATS: Final = (
    (b"PK\x03\x04", "a zip archive (extract the .xml file from it first)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document"),
    (b"\x1f\x8b", "a gzip archive (extract the .xml file from it first)"),
)
_VERSION: Final = re.compile(r"([0-9]{1,3})(?:\.[0-9]{1,3})?", re.ASCII)
_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?", re.ASCII)
_DATE_TIME: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})?",
    re.ASCII,
)
_COUNT: Final = re.compile(r"[0-9]{1,6}", re.ASCII)
# Years and times outside these are typing errors (and would not fit the database).
_EARLIEST_YEAR: Final = 1900
_LATEST_YEAR: Final = 2100
_TRUE: Final = frozenset({"true", "1", "y", "yes"})
_FALSE: Final = frozenset({"false", "0", "n", "no"})
_SEXES: Final = {"m": "M", "male": "M", "f": "F", "female": "F", "u": "U", "unknown": "U"}
_UPN_FORMAT_MESSAGE: Final = (
    "UPN invalid (not 13 characters: a letter, 11 digits, then a digit or a letter)"
)

# The pupil elements read into values; every other child of `Pupil` is kept verbatim.
_READ_PUPIL: Final = frozenset(
    name.lower()
    for name in (
        "UPN",
        "Surname",
        "Forename",
        "DOB",
        "Sex",
        "Gender",
        "BasicDetails",
        "LookedAfter",
        "SENhistory",
        "Address",
        "Contacts",
        "Attendance",
        "SchoolHistory",
    )
)
_READ_BASIC: Final = frozenset(
    name.lower()
    for name in ("FormerUPN", "PreferredForename", "FormerSurname", "MiddleNames", "Ethnicity")
)


def hardened_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and never touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        recover=False,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _syntax_reason(error: etree.XMLSyntaxError) -> str:
    message = _one_line(str(error.msg or error))
    # libxml2 appends where it was and may quote raw bytes; the line is given separately.
    message = re.split(r", line [0-9]+, column|\(<string>| Bytes: ", message)[0]
    return message.rstrip(" ,.")[:200] or "it cannot be read"


def parse_xml(data: bytes, *, name: str) -> Element:
    """The root element of `data`, parsed safely; `CtfRefused` for anything hostile or broken."""
    if not data.strip():
        raise CtfRefused(f"{name} is empty. Ask the sender for the file again.")
    for signature, what in _OTHER_FORMATS:
        if data.startswith(signature):
            raise CtfRefused(f"{name} is not an XML file: it looks like {what}.")
    if any(marker in data for marker in _HOSTILE_MARKERS):
        raise CtfRefused(
            f"{name} was refused: it contains a document type declaration (DOCTYPE or ENTITY), "
            "which a Common Transfer File never has and which can be used to attack the "
            "systems that read it. Nothing was imported. Ask the sender to export it again "
            "from their MIS."
        )
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as error:
        reason = _syntax_reason(error)
        where = f" (line {error.lineno})" if error.lineno else ""
        lowered = reason.lower()
        if "entity" in lowered or "amplification" in lowered or "network" in lowered:
            msg = (
                f"{name} was refused: it uses XML entities or external references{where}, "
                "which a Common Transfer File never has. Nothing was imported. Ask the sender "
                "to export it again from their MIS."
            )
        elif "encoding" in lowered or "utf-8" in lowered:
            msg = (
                f"{name} is not in the character encoding it declares: {reason}{where}. Ask "
                "the sender to export it again (CTFs are UTF-8)."
            )
        elif "depth" in lowered or "huge" in lowered:
            msg = (
                f"{name} was refused: {reason}{where}. A Common Transfer File is never nested "
                "that deeply or has text that long."
            )
        else:
            msg = (
                f"{name} is not well-formed XML: {reason}{where}. It may have been cut short "
                "or damaged: ask the sender for it again."
            )
        raise CtfRefused(msg) from error
    except (etree.LxmlError, ValueError) as error:
        raise CtfRefused(
            f"{name} cannot be read as XML ({_one_line(str(error))[:200]}). Ask the sender for "
            "the file again."
        ) from error
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CtfRefused(
            f"{name} was refused: it contains a document type declaration, which a Common "
            "Transfer File never has. Nothing was imported."
        )
    if next(root.iter(etree.Entity), None) is not None:
        raise CtfRefused(
            f"{name} was refused: it uses XML entities, which a Common Transfer File never has."
        )
    return root


def academic_year_window(today: datetime.date) -> tuple[int, int]:
    """The CTF versions read quietly on `today`: the previous and the current one. The current
    version is the last two digits of the academic year's start; suppliers switch on 1 August
    (Capita) or 1 September (DfE), so both count (spec §1.1)."""
    september = today.year if today.month >= 9 else today.year - 1
    august = today.year if today.month >= 8 else today.year - 1
    return september % 100 - 1, august % 100


def version_warning(version: str, number: int, *, today: datetime.date) -> str | None:
    """A warning for a version that is read but not current or previous; None otherwise."""
    low, high = academic_year_window(today)
    if number > high:
        return (
            f"CTF version {version} is newer than the versions this service knows (up to "
            f"{high}.0): the file was read, but elements added since may not be imported"
        )
    if number < low:
        return (
            f"CTF version {version} is not an expected version (the current and previous "
            f"are {high}.0 and {low}.0): the file was read, but some of its data may not import"
        )
    return None


def _localise(root: Element) -> bool:
    """Strip any XML namespace from every element; True if there was one."""
    found = False
    for element in root.iter(tag=etree.Element):
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
            found = True
    if found:
        etree.cleanup_namespaces(root)
    return found


def _children(parent: Element, name: str) -> list[Element]:
    """The child elements called `name`; failing that, those called so in another case."""
    elements = [child for child in parent if isinstance(child.tag, str)]
    exact = [child for child in elements if child.tag == name]
    if exact:
        return exact
    lowered = name.lower()
    return [child for child in elements if str(child.tag).lower() == lowered]


def _child(parent: Element | None, *names: str) -> Element | None:
    if parent is None:
        return None
    for name in names:
        found = _children(parent, name)
        if found:
            return found[0]
    return None


def _tag(element: Element) -> str:
    """An element's name, for messages."""
    return element.tag if isinstance(element.tag, str) else "element"


def _clean(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


class _PupilReader:
    """Reads one `Pupil` element, collecting findings with element paths."""

    def __init__(self, *, tree: etree._ElementTree, today: datetime.date, limits: Limits) -> None:
        self.tree = tree
        self.today = today
        self.limits = limits
        self.findings: list[Finding] = []

    def note(self, element: Element, message: str) -> None:
        self.findings.append(Finding(self.tree.getpath(element), element.sourceline, message))

    def text(self, parent: Element | None, name: str, *, limit: int | None = None) -> str:
        element = _child(parent, name)
        if element is None:
            return ""
        value = _clean(element.text)
        if limit is not None and len(value) > limit:
            self.note(element, f"{_tag(element)} is too long to store; counted as missing")
            return ""
        return value

    def date(
        self, parent: Element | None, name: str, *, past: bool = False
    ) -> datetime.date | None:
        element = _child(parent, name)
        if element is None:
            return None
        value = _clean(element.text)
        if not value:
            return None
        match = _DATE.fullmatch(value)
        if match is None:
            self.note(
                element, f"{_tag(element)} is not a date in the form YYYY-MM-DD; counted as missing"
            )
            return None
        try:
            date = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            self.note(element, f"{_tag(element)} is not a real date; counted as missing")
            return None
        if past and date > self.today:
            self.note(element, f"{_tag(element)} is in the future; counted as missing")
            return None
        return date

    def count(self, parent: Element | None, name: str) -> int | None:
        element = _child(parent, name)
        if element is None:
            return None
        value = _clean(element.text)
        if not value:
            return None
        if _COUNT.fullmatch(value) is None:
            self.note(element, f"{_tag(element)} is not a whole number; counted as missing")
            return None
        return int(value)

    def year(self, parent: Element | None, name: str) -> int | None:
        value = self.count(parent, name)
        if value is not None and not _EARLIEST_YEAR <= value <= _LATEST_YEAR:
            element = _child(parent, name)
            if element is not None:
                self.note(element, f"{_tag(element)} is not a year; counted as missing")
            return None
        return value

    def flag(self, parent: Element | None, name: str) -> bool | None:
        element = _child(parent, name)
        if element is None:
            return None
        value = _clean(element.text).lower()
        if not value:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.note(element, f"{_tag(element)} must be true or false; counted as missing")
        return None

    def code(self, parent: Element | None, name: str) -> str:
        return self.text(parent, name, limit=self.limits.code).upper()

    def upn(self, element: Element | None) -> str:
        if element is None:
            return ""
        raw = _clean(element.text)
        if not raw:
            return ""
        result = check_upn(raw)
        if result.is_valid:
            for warning in result.warnings:
                self.note(element, UPN_WARNING_MESSAGES[warning])
            return result.normalised
        message = UPN_CENSUS_MESSAGES.get(result.error, _UPN_FORMAT_MESSAGE) if result.error else ""
        self.note(element, f"{message or _UPN_FORMAT_MESSAGE}; counted as missing")
        return ""

    def sex(self, pupil: Element) -> str:
        element = _child(pupil, "Sex", "Gender")
        if element is None:
            return ""
        value = _clean(element.text).lower()
        if not value:
            return ""
        if value in _SEXES:
            return _SEXES[value]
        self.note(element, f"{_tag(element)} must be M or F; recorded as not known (U)")
        return "U"

    def address(self, element: Element | None, *, line_limit: int | None = None) -> Address | None:
        if element is None:
            return None
        limits = self.limits
        bs7666 = _child(element, "BS7666Address")
        lines = _child(element, "AddressLines")
        line_1 = line_2 = town = ""
        if bs7666 is not None:
            saon, paon = self.text(bs7666, "SAON"), self.text(bs7666, "PAON")
            street = self.text(bs7666, "Street")
            line_1 = ", ".join(p for p in (saon, " ".join(p for p in (paon, street) if p)) if p)
            line_2 = self.text(bs7666, "Locality")
            town = self.text(bs7666, "Town") or self.text(bs7666, "PostTown")
            where = bs7666
        elif lines is not None:
            line_1, line_2 = self.text(lines, "AddressLine1"), self.text(lines, "AddressLine2")
            rest = (self.text(lines, f"AddressLine{n}") for n in (3, 4, 5))
            town = ", ".join(part for part in rest if part)
            where = lines
        else:
            where = element
        if len(line_1) > (line_limit or limits.address_line):
            self.note(where, "the first address line is too long to store; counted as missing")
            line_1 = ""
        if len(line_2) > limits.address_line:
            self.note(where, "the second address line is too long to store; counted as missing")
            line_2 = ""
        if len(town) > limits.town:
            self.note(where, "the town is too long to store; counted as missing")
            town = ""
        postcode = ""
        postcode_element = _child(element, "PostCode")
        if postcode_element is not None:
            postcode = " ".join(_clean(postcode_element.text).upper().split())
            if len(postcode) > limits.postcode:
                self.note(postcode_element, "PostCode is too long to store; counted as missing")
                postcode = ""
        address = Address(line_1=line_1, line_2=line_2, town=town, postcode=postcode)
        return None if address.is_blank else address

    def phones(self, parent: Element | None) -> tuple[Phone, ...]:
        phones = _child(parent, "Phones")
        if phones is None:
            return ()
        found = []
        for phone in _children(phones, "Phone"):
            number = self.text(phone, "PhoneNo", limit=self.limits.phone)
            if number:
                found.append(Phone(self.code(phone, "TelephoneType"), number))
        return tuple(found)

    def contact(self, element: Element) -> Contact | None:
        limits = self.limits
        contact = Contact(
            order=self.count(element, "Order"),
            title=self.text(element, "Title", limit=limits.code),
            forename=self.text(element, "Forename", limit=limits.name),
            middle_names=self.text(element, "MiddleNames", limit=limits.middle_names),
            surname=self.text(element, "Surname", limit=limits.name),
            relationship=self.code(element, "Relationship"),
            responsibility=self.flag(element, "Responsibility"),
            address_as_pupil=self.flag(element, "AddressAsPupil"),
            address=self.address(_child(element, "Address")),
            phones=self.phones(element),
            email=self.text(element, "Email", limit=limits.email),
        )
        if not contact.full_name:
            self.note(element, "a contact with no name; ignored")
            return None
        if len(contact.full_name) > limits.contact_name:
            self.note(element, "the contact's name is too long to store; ignored")
            return None
        if contact.address is not None and len(contact.address.one_line()) > limits.contact_address:
            self.note(element, "the contact's address is too long to store; counted as missing")
            contact = _replace(contact, address=None)
        return contact

    def attendance(self, element: Element) -> AttendanceYear:
        sessions = _child(element, "AttendSessions")
        marks_element = _child(sessions, "AttendanceMarks")
        marks = (marks_element.text or "").strip() if marks_element is not None else ""
        if marks_element is not None and len(marks) > self.limits.marks:
            self.note(marks_element, "AttendanceMarks is too long to store; counted as missing")
            marks = ""
        year = AttendanceYear(
            year=self.year(element, "Year"),
            lea=self.code(element, "LEA"),
            estab=self.code(element, "Estab"),
            school_name=self.text(element, "SchoolName", limit=self.limits.school_name),
            sessions_possible=self.count(element, "SessionsPossible"),
            sessions_authorised=self.count(element, "SessionsAuthorised"),
            sessions_attended=self.count(element, "SessionsAttended"),
            sessions_unauthorised=self.count(element, "SessionsUnauthorised"),
            start_date=self.date(sessions, "AttendanceStartDate"),
            marks=marks,
        )
        absent = (year.sessions_authorised or 0) + (year.sessions_unauthorised or 0)
        if year.sessions_possible is not None and absent > year.sessions_possible:
            self.note(
                element,
                "more sessions missed (authorised and unauthorised) than possible; the totals "
                "were kept as given",
            )
        return year

    def school(self, element: Element) -> SchoolHistoryEntry:
        entry = SchoolHistoryEntry(
            lea=self.code(element, "LEA"),
            estab=self.code(element, "Estab"),
            school_name=self.text(element, "SchoolName", limit=self.limits.school_name),
            entry_date=self.date(element, "EntryDate"),
            leaving_date=self.date(element, "LeavingDate"),
            leaving_reason=self.text(element, "LeavingReason", limit=self.limits.leaving_reason),
        )
        if entry.entry_date and entry.leaving_date and entry.leaving_date < entry.entry_date:
            self.note(element, "LeavingDate is before EntryDate; counted as missing")
            entry = _replace(entry, leaving_date=None)
        return entry

    def sen(self, history: Element | None) -> tuple[tuple[SenEntry, ...], tuple[SenNeed, ...]]:
        if history is None:
            return (), ()
        entries = tuple(
            SenEntry(
                start_date=self.date(sen, "StartDate"),
                end_date=self.date(sen, "EndDate"),
                provision=self.code(sen, "SENprovision"),
            )
            for sen in _children(history, "SEN")
        )
        needs: list[SenNeed] = []
        for holder in (history, *_children(history, "SEN")):
            for group in _children(holder, "SENneeds"):
                needs.extend(
                    SenNeed(
                        rank=self.count(need, "SENtypeRank"), need_type=self.code(need, "SENtype")
                    )
                    for need in _children(group, "SENneed")
                )
        return entries, tuple(needs)

    def read(self, element: Element, position: int) -> Pupil:
        limits = self.limits
        basic = _child(element, "BasicDetails")
        looked_after = _child(element, "LookedAfter")
        former_surnames: list[str] = []
        for former in _children(basic, "FormerSurname") if basic is not None else []:
            former_surnames.extend(
                name.strip() for name in _clean(former.text).split(";") if name.strip()
            )
        if basic is not None and len(";".join(former_surnames)) > limits.former_surnames:
            self.note(basic, "FormerSurname is too long to store; counted as missing")
            former_surnames = []
        sen, needs = self.sen(_child(element, "SENhistory"))
        upn = self.upn(_child(element, "UPN"))
        former_upn = self.upn(_child(basic, "FormerUPN"))
        pupil = Pupil(
            position=position,
            path=self.tree.getpath(element),
            line=element.sourceline,
            upn=upn,
            former_upn=former_upn if former_upn != upn else "",
            surname=self.text(element, "Surname", limit=limits.name),
            forename=self.text(element, "Forename", limit=limits.name),
            middle_names=self.text(basic, "MiddleNames", limit=limits.middle_names),
            preferred_forename=self.text(basic, "PreferredForename", limit=limits.name),
            former_surnames=tuple(former_surnames),
            date_of_birth=self.date(element, "DOB", past=True),
            sex=self.sex(element),
            ethnicity=self.text(basic, "Ethnicity", limit=limits.ethnicity).upper(),
            in_care=self.flag(looked_after, "InCare"),
            care_authority=self.code(looked_after, "CareAuthority"),
            address=self.address(_child(element, "Address")),
            contacts=_present(
                self.contact(contact)
                for group in _children(element, "Contacts")
                for contact in _children(group, "Contact")
            ),
            attendance=tuple(
                self.attendance(year)
                for group in _children(element, "Attendance")
                for year in _children(group, "YearData")
            ),
            sen=sen,
            sen_needs=needs,
            school_history=tuple(
                self.school(school)
                for group in _children(element, "SchoolHistory")
                for school in _children(group, "School")
            ),
            kept=_kept(element, _READ_PUPIL),
            kept_basic=_kept(basic, _READ_BASIC) if basic is not None else (),
            raw_xml=etree.tostring(element, encoding="unicode", with_tail=False),
        )
        if not pupil.forename and not pupil.surname:
            self.note(element, "neither Forename nor Surname given; pupil rejected")
            pupil = _replace(pupil, rejected=True)
        return _replace(pupil, findings=tuple(self.findings))


def _present(items: Iterable[_T | None]) -> tuple[_T, ...]:
    return tuple(item for item in items if item is not None)


def _replace(value: _T, **changes: object) -> _T:
    return dataclasses.replace(value, **changes)  # type: ignore[type-var]  # every caller passes a dataclass


def _compact(element: Element) -> Element:
    """A copy without the whitespace between elements (indentation), which carries nothing in
    a CTF: an element kept verbatim is then the same however the file was laid out."""
    copy = deepcopy(element)
    for node in copy.iter():
        if node.text is not None and not node.text.strip() and len(node):
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None
    return copy


def _kept(parent: Element, read: frozenset[str]) -> tuple[Kept, ...]:
    """The child elements not read into values, verbatim, in the order they came."""
    return tuple(
        Kept(
            name=str(child.tag),
            xml=etree.tostring(_compact(child), encoding="unicode", with_tail=False),
        )
        for child in parent
        if isinstance(child.tag, str) and child.tag.lower() not in read
    )


def _school_ref(element: Element | None, reader: _PupilReader) -> SchoolRef:
    if element is None:
        return SchoolRef()
    return SchoolRef(
        lea=reader.code(element, "LEA"),
        estab=reader.code(element, "Estab"),
        urn=reader.code(element, "URN"),
        name=reader.text(element, "SchoolName", limit=reader.limits.school_name),
    )


def _header(root: Element, reader: _PupilReader, name: str) -> tuple[Header, list[str]]:
    version_name, _ = ROOTS[str(root.tag)]
    header = _child(root, "Header")
    if header is None:
        raise CtfRefused(
            f"{name} is not a complete Common Transfer File: it has no Header. Ask the sender "
            "to export it again."
        )
    version_element = _child(header, version_name)
    version = _clean(version_element.text) if version_element is not None else ""
    if not version:
        raise CtfRefused(
            f"{name} has no {version_name} in its Header, so its version cannot be known. Ask "
            "the sender to export it again from their MIS."
        )
    match = _VERSION.fullmatch(version)
    if match is None:
        raise CtfRefused(
            f"{name} has a {version_name} that is not a version number (e.g. 25.0). Ask the "
            "sender to export it again from their MIS."
        )
    number = int(match.group(1))
    if number < OLDEST_VERSION:
        raise CtfRefused(
            f"{name} is CTF version {version}; this service reads version {OLDEST_VERSION}.0 and "
            "later. Ask the sender for a file in a current version."
        )
    warnings: list[str] = []
    if (warning := version_warning(version, number, today=reader.today)) is not None:
        warnings.append(warning)
    source = _child(header, "SourceSchool")
    if source is None:
        warnings.append("the Header has no SourceSchool: the sending school is not known")
    date_time = None
    date_time_element = _child(header, "DateTime")
    if date_time_element is not None and (text := _clean(date_time_element.text)):
        date_time = _parse_date_time(text)
        if date_time is None:
            reader.note(date_time_element, "DateTime is not a date and time; counted as missing")
    academic_year = reader.year(source, "AcademicYear")
    return (
        Header(
            version=version,
            version_number=number,
            root=str(root.tag),
            document_name=reader.text(header, "DocumentName", limit=200),
            date_time=date_time,
            document_qualifier=reader.text(header, "DocumentQualifier", limit=20).lower(),
            data_qualifier=reader.text(header, "DataQualifier", limit=200),
            data_descriptor=reader.text(header, "DataDescriptor", limit=1000),
            supplier_id=reader.text(header, "SupplierID", limit=200),
            source=_school_ref(source, reader),
            academic_year=academic_year,
            dest=_school_ref(_child(header, "DestSchool"), reader),
        ),
        warnings,
    )


def _parse_date_time(text: str) -> datetime.datetime | None:
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        value = datetime.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - CTF times carry no zone
    except ValueError:
        return None
    return value if _EARLIEST_YEAR <= value.year <= _LATEST_YEAR else None


def read_ctf(data: bytes, *, name: str, today: datetime.date, limits: Limits = LIMITS) -> Document:
    """Read a whole file. Raises `CtfRefused` for a file-level fault; every other problem is a
    finding on its pupil, or a warning about the file."""
    root = parse_xml(data, name=name)
    warnings: list[str] = []
    if _localise(root):
        warnings.append(
            "the file's elements are in an XML namespace, which CTFs do not use; it was ignored"
        )
    if root.tag not in ROOTS:
        tag = _one_line(str(root.tag))[:40]
        raise CtfRefused(
            f"{name} is not a Common Transfer File: its root element is <{tag}>, not <CTfile>."
        )
    tree = root.getroottree()
    header_reader = _PupilReader(tree=tree, today=today, limits=limits)
    header, header_warnings = _header(root, header_reader, name)
    warnings.extend(header_warnings)
    warnings.extend(str(finding) for finding in header_reader.findings)
    _, list_name = ROOTS[str(root.tag)]
    pupils: list[Pupil] = []
    for group in _children(root, list_name):
        for element in _children(group, "Pupil"):
            reader = _PupilReader(tree=tree, today=today, limits=limits)
            pupils.append(reader.read(element, len(pupils) + 1))
    if not pupils:
        warnings.append(f"the file has no pupils (no {list_name}/Pupil elements)")
    return Document(header=header, pupils=tuple(pupils), warnings=tuple(warnings))


def read_pupil_xml(
    xml: str, *, today: datetime.date, position: int = 1, limits: Limits = LIMITS
) -> Pupil:
    """A pupil read back from the `raw_xml` kept when its file was imported."""
    root = parse_xml(xml.encode("utf-8"), name="stored pupil")
    _localise(root)
    return _PupilReader(tree=root.getroottree(), today=today, limits=limits).read(root, position)


def order_of(name: str, order: tuple[str, ...]) -> int:
    """Where an element goes among `order` (Gender where Sex goes); unknown ones last."""
    lowered = "sex" if name.lower() == "gender" else name.lower()
    for index, known in enumerate(order):
        if known.lower() == lowered:
            return index
    return len(order)
