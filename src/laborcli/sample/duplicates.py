"""Persons listed twice: in the next village of the township, or twice in their own sheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from laborcli.dates import age_in_years
from laborcli.sample.draws import share_of
from laborcli.sample.faults import typo
from laborcli.sample.people import Person
from laborcli.sample.style import FULL_DATE_STYLES, date_text
from laborcli.sample.writers import SheetCell

if TYPE_CHECKING:
    from laborcli.sample.township import Township
    from laborcli.sample.villages import Village

# Duplicates, per person: listed again in the next village of the township (same ID, ID
# missing, a homophone name without ID, one ID digit wrong) or twice in its own sheet.
DUPLICATES: dict[str, float] = {
    "same_id": 0.004,
    "no_id": 0.0015,
    "homophone": 0.001,
    "id_typo": 0.001,
    "in_sheet": 0.0005,
}

# Characters with a same-sounding other character (toneless pinyin), for homophone names.
HOMOPHONES = {
    "丽": "莉",
    "莉": "丽",
    "华": "花",
    "芳": "方",
    "红": "洪",
    "英": "瑛",
    "明": "鸣",
    "平": "萍",
    "萍": "平",
    "兰": "岚",
    "燕": "艳",
    "艳": "燕",
    "军": "君",
    "伟": "维",
    "杰": "洁",
    "洁": "杰",
    "梅": "玫",
    "刚": "钢",
    "勇": "永",
    "永": "勇",
    "林": "琳",
    "琳": "林",
    "静": "婧",
    "婧": "静",
    "涛": "韬",
    "斌": "彬",
    "霞": "侠",
    "娟": "鹃",
    "敏": "闵",
    "云": "芸",
    "玲": "铃",
}


@dataclass(slots=True)
class Copy:
    """A second listing of a person in another village (or twice in the same sheet)."""

    person: Person
    kind: str
    village: int  # index within the township
    group: str
    household: str
    hh_size: int
    relation: str
    name: str
    id_cell: SheetCell
    birth_cell: SheetCell
    id_valid: bool


def add_duplicates(t: Township) -> None:
    """Second listings: in the next village of the township, or twice in the same sheet."""
    rates = DUPLICATES if t.job.messy else {"same_id": DUPLICATES["same_id"]}
    n = len(t.villages)
    for i, v in enumerate(t.villages):
        target_i = (i + 1) % n
        for p in v.people:
            if p.quirk or not p.id_valid or p.birth_cell is None:
                continue
            age = age_in_years(p.birth, t.as_of0)
            if not 18 <= age <= 60:
                continue
            kind = share_of(t.rng.random(), rates)
            if not kind or (kind != "in_sheet" and n < 2):
                continue
            alike = _sound_alike(p.name) if kind == "homophone" else None
            if kind == "homophone" and alike is None:
                continue
            tgt = v if kind == "in_sheet" else t.villages[target_i]
            p.dup = kind
            _add_copy(t, p, kind, tgt, i if kind == "in_sheet" else target_i, alike)


def _add_copy(t: Township, p: Person, kind: str, tgt: Village, tgt_i: int, alike: str | None) -> None:
    """Add to ``tgt`` the second listing of ``p`` of that kind."""
    rng = t.rng
    if kind == "in_sheet":
        group, hid, size, rel = p.group, p.household, p.hh_size, p.relation
    else:
        group, hid, size = rng.pick(tgt.households)
        rel = "女婿" if p.male else "儿媳"
    id_cell: SheetCell = p.id18.lower() if (tgt.style.lower_x and p.id18.endswith("X")) else p.id18
    valid = True
    birth_style = tgt.style.birth_style
    if kind in ("no_id", "homophone"):
        id_cell, valid = None, False
        if birth_style not in FULL_DATE_STYLES:
            birth_style = "dot"
    elif kind == "id_typo":
        id_cell, valid = typo(rng, p.id18), False
    birth_cell = p.birth_cell if kind == "in_sheet" else date_text(p.birth, birth_style)
    tgt.copies.append(
        Copy(
            person=p,
            kind=kind,
            village=tgt_i,
            group=group,
            household=hid,
            hh_size=size,
            relation=rel,
            name=alike or p.name,
            id_cell=id_cell,
            birth_cell=birth_cell,
            id_valid=valid,
        )
    )


def _sound_alike(name: str) -> str | None:
    """The same name with one given-name character replaced by a same-sounding one (张丽 → 张莉).

    The table holds only characters whose toneless pinyin is unambiguous, so the names
    sound the same to ``laborcli.identity.names.name_pinyin`` (checked by the tests).
    """
    for i in range(len(name) - 1, 0, -1):
        alt = HOMOPHONES.get(name[i])
        if alt:
            return name[:i] + alt + name[i + 1 :]
    return None
