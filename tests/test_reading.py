"""The sheet reader (title rows, headers, blank and totals rows, row numbers, formats)
and what goes back to villages (the annotated copy and the blank template)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from laborcli.cli.app import main
from tests.conftest import Cli
from tests.sheets import STANDARD, person, write_csv, write_xlsx

NAME = "甲镇_一村_2026-11.xlsx"


def _rows(n: int, bad: Mapping[int, Mapping[str, object]] | None = None) -> list[dict[str, object]]:
    """n valid people; ``bad[i]`` overrides cells of person i (0-based)."""
    out = []
    for i in range(n):
        p = person(f"村民{i}", dt.date(1980 + i, 1 + i % 12, 1 + i), seq=i + 1, household=f"H{i:03d}")
        p.update((bad or {}).get(i, {}))
        out.append(p)
    return out


def _place(
    path: Path,
    people: Sequence[dict[str, object]],
    *,
    first_row: int,
    first_col: int = 1,
    title: tuple[int, str] | None = None,
    gap_after: int | None = None,
) -> Path:
    """The header at (first_row, first_col), nothing above it but an optional (row, title);
    with ``gap_after`` an empty row after that many people."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.cell(row=title[0], column=first_col, value=title[1])
    for j, h in enumerate(STANDARD):
        ws.cell(row=first_row, column=first_col + j, value=h)
    r = first_row
    for i, p in enumerate(people):
        r += 2 if gap_after is not None and i == gap_after else 1
        for j, h in enumerate(STANDARD):
            ws.cell(row=r, column=first_col + j, value=p[h])
    wb.save(path)
    return path


def _at(headers: Sequence[str], cells: dict[str, object]) -> list[object]:
    """A row with just these cells filled."""
    return [cells.get(h, "") for h in headers]


def _sheet_with_rows(path: Path, headers: Sequence[str], rows: Sequence[object]) -> Path:
    """Header on row 1, then each row: a person dict or a list of cells."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h, "") for h in headers] if isinstance(row, dict) else list(row))  # type: ignore[call-overload]
    wb.save(path)
    return path


def _check(cli: Cli, *paths: object) -> Any:
    """`validate --format json` on the paths; the parsed report."""
    return cli.json("validate", *[str(p) for p in paths])


def _problems(rep: Any) -> list[tuple[str, int, str | None, str]]:
    """(sheet, row, column, code) of every problem of every file."""
    return [(p["sheet"], p["row"], p["column"], p["code"]) for f in rep["files"] for p in f["problems"]]


# --- header row ------------------------------------------------------------------


def test_header_found_under_two_title_rows_and_rows_numbered_as_excel(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    # rows 1-2 titles, row 3 header, people on rows 4, 5, 6: the bad status is on row 5
    f = write_xlsx(
        tmp_path / NAME,
        _rows(3, {1: {"就业状态": "打工"}}),
        title_rows=[["一村劳动力信息统计表"], ["填报日期: 2026-11-30"]],
    )
    rep = _check(cli_sqlite, f)
    assert rep["files"][0]["rows_read"] == 3
    assert _problems(rep) == [("Sheet1", 5, "就业状态", "status-unknown")]


@pytest.mark.parametrize("titles", [1, 2, 3])
def test_header_found_under_one_to_three_title_rows(cli_sqlite: Cli, tmp_path: Path, titles: int) -> None:
    title_rows = [
        ["一村劳动力信息统计表"],
        ["填报单位: 甲镇一村", "", "", "填报日期: 2026-11-30"],
        ["单位: 人"],
    ]
    f = write_xlsx(tmp_path / NAME, _rows(2, {1: {"就业状态": "打工"}}), title_rows=title_rows[:titles])
    rep = _check(cli_sqlite, f)
    # header on row titles + 1, people on titles + 2 and titles + 3
    assert rep["files"][0]["rows_read"] == 2
    assert _problems(rep) == [("Sheet1", titles + 3, "就业状态", "status-unknown")]


def test_row_numbers_count_leading_empty_rows_and_columns(cli_sqlite: Cli, tmp_path: Path) -> None:
    # rows 1-3 and column A left empty: header on row 4 from column B, people on rows 5, 6, 7
    f = _place(tmp_path / NAME, _rows(3, {2: {"就业状态": "打工"}}), first_row=4, first_col=2)
    rep = _check(cli_sqlite, f)
    assert rep["files"][0]["rows_read"] == 3
    assert _problems(rep) == [("Sheet", 7, "就业状态", "status-unknown")]


def test_row_numbers_count_empty_rows_above_a_title_and_blank_rows_inside(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    # rows 1-2 empty, title on row 3, row 4 empty, header row 5; people on 6, 7, then a
    # blank row 8, then 9 and 10: the bad person (the fourth) is on row 10
    people = _rows(4, {3: {"月收入(元)": "很多"}})
    f = _place(tmp_path / NAME, people, first_row=5, title=(3, "一村劳动力信息统计表"), gap_after=2)
    rep = _check(cli_sqlite, f)
    assert rep["files"][0]["rows_read"] == 4
    assert _problems(rep) == [("Sheet", 10, "月收入(元)", "income-invalid")]


# --- headers ---------------------------------------------------------------------


def test_headers_with_spaces_line_breaks_and_full_width_parentheses_are_recognised(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    rename = {
        "姓名": " 姓 名 ",
        "就业状态": "就业\n状态",
        "月收入(元)": "月收入（元）",
        "村(社区)": "村（社区）",
        "乡镇(街道)": "乡镇（街道） ",
    }
    bad = {0: {"月收入(元)": "很多"}, 1: {"就业状态": "打工"}, 2: {"姓名": ""}}
    rep = _check(cli_sqlite, write_xlsx(tmp_path / NAME, _rows(4, bad), rename=rename))
    # each problem names the column as the sheet writes it; the name check proves 姓名 was found
    assert _problems(rep) == [
        ("Sheet1", 2, "月收入（元）", "income-invalid"),
        ("Sheet1", 3, "就业\n状态", "status-unknown"),
        ("Sheet1", 4, " 姓 名 ", "name-missing"),
    ]
    assert rep["files"][0]["rows_imported"] == 1


def test_header_aliases_map_to_their_columns(cli_sqlite: Cli, tmp_path: Path) -> None:
    rename = {
        "姓名": "劳动力姓名",
        "身份证号码": "公民身份号码",
        "是否脱贫户": "建档立卡贫困户",
        "就业状态": "务工状态",
        "联系电话": "手机号码",
        "月收入(元)": "月工资",
        "村(社区)": "行政村",
    }
    bad = {
        0: {"是否脱贫户": "也许"},
        1: {"就业状态": "打工"},
        2: {"联系电话": "12345"},
        3: {"月收入(元)": "-5"},
    }
    rep = _check(cli_sqlite, write_xlsx(tmp_path / NAME, _rows(5, bad), rename=rename))
    assert _problems(rep) == [
        ("Sheet1", 2, "建档立卡贫困户", "yesno-unknown"),
        ("Sheet1", 3, "务工状态", "status-unknown"),
        ("Sheet1", 4, "手机号码", "phone-invalid"),
        ("Sheet1", 5, "月工资", "income-invalid"),
    ]


def test_aliased_columns_count_in_the_figures(cli: Cli, tmp_path: Path) -> None:
    rename = {"村(社区)": "村委会", "乡镇(街道)": "乡镇", "是否脱贫户": "贫困户", "就业状态": "就业情况"}
    people = _rows(3, {0: {"是否脱贫户": "是"}, 1: {"是否脱贫户": "是", "就业状态": "务农"}})
    rep = cli.json("import", str(write_xlsx(tmp_path / NAME, people, rename=rename)))
    assert rep["files"][0]["status"] == "imported"
    row = cli.json("rates", "--as-of", "2026-11-30", "--by", "village")["rows"][0]
    # 3 people aged 44-46; 2 县外务工, 1 务农; poor: person 0 (transferred) and 1 (not)
    assert (row["township"], row["village"]) == ("甲镇", "一村")
    assert (row["labour_force"], row["transferred"]) == (3, 2)
    assert (row["poor_labour_force"], row["poor_transferred"]) == (2, 1)


# --- rows that are not people ----------------------------------------------------


def test_blank_totals_repeated_header_and_signature_rows_are_skipped_without_problems(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    headers = ["序号", *STANDARD]
    people = [{**p, "序号": i + 1} for i, p in enumerate(_rows(4))]
    width = len(headers)
    f = _sheet_with_rows(
        tmp_path / NAME,
        headers,
        [
            people[0],
            people[1],
            [""] * width,  # a blank row
            _at(headers, {"村民小组": "小计", "家庭人口数": 2}),
            people[2],
            list(headers),  # the header printed again (pages pasted together)
            [None] * width,
            people[3],
            _at(headers, {"序号": "合计", "家庭人口数": 4}),
            _at(headers, {"姓名": "总计：", "家庭人口数": 4}),
            _at(headers, {"序号": "填报人：王五", "村民小组": "审核人：赵六"}),
        ],
    )
    rep = _check(cli_sqlite, f)
    assert rep["files"][0]["problems"] == []
    assert (rep["files"][0]["rows_read"], rep["files"][0]["rows_imported"]) == (4, 4)


def test_totals_row_is_not_counted_in_the_figures(cli: Cli, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / NAME, _rows(2), extra_rows=[["合计", "", "", "", "", 2]])
    rep = cli.json("import", str(f))
    assert rep["totals"]["rows_imported"] == 2
    assert cli.json("rates", "--as-of", "2026-11-30")["total"]["labour_force"] == 2


# --- several sheets, folders and globs ---------------------------------------------


def test_every_register_sheet_of_a_workbook_is_read_and_a_notes_sheet_ignored(
    cli: Cli, tmp_path: Path
) -> None:
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "填表说明"
    for line in ("1. 每人一行", "2. 姓名必填", "3. 就业状态从下拉列表选择"):
        notes.append([line])
    one = wb.create_sheet("一组")
    one.append(STANDARD)
    for p in _rows(2):
        one.append([p[h] for h in STANDARD])
    two = wb.create_sheet("二组")
    two.append(["二组花名册"])
    two.append(STANDARD)
    more = [person(f"二组{i}", dt.date(1990, 1, 1 + i), seq=20 + i, group="2组") for i in range(3)]
    more[2]["就业状态"] = "打工"
    for p in more:
        two.append([p[h] for h in STANDARD])
    wb.save(tmp_path / NAME)
    rep = cli.json("import", str(tmp_path / NAME))
    f = rep["files"][0]
    # 2 + 3 rows read; the third person of 二组 (row 5 there: title, header, 3, 4, 5) rejected
    assert (f["status"], f["rows_read"], f["rows_imported"]) == ("imported", 5, 4)
    assert _problems(rep) == [("二组", 5, "就业状态", "status-unknown")]
    assert cli.json("rates", "--as-of", "2026-11-30")["total"]["labour_force"] == 4


def test_a_folder_argument_reads_every_sheet_inside_it(cli_sqlite: Cli, tmp_path: Path) -> None:
    d = tmp_path / "十一月"
    (d / "乙镇").mkdir(parents=True)
    write_xlsx(d / "甲镇_一村_2026-11.xlsx", _rows(2))
    write_xlsx(d / "乙镇" / "乙镇_二村_2026-11.xlsx", _rows(3), rename={"村(社区)": "村"})
    write_csv(d / "甲镇_三村_2026-11.csv", _rows(1))
    (d / "说明.txt").write_text("not a sheet", encoding="utf-8")
    (d / "~$甲镇_一村_2026-11.xlsx").write_bytes(b"lock file of an open workbook")
    rep = _check(cli_sqlite, d)
    names = sorted(Path(f["path"]).name for f in rep["files"])
    assert names == ["乙镇_二村_2026-11.xlsx", "甲镇_一村_2026-11.xlsx", "甲镇_三村_2026-11.csv"]
    assert rep["totals"] == {"files": 3, "rows_read": 6, "rows_imported": 6, "rows_rejected": 0}


def test_a_glob_argument_reads_the_matching_sheets(cli_sqlite: Cli, tmp_path: Path) -> None:
    write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows(2))
    write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", _rows(3))
    write_xlsx(tmp_path / "甲镇_一村_2026-10.xlsx", _rows(4))
    rep = _check(cli_sqlite, tmp_path / "*_2026-11.xlsx")
    names = [Path(f["path"]).name for f in rep["files"]]
    assert names == ["甲镇_一村_2026-11.xlsx", "甲镇_二村_2026-11.xlsx"]
    assert rep["totals"]["rows_read"] == 5


def test_a_glob_matching_nothing_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(tmp_path / "r.db"), "validate", str(tmp_path / "*.xlsx")])
    out = capsys.readouterr()
    assert code == 2
    assert out.out == "" and "*.xlsx" in out.err and "Traceback" not in out.err


# --- what the bytes really are -----------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "content", "why"),
    [
        (".xlsx", "姓名,就业状态\r\n张三,务农\r\n".encode(), "不是 Excel"),  # CSV saved as .xlsx
        (
            ".xlsx",
            b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>",
            "HTML",
        ),
        (
            ".xls",
            b"<!DOCTYPE html>\n<html><table><tr><td>x</td></tr></table></html>",
            "HTML",
        ),  # web page as .xls
        (".xlsx", b"PK\x03\x04" + bytes(range(256)) * 4, "损坏"),  # a truncated zip
        (".xlsx", bytes(range(256)) * 8, "不是 Excel"),  # binary garbage
        (".xlsx", b"", "空"),
    ],
    ids=["csv", "html", "html-as-xls", "truncated-zip", "garbage", "empty"],
)
def test_a_file_named_excel_that_is_not_a_workbook_is_refused_naming_the_file(
    cli_sqlite: Cli, tmp_path: Path, suffix: str, content: bytes, why: str
) -> None:
    good = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows(2))
    bad = tmp_path / f"甲镇_二村_2026-11{suffix}"
    bad.write_bytes(content)
    for command in ("validate", "import"):
        r = cli_sqlite(command, str(good), str(bad), "--format", "json")
        assert r.exit_code == 1, r.output
        assert "Traceback" not in r.output
        ok, refused = json.loads(r.stdout)["files"]
        assert ok["rows_read"] == 2 and ok["status"] in ("checked", "imported")
        assert (refused["status"], refused["rows_read"]) == ("rejected", 0)
        [p] = refused["problems"]
        assert p["code"] == "file-unreadable" and p["severity"] == "error"
        assert bad.name in p["message"] and why in p["message"]
        # and one message on stderr that names the file (the good one is not mentioned)
        assert bad.name in r.stderr and good.name not in r.stderr


def test_a_workbook_named_csv_is_read_as_a_workbook(cli_sqlite: Cli, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "x.xlsx", _rows(3, {2: {"就业状态": "打工"}}), title_rows=[["标题"]])
    renamed = f.rename(tmp_path / "甲镇_一村_2026-11.csv")
    rep = _check(cli_sqlite, renamed)
    assert rep["files"][0]["rows_read"] == 3
    assert _problems(rep) == [("Sheet1", 5, "就业状态", "status-unknown")]


def test_a_csv_in_gb18030_with_a_title_row_reads_like_the_workbook(cli_sqlite: Cli, tmp_path: Path) -> None:
    people = _rows(3, {2: {"就业状态": "打工"}})
    f = write_csv(tmp_path / "甲镇_一村_2026-11.csv", people, encoding="gb18030", title_rows=[["一村花名册"]])
    rep = _check(cli_sqlite, f)
    # title row 1, header row 2, people on 3, 4, 5; sheet named after the file
    assert _problems(rep) == [("甲镇_一村_2026-11", 5, "就业状态", "status-unknown")]


def test_a_formula_without_a_cached_value_reads_as_empty(cli_sqlite: Cli, tmp_path: Path) -> None:
    # openpyxl saves formulas without their results, as many generated sheets are
    people = _rows(3, {0: {"就业状态": '="县外"&"务工"'}, 1: {"月收入(元)": "=1500*3"}})
    rep = _check(cli_sqlite, write_xlsx(tmp_path / NAME, people))
    # the empty status is an error (row 2); the empty income is unknown, not an error
    assert [(p["row"], p["code"], p["value"]) for p in rep["files"][0]["problems"]] == [
        (2, "status-missing", None)
    ]
    assert rep["files"][0]["rows_imported"] == 2


def test_an_old_xls_workbook_is_read_with_excel_row_numbers(cli_sqlite: Cli, tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")  # no .xls writer installed: nothing to test with
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, "一村劳动力信息统计表")
    people = _rows(2, {1: {"就业状态": "打工"}})
    for j, h in enumerate(STANDARD):
        ws.write(1, j, h)
        for i, p in enumerate(people):
            v = p[h]
            ws.write(2 + i, j, v.isoformat() if isinstance(v, dt.date) else v)
    wb.save(str(tmp_path / "甲镇_一村_2026-11.xls"))
    rep = _check(cli_sqlite, tmp_path / "甲镇_一村_2026-11.xls")
    assert _problems(rep) == [("Sheet1", 4, "就业状态", "status-unknown")]


def test_the_refusal_on_stderr_is_one_line(cli_sqlite: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "甲镇_二村_2026-11.xlsx"
    bad.write_text("姓名,就业状态\n张三,务农\n", encoding="utf-8")
    r = cli_sqlite("validate", str(bad), "--format", "json")
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and bad.name in lines[0] and "不是 Excel 工作簿" in lines[0]


# --- the annotated copy sent back to the village -------------------------------------

RED, YELLOW = "FFFFC7CE", "FFFFEB9C"


def _annotated(cli: Cli, src: Path, out: Path) -> Any:
    """Run validate --annotate and open the copy (``<stem>_批注.xlsx``)."""
    r = cli("validate", str(src), "--annotate", str(out), "--format", "json")
    assert r.exit_code == 1, r.output  # the sheet has an error row
    return load_workbook(out / f"{src.stem}_批注.xlsx")


def test_annotated_copy_marks_error_red_and_warning_yellow_with_comments(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    people = _rows(3, {1: {"就业状态": "打工"}, 2: {"联系电话": "12345"}})
    src = write_xlsx(tmp_path / NAME, people, title_rows=[["一村劳动力信息统计表"]])
    ws = _annotated(cli_sqlite, src, tmp_path / "批注")["Sheet1"]
    # title row 1, header row 2, people rows 3-5; 就业状态 is column U (21st), 联系电话 M (13th)
    assert ws["U4"].value == "打工"
    assert ws["U4"].fill.fill_type == "solid" and ws["U4"].fill.start_color.rgb == RED
    assert ws["U4"].comment is not None and "就业状态不在规定的取值中" in ws["U4"].comment.text
    assert "错误" in ws["U4"].comment.text
    assert ws["M5"].value == "12345"
    assert ws["M5"].fill.fill_type == "solid" and ws["M5"].fill.start_color.rgb == YELLOW
    assert ws["M5"].comment is not None and "联系电话不是11位手机号" in ws["M5"].comment.text
    assert "警告" in ws["M5"].comment.text
    marked = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.fill.fill_type or c.comment}
    assert marked == {(4, 21), (5, 13)}  # every other cell untouched
    assert [c.value for c in ws[3]][6:8] == ["村民0", people[0]["身份证号码"]]  # values kept


def test_annotated_copy_marks_a_row_problem_on_the_row_and_keeps_clean_sheets_clean(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    wb = Workbook()
    clean = wb.active
    assert clean is not None
    clean.title = "一组"
    clean.append(STANDARD)
    for p in _rows(2):
        clean.append([p[h] for h in STANDARD])
    bad = wb.create_sheet("二组")
    bad.append(STANDARD)
    for p in _rows(2, {0: {"姓名": ""}}):
        bad.append([p[h] for h in STANDARD])
    wb.save(tmp_path / NAME)
    out = _annotated(cli_sqlite, tmp_path / NAME, tmp_path / "批注")
    assert not any(c.fill.fill_type or c.comment for row in out["一组"].iter_rows() for c in row)
    marked = [
        (c.coordinate, c.fill.start_color.rgb) for row in out["二组"].iter_rows() for c in row if c.comment
    ]
    assert marked == [("G2", RED)]  # the empty 姓名 of row 2
    assert "姓名为空" in out["二组"]["G2"].comment.text


def test_annotated_copy_of_a_csv_is_a_workbook_with_the_same_rows(cli_sqlite: Cli, tmp_path: Path) -> None:
    people = _rows(2, {1: {"就业状态": "打工"}})
    src = write_csv(tmp_path / "甲镇_一村_2026-11.csv", people, title_rows=[["一村花名册"]])
    ws = _annotated(cli_sqlite, src, tmp_path / "批注")["甲镇_一村_2026-11"]
    # title row 1, header row 2, people rows 3 and 4; the ID stays whole text
    assert (ws["A1"].value, ws["G2"].value, ws["G4"].value) == ("一村花名册", "姓名", "村民1")
    assert ws["H3"].value == people[0]["身份证号码"]
    assert ws["U4"].fill.start_color.rgb == RED and ws["U4"].comment is not None
    assert ws["U3"].comment is None and ws["U3"].fill.fill_type is None


# --- the blank template ------------------------------------------------------------

STATUSES = ["县外务工", "县内务工", "公益性岗位", "扶贫车间", "自主创业", "灵活就业"]
STATUSES += ["务农", "未就业", "在校学生", "服兵役", "其他"]
CAPACITIES = ["普通劳动力", "技能劳动力", "弱劳动力", "半劳动力", "丧失劳动力", "无劳动能力"]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template written once by `laborcli template -o`."""
    path = tmp_path_factory.mktemp("tpl") / "村劳动力信息统计表.xlsx"
    r = Cli(str(path.parent / "r.db"))("template", "-o", str(path), db=False)
    assert r.exit_code == 0, r.output
    return path


@pytest.fixture(scope="module")
def template(template_path: Path) -> Any:
    """The template opened with openpyxl."""
    return load_workbook(template_path)


def _dropdown(wb: Any, header: str) -> list[str] | None:
    """The terms offered by the list validation on the data cells under ``header``."""
    ws = wb.worksheets[0]
    col = next(c.column_letter for c in ws[1] if c.value == header)
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and f"{col}2" in dv.sqref and f"{col}500" in dv.sqref:
            src = dv.formula1.lstrip("=")
            if src.startswith('"'):
                return list(src.strip('"').split(","))
            sheet, _, rng = src.rpartition("!")
            cells = wb[sheet.strip("'")][rng.replace("$", "")]
            return [c.value for (c,) in cells]
    return None


def test_template_has_the_standard_headers_in_order_with_the_header_frozen(template: Any) -> None:
    ws = template.worksheets[0]
    assert [c.value for c in ws[1]] == STANDARD
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")  # row 1 stays in view


@pytest.mark.parametrize(
    ("header", "terms"),
    [
        ("就业状态", STATUSES),
        ("劳动能力", CAPACITIES),
        ("是否脱贫户", ["是", "否"]),
        ("是否易地搬迁户", ["是", "否"]),
        ("是否监测对象", ["是", "否"]),
        ("是否组织化输出", ["是", "否"]),
    ],
)
def test_template_offers_a_dropdown_for_each_vocabulary_column(
    template: Any, header: str, terms: list[str]
) -> None:
    assert _dropdown(template, header) == terms


def test_template_formats_id_and_phone_cells_as_text(template: Any) -> None:
    ws = template.worksheets[0]
    cols = {c.value: c.column_letter for c in ws[1]}
    for header in ("身份证号码", "联系电话"):
        for row in (2, 3, 1000):
            assert ws[f"{cols[header]}{row}"].number_format == "@", (header, row)
    assert ws[f"{cols['家庭人口数']}2"].number_format != "@"  # numbers stay numbers


def test_template_has_an_instructions_sheet(template: Any) -> None:
    assert "填写说明" in template.sheetnames
    text = "\n".join(str(c.value) for row in template["填写说明"].iter_rows() for c in row if c.value)
    assert "身份证号码" in text and "18位" in text and "下拉列表" in text


def test_a_filled_in_template_validates_clean(cli_sqlite: Cli, tmp_path: Path, template_path: Path) -> None:
    path = tmp_path / NAME
    wb = load_workbook(template_path)
    ws = wb.worksheets[0]
    for i, p in enumerate(_rows(2)):
        for j, h in enumerate(STANDARD, start=1):
            ws.cell(row=2 + i, column=j, value=p[h])
    wb.save(path)
    rep = _check(cli_sqlite, path)
    # the hidden list sheet and the instructions are not taken for registers
    assert rep["files"][0]["problems"] == []
    assert (rep["files"][0]["rows_read"], rep["files"][0]["rows_imported"]) == (2, 2)


def test_annotated_copy_marks_the_right_cell_when_the_sheet_starts_with_empty_rows_and_columns(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    # header on row 4 from column C: people on rows 5 and 6; 就业状态 is the 21st column from C: W
    src = _place(tmp_path / NAME, _rows(2, {1: {"就业状态": "打工"}}), first_row=4, first_col=3)
    ws = _annotated(cli_sqlite, src, tmp_path / "批注")["Sheet"]
    marked = [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.comment]
    assert marked == [("W6", "打工")]
    assert ws["W6"].fill.start_color.rgb == RED
