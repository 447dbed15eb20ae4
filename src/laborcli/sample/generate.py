"""A realistic county of monthly village sheets, deterministic by seed (``laborcli sample``).

Why it exists: the tool has to be tried, demonstrated and benchmarked on data that looks
like what village officers really send, without anybody's personal data. The county made
here has townships, villages and villager groups; households with a head and relations,
every age from school children to the elderly; poverty, relocation and monitoring flags;
statuses that change from month to month (people leave for work after the Spring
Festival, some come home in winter); and, when ``messy``, the faults of hand-typed
sheets at small rates, each of which the import must report as the problem code the
summary predicts. The summary therefore doubles as the answer key of an end-to-end test.

Determinism: every township draws from its own random generator seeded by
(seed, township), and ID sequence codes are township-specific (as the police-station
digits of real IDs are), so a township's files depend only on the seed and the plan, and
townships can be written in parallel with byte-identical results.

Speed: openpyxl (even write-only, without lxml) writes about 2,000 rows a second, far
too slow for an 800,000-person county, so sheets are written as minimal SpreadsheetML
parts directly (shared strings, one date style, the ID and phone columns formatted as
text, every cell with its reference). calamine and openpyxl read them (tested), and so
does LibreOffice (checked when this was written); the parts are a subset of what Excel writes.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
import io
import math
import multiprocessing
import os
import random
import re
import sys
import threading
import zipfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar
from xml.sax.saxutils import escape

from laborcli.errors import UsageError
from laborcli.exports.safe import csv_safe
from laborcli.i18n import pick

T = TypeVar("T")
Fmt = Literal["xlsx", "csv"]
SheetCell = str | int | float | dt.date | None

# --------------------------------------------------------------------------------------
# The sheet: standard headers and aliases as in schemas/village_sheet.toml. They are kept
# here (not read from the TOML) so that a county's edited schema cannot change what the
# generator writes; the tests check that every header and alias used is in the schema.

COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("township", "乡镇(街道)", ("乡镇", "乡(镇)", "乡镇街道")),
    ("village", "村(社区)", ("村", "行政村", "村(居)")),
    ("group", "村民小组", ("组", "小组", "村小组")),
    ("household_id", "户编号", ("户号", "家庭编号")),
    ("relation", "与户主关系", ("关系",)),
    ("household_size", "家庭人口数", ("家庭人口", "户人口数")),
    ("name", "姓名", ("劳动力姓名",)),
    ("id_number", "身份证号码", ("身份证号", "公民身份号码", "证件号码")),
    ("gender", "性别", ()),
    ("birth_date", "出生日期", ("出生年月",)),
    ("ethnicity", "民族", ()),
    ("education", "文化程度", ("学历",)),
    ("phone", "联系电话", ("手机号码", "手机号", "联系方式")),
    ("poor_household", "是否脱贫户", ("建档立卡贫困户", "脱贫户")),
    ("relocated", "是否易地搬迁户", ("易地扶贫搬迁户", "搬迁户")),
    ("monitored", "是否监测对象", ("防返贫监测对象", "监测户")),
    ("labour_capacity", "劳动能力", ()),
    ("skills", "技能特长", ("技能", "专业技能")),
    ("training_wish", "培训意愿", ("培训需求",)),
    ("job_intention", "就业意愿", ("务工意愿",)),
    ("employment_status", "就业状态", ("就业情况", "务工状态")),
    ("work_place", "务工地点", ("就业地点", "务工地址")),
    ("employer", "就业单位", ("务工单位", "工作单位")),
    ("job_start", "务工开始时间", ("外出时间", "务工时间")),
    ("monthly_income", "月收入(元)", ("月收入", "月均收入", "月工资")),
    ("organised", "是否组织化输出", ("组织化输出", "有组织输出")),
    ("organiser", "输出组织者", ("带头人", "劳务经纪人")),
    ("remarks", "备注", ()),
)
KEYS = tuple(k for k, _, _ in COLUMNS)
_COL = {k: i for i, k in enumerate(KEYS)}
# Columns a village may leave out of its sheet without changing any figure.
_DROPPABLE = ("monitored", "training_wish", "job_intention", "organiser", "remarks", "skills")

TRANSFERRED = ("县外务工", "县内务工", "公益性岗位", "扶贫车间", "自主创业", "灵活就业")
_TRANSFERRED = frozenset(TRANSFERRED)
_NOT_LF = frozenset(("在校学生", "服兵役"))
_EXCLUDED_CAPACITY = frozenset(("丧失劳动力", "无劳动能力"))
_IDLE = frozenset(("务农", "未就业", "其他"))

# Problem codes the generated faults must produce (laborcli.sheets.problems).
ERRORS = ("status-unknown", "status-missing", "date-unreadable", "id-stored-as-number", "income-invalid")
WARNINGS = (
    "id-missing",
    "id-check-digit",
    "phone-invalid",
    "gender-mismatch",
    "birth-mismatch",
    "id-duplicate-in-sheet",
)

# Rates of the faults, per person (persistent: the village keeps copying last month's
# sheet) or per row and month (typed anew, corrected the next month).
PERSON_QUIRKS: dict[str, float] = {
    "id_missing": 0.010,
    "id_typo": 0.0015,
    "id_fullwidth": 0.004,
    "id_spaces": 0.004,
    "id_15": 0.003,
    "phone_bad": 0.003,
    "gender_wrong": 0.001,
    "birth_wrong": 0.001,
}
_QUIRK_CODE = {
    "id_missing": "id-missing",
    "id_typo": "id-check-digit",
    "phone_bad": "phone-invalid",
    "gender_wrong": "gender-mismatch",
    "birth_wrong": "birth-mismatch",
}
ROW_ERRORS: dict[str, float] = {
    "status-unknown": 0.0010,
    "date-unreadable": 0.0010,
    "id-stored-as-number": 0.0005,
    "income-invalid": 0.0005,
    "status-missing": 0.0003,
}
# Duplicates, per person: listed again in the next village of the township (same ID, ID
# missing, a homophone name without ID, one ID digit wrong) or twice in its own sheet.
DUPLICATES: dict[str, float] = {
    "same_id": 0.004,
    "no_id": 0.0015,
    "homophone": 0.001,
    "id_typo": 0.001,
    "in_sheet": 0.0005,
}

# --------------------------------------------------------------------------------------
# Vocabularies of the county: names, places, employers.

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "陇蒙安禄"
)
_SURNAME_WEIGHTS = tuple(1.0 / (i + 6) for i in range(len(_SURNAMES)))
_MALE_CHARS = (
    "国建明华文军平志伟勇强刚林海斌涛杰波辉鹏超磊浩宇俊峰鑫龙成德富贵忠荣福祥云飞洪兵江松立昌学光永发才金兴"
)
_FEMALE_CHARS = "秀英芳丽莉兰梅红华玲燕霞琴敏静娟艳萍凤琳婷雪慧玉珍桂芬云丹倩欣怡颖洁婧美春月琼菊"
# Characters with a same-sounding other character (toneless pinyin), for homophone names.
_HOMOPHONES = {
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
_PLACE_FIRST = (
    "青白黑红黄金银石铁龙凤马鹿云雾雨花桃梨柳松竹茶盐新大小上下东西南中高长双三五安宁平和兴隆富永太乐"
)
_PLACE_SECOND = "坪坝溪河山岭沟湾塘桥营寨屯场田林源泉冲洞岩水庄堡口"
_ETHNIC_MAIN = (("汉族", 70), ("彝族", 14), ("苗族", 10), ("回族", 3), ("布依族", 3))
_SKILLS = (
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
_OUT_PROVINCE = (
    ("浙江省宁波市", 10),
    ("浙江省杭州市", 5),
    ("浙江省金华市义乌市", 5),
    ("浙江省温州市", 4),
    ("广东省东莞市", 8),
    ("广东省深圳市", 6),
    ("广东省佛山市", 5),
    ("广东省广州市", 4),
    ("福建省泉州市晋江市", 6),
    ("福建省厦门市", 3),
    ("江苏省苏州市", 5),
    ("江苏省苏州市昆山市", 3),
    ("上海市", 4),
    ("安徽省芜湖市", 2),
    ("山东省青岛市", 2),
    ("四川省成都市", 3),
    ("贵州省贵阳市", 2),
    ("新疆维吾尔自治区", 1),
)
_IN_PROVINCE = (("云南省昆明市", 10), ("云南省曲靖市", 4), ("云南省玉溪市", 3), ("云南省昭通市", 3))


def _short_place(place: str) -> str:
    """A destination's short name, for its employers' names (宁波, 义乌, 上海, 新疆)."""
    parts = [x for x in re.split("[省市]", place.replace("维吾尔自治区", "")) if x]
    return parts[-1][:2]


_PLACE_SHORT = {place: _short_place(place) for place, _ in _OUT_PROVINCE + _IN_PROVINCE}
_FIRM_WORDS = "华鑫隆盛达安恒丰宏泰远通顺兴源金"
_FIRM_KINDS = (
    "电子有限公司",
    "鞋业有限公司",
    "服装有限公司",
    "建筑工程有限公司",
    "食品有限公司",
    "物流有限公司",
    "塑胶制品厂",
    "机械制造有限公司",
    "家具厂",
    "纺织有限公司",
    "酒店管理有限公司",
)
_PUBLIC_JOBS = ("护林员", "保洁员", "护路员", "水管员", "地质灾害监测员", "村级联络员")
# Seasonality by calendar month: chance that an idle labourer starts work / a worker
# comes home (most leave after the Spring Festival, many return in December-January).
_P_START = (0.0, 0.05, 0.16, 0.09, 0.05, 0.04, 0.04, 0.05, 0.04, 0.04, 0.04, 0.03, 0.02)
_P_RETURN = (0.0, 0.04, 0.01, 0.01, 0.01, 0.012, 0.012, 0.015, 0.015, 0.015, 0.02, 0.03, 0.06)
_START_MONTH_WEIGHTS = (6, 25, 20, 8, 6, 5, 6, 6, 6, 6, 4, 2)
_OTHER_AREAS = ("532998", "532997", "530199", "522799", "510899", "450999")
_FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９ＸＸ")
_CN_NUM = "零一二三四五六七八九十"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n]
    if n < 20:
        return "十" + _CN_NUM[n - 10]
    return _CN_NUM[n // 10] + "十" + (_CN_NUM[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------------------
# Months


_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _norm_month(text: str) -> str:
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(
            pick(f"无法识别的月份: {text} (应为 2026-11)", f"cannot read the month {text!r} (2026-11)")
        )
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def _month_index(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def _month_of_index(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def month_list(
    months: Sequence[str] | int | str, last: str | None = None, today: dt.date | None = None
) -> list[str]:
    """The months to generate, sorted: a list, a comma-separated text, or a count ending at ``last``.

    A count without ``last`` ends with the month before ``today`` (the last complete month),
    which is what an officer trying the tool expects; scripts should name months.
    """
    if isinstance(months, str):
        text = months.strip()
        months = int(text) if text.isdigit() else [m for m in text.split(",") if m.strip()]
    if isinstance(months, int):
        if not 1 <= months <= 120:
            raise UsageError(pick("月份数应在 1 到 120 之间", "the number of months must be 1 to 120"))
        if last is None:
            t = today or dt.date.today()
            end = t.year * 12 + t.month - 2
        else:
            end = _month_index(_norm_month(last))
        return [_month_of_index(i) for i in range(end - months + 1, end + 1)]
    out = sorted({_norm_month(m) for m in months})
    if not out:
        raise UsageError(pick("没有指定月份", "no month given"))
    return out


def _month_end(month: str) -> dt.date:
    y, m = (int(x) for x in month.split("-"))
    return dt.date(y, m, calendar.monthrange(y, m)[1])


# --------------------------------------------------------------------------------------
# The plan: townships, villages and their sizes.


@dataclass(frozen=True, slots=True)
class VillagePlan:
    """One village of the county and how many persons its sheet lists."""

    township: str
    village: str
    code: str  # township and village numbers: the prefix of the village's household numbers
    persons: int
    township_index: int


@dataclass(frozen=True, slots=True)
class CountyPlan:
    """The county's villages, grouped by township in order."""

    county: str
    area: str  # the county's administrative code, first six digits of most IDs
    villages: tuple[VillagePlan, ...]

    @property
    def townships(self) -> list[str]:
        """Township names in order."""
        return list(dict.fromkeys(v.township for v in self.villages))


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` shared in proportion to ``weights`` (largest remainder), each part at least 1."""
    n = len(weights)
    base = [1] * n
    rest = total - n
    s = sum(weights)
    raw = [rest * w / s for w in weights]
    parts = [math.floor(x) for x in raw]
    left = rest - sum(parts)
    order = sorted(range(n), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


def plan_county(
    persons: int,
    seed: int = 0,
    *,
    townships: int | None = None,
    villages: int | None = None,
    county: str = "云岭县",
    area: str = "532999",
) -> CountyPlan:
    """Townships and villages for ``persons`` people.

    Villages grow with the county (about 0.27·√N of them: a dozen villages of ~170 for
    2,000 persons, ~240 of ~3,300 for 800,000, like Zhenxiong's ~260), and townships hold
    about √villages each; sizes vary by a log-normal factor, as real villages do.
    """
    if persons < 1:
        raise UsageError(pick("人数至少为 1", "persons must be at least 1"))
    rng = random.Random(f"{seed}/plan")
    n_v = villages or max(1, round(0.27 * math.sqrt(persons)))
    n_v = max(1, min(n_v, persons))
    n_t = townships or max(1, round(0.9 * math.sqrt(n_v)))
    n_t = max(1, min(n_t, n_v))
    per_t = _split(n_v, [rng.lognormvariate(0, 0.3) for _ in range(n_t)])
    sizes = _split(persons, [min(3.0, max(0.3, rng.lognormvariate(0, 0.45))) for _ in range(n_v)])
    stems = [a + b for a in _PLACE_FIRST for b in _PLACE_SECOND]
    rng.shuffle(stems)
    t_names: list[str] = []
    for i in range(n_t):
        stem = stems[i % len(stems)] + ("" if i < len(stems) else _cn_number(i // len(stems) % 10))
        suffix = "街道" if (i == 0 and n_t >= 5) else ("乡" if rng.random() < 0.35 else "镇")
        t_names.append(stem + suffix)
    out: list[VillagePlan] = []
    k = 0
    for ti, (tname, nv) in enumerate(zip(t_names, per_t, strict=True)):
        pool = stems[n_t:]
        picks = rng.sample(range(len(pool)), min(nv, len(pool)))
        for vi in range(nv):
            stem = pool[picks[vi % len(picks)]] + ("" if vi < len(picks) else _cn_number(vi // len(picks)))
            community = tname.endswith("街道") or rng.random() < 0.05
            out.append(
                VillagePlan(
                    township=tname,
                    village=stem + ("社区" if community else "村"),
                    code=f"{ti + 1:02d}{vi + 1:03d}",
                    persons=sizes[k],
                    township_index=ti,
                )
            )
            k += 1
    return CountyPlan(county=county, area=area, villages=tuple(out))


# --------------------------------------------------------------------------------------
# Persons and households


class _Person:
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


@dataclass(slots=True)
class _Copy:
    """A second listing of a person in another village (or twice in the same sheet)."""

    person: _Person
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


@dataclass(slots=True)
class _Style:
    """How one village writes its sheet; kept from month to month."""

    keys: list[str]  # column keys in order; "" is a 序号 (row number) column
    headers: list[str]
    titles: int
    merge_title: bool
    totals: float
    footer: float
    blank_rows: float
    yes: str
    no: str
    status_alias: dict[str, str]
    birth_style: str
    job_style: str
    income_style: str
    lower_x: bool
    phone_numbers: bool
    group_style: str
    encoding: str


@dataclass(slots=True)
class _Village:
    plan: VillagePlan
    style: _Style
    people: list[_Person] = field(default_factory=list)
    copies: list[_Copy] = field(default_factory=list)
    households: list[tuple[str, str, int]] = field(default_factory=list)  # (group, id, size)
    whole_households: bool = False
    ethnic_main: str = "汉族"
    poor_rate: float = 0.2


_BIRTH_STYLES = (
    ("date", 40),
    ("dot", 12),
    ("iso", 10),
    ("slash", 8),
    ("cn", 8),
    ("ym", 8),
    ("ym_dot", 5),
    ("compact", 5),
    ("serial", 4),
)
_JOB_STYLES = (("date", 40), ("dot", 12), ("ym_dot", 14), ("cn_ym", 10), ("ym", 10), ("iso", 8), ("cn", 6))
_FULL_DATE_STYLES = frozenset(("date", "dot", "iso", "slash", "cn", "compact", "serial"))


class _Rng(random.Random):
    """``random.Random`` with cheap draws for the hot loops.

    ``choice``/``randint`` go through rejection sampling on random bits, several times
    slower than scaling one ``random()``; scaling is biased by at most n/2**53 (about
    1e-7 for the largest n used, the 10**9 phone numbers), which nothing here can notice.
    """

    def pick(self, seq: Sequence[T]) -> T:
        """One element, uniformly."""
        return seq[int(self.random() * len(seq))]

    def between(self, a: int, b: int) -> int:
        """An integer in [a, b]."""
        return a + int(self.random() * (b - a + 1))

    def below(self, n: int) -> int:
        """An integer in [0, n)."""
        return int(self.random() * n)


class _Pick(Generic[T]):
    """A weighted choice with its cumulative weights computed once (``rng.choices`` recomputes them)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = list(pairs)
        self.items = [i for i, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def _weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    """A one-off weighted choice (village styles); hot loops use prepared ``_Pick`` tables."""
    return _Pick(items)(rng)


def _status_table(base: Sequence[tuple[str, float]], poor: bool) -> _Pick[str]:
    """Status weights; poor households get more public-welfare posts and workshop jobs."""
    mult = {"公益性岗位": 2.5, "扶贫车间": 2.0} if poor else {}
    return _Pick((k, w * mult.get(k, 1.0)) for k, w in base)


_ETHNIC_PICK = _Pick(_ETHNIC_MAIN)
_EDUCATION_PICKS = (
    (1965, _Pick((("文盲或半文盲", 30), ("小学", 50), ("初中", 17), ("高中", 3)))),
    (1980, _Pick((("文盲或半文盲", 8), ("小学", 40), ("初中", 42), ("高中", 7), ("中专", 3)))),
    (1995, _Pick((("小学", 15), ("初中", 55), ("高中", 13), ("中专", 10), ("大专", 5), ("本科及以上", 2)))),
    (9999, _Pick((("小学", 3), ("初中", 40), ("高中", 20), ("中专", 17), ("大专", 13), ("本科及以上", 7)))),
)
_CAPACITY_PICKS = (
    (
        45,
        _Pick(
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
        _Pick(
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
        _Pick(
            (("普通劳动力", 35), ("弱劳动力", 25), ("半劳动力", 22), ("丧失劳动力", 12), ("无劳动能力", 6))
        ),
    ),
)
_STATUS_ELDERLY = _Pick(
    (("务农", 65), ("其他", 15), ("未就业", 8), ("县内务工", 4), ("灵活就业", 5), ("县外务工", 3))
)
_STATUS_EXCLUDED = _Pick((("务农", 40), ("其他", 35), ("未就业", 25)))
_STATUS_WEAK = (
    ("县外务工", 8),
    ("县内务工", 8),
    ("公益性岗位", 14),
    ("扶贫车间", 4),
    ("自主创业", 1),
    ("灵活就业", 8),
    ("务农", 40),
    ("未就业", 10),
    ("其他", 3),
)
_STATUS_YOUNG = (
    ("县外务工", 46),
    ("县内务工", 9),
    ("公益性岗位", 2),
    ("扶贫车间", 2),
    ("自主创业", 2.5),
    ("灵活就业", 6),
    ("务农", 20),
    ("未就业", 10),
    ("其他", 2.5),
)
_STATUS_MIDDLE = (
    ("县外务工", 30),
    ("县内务工", 11),
    ("公益性岗位", 4),
    ("扶贫车间", 3),
    ("自主创业", 3),
    ("灵活就业", 7),
    ("务农", 34),
    ("未就业", 6),
    ("其他", 2),
)
_STATUS_PICKS = {
    (band, poor): _status_table(table, poor)
    for band, table in (("weak", _STATUS_WEAK), ("young", _STATUS_YOUNG), ("middle", _STATUS_MIDDLE))
    for poor in (False, True)
}
_NEW_JOB_PICKS = {
    (young, poor): _Pick(
        (
            ("县外务工", 60 if young else 35),
            ("县内务工", 15),
            ("灵活就业", 10),
            ("公益性岗位", 10 if poor else 3),
            ("扶贫车间", 5),
            ("自主创业", 4),
        )
    )
    for young in (False, True)
    for poor in (False, True)
}
_INTENTION_IDLE = _Pick((("县外务工", 30), ("县内务工", 30), ("公益性岗位", 10), ("暂无意愿", 20), ("", 10)))
_HOUSEHOLD_SIZE = _Pick(((1, 7), (2, 15), (3, 20), (4, 24), (5, 18), (6, 10), (7, 6)))
_START_MONTH_PICKS = [
    _Pick(zip(range(1, m + 1), _START_MONTH_WEIGHTS[:m], strict=True)) for m in range(1, 13)
]
_BIRTH_STYLE_PICK = _Pick(_BIRTH_STYLES)
_JOB_STYLE_PICK = _Pick(_JOB_STYLES)
_IN_PROVINCE_PICK = _Pick(_IN_PROVINCE)
_OUT_PROVINCE_PICK = _Pick(_OUT_PROVINCE)


_SURNAME_PICK = _Pick(zip(_SURNAMES, _SURNAME_WEIGHTS, strict=True))


def _years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


@functools.lru_cache(maxsize=4096)
def _birth_range(d: dt.date, age: int) -> tuple[dt.date, int]:
    earliest = _years_before(d, age + 1) + dt.timedelta(days=1)
    return earliest, (_years_before(d, age) - earliest).days + 1


def _birth_for_age(rng: random.Random, d: dt.date, age: int) -> dt.date:
    """A birth date of someone exactly ``age`` full years old on ``d``."""
    earliest, span = _birth_range(d, age)
    return earliest + dt.timedelta(days=int(rng.random() * span))


def _age_at(birth: dt.date, d: dt.date) -> int:
    return d.year - birth.year - ((d.month, d.day) < (birth.month, birth.day))


def _date_text(d: dt.date, style: str) -> SheetCell:
    """A date as a village writes it (all forms that the import reads)."""
    if style == "date":
        return d
    if style == "iso":
        return d.isoformat()
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "ym":
        return f"{d.year}{d.month:02d}"
    if style == "ym_dot":
        return f"{d.year}.{d.month:02d}"
    if style == "cn_ym":
        return f"{d.year}年{d.month}月"
    if style == "compact":
        return f"{d.year}{d.month:02d}{d.day:02d}"
    if style == "serial":
        return (d - dt.date(1899, 12, 30)).days
    raise ValueError(style)


def _make_style(rng: random.Random, messy: bool, fmt: Fmt) -> _Style:
    keys = list(KEYS)
    headers = [h for _, h, _ in COLUMNS]
    if not messy:
        return _Style(
            keys=keys,
            headers=headers,
            titles=0,
            merge_title=False,
            totals=0.0,
            footer=0.0,
            blank_rows=0.0,
            yes="是",
            no="否",
            status_alias={},
            birth_style="date" if fmt == "xlsx" else "iso",
            job_style="date" if fmt == "xlsx" else "iso",
            income_style="int",
            lower_x=False,
            phone_numbers=False,
            group_style="n组",
            encoding="utf-8-sig",
        )
    if rng.random() < 0.12:
        for k in rng.sample(_DROPPABLE, rng.randint(1, 3)):
            i = keys.index(k)
            del keys[i], headers[i]
    for i, k in enumerate(keys):
        aliases = COLUMNS[_COL[k]][2]
        if aliases and rng.random() < 0.08:
            headers[i] = rng.choice(aliases)
        elif rng.random() < 0.015:
            h = headers[i]
            headers[i] = (h[:2] + "\n" + h[2:]) if len(h) > 3 else f" {h} "
    if rng.random() < 0.5:
        keys.insert(0, "")
        headers.insert(0, "序号")
    yesno = _weighted(rng, (("是/否", 75), ("是/", 10), ("√/", 5), ("Y/N", 5), ("1/0", 5)))
    yes, _, no = yesno.partition("/")
    alias: dict[str, str] = {}
    if rng.random() < 0.2:
        alias["县外务工"] = "外出务工"
    if rng.random() < 0.15:
        alias["务农"] = "在家务农"
    if rng.random() < 0.15:
        alias["在校学生"] = "学生"
    if rng.random() < 0.1:
        alias["公益性岗位"] = "公益岗"
    if rng.random() < 0.1:
        alias["扶贫车间"] = "就业帮扶车间"
    return _Style(
        keys=keys,
        headers=headers,
        titles=rng.choices((0, 1, 2), weights=(30, 40, 30))[0],
        merge_title=rng.random() < 0.7,
        totals=0.45,
        footer=0.2,
        blank_rows=0.25,
        yes=yes,
        no=no,
        status_alias=alias,
        birth_style=_weighted(rng, [(k, w) for k, w in _BIRTH_STYLES if k != "serial"]),
        job_style=_weighted(rng, _JOB_STYLES),
        income_style=_weighted(rng, (("int", 70), ("yuan", 12), ("comma", 10), ("float", 8))),
        lower_x=rng.random() < 0.3,
        phone_numbers=rng.random() < 0.15 and fmt == "xlsx",  # same draws for every format
        group_style=_weighted(rng, (("n组", 80), ("第n组", 10), ("cn组", 10))),
        encoding="gb18030" if rng.random() < 0.25 else "utf-8-sig",
    )


def _group_label(style: _Style, n: int) -> str:
    if style.group_style == "第n组":
        return f"第{n}组"
    if style.group_style == "cn组":
        return f"{_cn_number(n)}组"
    return f"{n}组"


def _income_cell(v: int | None, style: str) -> SheetCell:
    if v is None:
        return None
    if style == "yuan":
        return f"{v}元"
    if style == "comma":
        return f"{v:,}"
    if style == "float":
        return float(v)
    return v


class _Township:
    """Generates one township: its villages' persons, their months, and their files."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.plan = job.plan
        self.rng = _Rng(f"{job.seed}/township/{job.township_index}")
        self.used: set[str] = set()
        ti = job.township_index
        # Police-station digits of the ID's sequence code: three per township, disjoint
        # between townships (up to 33), so townships never collide and can run in parallel.
        perm = random.Random(f"{job.seed}/stations").sample(range(100), 100)
        self.stations = [perm[(ti * 3 + k) % 100] for k in range(3)]
        self._ymd: dict[dt.date, tuple[str, int]] = {}
        self._firm_pool: dict[str, list[str]] = {}
        self._local: dict[str, dict[str, tuple[str, ...]]] = {}
        self.as_of0 = _month_end(job.months[0])
        self.organisers = self._organisers()
        self.villages: list[_Village] = []

    # -- names and numbers

    def _name(self, male: bool, surname: str | None = None) -> str:
        rng = self.rng
        s = surname or _SURNAME_PICK(rng)
        chars = _MALE_CHARS if male else _FEMALE_CHARS
        if rng.random() < 0.3:
            return s + rng.pick(chars)
        return s + rng.pick(chars) + rng.pick(chars)

    def _id(self, birth: dt.date, male: bool) -> str:
        """A valid ID, unique in the township: area, birth date, station, gender digit, check digit."""
        rng = self.rng
        area = self.plan.area if rng.random() < 0.9 else rng.pick(_OTHER_AREAS)
        got = self._ymd.get(birth)
        if got is None:
            y, m, d = birth.year, birth.month, birth.day
            # GB 11643 weights of digits 7-14 (the birth date) are 2 1 6 3, 7 9, 10 5.
            total = (y // 1000) * 2 + (y // 100 % 10) + (y // 10 % 10) * 6 + (y % 10) * 3
            total += (m // 10) * 7 + (m % 10) * 9 + (d // 10) * 10 + (d % 10) * 5
            got = self._ymd[birth] = (f"{y}{m:02d}{d:02d}", total)
        head = area + got[0]
        gender = 1 if male else 0
        stations = self.stations
        for _ in range(60):
            station, g = stations[int(rng.random() * 3)], int(rng.random() * 5) * 2 + gender
            body = f"{head}{station:02d}{g}"
            if body not in self.used:
                break
        else:  # a crowded birthday: leave the township's stations
            station, g = rng.below(100), rng.below(5) * 2 + gender
            body = f"{head}{station:02d}{g}"
        self.used.add(body)
        # Weights of the station digits and the gender digit (digits 15-17) are 8 4 2.
        total = _weighted_sum(area) + got[1] + (station // 10) * 8 + (station % 10) * 4 + g * 2
        return body + _CHECK[total % 11]

    def _phone(self) -> str:
        rng = self.rng
        prefix = rng.pick(("13", "15", "18", "17", "19", "14", "16"))
        return f"{prefix}{rng.below(10**9):09d}"

    def _organisers(self) -> list[str]:
        rng = self.rng
        county = self.plan.county
        firms = [
            f"{county}{rng.pick(_FIRM_WORDS)}{rng.pick(_FIRM_WORDS)}劳务服务有限公司",
            f"{county}人力资源服务中心",
        ]
        leaders = [self._name(True) for _ in range(3)]
        return firms + leaders

    # -- households

    def _household_members(self, size: int) -> list[tuple[str, int, bool]]:
        """(relation, age, male) for one household of ``size`` persons, head first."""
        rng = self.rng
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

    def build_village(self, vp: VillagePlan) -> _Village:
        rng = self.rng
        job = self.job
        whole = rng.random() < 0.15
        v = _Village(
            plan=vp,
            style=_make_style(rng, job.messy, job.fmt),
            whole_households=whole,
            ethnic_main=_ETHNIC_PICK(rng),
            poor_rate=0.06 + 0.29 * rng.random(),
        )
        per_group = rng.between(25, 45)
        hh_no = 0
        while len(v.people) < vp.persons:
            hh_no += 1
            group_no = (hh_no - 1) // per_group + 1
            group = _group_label(v.style, group_no)
            size = _HOUSEHOLD_SIZE(rng)
            members = self._household_members(size)
            hid = f"{vp.code}{hh_no:04d}"
            poor = rng.random() < v.poor_rate
            relocated = rng.random() < (0.25 if poor else 0.01)
            monitored = rng.random() < (0.08 if poor else 0.02)
            surname = _SURNAME_PICK(rng)
            listed = []
            for rel, age, male in members:
                adult = age >= 16 and (age <= 64 or rng.random() < 0.5)
                if adult or (whole and 6 <= age < 16):
                    listed.append((rel, age, male))
            if not listed:
                continue
            listed = listed[: vp.persons - len(v.people)]
            v.households.append((group, hid, size))
            head_phone = self._phone() if rng.random() < 0.9 else None
            hh_people: list[_Person] = []
            for rel, age, male in listed:
                p = self._person(v, rel, age, male, surname, poor, relocated, monitored, head_phone)
                p.group, p.household, p.hh_size = group, hid, size
                hh_people.append(p)
            self._ensure_employment(v, hh_people)
            v.people.extend(hh_people)
        return v

    def _person(
        self,
        v: _Village,
        rel: str,
        age: int,
        male: bool,
        surname: str,
        poor: bool,
        relocated: bool,
        monitored: bool,
        head_phone: str | None,
    ) -> _Person:
        rng = self.rng
        style = v.style
        p = _Person()
        own_surname = rel in ("子", "女", "孙子", "孙女", "父亲", "兄弟姐妹") or (
            rel in ("户主", "配偶") and male
        )
        p.name = self._name(male, surname if own_surname else None)
        p.male = male
        p.relation = rel
        p.birth = _birth_for_age(rng, self.as_of0, age)
        p.id18 = self._id(p.birth, male)
        p.id_valid = True
        p.poor, p.relocated, p.monitored = poor, relocated, monitored
        p.ethnicity = v.ethnic_main if rng.random() < 0.85 else _ETHNIC_PICK(rng)
        p.education = self._education(p.birth.year, age)
        p.capacity = self._capacity(age)
        p.skills = rng.pick(_SKILLS) if (16 <= age <= 60 and rng.random() < 0.4) else ""
        if p.skills and p.capacity == "普通劳动力" and rng.random() < 0.6:
            p.capacity = "技能劳动力"
        r = rng.random()
        p.training = (
            "是" if r < 0.25 else "否" if r < 0.65 else "" if r < 0.85 else rng.pick(_SKILLS) + "培训"
        )
        p.status = self._initial_status(age, male, p.capacity, poor)
        if p.status in _TRANSFERRED:
            self._start_job(v, p, p.status, self._initial_start(age))
        p.intention = self._intention(p.status)
        phone: str | None = None
        if rel == "户主":
            phone = head_phone
        elif age >= 16:
            shares = head_phone is not None and rng.random() < (0.6 if age > 60 else 0.2)
            phone = head_phone if shares else (self._phone() if rng.random() < 0.85 else None)
        p.phone_cell = int(phone) if (phone and style.phone_numbers) else phone
        p.gender_cell = "男" if male else "女"
        # A tenth of the rows are typed differently from the rest of the sheet (messy only).
        bstyle = style.birth_style if (rng.random() < 0.9 or not self.job.messy) else _BIRTH_STYLE_PICK(rng)
        p.birth_cell = None if (self.job.messy and rng.random() < 0.02) else _date_text(p.birth, bstyle)
        if self.job.messy:
            self._quirk(v, p, bstyle)
        else:
            p.id_cell = p.id18
        return p

    def _education(self, year: int, age: int) -> str:
        if age < 16:
            return "小学" if age < 12 else "初中"
        for before, table in _EDUCATION_PICKS:
            if year < before:
                return table(self.rng)
        raise AssertionError(year)

    def _capacity(self, age: int) -> str:
        for upto, table in _CAPACITY_PICKS:
            if age <= upto:
                return table(self.rng)
        raise AssertionError(age)

    def _initial_status(self, age: int, male: bool, capacity: str, poor: bool) -> str:
        rng = self.rng
        if age < 16 or (age <= 18 and rng.random() < 0.8) or (age <= 22 and rng.random() < 0.3):
            return "在校学生"
        if male and 18 <= age <= 24 and rng.random() < 0.02:
            return "服兵役"
        if age > 60:
            return _STATUS_ELDERLY(rng)
        if capacity in _EXCLUDED_CAPACITY:
            return _STATUS_EXCLUDED(rng)
        band = "weak" if capacity in ("弱劳动力", "半劳动力") else "young" if age <= 45 else "middle"
        return _STATUS_PICKS[band, poor](rng)

    def _initial_start(self, age: int) -> dt.date | None:
        """When the current job began: this year for many (after the Spring Festival)."""
        rng = self.rng
        a = self.as_of0
        r = rng.random()
        if r < 0.08:
            return None
        if r < 0.43:
            m = _START_MONTH_PICKS[a.month - 1](rng)
            last = a.day if m == a.month else calendar.monthrange(a.year, m)[1]
            return dt.date(a.year, m, rng.between(1, last))
        first = max(a.year - 10, a.year - age + 16)
        y = rng.between(min(first, a.year - 1), a.year - 1)
        m = _START_MONTH_PICKS[11](rng)
        return dt.date(y, m, rng.between(1, calendar.monthrange(y, m)[1]))

    def _intention(self, status: str) -> str:
        rng = self.rng
        if status in ("县外务工", "县内务工", "公益性岗位", "自主创业"):
            return status if rng.random() < 0.9 else "暂无意愿"
        if status in _TRANSFERRED:
            return "县内务工" if rng.random() < 0.5 else "县外务工"
        if status in _NOT_LF:
            return "" if rng.random() < 0.7 else "暂无意愿"
        return _INTENTION_IDLE(rng)

    def _firms(self, place: str) -> list[str]:
        """The township's employers at a destination: fellow villagers cluster in a few firms."""
        firms = self._firm_pool.get(place)
        if firms is None:
            rng = self.rng
            short = _PLACE_SHORT[place]
            firms = [
                f"{short}{rng.pick(_FIRM_WORDS)}{rng.pick(_FIRM_WORDS)}{rng.pick(_FIRM_KINDS)}"
                for _ in range(6)
            ]
            firms.append("")  # employer not written down
            self._firm_pool[place] = firms
        return firms

    def _local_jobs(self, v: _Village) -> dict[str, tuple[str, ...]]:
        """Places and employers of jobs inside the county, per village (computed once)."""
        jobs = self._local.get(v.plan.code)
        if jobs is None:
            rng = self.rng
            county, tname, vname = self.plan.county, v.plan.township, v.plan.village
            w = [rng.pick(_FIRM_WORDS) + rng.pick(_FIRM_WORDS) for _ in range(3)]
            jobs = {
                "local_place": (f"{county}工业园区", f"{county}城区", f"{county}{tname}"),
                "local_firm": (
                    f"{county}{w[0]}建材有限公司",
                    f"{county}{w[1]}茶业有限公司",
                    f"{county}城市建设工程公司",
                    "",
                ),
                "village": (f"{tname}{vname}",),
                "public_firm": (f"{vname}村民委员会",) * 7 + (f"{tname}人民政府",) * 3,
                "workshop": (f"{vname}就业帮扶车间",) * 3 + (f"{tname}{w[2]}扶贫车间",) * 2,
                "own_place": (f"{county}{tname}",),
                "own_firm": ("个体工商户", "养殖场", "小卖部", "农家乐", ""),
                "flexible_place": (f"{county}城区", f"{county}{tname}", "云南省昆明市"),
            }
            self._local[v.plan.code] = jobs
        return jobs

    def _start_job(self, v: _Village, p: _Person, status: str, start: dt.date | None) -> None:
        """Give ``p`` a job with that status: place, employer, income, organiser, start date."""
        rng = self.rng
        p.status = status
        p.organised, p.organiser, p.remarks = False, "", ""
        if status == "县外务工":
            place = (_IN_PROVINCE_PICK if rng.random() < 0.25 else _OUT_PROVINCE_PICK)(rng)
            p.place = place
            p.employer = rng.pick(self._firms(place))
            p.income = _hundreds(min(15000, max(2500, rng.gauss(5200, 1300))))
            if rng.random() < 0.38:
                p.organised = True
                p.organiser = rng.pick(self.organisers)
        else:
            jobs = self._local_jobs(v)
            if status == "县内务工":
                p.place = rng.pick(jobs["local_place"])
                p.employer = rng.pick(jobs["local_firm"])
                p.income = _hundreds(min(8000, max(1800, rng.gauss(3200, 800))))
            elif status == "公益性岗位":
                p.place = jobs["village"][0]
                p.employer = rng.pick(jobs["public_firm"])
                p.income = rng.pick((600, 800, 1000, 1200, 1500, 1800))
                p.remarks = rng.pick(_PUBLIC_JOBS)
            elif status == "扶贫车间":
                p.place = jobs["village"][0]
                p.employer = rng.pick(jobs["workshop"])
                p.income = _hundreds(min(5000, max(1200, rng.gauss(2200, 500))))
            elif status == "自主创业":
                p.place = jobs["own_place"][0]
                p.employer = rng.pick(jobs["own_firm"])
                p.income = _hundreds(min(30000, max(1500, rng.gauss(4500, 2000))))
            else:  # 灵活就业
                p.place = rng.pick(jobs["flexible_place"])
                p.employer = ""
                p.income = _hundreds(min(8000, max(1000, rng.gauss(2600, 800))))
        if rng.random() < 0.08:
            p.income = None
        style = v.style
        p.income_cell = _income_cell(p.income, style.income_style if rng.random() < 0.9 else "int")
        p.start = start
        if start is None:
            p.start_cell = None
        else:
            deviate = rng.random() >= 0.9 and self.job.messy
            p.start_cell = _date_text(start, _JOB_STYLE_PICK(rng) if deviate else style.job_style)

    def _stop_job(self, v: _Village, p: _Person) -> None:
        rng = self.rng
        p.status = "务农" if rng.random() < 0.6 else "未就业"
        p.place = p.employer = p.organiser = ""
        p.organised = None
        p.start, p.start_cell = None, None
        p.income, p.income_cell = None, None
        p.remarks = "返乡" if rng.random() < 0.5 else ""

    def _new_job_status(self, p: _Person, age: int) -> str:
        return _NEW_JOB_PICKS[age <= 45, p.poor](self.rng)

    def _ensure_employment(self, v: _Village, members: list[_Person]) -> None:
        """户有一人就业: most households with labour already have somebody at work."""
        rng = self.rng
        idle = [
            p
            for p in members
            if p.status in _IDLE
            and p.capacity not in _EXCLUDED_CAPACITY
            and 16 <= _age_at(p.birth, self.as_of0) <= 60
        ]
        if not idle or any(p.status in _TRANSFERRED for p in members) or rng.random() > 0.55:
            return
        p = rng.pick(idle)
        status = "公益性岗位" if p.poor and rng.random() < 0.6 else self._new_job_status(p, 40)
        self._start_job(v, p, status, self._initial_start(_age_at(p.birth, self.as_of0)))
        p.intention = self._intention(status)

    # -- faults

    def _quirk(self, v: _Village, p: _Person, bstyle: str) -> None:
        """The person's persistent fault, if any, and the ID cell as the village writes it."""
        rng = self.rng
        id18 = p.id18
        p.id_cell = id18.lower() if (v.style.lower_x and id18.endswith("X")) else id18
        r = rng.random()
        quirk = ""
        for name, rate in PERSON_QUIRKS.items():
            if r < rate:
                quirk = name
                break
            r -= rate
        if quirk == "id_15" and id18[6:8] != "19":
            quirk = ""
        if quirk in ("gender_wrong", "birth_wrong", "phone_bad") and p.birth_cell is None:
            quirk = ""
        if quirk == "phone_bad" and not p.phone_cell:
            quirk = ""
        if quirk in ("id_missing", "id_typo") and (p.birth_cell is None or bstyle not in _FULL_DATE_STYLES):
            p.birth_cell = _date_text(p.birth, "dot")
        p.quirk = quirk
        if quirk == "id_missing":
            p.id_cell, p.id_valid = None, False
        elif quirk == "id_typo":
            p.id_cell, p.id_valid = _typo(rng, id18), False
        elif quirk == "id_fullwidth":
            p.id_cell = id18.translate(_FULLWIDTH)
        elif quirk == "id_spaces":
            p.id_cell = rng.pick((f"{id18[:6]} {id18[6:14]} {id18[14:]}", f"{id18} ", f" {id18}"))
        elif quirk == "id_15":
            p.id_cell = id18[:6] + id18[8:17]
        elif quirk == "phone_bad":
            phone = str(p.phone_cell)
            p.phone_cell = phone[:-1] if rng.random() < 0.6 else phone + str(rng.below(10))
        elif quirk == "gender_wrong":
            p.gender_cell = "女" if p.male else "男"
        elif quirk == "birth_wrong":
            b = p.birth + dt.timedelta(days=rng.pick((-40, -9, -3, 2, 5, 11, 31)))
            if b.year == p.birth.year and b.month == p.birth.month and b.day == 1:
                b += dt.timedelta(days=1)
            p.birth_cell = _date_text(b, "dot")

    def add_duplicates(self) -> None:
        """Second listings: in the next village of the township, or twice in the same sheet."""
        rates = DUPLICATES if self.job.messy else {"same_id": DUPLICATES["same_id"]}
        n = len(self.villages)
        for i, v in enumerate(self.villages):
            target_i = (i + 1) % n
            for p in v.people:
                if p.quirk or not p.id_valid or p.birth_cell is None:
                    continue
                age = _age_at(p.birth, self.as_of0)
                if not 18 <= age <= 60:
                    continue
                r = self.rng.random()
                kind = ""
                for k, rate in rates.items():
                    if r < rate:
                        kind = k
                        break
                    r -= rate
                if not kind or (kind != "in_sheet" and n < 2):
                    continue
                homophone = _homophone(p.name) if kind == "homophone" else None
                if kind == "homophone" and homophone is None:
                    continue
                tgt = v if kind == "in_sheet" else self.villages[target_i]
                p.dup = kind
                self._add_copy(p, kind, tgt, i if kind == "in_sheet" else target_i, homophone)

    def _add_copy(self, p: _Person, kind: str, tgt: _Village, tgt_i: int, homophone: str | None) -> None:
        rng = self.rng
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
            if birth_style not in _FULL_DATE_STYLES:
                birth_style = "dot"
        elif kind == "id_typo":
            id_cell, valid = _typo(rng, p.id18), False
        birth_cell = p.birth_cell if kind == "in_sheet" else _date_text(p.birth, birth_style)
        tgt.copies.append(
            _Copy(
                person=p,
                kind=kind,
                village=tgt_i,
                group=group,
                household=hid,
                hh_size=size,
                relation=rel,
                name=homophone or p.name,
                id_cell=id_cell,
                birth_cell=birth_cell,
                id_valid=valid,
            )
        )

    # -- months

    def evolve(self, v: _Village, cal_month: int, year: int, last_day: dt.date) -> None:
        """One month passes: some idle labourers leave for work, some workers come home."""
        rng = self.rng
        p_start, p_return = _P_START[cal_month], _P_RETURN[cal_month]
        first = dt.date(year, cal_month, 1)
        for p in v.people:
            if p.status in _TRANSFERRED:
                if rng.random() < p_return:
                    self._stop_job(v, p)
            elif p.status in _IDLE and p.capacity not in _EXCLUDED_CAPACITY and rng.random() < p_start:
                age = _age_at(p.birth, last_day)
                if 16 <= age <= 60:
                    start = first + dt.timedelta(days=rng.below(last_day.day))
                    self._start_job(v, p, self._new_job_status(p, age), start)
                    p.intention = self._intention(p.status)
                    if rng.random() < 0.3:
                        p.remarks = (p.remarks + " 新增").strip()


_CHECK = "10X98765432"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@functools.lru_cache(maxsize=65536)
def _weighted_sum(digits: str, offset: int = 0) -> int:
    """The GB 11643 weighted sum of some digits at a position (cached: areas and birthdays repeat)."""
    return sum(int(c) * _WEIGHTS[offset + i] for i, c in enumerate(digits))


def _hundreds(x: float) -> int:
    """Incomes are written in round hundreds."""
    return round(x / 100) * 100


def _typo(rng: random.Random, id18: str) -> str:
    """One mistyped digit of the sequence code (the check digit then fails)."""
    i = rng.choice((14, 15))
    d = str((int(id18[i]) + rng.randint(1, 9)) % 10)
    return id18[:i] + d + id18[i + 1 :]


def _homophone(name: str) -> str | None:
    """The same name with one given-name character replaced by a same-sounding one (张丽 → 张莉).

    The table holds only characters whose toneless pinyin is unambiguous, so the names
    sound the same to ``laborcli.identity.names.name_pinyin`` (checked by the tests).
    """
    for i in range(len(name) - 1, 0, -1):
        alt = _HOMOPHONES.get(name[i])
        if alt:
            return name[:i] + alt + name[i + 1 :]
    return None


# --------------------------------------------------------------------------------------
# Rows


def _yesno(style: _Style, v: bool | None) -> str | None:
    if v is None:
        return None
    return style.yes if v else (style.no or None)


def _row(p: _Person, style: _Style, v: VillagePlan, c: _Copy | None) -> list[SheetCell]:
    """The standard-order cells of a person's row (before the village's column choice)."""
    status = style.status_alias.get(p.status, p.status)
    transferred = p.status in _TRANSFERRED
    outside = p.status == "县外务工"
    return [
        v.township,
        v.village,
        c.group if c else p.group,
        c.household if c else p.household,
        c.relation if c else p.relation,
        c.hh_size if c else p.hh_size,
        c.name if c else p.name,
        c.id_cell if c else p.id_cell,
        p.gender_cell,
        c.birth_cell if c else p.birth_cell,
        p.ethnicity,
        p.education,
        p.phone_cell,
        _yesno(style, p.poor),
        _yesno(style, p.relocated),
        _yesno(style, p.monitored),
        p.capacity,
        p.skills or None,
        p.training or None,
        p.intention or None,
        status,
        p.place or None,
        p.employer or None,
        p.start_cell if transferred else None,
        p.income_cell if transferred else None,
        _yesno(style, p.organised) if outside else (style.no or None) if transferred else None,
        (p.organiser or None) if outside else None,
        p.remarks or None,
    ]


def _inject_error(rng: random.Random, code: str, row: list[SheetCell], p: _Person, fmt: Fmt) -> bool:
    """Spoil one cell of a standard-order row so that the import reports ``code``; False if unfit."""
    if code == "status-unknown":
        row[_COL["employment_status"]] = rng.choice(("打工", "在家", "外出", "上学", "待定", "务工"))
    elif code == "status-missing":
        row[_COL["employment_status"]] = None
    elif code == "date-unreadable":
        if p.status in _TRANSFERRED and row[_COL["job_start"]] is not None:
            row[_COL["job_start"]] = rng.choice(("2025.13.2", "2024年", "去年3月", "2024.2.30", "3月份"))
        elif row[_COL["birth_date"]] is not None:
            y = p.birth.year
            row[_COL["birth_date"]] = rng.choice((f"{y}.13.5", f"{y % 100}年{p.birth.month}月", f"{y}.2.31"))
        else:
            return False
    elif code == "id-stored-as-number":
        if not p.id18.isdigit() or row[_COL["birth_date"]] is None:
            return False
        n = float(f"{float(p.id18):.14e}")  # Excel keeps 15 significant digits
        row[_COL["id_number"]] = n if fmt == "xlsx" else f"{n:.5E}"
    elif code == "income-invalid":
        if row[_COL["monthly_income"]] is None:
            return False
        row[_COL["monthly_income"]] = rng.choice(("面议", "4500-5000", "约三千", "计件"))
    return True


# --------------------------------------------------------------------------------------
# Summary


@dataclass(slots=True)
class MonthSummary:
    """What one month's files hold, and what importing them must report."""

    month: str
    as_of: dt.date
    files: int = 0
    rows: int = 0  # data rows written, duplicates and faulty rows included
    rows_rejected: int = 0  # rows the import must reject (injected errors)
    problems: dict[str, int] = field(default_factory=dict)  # problem code -> count expected
    persons_counted: int = 0  # distinct persons the registry counts after importing this month
    persons_lost: int = 0  # real persons whose only row this month was rejected
    unverified_copies: int = 0  # imported second listings without a valid ID (counted twice)
    labour_force: int = 0  # the truth, over real persons (16-60, able, not students/conscripts)
    transferred: int = 0
    outside_county: int = 0
    organised_outside: int = 0
    households: int = 0  # households with labour
    zero_employment_households: int = 0
    new_transfers: int = 0  # transferred labour whose 务工开始时间 is in the month's year

    def add(self, other: MonthSummary) -> None:
        """Add a township's counts."""
        for k in (
            "files",
            "rows",
            "rows_rejected",
            "persons_counted",
            "persons_lost",
            "unverified_copies",
            "labour_force",
            "transferred",
            "outside_county",
            "organised_outside",
            "households",
            "zero_employment_households",
            "new_transfers",
        ):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        c = Counter(self.problems)
        c.update(other.problems)
        self.problems = dict(sorted(c.items()))

    @property
    def transfer_rate(self) -> float | None:
        """Transferred / labour force."""
        return self.transferred / self.labour_force if self.labour_force else None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["as_of"] = self.as_of.isoformat()
        d["transfer_rate"] = None if self.transfer_rate is None else round(self.transfer_rate, 4)
        return d


@dataclass(slots=True)
class CountySummary:
    """What ``generate_county`` wrote; identical for the same arguments and seed."""

    out_dir: Path
    county: str
    seed: int
    persons: int  # distinct real persons listed (second listings not counted)
    fmt: str
    messy: bool
    townships: int
    villages: int
    households: int
    months: list[MonthSummary]
    duplicates: dict[str, int]  # kind -> persons listed twice
    files: list[str]  # paths relative to out_dir
    bytes_written: int
    targets_file: str | None = None
    targets_year: int | None = None
    targets: dict[str, int] = field(default_factory=dict)  # "乡镇/村" -> annual target

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (paths as text)."""
        return {
            "out_dir": str(self.out_dir),
            "county": self.county,
            "seed": self.seed,
            "persons": self.persons,
            "format": self.fmt,
            "messy": self.messy,
            "townships": self.townships,
            "villages": self.villages,
            "households": self.households,
            "months": [m.as_json() for m in self.months],
            "duplicates": self.duplicates,
            "files": self.files,
            "bytes_written": self.bytes_written,
            "targets_file": self.targets_file,
            "targets_year": self.targets_year,
            "targets": self.targets,
        }


# --------------------------------------------------------------------------------------
# Generation


@dataclass(frozen=True, slots=True)
class _Job:
    out_dir: Path
    plan: CountyPlan
    township_index: int
    villages: tuple[VillagePlan, ...]
    months: tuple[str, ...]
    seed: int
    messy: bool
    fmt: Fmt
    targets_year: int | None


@dataclass(slots=True)
class _JobResult:
    months: list[MonthSummary]
    files: list[str]
    bytes_written: int
    households: int
    duplicates: dict[str, int]
    new_in_target_year: dict[str, int]


def _run_township(job: _Job) -> _JobResult:
    """Generate, evolve and write one township (runs in a worker process when parallel)."""
    t = _Township(job)
    for vp in job.villages:
        t.villages.append(t.build_village(vp))
    t.add_duplicates()
    rng = t.rng
    files: list[str] = []
    size = 0
    months: list[MonthSummary] = []
    new_in_year: dict[str, int] = {}
    prev: int | None = None
    for month in job.months:
        idx = _month_index(month)
        if prev is not None:
            for step in range(prev + 1, idx + 1):
                y, m = step // 12, step % 12 + 1
                last_day = dt.date(y, m, calendar.monthrange(y, m)[1])
                for v in t.villages:
                    t.evolve(v, m, y, last_day)
        prev = idx
        as_of = _month_end(month)
        ms = MonthSummary(month=month, as_of=as_of)
        valid_ids: set[str] = set()
        for v in t.villages:
            rel, nbytes = _write_village(job, t, v, month, as_of, rng, ms, valid_ids)
            files.append(rel)
            size += nbytes
            ms.files += 1
        ms.persons_counted += len(valid_ids)
        _truth(t, as_of, ms)
        if job.targets_year is not None and month == job.months[-1]:
            for v in t.villages:
                new_in_year[f"{v.plan.township}/{v.plan.village}"] = _new_transfers(
                    v.people, as_of, job.targets_year
                )
        months.append(ms)
    dups = Counter(c.kind for v in t.villages for c in v.copies)
    return _JobResult(
        months=months,
        files=files,
        bytes_written=size,
        households=sum(len(v.households) for v in t.villages),
        duplicates=dict(dups),
        new_in_target_year=new_in_year,
    )


def _in_labour_force(p: _Person, d: dt.date) -> bool:
    return (
        p.status not in _NOT_LF and p.capacity not in _EXCLUDED_CAPACITY and 16 <= _age_at(p.birth, d) <= 60
    )


def _new_transfers(people: Iterable[_Person], d: dt.date, year: int) -> int:
    jan1 = dt.date(year, 1, 1)
    return sum(
        1
        for p in people
        if p.status in _TRANSFERRED
        and p.start is not None
        and jan1 <= p.start <= d
        and _in_labour_force(p, d)
    )


def _truth(t: _Township, d: dt.date, ms: MonthSummary) -> None:
    """The real figures of the month, over real persons (what a perfect sheet would give)."""
    for v in t.villages:
        households: dict[str, bool] = {}
        for p in v.people:
            if not _in_labour_force(p, d):
                continue
            ms.labour_force += 1
            tr = p.status in _TRANSFERRED
            households[p.household] = households.get(p.household, False) or tr
            if tr:
                ms.transferred += 1
                if p.start is not None and dt.date(d.year, 1, 1) <= p.start <= d:
                    ms.new_transfers += 1
            if p.status == "县外务工":
                ms.outside_county += 1
                if p.organised:
                    ms.organised_outside += 1
        ms.households += len(households)
        ms.zero_employment_households += sum(1 for x in households.values() if not x)


def _write_village(
    job: _Job,
    t: _Township,
    v: _Village,
    month: str,
    as_of: dt.date,
    rng: random.Random,
    ms: MonthSummary,
    valid_ids: set[str],
) -> tuple[str, int]:
    """Write one village's sheet for one month; count what the import must find in it."""
    style = v.style
    plan = v.plan
    fmt = job.fmt
    problems: Counter[str] = Counter()
    sel = [_COL[k] if k else -1 for k in style.keys]
    body: list[list[SheetCell]] = []
    lost = 0
    error_rates = ROW_ERRORS if job.messy else {}
    copies_after: dict[int, list[_Copy]] = {}
    tail: list[_Copy] = []
    for c in v.copies:
        if c.kind == "in_sheet":
            copies_after.setdefault(id(c.person), []).append(c)
        else:
            tail.append(c)

    def emit(std: list[SheetCell]) -> None:
        body.append([std[j] if j >= 0 else None for j in sel])

    for p in v.people:
        std = _row(p, style, plan, None)
        code = ""
        if error_rates and not p.quirk and not p.dup:
            r = rng.random()
            for k, rate in error_rates.items():
                if r < rate:
                    code = k
                    break
                r -= rate
            if code and not _inject_error(rng, code, std, p, fmt):
                code = ""
        if code:
            problems[code] += 1
            ms.rows_rejected += 1
            lost += 1
        else:
            if p.id_valid:
                valid_ids.add(p.id18)
            else:
                ms.persons_counted += 1
            q = _QUIRK_CODE.get(p.quirk)
            if q:
                problems[q] += 1
        emit(std)
        for c in copies_after.get(id(p), ()):
            emit(_row(p, style, plan, c))
            problems["id-duplicate-in-sheet"] += 1
    for c in tail:
        emit(_row(c.person, style, plan, c))
        if c.id_valid:
            valid_ids.add(c.person.id18)
        else:
            ms.persons_counted += 1
            ms.unverified_copies += 1
            problems["id-missing" if c.id_cell is None else "id-check-digit"] += 1
    ms.persons_lost += lost
    ms.rows += len(body)
    for k, n in problems.items():
        ms.problems[k] = ms.problems.get(k, 0) + n
    for i, row in enumerate(body):
        if style.keys and style.keys[0] == "":
            row[0] = i + 1
    rows = _decorate(rng, style, plan, job.plan.county, month, body, len(style.keys))
    name = f"{plan.township}_{plan.village}_{month}.{fmt}"
    rel = f"{month}/{name}"
    path = job.out_dir / month / name
    if fmt == "xlsx":
        text_cols = {i for i, k in enumerate(style.keys) if k in ("id_number", "phone", "household_id")}
        merges = [f"A1:{_col_letter(len(style.keys) - 1)}1"] if (style.titles and style.merge_title) else []
        widths = [COLUMNS[_COL[k]][1].__len__() * 2 + 4 if k else 6 for k in style.keys]
        widths = [max(w, 22) if k == "id_number" else w for w, k in zip(widths, style.keys, strict=True)]
        fill = as_of.replace(day=min(25, as_of.day))
        data = xlsx_bytes(rows, sheet="Sheet1", merges=merges, widths=widths, text_cols=text_cols, when=fill)
    else:
        data = csv_bytes(rows, style.encoding)
    path.write_bytes(data)
    return rel, len(data)


def _decorate(
    rng: random.Random,
    style: _Style,
    plan: VillagePlan,
    county: str,
    month: str,
    body: list[list[SheetCell]],
    ncols: int,
) -> list[list[SheetCell]]:
    """Title rows above the header, blank rows among the data, a totals row and a footer below."""
    y, m = month.split("-")
    rows: list[list[SheetCell]] = []
    if style.titles >= 1:
        rows.append([f"{county}{plan.township}{plan.village}劳动力信息统计表({y}年{int(m)}月)"])
    if style.titles >= 2:
        line: list[SheetCell] = [None] * ncols
        line[0] = f"填报单位:{plan.village}村民委员会"
        line[min(ncols - 1, 8)] = f"填报日期:{y}年{int(m)}月25日"
        rows.append(line)
    rows.append(list(style.headers))
    data = list(body)
    if style.blank_rows and rng.random() < style.blank_rows and len(data) > 4:
        for _ in range(rng.randint(1, 2)):
            data.insert(rng.randrange(1, len(data)), [])
    rows.extend(data)
    if style.totals and rng.random() < style.totals:
        tot: list[SheetCell] = [None] * ncols
        tot[0] = "合计"
        name_i = style.keys.index("name")
        tot[name_i] = f"{len(body)}人"
        rows.append(tot)
    if style.footer and rng.random() < style.footer:
        foot: list[SheetCell] = [None] * ncols
        foot[0] = "填报人:" + rng.choice(_SURNAMES) + rng.choice(_MALE_CHARS)
        foot[3] = "审核人:" + rng.choice(_SURNAMES) + rng.choice(_MALE_CHARS)
        foot[min(ncols - 1, 10)] = f"填报日期:{y}年{int(m)}月25日"
        rows.extend([[], foot])
    return rows


def _write_targets(
    out_dir: Path, plan: CountyPlan, year: int, new: dict[str, int], seed: int, fmt: Fmt
) -> tuple[str, dict[str, int], int]:
    """The county's annual targets per village (年度转移就业任务数), near what each will achieve."""
    rng = random.Random(f"{seed}/targets/{year}")
    targets: dict[str, int] = {}
    rows: list[list[SheetCell]] = [
        [f"{plan.county}{year}年度农村劳动力转移就业目标任务分解表"],
        ["序号", "乡镇(街道)", "村(社区)", "年度任务数", "备注"],
    ]
    for i, v in enumerate(plan.villages, start=1):
        key = f"{v.township}/{v.village}"
        base = new.get(key, 0)
        target = max(5, round(base * rng.uniform(0.85, 1.25) / 5.0) * 5)
        targets[key] = target
        rows.append([i, v.township, v.village, target, None])
    rows.append([None, "合计", None, sum(targets.values()), None])
    # Issued in January; the month in the name lets `laborcli import` take the whole folder
    # (it reports this file as having no village-sheet header) instead of refusing it.
    name = f"{year}年1月_年度转移就业任务.{fmt}"
    if fmt == "xlsx":
        data = xlsx_bytes(
            rows, sheet="任务分解", merges=["A1:E1"], widths=[6, 14, 14, 12, 16], when=dt.date(year, 1, 10)
        )
    else:
        data = csv_bytes(rows, "utf-8-sig")
    (out_dir / name).write_bytes(data)
    return name, targets, len(data)


def generate_county(
    out_dir: Path,
    persons: int,
    months: Sequence[str] | int,
    seed: int = 0,
    messy: bool = True,
    fmt: Fmt = "xlsx",
    *,
    last: str | None = None,
    targets: bool = False,
    townships: int | None = None,
    villages: int | None = None,
    workers: int | None = None,
    on_file: Callable[[int], None] | None = None,
) -> CountySummary:
    """Write ``out_dir/<YYYY-MM>/<乡镇>_<村>_<YYYY-MM>.<fmt>`` for every village and month.

    The month in each file name is what ``laborcli import`` takes as the as-of date (the
    month's last day). ``months`` is a list of YYYY-MM or a count of months ending with
    ``last``. With ``targets`` a targets sheet for the last month's year is written as
    ``out_dir/<YYYY>年1月_年度转移就业任务.<fmt>`` (for ``laborcli targets import --year``). Townships
    are written by ``workers`` processes (default: one per CPU for 50,000 persons or
    more, else one); the files are the same whatever the number. ``on_file(n)`` is
    called as files are written, with how many were just written.
    """
    if fmt not in ("xlsx", "csv"):
        raise UsageError(pick(f"不支持的格式: {fmt} (xlsx 或 csv)", f"unknown format {fmt}: xlsx or csv"))
    month_names = month_list(months, last)
    plan = plan_county(persons, seed, townships=townships, villages=villages)
    out_dir.mkdir(parents=True, exist_ok=True)
    for m in month_names:
        (out_dir / m).mkdir(exist_ok=True)
    target_year = int(month_names[-1][:4]) if targets else None
    jobs = [
        _Job(
            out_dir=out_dir,
            plan=plan,
            township_index=ti,
            villages=tuple(v for v in plan.villages if v.township_index == ti),
            months=tuple(month_names),
            seed=seed,
            messy=messy,
            fmt=fmt,
            targets_year=target_year,
        )
        for ti in range(len(plan.townships))
    ]
    results: list[_JobResult] = []
    if workers is None:
        workers = (os.cpu_count() or 1) if persons >= 50_000 else 1
    if workers > 1 and len(jobs) > 1:
        ctx = multiprocessing.get_context(_start_method())
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
            for r in pool.map(_run_township, jobs):
                results.append(r)
                if on_file:
                    on_file(len(r.files))
    else:
        for job in jobs:
            r = _run_township(job)
            results.append(r)
            if on_file:
                on_file(len(r.files))
    month_sums = [MonthSummary(month=m, as_of=_month_end(m)) for m in month_names]
    dups: Counter[str] = Counter()
    new_in_year: dict[str, int] = {}
    files: list[str] = []
    size = 0
    for r in results:
        for total, part in zip(month_sums, r.months, strict=True):
            total.add(part)
        dups.update(r.duplicates)
        new_in_year.update(r.new_in_target_year)
        files.extend(r.files)
        size += r.bytes_written
    summary = CountySummary(
        out_dir=out_dir,
        county=plan.county,
        seed=seed,
        persons=persons,
        fmt=fmt,
        messy=messy,
        townships=len(plan.townships),
        villages=len(plan.villages),
        households=sum(r.households for r in results),
        months=month_sums,
        duplicates={k: dups.get(k, 0) for k in DUPLICATES},
        files=sorted(files),
        bytes_written=size,
    )
    if target_year is not None:
        name, tg, nbytes = _write_targets(out_dir, plan, target_year, new_in_year, seed, fmt)
        summary.targets_file, summary.targets_year, summary.targets = name, target_year, tg
        summary.bytes_written += nbytes
        if on_file:
            on_file(1)
    return summary


def _start_method() -> str:
    """fork where it is safe (Linux, no other thread), else spawn.

    fork is cheap and works from any script; but a thread of the caller (a progress bar)
    may hold the stderr lock at the fork, and the child flushes stderr on exit. spawn
    re-imports the caller's main module, which is safe for the ``laborcli`` command.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def count_files(
    persons: int,
    months: Sequence[str] | int,
    *,
    last: str | None = None,
    targets: bool = False,
    townships: int | None = None,
    villages: int | None = None,
    seed: int = 0,
) -> int:
    """How many files ``generate_county`` will write with these arguments (for progress bars)."""
    plan = plan_county(persons, seed, townships=townships, villages=villages)
    return len(plan.villages) * len(month_list(months, last)) + (1 if targets else 0)


# --------------------------------------------------------------------------------------
# Writers


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


_LETTERS = [_col_letter(i) for i in range(128)]
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = "http://schemas.openxmlformats.org"
_CONTENT_TYPES = (
    _XML + f'<Types xmlns="{_NS}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_NS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    _XML + f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" '
    f'xmlns:r="{_NS}/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_NS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_NS}/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
# Cell styles: 0 general, 1 date (yyyy-mm-dd), 2 text (@, as the template formats ID columns).
_STYLES = (
    _XML + f'<styleSheet xmlns="{_NS}/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


_ROW = "\x00"  # stands for the row number in cached cells (XML text can never contain it)


class _Cells(dict[SheetCell, str]):
    """Per column: value -> its whole cell element, with ``_ROW`` where the row number goes."""

    def __init__(self, letter: str, text: bool, sst: dict[str, int]) -> None:
        super().__init__()
        self.head = f'<c r="{letter}{_ROW}'
        self.text = text  # string cells formatted as text (@), as the template's ID column
        self.sst = sst

    def __missing__(self, v: SheetCell) -> str:
        if isinstance(v, str):
            if not v:
                out = f'{self.head}"/>'
            else:
                k = self.sst.get(v)
                if k is None:
                    k = self.sst[v] = len(self.sst)
                style = ' s="2"' if self.text else ""
                out = f'{self.head}"{style} t="s"><v>{k}</v></c>'
        elif isinstance(v, bool):
            raise TypeError("boolean cell")
        elif isinstance(v, int | float):
            out = f'{self.head}"><v>{v!r}</v></c>'
        elif isinstance(v, dt.date):
            out = f'{self.head}" s="1"><v>{(v - _EXCEL_EPOCH).days}</v></c>'
        else:
            raise TypeError(f"cell of type {type(v).__name__}")
        self[v] = out
        return out


def xlsx_bytes(
    rows: Sequence[Sequence[SheetCell]],
    *,
    sheet: str = "Sheet1",
    merges: Sequence[str] = (),
    widths: Sequence[float] = (),
    text_cols: Iterable[int] = (),
    when: dt.date = dt.date(2026, 1, 1),
) -> bytes:
    """A one-sheet .xlsx: text as shared strings (so IDs stay text), dates as date cells.

    Empty rows are left out (a reader sees them as blank rows); ``when`` is the time stamp
    stored in the zip, fixed so that the same rows always give the same bytes.
    """
    sst: dict[str, int] = {}
    text = frozenset(text_cols)
    parts = [_XML, f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main">']
    if widths:
        parts.append("<cols>")
        parts.extend(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1)
        )
        parts.append("</cols>")
    parts.append("<sheetData>")
    ap = parts.append
    # A cell's element depends only on its column, its value and the row number, so each
    # column caches it per value (statuses, yes/no marks and places repeat all sheet long)
    # with a placeholder for the row number, filled in once per row.
    ncols = max((len(r) for r in rows), default=0)
    columns = [_Cells(_LETTERS[j], j in text, sst) for j in range(ncols)]
    for r, row in enumerate(rows, start=1):
        if row:
            cells = "".join([c[v] for c, v in zip(columns, row, strict=False) if v is not None])
            ap(f'<row r="{_ROW}">{cells}</row>'.replace(_ROW, str(r)))
    ap("</sheetData>")
    if merges:
        ap(f'<mergeCells count="{len(merges)}">')
        parts.extend(f'<mergeCell ref="{m}"/>' for m in merges)
        ap("</mergeCells>")
    ap("</worksheet>")
    strings = [
        _XML,
        f'<sst xmlns="{_NS}/spreadsheetml/2006/main" count="{len(sst)}" uniqueCount="{len(sst)}">',
    ]
    strings.extend(
        f'<si><t xml:space="preserve">{escape(s) if ("&" in s or "<" in s or ">" in s) else s}</t></si>'
        for s in sst
    )
    strings.append("</sst>")
    stamp = (when.year, when.month, when.day, 9, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _WORKBOOK.replace("{name}", escape(sheet, {'"': "&quot;"}))),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
            ("xl/worksheets/sheet1.xml", "".join(parts)),
            ("xl/sharedStrings.xml", "".join(strings)),
        ):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body.encode("utf-8"), compresslevel=1)
    return buf.getvalue()


def _csv_text(v: SheetCell) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else str(v)
    return str(v)


def csv_bytes(rows: Sequence[Sequence[SheetCell]], encoding: str = "utf-8-sig") -> bytes:
    """CSV as Excel saves it (CRLF), in UTF-8 with a BOM or GB18030; empty rows as blank lines.

    Cells pass through ``csv_safe`` like every CSV the tool writes (none of the generated
    values starts like a formula, so nothing changes).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow([csv_safe(_csv_text(v)) for v in row])
    return buf.getvalue().encode(encoding)
