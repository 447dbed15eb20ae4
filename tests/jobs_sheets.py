"""Building demand sheets and the village of the matching tests (hand-computed scores)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from tests.sheets import HEADER, person, write_xlsx

DEMAND_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "联系人",
    "联系电话",
    "岗位名称",
    "工种",
    "需求人数",
    "工作地点",
    "岗位区域",
    "月薪(元)",
    "年龄要求",
    "性别要求",
    "文化程度要求",
    "技能要求",
    "是否包吃住",
    "登记日期",
    "有效期至",
]
# Valid GB 32100 codes (check character computed), and one with a wrong check character.
GOOD_CODE = "91530627647681863X"
GOOD_CODE_2 = "91530627127704451D"
BAD_CODE = "915306272253591021"


def demand(
    company: str,
    job: str,
    *,
    trade: str = "",
    openings: object = 1,
    place: str = "浙江省宁波市",
    region: str = "县外",
    wage: object = "4500-6000",
    age: str = "",
    gender: str = "",
    education: str = "",
    registered: object = dt.date(2026, 10, 1),
    until: object = "",
    code: str = "",
) -> dict[str, object]:
    """One row of a demand sheet as {header: value}."""
    return {
        "企业名称": company,
        "统一社会信用代码": code,
        "联系人": "王经理",
        "联系电话": "13800001111",
        "岗位名称": job,
        "工种": trade,
        "需求人数": openings,
        "工作地点": place,
        "岗位区域": region,
        "月薪(元)": wage,
        "年龄要求": age,
        "性别要求": gender,
        "文化程度要求": education,
        "技能要求": "",
        "是否包吃住": "是",
        "登记日期": registered,
        "有效期至": until,
    }


def write_demand(
    path: Path,
    rows: Sequence[dict[str, object]],
    *,
    headers: Sequence[str] = DEMAND_HEADERS,
    rename: dict[str, str] | None = None,
    title: str | None = None,
) -> Path:
    """A demand sheet (.xlsx), with a title row when given."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append([title])
    ws.append([(rename or {}).get(h, h) for h in headers])
    for r in rows:
        ws.append([r.get(h, "") for h in headers])
    wb.save(path)
    return path


def villager(
    name: str,
    birth: dt.date | None,
    household: str,
    *,
    seq: int,
    intention: str = "县外务工",
    status: str = "务农",
    education: str = "初中",
    skills: str = "",
    male: bool = True,
    poor: str = "否",
    employer: str = "",
) -> dict[str, object]:
    """A row of 甲镇/一村 with the matching columns filled in; no birth date: age unknown."""
    row = person(
        name, birth or dt.date(1990, 1, 1), status=status, male=male, seq=seq, household=household, poor=poor
    )
    if birth is None:
        row[HEADER["id_number"]] = ""
        row[HEADER["birth_date"]] = ""
    row[HEADER["job_intention"]] = intention
    row[HEADER["education"]] = education
    row[HEADER["skills"]] = skills
    row[HEADER["employer"]] = employer
    return row


def village_people(c_employer: str = "", c_status: str = "务农") -> list[dict[str, object]]:
    """The village of the matching tests (ages at 2026-11-30)."""
    return [
        # 甲: exactly 45, 电焊 (an alias of 焊工), poor, alone: a zero-employment household.
        villager("甲", dt.date(1981, 11, 30), "H001", seq=1, skills="电焊", poor="是"),
        # 乙: 46, one day too old for 45周岁以下.
        villager("乙", dt.date(1980, 11, 29), "H002", seq=2),
        # 丙: no ID, no birth date (age unknown), 氩弧焊 (焊工 by the county's words); 丁 of his
        # household works, so it is no zero-employment household.
        villager("丙", None, "H003", seq=3, skills="氩弧焊", status=c_status, employer=c_employer),
        villager("丁", dt.date(1990, 5, 5), "H003", seq=4, status="县外务工"),
        # 戊: 小学, below 初中.
        villager("戊", dt.date(1996, 1, 1), "H004", seq=5, education="小学"),
        # 己: education not given, no intention stated, 喷涂喷焊工 (same 中类 as 焊工).
        villager("己", dt.date(1996, 2, 2), "H005", seq=6, education="", intention="", skills="喷涂喷焊工"),
        # 庚: wants work in the county, 钢筋工 (same 小类 as 砌筑工).
        villager("庚", dt.date(1996, 3, 3), "H006", seq=7, intention="县内务工", skills="钢筋工"),
        villager("辛", dt.date(1996, 4, 4), "H007", seq=8, intention="暂无意愿"),
        villager("壬", dt.date(1996, 5, 5), "H008", seq=9, intention="自主创业"),
        # 癸: a woman, 焊工, for a job asking for men (shown, never a filter).
        villager("癸", dt.date(1996, 6, 6), "H009", seq=10, skills="焊工", male=False),
    ]


def write_village(folder: Path, month: str = "2026-11", **kw: str) -> Path:
    """The village's sheet of a month."""
    return write_xlsx(folder / f"甲镇_一村_{month}.xlsx", village_people(**kw))


WELD = "浙江宁海汇丰电子有限公司"


def demand_rows() -> list[dict[str, object]]:
    """J1 县外 焊工 45周岁以下 初中 男 (2026-11-01); J2 县内 砌筑工; J3 expired; J4 not yet
    open; J5 县外 电焊工, registered earlier than J1."""
    return [
        demand(
            "昆明城投建设集团有限公司",
            "焊工",
            trade="焊工",
            age="45周岁以下",
            gender="男",
            education="初中",
            registered=dt.date(2026, 11, 1),
            code=GOOD_CODE_2,
        ),
        demand(
            "镇雄县乌峰建筑有限公司",
            "砌筑工",
            trade="砌筑工",
            region="县内",
            place="镇雄县乌峰街道",
            wage=2800,
        ),
        demand("宁波北仑港物流有限公司", "理货员", until=dt.date(2026, 11, 29)),
        demand("广州白云机场地勤服务有限公司", "行李搬运工", registered=dt.date(2026, 12, 3)),
        demand(WELD, "电焊工", trade="电焊工", code=GOOD_CODE),
    ]
