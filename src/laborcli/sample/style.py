"""How a village writes its sheet: columns, headers, date and number forms, yes/no marks.

A village keeps its style from month to month (it copies last month's sheet), so the
style is drawn once per village.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from laborcli.sample.draws import Pick, weighted
from laborcli.sample.places import cn_number
from laborcli.sample.standard import standard
from laborcli.sample.writers import Fmt, SheetCell

# Aliases a village may type instead of a column's standard header: fault data, a subset
# of each column's aliases in schemas/village_sheet.toml (the tests hold them to it).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "township": ("乡镇", "乡(镇)", "乡镇街道"),
    "village": ("村", "行政村", "村(居)"),
    "group": ("组", "小组", "村小组"),
    "household_id": ("户号", "家庭编号"),
    "relation": ("关系",),
    "household_size": ("家庭人口", "户人口数"),
    "name": ("劳动力姓名",),
    "id_number": ("身份证号", "公民身份号码", "证件号码"),
    "birth_date": ("出生年月",),
    "education": ("学历",),
    "phone": ("手机号码", "手机号", "联系方式"),
    "poor_household": ("建档立卡贫困户", "脱贫户"),
    "relocated": ("易地扶贫搬迁户", "搬迁户"),
    "monitored": ("防返贫监测对象", "监测户"),
    "skills": ("技能", "专业技能"),
    "training_wish": ("培训需求",),
    "job_intention": ("务工意愿",),
    "employment_status": ("就业情况", "务工状态"),
    "work_place": ("就业地点", "务工地址"),
    "employer": ("务工单位", "工作单位"),
    "job_start": ("外出时间", "务工时间"),
    "monthly_income": ("月收入", "月均收入", "月工资"),
    "organised": ("组织化输出", "有组织输出"),
    "organiser": ("带头人", "劳务经纪人"),
}
# Columns a village may leave out of its sheet without changing any figure.
_DROPPABLE = ("monitored", "training_wish", "job_intention", "organiser", "remarks", "skills")


@dataclass(slots=True)
class Style:
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
FULL_DATE_STYLES = frozenset(("date", "dot", "iso", "slash", "cn", "compact", "serial"))

BIRTH_STYLE_PICK = Pick(_BIRTH_STYLES)
JOB_STYLE_PICK = Pick(_JOB_STYLES)


# Every form of a date that villages type and the import reads.
_DATE_FORMS: dict[str, Callable[[dt.date], SheetCell]] = {
    "date": lambda d: d,
    "iso": dt.date.isoformat,
    "dot": lambda d: f"{d.year}.{d.month}.{d.day}",
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "cn": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "ym": lambda d: f"{d.year}{d.month:02d}",
    "ym_dot": lambda d: f"{d.year}.{d.month:02d}",
    "cn_ym": lambda d: f"{d.year}年{d.month}月",
    "compact": lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    "serial": lambda d: (d - dt.date(1899, 12, 30)).days,
}


def date_text(d: dt.date, style: str) -> SheetCell:
    """A date as a village writes it (all forms that the import reads)."""
    try:
        form = _DATE_FORMS[style]
    except KeyError:
        raise ValueError(style) from None
    return form(d)


def make_style(rng: random.Random, messy: bool, fmt: Fmt) -> Style:
    """A village's style: the template's when clean, else columns, headers and forms of its own."""
    std = standard()
    keys = list(std.keys)
    headers = [std.headers[k] for k in keys]
    if not messy:
        return Style(
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
        aliases = HEADER_ALIASES.get(k, ())
        if aliases and rng.random() < 0.08:
            headers[i] = rng.choice(aliases)
        elif rng.random() < 0.015:
            h = headers[i]
            headers[i] = (h[:2] + "\n" + h[2:]) if len(h) > 3 else f" {h} "
    if rng.random() < 0.5:
        keys.insert(0, "")
        headers.insert(0, "序号")
    yesno = weighted(rng, (("是/否", 75), ("是/", 10), ("√/", 5), ("Y/N", 5), ("1/0", 5)))
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
    return Style(
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
        birth_style=weighted(rng, [(k, w) for k, w in _BIRTH_STYLES if k != "serial"]),
        job_style=weighted(rng, _JOB_STYLES),
        income_style=weighted(rng, (("int", 70), ("yuan", 12), ("comma", 10), ("float", 8))),
        lower_x=rng.random() < 0.3,
        phone_numbers=rng.random() < 0.15 and fmt == "xlsx",  # same draws for every format
        group_style=weighted(rng, (("n组", 80), ("第n组", 10), ("cn组", 10))),
        encoding="gb18030" if rng.random() < 0.25 else "utf-8-sig",
    )


def group_label(style: Style, n: int) -> str:
    """The villager group's name as the village writes it (3组, 第3组, 三组)."""
    if style.group_style == "第n组":
        return f"第{n}组"
    if style.group_style == "cn组":
        return f"{cn_number(n)}组"
    return f"{n}组"


def income_cell(v: int | None, style: str) -> SheetCell:
    """A monthly income as the village writes it (4500, 4500元, 4,500, 4500.0)."""
    if v is None:
        return None
    if style == "yuan":
        return f"{v}元"
    if style == "comma":
        return f"{v:,}"
    if style == "float":
        return float(v)
    return v


def yesno(style: Style, v: bool | None) -> str | None:
    """A yes/no flag in the village's marks; no mark when unknown (or when the village leaves "no" blank)."""
    if v is None:
        return None
    return style.yes if v else (style.no or None)
