"""UPN and NHS number as matching evidence: valid or absent, and packed into integers.

Owns the rule that an identifier with a bad check character is treated as absent, never as
evidence, and the integer form the register index stores (one int64 per child instead of a
string). Single values go through `cme.standards` itself; `upn_codes` and `nhs_codes` are the
vectorised equivalents for loading a million-row register, and the tests hold them equal to
`cme.standards.upn.is_valid_upn` and `cme.standards.nhs_number.is_valid_nhs_number`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from cme.standards.la_codes import UpnLaCodeAcceptance, upn_la_code_acceptance
from cme.standards.nhs_number import is_valid_nhs_number, normalise_nhs_number
from cme.standards.upn import UPN_LENGTH, UPN_LETTERS, is_valid_upn, normalise_upn

Codes = npt.NDArray[np.int64]

_NHS_LENGTH: Final = 10
# Value of each ASCII byte as a UPN character: digits 0-9, allowed letters their index in
# UPN_LETTERS, anything else -1. The last character packs as 0-9 (digit) or 10 + index (letter).
_CHAR_VALUE: Final = np.full(256, -1, dtype=np.int64)
_CHAR_VALUE[ord("0") : ord("9") + 1] = np.arange(10)
for _index, _letter in enumerate(UPN_LETTERS):
    _CHAR_VALUE[ord(_letter)] = _index
_IS_DIGIT: Final = np.zeros(256, dtype=bool)
_IS_DIGIT[ord("0") : ord("9") + 1] = True
_IS_LETTER: Final = np.zeros(256, dtype=bool)
for _letter in UPN_LETTERS:
    _IS_LETTER[ord(_letter)] = True
_LAST_BASE: Final = 40


@cache
def _accepted_la_codes() -> npt.NDArray[np.bool_]:
    accepted = np.zeros(1000, dtype=bool)
    for number in range(1000):
        code = f"{number:03d}"
        accepted[number] = upn_la_code_acceptance(code) is not UpnLaCodeAcceptance.REJECTED
    return accepted


def upn_code(raw: str) -> int:
    """The UPN packed into a positive integer, or 0 if it is absent or invalid."""
    upn = normalise_upn(raw)
    if not is_valid_upn(upn):
        return 0
    return int(upn_codes([upn])[0])


def nhs_code(raw: str) -> int:
    """The NHS number as a positive integer, or 0 if it is absent or invalid."""
    if not is_valid_nhs_number(raw):
        return 0
    return int(normalise_nhs_number(raw)) + 1


def upn_from_code(code: int) -> str:
    """Inverse of `upn_code` for a non-zero code."""
    body, last = divmod(code - 1, _LAST_BASE)
    first, digits = divmod(body, 10**11)
    last_char = str(last) if last < 10 else UPN_LETTERS[last - 10]
    return f"{UPN_LETTERS[first]}{digits:011d}{last_char}"


def nhs_from_code(code: int) -> str:
    """Inverse of `nhs_code` for a non-zero code."""
    return f"{code - 1:010d}"


def upn_codes(values: Sequence[str]) -> Codes:
    """Vectorised `upn_code` over many raw values (0 where absent or invalid)."""
    return upn_codes_and_text(values)[0]


def upn_codes_and_text(values: Sequence[str]) -> tuple[Codes, list[str]]:
    """`upn_codes`, and each valid UPN in normalised form ("" where absent or invalid)."""
    # Most values are already clean: skip the general normalisation for those.
    normalised = [
        value.upper() if value.isalnum() and value.isascii() else normalise_upn(value)
        for value in values
    ]
    out = np.zeros(len(normalised), dtype=np.int64)
    positions = [i for i, v in enumerate(normalised) if len(v) == UPN_LENGTH and v.isascii()]
    if not positions:
        return out, [""] * len(normalised)
    raw = "".join(normalised[i] for i in positions).encode("ascii")
    chars = np.frombuffer(raw, dtype=np.uint8).reshape(len(positions), UPN_LENGTH)
    values_ = _CHAR_VALUE[chars]
    ok = _IS_LETTER[chars[:, 0]] & _IS_DIGIT[chars[:, 1:12]].all(axis=1)
    ok &= _IS_DIGIT[chars[:, 12]] | _IS_LETTER[chars[:, 12]]
    la = np.where(ok, values_[:, 1] * 100 + values_[:, 2] * 10 + values_[:, 3], 0)
    ok &= _accepted_la_codes()[la]
    weights = np.arange(2, UPN_LENGTH + 1, dtype=np.int64)
    check = (values_[:, 1:] * weights).sum(axis=1) % len(UPN_LETTERS)
    ok &= check == values_[:, 0]
    digits = np.zeros(len(positions), dtype=np.int64)
    for column in range(1, 12):
        digits = digits * 10 + np.where(ok, values_[:, column], 0)
    last = np.where(_IS_DIGIT[chars[:, 12]], values_[:, 12], values_[:, 12] + 10)
    packed = ((values_[:, 0] * 10**11 + digits) * _LAST_BASE + last) + 1
    out[np.asarray(positions, dtype=np.int64)] = np.where(ok, packed, 0)
    return out, _texts(normalised, out)


def nhs_codes(values: Sequence[str]) -> Codes:
    """Vectorised `nhs_code` over many raw values (0 where absent or invalid)."""
    return nhs_codes_and_text(values)[0]


def nhs_codes_and_text(values: Sequence[str]) -> tuple[Codes, list[str]]:
    """`nhs_codes`, and each valid number in normalised form ("" where absent or invalid)."""
    normalised = [
        value if value.isdigit() and value.isascii() else normalise_nhs_number(value)
        for value in values
    ]
    out = np.zeros(len(normalised), dtype=np.int64)
    positions = [i for i, v in enumerate(normalised) if len(v) == _NHS_LENGTH and v.isascii()]
    if not positions:
        return out, [""] * len(normalised)
    raw = "".join(normalised[i] for i in positions).encode("ascii")
    chars = np.frombuffer(raw, dtype=np.uint8).reshape(len(positions), _NHS_LENGTH)
    ok: npt.NDArray[np.bool_] = np.asarray(_IS_DIGIT[chars].all(axis=1), dtype=bool)
    digits = np.where(ok[:, None], chars.astype(np.int64) - ord("0"), 0)
    weights = np.arange(10, 1, -1, dtype=np.int64)
    check = 11 - (digits[:, :9] * weights).sum(axis=1) % 11
    check = np.where(check == 11, 0, check)
    ok &= (check != 10) & (check == digits[:, 9])
    number = np.zeros(len(positions), dtype=np.int64)
    for column in range(_NHS_LENGTH):
        number = number * 10 + digits[:, column]
    out[np.asarray(positions, dtype=np.int64)] = np.where(ok, number + 1, 0)
    return out, _texts(normalised, out)


def _texts(normalised: list[str], codes: Codes) -> list[str]:
    return [text if code else "" for text, code in zip(normalised, codes.tolist(), strict=True)]
