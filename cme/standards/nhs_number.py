"""NHS number: normalisation, mod-11 check digit, validation, display and synthetic numbers.

Owns spec section 3. A valid check digit proves only that the number is well formed, never who
the child is. Synthetic numbers come only from the never-issued 999 000 0000 - 999 999 9999 range.
"""

import re
from typing import Final

NHS_NUMBER_LENGTH: Final = 10
# Valid in form but never issued [S]: the only range demo data may use.
SYNTHETIC_PREFIX: Final = "999"
# In a block of ten prefixes sharing their first eight digits the last digit d adds 2d to the sum,
# which differs mod 11 for every d, so at most one prefix per block has check 10 and at least
# nine valid numbers exist in each of the 100 000 blocks.
SYNTHETIC_NUMBERS_PER_BLOCK: Final = 9
SYNTHETIC_CAPACITY: Final = 100_000 * SYNTHETIC_NUMBERS_PER_BLOCK

_TEN_DIGITS: Final = re.compile(r"[0-9]{10}", re.ASCII)
_NINE_DIGITS: Final = re.compile(r"[0-9]{9}", re.ASCII)


def normalise_nhs_number(raw: str) -> str:
    """Remove whitespace and hyphens (`943 476 5919`, `943-476-5919` -> `9434765919`)."""
    return "".join(raw.split()).replace("-", "")


def nhs_check_digit(first9: str) -> int | None:
    """Return the check digit for the first nine digits, or None if no valid number has them.

    Digit i (i = 1..9) is weighted 11 - i; check = 11 - (sum mod 11), 11 becomes 0 and 10 means
    there is no valid check digit. Raises ValueError unless `first9` is nine ASCII digits.
    """
    if not _NINE_DIGITS.fullmatch(first9):
        msg = f"expected nine digits, got {first9!r}"
        raise ValueError(msg)
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(raw: str) -> bool:
    """True if `raw`, once normalised, is ten digits with a correct check digit."""
    number = normalise_nhs_number(raw)
    if not _TEN_DIGITS.fullmatch(number):
        return False
    return nhs_check_digit(number[:9]) == int(number[9])


def format_nhs_number(value: str) -> str:
    """Display form `943 476 5919`. Raises ValueError unless `value` normalises to ten digits."""
    number = normalise_nhs_number(value)
    if not _TEN_DIGITS.fullmatch(number):
        msg = "an NHS number has ten digits"
        raise ValueError(msg)
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def make_synthetic_nhs_number(n: int) -> str:
    """Return the n-th synthetic NHS number (0 <= n < SYNTHETIC_CAPACITY); same n, same number.

    n selects block n // 9 (prefixes 999BBBBB0-999BBBBB9) and, within it, the (n % 9)-th prefix
    that has a check digit, so distinct n give distinct valid numbers.
    """
    if not 0 <= n < SYNTHETIC_CAPACITY:
        msg = f"n must be in 0..{SYNTHETIC_CAPACITY - 1}, got {n}"
        raise ValueError(msg)
    block, rank = divmod(n, SYNTHETIC_NUMBERS_PER_BLOCK)
    prefixes = (f"{SYNTHETIC_PREFIX}{block:05d}{last}" for last in range(10))
    numbers = [
        f"{prefix}{check}" for prefix in prefixes if (check := nhs_check_digit(prefix)) is not None
    ]
    return numbers[rank]
