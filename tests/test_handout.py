"""The workbooks that go to people, as they go out: the Friday handout (`rank --export`),
the monthly report's heads, targets, 百分点 and legends (`export report`), and the one
East-Asian font of every workbook laborcli writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.ranking.weekly import order_rule
from laborcli.sheets.workbook import FONT_NAME
from tests.conftest import Cli
from tests.sheets import person, write_xlsx

NEW = dt.date(2026, 3, 1)  # a job start of 2026: a new transfer
_seq = {"n": 0}
POLICY = """
[county]
name = "三都县"
office = "县人力资源和社会保障局"
unit = "三都县就业局"
preparer = "王小明"
reviewer = "李主任"
"""


def _people(township: str, village: str, new: int, idle: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for status, start in [("县外务工", NEW)] * new + [("务农", "")] * idle:
        _seq["n"] += 1
        i = _seq["n"]
        rows.append(
            person(
                f"村民{i}",
                dt.date(1975, 1, 1) + dt.timedelta(days=i),
                seq=i,
                status=status,
                job_start=start,
                township=township,
                village=village,
                household=f"{village}-H{i:04d}",
            )
        )
    return rows


def _import(cli: Cli, folder: Path, villages: dict[tuple[str, str], tuple[int, int]], month: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        str(write_xlsx(folder / f"{t}_{v}_{month}.xlsx", _people(t, v, new, idle)))
        for (t, v), (new, idle) in villages.items()
    ]
    r = cli("import", *paths, "--format", "json")
    assert r.exit_code == 0, r.output


def _targets(cli: Cli, path: Path, rows: list[tuple[str, str, int]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["乡镇", "村(社区)", "年度任务数"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    r = cli("targets", "import", str(path), "--year", "2026")
    assert r.exit_code == 0, r.output


# Six villages in October; in November five of them send a sheet and 丙村 does not. 甲村 and
# 乙村 tie on completion (2/10) and on new transfers: the name decides, in code-point order
# (乙 U+4E59 before 甲 U+7532).
OCTOBER = {
    ("花山镇", "甲村"): (2, 3),
    ("花山镇", "乙村"): (2, 3),
    ("花山镇", "丙村"): (1, 4),
    ("石门乡", "丁村"): (5, 2),
    ("石门乡", "戊村"): (8, 1),
    ("石门乡", "己村"): (0, 5),
}
TARGETS = [(t, v, 10) for t, v in OCTOBER]


@pytest.fixture
def county(cli: Cli, tmp_path: Path) -> Cli:
    _import(cli, tmp_path / "10", OCTOBER, "2026-10")
    _import(cli, tmp_path / "11", {k: v for k, v in OCTOBER.items() if k[1] != "丙村"}, "2026-11")
    _targets(cli, tmp_path / "targets.xlsx", TARGETS)
    return cli


def _policy(tmp_path: Path) -> Path:
    p = tmp_path / "policy.toml"
    p.write_text(POLICY, encoding="utf-8")
    return p


def _texts(ws: Worksheet) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _handout(cli: Cli, tmp_path: Path, week: str = "2026-W49", *extra: str) -> tuple[Any, Workbook]:
    out = tmp_path / "红黑榜.xlsx"
    r = cli(*extra, "rank", "--week", week, "--top", "2", "--export", str(out))
    assert r.exit_code == 0, r.output
    return r, load_workbook(out)


def _body(ws: Worksheet) -> tuple[int, list[list[Any]]]:
    h = next(r for r in range(1, 12) if ws.cell(row=r, column=1).value == "名次")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=h + 1, max_col=10)]
    return h, [r for r in rows if r[0] is not None]


# --- the Friday handout ------------------------------------------------------------------


def test_handout_title_names_the_county_the_week_and_the_office(county: Cli, tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    _, wb = _handout(county, tmp_path, "2026-W48", "--policy", str(policy))
    ws = wb["排名"]
    assert ws["A1"].value == "三都县2026年第48周 (11月23日—11月27日) 转移就业红黑榜"
    assert str(ws["A2"].value).startswith("县人力资源和社会保障局")
    assert wb["红榜"]["A1"].value.startswith("三都县2026年第48周")


def test_handout_without_a_county_in_the_policy_has_a_plain_title(county: Cli, tmp_path: Path) -> None:
    _, wb = _handout(county, tmp_path)
    assert wb["排名"]["A1"].value == "2026年第49周 (11月30日—12月4日) 转移就业红黑榜"


def test_handout_says_which_months_sheets_it_uses_and_which_villages_are_stale(
    county: Cli, tmp_path: Path
) -> None:
    _, wb = _handout(county, tmp_path)
    ws = wb["排名"]
    line = next(t for t in _texts(ws) if t.startswith("数据来源"))
    assert "2026年11月 (2026-11-30, 5 个)" in line and "2026年10月 (2026-10-31, 1 个)" in line
    assert "数据未更新" in line and "花山镇丙村 (2026-10-31)" in line
    _, rows = _body(ws)
    notes = {r[3]: r[9] for r in rows}
    assert notes["丙村"] == "数据未更新 (2026-10-31)"
    assert all(not notes[v] for v in notes if v != "丙村")


def test_handout_on_the_week_of_october_says_so_and_marks_nobody(county: Cli, tmp_path: Path) -> None:
    # Friday 2026-11-27: the October sheets are the ones due; none is stale.
    _, wb = _handout(county, tmp_path, "2026-W48")
    line = next(t for t in _texts(wb["排名"]) if t.startswith("数据来源"))
    assert "2026年10月 (2026-10-31, 6 个)" in line and "均已报送 2026年10月" in line


def test_handout_states_the_tie_rule_of_the_ranking(county: Cli, tmp_path: Path) -> None:
    _, wb = _handout(county, tmp_path)
    ws = wb["排名"]
    assert order_rule("completion", "village") in _texts(ws)
    _, rows = _body(ws)
    # 甲村 and 乙村 tie on completion and new transfers: the name decides, as the rule says
    assert [r[3] for r in rows if r[3] in ("甲村", "乙村")] == ["乙村", "甲村"]


def test_handout_black_list_is_bold_on_white_and_red_list_light(county: Cli, tmp_path: Path) -> None:
    _, wb = _handout(county, tmp_path)
    ws = wb["排名"]
    h, rows = _body(ws)
    lists = [r[8] for r in rows]
    assert lists[:2] == ["红榜", "红榜"] and lists[-2:] == ["黑榜", "黑榜"]
    for i, r in enumerate(rows, start=h + 1):
        for j in range(1, 11):
            c = ws.cell(row=i, column=j)
            color = (c.font.color.rgb if c.font.color is not None else None) or "FF000000"
            assert color in ("FF000000", "00000000"), (c.coordinate, color)  # never white text
            if c.fill.fill_type:
                # a light ground only (prints grey-white in black and white)
                rgb = c.fill.fgColor.rgb
                assert sum(int(rgb[k : k + 2], 16) for k in (2, 4, 6)) > 600, (c.coordinate, rgb)
            if r[8] == "黑榜":
                assert c.font.b and not c.fill.fill_type
            if r[8] == "红榜":
                assert c.fill.fgColor.rgb == "FFFFC7CE"
    legend = next(t for t in _texts(ws) if t.startswith("图例"))
    assert "红榜" in legend and "黑榜" in legend


def test_handout_chart_labels_every_village_with_red_and_black_bars(county: Cli, tmp_path: Path) -> None:
    _, wb = _handout(county, tmp_path)
    ws = wb["排名"]
    _, rows = _body(ws)
    (chart,) = ws._charts
    assert chart.x_axis.tickLblSkip == 1 and chart.x_axis.delete is False
    assert chart.x_axis.scaling.orientation == "maxMin"  # first place on top
    (series,) = chart.series
    assert series.dLbls.showVal and not series.dLbls.showCatName
    rgb = [p.graphicalProperties.solidFill.srgbClr for p in series.dPt]
    colours = {p.idx: str(getattr(c, "val", c)) for p, c in zip(series.dPt, rgb, strict=True)}
    want = {i: "C00000" if r[8] == "红榜" else "000000" for i, r in enumerate(rows) if r[8]}
    assert colours == want
    # the categories are every ranked village
    ref = series.cat.strRef.f if series.cat.strRef is not None else series.cat.numRef.f
    assert ref.endswith(f"$D${_body(ws)[0] + 1}:$D${_body(ws)[0] + len(rows)}")


def test_handout_prints_on_one_a4_page(county: Cli, tmp_path: Path) -> None:
    _, wb = _handout(county, tmp_path)
    ws = wb["排名"]
    ps = ws.page_setup
    assert (ps.orientation, int(ps.paperSize)) == ("landscape", 9)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ps.fitToWidth), int(ps.fitToHeight)) == (1, 1)
    assert ws.print_area  # the table and the chart beside it


def test_rank_export_confirms_the_file_on_stderr(county: Cli, tmp_path: Path) -> None:
    r, _ = _handout(county, tmp_path)
    assert "红黑榜.xlsx" in r.stderr
    quiet = county("--quiet", "rank", "--week", "2026-W49", "--export", str(tmp_path / "q.xlsx"))
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""


def test_unranked_reasons_are_in_chinese(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path / "11", {("花山镇", "甲村"): (1, 1), ("花山镇", "乙村"): (1, 1)}, "2026-11")
    _targets(cli, tmp_path / "t.xlsx", [("花山镇", "甲村", 10)])
    r = cli("rank", "--week", "2026-W49", "--export", str(tmp_path / "h.xlsx"))
    assert r.exit_code == 0, r.output
    ws = load_workbook(tmp_path / "h.xlsx")["未排名"]
    assert ["花山镇", "乙村", "无年度任务"] in [[c.value for c in row] for row in ws.iter_rows()]


# --- the monthly report ------------------------------------------------------------------


def _report(cli: Cli, tmp_path: Path, *extra: str) -> Workbook:
    out = tmp_path / "月报.xlsx"
    r = cli(*extra, "export", "report", "--as-of", "2026-11-30", "-o", str(out))
    assert r.exit_code == 0, r.output
    return load_workbook(out)


def _table(ws: Worksheet) -> tuple[int, list[Any], list[list[Any]]]:
    h = next(r for r in range(1, 8) if ws.cell(row=r, column=1).value in ("指标", "乡镇"))
    heads = [c.value for c in ws[h]]
    rows = []
    for row in ws.iter_rows(min_row=h + 1, values_only=True):
        if all(v in (None, "") for v in row):
            break
        rows.append(list(row))
    return h, heads, rows


def test_report_heads_name_the_county_and_sign_off_lines(county: Cli, tmp_path: Path) -> None:
    wb = _report(county, tmp_path, "--policy", str(_policy(tmp_path)))
    for name in ("汇总", "乡镇", "村", "脱贫劳动力"):
        ws = wb[name]
        assert str(ws["A1"].value).startswith("三都县"), name
        texts = _texts(ws)
        assert any(t.startswith("填报单位: 三都县就业局") for t in texts), name
        sign = next(t for t in texts if t.startswith("审核人"))
        assert "审核人: 李主任" in sign and "制表人: 王小明" in sign
        assert "填报日期:      年    月    日" in sign  # written by hand when signed
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert (notes["县"], notes["填报单位"], notes["制表人"], notes["审核人"]) == (
        "三都县",
        "三都县就业局",
        "王小明",
        "李主任",
    )


def test_report_sign_off_lines_are_blank_when_the_policy_does_not_set_them(
    county: Cli, tmp_path: Path
) -> None:
    wb = _report(county, tmp_path)
    texts = _texts(wb["村"])
    assert any(t.startswith("填报单位: ") and "统计截至: 2026-11-30" in t for t in texts)
    sign = next(t for t in texts if t.startswith("审核人"))
    assert sign.startswith("审核人:  ") and "制表人:  " in sign
    assert str(wb["汇总"]["A1"].value).startswith("全县")


def test_report_township_and_village_sheets_show_targets_and_completion(county: Cli, tmp_path: Path) -> None:
    wb = _report(county, tmp_path)
    rates = county.json("rates", "--as-of", "2026-11-30", "--by", "village")
    new = {r["village"]: r["new_transfers"] for r in rates["rows"]}
    _, heads, rows = _table(wb["村"])
    got = {r[1]: (r[heads.index("年度任务")], r[heads.index("完成率")]) for r in rows[:-1]}
    assert got == {v: (10, pytest.approx(new[v] / 10)) for (_, v) in OCTOBER}
    total = rows[-1]
    assert total[heads.index("年度任务")] == 60
    assert total[heads.index("完成率")] == pytest.approx(sum(new.values()) / 60)
    _, heads, rows = _table(wb["乡镇"])
    by_town = {r[0]: (r[heads.index("年度任务")], r[heads.index("完成率")]) for r in rows[:-1]}
    hua = sum(new[v] for v in ("甲村", "乙村", "丙村"))
    assert by_town["花山镇"] == (30, pytest.approx(hua / 30))
    ws = wb["村"]
    h = _table(ws)[0]
    assert ws.cell(row=h + 1, column=heads.index("完成率") + 2).number_format == "0.0%"


def test_report_without_targets_has_no_target_columns(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path / "11", {("花山镇", "甲村"): (1, 1)}, "2026-11")
    wb = _report(cli, tmp_path)
    for name in ("乡镇", "村"):
        _, heads, _ = _table(wb[name])
        assert "年度任务" not in heads and "完成率" not in heads


def test_report_changes_of_rates_are_in_percentage_points(county: Cli, tmp_path: Path) -> None:
    wb = _report(county, tmp_path)
    ws = wb["汇总"]
    h, _, rows = _table(ws)
    now = county.json("rates", "--as-of", "2026-11-30", "--by", "county")["total"]["transfer_rate"]
    before = county.json("rates", "--as-of", "2026-10-31", "--by", "county")["total"]["transfer_rate"]
    i = next(i for i, r in enumerate(rows) if r[0] == "转移就业率")
    cell = ws.cell(row=h + 1 + i, column=4)
    assert cell.value == pytest.approx((now - before) * 100, abs=1e-8)
    assert cell.number_format.startswith('+0.0"个百分点"')
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert "百分点" in notes["口径: 变化"]


def test_report_has_a_legend_for_every_colouring(county: Cli, tmp_path: Path) -> None:
    wb = _report(county, tmp_path)
    village = next(t for t in _texts(wb["村"]) if t.startswith("图例"))
    assert "红色底纹" in village and "低于全县" in village and "数据未更新" in village
    quality = next(t for t in _texts(wb["数据质量"]) if t.startswith("图例"))
    assert "红色" in quality and "未按期更新" in quality and "拒收" in quality


def test_report_village_sheet_marks_a_stale_village(county: Cli, tmp_path: Path) -> None:
    wb = _report(county, tmp_path)
    _, heads, rows = _table(wb["村"])
    notes = {r[1]: r[heads.index("备注")] for r in rows[:-1]}
    assert notes["丙村"] == "数据未更新 (花名册 2026-10-31)"
    assert all(not notes[v] for v in notes if v != "丙村")
    _, qheads, qrows = _table(wb["数据质量"])
    stale = {r[1]: r[qheads.index("未按期更新")] for r in qrows}
    assert stale["丙村"].startswith("是") and not any(stale[v] for v in stale if v != "丙村")


# --- one East-Asian font in every workbook laborcli writes ---------------------------------


def _fonts(path: Path, skip: tuple[str, ...] = ()) -> set[str | None]:
    wb = load_workbook(path)
    if not skip:
        assert wb._fonts[0].name == FONT_NAME  # the default of cells without a font of their own
    return {
        c.font.name
        for ws in wb.worksheets
        if ws.title not in skip
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def test_every_workbook_laborcli_writes_is_in_one_east_asian_font(county: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    runs = {
        "report.xlsx": ["export", "report", "--as-of", "2026-11-30", "-o", str(out / "report.xlsx")],
        "people.xlsx": ["export", "people", "-f", "xlsx", "-o", str(out / "people.xlsx")],
        "hand.xlsx": ["rank", "--week", "2026-W49", "--export", str(out / "hand.xlsx")],
        "zero.xlsx": ["households", "--zero-employment", "--export", str(out / "zero.xlsx")],
        "review.xlsx": ["dedup", "--export", str(out / "review.xlsx")],
        "template.xlsx": ["template", "-o", str(out / "template.xlsx")],
    }
    for name, args in runs.items():
        r = county(*args)
        assert r.exit_code in (0, 1), (name, r.output)
        assert _fonts(out / name) == {FONT_NAME}, name
    sheet = next((tmp_path / "11").iterdir())
    r = county("validate", str(sheet), "--annotate", str(out / "批注"))
    (copy,) = (out / "批注").iterdir()
    # the village's own sheet keeps its fonts; what laborcli adds is in the house font
    assert _fonts(copy, skip=tuple(load_workbook(copy).sheetnames[1:])) == {FONT_NAME}
    theme = load_workbook(out / "report.xlsx").loaded_theme
    assert f'<a:ea typeface="{FONT_NAME}"/>'.encode() in theme


def test_every_workbook_writer_starts_from_new_workbook() -> None:
    """A writer that made its own ``Workbook()`` would miss the house font (a source scan)."""
    src = Path(__file__).resolve().parents[1] / "src" / "laborcli"
    own = [
        p.relative_to(src).as_posix()
        for p in src.rglob("*.py")
        if "Workbook()" in p.read_text(encoding="utf-8") and p.name != "workbook.py"
    ]
    assert own == []
    users = {
        p.parent.name + "/" + p.name for p in src.rglob("*.py") if "new_workbook(" in p.read_text("utf-8")
    }
    assert {
        "exports/report.py",
        "exports/ranking.py",
        "exports/households.py",
        "exports/people.py",
        "exports/review.py",
        "sheets/template.py",
        "sheets/annotate.py",
    } <= users


def test_a_dropdown_is_given_to_exactly_the_rows_asked_as_ranges(tmp_path: Path) -> None:
    """The ledger's and the training review's dropdowns: set at once, as ranges of
    consecutive rows (openpyxl's per-cell add was quadratic in the rows)."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from laborcli.sheets.workbook import dropdown_rows, new_workbook

    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    dv = DataValidation(type="list", formula1='"已发放,不予发放"', allow_blank=True)
    ws.add_data_validation(dv)
    wanted = [*range(3, 20_003), 20_005, 20_007, 20_008]
    dropdown_rows(dv, "K", reversed(wanted))
    assert str(dv.sqref) == "K3:K20002 K20005 K20007:K20008"
    path = tmp_path / "dv.xlsx"
    wb.save(path)
    [back] = load_workbook(path).active.data_validations.dataValidation
    assert "K3" in back.sqref and "K20002" in back.sqref and "K20007" in back.sqref
    assert "K2" not in back.sqref and "K20003" not in back.sqref and "K20006" not in back.sqref
