"""Statuses and jobs: who works where, for whom, since when and for how much."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from laborcli.sample.draws import Pick
from laborcli.sample.people import person_name
from laborcli.sample.style import JOB_STYLE_PICK, date_text, income_cell

if TYPE_CHECKING:
    from laborcli.sample.people import Person
    from laborcli.sample.township import Township
    from laborcli.sample.villages import Village

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

_START_MONTH_WEIGHTS = (6, 25, 20, 8, 6, 5, 6, 6, 6, 6, 4, 2)


def _status_table(base: Sequence[tuple[str, float]], poor: bool) -> Pick[str]:
    """Status weights; poor households get more public-welfare posts and workshop jobs."""
    mult = {"公益性岗位": 2.5, "扶贫车间": 2.0} if poor else {}
    return Pick((k, w * mult.get(k, 1.0)) for k, w in base)


_STATUS_ELDERLY = Pick(
    (("务农", 65), ("其他", 15), ("未就业", 8), ("县内务工", 4), ("灵活就业", 5), ("县外务工", 3))
)
_STATUS_EXCLUDED = Pick((("务农", 40), ("其他", 35), ("未就业", 25)))
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
    (young, poor): Pick(
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
_INTENTION_IDLE = Pick((("县外务工", 30), ("县内务工", 30), ("公益性岗位", 10), ("暂无意愿", 20), ("", 10)))

_START_MONTH_PICKS = [Pick(zip(range(1, m + 1), _START_MONTH_WEIGHTS[:m], strict=True)) for m in range(1, 13)]

_IN_PROVINCE_PICK = Pick(_IN_PROVINCE)
_OUT_PROVINCE_PICK = Pick(_OUT_PROVINCE)


def _hundreds(x: float) -> int:
    """Incomes are written in round hundreds."""
    return round(x / 100) * 100


def organisers(t: Township) -> list[str]:
    """Who organises the township's outside work: two labour-service firms and three leaders."""
    rng = t.rng
    county = t.plan.county
    firms = [
        f"{county}{rng.pick(_FIRM_WORDS)}{rng.pick(_FIRM_WORDS)}劳务服务有限公司",
        f"{county}人力资源服务中心",
    ]
    leaders = [person_name(t, True) for _ in range(3)]
    return firms + leaders


def initial_status(t: Township, age: int, male: bool, capacity: str, poor: bool) -> str:
    """A person's status in the first month, by age, capacity and poverty."""
    rng = t.rng
    if age < 16 or (age <= 18 and rng.random() < 0.8) or (age <= 22 and rng.random() < 0.3):
        return "在校学生"
    if male and 18 <= age <= 24 and rng.random() < 0.02:
        return "服兵役"
    if age > 60:
        return _STATUS_ELDERLY(rng)
    if capacity in t.std.excluded_capacity:
        return _STATUS_EXCLUDED(rng)
    band = "weak" if capacity in ("弱劳动力", "半劳动力") else "young" if age <= 45 else "middle"
    return _STATUS_PICKS[band, poor](rng)


def initial_start(t: Township, age: int) -> dt.date | None:
    """When the current job began: this year for many (after the Spring Festival)."""
    rng = t.rng
    a = t.as_of0
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


def intention(t: Township, status: str) -> str:
    """就业意愿: mostly the job a worker has, else what an idle labourer hopes for."""
    rng = t.rng
    if status in ("县外务工", "县内务工", "公益性岗位", "自主创业"):
        return status if rng.random() < 0.9 else "暂无意愿"
    if status in t.std.transferred:
        return "县内务工" if rng.random() < 0.5 else "县外务工"
    if status in t.std.not_labour_force:
        return "" if rng.random() < 0.7 else "暂无意愿"
    return _INTENTION_IDLE(rng)


def _firms_at(t: Township, place: str) -> list[str]:
    """The township's employers at a destination: fellow villagers cluster in a few firms."""
    firms = t.firm_pool.get(place)
    if firms is None:
        rng = t.rng
        short = _PLACE_SHORT[place]
        firms = [
            f"{short}{rng.pick(_FIRM_WORDS)}{rng.pick(_FIRM_WORDS)}{rng.pick(_FIRM_KINDS)}" for _ in range(6)
        ]
        firms.append("")  # employer not written down
        t.firm_pool[place] = firms
    return firms


def _local_jobs(t: Township, v: Village) -> dict[str, tuple[str, ...]]:
    """Places and employers of jobs inside the county, per village (computed once)."""
    jobs = t.local.get(v.plan.code)
    if jobs is None:
        rng = t.rng
        county, tname, vname = t.plan.county, v.plan.township, v.plan.village
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
        t.local[v.plan.code] = jobs
    return jobs


def start_job(t: Township, v: Village, p: Person, status: str, start: dt.date | None) -> None:
    """Give ``p`` a job with that status: place, employer, income, organiser, start date."""
    rng = t.rng
    p.status = status
    p.organised, p.organiser, p.remarks = False, "", ""
    if status == "县外务工":
        place = (_IN_PROVINCE_PICK if rng.random() < 0.25 else _OUT_PROVINCE_PICK)(rng)
        p.place = place
        p.employer = rng.pick(_firms_at(t, place))
        p.income = _hundreds(min(15000, max(2500, rng.gauss(5200, 1300))))
        if rng.random() < 0.38:
            p.organised = True
            p.organiser = rng.pick(t.organisers)
    else:
        jobs = _local_jobs(t, v)
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
    p.income_cell = income_cell(p.income, style.income_style if rng.random() < 0.9 else "int")
    p.start = start
    if start is None:
        p.start_cell = None
    else:
        deviate = rng.random() >= 0.9 and t.job.messy
        p.start_cell = date_text(start, JOB_STYLE_PICK(rng) if deviate else style.job_style)


def stop_job(t: Township, p: Person) -> None:
    """``p`` comes home: back to farming or without work, the job's cells cleared."""
    rng = t.rng
    p.status = "务农" if rng.random() < 0.6 else "未就业"
    p.place = p.employer = p.organiser = ""
    p.organised = None
    p.start, p.start_cell = None, None
    p.income, p.income_cell = None, None
    p.remarks = "返乡" if rng.random() < 0.5 else ""


def new_job_status(t: Township, p: Person, age: int) -> str:
    """The kind of job an idle labourer takes (the young mostly leave the county)."""
    return _NEW_JOB_PICKS[age <= 45, p.poor](t.rng)
