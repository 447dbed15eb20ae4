"""Persons: names, ID numbers, phones, ages and the make-up of households.

ID sequence codes are township-specific (as the police-station digits of real IDs are),
so townships never collide and can be generated in parallel.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import TYPE_CHECKING

from laborcli.dates import years_before
from laborcli.sample.draws import Pick
from laborcli.sample.writers import SheetCell

if TYPE_CHECKING:
    from laborcli.sample.township import Township

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "陇蒙安禄"
)
_SURNAME_WEIGHTS = tuple(1.0 / (i + 6) for i in range(len(SURNAMES)))
MALE_CHARS = (
    "国建明华文军平志伟勇强刚林海斌涛杰波辉鹏超磊浩宇俊峰鑫龙成德富贵忠荣福祥云飞洪兵江松立昌学光永发才金兴"
)
_FEMALE_CHARS = "秀英芳丽莉兰梅红华玲燕霞琴敏静娟艳萍凤琳婷雪慧玉珍桂芬云丹倩欣怡颖洁婧美春月琼菊"

_ETHNIC_MAIN = (("汉族", 70), ("彝族", 14), ("苗族", 10), ("回族", 3), ("布依族", 3))
SKILLS = (
    "电焊",
    "砌筑",
    "钢筋工",
    "木工",
    "驾驶",
    "厨师",
    "缝纫",
    "电工",
    "家政",
    "养殖",
    "种植",
    "挖掘机",
    "美容美发",
    "育婴员",
    "汽修",
    "水电安装",
)

_OTHER_AREAS = ("532998", "532997", "530199", "522799", "510899", "450999")


class Person:
    """One listed person, with the cells that stay the same from month to month."""

    __slots__ = (
        "birth",
        "birth_cell",
        "capacity",
        "dup",
        "education",
        "employer",
        "ethnicity",
        "gender_cell",
        "group",
        "hh_size",
        "household",
        "id18",
        "id_cell",
        "id_valid",
        "income",
        "income_cell",
        "intention",
        "male",
        "monitored",
        "name",
        "organised",
        "organiser",
        "phone_cell",
        "place",
        "poor",
        "quirk",
        "relation",
        "relocated",
        "remarks",
        "skills",
        "start",
        "start_cell",
        "status",
        "training",
    )
    birth: dt.date
    birth_cell: SheetCell
    capacity: str
    education: str
    ethnicity: str
    gender_cell: str
    group: str
    hh_size: int
    household: str
    id18: str
    id_cell: SheetCell
    id_valid: bool
    intention: str
    male: bool
    monitored: bool
    name: str
    phone_cell: SheetCell
    poor: bool
    relation: str
    relocated: bool
    skills: str
    status: str
    training: str

    def __init__(self) -> None:
        self.dup = ""  # kind of second listing made of this person, if any
        self.quirk = ""  # persistent fault of the person's row, if any
        self.employer = ""
        self.place = ""
        self.organiser = ""
        self.remarks = ""
        self.start: dt.date | None = None
        self.start_cell: SheetCell = None
        self.income: int | None = None
        self.income_cell: SheetCell = None
        self.organised: bool | None = None


ETHNIC_PICK = Pick(_ETHNIC_MAIN)
_EDUCATION_PICKS = (
    (1965, Pick((("文盲或半文盲", 30), ("小学", 50), ("初中", 17), ("高中", 3)))),
    (1980, Pick((("文盲或半文盲", 8), ("小学", 40), ("初中", 42), ("高中", 7), ("中专", 3)))),
    (1995, Pick((("小学", 15), ("初中", 55), ("高中", 13), ("中专", 10), ("大专", 5), ("本科及以上", 2)))),
    (9999, Pick((("小学", 3), ("初中", 40), ("高中", 20), ("中专", 17), ("大专", 13), ("本科及以上", 7)))),
)
_CAPACITY_PICKS = (
    (
        45,
        Pick(
            (
                ("普通劳动力", 83),
                ("技能劳动力", 13),
                ("弱劳动力", 1.5),
                ("半劳动力", 1.5),
                ("丧失劳动力", 0.7),
                ("无劳动能力", 0.3),
            )
        ),
    ),
    (
        60,
        Pick(
            (
                ("普通劳动力", 75),
                ("技能劳动力", 10),
                ("弱劳动力", 7),
                ("半劳动力", 5),
                ("丧失劳动力", 2),
                ("无劳动能力", 1),
            )
        ),
    ),
    (
        999,
        Pick((("普通劳动力", 35), ("弱劳动力", 25), ("半劳动力", 22), ("丧失劳动力", 12), ("无劳动能力", 6))),
    ),
)

HOUSEHOLD_SIZE = Pick(((1, 7), (2, 15), (3, 20), (4, 24), (5, 18), (6, 10), (7, 6)))

SURNAME_PICK = Pick(zip(SURNAMES, _SURNAME_WEIGHTS, strict=True))


_CHECK = "10X98765432"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@functools.lru_cache(maxsize=65536)
def _weighted_sum(digits: str, offset: int = 0) -> int:
    """The GB 11643 weighted sum of some digits at a position (cached: areas and birthdays repeat)."""
    return sum(int(c) * _WEIGHTS[offset + i] for i, c in enumerate(digits))


@functools.lru_cache(maxsize=4096)
def _birth_range(d: dt.date, age: int) -> tuple[dt.date, int]:
    """The earliest birth date of someone ``age`` on ``d``, and how many days such births span."""
    earliest = years_before(d, age + 1) + dt.timedelta(days=1)
    return earliest, (years_before(d, age) - earliest).days + 1


def birth_for_age(rng: random.Random, d: dt.date, age: int) -> dt.date:
    """A birth date of someone exactly ``age`` full years old on ``d``."""
    earliest, span = _birth_range(d, age)
    return earliest + dt.timedelta(days=int(rng.random() * span))


def person_name(t: Township, male: bool, surname: str | None = None) -> str:
    """A name of one or two given characters, with the household's surname or a drawn one."""
    rng = t.rng
    s = surname or SURNAME_PICK(rng)
    chars = MALE_CHARS if male else _FEMALE_CHARS
    if rng.random() < 0.3:
        return s + rng.pick(chars)
    return s + rng.pick(chars) + rng.pick(chars)


def new_id(t: Township, birth: dt.date, male: bool) -> str:
    """A valid ID, unique in the township: area, birth date, station, gender digit, check digit."""
    rng = t.rng
    area = t.plan.area if rng.random() < 0.9 else rng.pick(_OTHER_AREAS)
    got = t.ymd.get(birth)
    if got is None:
        y, m, d = birth.year, birth.month, birth.day
        # GB 11643 weights of digits 7-14 (the birth date) are 2 1 6 3, 7 9, 10 5.
        total = (y // 1000) * 2 + (y // 100 % 10) + (y // 10 % 10) * 6 + (y % 10) * 3
        total += (m // 10) * 7 + (m % 10) * 9 + (d // 10) * 10 + (d % 10) * 5
        got = t.ymd[birth] = (f"{y}{m:02d}{d:02d}", total)
    head = area + got[0]
    gender = 1 if male else 0
    stations = t.stations
    for _ in range(60):
        station, g = stations[int(rng.random() * 3)], int(rng.random() * 5) * 2 + gender
        body = f"{head}{station:02d}{g}"
        if body not in t.used:
            break
    else:  # a crowded birthday: leave the township's stations
        station, g = rng.below(100), rng.below(5) * 2 + gender
        body = f"{head}{station:02d}{g}"
    t.used.add(body)
    # Weights of the station digits and the gender digit (digits 15-17) are 8 4 2.
    total = _weighted_sum(area) + got[1] + (station // 10) * 8 + (station % 10) * 4 + g * 2
    return body + _CHECK[total % 11]


def new_phone(t: Township) -> str:
    """An 11-digit mobile number."""
    rng = t.rng
    prefix = rng.pick(("13", "15", "18", "17", "19", "14", "16"))
    return f"{prefix}{rng.below(10**9):09d}"


def household_members(t: Township, size: int) -> list[tuple[str, int, bool]]:
    """(relation, age, male) for one household of ``size`` persons, head first."""
    rng = t.rng
    head_age = max(20, min(88, round(rng.triangular(22, 82, 48))))
    head_male = rng.random() < 0.85
    out = [("户主", head_age, head_male)]
    if size >= 2 and rng.random() < 0.9:
        age = head_age + (rng.between(-5, 2) if head_male else rng.between(-2, 5))
        out.append(("配偶", max(18, age), not head_male))
    if head_age <= 46 and size - len(out) >= 3 and rng.random() < 0.55:
        for rel, male in (("父亲", True), ("母亲", False))[: rng.between(1, 2)]:
            out.append((rel, min(92, head_age + rng.between(22, 32)), male))
    child_age = head_age - rng.between(21, 31)
    eldest_son: int | None = None
    while len(out) < size and child_age >= 0 and sum(1 for r, _, _ in out if r in ("子", "女")) < 4:
        male = rng.random() < 0.52
        out.append(("子" if male else "女", child_age, male))
        if male and eldest_son is None:
            eldest_son = child_age
        child_age -= rng.between(1, 5)
    if eldest_son is not None and eldest_son >= 22 and len(out) < size:
        out.append(("儿媳", max(18, eldest_son + rng.between(-4, 2)), False))
        g_age = eldest_son - rng.between(20, 28)
        while len(out) < size and g_age >= 0:
            male = rng.random() < 0.52
            out.append(("孙子" if male else "孙女", g_age, male))
            g_age -= rng.between(1, 4)
    while len(out) < size:
        out.append(("兄弟姐妹", max(16, head_age + rng.between(-8, 8)), rng.random() < 0.5))
    return out


def education(t: Township, year: int, age: int) -> str:
    """文化程度 by birth year: the older, the less schooling; children by their age."""
    if age < 16:
        return "小学" if age < 12 else "初中"
    for before, table in _EDUCATION_PICKS:
        if year < before:
            return table(t.rng)
    raise AssertionError(year)


def capacity(t: Township, age: int) -> str:
    """劳动能力 by age: weak, half or no capacity grows with age."""
    for upto, table in _CAPACITY_PICKS:
        if age <= upto:
            return table(t.rng)
    raise AssertionError(age)
