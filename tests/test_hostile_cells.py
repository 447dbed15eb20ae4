"""One bad cell costs its file (or its value), never the county: issue 25's reading side.

A stray cell at XFD1048576, a worker process that dies, control characters that no
workbook can hold, IDs and phones typed into other columns, a CSV cell over csv's field
limit, invisible characters inside IDs, implausible incomes, and a key's column named
twice. Every sheet is built here; messages are checked in English (LABORCLI_LANG=en).
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import json
import os
import re
import resource
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from laborcli.identity.privacy import mask_identifiers
from laborcli.sheets import checking, reading
from laborcli.sheets.idcard import check_id
from tests.conftest import Cli
from tests.sheets import STANDARD, make_id, person, write_csv, write_xlsx

AS_OF = "2026-11-30"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCLI_LANG", "en")


def _people(n: int = 3, village: str = "一村", start: int = 0) -> list[dict[str, object]]:
    return [
        person(
            f"村民{i}",
            dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            seq=i,
            village=village,
            household=f"{village}H{i:03d}",
        )
        for i in range(start, start + n)
    ]


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text


def _files(out: str) -> dict[str, dict[str, Any]]:
    return {Path(f["path"]).name: f for f in json.loads(out)["files"]}


def _engine(db: str) -> sa.Engine:
    return sa.create_engine(db if "://" in db else f"sqlite:///{db}")


def _stored(db: str, column: str) -> list[Any]:
    eng = _engine(db)
    try:
        with eng.connect() as c:
            return [
                r[0] for r in c.execute(sa.text(f"select {column} from rows order by village, row_number"))
            ]
    finally:
        eng.dispose()


# --- 1. a stray cell at XFD1048576; a worker that dies


def _with_far_cell(src: Path, dst: Path, ref: str = "XFD1048576") -> Path:
    """``src`` with one more filled cell at ``ref`` (a slip of the keyboard in Excel)."""
    row = re.sub(r"[A-Z]", "", ref)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
                data = data.replace(b"</sheetData>", cell.encode() + b"</sheetData>")
            zout.writestr(info.filename, data)
    return dst


def test_a_stray_cell_at_xfd1048576_costs_its_file_not_the_folder(tmp_path: Path) -> None:
    # In a process of its own: without the bound, calamine aborts the process that reads it.
    folder = tmp_path / "sheets"
    folder.mkdir()
    write_xlsx(folder / "甲镇_一村_2026-11.xlsx", _people(3, "一村"))
    write_xlsx(folder / "甲镇_二村_2026-11.xlsx", _people(4, "二村"))
    _with_far_cell(write_xlsx(tmp_path / "good.xlsx", _people(2, "三村")), folder / "甲镇_三村_2026-11.xlsx")
    env = {**os.environ, "LABORCLI_LANG": "en"}
    db = str(tmp_path / "registry.db")
    r = subprocess.run(
        [sys.executable, "-m", "laborcli", "--db", db, "import", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    _no_traceback(r.stdout, r.stderr)
    assert r.returncode == 1, (r.returncode, r.stderr[-2000:])
    files = _files(r.stdout)
    assert [files[f"甲镇_{v}_2026-11.xlsx"]["rows_imported"] for v in ("一村", "二村")] == [3, 4]
    bad = files["甲镇_三村_2026-11.xlsx"]
    assert bad["status"] == "rejected"
    (problem,) = bad["problems"]
    assert (problem["code"], problem["severity"], problem["row"], problem["column"]) == (
        "sheet-extent",
        "error",
        1048576,
        "XFD",
    )
    assert "XFD1048576" in problem["message"] and "A1:XFD1048576" in problem["message"]
    assert "Ctrl+End" in problem["fix"]
    assert sorted(_stored(db, "village")) == ["一村"] * 3 + ["二村"] * 4
    checked = subprocess.run(
        [sys.executable, "-m", "laborcli", "validate", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert checked.returncode == 1, (checked.returncode, checked.stderr[-2000:])
    codes = {n: [p["code"] for p in f["problems"]] for n, f in _files(checked.stdout).items()}
    assert codes["甲镇_三村_2026-11.xlsx"] == ["sheet-extent"]


def test_a_far_cell_in_row_one_of_a_small_sheet_is_read(cli_sqlite: Cli, tmp_path: Path) -> None:
    # XFD1 makes 4 rows of 16384 cells: wide, but no reader's trouble; not refused.
    path = _with_far_cell(
        write_xlsx(tmp_path / "good.xlsx", _people(3)), tmp_path / "甲镇_一村_2026-11.xlsx", "XFD1"
    )
    r = cli_sqlite("import", str(path), "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["files"][0]["rows_imported"] == 3


def _abort_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the file named ``name`` aborts the process (as calamine's failed allocation
    does); forked workers inherit the patch."""
    real = reading.read_book

    def read_book(path: Path) -> Any:
        if path.name == name:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
            faulthandler.disable()  # pytest's would print the worker's stack
            os.abort()
        return real(path)

    monkeypatch.setattr(checking, "read_book", read_book)


def test_a_worker_that_dies_costs_its_file_and_the_rest_of_the_folder_is_imported(
    cli_sqlite: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    villages = [f"{n}村" for n in "一二三四五六七"]
    for v in villages:
        write_xlsx(folder / f"甲镇_{v}_2026-11.xlsx", _people(2, v))
    _abort_on("甲镇_三村_2026-11.xlsx", monkeypatch)
    monkeypatch.setenv("LABORCLI_WORKERS", "2")
    assert threading.active_count() == 1  # so the workers are forked, with the patch
    r = cli_sqlite("import", str(folder), "--format", "json")
    _no_traceback(r.stdout, r.stderr)
    assert r.exit_code == 1, r.output
    files = _files(r.stdout)
    assert sorted(files) == sorted(f"甲镇_{v}_2026-11.xlsx" for v in villages)  # every file
    bad = files["甲镇_三村_2026-11.xlsx"]
    assert bad["status"] == "rejected"
    assert bad["problems"][0]["code"] == "file-unreadable"
    assert "the process reading it died" in bad["problems"][0]["message"]
    assert {n: f["status"] for n, f in files.items() if f is not bad} == {
        f"甲镇_{v}_2026-11.xlsx": "imported" for v in villages if v != "三村"
    }
    assert len(_stored(cli_sqlite.db, "name")) == 12


# --- 3. characters that no workbook can hold


def test_control_characters_are_removed_at_import_with_a_warning_and_every_export_works(
    cli: Cli, tmp_path: Path
) -> None:
    rows = _people(3)
    rows[0]["姓名"] = "张_x0001_三"  # stored the way Excel stores U+0001
    rows[1]["姓名"] = "李_x0000_四"  # a NUL: PostgreSQL refuses it in text
    rows[2]["就业单位"] = "某_x000B_厂"  # a vertical tab (upper-case hex, as Excel writes)
    path = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows)
    r = cli("import", str(path), "--format", "json")
    _no_traceback(r.stdout, r.stderr)
    assert r.exit_code == 0, r.output
    f = json.loads(r.stdout)["files"][0]
    cleaned = [
        (p["row"], p["column"], p["severity"], p["value"])
        for p in f["problems"]
        if p["code"] == "text-cleaned"
    ]
    assert cleaned == [
        (2, "姓名", "warning", "张三"),
        (3, "姓名", "warning", "李四"),
        (4, "就业单位", "warning", "某厂"),
    ]
    assert "U+0001" in f["problems"][0]["message"]
    assert _stored(cli.db, "name") == ["张三", "李四", "村民2"]
    for args in (
        ("export", "report", "-o", str(tmp_path / "月报.xlsx"), "--as-of", AS_OF),
        ("export", "people", "-f", "xlsx", "-o", str(tmp_path / "花名册.xlsx"), "--as-of", AS_OF),
        ("households", "--as-of", AS_OF, "--export", str(tmp_path / "户.xlsx")),
    ):
        out = cli(*args)
        _no_traceback(out.stdout, out.stderr)
        assert out.exit_code == 0, (args, out.output)
    people = load_workbook(tmp_path / "花名册.xlsx").active
    assert people is not None
    assert "张三" in [c.value for row in people.iter_rows() for c in row]


def test_validate_annotate_copes_with_a_vertical_tab_in_a_csv(cli_sqlite: Cli, tmp_path: Path) -> None:
    rows = _people(2)
    rows[0]["姓名"] = "王\x0b五"
    path = write_csv(tmp_path / "甲镇_一村_2026-11.csv", rows)
    r = cli_sqlite("validate", str(path), "--annotate", str(tmp_path / "批注"), "--format", "json")
    _no_traceback(r.stdout, r.stderr)
    assert r.exit_code == 0, r.output
    (p,) = json.loads(r.stdout)["files"][0]["problems"]
    assert (p["code"], p["row"], p["column"], p["value"]) == ("text-cleaned", 2, "姓名", "王五")
    book = load_workbook(tmp_path / "批注" / "甲镇_一村_2026-11_批注.xlsx")
    ws = book.worksheets[1]  # after the 问题清单: the village's sheet as it came
    assert ws["G2"].value == "王五"


# --- 4. an ID or a phone typed into another column is masked in every problem


def _misfiled(d: Path) -> tuple[Path, str, str]:
    ident, phone = make_id(dt.date(1988, 6, 7), 3), "13912345678"
    rows = _people(2)
    rows[0]["出生日期"] = ident  # the ID typed into 出生日期
    rows[1]["就业状态"] = phone  # a phone typed into 就业状态
    return write_xlsx(d / "甲镇_一村_2026-11.xlsx", rows), ident, phone


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_ids_and_phones_in_other_columns_are_masked_in_problems(
    cli_sqlite: Cli, tmp_path: Path, command: str, fmt: str
) -> None:
    path, ident, phone = _misfiled(tmp_path)
    r = cli_sqlite(command, str(path), "--format", fmt)
    assert r.exit_code == 1, r.output
    for text in (r.stdout, r.stderr):
        assert ident not in text and phone not in text, text
    assert ident[:6] + "********" + ident[-4:] in r.stdout
    assert "139****5678" in r.stdout
    again = ["--dry-run"] if command == "import" else []  # the file is imported now: unchanged
    whole = cli_sqlite(command, str(path), "--format", fmt, "--show-pii", *again)
    assert ident in whole.stdout and phone in whole.stdout


@given(
    before=st.text(alphabet="年月日号是的 -:", max_size=4),
    after=st.text(alphabet="年月日号是的 -:", max_size=4),
    days=st.integers(0, 30000),
    seq=st.integers(0, 999),
)
def test_an_id_anywhere_in_a_value_is_masked(before: str, after: str, days: int, seq: int) -> None:
    ident = make_id(dt.date(1930, 1, 1) + dt.timedelta(days=days), seq)
    shown = mask_identifiers(f"{before}{ident}{after}")
    assert ident not in shown and ident[:6] in shown and ident[-4:] in shown


# --- 5. a CSV cell over csv's field limit


def test_a_csv_cell_over_128_kb_is_a_located_problem_and_the_folder_goes_on(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    write_csv(folder / "甲镇_一村_2026-11.csv", _people(2, "一村"))
    rows = _people(3, "二村")
    rows[1]["备注"] = "很长" * 70_000  # 140,000 characters in one cell
    write_csv(folder / "甲镇_二村_2026-11.csv", rows)
    write_xlsx(folder / "甲镇_三村_2026-11.xlsx", _people(2, "三村"))
    r = cli_sqlite("import", str(folder), "--format", "json")
    _no_traceback(r.stdout, r.stderr)
    assert r.exit_code == 1, r.output
    files = _files(r.stdout)
    assert {n: f["status"] for n, f in files.items()} == {
        "甲镇_一村_2026-11.csv": "imported",
        "甲镇_二村_2026-11.csv": "rejected",
        "甲镇_三村_2026-11.xlsx": "imported",
    }
    (p,) = files["甲镇_二村_2026-11.csv"]["problems"]
    assert (p["code"], p["severity"], p["sheet"], p["row"]) == (
        "cell-too-large",
        "error",
        "甲镇_二村_2026-11",
        3,
    )
    assert "甲镇_二村_2026-11.csv" in p["message"] and "row 3" in p["message"]
    table = cli_sqlite("import", str(folder), "--dry-run")
    assert "甲镇_二村_2026-11.csv" in table.stdout + table.stderr  # the report is printed


# --- 8. invisible characters inside an ID


def test_a_person_with_a_zero_width_space_in_one_village_is_one_person(cli: Cli, tmp_path: Path) -> None:
    ident = make_id(dt.date(1985, 5, 6), 11)
    one = person(
        "赵六", dt.date(1985, 5, 6), seq=11, village="一村", id_number=ident[:6] + "\u200b" + ident[6:]
    )
    two = person(
        "赵六", dt.date(1985, 5, 6), seq=11, village="二村", household="H9", id_number=ident + "\ufeff"
    )
    for v, row in (("一村", one), ("二村", two)):
        r = cli("import", str(write_xlsx(tmp_path / f"甲镇_{v}_2026-11.xlsx", [row])), "--format", "json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["files"][0]["problems"] == []  # a verified ID, no warning
    assert all(_stored(cli.db, "id_valid"))
    assert len(set(_stored(cli.db, "person_key"))) == 1
    assert cli.json("rates", "--as-of", AS_OF)["total"]["labour_force"] == 1


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00a0\u00ad\u202f\u3000 "


@given(
    days=st.integers(0, 30000),
    seq=st.integers(0, 999),
    inserts=st.lists(st.tuples(st.integers(0, 18), st.sampled_from(_INVISIBLE)), max_size=5),
)
def test_invisible_characters_anywhere_in_an_id_leave_it_the_same_id(
    days: int, seq: int, inserts: list[tuple[int, str]]
) -> None:
    ident = make_id(dt.date(1930, 1, 1) + dt.timedelta(days=days), seq)
    typed = ident
    for at, ch in inserts:
        typed = typed[:at] + ch + typed[at:]
    today = dt.date(2026, 11, 30)
    assert check_id(typed, today) == check_id(ident, today)


# --- 13. implausible incomes


def test_an_income_above_the_policy_maximum_is_a_warning_and_stored_as_unknown(
    cli: Cli, tmp_path: Path
) -> None:
    rows = _people(4)
    rows[0]["月收入(元)"] = "13812345678"  # a phone typed into 月收入
    rows[1]["月收入(元)"] = 1e308
    rows[2]["月收入(元)"] = 100_000  # the maximum itself is believed
    rows[3]["月收入(元)"] = 4500
    r = cli("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows)), "--format", "json")
    assert r.exit_code == 0, r.output
    f = json.loads(r.stdout)["files"][0]
    flagged = [
        (p["row"], p["severity"], p["value"]) for p in f["problems"] if p["code"] == "income-implausible"
    ]
    assert flagged[0] == (2, "warning", "138****5678")  # masked: it looks like a phone
    assert [row for row, _, _ in flagged] == [2, 3]
    assert "100000" in f["problems"][0]["message"]
    assert f["rows_imported"] == 4
    assert _stored(cli.db, "monthly_income") == [None, None, 100000.0, 4500.0]


def test_the_income_maximum_is_the_policys(cli_sqlite: Cli, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[income]\nmax_monthly_yuan = 5000\n", encoding="utf-8")
    rows = _people(2)
    rows[0]["月收入(元)"], rows[1]["月收入(元)"] = 6000, 5000
    path = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows)
    r = cli_sqlite("--policy", str(policy), "validate", str(path), "--format", "json")
    assert r.exit_code == 0, r.output
    codes = [(p["row"], p["code"]) for p in json.loads(r.stdout)["files"][0]["problems"]]
    assert codes == [(2, "income-implausible")]


# --- 14. one key's column named twice


def _two_name_columns(path: Path, second: list[str]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([*STANDARD, "姓名"])
    for p, other in zip(_people(3), second, strict=True):
        ws.append([*(p[h] for h in STANDARD), other])
    wb.save(path)
    return path


def test_two_name_columns_that_differ_refuse_the_file_naming_both(cli_sqlite: Cli, tmp_path: Path) -> None:
    path = _two_name_columns(tmp_path / "甲镇_一村_2026-11.xlsx", ["村民0", "别人", "村民2"])
    r = cli_sqlite("import", str(path), "--format", "json")
    assert r.exit_code == 1, r.output
    f = json.loads(r.stdout)["files"][0]
    assert (f["status"], f["rows_imported"]) == ("rejected", 0)
    (p,) = f["problems"]
    assert (p["code"], p["severity"], p["level"], p["row"], p["column"]) == (
        "column-conflict",
        "error",
        "file",
        1,
        "姓名",
    )
    assert "column G" in p["message"] and "column AC" in p["message"] and "row 3" in p["message"]
    assert _stored(cli_sqlite.db, "name") == []


def test_two_name_columns_that_agree_are_a_warning_and_the_rows_are_imported(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    path = _two_name_columns(tmp_path / "甲镇_一村_2026-11.xlsx", ["村民0", "村民1", "村民2"])
    r = cli_sqlite("import", str(path), "--format", "json")
    assert r.exit_code == 0, r.output
    f = json.loads(r.stdout)["files"][0]
    assert [(p["code"], p["severity"]) for p in f["problems"]] == [("column-duplicate", "warning")]
    assert "G and AC" in f["problems"][0]["message"]
    assert f["rows_imported"] == 3
