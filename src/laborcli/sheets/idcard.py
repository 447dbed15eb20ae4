"""Chinese resident ID numbers (GB 11643-1999): normalisation, checks, 15→18 conversion."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass
from operator import mul
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PROVINCE_CODES: frozenset[str] = frozenset(
    [
        str(n)
        for n in (
            *range(11, 16),
            *range(21, 24),
            *range(31, 38),
            *range(41, 47),
            *range(50, 55),
            *range(61, 66),
            71,
            81,
            82,
            83,
            91,
        )
    ]
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Whitespace, dashes, and the invisible characters that copying from web pages and chat
# apps leaves inside an ID (zero-width spaces and joiners, word joiner, BOM, soft hyphen,
# direction marks): dropped alike, so that the ID with them is the ID without them.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_SPACES = " \t\r\n\v\f\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
_DROP = {ord(c): None for c in _SPACES + "".join(map(chr, range(0x2000, 0x200B))) + _INVISIBLE + "-"}


def normalise_id(raw: str) -> str:
    """Full-width to ASCII; whitespace, invisible characters and dashes removed; x upper-cased."""
    if raw.isascii():
        return raw.translate(_DROP).upper()
    return unicodedata.normalize("NFKC", raw).translate(_DROP).upper()


# Weighted sum over ASCII codes: each digit d is byte 48 + d, so the sum carries 48 x sum(weights)
# extra, taken off once. map() over bytes keeps the loop in C (this runs once per ID imported).
_ASCII_OFFSET = 48 * sum(_WEIGHTS)


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("17 digits expected")
    return _CHECK[(sum(map(mul, _WEIGHTS, first17.encode())) - _ASCII_OFFSET) % 11]


def convert_15_to_18(id15: str) -> str:
    """A first-generation 15-digit ID as 18 digits (19 before the year, check digit after)."""
    body = id15[:6] + "19" + id15[6:15]
    return body + check_digit(body)


@dataclass(frozen=True, slots=True)
class IdCheck:
    """The outcome of checking one ID."""

    normalised: str
    valid: bool
    code: str | None
    birth: dt.date | None
    gender: str | None
    converted_from_15: bool


def _birth(s: str) -> dt.date | None:
    if len(s) < 14 or not s[6:14].isdigit():
        return None
    try:
        return dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None


def check_id(raw: str, today: dt.date) -> IdCheck:
    """Check an ID; codes: id-missing, id-format, id-province, id-birth-date, id-check-digit."""
    s = normalise_id(raw)
    if not s:
        return IdCheck(s, False, "id-missing", None, None, False)
    conv = False
    if len(s) == 15 and s.isdigit():
        s, conv = convert_15_to_18(s), True
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        return IdCheck(s, False, "id-format", None, None, False)
    b = _birth(s)
    g = "男" if int(s[16]) % 2 else "女"
    if s[:2] not in PROVINCE_CODES:
        return IdCheck(s, False, "id-province", b, g, conv)
    if b is None or b > today or b < dt.date(1900, 1, 1):
        return IdCheck(s, False, "id-birth-date", None, g, conv)
    if check_digit(s[:17]) != s[17]:
        return IdCheck(s, False, "id-check-digit", b, g, conv)
    return IdCheck(s, True, None, b, g, conv)


_PLAIN_CODES = (None, "id-province", "id-birth-date", "id-check-digit")
_DIGIT_0, _DIGIT_9, _X = ord("0"), ord("9"), ord("X")


@functools.cache
def _arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Province numbers, check weights, check characters and month lengths as arrays.

    numpy is imported here, when IDs are first checked, not when any command starts.
    """
    import numpy as np

    return (
        np.array(sorted(int(c) for c in PROVINCE_CODES)),
        np.array(_WEIGHTS, dtype=np.int64),
        np.array([ord(c) for c in _CHECK], dtype=np.uint32),
        np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64),
    )


def load_array_checks() -> None:
    """Import numpy and build the arrays now: before worker processes are forked, they
    then share one copy instead of each importing numpy."""
    _arrays()


def plain_mask(texts: list[str]) -> list[bool]:
    """Which texts are plainly typed IDs: 17 ASCII digits and a digit or X, nothing else.

    Such a text is its own normalised form, so ``check_plain`` can check it with array
    arithmetic; anything else (15 digits, a lower-case x, full-width digits, spaces) goes
    through ``check_id`` one by one.
    """
    if not texts:
        return []
    import numpy as np

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.array(texts, dtype="<U18").view(np.uint32).reshape(len(texts), 18)
    digit = (codes >= _DIGIT_0) & (codes <= _DIGIT_9)
    plain = (lengths == 18) & digit[:, :17].all(axis=1) & (digit[:, 17] | (codes[:, 17] == _X))
    return [bool(p) for p in plain.tolist()]


@dataclass(slots=True)
class PlainChecks:
    """``check_id`` of many plain IDs, as columns."""

    valid: list[bool]
    code: list[str | None]
    birth: list[dt.date | None]
    gender: list[str]


def check_plain(texts: list[str], today: dt.date) -> PlainChecks:
    """``check_id`` of texts that ``plain_mask`` accepted, with whole-array arithmetic.

    Nearly every ID in a month's sheets is different, so caching per value saves nothing;
    whole arrays check them without a Python call per ID. The rules and their order are
    exactly ``check_id``'s (a test holds the two together).
    """
    n = len(texts)
    if n == 0:
        return PlainChecks([], [], [], [])
    import numpy as np

    province_numbers, weights, check_codes, month_days = _arrays()
    codes = np.array(texts, dtype="<U18").view(np.uint32).reshape(n, 18).astype(np.int64)
    d = codes - _DIGIT_0
    province = d[:, 0] * 10 + d[:, 1]
    year = d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9]
    month = d[:, 10] * 10 + d[:, 11]
    day = d[:, 12] * 10 + d[:, 13]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_ok = (month >= 1) & (month <= 12)
    days = month_days[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    calendar_ok = (year >= 1) & month_ok & (day >= 1) & (day <= days)  # dt.date has no year 0
    ymd = year * 10000 + month * 100 + day
    today_ymd = today.year * 10000 + today.month * 100 + today.day
    birth_ok = calendar_ok & (ymd >= 19000101) & (ymd <= today_ymd)
    province_ok = np.isin(province, province_numbers)
    check = check_codes[(d[:, :17] @ weights) % 11]
    check_ok = codes[:, 17] == check
    # 0 fine, then the first rule broken, in check_id's order
    code = np.where(~province_ok, 1, np.where(~birth_ok, 2, np.where(~check_ok, 3, 0)))
    valid = province_ok & birth_ok & check_ok
    # check_id keeps the birth date of a bad province only when it is a calendar date, and of
    # a bad check digit always; an impossible birth date is never kept.
    keep_birth = np.where(province_ok, birth_ok, calendar_ok)
    dates: dict[int, dt.date] = {
        k: dt.date(k // 10000, k // 100 % 100, k % 100) for k in set(ymd[keep_birth].tolist())
    }
    births = [dates[k] if keep else None for k, keep in zip(ymd.tolist(), keep_birth.tolist(), strict=True)]
    male = (d[:, 16] % 2).astype(bool).tolist()
    return PlainChecks(
        valid=valid.tolist(),
        code=[_PLAIN_CODES[c] for c in code.tolist()],
        birth=births,
        gender=["男" if m else "女" for m in male],
    )
