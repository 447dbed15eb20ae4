"""Months of history in the exports (issue 19, point 5): the report's 稳岗 and 务工收入
sheets and the last columns of `export people`, through the CLI on SQLite and
PostgreSQL, every figure computed by hand.

Four month ends, 2026-08 to 2026-11 (D = 2026-11-30, the default horizon of 3 months puts
the cohort at 2026-08-31):

- 甲镇一村: A 县外务工 every month at 4,000 a month, 务工开始时间 2026-08-01 (a given
  start: 3 months at D); B 县外务工 in August without income, 务农 after (cohort, not
  retained).
- 甲镇二村: C 县内务工 in August, then on no sheet (no longer listed); D 务农 in August
  and September, 县外务工 from October at 5,000 (an estimated start, 2026-10-31: 1 month).
- 乙镇三村: E 县外务工 every month, 月收入 only in November (3,000): an unknown start,
  3 months from the first observation.
- One 务农 filler in each village. January to July have no sheet: 7 unknown months each.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import Cli
from tests.sheets import HEADER, make_id, person, write_xlsx

BORN = dt.date(1990, 5, 1)
MONTHS = ("2026-08", "2026-09", "2026-10", "2026-11")
D = "2026-11-30"
OLD_LAST = ["年龄", "是否劳动力", "是否转移就业", "重复登记组", "人员键"]
NEW_LAST = ["连续转移就业月数", "本年务工收入", "本年收入未知月数"]


def _p(name: str, seq: int, status: str, **kw: Any) -> dict[str, object]:
    return person(name, kw.pop("born", BORN), seq=seq, status=status, **kw)


def _month(i: int) -> dict[tuple[str, str], list[dict[str, object]]]:
    """The sheets of month i (0 = August)."""
    filler = {
        v: _p("赵大", 40 + k, "务农", household=f"H9{k}", born=dt.date(1980, 3, 3))
        for k, v in enumerate(("一村", "二村", "三村"))
    }
    yi = [
        _p("甲一", 1, "县外务工", income=4000, job_start="2026-08-01", household="H001"),
        _p("乙二", 2, "县外务工" if i == 0 else "务农", household="H002"),
        filler["一村"],
    ]
    er = [
        _p("丁四", 4, "务农" if i < 2 else "县外务工", income=5000 if i >= 2 else "", household="H102"),
        filler["二村"],
    ]
    if i == 0:
        er.insert(0, _p("丙三", 3, "县内务工", household="H101"))
    san = [_p("戊五", 5, "县外务工", income=3000 if i == 3 else "", household="H201"), filler["三村"]]
    return {("甲镇", "一村"): yi, ("甲镇", "二村"): er, ("乙镇", "三村"): san}


@pytest.fixture
def county(cli: Cli, tmp_path: Path) -> Cli:
    for i, month in enumerate(MONTHS):
        for (town, village), people in _month(i).items():
            placed = [{**p, HEADER["township"]: town, HEADER["village"]: village} for p in people]
            f = write_xlsx(tmp_path / f"{town}_{village}_{month}.xlsx", placed)
            r = cli("import", str(f))
            assert r.exit_code == 0, r.output
    return cli


def _export(cli: Cli, tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    r = cli("export", *args, "--as-of", D, "-o", str(out))
    assert r.exit_code == 0, r.output
    return out


def _table(ws: Worksheet) -> list[list[Any]]:
    """The rows under the header (乡镇 in column A) up to the first empty row."""
    h = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "乡镇")
    out = []
    for row in ws.iter_rows(min_row=h + 1, values_only=True):
        if all(v in (None, "") for v in row):
            break
        out.append(list(row))
    return out


# Township, village, then the figures; townships in the registry's (byte) order: 乙 < 甲.
RETENTION: list[list[Any]] = [
    ["乙镇", "三村", 1, 1, 1.0, 0],
    ["乙镇", "小计", 1, 1, 1.0, 0],
    ["甲镇", "一村", 2, 1, 0.5, 0],
    ["甲镇", "二村", 1, 0, 0.0, 1],
    ["甲镇", "小计", 3, 1, 1 / 3, 1],
    ["合计", None, 4, 2, 0.5, 1],
]
INCOME: list[list[Any]] = [
    ["乙镇", "三村", 3000, 17, 1, 1, 3000],
    ["乙镇", "小计", 3000, 17, 1, 1, 3000],
    ["甲镇", "一村", 16000, 22, 1, 1, 4000],
    ["甲镇", "二村", 10000, 14, 1, 1, 5000],
    ["甲镇", "小计", 26000, 36, 2, 2, 4500],
    ["合计", None, 29000, 53, 3, 3, 4000],
]


def _approx(rows: list[list[Any]]) -> list[list[Any]]:
    return [[pytest.approx(v) if isinstance(v, float) else v for v in r] for r in rows]


def test_report_retention_sheet_by_township_and_village(county: Cli, tmp_path: Path) -> None:
    wb = load_workbook(_export(county, tmp_path, "r.xlsx", "report"))
    ws = wb["稳岗"]
    rows = _table(ws)
    assert [r[:6] for r in rows] == _approx(RETENTION)
    assert all(r[6] in (None, "") for r in rows), "no village is stale"
    assert "3个月" in ws["A1"].value and "2026-08-31" in ws["A3"].value
    # The same figures as `retention`, which the sheet is made from.
    doc = county.json("retention", "--as-of", D, "--by", "village")
    assert [
        [r["township"], r["village"], r["cohort"], r["retained"], r["no_longer_listed"]] for r in doc["rows"]
    ] == [[r[0], r[1], r[2], r[3], r[5]] for r in RETENTION if r[1] not in ("小计", None)]
    # 小计 and 合计 bold, like the totals of 乡镇 and 村; the table is signed under it.
    h = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "乡镇")
    assert ws.cell(row=h + 2, column=3).font.b and not ws.cell(row=h + 1, column=3).font.b
    assert ws.cell(row=h + 1, column=5).number_format == "0.0%"
    assert str(ws.cell(row=h + len(rows) + 2, column=1).value).startswith("审核人")


def test_report_income_sheet_by_township_and_village(county: Cli, tmp_path: Path) -> None:
    wb = load_workbook(_export(county, tmp_path, "r.xlsx", "report"))
    ws = wb["务工收入"]
    assert [r[:7] for r in _table(ws)] == _approx(INCOME)
    assert ws["A1"].value.startswith("全县2026年务工收入")
    h = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "乡镇")
    assert [ws.cell(row=h, column=j).value for j in range(1, 10)] == [
        "乡镇",
        "村(社区)",
        "务工收入(元)",
        "收入未知月数",
        "转移就业",
        "其中月收入已知",
        "平均月收入(元)",
        "备注",
        None,
    ]
    assert ws.cell(row=h + 1, column=3).number_format == "#,##0"
    notes = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=2) if r[0].value}
    assert "口径: 稳岗率" in notes and "口径: 务工收入" in notes


def test_township_report_keeps_its_rows_and_totals_its_township(county: Cli, tmp_path: Path) -> None:
    wb = load_workbook(_export(county, tmp_path, "jia.xlsx", "report", "--township", "甲镇"))
    jia_r = [r for r in RETENTION if r[0] == "甲镇"]
    assert [r[:6] for r in _table(wb["稳岗"])] == _approx([*jia_r, ["合计", None, 3, 1, 1 / 3, 1]])
    jia_i = [r for r in INCOME if r[0] == "甲镇"]
    assert [r[:7] for r in _table(wb["务工收入"])] == _approx([*jia_i, ["合计", None, 26000, 36, 2, 2, 4500]])


def test_a_stale_village_is_marked_on_both_sheets(cli: Cli, tmp_path: Path) -> None:
    for i, month in enumerate(MONTHS):
        for (town, village), people in _month(i).items():
            if village == "三村" and month == "2026-11":
                continue  # 三村 stays on its October sheet
            placed = [{**p, HEADER["township"]: town, HEADER["village"]: village} for p in people]
            f = write_xlsx(tmp_path / f"{town}_{village}_{month}.xlsx", placed)
            assert cli("import", str(f)).exit_code == 0
    wb = load_workbook(_export(cli, tmp_path, "r.xlsx", "report"))
    for sheet in ("稳岗", "务工收入"):
        notes = {(r[0], r[1]): r[-1] for r in _table(wb[sheet])}
        assert notes[("乙镇", "三村")] == "数据未更新 (花名册 2026-10-31)", sheet
        assert notes[("甲镇", "一村")] in (None, ""), sheet


def _people(cli: Cli, tmp_path: Path) -> list[dict[str, str]]:
    raw = _export(cli, tmp_path, "people.csv", "people", "-f", "csv").read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_people_csv_ends_with_current_spell_months_and_income_in_the_year(
    county: Cli, tmp_path: Path
) -> None:
    rows = _people(county, tmp_path)
    heads = list(rows[0])
    # Added at the end: what scripts read by position or name stays where it was.
    assert heads[-len(OLD_LAST) - len(NEW_LAST) :] == OLD_LAST + NEW_LAST
    got = {r["姓名"]: (r["连续转移就业月数"], r["本年务工收入"], r["本年收入未知月数"]) for r in rows}
    assert got["甲一"] == ("3", "16000.0", "7")  # given start 2026-08-01
    assert got["乙二"] == ("", "0.0", "8")  # 务农 at D; August transferred without income
    assert got["丁四"] == ("1", "10000.0", "7")  # estimated start 2026-10-31
    assert got["戊五"] == ("3", "3000.0", "10")  # unknown start: from 2026-08-31
    assert "丙三" not in got  # on no sheet at D
    # The same months as `person` shows for the spell going on at D.
    doc = county.json("person", make_id(BORN, 4), "--as-of", D)
    assert [s["months"] for s in doc["spells"]["transferred"] if s["ongoing"]] == [1]
    assert doc["income"]["labour_income"] == 10000 and doc["income"]["unknown_months"] == 7


def test_people_xlsx_months_are_whole_numbers_or_blank(county: Cli, tmp_path: Path) -> None:
    ws = load_workbook(_export(county, tmp_path, "people.xlsx", "people", "-f", "xlsx")).active
    assert ws is not None
    heads = [c.value for c in ws[1]]
    assert heads[-len(NEW_LAST) :] == NEW_LAST
    col = {h: i for i, h in enumerate(heads)}
    by_name = {r[col["姓名"]]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert by_name["甲一"][col["连续转移就业月数"]] == 3
    assert by_name["乙二"][col["连续转移就业月数"]] is None
    assert by_name["甲一"][col["本年务工收入"]] == 16000


def test_split_by_township_gives_each_township_its_part(county: Cli, tmp_path: Path) -> None:
    out = tmp_path / "split"
    r = county("export", "report", "--as-of", D, "--split-by", "township", "-o", str(out / "月报.xlsx"))
    assert r.exit_code == 0, r.output
    yi = load_workbook(out / "月报_乙镇.xlsx")
    assert [r[:6] for r in _table(yi["稳岗"])] == _approx([*RETENTION[:2], ["合计", None, 1, 1, 1.0, 0]])
    jia = load_workbook(out / "月报_甲镇.xlsx")
    assert [r[:7] for r in _table(jia["务工收入"])] == _approx(
        [*INCOME[2:5], ["合计", None, 26000, 36, 2, 2, 4500]]
    )
