"""Unique Pupil Number (UPN): normalisation, check letter, validation and construction.

Owns the DfE UPN rules of spec section 2: the 13-character format, the mod-23 check letter, the
order in which failures are reported and the GOV.UK-style messages DfE uses for them. Which LA
codes are allowed in characters 2-4 is decided in `cme.standards.la_codes`, not here.
"""

import enum
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from cme.standards.la_codes import UpnLaCodeAcceptance, upn_la_code_acceptance

# Index in this string = value of a letter; I, O and S are never used (spec section 2.2).
UPN_LETTERS: Final = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH: Final = 13

_DIGITS: Final = frozenset("0123456789")
_LETTER_SET: Final = frozenset(UPN_LETTERS)
# Only ASCII is upper-cased so that no non-ASCII character can turn into a valid UPN character.
_ASCII_UPPER: Final = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_ALNUM: Final = re.compile(r"[A-Z0-9]+", re.ASCII)
# DfE GIAP UniquePupilNumberValidator.cs, permanent and temporary forms together.
_UPN_FORMAT: Final = re.compile(r"[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]", re.ASCII)


class UpnError(enum.StrEnum):
    """Why a UPN is invalid; members are declared in the order they are reported."""

    MISSING = "missing"
    FORMAT = "format"
    CHECK_LETTER = "check_letter"
    LA_CODE = "la_code"
    CHARACTERS_5_TO_12 = "characters_5_to_12"
    CHARACTER_13 = "character_13"


class UpnWarning(enum.StrEnum):
    """Accepted, but worth telling the user about."""

    PSEUDO_LA_CODE = "pseudo_la_code"


# DfE MTC admin/lib/errors/pupil.js (GOV.UK style). FORMAT is ours: DfE has no message for a
# value that is not 13 letters and digits (MTC reports such values under character 13).
UPN_ERROR_MESSAGES: Final = MappingProxyType(
    {
        UpnError.MISSING: "Enter a UPN",
        UpnError.FORMAT: (
            "Enter a UPN in the correct format. A UPN is 13 characters: a letter, "
            "11 numbers, then a number or a letter."
        ),
        UpnError.CHECK_LETTER: (
            "Enter a valid UPN. First character is not recognised. See guidance for instructions."
        ),
        UpnError.LA_CODE: (
            "Enter a valid UPN. Characters 2-4 are not a recognised LA code. "
            "See guidance for instructions."
        ),
        UpnError.CHARACTERS_5_TO_12: (
            "Enter a valid UPN. Characters 5-12 must be numeric. See guidance for instructions."
        ),
        UpnError.CHARACTER_13: (
            "Enter a valid UPN. Character 13 not recognised. See guidance for instructions."
        ),
    }
)

# DfE school census / CIN rules 1500-1550 wording, for reports that quote the census rule.
# FORMAT has no census rule of its own.
UPN_CENSUS_MESSAGES: Final = MappingProxyType(
    {
        UpnError.MISSING: "UPN missing",
        UpnError.CHECK_LETTER: "UPN invalid (wrong check letter at character 1)",
        UpnError.LA_CODE: "UPN invalid (characters 2-4 not a recognised LA code)",
        UpnError.CHARACTERS_5_TO_12: "UPN invalid (characters 5-12 not all numeric)",
        UpnError.CHARACTER_13: "UPN invalid (character 13 not a recognised value)",
    }
)

UPN_WARNING_MESSAGES: Final = MappingProxyType(
    {
        UpnWarning.PSEUDO_LA_CODE: (
            "Characters 2-4 are a pseudo LA code (001-005). DfE census rules accept it but its "
            "meaning is not known. Check the UPN with the school."
        ),
    }
)


@dataclass(frozen=True, slots=True)
class UpnResult:
    """Outcome of `check_upn`.

    `error` is the first failure in reporting order and `message` its GOV.UK-style text.
    `format_ok`: the value has the permanent or temporary shape, whatever its check letter and LA
    code. `is_temporary`: that shape ends in a letter. `check_letter_ok` is None when the letter
    cannot be computed (characters 2-13 not in UPN form) and False whenever character 1 cannot
    be a check letter at all.
    """

    normalised: str
    is_valid: bool
    is_temporary: bool
    error: UpnError | None
    message: str | None
    format_ok: bool
    check_letter_ok: bool | None
    la_code_ok: bool
    warnings: tuple[UpnWarning, ...] = ()


def normalise_upn(raw: str) -> str:
    """Remove all whitespace (ends and inside) and upper-case ASCII letters."""
    return "".join(raw.split()).translate(_ASCII_UPPER)


def _character_value(char: str) -> int:
    if char in _DIGITS:
        return ord(char) - ord("0")
    return UPN_LETTERS.index(char)


def upn_check_letter(body12: str) -> str:
    """Return the check letter for UPN characters 2-13 (upper case).

    Character n (n = 2..13) is weighted by n; digits count their value and a final letter its
    index in UPN_LETTERS; the letter is UPN_LETTERS[sum mod 23]. Raises ValueError when
    `body12` is not 11 digits followed by a digit or an allowed letter.
    """
    if len(body12) != UPN_LENGTH - 1:
        msg = f"UPN body must be 12 characters, got {len(body12)}"
        raise ValueError(msg)
    if not all(char in _DIGITS for char in body12[:-1]) or not (
        body12[-1] in _DIGITS or body12[-1] in _LETTER_SET
    ):
        msg = f"UPN body {body12!r} must be 11 digits then a digit or a letter from UPN_LETTERS"
        raise ValueError(msg)
    total = sum(position * _character_value(char) for position, char in enumerate(body12, start=2))
    return UPN_LETTERS[total % len(UPN_LETTERS)]


def _first_error(upn: str, check_letter_ok: bool | None, la_code_ok: bool) -> UpnError | None:
    if not upn:
        return UpnError.MISSING
    if len(upn) != UPN_LENGTH or not _ASCII_ALNUM.fullmatch(upn):
        return UpnError.FORMAT
    # Reported in this order (spec section 2.3). A check letter that cannot be computed is not
    # reported: the structural failure that prevents it is the more useful message.
    failures = (
        (UpnError.CHECK_LETTER, check_letter_ok is False),
        (UpnError.LA_CODE, not la_code_ok),
        (UpnError.CHARACTERS_5_TO_12, not all(char in _DIGITS for char in upn[4:12])),
        (UpnError.CHARACTER_13, upn[12] not in _DIGITS and upn[12] not in _LETTER_SET),
    )
    return next((error for error, failed in failures if failed), None)


def check_upn(raw: str) -> UpnResult:
    """Validate a UPN as DfE does, reporting the first failure in the order of spec 2.3."""
    upn = normalise_upn(raw)
    format_ok = _UPN_FORMAT.fullmatch(upn) is not None

    check_letter_ok: bool | None
    if upn[:1] not in _LETTER_SET:
        check_letter_ok = False
    elif format_ok:
        check_letter_ok = upn_check_letter(upn[1:]) == upn[0]
    else:
        check_letter_ok = None

    acceptance = upn_la_code_acceptance(upn[1:4])
    la_code_ok = acceptance is not UpnLaCodeAcceptance.REJECTED
    warnings = (
        (UpnWarning.PSEUDO_LA_CODE,)
        if acceptance is UpnLaCodeAcceptance.ACCEPTED_WITH_WARNING
        else ()
    )

    error = _first_error(upn, check_letter_ok, la_code_ok)
    return UpnResult(
        normalised=upn,
        is_valid=error is None,
        is_temporary=format_ok and upn[-1] in _LETTER_SET,
        error=error,
        message=None if error is None else UPN_ERROR_MESSAGES[error],
        format_ok=format_ok,
        check_letter_ok=check_letter_ok,
        la_code_ok=la_code_ok,
        warnings=warnings,
    )


def is_valid_upn(raw: str) -> bool:
    """True if `raw`, once normalised, is a valid permanent or temporary UPN."""
    return check_upn(raw).is_valid


def make_upn(la_code: str, estab: str, year2: str, serial: str) -> str:
    """Build a valid permanent UPN from its parts (for synthetic demo data).

    Raises ValueError unless the parts are 3, 4, 2 and 3 ASCII digits and the LA code is one a
    UPN may carry without a warning.
    """
    for name, value, width in (
        ("la_code", la_code, 3),
        ("estab", estab, 4),
        ("year2", year2, 2),
        ("serial", serial, 3),
    ):
        if len(value) != width or not all(char in _DIGITS for char in value):
            msg = f"{name} must be {width} digits, got {value!r}"
            raise ValueError(msg)
    if upn_la_code_acceptance(la_code) is not UpnLaCodeAcceptance.ACCEPTED:
        msg = f"LA code {la_code} is not accepted in a UPN without a warning"
        raise ValueError(msg)
    body = f"{la_code}{estab}{year2}{serial}"
    return upn_check_letter(body) + body
