"""DfE three-digit local authority codes, and which of them a UPN may carry.

Owns the bundled LA code table and the rule that decides whether characters 2-4 of a UPN are a
recognised LA code (spec section 2.4). Nothing else in the project should hard-code LA codes.
"""

# Data: data/la_codes.csv is a verbatim copy of shared/standards/la_codes.csv (compiled Nov 2026)
# from the GIAS children's-centre extract of July 2025 (OGL, via RogerHowellDfE/gias-data), the
# DfE MTC laCodeLookup seed and migrations (940/941 in 2022, 942/943 in 2023) and DfE CIN census
# rule 1530. Each row names its own source; replace the file, never edit rows by hand.

import enum
import functools
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from cme.standards._data import read_bundled_csv

_DATA_FILE: Final = "la_codes.csv"
_EXPECTED_COLUMNS: Final = ("la_code", "la_name", "status", "note", "source")


class LaCodeStatus(enum.StrEnum):
    """The `status` column of la_codes.csv."""

    CURRENT_ENGLAND_LA = "current_england_la"
    HISTORICAL_ENGLAND_LA = "historical_england_la"
    WALES_LA = "wales_la"
    NON_LA_ESTABLISHMENT_GROUP = "non_la_establishment_group"
    PSEUDO_CIN_ONLY = "pseudo_cin_only"
    NOT_APPLICABLE = "not_applicable"
    TEST = "test"


class UpnLaCodeAcceptance(enum.StrEnum):
    """How a UPN validator treats an LA code in characters 2-4."""

    ACCEPTED = "accepted"
    ACCEPTED_WITH_WARNING = "accepted_with_warning"
    REJECTED = "rejected"


# The single place that decides which LA-code statuses a UPN may carry (spec section 2.4).
# 001-005 are accepted by DfE CIN rule 1530 but not by DfE MTC and their meaning is unverified
# [U], so they pass with a warning. 000 ("does not apply") and 999 (MTC's test LA) are rejected.
UPN_LA_CODE_RULE: Final = MappingProxyType(
    {
        LaCodeStatus.CURRENT_ENGLAND_LA: UpnLaCodeAcceptance.ACCEPTED,
        LaCodeStatus.HISTORICAL_ENGLAND_LA: UpnLaCodeAcceptance.ACCEPTED,
        LaCodeStatus.WALES_LA: UpnLaCodeAcceptance.ACCEPTED,
        LaCodeStatus.NON_LA_ESTABLISHMENT_GROUP: UpnLaCodeAcceptance.ACCEPTED,
        LaCodeStatus.PSEUDO_CIN_ONLY: UpnLaCodeAcceptance.ACCEPTED_WITH_WARNING,
        LaCodeStatus.NOT_APPLICABLE: UpnLaCodeAcceptance.REJECTED,
        LaCodeStatus.TEST: UpnLaCodeAcceptance.REJECTED,
    }
)


@dataclass(frozen=True, slots=True)
class LocalAuthorityCode:
    """One row of la_codes.csv."""

    code: str
    name: str
    status: LaCodeStatus
    note: str
    source: str


@functools.cache
def load_la_codes() -> dict[str, LocalAuthorityCode]:
    """Return every bundled LA code keyed by its three-digit code.

    The dict is cached and shared: treat it as read-only.
    """
    codes: dict[str, LocalAuthorityCode] = {}
    for row in read_bundled_csv(_DATA_FILE, _EXPECTED_COLUMNS):
        code = row["la_code"]
        if len(code) != 3 or not code.isascii() or not code.isdigit():
            msg = f"{_DATA_FILE}: LA code {code!r} is not three digits"
            raise ValueError(msg)
        if code in codes:
            msg = f"{_DATA_FILE}: LA code {code} appears twice"
            raise ValueError(msg)
        codes[code] = LocalAuthorityCode(
            code=code,
            name=row["la_name"],
            status=LaCodeStatus(row["status"]),
            note=row["note"],
            source=row["source"],
        )
    return codes


def upn_la_code_acceptance(code: str) -> UpnLaCodeAcceptance:
    """Classify `code` (UPN characters 2-4, exactly as written) under UPN_LA_CODE_RULE."""
    entry = load_la_codes().get(code)
    if entry is None:
        return UpnLaCodeAcceptance.REJECTED
    return UPN_LA_CODE_RULE[entry.status]


def is_recognised_upn_la_code(code: str) -> bool:
    """True if a UPN may carry `code` in characters 2-4 (including the warned pseudo codes)."""
    return upn_la_code_acceptance(code) is not UpnLaCodeAcceptance.REJECTED
