"""Finding probable duplicates among current rows: blocking keys, then scored evidence.

Only pairs where at least one side lacks a valid ID are scored: two different valid IDs
are two people (twins, namesakes in a large village), and one valid ID is one person.
Candidate pairs come from keys whose groups stay small (birth date + surname reading,
phone, household + name pinyin, check-digit repairs of a mistyped ID), so the work grows
with the number of unverified rows, not with the square of all rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from laborcli.identity.names import name_pinyin, surname_keys
from laborcli.policy import DedupPolicy
from laborcli.sheets.idcard import check_digit


@dataclass(slots=True)
class Rec:
    """The fields of a current row that identity needs."""

    idx: int
    row_id: int
    pkey: str
    source: str
    sheet: str
    row: int
    township: str
    village: str
    name: str
    id_number: str | None
    id_valid: bool
    birth: dt.date | None
    gender: str | None
    phone: str | None
    household_id: str | None
    own_key: str = ""
    # What a reviewer decides on, filled in for the rows of clusters only (clusters.describe).
    group: str | None = None
    relation: str | None = None
    status: str | None = None
    head: str | None = None


@dataclass(slots=True)
class Match:
    """A scored candidate pair."""

    a: int
    b: int
    score: float
    reasons: list[str] = field(default_factory=list)


def repair_candidates(id_text: str) -> list[str]:
    """Valid IDs one typed digit or one adjacent swap away from an invalid 18-character ID."""
    s = id_text.upper()
    if len(s) != 18 or not s[:17].isdigit():
        return []
    out = []
    for i in range(18):
        for ch in "0123456789X" if i == 17 else "0123456789":
            if ch != s[i]:
                t = s[:i] + ch + s[i + 1 :]
                if check_digit(t[:17]) == t[17]:
                    out.append(t)
    for i in range(17):
        if s[i] != s[i + 1]:
            t = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
            if t[:17].isdigit() and check_digit(t[:17]) == t[17]:
                out.append(t)
    return out


def _keys(r: Rec) -> Iterable[tuple[str, ...]]:
    if r.birth is not None:
        for s in surname_keys(r.name):
            yield ("bs", r.birth.isoformat(), s)
    if r.phone and len(r.phone) >= 7:
        yield ("ph", r.phone)
    if r.household_id:
        yield ("hn", r.household_id, name_pinyin(r.name))
    yield ("nv", r.township, r.village, name_pinyin(r.name))
    if r.id_number and len(r.id_number) == 18:
        # A typo in the birth digits moves the birth date (and so the first key); the
        # rest of the ID still meets its twin here.
        yield ("ix", r.id_number[:6] + r.id_number[14:])


def candidate_pairs(recs: list[Rec]) -> set[tuple[int, int]]:
    """Pairs (i < j) sharing a blocking key, with at least one side unverified."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    unverified = [r for r in recs if not r.id_valid]
    wanted: set[tuple[str, ...]] = set()
    for r in unverified:
        wanted.update(_keys(r))
    for r in recs:
        for k in _keys(r):
            if k in wanted:
                index[k].append(r.idx)
    by_id: dict[str, list[int]] = defaultdict(list)
    for r in recs:
        if r.id_valid and r.id_number:
            by_id[r.id_number].append(r.idx)
    pairs: set[tuple[int, int]] = set()
    for r in unverified:
        for k in _keys(r):
            for j in index.get(k, ()):
                if j != r.idx:
                    pairs.add((min(r.idx, j), max(r.idx, j)))
        if r.id_number:
            for cand in repair_candidates(r.id_number):
                for j in by_id.get(cand, ()):
                    pairs.add((min(r.idx, j), max(r.idx, j)))
    return pairs


def _id_near(a: str | None, b: str | None) -> bool:
    if not a or not b or len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 or (
        len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    )


def score(a: Rec, b: Rec, w: DedupPolicy) -> Match:
    """Evidence for a and b being one person, with reasons a reviewer can check."""
    m = Match(a.idx, b.idx, 0.0)
    if a.name == b.name:
        m.score += w.name_same
        m.reasons.append(f"姓名相同 {a.name}")
    elif name_pinyin(a.name) == name_pinyin(b.name):
        m.score += w.name_homophone
        m.reasons.append(f"同音姓名 {a.name}/{b.name}")
    elif a.name[:1] == b.name[:1] and ratio(a.name, b.name) >= 50:
        m.score += w.name_similar
        m.reasons.append(f"姓名相近 {a.name}/{b.name}")
    else:
        return m
    # A near-identical ID is evidence in itself, and it explains a birth date or gender
    # that differ only because they were read from the mistyped digits.
    near = False
    if _id_near(a.id_number, b.id_number):
        near = True
        m.score += w.id_one_edit
        m.reasons.append("身份证号码仅一位之差 (疑似录入错误)")
    elif a.id_number and b.id_number and Levenshtein.distance(a.id_number, b.id_number) <= 1:
        near = True
        m.score += w.id_one_edit
        m.reasons.append("身份证号码相差一位")
    if a.birth and b.birth:
        if a.birth == b.birth:
            m.score += w.birth_same
            m.reasons.append("出生日期相同")
        elif near:
            m.reasons.append("出生日期不同 (可由身份证号码之差解释)")
        else:
            m.score += w.birth_differs
            m.reasons.append("出生日期不同")
    if a.gender and b.gender:
        if a.gender == b.gender:
            m.score += w.gender_same
        elif not near:
            m.score += w.gender_differs
            m.reasons.append("性别不同")
    if a.phone and a.phone == b.phone:
        m.score += w.phone_same
        m.reasons.append("手机号相同")
    if a.household_id and a.household_id == b.household_id:
        m.score += w.household_same
        m.reasons.append("同一户")
    if a.township == b.township and a.village == b.village:
        m.score += w.same_village
    return m
