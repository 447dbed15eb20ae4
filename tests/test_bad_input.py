"""Bad input files are refused with one clear reason, never a traceback, never half-written.

Every file is built here in tmp_path: empty, mislabelled, truncated, hostile (entity
expansion, zip bomb), encrypted, or merely odd (merged headers, formulas, error cells,
other delimiters, duplicate columns, a wrong declared dimension). Messages are checked in
English (LABORCLI_LANG=en).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from laborcli.cli.app import main
from tests.conftest import Cli
from tests.sheets import STANDARD, csv_text, person, write_xlsx

NAME = "甲镇_一村_2026-11"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCLI_LANG", "en")


def _rows(n: int = 3) -> list[dict[str, object]]:
    return [
        person(f"村民{i}", dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28), seq=i, household=f"H{i:03d}")
        for i in range(n)
    ]


def _good_xlsx(path: Path, n: int = 3) -> Path:
    return write_xlsx(path, _rows(n))


def _imports_in_registry(cli: Cli) -> int:
    """Rows of the registry's imports table (0 when the registry was never created)."""
    if not Path(cli.db).exists():
        return 0
    with sqlite3.connect(cli.db) as c:
        tables = {r[0] for r in c.execute("select name from sqlite_master where type='table'")}
        if "imports" not in tables:
            return 0
        return int(c.execute("select count(*) from imports").fetchone()[0])


def _no_traceback(r: Any) -> None:
    for text in (r.stdout, r.stderr):
        assert "Traceback" not in text, text


def _refused(cli: Cli, path: Path, gist: str, code: str = "file-unreadable") -> dict[str, Any]:
    """Import ``path``: exit 1, the file rejected with one one-line reason naming it, nothing written."""
    r = cli("import", str(path), "--format", "json")
    _no_traceback(r)
    assert r.exit_code == 1, (r.exit_code, r.output)
    f: dict[str, Any] = json.loads(r.stdout)["files"][0]
    assert (f["status"], f["rows_imported"]) == ("rejected", 0), f
    problem = f["problems"][-1]
    assert (problem["severity"], problem["code"]) == ("error", code), problem
    assert "\n" not in problem["message"]
    assert path.name in problem["message"], problem["message"]
    assert gist in problem["message"], problem["message"]
    # the same reason on one stderr line, naming the file
    assert any(path.name in line and gist in line for line in r.stderr.splitlines()), r.stderr
    assert _imports_in_registry(cli) == 0
    rates = cli.json("rates", "--as-of", "2026-11-30")
    assert (rates["rows"], rates["total"]["labour_force"]) == ([], 0)
    return f


def _validate_refuses(cli: Cli, path: Path, gist: str) -> None:
    r = cli("validate", str(path), "--format", "json")
    _no_traceback(r)
    assert r.exit_code == 1, (r.exit_code, r.output)
    f = json.loads(r.stdout)["files"][0]
    assert f["status"] == "rejected"
    assert path.name in f["problems"][-1]["message"] and gist in f["problems"][-1]["message"]


# --- not a sheet at all


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_empty_file_is_refused_as_empty(cli_sqlite: Cli, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"{NAME}{suffix}"
    path.write_bytes(b"")
    _refused(cli_sqlite, path, "the file is empty")
    _validate_refuses(cli_sqlite, path, "the file is empty")


def test_text_file_named_xlsx_is_refused_as_not_a_workbook(cli_sqlite: Cli, tmp_path: Path) -> None:
    path = tmp_path / f"{NAME}.xlsx"
    path.write_text("姓名,身份证号码\n张三,1\n", encoding="utf-8")
    _refused(cli_sqlite, path, "named as Excel but the content is not a workbook")


def test_truncated_xlsx_is_refused_as_corrupt(cli_sqlite: Cli, tmp_path: Path) -> None:
    whole = _good_xlsx(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / f"{NAME}.xlsx"
    path.write_bytes(whole[: len(whole) // 2])  # the central directory is lost
    _refused(cli_sqlite, path, "corrupt or truncated")
    _validate_refuses(cli_sqlite, path, "corrupt or truncated")


def test_xlsx_with_a_damaged_sheet_is_refused_as_corrupt(cli_sqlite: Cli, tmp_path: Path) -> None:
    # Stored (not deflated), so one changed digit leaves well-formed XML: only the checksum
    # can tell that the sheet is not what was saved.
    src = zipfile.ZipFile(_good_xlsx(tmp_path / "whole.xlsx"))
    path = tmp_path / f"{NAME}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info.filename))
    data = bytearray(path.read_bytes())
    at = data.index(b"<v>", data.index(b"<sheetData")) + 3
    data[at] = ord("7") if data[at] != ord("7") else ord("3")
    path.write_bytes(bytes(data))
    _refused(cli_sqlite, path, "corrupt (bad zip checksum)")
    _validate_refuses(cli_sqlite, path, "corrupt (bad zip checksum)")


def test_zip_that_is_not_a_workbook_is_refused(cli_sqlite: Cli, tmp_path: Path) -> None:
    path = tmp_path / f"{NAME}.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "photos of the village meeting")
    _refused(cli_sqlite, path, "the zip holds no Excel workbook")


def _rewrite_sheet(src: Path, dst: Path, edit: Any) -> Path:
    """Copy an xlsx, passing xl/worksheets/sheet1.xml through ``edit(text) -> text``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info.filename, data)
    return dst


def test_entity_expansion_in_sheet_xml_is_refused_not_expanded(cli_sqlite: Cli, tmp_path: Path) -> None:
    # billion laughs: &lol9; would expand to 10**9 "lol"s (3 GB) if the parser honoured the DTD
    ents = "".join(f'<!ENTITY lol{k} "{f"&lol{k - 1};" * 10}">' for k in range(1, 10))
    dtd = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{ents}]>'
    path = _rewrite_sheet(
        _good_xlsx(tmp_path / "good.xlsx"),
        tmp_path / f"{NAME}.xlsx",
        lambda x: dtd + x.replace("<t>村民0</t>", "<t>&lol9;</t>", 1),
    )
    f = _refused(cli_sqlite, path, "cannot read the workbook")
    assert "lol9" in f["problems"][-1]["message"]  # calamine: "unrecognized entity `&lol9;`"


def test_encrypted_workbook_is_refused_as_password_protected(cli_sqlite: Cli, tmp_path: Path) -> None:
    # Excel saves a password-protected .xlsx as an OLE2 (CFB) file holding an EncryptedPackage stream;
    # a CFB signature and the UTF-16 stream name are all the sniffing needs.
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2040))
    data[1024 : 1024 + 32] = "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / f"{NAME}.xlsx"
    path.write_bytes(bytes(data))
    _refused(cli_sqlite, path, "the workbook is password-protected")
    _validate_refuses(cli_sqlite, path, "password-protected")


def test_html_saved_as_xls_is_refused_with_a_save_as_hint(cli_sqlite: Cli, tmp_path: Path) -> None:
    path = tmp_path / f"{NAME}.xls"
    path.write_text(
        "<html><body><table><tr><td>姓名</td><td>就业状态</td></tr>"
        "<tr><td>张三</td><td>县外务工</td></tr></table></body></html>",
        encoding="utf-8",
    )
    _refused(cli_sqlite, path, "web page (HTML) saved as .xls; save it as .xlsx")
    _validate_refuses(cli_sqlite, path, "web page (HTML)")


# --- a workbook, but no register in it


def test_workbook_with_only_a_chart_sheet_is_refused_as_no_header(cli_sqlite: Cli, tmp_path: Path) -> None:
    wb = Workbook()
    data = wb.active
    assert data is not None
    chart = BarChart()
    chart.add_data(Reference(data, min_col=1, min_row=1, max_row=3))
    wb.create_chartsheet("图表").add_chart(chart)
    wb.remove(data)
    path = tmp_path / f"{NAME}.xlsx"
    wb.save(path)
    _refused(cli_sqlite, path, "no header row found", code="no-header")


def test_sheet_without_a_recognisable_header_is_refused(cli_sqlite: Cli, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["某某村劳动力信息统计表"], ["编号", "金额", "日期"], [1, 4500, "2026-11-01"]):
        ws.append(row)
    path = tmp_path / f"{NAME}.xlsx"
    wb.save(path)
    _refused(cli_sqlite, path, "no header row found", code="no-header")
    _validate_refuses(cli_sqlite, path, "no header row found")


def test_gbk_csv_resaved_as_utf8_mojibake_is_refused_as_no_header(cli_sqlite: Cli, tmp_path: Path) -> None:
    # GBK bytes opened as UTF-8 (undecodable bytes -> U+FFFD) and saved again: every Chinese header is gone
    mangled = csv_text(_rows()).encode("gbk").decode("utf-8", errors="replace")
    assert "姓名" not in mangled and "\ufffd" in mangled
    path = tmp_path / f"{NAME}.csv"
    path.write_text(mangled, encoding="utf-8")
    _refused(cli_sqlite, path, "no header row found", code="no-header")


# --- zip bombs: refused from the zip directory, before anything is inflated

# The child's own peak: VmHWM belongs to the process image started by exec, whereas Linux
# carries ru_maxrss over from the forking parent (pytest, large when the whole suite is
# loaded), so ru_maxrss is only the fallback where /proc is missing.
_CHILD = """
import re, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from laborcli.cli.app import main
code = main(sys.argv[1:])
try:
    peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"\\nMAXRSS_KB={peak}\\n")
sys.exit(code)
"""


def _bomb(src: Path, dst: Path, megabytes: int) -> Path:
    """``src`` with sheet1.xml padded by ``megabytes`` MB of spaces (legal after the root element)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info.filename, data)
                continue
            with zout.open(info.filename, "w", force_zip64=True) as w:
                w.write(data)
                block = b" " * (1 << 20)
                for _ in range(megabytes):
                    w.write(block)
    return dst


def test_zip_bomb_is_refused_by_its_ratio_quickly_with_bounded_memory(tmp_path: Path) -> None:
    path = _bomb(_good_xlsx(tmp_path / "good.xlsx"), tmp_path / f"{NAME}.xlsx", 200)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 200 << 20 and info.file_size / info.compress_size > 500  # ~1000:1
    env = {**os.environ, "LABORCLI_LANG": "en"}
    argv = ["--db", str(tmp_path / "r.db"), "import", str(path), "--format", "json"]
    t0 = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, env=env, timeout=120
    )
    elapsed = time.monotonic() - t0
    assert "Traceback" not in r.stdout + r.stderr, r.stderr
    assert r.returncode == 1, r.stderr
    f = json.loads(r.stdout)["files"][0]
    assert (f["status"], f["rows_imported"]) == ("rejected", 0)
    message = f["problems"][-1]["message"]
    assert path.name in message and "inflates to a suspicious size (zip bomb?); refused" in message
    rss_mb = int(r.stderr.rsplit("MAXRSS_KB=", 1)[1].split()[0]) // 1024
    assert rss_mb < 200, rss_mb  # ~70 MB seen; the 200 MB member was never inflated in memory
    assert elapsed < 20, elapsed  # interpreter start + imports; inflating and parsing would take far longer
    assert _imports_in_registry(Cli(str(tmp_path / "r.db"))) == 0


def _declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size that the local header and central directory declare for ``member``."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        i = data.find(sig)
        while i != -1:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if data[i + name_at : i + name_at + n] == name:
                struct.pack_into("<I", data, i + size_at, size)
            i = data.find(sig, i + 4)
    path.write_bytes(bytes(data))


def test_zip_declaring_over_1_gb_is_refused_before_inflating(cli_sqlite: Cli, tmp_path: Path) -> None:
    path = _good_xlsx(tmp_path / f"{NAME}.xlsx")
    _declare_size(path, "xl/worksheets/sheet1.xml", 1536 << 20)  # claims 1.5 GB > the 1 GB limit
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size == 1536 << 20
    _refused(cli_sqlite, path, "inflates to a suspicious size (zip bomb?); refused")
    _validate_refuses(cli_sqlite, path, "zip bomb")


# --- odd but readable: read right, or say precisely what is wrong


def _imported(cli: Cli, path: Path, exit_code: int = 0) -> dict[str, Any]:
    r = cli("import", str(path), "--format", "json")
    _no_traceback(r)
    assert r.exit_code == exit_code, (r.exit_code, r.output)
    f: dict[str, Any] = json.loads(r.stdout)["files"][0]
    assert f["status"] == "imported", f
    return f


def _county(cli: Cli) -> tuple[int, int]:
    total = cli.json("rates", "--as-of", "2026-11-30")["total"]
    return total["labour_force"], total["transferred"]


def _stored(cli: Cli, column: str) -> list[object]:
    with sqlite3.connect(cli.db) as c:
        return [r[0] for r in c.execute(f"select {column} from rows order by row_number")]


def _sheet(path: Path, rows: Sequence[Sequence[object]]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return wb


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimited_csv_are_read(cli_sqlite: Cli, tmp_path: Path, delimiter: str) -> None:
    # incomes written "4,500": the commas inside cells must not win the delimiter sniffing
    rows = [{**p, "月收入(元)": "4,500"} for p in _rows()]
    path = tmp_path / f"{NAME}.csv"
    path.write_bytes(csv_text(rows, delimiter=delimiter).encode("utf-8-sig"))
    f = _imported(cli_sqlite, path)
    assert (f["rows_read"], f["rows_imported"], f["problems"]) == (3, 3, [])
    assert _county(cli_sqlite) == (3, 3)  # three 县外务工 born 1980-1982: aged 44-46
    assert _stored(cli_sqlite, "monthly_income") == [4500.0] * 3
    assert _stored(cli_sqlite, "name") == ["村民0", "村民1", "村民2"]


def test_duplicate_header_columns_with_other_content_refuse_the_file(cli_sqlite: Cli, tmp_path: Path) -> None:
    path = tmp_path / f"{NAME}.xlsx"
    _sheet(
        path,
        [[*STANDARD, "姓名", "就业状态"]] + [[*(p[h] for h in STANDARD), "别人", "务农"] for p in _rows()],
    )
    r = cli_sqlite("import", str(path), "--format", "json")
    _no_traceback(r)
    assert r.exit_code == 1, r.output
    f = json.loads(r.stdout)["files"][0]
    assert (f["status"], f["rows_imported"]) == ("rejected", 0)
    dup = [(p["row"], p["column"], p["severity"]) for p in f["problems"] if p["code"] == "column-conflict"]
    assert dup == [(1, "姓名", "error"), (1, "就业状态", "error")]
    assert _imports_in_registry(cli_sqlite) == 0


def test_wrong_declared_dimension_does_not_hide_rows(cli_sqlite: Cli, tmp_path: Path) -> None:
    # the openpyxl read-only trap: <dimension ref="A1:C3"/> while the sheet holds a header and 100 rows
    people = [
        person(f"村民{i}", dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), seq=i, household=f"H{i:03d}")
        for i in range(100)
    ]
    path = _rewrite_sheet(
        write_xlsx(tmp_path / "good.xlsx", people),
        tmp_path / f"{NAME}.xlsx",
        lambda x: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:C3"', x),
    )
    with zipfile.ZipFile(path) as zf:
        assert b'<dimension ref="A1:C3"' in zf.read("xl/worksheets/sheet1.xml")
    f = _imported(cli_sqlite, path)
    assert (f["rows_read"], f["rows_imported"]) == (100, 100)
    assert _county(cli_sqlite) == (100, 100)  # born 1970-1999: aged 26-56, all 县外务工
    assert _stored(cli_sqlite, "row_number")[-1] == 101


def test_title_and_group_headings_merged_above_the_header_are_skipped(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    path = tmp_path / f"{NAME}.xlsx"
    groups: list[object] = ["基本信息", *[None] * 18, "就业信息"]
    head: list[Sequence[object]] = [["某某村劳动力信息统计表"], groups, STANDARD]
    wb = _sheet(path, head + [[p[h] for h in STANDARD] for p in _rows()])
    ws = wb.active
    assert ws is not None
    ws.merge_cells("A1:AB1")  # title across the whole width
    ws.merge_cells("A2:S2")  # group headings over the header
    ws.merge_cells("T2:AB2")
    wb.save(path)
    f = _imported(cli_sqlite, path)
    assert (f["rows_read"], f["rows_imported"], f["problems"]) == (3, 3, [])
    assert _stored(cli_sqlite, "row_number") == [4, 5, 6]
    assert _county(cli_sqlite) == (3, 3)


def test_two_row_header_with_vertically_merged_cells_is_read(cli_sqlite: Cli, tmp_path: Path) -> None:
    # row 1: 就业信息 merged over T1:AA1 with 就业意愿..是否组织化输出 under it in row 2;
    # every other header merged over rows 1-2 (so row 2 is empty there). layout.py promises this.
    top = [None if 19 <= j <= 26 else h for j, h in enumerate(STANDARD)]
    top[19] = "就业信息"
    sub = [h if 19 <= j <= 26 else None for j, h in enumerate(STANDARD)]
    path = tmp_path / f"{NAME}.xlsx"
    wb = _sheet(path, [top, sub] + [[p[h] for h in STANDARD] for p in _rows()])
    ws = wb.active
    assert ws is not None
    ws.merge_cells("T1:AA1")
    for j in [*range(1, 20), 28]:
        ws.merge_cells(start_row=1, start_column=j, end_row=2, end_column=j)
    wb.save(path)
    f = _imported(cli_sqlite, path)
    assert (f["rows_read"], f["rows_imported"], f["rows_rejected"]) == (3, 3, 0)
    assert _county(cli_sqlite) == (3, 3)


def _with_column(column: str, values: list[object]) -> list[list[object]]:
    """The standard header and the three people of _rows(), one column's cells replaced."""
    j = STANDARD.index(column)
    body = [[p[h] for h in STANDARD] for p in _rows()]
    for row, v in zip(body, values, strict=True):
        row[j] = v
    return [list(STANDARD), *body]


def test_formula_cells_are_read_by_their_cached_values(cli_sqlite: Cli, tmp_path: Path) -> None:
    # Excel and WPS store a formula with its last computed value: <c><f>3000+1500</f><v>4500</v></c>
    plain = tmp_path / "plain.xlsx"
    _sheet(plain, _with_column("月收入(元)", ["=3000+1500"] * 3))
    path = _rewrite_sheet(
        plain,
        tmp_path / f"{NAME}.xlsx",
        lambda x: x.replace("<f>3000+1500</f><v />", "<f>3000+1500</f><v>4500</v>"),
    )
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/worksheets/sheet1.xml").count(b"<v>4500</v>") == 3
    f = _imported(cli_sqlite, path)
    assert (f["rows_imported"], f["problems"]) == (3, [])
    assert _stored(cli_sqlite, "monthly_income") == [4500.0] * 3


def test_formula_without_a_cached_value_in_a_required_column_rejects_the_row(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    # a generated workbook never calculated: ="县外"&"务工" has no value to read, so the status is empty
    path = tmp_path / f"{NAME}.xlsx"
    _sheet(path, _with_column("就业状态", ['="县外"&"务工"', "县外务工", "县外务工"]))
    f = _imported(cli_sqlite, path, exit_code=1)
    assert (f["rows_imported"], f["rows_rejected"]) == (2, 1)
    assert [(p["row"], p["column"], p["code"]) for p in f["problems"]] == [(2, "就业状态", "status-missing")]
    assert _county(cli_sqlite) == (2, 2)


def test_error_cells_are_reported_not_read_as_empty(cli_sqlite: Cli, tmp_path: Path) -> None:
    # docs/rules.md: an income that is not a non-negative number, or a date that cannot be read, is an error
    rows = _with_column("月收入(元)", ["#N/A", 3000, 3000])
    rows[2][STANDARD.index("出生日期")] = "#DIV/0!"
    path = tmp_path / f"{NAME}.xlsx"
    wb = _sheet(path, rows)
    ws = wb.active
    assert ws is not None and (ws["Y2"].data_type, ws["J3"].data_type) == ("e", "e")  # stored as errors
    f = _imported(cli_sqlite, path, exit_code=1)
    assert {(p["row"], p["column"], p["severity"]) for p in f["problems"]} == {
        (2, "月收入(元)", "error"),
        (3, "出生日期", "error"),
    }
    assert (f["rows_imported"], f["rows_rejected"]) == (1, 2)


def test_rejected_file_reason_is_one_stderr_line_under_cron(tmp_path: Path) -> None:
    # stderr is a pipe (cron): rich must not fold the reason at 80 columns; cli.py promises one line
    path = tmp_path / f"{NAME}.xlsx"
    path.write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | {"LABORCLI_LANG": "en"}
    r = subprocess.run(
        [sys.executable, "-m", "laborcli", "--db", str(tmp_path / "r.db"), "import", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 1, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and "the file is empty" in lines[0], lines


# --- --debug: the traceback instead of the one line, read from the options, not from argv


def test_debug_shows_the_traceback_of_a_users_error(tmp_path: Path) -> None:
    from laborcli.errors import NotFound

    db = str(tmp_path / "r.db")
    assert main(["--db", db, "household", "H404"]) == 1
    with pytest.raises(NotFound):
        main(["--debug", "--db", db, "household", "H404"])


def test_debug_as_the_value_of_an_option_is_not_the_debug_option(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    assert main(["--db", db, "household", "--", "--debug"]) == 1  # a household numbered "--debug"


def test_not_found_is_english_with_laborcli_lang_en(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LABORCLI_LANG", "en")
    assert main(["--db", str(tmp_path / "r.db"), "household", "H404"]) == 1
    err = capsys.readouterr().err
    assert "no such household" in err and not any("\u4e00" <= c <= "\u9fff" for c in err)
