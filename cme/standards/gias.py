"""Mapping of GIAS ("Get information about schools") extract values to our school categories.

Owns the translation of the `TypeOfEstablishment (name)`, `PhaseOfEducation (name)` and
`EstablishmentStatus (name)` columns and of GIAS `DD-MM-YYYY` dates (spec section 5.2). The
categories are StrEnums so a Django app can build TextChoices from the same values. Reading the
CSV file itself belongs to the importer, not here.
"""

import datetime
import enum
import re
from types import MappingProxyType
from typing import Final, TypeVar

_GIAS_DATE: Final = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})", re.ASCII)
_NOT_ALPHANUMERIC: Final = re.compile(r"[^0-9a-z]+", re.ASCII)

_T = TypeVar("_T")


class SchoolType(enum.StrEnum):
    MAINTAINED = "maintained"
    ACADEMY = "academy"
    FREE = "free"
    INDEPENDENT = "independent"
    SPECIAL = "special"
    ALTERNATIVE_PROVISION = "alternative_provision"
    OTHER = "other"


class SchoolPhase(enum.StrEnum):
    NURSERY = "nursery"
    PRIMARY = "primary"
    MIDDLE_DEEMED_PRIMARY = "middle_deemed_primary"
    MIDDLE_DEEMED_SECONDARY = "middle_deemed_secondary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SIXTEEN_PLUS = "sixteen_plus"
    NOT_APPLICABLE = "not_applicable"


class SchoolStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    PROPOSED_TO_CLOSE = "proposed_to_close"
    PROPOSED_TO_OPEN = "proposed_to_open"


def _key(name: str) -> str:
    # GIAS and copies of its lists differ in case and punctuation ("Free schools alternative
    # provision" vs "Free Schools - Alternative Provision"), so compare letters and digits only.
    return _NOT_ALPHANUMERIC.sub(" ", name.lower()).strip()


def _table(pairs: dict[str, _T]) -> MappingProxyType[str, _T]:
    return MappingProxyType({_key(name): value for name, value in pairs.items()})


# Decision: for state-funded schools the provision (special, alternative provision) decides the
# category over the governance (maintained, academy, free), so special and AP free schools sit
# with special and AP academies; independent schools, special or not, stay independent because
# a child there is outside the state sector. Types not listed (further education, secure units,
# Welsh establishments, children's centres, ...) are "other".
_SCHOOL_TYPES: Final = _table(
    {
        "Community school": SchoolType.MAINTAINED,
        "Voluntary aided school": SchoolType.MAINTAINED,
        "Voluntary controlled school": SchoolType.MAINTAINED,
        "Foundation school": SchoolType.MAINTAINED,
        "Local authority nursery school": SchoolType.MAINTAINED,
        "Academy converter": SchoolType.ACADEMY,
        "Academy sponsor led": SchoolType.ACADEMY,
        "Academy 16-19 converter": SchoolType.ACADEMY,
        "Academy 16 to 19 sponsor led": SchoolType.ACADEMY,
        "University technical college": SchoolType.ACADEMY,
        "Studio schools": SchoolType.ACADEMY,
        "Free schools": SchoolType.FREE,
        "Free schools 16 to 19": SchoolType.FREE,
        "Free schools special": SchoolType.SPECIAL,
        "Community special school": SchoolType.SPECIAL,
        "Foundation special school": SchoolType.SPECIAL,
        "Academy special converter": SchoolType.SPECIAL,
        "Academy special sponsor led": SchoolType.SPECIAL,
        "Non-maintained special school": SchoolType.SPECIAL,
        "Free schools alternative provision": SchoolType.ALTERNATIVE_PROVISION,
        "Pupil referral unit": SchoolType.ALTERNATIVE_PROVISION,
        "Academy alternative provision converter": SchoolType.ALTERNATIVE_PROVISION,
        "Academy alternative provision sponsor led": SchoolType.ALTERNATIVE_PROVISION,
        "Other independent school": SchoolType.INDEPENDENT,
        "Other independent special school": SchoolType.INDEPENDENT,
        "Independent schools approved for SEN pupils": SchoolType.INDEPENDENT,
    }
)

_SCHOOL_PHASES: Final = _table(
    {
        "Nursery": SchoolPhase.NURSERY,
        "Primary": SchoolPhase.PRIMARY,
        "Middle deemed primary": SchoolPhase.MIDDLE_DEEMED_PRIMARY,
        "Middle deemed secondary": SchoolPhase.MIDDLE_DEEMED_SECONDARY,
        "Secondary": SchoolPhase.SECONDARY,
        "All-through": SchoolPhase.ALL_THROUGH,
        "16 plus": SchoolPhase.SIXTEEN_PLUS,
        "Not applicable": SchoolPhase.NOT_APPLICABLE,
    }
)

_SCHOOL_STATUSES: Final = _table(
    {
        "Open": SchoolStatus.OPEN,
        "Closed": SchoolStatus.CLOSED,
        "Open, but proposed to close": SchoolStatus.PROPOSED_TO_CLOSE,
        "Proposed to open": SchoolStatus.PROPOSED_TO_OPEN,
    }
)


def school_type_from_gias(type_of_establishment_name: str) -> SchoolType:
    """Category for a `TypeOfEstablishment (name)` value; unknown or blank values are OTHER."""
    return _SCHOOL_TYPES.get(_key(type_of_establishment_name), SchoolType.OTHER)


def school_phase_from_gias(phase_name: str) -> SchoolPhase | None:
    """Phase for a `PhaseOfEducation (name)` value; None if blank or not a GIAS phase."""
    return _SCHOOL_PHASES.get(_key(phase_name))


def school_status_from_gias(status_name: str) -> SchoolStatus | None:
    """Status for an `EstablishmentStatus (name)` value; None if blank or not a GIAS status."""
    return _SCHOOL_STATUSES.get(_key(status_name))


def parse_gias_date(value: str) -> datetime.date | None:
    """Parse a GIAS `DD-MM-YYYY` date; blank means missing and gives None.

    Raises ValueError for anything else, including impossible dates such as 31-02-2020, so a
    malformed extract is noticed rather than read as "no date".
    """
    text = value.strip()
    if not text:
        return None
    match = _GIAS_DATE.fullmatch(text)
    if match is None:
        msg = f"GIAS date must be DD-MM-YYYY, got {value!r}"
        raise ValueError(msg)
    day, month, year = (int(part) for part in match.groups())
    return datetime.date(year, month, day)
