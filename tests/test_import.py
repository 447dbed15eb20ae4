"""Import semantics: snapshots and updates, as-of dates, idempotence, atomicity, exit codes.

From docs/rules.md#the-current-state and #identity, and docs/json.md (`import` JSON shape and exit codes).
Every sheet is built here; every figure is counted by hand in a comment.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.cli.app import main
from laborcli.cli.output import out as console
from laborcli.registry import open_registry, store
from laborcli.registry.tables import imports, problems, rows, snapshots
from tests.conftest import Cli
from tests.sheets import make_id, person, write_xlsx

OCT, NOV, DEC = "2026-10-31", "2026-11-30", "2026-12-31"

# Three adults of 一村: A and B work outside the county, C farms; all aged 16-60 in 2026.
Who = tuple[str, dt.date, int]  # name, birth date, ID sequence number
A: Who = ("张三", dt.date(1990, 5, 1), 1)
B: Who = ("李四", dt.date(1985, 3, 2), 2)
C: Who = ("王芳", dt.date(1992, 7, 3), 3)


def _p(who: Who, *, name: str | None = None, household: str | None = None, **kw: Any) -> dict[str, object]:
    """A row for one of the people above (in a household of their own unless given)."""
    nm, birth, seq = who
    return person(
        name if name is not None else nm, birth, seq=seq, household=household or f"H{seq:03d}", **kw
    )


def _sheet(tmp_path: Path, name: str, people: list[dict[str, object]]) -> Path:
    return write_xlsx(tmp_path / name, people)


def _counts(db: str) -> dict[str, int]:
    """Rows in each table an import writes to."""
    reg = open_registry(db)
    try:
        with reg.reading() as conn:
            return {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in (imports, snapshots, rows, problems)
            }
    finally:
        reg.close()


def _county(cli: Cli, as_of: str) -> tuple[int, int, int, int]:
    """(labour force, transferred, households with labour, zero-employment households)."""
    t = cli.json("rates", "--as-of", as_of)["total"]
    return t["labour_force"], t["transferred"], t["households"], t["zero_employment_households"]


# --- idempotence ------------------------------------------------------------------------------


def test_reimporting_the_same_file_is_unchanged_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B), _p(C, status="务农")])
    first = cli.json("import", str(f))["files"][0]
    assert first["status"] == "imported"
    before = _counts(cli.db)
    again = cli.json("import", str(f))
    g = again["files"][0]
    assert g["status"] == "unchanged"
    # the counts of the first import are reported again; nothing is written
    assert (g["sha256"], g["as_of"], g["rows_read"], g["rows_imported"], g["rows_rejected"]) == (
        first["sha256"],
        NOV,
        3,
        3,
        0,
    )
    assert _counts(cli.db) == before
    # 3 in the labour force, A and B transferred; 3 households, C's has nobody transferred
    assert _county(cli, NOV) == (3, 2, 3, 1)


def test_same_content_under_another_file_name_is_unchanged(cli: Cli, tmp_path: Path) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B)])
    cli.json("import", str(f))
    before = _counts(cli.db)
    copy = tmp_path / "甲镇_一村_2026年11月_副本.xlsx"  # same month, same bytes
    copy.write_bytes(f.read_bytes())
    g = cli.json("import", str(copy))["files"][0]
    assert (g["status"], g["as_of"]) == ("unchanged", NOV)
    assert _counts(cli.db) == before
    assert _county(cli, NOV) == (2, 2, 2, 0)


# --- snapshots and updates ---------------------------------------------------------------------


def test_later_snapshot_replaces_the_earlier_one_only_from_its_date_on(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", [_p(A), _p(B), _p(C, status="务农")])))
    # November: B has come home to farm, C now works in the county
    nov = [_p(A), _p(B, status="务农"), _p(C, status="县内务工")]
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", nov)))
    # October as of its own end: A, B transferred; C's household zero-employment
    assert _county(cli, OCT) == (3, 2, 3, 1)
    # from the November sheet on: A, C transferred; B's household zero-employment
    assert _county(cli, "2026-11-01") == (3, 2, 3, 1)
    assert _county(cli, NOV) == (3, 2, 3, 1)
    t = cli.json("rates", "--as-of", NOV)["total"]
    assert (t["outside_county"], t["transferred"]) == (1, 2)  # only A outside in November
    t = cli.json("rates", "--as-of", OCT)["total"]
    assert (t["outside_county"], t["transferred"]) == (2, 2)  # A and B outside in October
    # before any sheet: nothing
    assert _county(cli, "2026-09-30") == (0, 0, 0, 0)


def test_person_missing_from_a_later_snapshot_no_longer_counts(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", [_p(A), _p(B), _p(C, status="务农")])))
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(C, status="务农")])))
    assert _county(cli, OCT) == (3, 2, 3, 1)  # B still there in October
    assert _county(cli, NOV) == (2, 1, 2, 1)  # November: A (transferred) and C (farming) only
    assert _county(cli, DEC) == (2, 1, 2, 1)  # and later, until a newer sheet


def test_snapshot_of_one_village_leaves_other_villages_alone(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", [_p(A), _p(B)])))
    cli.json("import", str(_sheet(tmp_path, "甲镇_二村_2026-11.xlsx", [_p(C, village="二村")])))
    # 一村's October sheet is still its latest in November: A, B + C of 二村 (transferred)
    assert _county(cli, NOV) == (3, 3, 3, 0)


def test_update_mode_changes_only_the_persons_listed(cli: Cli, tmp_path: Path) -> None:
    snap = [_p(A, status="务农"), _p(B, status="务农"), _p(C)]
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", snap)))
    # December weekly report: only A, now working outside the county
    upd = _sheet(tmp_path, "甲镇_一村_周报_2026-12.xlsx", [_p(A)])
    rep = cli.json("import", str(upd), "--mode", "update")
    assert (rep["files"][0]["status"], rep["files"][0]["rows_imported"]) == ("imported", 1)
    assert _county(cli, NOV) == (3, 1, 3, 2)  # before the update: only C transferred
    assert _county(cli, DEC) == (3, 2, 3, 1)  # A now transferred; B and C untouched (B's zero)


def test_update_can_also_take_a_person_out_of_transfer(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B)])))
    cli.json(
        "import", str(_sheet(tmp_path, "甲镇_一村_2026-12.xlsx", [_p(A, status="务农")])), "--mode", "update"
    )
    # December: A farming (update), B still outside (snapshot): 2 LF, 1 transferred, A's household zero
    assert _county(cli, DEC) == (2, 1, 2, 1)


def test_snapshots_imported_out_of_order_still_count_by_date(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(C, status="务农")])))
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", [_p(A), _p(B), _p(C, status="务农")])))
    assert _county(cli, OCT) == (3, 2, 3, 1)  # the October sheet, imported last
    assert _county(cli, NOV) == (2, 1, 2, 1)  # November is still the newer register: no B


def test_corrected_sheet_for_the_same_month_replaces_the_first(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B), _p(C, status="务农")])))
    fixed = tmp_path / "fix"
    fixed.mkdir()  # the village sends its November sheet again, B struck off
    cli.json("import", str(_sheet(fixed, "甲镇_一村_2026-11.xlsx", [_p(A), _p(C, status="务农")])))
    assert _county(cli, NOV) == (2, 1, 2, 1)


def test_update_older_than_the_latest_snapshot_no_longer_applies(cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", [_p(A, status="务农"), _p(B)])))
    upd = _sheet(tmp_path, "甲镇_一村_周报.xlsx", [_p(A)])
    cli.json("import", str(upd), "--mode", "update", "--as-of", "2026-11-13")
    assert _county(cli, "2026-11-13") == (2, 2, 2, 0)  # the update: A transferred
    # the November register (as of 11-30) still lists A as farming: it is the newer word
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A, status="务农"), _p(B)])))
    assert _county(cli, NOV) == (2, 1, 2, 1)


# --- as-of dates --------------------------------------------------------------------------------


def test_as_of_option_sets_the_date_of_a_file_without_a_month(cli: Cli, tmp_path: Path) -> None:
    f = _sheet(tmp_path, "甲镇_一村.xlsx", [_p(A)])
    g = cli.json("import", str(f), "--as-of", "2026-11-15")["files"][0]
    assert g["as_of"] == "2026-11-15"
    assert _county(cli, "2026-11-14") == (0, 0, 0, 0)
    assert _county(cli, "2026-11-15") == (1, 1, 1, 0)


def test_as_of_option_as_a_month_means_its_last_day(cli: Cli, tmp_path: Path) -> None:
    f = _sheet(tmp_path, "甲镇_一村.xlsx", [_p(A)])
    assert cli.json("import", str(f), "--as-of", "2028-02")["files"][0]["as_of"] == "2028-02-29"  # leap


@pytest.mark.parametrize(
    ("name", "as_of"),
    [
        ("甲镇_一村_2026-11.xlsx", NOV),
        ("甲镇_一村_202611.xlsx", NOV),
        ("甲镇一村2026年11月劳动力台账.xlsx", NOV),
        ("甲镇_一村_2026-2.xlsx", "2026-02-28"),
        ("甲镇_一村_2026年4月.xlsx", "2026-04-30"),
    ],
)
def test_as_of_from_the_month_in_the_file_name_is_its_last_day(
    cli: Cli, tmp_path: Path, name: str, as_of: str
) -> None:
    g = cli.json("import", str(_sheet(tmp_path, name, [_p(A)])))["files"][0]
    assert (g["status"], g["as_of"]) == ("imported", as_of)


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the real entry point (which turns errors into exit codes): (code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_file_without_a_month_is_rejected_on_its_own_and_the_others_are_imported(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _sheet(tmp_path, "甲镇_一村_台账.xlsx", [_p(A)])
    g = _sheet(tmp_path, "甲镇_二村_2026-11.xlsx", [_p(B, village="二村")])
    code, out, err = _main(capsys, "--db", db_url, "import", str(f), str(g), "--format", "json")
    assert code == 1
    undated, dated = json.loads(out)["files"]
    assert (undated["status"], undated["as_of"], undated["rows_imported"]) == ("rejected", None, 0)
    [p] = [p for p in undated["problems"] if p["severity"] == "error"]
    assert (p["code"], p["level"], p["row"]) == ("as-of-missing", "file", 0)
    assert "--as-of" in p["message"] and "标题行" in p["message"]
    assert (dated["status"], dated["rows_imported"]) == ("imported", 1)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "--as-of" in lines[0] and f.name in lines[0], err
    assert "Traceback" not in err
    assert _counts(db_url)["rows"] == 1


def test_dry_run_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B)])
    rep = cli.json("import", str(f), "--dry-run")
    g = rep["files"][0]
    assert (g["status"], g["rows_read"], g["rows_imported"]) == ("checked", 2, 2)
    assert _counts(cli.db) == {"imports": 0, "snapshots": 0, "rows": 0, "problems": 0}
    assert _county(cli, NOV) == (0, 0, 0, 0)
    # and the real import afterwards is not taken for "unchanged"
    assert cli.json("import", str(f))["files"][0]["status"] == "imported"
    assert _county(cli, NOV) == (2, 2, 2, 0)


# --- atomicity ----------------------------------------------------------------------------------


def test_a_file_failing_half_way_leaves_the_registry_as_it_was(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(db_url)
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", [_p(A), _p(B)])))
    before = _counts(db_url)
    figures = _county(cli, NOV)
    # One file, two villages: write_import inserts 一村's rows, then fails on 二村's.
    two = [_p(A, status="务农"), _p(B), _p(C, village="二村")]
    f = _sheet(tmp_path, "甲镇_2026-11.xlsx", two)
    real = store.bulk_insert_rows
    calls: list[int] = []

    def fail_after_first(conn: Connection, head: tuple[Any, ...], columns: list[list[Any]]) -> None:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk full (simulated)")
        real(conn, head, columns)

    monkeypatch.setattr(store, "bulk_insert_rows", fail_after_first)
    with pytest.raises(RuntimeError, match="simulated"):
        cli("import", str(f))
    assert len(calls) == 2  # the first batch was written before the failure
    monkeypatch.undo()
    assert _counts(db_url) == before
    assert _county(cli, NOV) == figures == (2, 2, 2, 0)
    # the failed file was not recorded as imported: importing it again really imports it
    g = cli.json("import", str(f))["files"][0]
    assert (g["status"], g["rows_imported"]) == ("imported", 3)
    assert _county(cli, NOV) == (3, 2, 3, 1)  # A farming now, B and C transferred


def test_files_before_a_failing_file_stay_imported_and_the_failing_one_leaves_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files are committed in groups, each file in a savepoint: a failure in the second file
    # must keep the first (as a transaction per file would) and leave nothing of the second.
    first = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B)])
    second = _sheet(tmp_path, "甲镇_二村_2026-11.xlsx", [_p(C, village="二村")])
    real = store.bulk_insert_rows
    calls: list[int] = []

    def fail_on_second(conn: Connection, head: tuple[Any, ...], columns: list[list[Any]]) -> None:
        calls.append(1)
        real(conn, head, columns)  # the rows are in the transaction...
        if len(calls) == 2:
            raise RuntimeError("disk full (simulated)")  # ...and then the file fails

    monkeypatch.setattr(store, "bulk_insert_rows", fail_on_second)
    cli = Cli(db_url)
    with pytest.raises(RuntimeError, match="simulated"):
        cli("import", str(first), str(second))
    monkeypatch.undo()
    assert _counts(db_url) | {"problems": 0} == {"imports": 1, "snapshots": 1, "rows": 2, "problems": 0}
    g = cli.json("import", str(first), str(second))["files"]
    assert [f["status"] for f in g] == ["unchanged", "imported"]


def test_a_database_failure_while_writing_is_one_line_and_exit_3_and_keeps_earlier_files(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B)])
    second = _sheet(tmp_path, "甲镇_二村_2026-11.xlsx", [_p(C, village="二村")])
    real = store.write_import
    calls: list[int] = []

    def disk_full_on_second(conn: Connection, **kw: Any) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise sa.exc.OperationalError("INSERT INTO rows", {}, Exception("database or disk is full"))
        return real(conn, **kw)

    monkeypatch.setattr(store, "write_import", disk_full_on_second)
    code, _, err = _main(capsys, "--db", db_url, "import", str(first), str(second))
    assert code == 3
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "disk is full" in lines[0] and "Traceback" not in err, err
    monkeypatch.undo()
    assert _counts(db_url)["rows"] == 2  # the first file, committed before the failure


def _village_files(tmp_path: Path, extra: int = 0) -> list[Path]:
    """Five villages of three (the third farms); ``extra`` more people in 三村."""
    tmp_path.mkdir(exist_ok=True)
    out = []
    for k, v in enumerate(("一村", "二村", "三村", "四村", "五村")):
        n = 3 + (extra if v == "三村" else 0)
        people = [
            person(
                f"村民{k}{j}",
                dt.date(1970 + j, 1 + k, 1 + j),
                seq=10 * k + j,
                village=v,
                household=f"H{k}{j}",
                status="务农" if j == 2 else "县外务工",
            )
            for j in range(n)
        ]
        out.append(write_xlsx(tmp_path / f"甲镇_{v}_2026-11.xlsx", people))
    return out


def test_worker_processes_import_as_one_process_does_and_skip_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = Cli(str(tmp_path / "one.db"))
    monkeypatch.setenv("LABORCLI_WORKERS", "1")
    alone = [f["status"] for f in one.json("import", *map(str, _village_files(tmp_path / "a")))["files"]]
    expected = _county(one, NOV)
    assert (alone, expected) == (["imported"] * 5, (15, 10, 15, 5))

    # Two worker processes, started before the registry is opened.
    two = Cli(str(tmp_path / "two.db"))
    monkeypatch.setenv("LABORCLI_WORKERS", "2")
    files = _village_files(tmp_path / "b")
    first = two.json("import", *map(str, files))["files"]
    assert [f["status"] for f in first] == ["imported"] * 5
    assert _county(two, NOV) == expected
    # Again with 三村 grown by two: the files started ahead that turn out unchanged are dropped.
    files[2].write_bytes(_village_files(tmp_path / "c", extra=2)[2].read_bytes())
    again = two.json("import", *map(str, files))["files"]
    assert [f["status"] for f in again] == ["unchanged", "unchanged", "imported", "unchanged", "unchanged"]
    assert [f["rows_imported"] for f in again] == [3, 3, 5, 3, 3]
    assert _county(two, NOV) == (17, 12, 17, 5)


# --- exit codes ---------------------------------------------------------------------------------


def test_exit_0_when_every_row_is_imported(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B)])
    code, out, _ = _main(capsys, "--db", db_url, "import", str(f), "--format", "json")
    assert code == 0
    assert json.loads(out)["totals"] == {"files": 1, "rows_read": 2, "rows_imported": 2, "rows_rejected": 0}


def test_exit_1_when_rows_are_rejected_and_the_rest_is_imported(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _p(B, status="打工")  # not in the status vocabulary: an error, the row is not imported
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), bad, _p(C, status="务农")])
    code, out, _ = _main(capsys, "--db", db_url, "import", str(f), "--format", "json")
    assert code == 1
    g = json.loads(out)["files"][0]
    assert (g["status"], g["rows_read"], g["rows_imported"], g["rows_rejected"]) == ("imported", 3, 2, 1)
    errs = [p for p in g["problems"] if p["severity"] == "error"]
    assert [(p["row"], p["value"]) for p in errs] == [(3, "打工")]  # header is row 1, B is row 3
    assert _county(Cli(db_url), NOV) == (2, 1, 2, 1)  # A transferred, C farming


def test_exit_0_on_a_rerun_where_every_file_is_unchanged_though_they_had_rejected_rows(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "unchanged" reports the first import's counts again, rejected rows included; but no
    # problem was found in this run, so a nightly re-run of an unchanged folder exits 0
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B, name="")])
    assert _main(capsys, "--db", db_url, "import", str(f), "--format", "json")[0] == 1
    code, out, _ = _main(capsys, "--db", db_url, "import", str(f), "--format", "json")
    g = json.loads(out)["files"][0]
    assert (code, g["status"], g["rows_rejected"]) == (0, "unchanged", 1)


def test_exit_1_when_one_file_of_an_otherwise_unchanged_run_rejects_rows(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A)])
    assert _main(capsys, "--db", db_url, "import", str(f), "--format", "json")[0] == 0
    g = _sheet(tmp_path, "甲镇_二村_2026-11.xlsx", [_p(B, village="二村", name="")])
    code, out, _ = _main(capsys, "--db", db_url, "import", str(f), str(g), "--format", "json")
    assert code == 1
    assert [x["status"] for x in json.loads(out)["files"]] == ["unchanged", "imported"]


def test_exit_2_for_a_missing_file(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(capsys, "--db", db_url, "import", str(tmp_path / "甲镇_一村_2026-11.xlsx"))
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and "甲镇_一村_2026-11.xlsx" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "option", [("--mode", "replace"), ("--as-of", "2026-13-01"), ("--as-of", "November"), ("--bogus",)]
)
def test_exit_2_for_a_bad_option(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: tuple[str, ...]
) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A)])
    code, out, err = _main(capsys, "--db", sqlite_url, "import", str(f), *option)
    assert (code, out) == (2, "")
    assert err.strip() and "Traceback" not in err
    assert _counts(sqlite_url)["rows"] == 0


def test_exit_3_when_the_registry_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A)])
    folder = tmp_path / "registry"
    folder.mkdir()
    code, out, err = _main(capsys, "--db", str(folder), "import", str(f))
    assert (code, out) == (3, "")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert list(folder.iterdir()) == []


def test_exit_3_when_the_registry_file_is_not_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A)])
    notes = tmp_path / "notes.db"
    notes.write_text("这不是数据库\n" * 200, encoding="utf-8")
    before = notes.read_bytes()
    code, out, err = _main(capsys, "--db", str(notes), "import", str(f))
    assert (code, out) == (3, "")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert notes.read_bytes() == before


def test_exit_3_when_the_server_is_unreachable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A)])
    url = "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=3"  # port 9: nothing listens
    code, out, err = _main(capsys, "--db", url, "import", str(f))
    assert (code, out) == (3, "")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


# --- JSON shapes (docs/json.md: keys may be added, never removed or renamed) -----------------

FILE_KEYS = {
    "path",
    "sha256",
    "status",
    "as_of",
    "rows_read",
    "rows_imported",
    "rows_rejected",
    "warnings",
    "problems",
}
# docs/json.md's keys, plus the level (file, row, cell) and the fix on its own.
PROBLEM_KEYS = {"sheet", "row", "column", "severity", "code", "message", "value", "level", "fix"}
TOTAL_KEYS = {"files", "rows_read", "rows_imported", "rows_rejected"}


def _problem_sheet(tmp_path: Path) -> Path:
    # row 2 clean; row 3 a warning (phone of 5 digits); row 4 an error (no name)
    return _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B, phone="12345"), _p(C, name="")])


def _assert_shape(doc: dict[str, Any], status: str, as_of: str | None) -> None:
    assert set(doc) == {"files", "totals", "skipped"}
    assert doc["skipped"] == []
    assert set(doc["totals"]) == TOTAL_KEYS
    assert doc["totals"] == {"files": 1, "rows_read": 3, "rows_imported": 2, "rows_rejected": 1}
    (f,) = doc["files"]
    assert set(f) == FILE_KEYS
    assert (f["status"], f["as_of"]) == (status, as_of)
    assert len(f["sha256"]) == 64 and int(f["sha256"], 16) >= 0
    assert (f["rows_read"], f["rows_imported"], f["rows_rejected"], f["warnings"]) == (3, 2, 1, 1)
    assert f["problems"], "the warning and the error are listed"
    for p in f["problems"]:
        assert set(p) == PROBLEM_KEYS
        assert isinstance(p["sheet"], str) and isinstance(p["row"], int) and isinstance(p["message"], str)
        assert p["severity"] in ("error", "warning")
    assert {(p["row"], p["severity"]) for p in f["problems"]} == {(3, "warning"), (4, "error")}


def test_import_json_has_exactly_the_keys_of_cli_md(cli: Cli, tmp_path: Path) -> None:
    r = cli("import", str(_problem_sheet(tmp_path)), "--format", "json")
    assert r.exit_code == 1
    _assert_shape(json.loads(r.stdout), "imported", NOV)


def test_validate_json_has_exactly_the_keys_of_cli_md(cli_sqlite: Cli, tmp_path: Path) -> None:
    r = cli_sqlite("validate", str(_problem_sheet(tmp_path)), "--format", "json")
    assert r.exit_code == 1
    _assert_shape(json.loads(r.stdout), "checked", None)
    assert _counts(cli_sqlite.db)["rows"] == 0  # validate writes nothing


# --- history: person and household --------------------------------------------------------------

ID_A = make_id(A[1], A[2])
ID_B = make_id(B[1], B[2])


def _family(tmp_path: Path, cli: Cli) -> None:
    """Household H001 (A head, B spouse); in November A takes a job in the county and a new phone."""
    oct_ = [
        _p(A, household="H001", phone="13812345678"),
        _p(B, household="H001", relation="配偶", status="务农"),
    ]
    nov = [
        _p(B, household="H001", relation="配偶", status="务农"),
        _p(A, household="H001", phone="13912345678", status="县内务工"),
    ]
    nov[1]["就业单位"] = "某某鞋厂"
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", oct_)))
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", nov)))


def test_person_history_shows_each_file_row_and_what_changed_with_the_id_masked(
    cli: Cli, tmp_path: Path
) -> None:
    _family(tmp_path, cli)
    entries = cli.json("person", ID_A)["entries"]
    # A is row 2 (under the header) in October, row 3 in November
    assert [(e["as_of"], e["source"], e["sheet"], e["row"]) for e in entries] == [
        (OCT, "甲镇_一村_2026-10.xlsx", "Sheet1", 2),
        (NOV, "甲镇_一村_2026-11.xlsx", "Sheet1", 3),
    ]
    assert entries[0]["changes"] == []
    changes = {c["field"]: (c["before"], c["after"]) for c in entries[1]["changes"]}
    assert changes == {
        "employment_status": ("县外务工", "县内务工"),
        "employer": (None, "某某鞋厂"),
        "phone": ("138****5678", "139****5678"),  # masked in the changes too
    }
    masked = ID_A[:6] + "*" * 8 + ID_A[-4:]
    assert {e["values"]["id_number"] for e in entries} == {masked}
    assert ID_A not in json.dumps(entries)


def test_person_history_with_show_pii_shows_the_id_and_phone_whole(cli: Cli, tmp_path: Path) -> None:
    _family(tmp_path, cli)
    entries = cli.json("person", ID_A, "--show-pii")["entries"]
    assert [e["values"]["id_number"] for e in entries] == [ID_A, ID_A]
    phone = {c["field"]: (c["before"], c["after"]) for c in entries[1]["changes"]}["phone"]
    assert phone == ("13812345678", "13912345678")


def test_person_history_table_masks_the_id(
    cli_sqlite: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _family(tmp_path, cli_sqlite)
    monkeypatch.setattr(console, "_width", 400)  # wide enough that no cell is cut short
    r = cli_sqlite("person", ID_A)
    assert r.exit_code == 0, r.output
    assert ID_A[:6] + "*" * 8 + ID_A[-4:] in r.stdout and ID_A not in r.stdout
    assert "甲镇_一村_2026-11.xlsx:3" in r.stdout
    r = cli_sqlite("person", ID_A, "--show-pii")
    assert ID_A in r.stdout


def test_person_history_by_an_id_that_failed_its_check_finds_its_rows(cli: Cli, tmp_path: Path) -> None:
    wrong = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")  # a mistyped check digit
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-10.xlsx", [_p(A, id_number=wrong)])))
    cli.json("import", str(_sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A, id_number=wrong), _p(B)])))
    entries = cli.json("person", wrong, "--show-pii")["entries"]
    assert [(e["as_of"], e["values"]["id_number"]) for e in entries] == [(OCT, wrong), (NOV, wrong)]


def test_history_lookups_read_through_an_index(cli_sqlite: Cli, tmp_path: Path) -> None:
    _family(tmp_path, cli_sqlite)
    from laborcli.roster.history import household_history, person_keys  # what the commands run

    eng = sa.create_engine(f"sqlite:///{cli_sqlite.db}")
    ran: list[tuple[str, Any]] = []
    sa.event.listen(eng, "before_cursor_execute", lambda *a: ran.append((a[2], a[3])))

    def plan_of(conn: Connection, word: str) -> str:
        sql, params = next((sql, p) for sql, p in ran if word in sql)
        return " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))

    with eng.connect() as conn:
        person_keys(conn, ID_A)
        assert "ix_rows_unverified_id" in plan_of(conn, "id_number =")
        assert len(household_history(conn, "H001")) == 4
        assert "ix_rows_figures (snapshot_id=? AND household_id=?)" in plan_of(conn, "household_id =")
    eng.dispose()


def test_household_history_lists_every_member_row_of_both_imports(cli: Cli, tmp_path: Path) -> None:
    _family(tmp_path, cli)
    entries = cli.json("household", "H001")["entries"]
    # oldest first, then file order: Oct A(2), B(3); Nov B(2), A(3)
    assert [(e["as_of"], e["source"], e["row"], e["values"]["name"]) for e in entries] == [
        (OCT, "甲镇_一村_2026-10.xlsx", 2, "张三"),
        (OCT, "甲镇_一村_2026-10.xlsx", 3, "李四"),
        (NOV, "甲镇_一村_2026-11.xlsx", 2, "李四"),
        (NOV, "甲镇_一村_2026-11.xlsx", 3, "张三"),
    ]
    # each member compared with their own earlier row: B unchanged, A changed status
    assert entries[2]["changes"] == []
    assert {c["field"] for c in entries[3]["changes"]} == {"employment_status", "employer", "phone"}
    ids = [e["values"]["id_number"] for e in entries]
    assert ids == [m[:6] + "*" * 8 + m[-4:] for m in (ID_A, ID_B, ID_B, ID_A)]


def test_an_import_runs_with_the_cycle_collector_paused_and_other_commands_get_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console script starts with it paused (laborcli.cli.entry); only an import keeps it so."""
    import gc

    def paused_main(*argv: str) -> int:
        """main as the console script calls it, having paused the collector."""
        capsys.readouterr()
        return main(list(argv), gc_paused=True)

    f = _sheet(tmp_path, "甲镇_一村_2026-11.xlsx", [_p(A), _p(B)])
    db = str(tmp_path / "gc.db")
    gc.disable()
    try:
        assert paused_main("--db", db, "import", str(f)) == 0
        assert not gc.isenabled()
        assert paused_main("--db", db, "rates", "--as-of", "2026-11-30") == 0
        assert gc.isenabled()
        gc.disable()  # a host that keeps it off on purpose is left alone
        assert _main(capsys, "--db", db, "rates", "--as-of", "2026-11-30")[0] == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_import_module_leaves_the_database_layer_unloaded_until_a_registry_is_used() -> None:
    """import_sheets forks the workers before the registry is opened: for that to spare them
    SQLAlchemy, importing the module that starts them must not load it."""
    import subprocess
    import sys

    code = "import sys, laborcli.roster.importing; print('sqlalchemy' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "False", r.stderr
