"""The annotated copy a village gets back (`validate --annotate DIR`): its 问题清单 first
sheet, the legend, the print setup, merges and widths of rebuilt sheets, distinct names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.sheets.workbook import FONT_NAME
from tests.conftest import Cli
from tests.sheets import STANDARD, person, write_csv, write_xlsx

NAME = "甲镇_一村_2026-11.xlsx"
RED, YELLOW = "FFFFC7CE", "FFFFEB9C"


def _rows(n: int, bad: dict[int, dict[str, object]] | None = None) -> list[dict[str, object]]:
    out = []
    for i in range(n):
        p = person(f"村民{i}", dt.date(1980 + i, 1 + i % 12, 1 + i), seq=i + 1, household=f"H{i:03d}")
        p.update((bad or {}).get(i, {}))
        out.append(p)
    return out


def _bad_id(p: dict[str, object]) -> str:
    """The person's ID with a wrong check digit (a warning whose value is an identifier)."""
    good = str(p["身份证号码"])
    return good[:-1] + ("0" if good[-1] != "0" else "1")


def _annotate(cli: Cli, out: Path, *srcs: Path, show_pii: bool = False) -> Any:
    args = ["validate", *[str(s) for s in srcs], "--annotate", str(out), "--format", "json"]
    r = cli(*args, *(["--show-pii"] if show_pii else []))
    assert r.exit_code in (0, 1), r.output
    return r


def _list_rows(ws: Worksheet) -> tuple[list[str], list[list[Any]]]:
    """The header and lines of 问题清单 (the header is the row starting with 序号)."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    h = next(i for i, r in enumerate(rows) if r[0] == "序号")
    return rows[h], rows[h + 1 :]


def _sheet(tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    people = _rows(3)
    people[1]["就业状态"] = "打工"
    people[2]["身份证号码"] = _bad_id(people[2])
    return write_xlsx(tmp_path / NAME, people, title_rows=[["一村劳动力信息统计表"]]), people


def test_the_copy_opens_on_a_problem_list_with_row_column_value_problem_and_fix(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    src, people = _sheet(tmp_path)
    _annotate(cli_sqlite, tmp_path / "批注", src)
    wb = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")
    assert wb.sheetnames == ["问题清单", "Sheet1"] and wb.active.title == "问题清单"
    ws = wb["问题清单"]
    assert "错误 1 个" in ws["A1"].value and "警告 1 个" in ws["A1"].value
    head, lines = _list_rows(ws)
    assert head == ["序号", "工作表", "行", "列", "填写内容", "级别", "问题", "修改方法"]
    by_row = {r[2]: r for r in lines}
    # title row 1, header row 2: person 1 on row 4 (就业状态 is column U), person 2 on row 5
    assert by_row[4][1:7] == ["Sheet1", 4, "U (就业状态)", "打工", "错误", "就业状态不在规定的取值中"]
    assert "县外务工" in by_row[4][7]  # how to fix: the allowed statuses
    bad = str(people[2]["身份证号码"])
    assert by_row[5][3] == "H (身份证号码)" and by_row[5][5] == "警告"
    assert by_row[5][4] == bad[:6] + "********" + bad[-4:]  # masked like every output
    assert "校验位" in by_row[5][6] and by_row[5][7]
    # The problem column says what is wrong; the advice is in its own column, not repeated.
    assert by_row[5][7] not in by_row[5][6]


def test_the_problem_list_shows_identifiers_whole_with_show_pii(cli_sqlite: Cli, tmp_path: Path) -> None:
    src, people = _sheet(tmp_path)
    _annotate(cli_sqlite, tmp_path / "批注", src, show_pii=True)
    _, lines = _list_rows(load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")["问题清单"])
    assert {r[2]: r for r in lines}[5][4] == people[2]["身份证号码"]


def test_the_problem_list_has_a_legend_of_red_and_yellow(cli_sqlite: Cli, tmp_path: Path) -> None:
    src, _ = _sheet(tmp_path)
    _annotate(cli_sqlite, tmp_path / "批注", src)
    wb = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")
    ws = wb["问题清单"]
    legend = {ws.cell(row=r, column=1).fill.start_color.rgb: ws.cell(row=r, column=2).value for r in (2, 3)}
    assert "错误" in legend[RED] and "警告" in legend[YELLOW]
    # the level column is coloured like the cells it lists
    _, lines = _list_rows(ws)
    h = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "序号")
    fills = {ws.cell(row=h + 1 + i, column=6).fill.start_color.rgb for i in range(len(lines))}
    assert fills == {RED, YELLOW}
    # the village's sheet prints the legend in its page header (comments do not print)
    header = wb["Sheet1"].oddHeader.center.text
    assert "红色" in header and "黄色" in header and "问题清单" in header


def test_every_sheet_of_the_copy_prints_landscape_fit_to_width_with_header_rows_repeated(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    src, _ = _sheet(tmp_path)
    _annotate(cli_sqlite, tmp_path / "批注", src)
    wb = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    # the village's title and header rows; the list's header row
    assert wb["Sheet1"].print_title_rows.replace("$", "") == "1:2"
    h = next(r for r in range(1, 10) if wb["问题清单"].cell(row=r, column=1).value == "序号")
    assert wb["问题清单"].print_title_rows.replace("$", "") == f"{h}:{h}"


def test_the_problem_list_is_in_the_house_font(cli_sqlite: Cli, tmp_path: Path) -> None:
    src, _ = _sheet(tmp_path)
    _annotate(cli_sqlite, tmp_path / "批注", src)
    ws = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")["问题清单"]
    names = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert names == {FONT_NAME}


def test_a_clean_sheet_gets_a_list_saying_so(cli_sqlite: Cli, tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / NAME, _rows(2))
    _annotate(cli_sqlite, tmp_path / "批注", src)
    _, lines = _list_rows(load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")["问题清单"])
    assert [r[6] for r in lines] == ["未发现问题"]


def test_two_inputs_of_one_stem_get_copies_of_their_own(cli_sqlite: Cli, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write_xlsx(tmp_path / "a" / "石门村.xlsx", _rows(2, {0: {"就业状态": "甲"}}), title_rows=[["花山镇"]])
    b = write_xlsx(tmp_path / "b" / "石门村.xlsx", _rows(2, {1: {"就业状态": "乙"}}), title_rows=[["花山镇"]])
    c = write_csv(tmp_path / "a" / "石门村.csv", _rows(2, {0: {"就业状态": "丙"}}), title_rows=[["花山镇"]])
    r = _annotate(cli_sqlite, tmp_path / "批注", a, b, c)
    made = sorted(p.name for p in (tmp_path / "批注").iterdir())
    assert made == ["石门村_a_xlsx_批注.xlsx", "石门村_b_xlsx_批注.xlsx", "石门村_csv_批注.xlsx"]
    for name, typed in [("石门村_a_xlsx", "甲"), ("石门村_b_xlsx", "乙"), ("石门村_csv", "丙")]:
        _, lines = _list_rows(load_workbook(tmp_path / "批注" / f"{name}_批注.xlsx")["问题清单"])
        assert [ln[4] for ln in lines] == [typed]
        assert f"{name}_批注.xlsx" in r.stderr  # each copy confirmed on stderr


def test_a_csv_copy_has_columns_as_wide_as_their_contents(cli_sqlite: Cli, tmp_path: Path) -> None:
    people = _rows(2, {1: {"就业状态": "打工"}})
    src = write_csv(tmp_path / "甲镇_一村_2026-11.csv", people)
    _annotate(cli_sqlite, tmp_path / "批注", src)
    ws = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")["甲镇_一村_2026-11"]
    id_col = "H"  # 身份证号码: 18 digits
    assert ws.column_dimensions[id_col].width >= 18
    assert ws.column_dimensions["G"].width < ws.column_dimensions[id_col].width  # 姓名 narrower
    assert ws.print_title_rows.replace("$", "") == "1:1" and ws.page_setup.orientation == "landscape"


def test_an_xls_copy_keeps_its_merged_title(cli_sqlite: Cli, tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")  # no .xls writer installed: nothing to test with
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 9, "一村劳动力信息统计表")
    people = _rows(2, {1: {"就业状态": "打工"}})
    for j, h in enumerate(STANDARD):
        ws.write(1, j, h)
        for i, p in enumerate(people):
            v = p[h]
            ws.write(2 + i, j, v.isoformat() if isinstance(v, dt.date) else v)
    wb.save(str(tmp_path / "甲镇_一村_2026-11.xls"))
    _annotate(cli_sqlite, tmp_path / "批注", tmp_path / "甲镇_一村_2026-11.xls")
    out = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")["Sheet1"]
    assert [str(m) for m in out.merged_cells.ranges] == ["A1:J1"]
    assert out["U4"].fill.start_color.rgb == RED
    assert out.column_dimensions["H"].width >= 18


def test_an_xlsx_copy_keeps_its_widths_or_gets_them_from_its_contents(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    people = _rows(2, {1: {"就业状态": "打工"}})
    bare = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", people, title_rows=[["一村劳动力信息统计表" * 3]])
    wb = load_workbook(bare)
    wb.active.column_dimensions["H"].width = 33
    wb.save(tmp_path / "甲镇_二村_2026-11.xlsx")
    _annotate(cli_sqlite, tmp_path / "批注", bare, tmp_path / "甲镇_二村_2026-11.xlsx")
    fitted = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")["Sheet1"]
    assert fitted.column_dimensions["H"].width >= 18  # the 18-digit IDs
    assert fitted.column_dimensions["A"].width < 20  # the long title above the header does not count
    kept = load_workbook(tmp_path / "批注" / "甲镇_二村_2026-11_批注.xlsx")["Sheet1"]
    assert kept.column_dimensions["H"].width == 33 and kept.column_dimensions["A"].width in (None, 13.0)
