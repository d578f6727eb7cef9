"""Writing Common Transfer Files: a CTF from `document` values (`write_ctf`), a received CTF
re-addressed to the school a lost pupil has joined (`readdress`), and the file name the CTF
naming protocol gives it (`ctf_file_name`, spec §1.4).

Elements are written in the order of spec §1.6; elements kept verbatim from a received file go
back where that order puts them, so a CTF passed through this service loses nothing it had.
Empty values are left out rather than written as empty elements.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from lxml import etree

from .document import (
    BASIC_DETAILS_ORDER,
    PUPIL_ORDER,
    ROOTS,
    Address,
    AttendanceYear,
    Contact,
    Header,
    Kept,
    Pupil,
    SchoolHistoryEntry,
    SchoolRef,
)
from .reader import CtfRefused, hardened_parser, order_of, parse_xml

Element = etree._Element
Value = str | int | bool | datetime.date | None


def _format(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _add(parent: Element, name: str, value: Value) -> None:
    text = _format(value)
    if text:
        etree.SubElement(parent, name).text = text


def _element(name: str, *values: tuple[str, Value]) -> Element:
    element = etree.Element(name)
    for child, value in values:
        _add(element, child, value)
    return element


def _leaf(name: str, value: Value) -> Element | None:
    text = _format(value)
    if not text:
        return None
    element = etree.Element(name)
    element.text = text
    return element


def _kept(kept: Kept) -> Element:
    return etree.fromstring(kept.xml.encode("utf-8"), hardened_parser())


def _school(name: str, school: SchoolRef, *, academic_year: int | None = None) -> Element:
    return _element(
        name,
        ("LEA", school.lea),
        ("Estab", school.estab),
        ("URN", school.urn),
        ("SchoolName", school.name),
        ("AcademicYear", academic_year),
    )


def _header(header: Header) -> Element:
    version_name, _ = ROOTS[header.root]
    element = _element(
        "Header",
        ("DocumentName", header.document_name),
        (version_name, header.version),
        ("DateTime", header.date_time),
        ("DocumentQualifier", header.document_qualifier),
        ("DataQualifier", header.data_qualifier),
        ("DataDescriptor", header.data_descriptor),
        ("SupplierID", header.supplier_id),
    )
    element.append(_school("SourceSchool", header.source, academic_year=header.academic_year))
    destination = _school("DestSchool", SchoolRef(lea=header.dest.lea, estab=header.dest.estab))
    _add(destination, "URN", header.dest.urn)
    element.append(destination)
    return element


def _address(address: Address) -> Element:
    element = etree.Element("Address")
    lines = _element(
        "AddressLines",
        ("AddressLine1", address.line_1),
        ("AddressLine2", address.line_2),
        ("AddressLine3", address.town),
    )
    if len(lines):
        element.append(lines)
    _add(element, "PostCode", address.postcode)
    return element


def _phones(phones: Sequence[tuple[str, str]]) -> Element | None:
    if not phones:
        return None
    element = etree.Element("Phones")
    for telephone_type, number in phones:
        element.append(_element("Phone", ("TelephoneType", telephone_type), ("PhoneNo", number)))
    return element


def _contact(contact: Contact) -> Element:
    element = _element(
        "Contact",
        ("Order", contact.order),
        ("Title", contact.title),
        ("Surname", contact.surname),
        ("Forename", contact.forename),
        ("MiddleNames", contact.middle_names),
        ("Relationship", contact.relationship),
        ("Responsibility", contact.responsibility),
        ("AddressAsPupil", contact.address_as_pupil),
    )
    if contact.address is not None and not contact.address.is_blank:
        element.append(_address(contact.address))
    phones = _phones([(phone.telephone_type, phone.number) for phone in contact.phones])
    if phones is not None:
        element.append(phones)
    _add(element, "Email", contact.email)
    return element


def _year(year: AttendanceYear) -> Element:
    element = _element(
        "YearData",
        ("Year", year.year),
        ("LEA", year.lea),
        ("Estab", year.estab),
        ("SchoolName", year.school_name),
        ("SessionsPossible", year.sessions_possible),
        ("SessionsAuthorised", year.sessions_authorised),
        ("SessionsAttended", year.sessions_attended),
        ("SessionsUnauthorised", year.sessions_unauthorised),
    )
    sessions = _element(
        "AttendSessions",
        ("AttendanceStartDate", year.start_date),
        ("AttendanceMarks", year.marks),
    )
    if len(sessions):
        element.append(sessions)
    return element


def _school_history(entry: SchoolHistoryEntry) -> Element:
    return _element(
        "School",
        ("LEA", entry.lea),
        ("Estab", entry.estab),
        ("SchoolName", entry.school_name),
        ("EntryDate", entry.entry_date),
        ("LeavingDate", entry.leaving_date),
        ("LeavingReason", entry.leaving_reason),
    )


def _basic_details(pupil: Pupil) -> Element | None:
    values = [
        ("FormerUPN", pupil.former_upn),
        # One element per former surname: the official cardinality is not known yet (spec §7).
        *(("FormerSurname", name) for name in pupil.former_surnames),
        ("PreferredForename", pupil.preferred_forename),
        ("MiddleNames", pupil.middle_names),
        ("Ethnicity", pupil.ethnicity),
    ]
    parts: list[tuple[str, Element]] = []
    for name, value in values:
        if value:
            element = etree.Element(name)
            element.text = value
            parts.append((name, element))
    parts.extend((kept.name, _kept(kept)) for kept in pupil.kept_basic)
    if not parts:
        return None
    element = etree.Element("BasicDetails")
    for _, child in sorted(parts, key=lambda part: order_of(part[0], BASIC_DETAILS_ORDER)):
        element.append(child)
    return element


def _sen_history(pupil: Pupil) -> Element | None:
    if not (pupil.sen or pupil.sen_needs):
        return None
    history = etree.Element("SENhistory")
    for entry in pupil.sen:
        history.append(
            _element(
                "SEN",
                ("StartDate", entry.start_date),
                ("EndDate", entry.end_date),
                ("SENprovision", entry.provision),
            )
        )
    if pupil.sen_needs:
        needs = etree.SubElement(history, "SENneeds")
        for need in pupil.sen_needs:
            needs.append(
                _element("SENneed", ("SENtypeRank", need.rank), ("SENtype", need.need_type))
            )
    return history


def _looked_after(pupil: Pupil) -> Element | None:
    if pupil.in_care is None and not pupil.care_authority:
        return None
    return _element(
        "LookedAfter", ("InCare", pupil.in_care), ("CareAuthority", pupil.care_authority)
    )


def _group(name: str, children: Sequence[Element]) -> Element | None:
    if not children:
        return None
    element = etree.Element(name)
    for child in children:
        element.append(child)
    return element


def _pupil_parts(pupil: Pupil) -> list[tuple[str, Element]]:
    simple = [
        _leaf(name, value)
        for name, value in (
            ("UPN", pupil.upn),
            ("Surname", pupil.surname),
            ("Forename", pupil.forename),
            ("DOB", pupil.date_of_birth),
            ("Sex", pupil.sex),
        )
    ]
    address = pupil.address if pupil.address is not None and not pupil.address.is_blank else None
    built = [
        *simple,
        _basic_details(pupil),
        _looked_after(pupil),
        _sen_history(pupil),
        _address(address) if address is not None else None,
        _group("Contacts", [_contact(contact) for contact in pupil.contacts]),
        _group("Attendance", [_year(year) for year in pupil.attendance]),
        _group("SchoolHistory", [_school_history(entry) for entry in pupil.school_history]),
    ]
    parts = [(str(element.tag), element) for element in built if element is not None]
    parts.extend((kept.name, _kept(kept)) for kept in pupil.kept)
    return parts


def pupil_element(pupil: Pupil) -> Element:
    """One `Pupil` element, its parts in the order of spec §1.6."""
    element = etree.Element("Pupil")
    for _, child in sorted(_pupil_parts(pupil), key=lambda part: order_of(part[0], PUPIL_ORDER)):
        element.append(child)
    return element


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _serialise(root: Element) -> bytes:
    etree.indent(root, space="  ")
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def write_ctf(*, header: Header, pupils: Sequence[Pupil]) -> bytes:
    """A whole CTF as UTF-8 bytes with an XML declaration and no namespace (spec §1.2)."""
    _, list_name = ROOTS[header.root]
    root = etree.Element(header.root)
    root.append(_header(header))
    pupil_data = etree.SubElement(root, list_name)
    for pupil in pupils:
        pupil_data.append(pupil_element(pupil))
    return _serialise(root)


def readdress(data: bytes, *, position: int, dest: SchoolRef, name: str) -> bytes:
    """A received CTF with only its `position`-th pupil (1-based), addressed to `dest`:
    a lost pupil's file forwarded to the school that has admitted them. Everything else in the
    file is kept as it was."""
    root = parse_xml(data, name=name)
    for element in root.iter(tag=etree.Element):
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)
    if root.tag not in ROOTS:
        raise CtfRefused(f"{name} is not a Common Transfer File.")
    _, list_name = ROOTS[str(root.tag)]
    header = root.find("Header")
    if header is None:
        raise CtfRefused(f"{name} has no Header.")
    old = header.find("DestSchool")
    new = _school("DestSchool", SchoolRef(lea=dest.lea, estab=dest.estab, urn=dest.urn))
    if old is not None:
        header.replace(old, new)
    else:
        header.append(new)
    found = 0
    kept = False
    for group in root.findall(list_name):
        for pupil in group.findall("Pupil"):
            found += 1
            if found == position:
                kept = True
            else:
                group.remove(pupil)
    if not kept:
        raise CtfRefused(f"{name} has no pupil {position}.")
    return _serialise(root)


def ctf_file_name(*, source: SchoolRef, dest: SchoolRef, serial: int = 1) -> str:
    """`<srcLEA><srcEstab>_CTF_<dstLEA><dstEstab>_<NNN>.xml` (spec §1.4)."""
    return f"{source.code or 'XXXXXXX'}_CTF_{dest.code or 'XXXXXXX'}_{serial:03d}.xml"
