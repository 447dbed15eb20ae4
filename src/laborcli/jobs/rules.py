"""The demand sheet's own rules (schemas/demand_sheet.toml names this rule set): 需求人数
as a whole number (5, 5人), the 统一社会信用代码 against GB 32100's check character, the
ranges people type for 月薪 (4000-6000, 4000~6000元) and 年龄要求 (18-45岁, 45周岁以下),
the soft vocabularies (岗位区域, 性别要求, 文化程度要求) and the dates' order.

Each rule runs over the distinct values of its column (a sheet repeats 18-45 on every
row), then maps the results back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from laborcli.sheets.cells import clean_text, fold, is_blank
from laborcli.sheets.problems import ProblemCode
from laborcli.sheets.validating import SheetData

P = ProblemCode

NEEDS = ("company", "job", "openings", "place", "registered")

# GB 32100-2015: 18 characters of this alphabet (no I, O, S, V, Z); the last is the check.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_ok(code: str) -> bool:
    """Whether an 18-character unified social credit code has the right check character."""
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def parse_openings(v: object) -> int | None:
    """需求人数: 5, 5.0, '5', '5人', '5名'; None when not a whole number ≥ 1."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return int(v) if float(v).is_integer() and v >= 1 else None
    s = fold(clean_text(v)).replace(" ", "")
    m = re.fullmatch(r"(\d+)(?:\.0)?(?:人|名|个|位)?", s)
    return int(m.group(1)) if m and int(m.group(1)) >= 1 else None


_NUM = r"(\d+(?:\.\d+)?)"
_SEP = r"\s*(?:-|~|—|–|－|～|至|到)+\s*"


def parse_wage(v: object) -> tuple[float | None, float | None] | None:
    """月薪(元): a number or a range (4000-6000, 4000~6000元, 4000元以上, 6000以下);
    (None, None) for 面议; None when unreadable."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return (float(v), float(v)) if v > 0 else None
    s = fold(clean_text(v)).replace(",", "").replace("，", "")
    s = re.sub(r"(元|/月|每月|元/月|/人/月|左右)", "", s).strip()
    if s in ("面议", "待议", "协商"):
        return (None, None)
    if m := re.fullmatch(_NUM + _SEP + _NUM, s):
        lo, hi = float(m.group(1)), float(m.group(2))
        return (lo, hi) if 0 < lo <= hi else None
    if m := re.fullmatch(_NUM + r"(?:以上|起|及以上)?", s):
        return (float(m.group(1)), None if s.endswith(("以上", "起")) else float(m.group(1)))
    if m := re.fullmatch(_NUM + r"以下", s):
        return (None, float(m.group(1)))
    return None


def parse_age(v: object) -> tuple[int | None, int | None] | None:
    """年龄要求: 18-45, 18~45岁, 18至45周岁, 45周岁以下, 18岁以上, 不限 (no bounds);
    bounds are inclusive (45周岁以下 includes 45). None when unreadable."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return None
    s = fold(clean_text(v)).replace(" ", "")
    if s in ("不限", "无", "无要求"):
        return (None, None)
    s = re.sub(r"(周岁|岁)", "", s)
    if m := re.fullmatch(r"(\d{1,2})" + _SEP + r"(\d{1,2})", s):
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if lo <= hi else None
    if m := re.fullmatch(r"(\d{1,2})(?:以下|以内|及以下)", s):
        return (None, int(m.group(1)))
    if m := re.fullmatch(r"(\d{1,2})(?:以上|及以上)", s):
        return (int(m.group(1)), None)
    return None


def _by_distinct(sd: SheetData, key: str, parse: Callable[[Any], Any], code: ProblemCode | None) -> list[Any]:
    """The parsed values of one column, each distinct cell parsed once; a cell that does
    not parse (None) is a problem of ``code`` and its value None."""
    cells = sd.raw_column(key)
    memo: dict[tuple[type, Any], Any] = {}
    out: list[Any] = []
    for i, c in enumerate(cells):
        if is_blank(c):
            out.append(None)
            continue
        k = (type(c), c)
        if k not in memo:
            memo[k] = parse(c)
        value = memo[k]
        if value is None and code is not None:
            sd.add(i, code, key, c)
        out.append(value)
    return out


def row_rules(sd: SheetData) -> None:
    """The demand rules across a row's cells."""
    v = sd.val
    if "openings" in sd.table.columns:
        v["openings"] = _by_distinct(sd, "openings", parse_openings, P.DEMAND_OPENINGS_INVALID)
    codes = v.get("credit_code", [None] * sd.n)
    for i in [i for i, c in enumerate(codes) if c]:
        code = fold(str(codes[i])).upper()
        codes[i] = code
        if not credit_code_ok(code):
            sd.add(i, P.DEMAND_CREDIT_CODE, "credit_code", code)
    wages = _by_distinct(sd, "wage", parse_wage, P.DEMAND_WAGE_INVALID)
    v["wage_min"] = [w[0] if w else None for w in wages]
    v["wage_max"] = [w[1] if w else None for w in wages]
    ages = _by_distinct(sd, "age", parse_age, P.DEMAND_AGE_INVALID)
    v["age_min"] = [a[0] if a else None for a in ages]
    v["age_max"] = [a[1] if a else None for a in ages]
    for key in ("region", "gender", "education"):
        terms = set(sd.schema.terms(key))
        col = v.get(key, [None] * sd.n)
        for i in [i for i, x in enumerate(col) if x is not None and x not in terms]:
            sd.add(i, P.DEMAND_VALUE_UNKNOWN, key, col[i])
            col[i] = None
        v[key] = col
    v["gender"] = [None if g == "不限" else g for g in v["gender"]]
    v["education"] = [None if e == "不限" else e for e in v["education"]]
    reg, until = v["registered"], v["until"]
    for i in [i for i, (a, b) in enumerate(zip(reg, until, strict=True)) if a and b and b < a]:
        sd.add(i, P.DEMAND_DATES_REVERSED, "until", until[i].isoformat())


def derive(sd: SheetData) -> dict[str, list[Any]]:
    """The stored columns: the parsed values (``row_rules`` made the derived ones)."""
    return dict(sd.val)
