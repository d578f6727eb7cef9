"""Properties of the CTF reader and writer (Hypothesis), without a database:
- whatever bytes arrive (random, truncated, corrupted, wrongly encoded, deeply nested, huge,
  hostile), reading either gives a document or refuses the file with one line: it never
  raises anything else and never hangs;
- a pupil written by the writer reads back as the same values (so an export round-trips);
- forwarding a received file changes only the destination and the pupils left out.
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from cme.standards.upn import make_upn
from cme.transfers.ctf.document import (
    Address,
    AttendanceYear,
    Contact,
    Header,
    Phone,
    Pupil,
    SchoolHistoryEntry,
    SchoolRef,
    SenEntry,
    SenNeed,
)
from cme.transfers.ctf.reader import CtfRefused, read_ctf
from cme.transfers.ctf.writer import readdress, write_ctf

from .samples import SPEC_EXAMPLE, ctf, pupil

TODAY = datetime.date(2026, 11, 30)
FUZZ = settings(
    max_examples=300,
    deadline=datetime.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)


def read_or_refuse(data: bytes) -> None:
    """Reading gives a document or a one-line refusal, and nothing else."""
    try:
        document = read_ctf(data, name="fuzz.xml", today=TODAY)
    except CtfRefused as refusal:
        message = refusal.message
    else:
        message = ""
    if message:
        assert message.startswith("fuzz.xml ")
        assert "\n" not in message
        return
    for read in document.pupils:
        assert all(finding.path.startswith("/") for finding in read.findings)


VALID = ctf(pupil(), pupil(upn="", surname="SECOND"))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_reader(data: bytes) -> None:
    read_or_refuse(data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(VALID)))
def test_a_file_cut_short_anywhere_is_refused_or_read(cut: int) -> None:
    read_or_refuse(VALID[:cut])


@FUZZ
@given(
    st.integers(min_value=0, max_value=len(VALID) - 1),
    st.binary(min_size=1, max_size=20),
    st.booleans(),
)
def test_a_corrupted_file_is_refused_or_read(at: int, junk: bytes, replace: bool) -> None:
    damaged = VALID[:at] + junk + VALID[at + (len(junk) if replace else 0) :]
    read_or_refuse(damaged)


@FUZZ
@given(st.text(max_size=300), st.sampled_from(["latin-1", "utf-16", "utf-8", "cp1252", "utf-32"]))
def test_text_in_any_encoding_with_any_declaration_is_refused_or_read(
    text: str, encoding: str
) -> None:
    body = f'<?xml version="1.0" encoding="UTF-8"?><CTfile><Header>{text}</Header></CTfile>'
    read_or_refuse(body.encode(encoding, errors="replace"))


@settings(max_examples=20, deadline=datetime.timedelta(seconds=5))
@given(st.integers(min_value=1, max_value=20_000), st.sampled_from(["Pupil", "x", "BasicDetails"]))
def test_deeply_nested_elements_are_refused_or_read_without_recursion_errors(
    depth: int, tag: str
) -> None:
    nested = f"<{tag}>" * depth + f"</{tag}>" * depth
    read_or_refuse(ctf(pupil(extra=nested)))


@settings(max_examples=5, deadline=None)
@given(st.integers(min_value=1_000_000, max_value=12_000_000))
def test_huge_text_is_refused_or_read(length: int) -> None:
    read_or_refuse(ctf(pupil(extra=f"<Notes>{'A' * length}</Notes>")))


@settings(max_examples=50, deadline=datetime.timedelta(seconds=5))
@given(st.integers(min_value=1, max_value=30), st.integers(min_value=2, max_value=20))
def test_entity_expansion_of_any_size_is_refused(levels: int, fan_out: int) -> None:
    entities = ['<!ENTITY e0 "ha">'] + [
        f'<!ENTITY e{n} "{f"&e{n - 1};" * fan_out}">' for n in range(1, levels)
    ]
    data = (
        f'<?xml version="1.0"?><!DOCTYPE CTfile [{"".join(entities)}]>'
        f"<CTfile><Header><DocumentName>&e{levels - 1};</DocumentName></Header></CTfile>"
    ).encode()
    with pytest.raises(CtfRefused, match="document type declaration"):
        read_ctf(data, name="fuzz.xml", today=TODAY)


# --- Writing and reading back ----------------------------------------------------------------

_NAME_CHARS = st.characters(
    codec="utf-8", categories=["Lu", "Ll", "Lt", "Nd"], include_characters=" '-"
)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def words(max_size: int) -> st.SearchStrategy[str]:
    return st.text(_NAME_CHARS, max_size=max_size).map(_clean).filter(lambda t: len(t) <= max_size)


codes = st.text(st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"), max_size=6)
counts = st.none() | st.integers(min_value=0, max_value=999_999)
past_dates = st.none() | st.dates(min_value=datetime.date(1995, 1, 1), max_value=TODAY)
upns = st.just("") | st.builds(
    lambda estab, year, serial: make_upn("800", f"{estab:04d}", f"{year:02d}", f"{serial:03d}"),
    st.integers(0, 9999),
    st.integers(0, 99),
    st.integers(0, 999),
)
addresses = st.none() | st.builds(
    Address,
    line_1=words(60),
    line_2=words(60),
    town=words(40).filter(lambda t: "," not in t),
    postcode=st.sampled_from(["", "BA1 0AA", "BA2 4QP", "SW1A 1AA"]),
).filter(lambda address: not address.is_blank)
contacts = st.builds(
    Contact,
    order=counts,
    title=codes,
    forename=words(30),
    middle_names=words(30),
    surname=words(30),
    relationship=st.sampled_from(["", "PAM", "PAF", "CAR", "SWR"]),
    responsibility=st.none() | st.booleans(),
    address_as_pupil=st.none() | st.booleans(),
    address=addresses,
    phones=st.lists(
        st.builds(
            Phone, telephone_type=codes, number=st.from_regex(r"0[0-9]{9,10}", fullmatch=True)
        ),
        max_size=2,
    ).map(tuple),
    email=st.sampled_from(["", "parent@example.org"]),
).filter(lambda contact: bool(contact.full_name))
years = st.builds(
    AttendanceYear,
    year=st.none() | st.integers(2000, 2030),
    lea=st.sampled_from(["", "800", "873"]),
    estab=st.sampled_from(["", "2001", "9999"]),
    school_name=words(40),
    sessions_possible=counts,
    sessions_authorised=counts,
    sessions_attended=counts,
    sessions_unauthorised=counts,
    start_date=past_dates,
    marks=st.text(st.sampled_from("/\\NIGLBC1#-"), max_size=50),
).filter(
    # Totals that do not add up are read, with a finding; these tests want none.
    lambda y: (
        y.sessions_possible is None
        or (y.sessions_authorised or 0) + (y.sessions_unauthorised or 0) <= y.sessions_possible
    )
)


@st.composite
def school_entries(draw: st.DrawFn) -> SchoolHistoryEntry:
    entry = draw(past_dates)
    leaving = draw(past_dates)
    if entry is not None and leaving is not None and leaving < entry:
        entry, leaving = leaving, entry
    return SchoolHistoryEntry(
        lea=draw(st.sampled_from(["800", "873"])),
        estab=draw(st.sampled_from(["2001", "9999"])),
        school_name=draw(words(40)),
        entry_date=entry,
        leaving_date=leaving,
        leaving_reason=draw(words(30)),
    )


@st.composite
def pupils(draw: st.DrawFn) -> Pupil:
    upn = draw(upns)
    former = draw(upns)
    return Pupil(
        upn=upn,
        former_upn=former if former != upn else "",
        surname=draw(words(40)),
        forename=draw(words(40)),
        middle_names=draw(words(40)),
        preferred_forename=draw(words(20)),
        former_surnames=tuple(draw(st.lists(words(20).filter(bool), max_size=3))),
        date_of_birth=draw(past_dates),
        sex=draw(st.sampled_from(["", "M", "F", "U"])),
        ethnicity=draw(st.sampled_from(["", "WBRI", "AIND", "MWBC"])),
        in_care=draw(st.none() | st.booleans()),
        care_authority=draw(st.sampled_from(["", "800"])),
        address=draw(addresses),
        contacts=tuple(draw(st.lists(contacts, max_size=3))),
        attendance=tuple(draw(st.lists(years, max_size=3))),
        sen=tuple(
            draw(
                st.lists(
                    st.builds(
                        SenEntry, start_date=past_dates, end_date=past_dates, provision=codes
                    ),
                    max_size=2,
                )
            )
        ),
        sen_needs=tuple(
            draw(st.lists(st.builds(SenNeed, rank=counts, need_type=codes), max_size=2))
        ),
        school_history=tuple(draw(st.lists(school_entries(), max_size=3))),
    )


def _comparable(read: Pupil) -> Pupil:
    return dataclasses.replace(read, position=1, path="", line=None, raw_xml="", findings=())


HEADER = Header(
    version="25.0",
    version_number=25,
    date_time=datetime.datetime(2026, 11, 30, 9, 0),  # noqa: DTZ001 - CTF times carry no zone
    document_qualifier="full",
    supplier_id="CME Tracker",
    source=SchoolRef(lea="800", estab="LLLL", name="Council"),
    academic_year=2026,
    dest=SchoolRef(lea="XXX", estab="XXXX"),
)


@settings(max_examples=150, deadline=None)
@given(pupils())
def test_a_written_pupil_reads_back_as_the_same_values(written: Pupil) -> None:
    assume(written.forename or written.surname)

    document = read_ctf(write_ctf(header=HEADER, pupils=[written]), name="x.xml", today=TODAY)

    [read] = document.pupils
    assert read.findings == ()
    assert _comparable(read) == written
    assert document.header == HEADER


def test_elements_kept_verbatim_are_written_back_where_the_order_puts_them() -> None:
    received = read_ctf(
        ctf(pupil(extra="<FSMhistory><FSMreviewDate>2025-01-01</FSMreviewDate></FSMhistory>")),
        name="x.xml",
        today=TODAY,
    ).pupils[0]

    written = write_ctf(header=HEADER, pupils=[received])

    root = etree.fromstring(written)
    order = [child.tag for child in root.find("CTFpupilData/Pupil")]  # type: ignore[union-attr]
    assert order.index("FSMhistory") == order.index("BasicDetails") + 1
    assert _comparable(read_ctf(written, name="y.xml", today=TODAY).pupils[0]) == _comparable(
        received
    )


def test_forwarding_keeps_one_pupil_and_changes_only_the_destination() -> None:
    received = ctf(pupil(), pupil(upn="", surname="SECOND"), dest=("XXX", "XXXX"))
    dest = SchoolRef(lea="873", estab="4001", urn="110000")

    forwarded = read_ctf(
        readdress(received, position=2, dest=dest, name="x.xml"), name="y.xml", today=TODAY
    )
    original = read_ctf(received, name="x.xml", today=TODAY)

    assert forwarded.header.dest == SchoolRef(lea="873", estab="4001", urn="110000")
    assert dataclasses.replace(forwarded.header, dest=original.header.dest) == original.header
    [only] = forwarded.pupils
    assert _comparable(only) == _comparable(original.pupils[1])


def test_the_specifications_illustration_survives_a_write_and_a_read() -> None:
    received = read_ctf(SPEC_EXAMPLE.encode(), name="x.xml", today=TODAY)

    again = read_ctf(
        write_ctf(header=received.header, pupils=received.pupils), name="y.xml", today=TODAY
    )

    assert again.header == received.header
    assert [_comparable(p) for p in again.pupils] == [_comparable(p) for p in received.pupils]
