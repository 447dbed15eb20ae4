"""The training roster's own rules, beyond its columns' types: 结束日期 not before
开始日期, one record listed twice in a sheet, and the stored form of a row (who the record
is about as typed, and the record's identity). The sheet kind ``training``
(schemas/training_sheet.toml) names this rule set.

A record is the same record as another when its person, 培训类别, 培训机构 and both dates
are equal (docs/programmes.md "Training"): ``record_key`` hashes exactly those, so that a
cumulative roster imported again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from laborcli.identity.keys import unverified_key, verified_key
from laborcli.sheets.cells import fold
from laborcli.sheets.problems import ProblemCode
from laborcli.sheets.validating import SheetData

P = ProblemCode

NEEDS = ("name", "id_number", "township", "village", "course_type", "end_date")
# Stored columns read from the sheet (a county's schema may leave the optional ones out).
READ = (
    "name",
    "id_number",
    "township",
    "village",
    "course_type",
    "trade",
    "institution",
    "start_date",
    "end_date",
    "certificate",
    "order_employer",
    "birth_date",
    "phone",
)


def own_key(
    *,
    id_number: str | None,
    id_valid: bool,
    township: str | None,
    village: str | None,
    name: str | None,
    birth: dt.date | None,
) -> str:
    """Who a record says it is about: the valid ID's person key, else a key of where and
    who it says (the village sheet's form of an unverified key, without a household)."""
    if id_valid and id_number:
        return verified_key(id_number)
    return unverified_key(
        township=township, village=village, household_id=None, name=name, id_text=id_number, birth=birth
    )


def record_key(
    own: str, course_type: str, institution: str | None, start: dt.date | None, end: dt.date
) -> str:
    """The record's identity: person, 培训类别, 培训机构 and both dates."""
    parts = [own, course_type, fold(institution or ""), start.isoformat() if start else "", end.isoformat()]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:32]


def row_rules(sd: SheetData) -> None:
    """结束日期 before 开始日期 is an error of the row."""
    v = sd.val
    for key in READ:
        if key not in v:
            v[key] = [None] * sd.n
    for i, (s, e) in enumerate(zip(v["start_date"], v["end_date"], strict=True)):
        if isinstance(s, dt.date) and isinstance(e, dt.date) and e < s:
            sd.add(i, P.TRAINING_DATES_REVERSED, "end_date", e.isoformat(), f"开始日期 {s.isoformat()}")


def derive(sd: SheetData) -> dict[str, list[Any]]:
    """The stored columns, with each record's own and record keys; a record listed twice
    in the sheet is a warning on its later rows (it is stored once)."""
    v = sd.val
    ids = sd.ids["id_number"]
    v["township"] = [t or "" for t in v["township"]]
    v["village"] = [t or "" for t in v["village"]]
    v["id_raw"], v["id_valid"] = ids.raw, ids.valid
    v["birth_eff"] = [ib if ib is not None else b for ib, b in zip(ids.birth, v["birth_date"], strict=True)]
    yes_no: dict[Any, bool | None] = {None: None, "是": True, "否": False}
    v["certificate"] = [yes_no.get(c) for c in v["certificate"]]
    v["own_key"] = [
        own_key(
            id_number=v["id_number"][i],
            id_valid=ids.valid[i],
            township=v["township"][i],
            village=v["village"][i],
            name=v["name"][i],
            birth=v["birth_eff"][i],
        )
        for i in range(sd.n)
    ]
    keys: list[str | None] = []
    seen: dict[str, int] = {}
    for i in range(sd.n):
        t, e = v["course_type"][i], v["end_date"][i]
        if not t or not isinstance(e, dt.date):
            keys.append(None)  # a row in error: never stored
            continue
        k = record_key(v["own_key"][i], t, v["institution"][i], v["start_date"][i], e)
        keys.append(k)
        first = seen.get(k)
        if first is not None:
            sd.add(i, P.TRAINING_REPEATED, None, None, f"同第{first}行")
        else:
            seen[k] = sd.row_nos[i]
    v["record_key"] = keys
    return v
