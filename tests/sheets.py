"""Building village sheets inside tests (xlsx, csv in any encoding), never committed blobs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from laborcli.sheets.idcard import check_digit

STANDARD = [
    "乡镇(街道)",
    "村(社区)",
    "村民小组",
    "户编号",
    "与户主关系",
    "家庭人口数",
    "姓名",
    "身份证号码",
    "性别",
    "出生日期",
    "民族",
    "文化程度",
    "联系电话",
    "是否脱贫户",
    "是否易地搬迁户",
    "是否监测对象",
    "劳动能力",
    "技能特长",
    "培训意愿",
    "就业意愿",
    "就业状态",
    "务工地点",
    "就业单位",
    "务工开始时间",
    "月收入(元)",
    "是否组织化输出",
    "输出组织者",
    "备注",
]


def make_id(birth: dt.date, seq: int = 1, male: bool = True, area: str = "530627") -> str:
    """A valid 18-digit ID for a birth date; the 17th digit carries the gender."""
    s3 = f"{seq % 50:02d}" + str((1 if male else 0) + 2 * (seq % 5))[-1]
    if (int(s3[-1]) % 2 == 1) != male:
        s3 = s3[:2] + str((int(s3[-1]) + 1) % 10)
    body = f"{area}{birth:%Y%m%d}{s3}"
    return body + check_digit(body)


def person(
    name: str,
    birth: dt.date,
    *,
    status: str = "县外务工",
    male: bool = True,
    seq: int = 1,
    township: str = "甲镇",
    village: str = "一村",
    group: str = "1组",
    household: str = "H001",
    poor: str = "否",
    relocated: str = "否",
    capacity: str = "普通劳动力",
    organised: str = "",
    job_start: object = "",
    income: object = "",
    phone: object = "",
    id_number: object | None = None,
    relation: str = "户主",
    gender: str | None = None,
    birth_cell: object | None = None,
) -> dict[str, object]:
    """One row of a standard sheet as {header: value}."""
    return {
        "乡镇(街道)": township,
        "村(社区)": village,
        "村民小组": group,
        "户编号": household,
        "与户主关系": relation,
        "家庭人口数": 1,
        "姓名": name,
        "身份证号码": make_id(birth, seq, male) if id_number is None else id_number,
        "性别": gender if gender is not None else ("男" if male else "女"),
        "出生日期": birth if birth_cell is None else birth_cell,
        "民族": "汉族",
        "文化程度": "初中",
        "联系电话": phone,
        "是否脱贫户": poor,
        "是否易地搬迁户": relocated,
        "是否监测对象": "否",
        "劳动能力": capacity,
        "技能特长": "",
        "培训意愿": "",
        "就业意愿": "",
        "就业状态": status,
        "务工地点": "",
        "就业单位": "",
        "务工开始时间": job_start,
        "月收入(元)": income,
        "是否组织化输出": organised,
        "输出组织者": "",
        "备注": "",
    }


def write_xlsx(
    path: Path,
    people: Sequence[dict[str, object]],
    *,
    headers: Sequence[str] = STANDARD,
    title_rows: Sequence[Sequence[object]] = (),
    sheet: str = "Sheet1",
    extra_rows: Sequence[Sequence[object]] = (),
    rename: dict[str, str] | None = None,
) -> Path:
    """An .xlsx with optional title rows above the header and extra rows (totals) below."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for t in title_rows:
        ws.append(list(t))
    ws.append([(rename or {}).get(h, h) for h in headers])
    for p in people:
        ws.append([p.get(h, "") for h in headers])
    for r in extra_rows:
        ws.append(list(r))
    wb.save(path)
    return path


def csv_text(
    people: Sequence[dict[str, object]],
    *,
    headers: Sequence[str] = STANDARD,
    title_rows: Sequence[Sequence[object]] = (),
    extra_rows: Sequence[Sequence[object]] = (),
    delimiter: str = ",",
) -> str:
    """The CSV text of a sheet (dates as ISO text)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for t in title_rows:
        w.writerow(t)
    w.writerow(headers)
    for p in people:
        w.writerow([_text(p.get(h, "")) for h in headers])
    for r in extra_rows:
        w.writerow(r)
    return buf.getvalue()


def write_csv(
    path: Path, people: Sequence[dict[str, object]], *, encoding: str = "utf-8-sig", **kw: object
) -> Path:
    """A CSV file in utf-8-sig (UTF-8 with BOM), utf-8 or gb18030."""
    path.write_bytes(csv_text(people, **kw).encode(encoding))  # type: ignore[arg-type]
    return path


def _text(v: object) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else str(v)
