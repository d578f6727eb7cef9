"""How two records agree, field by field: the comparison levels of the Fellegi-Sunter model.

Owns the ladder of outcomes for each compared field (exact, known variant, swapped, fuzzy,
missing, different ...), the plain words an officer reads for each, and the one function that
places a pair of records on every ladder. Level 0 of every comparison means "missing on one
side" and always weighs nothing. Which term-frequency value a level is adjusted by is decided
here too, because only the comparison knows which part of a name matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from cme.linkage.names import (
    is_forename_variant,
    is_surname_variant,
    phonetic_key,
    similarity,
)
from cme.linkage.records import PersonRecord, postcode_district, postcode_sector

# Jaro-Winkler thresholds: above HIGH a one-letter slip, above LOW a looser likeness.
FUZZY_HIGH: Final = 0.92
FUZZY_LOW: Final = 0.80
# rapidfuzz token-set ratio (0-100) at which two addresses are the same or alike.
ADDRESS_SAME: Final = 90.0
ADDRESS_ALIKE: Final = 75.0
_DAYS_IN_YEAR: Final = 366
# One letter added, dropped, changed or two swapped counts as a slip in a name this long.
_MIN_TYPO_LENGTH: Final = 4


@dataclass(frozen=True, slots=True)
class Level:
    """One rung of a comparison's ladder: a key for code and plain words for people."""

    key: str
    words: str
    term_frequency: bool = False


@dataclass(frozen=True, slots=True)
class Comparison:
    """A compared field (or group of fields) and its ladder of levels, best agreement first."""

    name: str
    label: str
    levels: tuple[Level, ...]

    def level_index(self, key: str) -> int:
        """The position of the level named `key` (raises ValueError if there is none)."""
        for index, level in enumerate(self.levels):
            if level.key == key:
                return index
        msg = f"{self.name} has no level {key!r}"
        raise ValueError(msg)


MISSING: Final = 0
_MISSING_LEVEL: Final = Level("missing", "missing on one side or both, so not counted")

FORENAME: Final = Comparison(
    "forename",
    "First name",
    (
        _MISSING_LEVEL,
        Level("exact", "the same", term_frequency=True),
        Level("variant", "a known variant of the same name (short form or other spelling)"),
        Level("swapped", "swapped with the surname"),
        Level("crossed", "written where the surname should be (or the other way round)"),
        Level("other_given", "matches one of the other given names"),
        Level("fuzzy_high", "nearly the same (a likely typing slip)"),
        Level("fuzzy_low", "alike in spelling or sound"),
        Level("initial", "only an initial, which agrees"),
        Level("different", "different"),
    ),
)
SURNAME: Final = Comparison(
    "surname",
    "Surname",
    (
        _MISSING_LEVEL,
        Level("exact", "the same", term_frequency=True),
        Level("part", "shares part of a double-barrelled surname", term_frequency=True),
        Level("former", "matches a former surname"),
        Level("variant", "a known variant spelling of the same surname"),
        Level("swapped", "swapped with the first name"),
        Level("fuzzy_high", "nearly the same (a likely typing slip)"),
        Level("fuzzy_low", "alike in spelling or sound"),
        Level("different", "different"),
    ),
)
MIDDLE_NAMES: Final = Comparison(
    "middle_names",
    "Middle names",
    (
        _MISSING_LEVEL,
        Level("exact", "the same"),
        Level("partial", "partly the same (one name or an initial agrees)"),
        Level("different", "different"),
    ),
)
DOB: Final = Comparison(
    "dob",
    "Date of birth",
    (
        _MISSING_LEVEL,
        Level("exact", "the same"),
        Level("day_month_swapped", "day and month swapped"),
        Level("one_digit", "one digit different (a likely typing slip)"),
        Level("within_year", "different, but less than a year apart"),
        Level("different", "different"),
    ),
)
SEX: Final = Comparison(
    "sex",
    "Sex",
    (_MISSING_LEVEL, Level("same", "the same"), Level("different", "different")),
)
ADDRESS: Final = Comparison(
    "address",
    "Address",
    (
        _MISSING_LEVEL,
        Level(
            "same_home",
            "same street address and postcode (or postcode given on one side only)",
            term_frequency=True,
        ),
        Level(
            "same_postcode",
            "same postcode, street address differs or is missing",
            term_frequency=True,
        ),
        Level("same_street_address", "same street address, postcode differs"),
        Level("previous_postcode", "matches a previous postcode (the family may have moved)"),
        Level("alike", "nearby: same postcode sector, or a similar street address"),
        Level("same_district", "same postcode district only"),
        Level("different", "different"),
    ),
)
UPN: Final = Comparison(
    "upn",
    "UPN",
    (_MISSING_LEVEL, Level("same", "the same"), Level("different", "different")),
)
NHS_NUMBER: Final = Comparison(
    "nhs_number",
    "NHS number",
    (_MISSING_LEVEL, Level("same", "the same"), Level("different", "different")),
)

COMPARISONS: Final = (FORENAME, MIDDLE_NAMES, SURNAME, DOB, SEX, ADDRESS, UPN, NHS_NUMBER)
# Positions in COMPARISONS, for code that reads one comparison's level out of a vector.
I_FORENAME, I_MIDDLE, I_SURNAME, I_DOB, I_SEX, I_ADDRESS, I_UPN, I_NHS = range(len(COMPARISONS))

Levels = tuple[int, int, int, int, int, int, int, int]


def _first_word(name: str) -> str:
    return name.split(" ", 1)[0]


@lru_cache(maxsize=1 << 20)
def _name_alike(a: str, b: str) -> int:
    """2 if nearly the same, 1 if alike in spelling or sound, 0 otherwise (a != b)."""
    score = similarity(a, b)
    if score >= FUZZY_HIGH or (
        min(len(a), len(b)) >= _MIN_TYPO_LENGTH and OSA.distance(a, b, score_cutoff=1) <= 1
    ):
        return 2
    if score >= FUZZY_LOW or phonetic_key(a) == phonetic_key(b):
        return 1
    return 0


def _same_or_close(a: str, b: str) -> bool:
    return a == b or (bool(a) and bool(b) and _name_alike(a, b) == 2)


def compare_forename(a: PersonRecord, b: PersonRecord) -> int:  # noqa: PLR0911 - one return per rung of the ladder
    """Level of FORENAME for the pair."""
    fa, fb = a.forename, b.forename
    if not fa or not fb:
        return MISSING
    first_a, first_b = _first_word(fa), _first_word(fb)
    if fa == fb or first_a == first_b:
        return 1
    if is_forename_variant(first_a, first_b) or is_forename_variant(fa, fb):
        return 2
    sa, sb = a.surname, b.surname
    if sa and sb and _same_or_close(fa, sb) and _same_or_close(fb, sa):
        return 3
    if fa == sb or fb == sa:
        return 4
    if (
        first_a in b.middle_names
        or first_b in a.middle_names
        or ((" " in fa or " " in fb) and set(fa.split()) & set(fb.split()))
    ):
        return 5
    alike = _name_alike(fa, fb)
    if alike == 2:
        return 6
    if alike == 1:
        return 7
    if (len(first_a) == 1 or len(first_b) == 1) and first_a[0] == first_b[0]:
        return 8
    return 9


def compare_surname(a: PersonRecord, b: PersonRecord) -> int:  # noqa: PLR0911 - one return per rung of the ladder
    """Level of SURNAME for the pair."""
    sa, sb = a.surname, b.surname
    if not sa or not sb:
        return MISSING
    if sa == sb or sa.replace(" ", "") == sb.replace(" ", ""):
        return 1
    parts_a, parts_b = sa.split(), sb.split()
    if set(parts_a) & set(parts_b):
        return 2
    if (
        sa in b.former_surnames
        or sb in a.former_surnames
        or set(a.former_surnames) & set(b.former_surnames)
    ):
        return 3
    if is_surname_variant(sa, sb) or (
        (len(parts_a) > 1 or len(parts_b) > 1)
        and any(is_surname_variant(x, y) for x in parts_a for y in parts_b)
    ):
        return 4
    if (
        a.forename
        and b.forename
        and _same_or_close(sa, b.forename)
        and _same_or_close(sb, a.forename)
    ):
        return 5
    alike = _name_alike(sa, sb)
    if len(parts_a) > 1 or len(parts_b) > 1:
        alike = max([alike] + [_name_alike(x, y) for x in parts_a for y in parts_b if x != y])
    if alike == 2:
        return 6
    if alike == 1:
        return 7
    return 8


def compare_middle_names(a: PersonRecord, b: PersonRecord) -> int:
    """Level of MIDDLE_NAMES for the pair."""
    ma, mb = a.middle_names, b.middle_names
    if not ma or not mb:
        return MISSING
    if set(ma) == set(mb):
        return 1
    if set(ma) & set(mb) or {m[0] for m in ma} & {m[0] for m in mb}:
        return 2
    return 3


@lru_cache(maxsize=1 << 16)
def _dob_digits(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


@lru_cache(maxsize=1 << 18)
def compare_dates(a: date, b: date) -> int:
    """Level of DOB for two dates (1 = exact ... 5 = different)."""
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 2
    da, db = _dob_digits(a), _dob_digits(b)
    differing = [i for i in range(8) if da[i] != db[i]]
    if len(differing) == 1 or (
        len(differing) == 2
        and differing[1] == differing[0] + 1
        and da[differing[0]] == db[differing[1]]
        and da[differing[1]] == db[differing[0]]
    ):
        return 3
    if abs((a - b).days) <= _DAYS_IN_YEAR:
        return 4
    return 5


def compare_dob(a: PersonRecord, b: PersonRecord) -> int:
    """Level of DOB for the pair."""
    if a.dob is None or b.dob is None:
        return MISSING
    if a.dob == b.dob:
        return 1
    return compare_dates(a.dob, b.dob)


@lru_cache(maxsize=1 << 20)
def address_similarity(a: str, b: str) -> float:
    """Token-set similarity of two normalised addresses, 0-100."""
    return float(fuzz.token_set_ratio(a, b))


def compare_address(a: PersonRecord, b: PersonRecord) -> int:  # noqa: PLR0911 - one return per rung of the ladder
    """Level of ADDRESS (postcode and street address together) for the pair."""
    pa, pb = a.postcode, b.postcode
    both_postcodes = bool(pa) and bool(pb)
    both_addresses = bool(a.address) and bool(b.address)
    if not both_postcodes and not both_addresses:
        return MISSING
    address_score = address_similarity(a.address, b.address) if both_addresses else 0.0
    if both_postcodes and pa == pb:
        return 1 if address_score >= ADDRESS_SAME else 2
    if address_score >= ADDRESS_SAME:
        # A postcode given on one side only does not contradict the same street address.
        return 3 if both_postcodes else 1
    if (pa and pa in b.previous_postcodes) or (pb and pb in a.previous_postcodes):
        return 4
    if both_postcodes:
        sector = postcode_sector(pa)
        if (sector and sector == postcode_sector(pb)) or address_score >= ADDRESS_ALIKE:
            return 5
        district = postcode_district(pa)
        if district and district == postcode_district(pb):
            return 6
    elif address_score >= ADDRESS_ALIKE:
        return 5
    return 7


def _compare_equal(a: str, b: str) -> int:
    if not a or not b:
        return MISSING
    return 1 if a == b else 2


def compare_records(a: PersonRecord, b: PersonRecord) -> Levels:
    """The level of every comparison in COMPARISONS for the pair (a, b)."""
    return (
        compare_forename(a, b),
        compare_middle_names(a, b),
        compare_surname(a, b),
        compare_dob(a, b),
        _compare_equal(a.sex, b.sex),
        compare_address(a, b),
        _compare_equal(a.upn, b.upn),
        _compare_equal(a.nhs_number, b.nhs_number),
    )


def term_frequency_value(comparison: int, level: int, a: PersonRecord, b: PersonRecord) -> str:
    """The value whose frequency adjusts a term-frequency level, taken from `b` (the register).

    For a shared part of a double-barrelled surname it is that part; for the same home it is
    the household (postcode and address); for the same postcode it is the postcode.
    """
    if comparison == I_FORENAME:
        return _first_word(b.forename)
    if comparison == I_SURNAME:
        if level == 1:
            return b.surname
        shared = sorted(set(a.surname.split()) & set(b.surname.split()))
        return shared[0] if shared else b.surname
    if comparison == I_ADDRESS:
        return household_key(b) if level == 1 else b.postcode
    return ""


def household_key(record: PersonRecord) -> str:
    """Postcode and street address together: the home a family shares."""
    return f"{record.postcode}|{record.address}"
