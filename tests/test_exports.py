"""`laborcli export`: the monthly report workbook and the register, opened and checked cell by cell.

One small county is built once per back end (module scope, to stay fast): two townships,
four villages, two monthly sheets (2026-10 and 2026-11) so the report has a previous
month and a trend chart with two points; poor and relocated persons, zero-employment
households, rows with warnings and a rejected row, a village that did not send its
November sheet, a person registered in two villages, and persons whose names a
spreadsheet would run as formulas. Every figure in the workbook is compared with what
`rates --format json` says.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from openpyxl.chart import LineChart
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.cli.app import main
from tests.conftest import PG_URL, Cli, pg_available
from tests.sheets import make_id, person, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "laborcli"
OCT, NOV = "2026-10-31", "2026-11-30"
SHEETS = ["汇总", "乡镇", "村", "稳岗", "务工收入", "补贴", "零就业家庭", "脱贫劳动力", "数据质量", "说明"]
PCT, INT = "0.0%", "#,##0"
# Column label in the workbook -> key of `rates --format json`, in the workbook's order.
FIGURES = {
    "劳动力": "labour_force",
    "转移就业": "transferred",
    "转移就业率": "transfer_rate",
    "县外转移": "outside_county",
    "组织化县外输出": "organised_outside",
    "组织化程度": "organised_rate",
    "脱贫劳动力": "poor_labour_force",
    "脱贫劳动力转移": "poor_transferred",
    "有劳动力家庭": "households",
    "零就业家庭": "zero_employment_households",
    "户有一人就业率": "coverage",
    "新增转移就业": "new_transfers",
    "年龄不详": "unknown_age",
    "身份未核验": "unverified",
}
RATE_KEYS = {"transfer_rate", "organised_rate", "coverage", "poor_transfer_rate"}
# Names that a spreadsheet would run as formulas if written carelessly.
INJECTIONS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]
MASKED_ID = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
MASKED_MOBILE = re.compile(r"^1\d{2}\*{4}\d{4}$")

B = dt.date
ZHANG_ID = make_id(B(1990, 5, 1), 1)
ZHANG_PHONE = "13812345678"
WANG_PHONE = "13987654321"
INJ_PHONE = "13700001111"
WU_ID = make_id(B(1970, 8, 1), 13)


def _sheets(month: int) -> list[tuple[str, list[dict[str, object]]]]:
    """The village sheets of one month: (file stem, rows). 四村 reports only in October."""
    nov = month == 11
    yi = [
        person("张三", B(1990, 5, 1), seq=1, household="H001", phone=ZHANG_PHONE, organised="是"),
        person(
            "李四", B(1992, 6, 1), seq=2, household="H001", status="县内务工", relation="配偶", male=False
        ),
        person("王五", B(1985, 1, 1), seq=3, household="H002", status="务农", poor="是", phone=WANG_PHONE),
        person("赵六", B(1987, 2, 1), seq=4, household="H002", status="未就业", relation="配偶", male=False),
        person("钱十", B(2012, 3, 1), seq=5, household="H002", status="在校学生", relation="子"),
        # Went out to work in November: a new transfer; a phone that is not a phone (warning).
        person(
            "孙一",
            B(1996, 3, 1),
            seq=6,
            household="H003",
            status="县外务工" if nov else "务农",
            job_start="2026-11-05" if nov else "",
            phone="12345",
        ),
        person("", B(1997, 3, 1), seq=16, household="H003", relation="子"),  # no name: rejected
    ]
    er = [
        person(INJECTIONS[0], B(1980, 7, 1), seq=7, village="二村", household="H101", status="务农"),
        person(INJECTIONS[1], B(1982, 7, 1), seq=8, village="二村", household="H101", status="未就业"),
        person(INJECTIONS[2], B(1983, 7, 1), seq=9, village="二村", household="H102", status="公益性岗位"),
        # No ID at all (warning, identity unverified).
        person(INJECTIONS[3], B(1984, 7, 1), seq=10, village="二村", household="H103", status="务农"),
    ]
    er[0].update({"是否易地搬迁户": "是", "联系电话": INJ_PHONE, "与户主关系": "户主"})
    er[1].update({"与户主关系": "配偶", "性别": "女", "身份证号码": make_id(B(1982, 7, 1), 8, male=False)})
    er[2]["备注"] = "-3.5"  # a plain number stays as it is in CSV
    er[3].update({"身份证号码": "", "备注": "=1+2"})
    san = [
        person(
            "孙七",
            B(1975, 8, 1),
            seq=11,
            township="乙镇",
            village="三村",
            household="H201",
            poor="是",
            organised="是",
        ),
        person(
            "周八",
            B(1978, 8, 1),
            seq=12,
            male=False,
            township="乙镇",
            village="三村",
            household="H201",
            relation="配偶",
            status="扶贫车间" if nov else "未就业",
            poor="是",
        ),
        person(
            "吴九", B(1970, 8, 1), seq=13, township="乙镇", village="三村", household="H202", status="务农"
        ),
        person(
            "郑老", B(1950, 8, 1), seq=14, township="乙镇", village="三村", household="H203", status="务农"
        ),
    ]
    si = [
        person(
            "冯学",
            B(2010, 9, 1),
            seq=15,
            township="乙镇",
            village="四村",
            household="H301",
            status="在校学生",
        ),
        # The same valid ID as 吴九 of 三村: one person, counted in 三村 (the newer sheet).
        person(
            "吴九", B(1970, 8, 1), seq=13, township="乙镇", village="四村", household="H302", status="务农"
        ),
    ]
    out = [("甲镇_一村", yi), ("甲镇_二村", er), ("乙镇_三村", san)]
    return out if nov else [*out, ("乙镇_四村", si)]


@dataclass
class Built:
    """A registry with the two months imported, and what was exported from it."""

    backend: str
    cli: Cli
    dir: Path
    rates: dict[tuple[str, str], Any] = field(default_factory=dict)
    imports: list[Any] = field(default_factory=list)

    def rate(self, by: str, as_of: str = NOV, *extra: str) -> Any:
        key = (by, as_of + "|".join(extra))
        if key not in self.rates:
            self.rates[key] = self.cli.json("rates", "--as-of", as_of, "--by", by, *extra)
        return self.rates[key]

    def export(self, name: str, *args: str) -> Path:
        out = self.dir / name
        r = self.cli("export", *args, "-o", str(out))
        assert r.exit_code == 0, r.output
        return out


def _build(cli: Cli, folder: Path) -> list[Any]:
    reps = []
    for month, as_of in ((10, OCT), (11, NOV)):
        for stem, rows in _sheets(month):
            if stem == "甲镇_二村":  # CSV, so the formula-like names arrive as the text typed
                f = write_csv(folder / f"{stem}_{as_of[:7]}.csv", rows)
            else:
                f = write_xlsx(folder / f"{stem}_{as_of[:7]}.xlsx", rows)
            rep = cli.json("import", str(f), "--as-of", as_of)
            reps.append(rep["files"][0])
    return reps


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The county on each back end, built once per module (the exports only read it)."""
    folder = tmp_path_factory.mktemp(f"exports_{request.param}")
    schema = None
    if request.param == "sqlite":
        url = str(folder / "registry.db")
    else:
        why = pg_available()
        if why:
            if os.environ.get("CI") and os.environ.get("LABORCLI_REQUIRE_PG"):
                pytest.fail(why)
            pytest.skip(why)
        schema = "t_" + uuid.uuid4().hex[:12]
        eng = sa.create_engine(PG_URL)
        with eng.begin() as c:
            c.execute(sa.text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in PG_URL else "?"
        url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    try:
        cli = Cli(url)
        b = Built(request.param, cli, folder)
        b.imports = _build(cli, folder)
        yield b
    finally:
        if schema:
            with eng.begin() as c:
                c.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            eng.dispose()


@pytest.fixture(scope="module")
def report(built: Built) -> Workbook:
    """The county report as of November, masked."""
    return load_workbook(built.export("report.xlsx", "report", "--as-of", NOV))


# ---------------------------------------------------------------------------------------------
# Helpers to read the workbook back


def header_row(ws: Worksheet) -> int:
    """The row number of the table header (under the title, the 填报单位 line and the legend's
    lines)."""
    for r in range(1, 10):
        if ws.cell(row=r, column=1).value in ("指标", "乡镇", "项目", "补贴类别"):
            return r
    raise AssertionError(f"no header row in {ws.title}")


def table(ws: Worksheet) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of the sheet's main table (up to the first empty row)."""
    h = header_row(ws)
    heads = [c.value for c in ws[h]]
    rows = []
    for row in ws.iter_rows(min_row=h + 1):
        if all(c.value in (None, "") for c in row):
            break
        rows.append(row)
    return heads, rows


def approx(x: float | None) -> Any:
    return None if x is None else pytest.approx(x, abs=1e-12)


def figures_of(heads: list[str], row: Any) -> dict[str, Any]:
    """{rates key: value} of one table row."""
    return {FIGURES[h]: row[j].value for j, h in enumerate(heads) if h in FIGURES}


def expected(r: dict[str, Any]) -> dict[str, Any]:
    return {k: approx(r[k]) if k in RATE_KEYS else r[k] for k in FIGURES.values()}


# ---------------------------------------------------------------------------------------------
# The registry itself (so that every later check stands on known data)


def test_the_registry_has_what_the_report_needs(built: Built) -> None:
    statuses = [f["status"] for f in built.imports]
    assert statuses == ["imported"] * 7
    codes = {p["code"] for f in built.imports for p in f["problems"]}
    assert {"name-missing", "phone-invalid", "id-missing"} <= codes
    county = built.rate("county")["total"]
    assert county["labour_force"] > 0 and county["zero_employment_households"] >= 2
    assert county["poor_labour_force"] > 0 and county["new_transfers"] >= 1
    assert built.rate("county", OCT)["total"]["transfer_rate"] != county["transfer_rate"]
    villages = {(r["township"], r["village"]): r for r in built.rate("village")["rows"]}
    assert villages[("乙镇", "四村")]["transfer_rate"] is None  # no labour force left there


# ---------------------------------------------------------------------------------------------
# The report workbook


def test_report_has_its_sheets_in_order(report: Workbook) -> None:
    assert report.sheetnames == SHEETS


def test_summary_equals_rates_for_this_month_and_the_previous(built: Built, report: Workbook) -> None:
    ws = report["汇总"]
    heads, rows = table(ws)
    assert heads[:4] == ["指标", f"本期 ({NOV})", f"上期 ({OCT})", "变化"]
    now, before = built.rate("county")["total"], built.rate("county", OCT)["total"]
    by_label = {r[0].value: r for r in rows}
    assert list(by_label) == list(FIGURES)
    for label, key in FIGURES.items():
        r = by_label[label]
        exp_now, exp_before = now[key], before[key]
        assert (r[1].value, r[2].value) == (approx(exp_now), approx(exp_before)), label
        change = None if exp_now is None or exp_before is None else exp_now - exp_before
        if change is not None and key in RATE_KEYS:
            # a rate's change is in percentage points (百分点), not a percentage
            assert r[3].value == pytest.approx(change * 100, abs=1e-8), label
        else:
            assert r[3].value == approx(change), label


def test_summary_formats_percent_one_decimal_and_thousands(report: Workbook) -> None:
    ws = report["汇总"]
    _, rows = table(ws)
    for r in rows:
        key = FIGURES[r[0].value]
        for c in r[1:3]:
            assert c.number_format == (PCT if key in RATE_KEYS else INT), (r[0].value, c.coordinate)
        if key in RATE_KEYS:
            assert r[3].number_format.startswith('+0.0"个百分点"') and "%" not in r[3].number_format
        else:
            assert r[3].number_format.startswith("+#,##0")


def test_summary_trend_table_and_line_chart(built: Built, report: Workbook) -> None:
    ws = report["汇总"]
    # The trend table: one row per month, rates equal `rates --by county` at that date.
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "统计日期")
    trend = []
    for r in range(start + 1, ws.max_row + 1):
        d, v = ws.cell(row=r, column=1), ws.cell(row=r, column=2)
        if d.value is None:
            break
        trend.append((d.value, v.value))
        assert v.number_format == PCT
    assert trend == [
        (OCT, approx(built.rate("county", OCT)["total"]["transfer_rate"])),
        (NOV, approx(built.rate("county")["total"]["transfer_rate"])),
    ]
    charts = ws._charts
    assert len(charts) == 1 and isinstance(charts[0], LineChart)
    chart = charts[0]
    assert len(chart.series) == 1
    s = chart.series[0]
    assert s.val.numRef.f == f"'汇总'!$B${start + 1}:$B${start + len(trend)}"
    cats = s.cat.numRef or s.cat.strRef
    assert cats.f == f"'汇总'!$A${start + 1}:$A${start + len(trend)}"
    assert s.tx.strRef.f == f"'汇总'!B{start}"  # the series is named 转移就业率
    # The chart sits beside the table, not over it.
    assert chart.anchor._from.col >= 4


@pytest.mark.parametrize(("sheet", "by", "keys"), [("乡镇", "township", 1), ("村", "village", 2)])
def test_place_sheets_equal_rates_and_end_with_a_total(
    built: Built, report: Workbook, sheet: str, by: str, keys: int
) -> None:
    ws = report[sheet]
    heads, rows = table(ws)
    # the village sheet ends with 备注, where a stale village is marked (test_report_head.py)
    assert heads[keys:] == list(FIGURES) + (["备注"] if by == "village" else [])
    res = built.rate(by)
    places = ["township", "village"][:keys]
    got = [([c.value for c in r[:keys]], figures_of(heads, r)) for r in rows]
    want = [([x[p] for p in places], expected(x)) for x in res["rows"]]
    assert got[:-1] == want
    total_place, total = got[-1]
    assert total_place[0] == "合计"
    assert total == expected(res["total"])
    assert all(c.font.b for c in rows[-1]), "the total row is bold"


@pytest.mark.parametrize("sheet", ["乡镇", "村", "脱贫劳动力"])
def test_place_sheets_number_formats(report: Workbook, sheet: str) -> None:
    ws = report[sheet]
    heads, rows = table(ws)
    rate_heads = {"转移就业率", "组织化程度", "户有一人就业率"}
    for r in rows:
        for j, h in enumerate(heads):
            if h in ("乡镇", "村(社区)", "备注"):
                continue
            want = PCT if h in rate_heads else INT
            assert r[j].number_format == want, (sheet, h, r[j].coordinate)


def test_poor_labour_sheet_equals_rates(built: Built, report: Workbook) -> None:
    heads, rows = table(report["脱贫劳动力"])
    assert heads == ["乡镇", "村(社区)", "脱贫劳动力", "已转移就业", "转移就业率"]
    res = built.rate("village")
    want = [
        [
            x["township"],
            x["village"],
            x["poor_labour_force"],
            x["poor_transferred"],
            approx(x["poor_transfer_rate"]),
        ]
        for x in res["rows"]
    ]
    t = res["total"]
    want.append(
        ["合计", None, t["poor_labour_force"], t["poor_transferred"], approx(t["poor_transfer_rate"])]
    )
    assert [[c.value for c in r] for r in rows] == want


def _cf_rules(ws: Worksheet) -> list[tuple[str, Any]]:
    return [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules]


def test_village_sheet_marks_rates_below_the_county_rate_red(built: Built, report: Workbook) -> None:
    ws = report["村"]
    heads, rows = table(ws)
    col = heads.index("转移就业率") + 1
    letter = get_column_letter(col)
    rules = _cf_rules(ws)
    assert len(rules) == 1
    sqref, rule = rules[0]
    first, last = rows[0][0].row, rows[-2][0].row  # the villages, not the total row
    assert sqref == f"{letter}{first}:{letter}{last}"
    # An expression rule: below the county rate, and only where there is a rate at all.
    assert rule.type == "expression"
    county = built.rate("county")["total"]["transfer_rate"]
    cell = f"{letter}{first}"
    assert rule.formula[0].startswith(f"AND(ISNUMBER({cell}),{cell}<")
    assert float(rule.formula[0].rsplit("<", 1)[1].rstrip(")")) == pytest.approx(county)
    assert rule.dxf.fill.fgColor.rgb == "FFFFC7CE" or rule.dxf.fill.bgColor.rgb == "FFFFC7CE"
    # Some village is below the county rate and some is not, so the colour means something.
    rates = [r[col - 1].value for r in rows[:-1] if r[col - 1].value is not None]
    assert min(rates) < county <= max(rates)


def test_village_without_labour_force_is_not_marked_red(report: Workbook) -> None:
    ws = report["村"]
    heads, rows = table(ws)
    col = heads.index("转移就业率")
    (sqref, rule), *_ = _cf_rules(ws)
    blank = [r for r in rows[:-1] if r[col].value is None]
    assert blank, "四村 has no labour force"
    for r in blank:
        cell = r[col].coordinate
        covered = _in_range(cell, sqref)
        # Excel evaluates `cell < x` on a blank cell as 0 < x; only a rule that tests the
        # cell for a number (an expression rule with ISNUMBER, or a range that leaves it
        # out) keeps the blank white.
        assert not covered or (rule.type == "expression" and "ISNUMBER" in rule.formula[0].upper())


def _in_range(coord: str, sqref: str) -> bool:
    from openpyxl.worksheet.cell_range import MultiCellRange

    return coord in MultiCellRange(sqref)


def test_every_sheet_freezes_its_header_and_prints_a4_landscape(report: Workbook) -> None:
    for ws in report.worksheets:
        h = header_row(ws)
        assert ws.freeze_panes == f"A{h + 1}", ws.title
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert int(ps.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0, ws.title
        assert ws.print_title_rows == f"$1:${h}", ws.title


def text_width(text: str) -> float:
    """Roughly how many column-width units a text needs (a CJK glyph about 1.8, as rendered)."""
    return sum(1.8 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def col_width(ws: Worksheet, col: int) -> float:
    w = ws.column_dimensions[get_column_letter(col)].width
    return float(w) if w else 8.43


def test_header_labels_fit_or_get_a_tall_enough_row(report: Workbook) -> None:
    clipped = []
    for ws in report.worksheets:
        h = header_row(ws)
        height = ws.row_dimensions[h].height or 15.0
        for c in ws[h]:
            if isinstance(c.value, str) and text_width(c.value) > col_width(ws, c.column):
                lines = -(-text_width(c.value) // col_width(ws, c.column))
                if not (c.alignment.wrap_text and height >= 14 * lines):
                    clipped.append(f"{ws.title}!{c.coordinate} {c.value}")
    assert clipped == []


def test_notes_source_file_names_are_not_cut_off(report: Workbook) -> None:
    ws = report["说明"]
    cut = [
        c.value
        for row in ws.iter_rows(min_row=header_row(ws) + 1)
        for c in row[:1]
        if isinstance(c.value, str)
        and ws.cell(row=c.row, column=2).value not in (None, "")
        and text_width(c.value) > col_width(ws, 1)
    ]
    assert cut == []


def test_zero_employment_sheet_lists_the_households_masked(built: Built, report: Workbook) -> None:
    heads, rows = table(report["零就业家庭"])
    col = {h: j for j, h in enumerate(heads)}
    listed = {(r[col["乡镇"]].value, r[col["村(社区)"]].value, r[col["户编号"]].value) for r in rows}
    zero = built.cli.json("households", "--as-of", NOV, "--zero-employment")
    assert listed == {(h["township"], h["village"], h["household_id"]) for h in zero["rows"]}
    assert len(listed) == built.rate("county")["total"]["zero_employment_households"]
    assert f"(共 {len(listed)} 户)" in report["零就业家庭"]["A1"].value
    ids = [r[col["身份证号码"]].value for r in rows if r[col["身份证号码"]].value]
    phones = [r[col["联系电话"]].value for r in rows if r[col["联系电话"]].value]
    assert ids and phones
    assert all(MASKED_ID.match(v) for v in ids), ids
    assert all(MASKED_MOBILE.match(v) for v in phones), phones
    assert {WANG_PHONE[:3] + "****" + WANG_PHONE[-4:], INJ_PHONE[:3] + "****" + INJ_PHONE[-4:]} <= set(phones)
    assert all(
        c.data_type == "s" for r in rows for c in (r[col["身份证号码"]], r[col["联系电话"]]) if c.value
    )


def test_report_show_pii_writes_identifiers_whole(built: Built) -> None:
    wb = load_workbook(built.export("report_pii.xlsx", "report", "--as-of", NOV, "--show-pii"))
    heads, rows = table(wb["零就业家庭"])
    phones = {r[heads.index("联系电话")].value for r in rows}
    ids = {r[heads.index("身份证号码")].value for r in rows}
    assert {WANG_PHONE, INJ_PHONE} <= phones
    assert make_id(B(1985, 1, 1), 3) in ids


def test_report_writes_formula_like_names_as_text(report: Workbook) -> None:
    heads, rows = table(report["零就业家庭"])
    names = {r[heads.index("姓名")].value: r[heads.index("姓名")] for r in rows}
    # 二村's H101 (the first two) and H103 (the last) have nobody transferred.
    for text in (INJECTIONS[0], INJECTIONS[1], INJECTIONS[3]):
        assert text in names, (text, list(names))
        assert names[text].data_type == "s"
    for ws in report.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)


def test_data_quality_sheet_shows_warnings_rejections_and_stale_sheets(report: Workbook) -> None:
    heads, rows = table(report["数据质量"])
    by_place = {(r[0].value, r[1].value): {h: c.value for h, c in zip(heads, r, strict=False)} for r in rows}
    assert set(by_place) == {("甲镇", "一村"), ("甲镇", "二村"), ("乙镇", "三村"), ("乙镇", "四村")}
    yi, er, si = by_place[("甲镇", "一村")], by_place[("甲镇", "二村")], by_place[("乙镇", "四村")]
    # problems by their Chinese names, not by code
    assert yi["拒收行数"] == 1 and "联系电话不是11位手机号或带区号的固定电话 1 处" in yi["警告 (按类型)"]
    assert "身份证号码为空, 身份无法核验 1 处" in er["警告 (按类型)"] and er["身份未核验"] == 1
    assert "-" not in er["警告 (按类型)"]
    assert si["最新花名册日期"] == OCT and si["未按期更新"].startswith("是")
    assert yi["未按期更新"] in (None, "") and yi["最新花名册日期"] == NOV


def test_notes_sheet_lists_the_source_files(report: Workbook) -> None:
    ws = report["说明"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "统计日期" in texts and NOV in texts
    assert {
        "甲镇_一村_2026-11.xlsx",
        "甲镇_二村_2026-11.csv",
        "乙镇_三村_2026-11.xlsx",
        "乙镇_四村_2026-10.xlsx",
    } <= set(texts)


def _notes(wb: Workbook) -> dict[str, str]:
    ws = wb["说明"]
    return {str(r[0].value): str(r[1].value) for r in ws.iter_rows(min_row=header_row(ws) + 1) if r[0].value}


def test_notes_sheet_states_the_shipped_definitions(report: Workbook) -> None:
    notes = _notes(report)
    assert notes["口径: 劳动力"] == (
        "统计日年满16周岁至60周岁 (按县政策文件), 劳动能力不是丧失劳动力/无劳动能力, 且不是在校学生或服兵役"
    )
    assert (
        notes["口径: 转移就业"]
        == "就业状态为 县外务工、县内务工、公益性岗位、扶贫车间、自主创业、灵活就业 之一"
    )


def test_notes_sheet_states_the_age_bounds_of_the_policy_in_force(built: Built) -> None:
    from laborcli.policy import default_policy_path

    policy = built.dir / "women_to_55.toml"
    text = default_policy_path().read_text(encoding="utf-8")
    policy.write_text(text.replace("max_age_female = 60", "max_age_female = 55"), encoding="utf-8")
    out = built.dir / "report_55.xlsx"
    r = built.cli("--policy", str(policy), "export", "report", "--as-of", NOV, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert _notes(load_workbook(out))["口径: 劳动力"].startswith(
        "统计日年满: 男 16周岁至60周岁, 女 16周岁至55周岁, 性别不详 16周岁至60周岁 (按县政策文件)"
    )


def test_notes_sheet_states_the_transferred_statuses_of_the_schema_in_force(built: Built) -> None:
    from laborcli.exports.report import write_report
    from laborcli.identity.privacy import Mask
    from laborcli.policy import Policy
    from laborcli.registry.engine import open_registry
    from laborcli.roster.report_data import gather
    from laborcli.sheets.schema import load_schema

    schema = load_schema()
    vocab = schema.vocabularies["employment_status"]
    # A county that does not count 灵活就业 as transfer employment.
    terms = [t.model_copy(update={"transferred": False}) if t.term == "灵活就业" else t for t in vocab.terms]
    county = schema.model_copy(
        update={
            "vocabularies": {
                **schema.vocabularies,
                "employment_status": vocab.model_copy(update={"terms": terms}),
            }
        }
    )
    reg = open_registry(built.cli.db, create=False)
    try:
        with reg.reading() as conn:
            data = gather(conn, dt.date.fromisoformat(NOV), Policy(), schema=county)
    finally:
        reg.close()
    out = built.dir / "report_schema.xlsx"
    write_report(data, out, Mask())
    assert (
        _notes(load_workbook(out))["口径: 转移就业"]
        == "就业状态为 县外务工、县内务工、公益性岗位、扶贫车间、自主创业 之一"
    )


def test_report_for_one_township_equals_its_rates(built: Built) -> None:
    wb = load_workbook(built.export("report_jia.xlsx", "report", "--as-of", NOV, "--township", "甲镇"))
    assert wb.sheetnames == SHEETS
    _check_township_book(built, wb, "甲镇")


def _check_township_book(built: Built, wb: Workbook, town: str) -> None:
    res = built.rate("village", NOV, "--township", town)
    county = built.rate("county", NOV, "--township", town)["total"]
    heads, rows = table(wb["村"])
    assert {r[0].value for r in rows[:-1]} == {town}
    assert [figures_of(heads, r) for r in rows[:-1]] == [expected(x) for x in res["rows"]]
    assert figures_of(heads, rows[-1]) == expected(res["total"])
    _, summary = table(wb["汇总"])
    assert {r[0].value: r[1].value for r in summary} == {
        label: approx(county[key]) for label, key in FIGURES.items()
    }
    assert wb["汇总"]["A1"].value.startswith(town)


def test_split_by_township_writes_one_workbook_per_township(built: Built) -> None:
    out = built.dir / "split"
    r = built.cli("export", "report", "--as-of", NOV, "--split-by", "township", "-o", str(out / "月报.xlsx"))
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["月报_甲镇.xlsx", "月报_乙镇.xlsx"])
    for town in ("甲镇", "乙镇"):
        wb = load_workbook(out / f"月报_{town}.xlsx")
        assert wb.sheetnames == SHEETS
        _check_township_book(built, wb, town)
    # A name pattern puts the township where {township} is.
    r = built.cli(
        "export", "report", "--as-of", NOV, "--split-by", "township", "-o", str(out / "{township}月报.xlsx")
    )
    assert r.exit_code == 0, r.output
    assert {"甲镇月报.xlsx", "乙镇月报.xlsx"} <= {p.name for p in out.iterdir()}


def test_split_by_something_else_is_a_usage_error(built: Built) -> None:
    code = main(
        ["--db", built.cli.db, "export", "report", "--split-by", "village", "-o", str(built.dir / "x.xlsx")]
    )
    assert code == 2
    assert not (built.dir / "x.xlsx").exists()


# ---------------------------------------------------------------------------------------------
# export people


DERIVED = ["年龄", "是否劳动力", "是否转移就业", "重复登记组", "人员键"]
# Months of history, added after DERIVED (tests/test_tenure_exports.py checks their values).
TENURE = ["连续转移就业月数", "本年务工收入", "本年收入未知月数"]


def _people_csv(built: Built, *args: str) -> list[dict[str, str]]:
    path = built.export(f"people{len(args)}.csv", "people", "--as-of", NOV, "-f", "csv", *args)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so that Excel reads Chinese"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_people_csv_has_derived_fields_and_masked_identifiers(built: Built) -> None:
    rows = _people_csv(built)
    assert list(rows[0])[-len(DERIVED) - len(TENURE) :] == DERIVED + TENURE
    by_name = {r["姓名"]: r for r in rows}
    z = by_name["张三"]
    assert (z["年龄"], z["是否劳动力"], z["是否转移就业"]) == ("36", "是", "是")
    assert z["身份证号码"] == ZHANG_ID[:6] + "*" * 8 + ZHANG_ID[-4:]
    assert z["联系电话"] == "138****5678"
    assert z["人员键"].startswith("id:") and ZHANG_ID not in z["人员键"]
    assert (by_name["钱十"]["是否劳动力"], by_name["钱十"]["是否转移就业"]) == ("否", "否")
    assert by_name["王五"]["是否转移就业"] == "否"
    assert (by_name["郑老"]["年龄"], by_name["郑老"]["是否劳动力"]) == ("76", "否")
    wu = [r for r in rows if r["姓名"] == "吴九"]
    assert wu and all(r["重复登记组"] for r in wu), "registered in 三村 and 四村"
    text = "\n".join(",".join(r.values()) for r in rows)
    for secret in (ZHANG_ID, ZHANG_PHONE, WANG_PHONE, INJ_PHONE, WU_ID):
        assert secret not in text
    # One row per person counted, as in `rates`.
    lf = sum(r["是否劳动力"] == "是" for r in rows)
    assert lf == built.rate("county")["total"]["labour_force"]
    assert sum(r["是否转移就业"] == "是" for r in rows) == built.rate("county")["total"]["transferred"]


def test_people_csv_show_pii(built: Built) -> None:
    by_name = {r["姓名"]: r for r in _people_csv(built, "--show-pii")}
    assert by_name["张三"]["身份证号码"] == ZHANG_ID
    assert by_name["张三"]["联系电话"] == ZHANG_PHONE
    assert by_name["张三"]["人员键"] == f"id:{ZHANG_ID}"


def test_people_csv_defuses_formulas_the_owasp_way(built: Built) -> None:
    rows = _people_csv(built)
    names = {r["姓名"] for r in rows}
    for text in INJECTIONS:
        assert "'" + text in names, (text, sorted(names))
        assert text not in names
    remarks = {r["备注"] for r in rows}
    assert "'=1+2" in remarks
    assert "-3.5" in remarks, "a plain negative number is left alone"


def test_people_xlsx_cells_are_text_never_formulas(built: Built) -> None:
    path = built.export("people.xlsx", "people", "--as-of", NOV, "-f", "xlsx")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    heads = [c.value for c in ws[1]]
    assert heads[-len(DERIVED) - len(TENURE) :] == DERIVED + TENURE
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    name_col = heads.index("姓名")
    cells = {row[name_col].value: row[name_col] for row in ws.iter_rows(min_row=2)}
    for text in INJECTIONS:
        assert text in cells, (text, list(cells))
        assert cells[text].data_type == "s"
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", (c.coordinate, c.value)
    remarks = {row[heads.index("备注")].value for row in ws.iter_rows(min_row=2)}
    assert "=1+2" in remarks
    ids = [row[heads.index("身份证号码")].value for row in ws.iter_rows(min_row=2)]
    assert all(MASKED_ID.match(v) for v in ids if v)
    ages = {row[name_col].value: row[heads.index("年龄")].value for row in ws.iter_rows(min_row=2)}
    assert ages["张三"] == 36


def test_people_parquet_has_derived_fields_and_masked_identifiers(built: Built) -> None:
    pytest.importorskip("pyarrow", reason="parquet export needs pyarrow, which is not installed")
    import pandas as pd

    path = built.export("people.parquet", "people", "--as-of", NOV, "-f", "parquet")
    df = pd.read_parquet(path)
    assert list(df.columns)[-len(DERIVED) - len(TENURE) :] == DERIVED + TENURE
    z = df[df["姓名"] == "张三"].iloc[0]
    assert (int(z["年龄"]), z["是否劳动力"], z["是否转移就业"]) == (36, "是", "是")
    assert MASKED_ID.match(z["身份证号码"]) and z["联系电话"] == "138****5678"
    assert set(INJECTIONS) <= set(df["姓名"]), "parquet is data, not a spreadsheet: names as typed"
    assert (df["是否劳动力"] == "是").sum() == built.rate("county")["total"]["labour_force"]


def test_people_unknown_format_is_a_usage_error(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    # Through main(), which turns a LaborError into its exit code (the runner would re-raise it).
    code = main(["--db", built.cli.db, "export", "people", "-f", "ods", "-o", str(built.dir / "p.ods")])
    assert code == 2
    assert "ods" in capsys.readouterr().err
    assert not (built.dir / "p.ods").exists()


def test_report_on_an_empty_registry(tmp_path: Path) -> None:
    cli = Cli(str(tmp_path / "empty.db"))
    r = cli("export", "report", "--as-of", NOV, "-o", str(tmp_path / "r.xlsx"))
    assert r.exit_code == 0, r.output
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == SHEETS


# ---------------------------------------------------------------------------------------------
# Every writer goes through the safe helpers (a source scan)
#
# A cell or CSV field that carries registry data must be written by sheets/safe.py:
# set_cell (a string cell, never a formula) or csv_safe (OWASP apostrophe). The scan
# forbids, outside safe.py:
#   - assigning ``.value`` (a cell's value), ``ws.cell(..., value=...)`` or a third
#     positional argument to ``.cell(``, and ``ws["A1"] = ...``;
#   - ``.append(`` on a worksheet (a name bound to ``wb.active``, ``create_sheet``,
#     ``wb[...]``, or a parameter called ``ws`` / annotated Worksheet);
#   - ``DataFrame.to_excel`` and xlsxwriter;
#   - ``.writerow(``/``.writerows(`` whose argument does not pass each field through
#     csv_safe, and ``.to_csv(`` on a frame not produced by ``.map(csv_safe)``;
#   - ``csv.writer``/``csv.DictWriter`` outside the modules that are known to use them
#     correctly (listed below; a new CSV writer must be added here after review).
# Exceptions are listed exactly (file, source line), so a new one needs a reviewed entry.

CSV_MODULES = {"cli/output.py", "exports/listing.py", "exports/people.py", "sample/writers.py"}
ALLOWED = {
    # print_csv's header is the command's own column names, not registry data.
    ("cli/output.py", "w.writerow(header)"),
    # the Excel CSV's header is its columns' Chinese heads, not registry data.
    ("exports/listing.py", "w.writerow([c.zh for c in cols])"),
}
WS_SOURCES = {"active", "create_sheet", "worksheets", "get_sheet_by_name"}


def _scan(text: str, rel: str) -> list[str]:
    """Unsafe writes in one module's source, as 'file:line: what'."""
    if rel == "sheets/safe.py":
        return []
    tree = ast.parse(text)
    lines = text.splitlines()
    bad: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        src = lines[node.lineno - 1].strip()  # type: ignore[attr-defined]
        if (rel, src) not in ALLOWED:
            bad.append(f"{rel}:{node.lineno}: {what}: {src}")  # type: ignore[attr-defined]

    worksheets: set[str] = {"ws"}
    safe_frames: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.arg)
            and node.annotation is not None
            and "Worksheet" in ast.unparse(node.annotation)
        ):
            worksheets.add(node.arg)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = node.value
            name = node.targets[0].id
            inner = v.func if isinstance(v, ast.Call) else v.value if isinstance(v, ast.Subscript) else v
            if isinstance(inner, ast.Attribute) and inner.attr in WS_SOURCES:
                worksheets.add(name)
            if (
                isinstance(v, ast.Subscript)
                and isinstance(v.value, ast.Name)
                and v.value.id in ("wb", "book")
            ):
                worksheets.add(name)
            if (
                isinstance(v, ast.Call)
                and isinstance(v.func, ast.Attribute)
                and v.func.attr in ("map", "applymap")
                and any(isinstance(a, ast.Name) and a.id == "csv_safe" for a in v.args)
            ):
                safe_frames.add(name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute) and t.attr in ("value", "_value"):
                    flag(node, "cell value assigned directly")
                if (
                    isinstance(t, ast.Subscript)
                    and isinstance(t.value, ast.Name)
                    and t.value.id in worksheets
                ):
                    flag(node, "ws[...] = value")
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        recv = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
        if name == "cell" and (len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)):
            flag(node, "ws.cell(..., value=...)")
        elif name in ("Cell", "WriteOnlyCell") and any(k.arg == "value" for k in node.keywords):
            flag(node, f"{name}(value=...)")
        elif name == "append" and recv in worksheets:
            flag(node, "ws.append(...)")
        elif name in ("to_excel", "write_formula", "write_string", "write"):
            if name == "to_excel" or recv in worksheets:
                flag(node, f".{name}(...)")
        elif name in ("writer", "DictWriter") and recv == "csv" and rel not in CSV_MODULES:
            flag(node, f"csv.{name} outside the reviewed modules")
        elif name in ("writerow", "writerows"):
            arg = ast.unparse(node.args[0]) if node.args else ""
            if "csv_safe(" not in arg:
                flag(node, f".{name} without csv_safe")
        elif name == "to_csv" and recv not in safe_frames:
            flag(node, ".to_csv on a frame not mapped through csv_safe")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            mods = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(m and m.split(".")[0] == "xlsxwriter" for m in mods):
                flag(node, "xlsxwriter (writes '=...' strings as formulas)")
    return bad


def test_source_scan_catches_unsafe_writers() -> None:
    """The scan itself: each way round the helpers is caught, the helpers themselves are not."""
    unsafe = {
        "c.value = name": "cell value",
        "ws.cell(row=1, column=1, value=name)": "ws.cell",
        "ws.cell(1, 1, name)": "ws.cell",
        "ws['A1'] = name": "ws[...]",
        "ws = wb.create_sheet('x')\nws.append([name])": "ws.append",
        "sheet = wb.active\nsheet.append([name])": "ws.append",
        "def f(sheet: Worksheet):\n    sheet.append([1])": "ws.append",
        "df.to_excel(path)": "to_excel",
        "c = WriteOnlyCell(ws, value=name)": "WriteOnlyCell",
        "import xlsxwriter": "xlsxwriter",
        "w = csv.writer(f)": "csv.writer",
        "w.writerow([name])": "writerow",
        "w.writerows(rows)": "writerow",
        "df.to_csv(path)": "to_csv",
        "safe = df.map(str)\nsafe.to_csv(path)": "to_csv",
    }
    for code, what in unsafe.items():
        found = _scan(code + "\n", "exports/new.py")
        assert found and what.split("(")[0].split("[")[0] in " ".join(found), (code, found)
    fine = (
        "set_cell(ws.cell(row=1, column=1), name)\n"
        "ws.cell(row=1, column=1).font = bold\n"
        "rows.append([name])\n"
        "w.writerow([csv_safe(v) for v in r])\n"
        "safe = df.map(csv_safe)\nsafe.to_csv(path)\n"
        "d['k'] = name\n"
    )
    assert _scan(fine, "exports/new.py") == []


def test_every_writer_in_src_goes_through_the_safe_helpers() -> None:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 20
    bad = []
    uses_set_cell, uses_csv_safe = set(), set()
    for p in files:
        rel = p.relative_to(SRC).as_posix()
        text = p.read_text(encoding="utf-8")
        bad += _scan(text, rel)
        if "set_cell(" in text:
            uses_set_cell.add(rel)
        if "csv_safe(" in text or "map(csv_safe)" in text:
            uses_csv_safe.add(rel)
    assert bad == []
    # The scan looked at the real writers (so it cannot pass by seeing nothing).
    assert {
        "sheets/workbook.py",
        "exports/report.py",
        "sheets/annotate.py",
        "sheets/template.py",
    } <= uses_set_cell
    assert {"cli/output.py"} <= uses_csv_safe and "exports/people.py" in CSV_MODULES
    assert "map(csv_safe)" in (SRC / "exports/people.py").read_text(encoding="utf-8")
    # Every module that makes a workbook writes its cells through set_cell or write_table.
    for p in files:
        text = p.read_text(encoding="utf-8")
        if re.search(r"\b(Workbook|new_workbook)\(", text):
            rel = p.relative_to(SRC).as_posix()
            assert "set_cell(" in text or "write_table(" in text, rel


# ---------------------------------------------------------------------------------------------
# The rendering script (PDF and PNG through LibreOffice)


def test_render_script_makes_a_pdf_and_png_pages(tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office or not shutil.which("pdftoppm"):
        pytest.skip(
            "libreoffice and pdftoppm are needed to render the report (apt-get install libreoffice-calc poppler-utils)"
        )
    out = tmp_path / "render"
    r = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "render_report.py"),
            "--db",
            str(tmp_path / "r.db"),
            "--as-of",
            NOV,
            "--out",
            str(out),
            "--per-village",
            "6",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert (out / "report.xlsx").is_file()
    pdf = out / "report.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    pngs = sorted(out.glob("report-*.png"))
    assert pngs and pngs[0].read_bytes().startswith(b"\x89PNG")


def test_report_review_is_redone_when_the_registry_changed_meanwhile(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review runs in a second process; if the state it saw differs, it is redone in
    the figures' transaction, and the report is the same as one computed in turn."""
    import datetime as dt

    import laborcli.roster.report_data as report
    from laborcli.policy import Policy
    from laborcli.registry.engine import open_registry

    reg = open_registry(built.cli.db, create=False)
    try:
        d = dt.date.fromisoformat(NOV)
        with reg.reading() as conn:
            serial = report.gather(conn, d, Policy())
        calls: list[int] = []
        real = report.find_clusters  # type: ignore[attr-defined]

        def counted(*a: Any, **k: Any) -> Any:
            calls.append(1)
            return real(*a, **k)

        monkeypatch.setattr(report, "registry_stamp", lambda conn: ("another state",))
        monkeypatch.setattr(report, "find_clusters", counted)
        concurrent = report.gather_concurrently(reg, d, Policy(), min_rows=0)
    finally:
        reg.close()
    assert calls == [1]  # the worker's review was not used: redone here
    assert concurrent.quality == serial.quality
    assert concurrent.by_village.rows == serial.by_village.rows


def test_a_file_laborcli_writes_is_whole_or_the_old_one_stays(tmp_path: Path) -> None:
    from laborcli.sheets.safe import whole_file

    target = tmp_path / "月报.xlsx"
    target.write_bytes(b"last month's good report")
    with pytest.raises(KeyboardInterrupt), whole_file(target) as tmp:  # Ctrl-C half-way
        tmp.write_bytes(b"half of it")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"last month's good report"
    assert [p.name for p in tmp_path.iterdir()] == ["月报.xlsx"]  # nothing left beside it
    with whole_file(target) as tmp:
        assert tmp.parent == target.parent and tmp.suffix == ".xlsx"
        tmp.write_bytes(b"this month's")
    assert target.read_bytes() == b"this month's" and [p.name for p in tmp_path.iterdir()] == ["月报.xlsx"]


def test_a_template_that_fails_half_way_leaves_the_old_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    from laborcli.sheets.schema import load_schema
    from laborcli.sheets.template import write_template

    target = tmp_path / "模板.xlsx"
    write_template(load_schema(), target)
    good = target.read_bytes()

    def disk_full(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 trunc")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", disk_full)
    with pytest.raises(OSError):
        write_template(load_schema(kind="targets"), target)
    assert target.read_bytes() == good and [p.name for p in tmp_path.iterdir()] == ["模板.xlsx"]
