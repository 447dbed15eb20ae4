"""A village's households and persons as first listed, and the village's style of sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from laborcli.dates import age_in_years
from laborcli.sample.faults import person_fault
from laborcli.sample.jobs import initial_start, initial_status, intention, new_job_status, start_job
from laborcli.sample.people import (
    ETHNIC_PICK,
    HOUSEHOLD_SIZE,
    SKILLS,
    SURNAME_PICK,
    Person,
    birth_for_age,
    capacity,
    education,
    household_members,
    new_id,
    new_phone,
    person_name,
)
from laborcli.sample.places import VillagePlan
from laborcli.sample.style import BIRTH_STYLE_PICK, Style, date_text, group_label, make_style

if TYPE_CHECKING:
    from laborcli.sample.duplicates import Copy
    from laborcli.sample.township import Township


@dataclass(slots=True)
class Village:
    """One village: its plan, style, listed persons, second listings and households."""

    plan: VillagePlan
    style: Style
    people: list[Person] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    households: list[tuple[str, str, int]] = field(default_factory=list)  # (group, id, size)
    whole_households: bool = False
    ethnic_main: str = "汉族"
    poor_rate: float = 0.2


def build_village(t: Township, vp: VillagePlan) -> Village:
    """The village's style, households and listed persons (adults, and children where whole households are listed)."""
    rng = t.rng
    job = t.job
    whole = rng.random() < 0.15
    v = Village(
        plan=vp,
        style=make_style(rng, job.messy, job.fmt),
        whole_households=whole,
        ethnic_main=ETHNIC_PICK(rng),
        poor_rate=0.06 + 0.29 * rng.random(),
    )
    per_group = rng.between(25, 45)
    hh_no = 0
    while len(v.people) < vp.persons:
        hh_no += 1
        group_no = (hh_no - 1) // per_group + 1
        group = group_label(v.style, group_no)
        size = HOUSEHOLD_SIZE(rng)
        members = household_members(t, size)
        hid = f"{vp.code}{hh_no:04d}"
        poor = rng.random() < v.poor_rate
        relocated = rng.random() < (0.25 if poor else 0.01)
        monitored = rng.random() < (0.08 if poor else 0.02)
        surname = SURNAME_PICK(rng)
        listed = []
        for rel, age, male in members:
            adult = age >= 16 and (age <= 64 or rng.random() < 0.5)
            if adult or (whole and 6 <= age < 16):
                listed.append((rel, age, male))
        if not listed:
            continue
        listed = listed[: vp.persons - len(v.people)]
        v.households.append((group, hid, size))
        head_phone = new_phone(t) if rng.random() < 0.9 else None
        hh_people: list[Person] = []
        for rel, age, male in listed:
            p = _new_person(t, v, rel, age, male, surname, poor, relocated, monitored, head_phone)
            p.group, p.household, p.hh_size = group, hid, size
            hh_people.append(p)
        _ensure_employment(t, v, hh_people)
        v.people.extend(hh_people)
    return v


def _new_person(
    t: Township,
    v: Village,
    rel: str,
    age: int,
    male: bool,
    surname: str,
    poor: bool,
    relocated: bool,
    monitored: bool,
    head_phone: str | None,
) -> Person:
    """One listed person of a household, with the cells that stay the same from month to month."""
    rng = t.rng
    style = v.style
    p = Person()
    own_surname = rel in ("子", "女", "孙子", "孙女", "父亲", "兄弟姐妹") or (
        rel in ("户主", "配偶") and male
    )
    p.name = person_name(t, male, surname if own_surname else None)
    p.male = male
    p.relation = rel
    p.birth = birth_for_age(rng, t.as_of0, age)
    p.id18 = new_id(t, p.birth, male)
    p.id_valid = True
    p.poor, p.relocated, p.monitored = poor, relocated, monitored
    p.ethnicity = v.ethnic_main if rng.random() < 0.85 else ETHNIC_PICK(rng)
    p.education = education(t, p.birth.year, age)
    p.capacity = capacity(t, age)
    p.skills = rng.pick(SKILLS) if (16 <= age <= 60 and rng.random() < 0.4) else ""
    if p.skills and p.capacity == "普通劳动力" and rng.random() < 0.6:
        p.capacity = "技能劳动力"
    r = rng.random()
    p.training = "是" if r < 0.25 else "否" if r < 0.65 else "" if r < 0.85 else rng.pick(SKILLS) + "培训"
    p.status = initial_status(t, age, male, p.capacity, poor)
    if p.status in t.std.transferred:
        start_job(t, v, p, p.status, initial_start(t, age))
    p.intention = intention(t, p.status)
    phone: str | None = None
    if rel == "户主":
        phone = head_phone
    elif age >= 16:
        shares = head_phone is not None and rng.random() < (0.6 if age > 60 else 0.2)
        phone = head_phone if shares else (new_phone(t) if rng.random() < 0.85 else None)
    p.phone_cell = int(phone) if (phone and style.phone_numbers) else phone
    p.gender_cell = "男" if male else "女"
    # A tenth of the rows are typed differently from the rest of the sheet (messy only).
    bstyle = style.birth_style if (rng.random() < 0.9 or not t.job.messy) else BIRTH_STYLE_PICK(rng)
    p.birth_cell = None if (t.job.messy and rng.random() < 0.02) else date_text(p.birth, bstyle)
    if t.job.messy:
        person_fault(t.rng, v.style, p, bstyle)
    else:
        p.id_cell = p.id18
    return p


def _ensure_employment(t: Township, v: Village, members: list[Person]) -> None:
    """户有一人就业: most households with labour already have somebody at work."""
    rng = t.rng
    idle = [
        p
        for p in members
        if p.status in t.std.idle
        and p.capacity not in t.std.excluded_capacity
        and 16 <= age_in_years(p.birth, t.as_of0) <= 60
    ]
    if not idle or any(p.status in t.std.transferred for p in members) or rng.random() > 0.55:
        return
    p = rng.pick(idle)
    status = "公益性岗位" if p.poor and rng.random() < 0.6 else new_job_status(t, p, 40)
    start_job(t, v, p, status, initial_start(t, age_in_years(p.birth, t.as_of0)))
    p.intention = intention(t, status)
