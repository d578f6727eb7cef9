"""A person as the matcher sees them: `PersonRecord`, and parsing raw text fields into one.

Owns the input contract of linkage (the column names, what counts as blank, how dates, sex,
postcodes, addresses and identifiers are read) and the warnings given for a value that is
present but unusable: a malformed date or an invalid UPN counts as missing, and the caller is
told which column and why. Parsing never raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

from cme.linkage.names import normalise_name
from cme.standards.nhs_number import is_valid_nhs_number, normalise_nhs_number
from cme.standards.upn import check_upn, normalise_upn

# The input columns, in the order of issue #3; any but `id` may be absent or blank.
COLUMNS: Final = (
    "id",
    "forename",
    "middle_names",
    "surname",
    "former_surname",
    "dob",
    "sex",
    "postcode",
    "address",
    "upn",
    "nhs_number",
)
# Accepted besides: earlier postcodes of a family that has moved, separated like former surnames.
OPTIONAL_COLUMNS: Final = ("previous_postcodes",)
# Several former surnames or previous postcodes are separated by any of these.
_LIST_SEPARATORS: Final = re.compile(r"[;|/]")

_UK_POSTCODE: Final = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")
_NOT_ALNUM: Final = re.compile(r"[^A-Z0-9]+")
_ADDRESS_NOISE: Final = re.compile(r"[^a-z0-9]+")
_ADDRESS_WORDS: Final = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "dr": "drive",
    "cres": "crescent",
    "ct": "court",
    "pl": "place",
    "gdns": "gardens",
    "sq": "square",
    "tce": "terrace",
    "ter": "terrace",
    "grv": "grove",
    "gr": "grove",
    "hse": "house",
    "apt": "flat",
    "apartment": "flat",
}
_DATE_FORMATS: Final = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})"),
)
_SEXES: Final = {
    "m": "M",
    "male": "M",
    "boy": "M",
    "f": "F",
    "female": "F",
    "girl": "F",
}
_EARLIEST_YEAR: Final = 1900
_LATEST_YEAR: Final = 2100


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One child's identifying details, normalised; an empty string or tuple means missing.

    Names are lower-case ASCII words (`normalise_name`); `postcode` is upper case without
    spaces; `upn` and `nhs_number` hold only values with a correct check character.
    """

    id: str
    forename: str = ""
    middle_names: tuple[str, ...] = ()
    surname: str = ""
    former_surnames: tuple[str, ...] = ()
    dob: date | None = None
    sex: str = ""
    postcode: str = ""
    previous_postcodes: tuple[str, ...] = ()
    address: str = ""
    upn: str = ""
    nhs_number: str = ""


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """A value that was present but unusable, and so was treated as missing."""

    column: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}column {self.column}: {self.reason}"


@lru_cache(maxsize=1 << 16)
def parse_dob(raw: str) -> date | None:
    """A date of birth written as YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or YYYYMMDD.

    Returns None for a blank or malformed value, or a year outside 1900-2100.
    """
    text = raw.strip()
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
            return None
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


@lru_cache(maxsize=1 << 18)
def normalise_postcode(raw: str) -> str:
    """Upper case with no spaces or punctuation: ` sw1a 1aa ` -> `SW1A1AA`."""
    return _NOT_ALNUM.sub("", raw.upper())


def is_uk_postcode(postcode: str) -> bool:
    """True if a normalised postcode has the shape of a UK postcode."""
    return _UK_POSTCODE.fullmatch(postcode) is not None


@lru_cache(maxsize=1 << 18)
def postcode_sector(postcode: str) -> str:
    """`SW1A1AA` -> `SW1A1`; empty for a value that is not a UK postcode."""
    return postcode[:-2] if is_uk_postcode(postcode) else ""


@lru_cache(maxsize=1 << 18)
def postcode_district(postcode: str) -> str:
    """`SW1A1AA` -> `SW1A`; empty for a value that is not a UK postcode."""
    return postcode[:-3] if is_uk_postcode(postcode) else ""


@lru_cache(maxsize=1 << 20)
def normalise_address(raw: str) -> str:
    """Lower-case words and numbers with common abbreviations spelled out (`Rd` -> `road`)."""
    words = _ADDRESS_NOISE.sub(" ", raw.lower()).split()
    return " ".join(_ADDRESS_WORDS.get(word, word) for word in words)


@lru_cache(maxsize=1 << 8)
def normalise_sex(raw: str) -> str:
    """`M` or `F`, or empty when blank or anything else (unknown, not stated)."""
    return _SEXES.get(raw.strip().lower(), "")


def split_names(raw: str) -> tuple[str, ...]:
    """Several names in one field (`Brown; Green`), normalised, without repeats."""
    names = (normalise_name(part) for part in _LIST_SEPARATORS.split(raw))
    return tuple(dict.fromkeys(name for name in names if name))


def split_postcodes(raw: str) -> tuple[str, ...]:
    """Several postcodes in one field, normalised, without repeats."""
    codes = (normalise_postcode(part) for part in _LIST_SEPARATORS.split(raw))
    return tuple(dict.fromkeys(code for code in codes if code))


def parse_upn(raw: str) -> tuple[str, str | None]:
    """The normalised UPN if valid, else empty; and the reason when a present value is invalid."""
    if not raw.strip():
        return "", None
    result = check_upn(raw)
    if result.is_valid:
        return normalise_upn(raw), None
    reason = result.error.value if result.error is not None else "invalid"
    return "", f"invalid UPN ({reason.replace('_', ' ')}), treated as missing"


def parse_nhs_number(raw: str) -> tuple[str, str | None]:
    """The normalised NHS number if valid, else empty; and why a present value is not used."""
    if not raw.strip():
        return "", None
    if is_valid_nhs_number(raw):
        return normalise_nhs_number(raw), None
    return "", "invalid NHS number (wrong length or check digit), treated as missing"


def parse_record(
    raw: Mapping[str, str | None], *, line: int | None = None
) -> tuple[PersonRecord, list[FieldWarning]]:
    """Read one row of text fields into a `PersonRecord` and the warnings about unusable values.

    `raw` uses the column names of `COLUMNS` (and optionally `OPTIONAL_COLUMNS`); a missing key,
    None and blank all mean missing. `line` is quoted in the warnings.
    """

    def field(name: str) -> str:
        value = raw.get(name)
        return value if isinstance(value, str) else ""

    warnings: list[FieldWarning] = []
    dob_text = field("dob")
    dob = parse_dob(dob_text)
    if dob is None and dob_text.strip():
        warnings.append(
            FieldWarning(
                "dob", f"malformed date {dob_text.strip()[:20]!r}, treated as missing", line
            )
        )
    upn, upn_problem = parse_upn(field("upn"))
    if upn_problem:
        warnings.append(FieldWarning("upn", upn_problem, line))
    nhs, nhs_problem = parse_nhs_number(field("nhs_number"))
    if nhs_problem:
        warnings.append(FieldWarning("nhs_number", nhs_problem, line))
    record = PersonRecord(
        id=field("id").strip(),
        forename=normalise_name(field("forename")),
        middle_names=tuple(normalise_name(field("middle_names")).split()),
        surname=normalise_name(field("surname")),
        former_surnames=split_names(field("former_surname")),
        dob=dob,
        sex=normalise_sex(field("sex")),
        postcode=normalise_postcode(field("postcode")),
        previous_postcodes=split_postcodes(field("previous_postcodes")),
        address=normalise_address(field("address")),
        upn=upn,
        nhs_number=nhs,
    )
    return record, warnings
