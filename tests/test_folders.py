"""Folders as officers hand them over: every file read, unchanged, rejected or skipped
with its reason; the month and the village from a file's name or title row.

From docs/json.md#import-validate (`skipped`) and the README's `import` section. Every
sheet is built here: .xlsx with openpyxl, .ods as the OpenDocument zip LibreOffice
writes, .et as the binary workbook WPS writes (BIFF8 in an OLE2 compound file, by xlwt).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.sheets import STANDARD, person, write_csv, write_ods, write_xls, write_xlsx

NOV = "2026-11-30"
BIRTHS = [dt.date(1990, 5, 1), dt.date(1985, 3, 2), dt.date(1992, 7, 3)]
# What Excel leaves beside an open workbook: the owner's name, padded (not a sheet).
LOCK_BYTES = b"\x05zhang" + b" " * 48 + b"\x05\x00z\x00h\x00a\x00n\x00g\x00" + b"\x20\x00" * 50
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _people(village: str, n: int, *, township: str = "花山镇", first: int = 1) -> list[dict[str, object]]:
    """n adults of a village, each in a household of their own, working outside the county."""
    return [
        person(
            f"{village}{i}号",
            BIRTHS[i % 3],
            seq=first + i,
            township=township,
            village=village,
            household=f"H{i}",
        )
        for i in range(n)
    ]


def _without_place(people: list[dict[str, object]]) -> tuple[list[str], list[dict[str, object]]]:
    """The standard headers but 乡镇(街道) and 村(社区), and the rows without them."""
    headers = [h for h in STANDARD if h not in ("乡镇(街道)", "村(社区)")]
    return headers, [{h: p[h] for h in headers} for p in people]


def _by_village(cli: Cli) -> dict[tuple[str, str], int]:
    rows = cli.json("rates", "--as-of", NOV, "--by", "village")["rows"]
    return {(r["township"], r["village"]): r["labour_force"] for r in rows}


def _month_folder(tmp_path: Path) -> Path:
    """November's folder as it comes in: three good sheets in three formats, an open
    workbook's lock file, a sheet without a month, a PDF named .xls and a note."""
    d = tmp_path / "2026-11"
    d.mkdir()
    write_xlsx(d / "花山镇_石门村_2026-11.xlsx", _people("石门村", 2))
    write_ods(d / "花山镇_桃源村_2026-11.ods", _people("桃源村", 3, first=10))
    write_xls(d / "花山镇_青山村_2026-11.et", _people("青山村", 1, first=20))
    (d / "~$花山镇_石门村_2026-11.xlsx").write_bytes(LOCK_BYTES)
    write_xlsx(d / "花山镇_白云村_台账.xlsx", _people("白云村", 2, first=30))
    (d / "花山镇_红岩村_2026-11.xls").write_bytes(PDF_BYTES)
    (d / "说明.txt").write_text("十一月各村报表", encoding="utf-8")
    return d


def _named(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(f["path"]).name: f for f in doc["files"]}


def test_a_folder_of_xlsx_ods_et_a_lock_file_a_sheet_without_month_and_a_pdf_imports_the_good_ones(
    cli: Cli, tmp_path: Path
) -> None:
    d = _month_folder(tmp_path)
    r = cli("import", str(d), "--format", "json")
    assert r.exit_code == 1, r.output  # two files rejected in this run
    doc = json.loads(r.stdout)
    files = _named(doc)
    for name, rows in (
        ("花山镇_石门村_2026-11.xlsx", 2),
        ("花山镇_桃源村_2026-11.ods", 3),
        ("花山镇_青山村_2026-11.et", 1),
    ):
        f = files[name]
        assert (f["status"], f["as_of"], f["rows_imported"], f["problems"]) == ("imported", NOV, rows, []), f
    undated = files["花山镇_白云村_台账.xlsx"]
    assert (undated["status"], undated["rows_imported"]) == ("rejected", 0)
    assert [p["code"] for p in undated["problems"]] == ["as-of-missing"]
    pdf = files["花山镇_红岩村_2026-11.xls"]
    [p] = pdf["problems"]
    assert (pdf["status"], p["code"], p["level"]) == ("rejected", "file-unreadable", "file")
    assert "PDF" in p["message"] and "另存为 .xlsx" in p["message"] and "损坏" not in p["message"]
    # the lock file and the note are not read, each listed with its reason
    skipped = {Path(s["path"]).name: s["reason"] for s in doc["skipped"]}
    assert set(skipped) == {"~$花山镇_石门村_2026-11.xlsx", "说明.txt"}
    assert "锁文件" in skipped["~$花山镇_石门村_2026-11.xlsx"]
    assert ".txt" in skipped["说明.txt"] and "另存为 .xlsx" in skipped["说明.txt"]
    assert all(set(s) == {"path", "reason"} for s in doc["skipped"])
    assert len(doc["files"]) + len(doc["skipped"]) == len(list(d.iterdir()))  # every file accounted for
    assert _by_village(cli) == {("花山镇", "石门村"): 2, ("花山镇", "桃源村"): 3, ("花山镇", "青山村"): 1}


def test_the_import_report_lists_each_skipped_file_with_its_reason(cli_sqlite: Cli, tmp_path: Path) -> None:
    d = _month_folder(tmp_path)
    r = cli_sqlite("import", str(d))
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert "跳过 2 个文件:" in lines
    [lock] = [s for s in lines if "~$花山镇_石门村_2026-11.xlsx" in s]
    assert "锁文件" in lock
    [note] = [s for s in lines if "说明.txt" in s]
    assert "另存为 .xlsx" in note
    # the rejected files, each with its reason on one stderr line
    [pdf] = [s for s in r.stderr.splitlines() if "花山镇_红岩村_2026-11.xls" in s]
    assert "PDF" in pdf
    [undated] = [s for s in r.stderr.splitlines() if "花山镇_白云村_台账.xlsx" in s]
    assert "--as-of" in undated


def test_validate_lists_the_skipped_files_too(cli_sqlite: Cli, tmp_path: Path) -> None:
    r = cli_sqlite("validate", str(_month_folder(tmp_path)), "--format", "json")
    doc = json.loads(r.stdout)
    assert sorted(Path(s["path"]).name for s in doc["skipped"]) == [
        "~$花山镇_石门村_2026-11.xlsx",
        "说明.txt",
    ]
    assert _named(doc)["花山镇_桃源村_2026-11.ods"]["rows_read"] == 3


def test_a_rerun_of_the_folder_once_its_bad_files_are_gone_is_unchanged_and_exits_0(
    cli: Cli, tmp_path: Path
) -> None:
    d = _month_folder(tmp_path)
    assert cli("import", str(d), "--format", "json").exit_code == 1
    (d / "花山镇_白云村_台账.xlsx").unlink()
    (d / "花山镇_红岩村_2026-11.xls").unlink()
    r = cli("import", str(d), "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert {f["status"] for f in doc["files"]} == {"unchanged"}
    assert len(doc["skipped"]) == 2  # the lock file and the note, still only noted


def test_a_lock_file_named_by_a_shell_glob_is_skipped_with_a_note(cli: Cli, tmp_path: Path) -> None:
    # `laborcli import 2026-11/*.xlsx`: the shell names the lock file beside the workbook
    good = write_xlsx(tmp_path / "花山镇_石门村_2026-11.xlsx", _people("石门村", 2))
    lock = tmp_path / "~$花山镇_石门村_2026-11.xlsx"
    lock.write_bytes(LOCK_BYTES)
    r = cli("import", str(lock), str(good), "--format", "json")
    assert r.exit_code == 0, r.output  # a note, not a problem
    doc = json.loads(r.stdout)
    assert [Path(f["path"]).name for f in doc["files"]] == [good.name]
    [s] = doc["skipped"]
    assert (s["path"], "锁文件" in s["reason"]) == (str(lock), True)


def test_a_quoted_glob_skips_what_laborcli_does_not_read_with_the_reason(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    write_xlsx(tmp_path / "花山镇_石门村_2026-11.xlsx", _people("石门村", 1))
    (tmp_path / "花山镇_石门村_2026-11.xlsb").write_bytes(b"PK\x03\x04")
    doc = json.loads(cli_sqlite("validate", str(tmp_path / "花山镇_*"), "--format", "json").stdout)
    assert [Path(f["path"]).name for f in doc["files"]] == ["花山镇_石门村_2026-11.xlsx"]
    [s] = doc["skipped"]
    assert s["path"].endswith(".xlsb") and ".xlsb" in s["reason"] and "另存为 .xlsx" in s["reason"]


def test_an_ods_or_et_named_directly_is_read_as_in_a_folder(cli_sqlite: Cli, tmp_path: Path) -> None:
    ods = write_ods(tmp_path / "花山镇_桃源村_2026-11.ods", _people("桃源村", 3))
    et = write_xls(tmp_path / "花山镇_青山村_2026-11.et", _people("青山村", 2, first=10))
    doc = cli_sqlite.json("import", str(ods), str(et))
    assert [(f["status"], f["rows_imported"]) for f in doc["files"]] == [("imported", 3), ("imported", 2)]


def _soffice() -> str:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice (soffice) is needed to make an .ods as LibreOffice saves it")
    return office


def test_an_ods_saved_by_libreoffice_with_a_title_row_is_imported(cli_sqlite: Cli, tmp_path: Path) -> None:
    office = _soffice()
    src = write_xlsx(
        tmp_path / "花山镇_桃源村_2026-11.xlsx",
        _people("桃源村", 3),
        title_rows=[["桃源村劳动力信息统计表"], ["统计时间：2026年11月"]],
    )
    out = tmp_path / "ods"
    # A profile of its own: other LibreOffice processes on the machine keep theirs locked.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    doc = cli_sqlite.json("import", str(out / "花山镇_桃源村_2026-11.ods"))
    [f] = doc["files"]
    assert (f["status"], f["rows_read"], f["rows_imported"], f["problems"]) == ("imported", 3, 3, [])
    assert _by_village(cli_sqlite) == {("花山镇", "桃源村"): 3}


# --- the village from the file name or the title row ------------------------------------------


def test_a_sheet_without_township_and_village_columns_takes_them_from_its_file_name(
    cli: Cli, tmp_path: Path
) -> None:
    headers, rows = _without_place(_people("石门村", 3))
    f = write_csv(tmp_path / "花山镇_石门村_2026-11.csv", rows, headers=headers)
    doc = cli.json("import", str(f))
    [g] = doc["files"]
    assert (g["status"], g["rows_imported"], g["problems"]) == ("imported", 3, [])
    assert _by_village(cli) == {("花山镇", "石门村"): 3}


def test_a_sheet_without_village_columns_takes_them_from_its_title_row(cli: Cli, tmp_path: Path) -> None:
    headers, rows = _without_place(_people("石门村", 2))
    f = write_xlsx(
        tmp_path / "劳动力台账_2026-11.xlsx",
        rows,
        headers=headers,
        title_rows=[["某某县花山镇石门村2026年11月劳动力台账"]],
    )
    [g] = cli.json("import", str(f))["files"]
    assert (g["status"], g["rows_imported"], g["problems"]) == ("imported", 2, [])
    assert _by_village(cli) == {("花山镇", "石门村"): 2}


def test_a_sheet_naming_its_village_nowhere_is_rejected_with_one_problem_not_one_per_row(
    cli: Cli, tmp_path: Path
) -> None:
    headers, rows = _without_place(_people("石门村", 3))
    f = write_xlsx(
        tmp_path / "劳动力台账_2026-11.xlsx", rows, headers=headers, title_rows=[["劳动力信息统计表"]]
    )
    r = cli("import", str(f), "--format", "json")
    assert r.exit_code == 1
    [g] = json.loads(r.stdout)["files"]
    assert (g["status"], g["rows_read"], g["rows_rejected"]) == ("rejected", 3, 3)
    [p] = g["problems"]
    assert (p["code"], p["level"], p["row"], p["column"]) == ("place-unknown", "file", 2, "村(社区)")
    assert "文件名" in p["message"] and "--village" in p["message"]
    assert _by_village(cli) == {}


# --- the month from the title row ---------------------------------------------------------------


@pytest.mark.parametrize(
    "titles",
    [
        [["花山镇石门村劳动力信息统计表"], ["统计时间：2026年11月", "", "填报日期：2026年12月3日"]],
        [["花山镇石门村2026年11月劳动力台账"]],
        [["填报日期：2026-12-03", "截至2026年11月30日"]],
    ],
    ids=["统计时间", "title", "截至-beside-填报日期"],
)
def test_the_month_comes_from_a_title_row_when_the_file_name_has_none(
    cli: Cli, tmp_path: Path, titles: list[list[object]]
) -> None:
    f = write_xlsx(tmp_path / "花山镇_石门村_台账.xlsx", _people("石门村", 2), title_rows=titles)
    [g] = cli.json("import", str(f))["files"]
    assert (g["status"], g["as_of"], g["rows_imported"]) == ("imported", NOV, 2)
    assert _by_village(cli) == {("花山镇", "石门村"): 2}


def test_a_fill_in_date_in_the_title_is_not_the_month(cli: Cli, tmp_path: Path) -> None:
    # 填报日期 is the day the sheet was filled in, usually in the month after the one it counts
    f = write_xlsx(
        tmp_path / "花山镇_石门村_台账.xlsx",
        _people("石门村", 2),
        title_rows=[["石门村劳动力信息统计表"], ["填报单位：石门村", "填报日期：2026年12月3日"]],
    )
    r = cli("import", str(f), "--format", "json")
    [g] = json.loads(r.stdout)["files"]
    assert (r.exit_code, g["status"], g["as_of"]) == (1, "rejected", None)
    assert [p["code"] for p in g["problems"]] == ["as-of-missing"]


def test_a_file_dated_by_its_title_is_unchanged_on_a_rerun(cli: Cli, tmp_path: Path) -> None:
    f = write_xlsx(
        tmp_path / "花山镇_石门村_台账.xlsx", _people("石门村", 2), title_rows=[["统计时间：2026年11月"]]
    )
    assert cli("import", str(f), "--format", "json").exit_code == 0
    r = cli("import", str(f), "--format", "json")
    [g] = json.loads(r.stdout)["files"]
    assert (r.exit_code, g["status"], g["as_of"]) == (0, "unchanged", NOV)


def test_hidden_files_and_files_in_hidden_folders_are_listed_as_skipped(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    d = tmp_path / "收表"
    (d / ".旧版").mkdir(parents=True)
    write_xlsx(d / "花山镇_石门村_2026-11.xlsx", _people("石门村", 1))
    write_xlsx(d / ".旧版" / "花山镇_石门村_2026-10.xlsx", _people("石门村", 1))
    (d / "._花山镇_石门村_2026-11.xlsx").write_bytes(b"\x00\x05\x16\x07")  # macOS resource fork
    (d / ".~lock.花山镇_石门村_2026-11.ods#").write_text("zhang,PC,,", encoding="utf-8")
    doc = json.loads(cli_sqlite("validate", str(d), "--format", "json").stdout)
    assert [Path(f["path"]).name for f in doc["files"]] == ["花山镇_石门村_2026-11.xlsx"]
    reasons = {Path(s["path"]).name: s["reason"] for s in doc["skipped"]}
    assert set(reasons) == {
        "花山镇_石门村_2026-10.xlsx",
        "._花山镇_石门村_2026-11.xlsx",
        ".~lock.花山镇_石门村_2026-11.ods#",
    }
    assert (
        "隐藏" in reasons["花山镇_石门村_2026-10.xlsx"] and "隐藏" in reasons["._花山镇_石门村_2026-11.xlsx"]
    )
    assert "锁文件" in reasons[".~lock.花山镇_石门村_2026-11.ods#"]


def test_a_folder_with_no_sheet_is_a_usage_error_that_counts_the_skipped_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from laborcli.cli.app import main

    d = tmp_path / "收表"
    d.mkdir()
    (d / "~$花山镇_石门村_2026-11.xlsx").write_bytes(LOCK_BYTES)
    (d / "说明.docx").write_bytes(b"PK\x03\x04")
    assert main(["--db", str(tmp_path / "r.db"), "import", str(d)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(d) in err[0] and "跳过 2 个" in err[0], err
