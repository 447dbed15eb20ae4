"""Parsing hand-typed cell values: text, dates, incomes, whole numbers, phones."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

_WS = re.compile(r"\s+")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class ValueProblem(ValueError):
    """A value that cannot be read, with the problem code to report."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


def is_blank(value: object) -> bool:
    """None, or text of only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def fold(s: str) -> str:
    """NFKC with all whitespace removed: for matching headers and vocabulary."""
    # str.split() and re's \s agree on what whitespace is; split/join runs in C.
    return "".join((s if s.isascii() else unicodedata.normalize("NFKC", s)).split())


def clean_text(value: object) -> str:
    """A cell as display text; integral floats lose their '.0'."""
    if type(value) is str:  # most cells: NFKC, runs of whitespace as one space, trimmed
        return " ".join((value if value.isascii() else unicodedata.normalize("NFKC", value)).split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _WS.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})[-./年](\d{1,2})月?$"),
]
# The first pattern as ASCII text without spaces (1987.3.5, 1987/03/05): no folding needed.
_PLAIN_YMD = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", re.ASCII)
_TIME_TAIL = re.compile(r"^(\d{4}-\d{2}-\d{2})(\d{2}:\d{2}(:\d{2})?)$")


def _serial(n: float) -> dt.date:
    if not 10000 <= n <= 99999:
        raise ValueProblem("date-unreadable")
    return _EXCEL_EPOCH + dt.timedelta(days=int(n))


def _mk(y: int, m: int, d: int) -> dt.date:
    if not 1900 <= y <= 2100:
        raise ValueProblem("date-unreadable")
    try:
        return dt.date(y, m, d)
    except ValueError as e:
        raise ValueProblem("date-unreadable") from e


def parse_date(value: object) -> dt.date | None:
    """A date cell, an Excel serial, or text in the forms villages write; blank is unknown."""
    if type(value) is dt.date:
        return value
    if type(value) is str and len(value) == 10 and value[4] == "-" == value[7] and value.isascii():
        try:  # 2021-03-05, the commonest text form, read in C
            d = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if 1900 <= d.year <= 2100:
                return d
    if type(value) is str and value.isascii():
        m = _PLAIN_YMD.fullmatch(value)
        if m:
            return _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("date-unreadable")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ValueProblem("date-unreadable")
        n = int(value)
        if 190001 <= n <= 210012:
            return _mk(n // 100, n % 100, 1)
        if 19000101 <= n <= 21001231:
            return _mk(n // 10000, n // 100 % 100, n % 100)
        return _serial(n)
    s = fold(str(value))
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    if s.isdigit():
        if len(s) == 5:
            return _serial(int(s))
        if len(s) == 6:
            return _mk(int(s[:4]), int(s[4:]), 1)
        if len(s) == 8:
            return _mk(int(s[:4]), int(s[4:6]), int(s[6:]))
        raise ValueProblem("date-unreadable")
    if len(s) >= 19 and s[10] in "T" and s[4] == "-":
        s = s[:10]
    s = _TIME_TAIL.sub(r"\1", s)
    m = _DATE_PATTERNS[0].match(s)
    if m:
        return _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DATE_PATTERNS[1].match(s)
    if m:
        return _mk(int(m.group(1)), int(m.group(2)), 1)
    raise ValueProblem("date-unreadable")


_INCOME_TAIL = re.compile(r"(元/月|元每月|/月|元|每月)$")


def parse_income(value: object) -> float | None:
    """Yuan per month: 4500, '4500元', '4,500', '0.45万'; negative or text is a problem."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("income-invalid")
    if isinstance(value, int | float):
        if not 0 <= value < math.inf:  # also refuses NaN
            raise ValueProblem("income-invalid")
        return float(value)
    s = fold(str(value)).replace(",", "").replace("，", "")
    s = _INCOME_TAIL.sub("", s)
    factor = 1.0
    if s.endswith("万"):
        s, factor = s[:-1], 10000.0
    try:
        v = float(s) * factor
    except ValueError as e:
        raise ValueProblem("income-invalid") from e
    if not 0 <= v < math.inf:  # negative, NaN, inf, 1e400
        raise ValueProblem("income-invalid")
    return v


def parse_int(value: object) -> int | None:
    """A whole number such as a household size: 4, 4.0, '4', '4人'."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("number-invalid")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ValueProblem("number-invalid")
        return int(value)
    s = fold(str(value)).rstrip("人口个")
    if s.endswith(".0"):
        s = s[:-2]
    if not s.isdigit():
        raise ValueProblem("number-invalid")
    return int(s)


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def parse_phone(value: object) -> tuple[str, bool]:
    """(normalised number, looks valid): an 11-digit mobile or a landline with area code."""
    if type(value) is str and len(value) == 11 and value.isascii() and value.isdigit():
        # a mobile number as typed, or an 11-digit landline (0 + area code + number)
        return value, (value[0] == "1" and value[1] in "3456789") or value[0] == "0"
    if is_blank(value):
        return "", True
    s = str(int(value)) if isinstance(value, float) and value.is_integer() else fold(str(value))
    s = re.sub(r"[-()（）\s]", "", s)
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    return s, bool(_MOBILE.match(s) or _LANDLINE.match(s))
