"""Tables in the terminal and their files for officers: essential columns and a note on the
others, no 80-column cut without a terminal, severity in words, the exports (--export
.xlsx, --excel CSV), and --format csv unchanged for scripts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from laborcli.cli.listing import print_listing
from laborcli.exports.listing import Column, Kind, Listing
from tests.conftest import Cli
from tests.sheets import person, write_xlsx

LONG_VILLAGE = "平寨社区第二居民委员会"


def _county(cli: Cli, tmp_path: Path) -> None:
    """Two villages of 甲镇 on their November sheets."""
    for k, (village, n) in enumerate((("一村", 3), (LONG_VILLAGE, 2))):
        people = [
            person(
                f"人{i}",
                dt.date(1990 + k, 1, 1 + i),
                seq=i,
                village=village,
                household=f"H{i}",
                status="县外务工" if i % 2 else "务农",
            )
            for i in range(1, n + 1)
        ]
        write_xlsx(tmp_path / f"甲镇_{village}_2026-11.xlsx", people)
    r = cli("import", str(tmp_path))
    assert r.exit_code == 0, r.output


def test_rates_without_a_terminal_is_not_cut_to_80_columns(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    _county(cli, tmp_path)
    r = cli("rates", "--as-of", "2026-11-30")
    assert r.exit_code == 0, r.output
    line = next(x for x in r.stdout.splitlines() if LONG_VILLAGE in x)
    assert len(line) > 80 and "…" not in r.stdout
    # every figure is there: the one a narrow terminal leaves out last, too
    assert "身份未核验" in r.stdout and "组织化县外输出" in r.stdout
    assert r.stderr == ""


def _listing() -> Listing:
    cols = [
        Column("place", "村(社区)", "village"),
        Column("n", "劳动力", "labour force", Kind.int),
        Column("rate", "转移就业率", "rate", Kind.pct),
        Column("extra_a", "组织化县外输出", "organised", Kind.int, essential=False),
        Column("extra_b", "户有一人就业率", "coverage", Kind.pct, essential=False),
        Column("flag", "是否未更新", "stale", Kind.yes_no, essential=False),
    ]
    rows = [{"place": LONG_VILLAGE, "n": 1234, "rate": 0.5, "extra_a": 7, "extra_b": 0.25, "flag": True}]
    return Listing("标题", "title", cols, rows)


def test_a_narrow_terminal_shows_the_essential_columns_and_names_the_others(
    capsys: pytest.CaptureFixture[str],
) -> None:
    buf = io.StringIO()
    print_listing(_listing(), console=Console(file=buf, width=50, force_terminal=True, color_system=None))
    shown, note = buf.getvalue(), capsys.readouterr().err
    assert "劳动力" in shown and "1,234" in shown and "50.0%" in shown
    assert "组织化县外输出" not in shown
    assert note.strip() == (
        "未显示的列: 组织化县外输出、户有一人就业率、是否未更新; 用 --wide 显示全部列, 或用 --format csv / --format json"
    )


def test_wide_shows_every_column_whole_on_a_narrow_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.StringIO()
    con = Console(file=buf, width=50, force_terminal=True, color_system=None)
    print_listing(_listing(), wide=True, console=con)
    shown = buf.getvalue()
    assert all(h in shown for h in ("组织化县外输出", "户有一人就业率", "是否未更新", LONG_VILLAGE, "是"))
    assert capsys.readouterr().err == ""


def test_a_table_that_fits_says_nothing_about_columns(capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.StringIO()
    print_listing(_listing(), console=Console(file=buf, width=200, force_terminal=True, color_system=None))
    assert "户有一人就业率" in buf.getvalue() and capsys.readouterr().err == ""


def test_rates_export_is_a_workbook_with_chinese_heads_and_numbers(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    out = tmp_path / "报表 11月" / "村.xlsx"
    r = cli("rates", "--as-of", "2026-11-30", "--export", str(out))
    assert r.exit_code == 0, r.output
    assert f"→ {out}" in r.stderr
    ws = load_workbook(out).active
    assert ws is not None
    assert "转移就业情况" in str(ws["A1"].value)
    heads = [c.value for c in ws[2]]
    assert heads[:5] == ["乡镇", "村(社区)", "劳动力", "转移就业", "转移就业率"]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] == "一村")
    assert row[2] == 3 and isinstance(row[4], float) and abs(row[4] - 2 / 3) < 1e-9
    assert ws.cell(row=3, column=5).number_format == "0.0%"
    assert (ws.page_setup.orientation, ws.print_title_rows) == ("landscape", "$1:$2")
    total = [r for r in ws.iter_rows(min_row=3, values_only=True)][-1]
    assert total[0] == "合计" and total[2] == 5


def test_excel_csv_has_a_bom_chinese_heads_and_yes_no(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    out = tmp_path / "家庭.csv"
    r = cli("households", "--as-of", "2026-11-30", "--excel", str(out))
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["乡镇", "村(社区)", "户编号"]
    assert {r[rows[0].index("是否劳动力")] for r in rows[1:]} == {"是"}
    assert "5306" not in raw.decode("utf-8-sig").replace("530627**", "")  # IDs masked


def test_rank_excel_csv_keeps_the_handout_export_apart(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    out = tmp_path / "榜.csv"
    r = cli("rank", "--week", "2026-W48", "--excel", str(out))
    assert r.exit_code == 0, r.output
    head = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("名次,变化,乡镇,村(社区),")


def test_format_csv_keeps_its_keys_and_bytes_for_scripts(cli: Cli, tmp_path: Path) -> None:
    _county(cli, tmp_path)
    r = cli("rates", "--as-of", "2026-11-30", "--format", "csv")
    raw = r.stdout_bytes
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    lines = raw.decode().splitlines()
    assert lines[0] == (
        "township,village,group,labour_force,transferred,transfer_rate,outside_county,"
        "organised_outside,organised_rate,poor_labour_force,poor_transferred,households,"
        "zero_employment_households,new_transfers,unknown_age,unverified"
    )
    assert lines[1].startswith("甲镇,一村,,3,2,0.6666666666666666,2,0,0.0,0,0,3,1,")
    assert lines[-1].startswith("合计,,,5,")
    rank = cli("rank", "--week", "2026-W48", "--format", "csv").stdout.splitlines()[0]
    assert rank == "rank,township,village,value,new_transfers,target,previous_rank,list"
    hh = cli("households", "--as-of", "2026-11-30", "--format", "csv").stdout.splitlines()
    assert hh[0] == (
        "township,village,household_id,labour_force,transferred,name,id_number,phone,"
        "relation,employment_status,in_labour_force"
    )
    assert hh[1].endswith(",True")


def test_problem_lines_say_their_severity_and_the_rest_counts_only_what_was_not_shown(
    cli: Cli, tmp_path: Path
) -> None:
    people = [person("错", dt.date(1990, 1, 1), seq=1, status="瞎写")]
    people += [
        person(f"电{i}", dt.date(1990, 1, 1) + dt.timedelta(days=i), seq=i, phone="12345")
        for i in range(2, 34)
    ]
    people += [person(f"状{i}", dt.date(1991, 3, i - 30), seq=i, status="瞎写") for i in range(34, 36)]
    f = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", people)
    r = cli("validate", str(f))
    lines = r.stdout.splitlines()
    problems = [x for x in lines if "第" in x and "行" in x]
    assert len(problems) == 30
    assert problems[0].startswith("错误 甲镇_一村_2026-11.xlsx")
    assert problems[1].startswith("警告 甲镇_一村_2026-11.xlsx")
    more = next(x for x in lines if "另有" in x)
    # shown: 1 status + 29 phones; not shown: 3 phones, 2 statuses
    assert "另有 5 个问题" in more
    assert ": 3" in more and ": 2" in more and "32" not in more


@pytest.mark.parametrize(
    "args",
    [
        ["export", "report", "-o", "报表.xls"],
        ["export", "report", "-o", "报表"],
        ["export", "people", "-o", "名册.xls"],
        ["export", "people", "-o", "名册.xlsx", "-f", "csv"],
        ["rank", "--export", "红黑榜.pdf"],
        ["households", "--export", "零就业.xls"],
        ["dedup", "--export", "核查.ods"],
        ["rates", "--export", "村.csv"],
        ["rates", "--excel", "村.xlsx"],
        ["template", "-o", "模板.xls"],
        ["training", "--export-review", "待核.xls"],
        ["honours", "--export", "光荣户.pdf"],
    ],
    ids=" ".join,
)
def test_an_output_name_laborcli_does_not_write_is_a_usage_error(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from laborcli.cli.app import main

    capsys.readouterr()
    code = main(["--db", str(tmp_path / "r.db"), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("laborcli: "), err
    assert ".xlsx" in lines[0] or ".csv" in lines[0]
    assert not (tmp_path / "r.db").exists()  # refused before any work


def test_a_village_on_an_old_sheet_is_marked_in_the_excel_csv_too(cli: Cli, tmp_path: Path) -> None:
    for month, villages in (("2026-10", ("一村", "二村")), ("2026-11", ("一村",))):
        for k, village in enumerate(villages):
            people = [person(f"人{k}", dt.date(1990 + k, 1, 2), seq=k + 1, village=village)]
            write_xlsx(tmp_path / f"甲镇_{village}_{month}.xlsx", people)
    assert cli("import", *sorted(map(str, tmp_path.glob("*.xlsx")))).exit_code == 0
    out = tmp_path / "村.csv"
    r = cli("rates", "--as-of", "2026-11-30", "--excel", str(out))
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    places = {r[1] for r in rows[1:]}
    assert {"一村", "二村 ⚠数据未更新 2026-10-31"} <= places
    assert rows[0][-1] == "报表日期"
