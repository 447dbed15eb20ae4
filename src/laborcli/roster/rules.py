"""The village sheet's own rules, beyond its columns' types: the township and village of a
sheet without those columns (from its file name or title), the ID against the birth date
and gender typed beside it, an ID listed twice in one sheet, and the stored form of a row
(the flags the figures count by, the person key). The sheet kind ``village``
(schemas/village_sheet.toml) names this rule set; docs/rules.md gives the rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from laborcli.dates import as_of_from_name
from laborcli.identity.keys import unverified_key, verified_key
from laborcli.roster.rowform import STORED, Batch, batches
from laborcli.sheets.cells import fold
from laborcli.sheets.problems import ProblemCode
from laborcli.sheets.reading import Cell
from laborcli.sheets.validating import SheetData, SheetResult

P = ProblemCode

# The columns a village sheet kind must have; every other stored column may be left out
# of a county's schema and is then stored empty.
NEEDS = ("township", "village", "name", "id_number", "employment_status")
# Stored columns that these rules compute, not read from the sheet.
_DERIVED = frozenset(
    {
        "sheet",
        "row_number",
        "id_raw",
        "id_valid",
        "person_key",
        "birth_eff",
        "gender_eff",
        "transferred",
        "outside",
        "status_in_lf",
        "capacity_excluded",
        "poor",
        "warnings",
    }
)
# The stored columns read from the sheet, by column key (the rows table's grp is "group").
_READ = tuple("group" if k == "grp" else k for k in STORED if k not in _DERIVED)
YESNO_KEYS = ("poor_household", "relocated", "monitored", "organised")


def file_defaults(name: str, titles: Sequence[str]) -> dict[str, str]:
    """The township and village a file says it is from, for a sheet without those columns:
    its name ``<乡镇>_<村>_<YYYY-MM>`` (or ``<乡镇>_<村>``), else its title rows
    (花山镇石门村2026年11月劳动力台账, 村(社区)：石门村)."""
    stem = PurePath(name).stem
    parts = [t.strip() for t in re.split(r"[_＿]", stem)]
    dated = [i for i, t in enumerate(parts) if as_of_from_name(t)]
    pair = parts[max(0, dated[0] - 2) : dated[0]] if dated else (parts if len(parts) == 2 else [])
    if len(pair) == 2 and all(pair) and not any(as_of_from_name(t) for t in pair):
        return {"township": pair[0], "village": pair[1]}
    text = "\n".join(titles)
    found: dict[str, str] = {}
    for key, label in (("township", _TOWNSHIP_LABEL), ("village", _VILLAGE_LABEL)):
        m = label.search(text)
        if m:
            found[key] = m.group(1)
    if "village" not in found:
        m = _PLACE_IN_TITLE.search(text)
        if m and m.group(2) not in _NOT_A_VILLAGE:
            found.setdefault("township", m.group(1))
            found["village"] = m.group(2)
    return found


# 乡镇：花山镇, 村(社区)：石门村 in a title row.
_TOWNSHIP_LABEL = re.compile(r"乡镇(?:\(街道\)|（街道）|街道)?\s*[:：]\s*([^\s:：,，;；]+)")
_VILLAGE_LABEL = re.compile(
    r"(?<![乡镇])(?:村|行政村|社区)(?:\(社区\)|（社区）|\(居\)|（居）)?\s*[:：]\s*([^\s:：,，;；]+)"
)
# 花山镇石门村… in a title: a township (…镇, …乡, …街道) and right after it a village
# (…村, …社区), a county's name before them left out.
_PLACE_IN_TITLE = re.compile(r"([^\W\d_县市区省州旗]{1,8}?(?:镇|乡|街道))([^\W\d_]{1,10}?(?:村|社区))")
_NOT_A_VILLAGE = frozenset({"农村", "乡村"})


def row_rules(sd: SheetData) -> None:
    """Rules across a row: agreement with the ID, repeats in the sheet.

    Each rule first finds its rows with one comprehension over whole columns; only those
    rows are looked at one by one.
    """
    v = sd.val
    for key in _READ:
        if key not in v:
            v[key] = [None] * sd.n
    v["township"] = [t or "" for t in v["township"]]
    _cross_checks(sd)
    ids = sd.ids["id_number"]
    valid_ids = [idn for idn, ok in zip(v["id_number"], ids.valid, strict=True) if ok]
    repeated = {idn for idn, count in Counter(valid_ids).items() if count > 1}
    if repeated:
        seen: dict[str, int] = {}
        for i, (idn, ok) in enumerate(zip(v["id_number"], ids.valid, strict=True)):
            if ok and idn in repeated:
                first = seen.get(idn)
                if first is not None:
                    sd.add(i, P.ID_DUPLICATE_IN_SHEET, "id_number", idn, f"同第{first}行")
                else:
                    seen[idn] = sd.row_nos[i]


def _cross_checks(sd: SheetData) -> None:
    """Gender and birth date against a valid ID."""
    v = sd.val
    ids = sd.ids["id_number"]
    valid, gender, id_gender = ids.valid, v["gender"], ids.gender
    for i in [
        i
        for i, (ok, g, id_g) in enumerate(zip(valid, gender, id_gender, strict=True))
        if ok and g != id_g and id_g and g in ("男", "女")
    ]:
        sd.add(i, P.GENDER_MISMATCH, "gender", gender[i], f"身份证显示为{id_gender[i]}")
    birth, id_birth = v["birth_date"], ids.birth
    raw_birth = sd.raw.get("birth_date", [None] * sd.n)
    for i in [
        i
        for i, (ok, b, id_b) in enumerate(zip(valid, birth, id_birth, strict=True))
        if ok and b != id_b and b is not None and id_b
    ]:
        b, id_b = birth[i], id_birth[i]
        if not isinstance(b, dt.date) or id_b is None:
            continue
        # A sheet with only 出生年月 (YYYYMM read as the 1st) agrees when year and month do.
        month_only = b.day == 1 and _month_only(raw_birth[i])
        if not (month_only and (b.year, b.month) == (id_b.year, id_b.month)):
            sd.add(i, P.BIRTH_MISMATCH, "birth_date", b.isoformat(), f"身份证显示为{id_b.isoformat()}")


def derive(sd: SheetData) -> dict[str, list[Any]]:
    """The stored columns: parsed fields plus what the figures need, computed once.

    Per-status and per-capacity flags are looked up by term, a dictionary lookup in C
    per row.
    """
    v = sd.val
    ids = sd.ids["id_number"]
    v["id_raw"], v["id_valid"] = ids.raw, ids.valid
    v["birth_eff"] = [ib if ib is not None else b for ib, b in zip(ids.birth, v["birth_date"], strict=True)]
    for i in [i for i, b in enumerate(v["birth_eff"]) if b is None]:
        sd.add(i, P.AGE_UNKNOWN, None, None)
    v["gender_eff"] = [
        ig or (g if g in ("男", "女") else None) for ig, g in zip(ids.gender, v["gender"], strict=True)
    ]
    statuses = v["employment_status"]
    terms = sd.schema.vocabularies["employment_status"].terms
    # A status that is no term (empty, or text that is no status) counts as in the labour
    # force, neither transferred nor outside (docs/rules.md, "The labour force").
    for key, flag, other in (
        ("transferred", "transferred", False),
        ("outside", "outside", False),
        ("status_in_lf", "labour_force", True),
    ):
        by_term = {t.term: bool(getattr(t, flag)) for t in terms}
        v[key] = list(map(by_term.get, statuses, itertools.repeat(other)))
    excluded = {t.term: bool(t.excluded) for t in sd.schema.vocabularies["labour_capacity"].terms}
    v["capacity_excluded"] = list(map(excluded.get, v["labour_capacity"], itertools.repeat(False)))
    v["poor"] = [p == "是" or r == "是" for p, r in zip(v["poor_household"], v["relocated"], strict=True)]
    yes_no: dict[Any, bool | None] = {None: None, "是": True}
    for k in YESNO_KEYS:
        v[k] = list(map(yes_no.get, v[k], itertools.repeat(False)))
    v["person_key"] = [
        verified_key(idn) if ok else _unverified(v, i)
        for i, (idn, ok) in enumerate(zip(v["id_number"], ids.valid, strict=True))
    ]
    return v


def store(into: dict[tuple[str, str], Batch], res: SheetResult) -> None:
    """A sheet's accepted rows as stored rows by village, with the count of warnings each
    row carries (done where the file is read: in a worker process for a large import)."""
    cols = res.columns
    assert cols is not None
    warned: dict[int, int] = defaultdict(int)
    for p in res.problems:
        if p.severity == "warning":
            warned[p.row] += 1
    cols["warnings"] = [warned.get(n, 0) for n in cols["row_number"]]
    for place, batch in batches(cols).items():
        have = into.get(place)
        if have is None:
            into[place] = batch
        else:  # the same village on two sheets of one file: one snapshot
            have.extend(batch)


def _unverified(v: dict[str, list[Any]], i: int) -> str:
    return unverified_key(
        township=v["township"][i],
        village=v["village"][i],
        household_id=v["household_id"][i],
        name=v["name"][i],
        id_text=v["id_number"][i],
        birth=v["birth_eff"][i],
    )


def _month_only(raw: Cell) -> bool:
    if not isinstance(raw, str):
        return False
    f = fold(raw)
    digits = "".join(ch for ch in f if ch.isdigit())
    return (
        (len(digits) == 6 and f.isdigit())
        or (f.endswith("月") and "日" not in f)
        or (f.count(".") == 1 or f.count("-") == 1 or f.count("/") == 1)
    )
