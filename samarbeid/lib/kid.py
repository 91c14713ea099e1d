"""Norwegian KID numbers (customer identification for payments) with a MOD10 check digit.

MOD10 is the Luhn algorithm; a KID is 2 to 25 digits including the check digit.
"""

from __future__ import annotations

import re

from stdnum import luhn

__all__ = ["KID_MAX_LENGTH", "KID_MIN_LENGTH", "is_valid_kid", "make_kid"]

KID_MIN_LENGTH = 2
KID_MAX_LENGTH = 25

# ASCII digits only: str.isdigit() would also accept "²" and other Unicode digits.
_DIGITS = re.compile(r"[0-9]+")


def make_kid(base_digits: str) -> str:
    """Return `base_digits` with its MOD10 (Luhn) check digit appended.

    Raises ValueError unless `base_digits` is 1 to 24 ASCII digits.
    """
    if not isinstance(base_digits, str) or not _DIGITS.fullmatch(base_digits):
        raise ValueError(f"KID base must consist of digits only, got {base_digits!r}")
    if len(base_digits) > KID_MAX_LENGTH - 1:
        raise ValueError(
            f"KID base can have at most {KID_MAX_LENGTH - 1} digits, got {len(base_digits)}"
        )
    return base_digits + str(luhn.calc_check_digit(base_digits))


def is_valid_kid(s: str) -> bool:
    """True if `s` is 2 to 25 digits whose last digit is the correct MOD10 check digit."""
    if not isinstance(s, str) or not _DIGITS.fullmatch(s):
        return False
    if not KID_MIN_LENGTH <= len(s) <= KID_MAX_LENGTH:
        return False
    return bool(luhn.is_valid(s))
