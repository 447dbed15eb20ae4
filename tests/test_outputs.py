"""What laborcli writes, and registries it cannot use (issue 25, cases 2, 7, 9, 10, 11).

Each case goes through the real entry point (``cli.app.main``: a LaborError or an OSError
about a file becomes one stderr line and an exit code) or a real ``laborcli`` process.
"""

from __future__ import annotations

import builtins
import datetime as dt
import errno
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from laborcli.cli.app import main
from laborcli.errors import UsageError
from laborcli.registry import tables
from laborcli.sheets.safe import distinct_name, inside, safe_name
from tests.conftest import Cli
from tests.sheets import make_id, person, write_csv, write_xlsx
from tests.test_crash import county_rows

AS_OF = "2026-11-30"
_BIN = Path(sys.executable).parent / "laborcli"
LABORCLI = [str(_BIN)] if _BIN.is_file() else [sys.executable, "-m", "laborcli"]


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The real entry point: exit code, stdout, stderr."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def _one_line(code: int, err: str, expected: int) -> None:
    assert code == expected, err
    assert "Traceback" not in err
    # One line, beside the note that names the month taken when --as-of is left out.
    lines = [ln for ln in err.splitlines() if ln.strip() and "--as-of" not in ln.split("laborcli:")[0]]
    assert len(lines) == 1 and lines[0].startswith("laborcli: "), err


def _county(cli: Cli, d: Path, n: int = 40) -> None:
    """November: n people in 100 villages of two townships."""
    people = county_rows(n)
    f = write_csv(d / "县_2026-11.csv", people)
    assert cli("import", str(f), "--format", "json").exit_code == 0


def _parts(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".part" in p.name]


# --- case 2: every file written whole, or the old one stays --------------------------------


def test_a_ctrl_c_inside_each_writer_leaves_the_old_file_and_nothing_beside_it(
    cli_sqlite: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _county(cli_sqlite, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    db = cli_sqlite.db
    writes: dict[str, list[str]] = {
        "报表.xlsx": ["export", "report", "-o"],
        "名册.csv": ["export", "people", "-o"],
        "名册.xlsx": ["export", "people", "-f", "xlsx", "-o"],
        "名册.parquet": ["export", "people", "-f", "parquet", "-o"],
        "家庭.xlsx": ["households", "--export"],
        "复核.xlsx": ["dedup", "--export"],
        "排名.xlsx": ["rank", "--week", "2026-W48", "--export"],
        "模板.xlsx": ["template", "-o"],
    }
    for name in writes:
        (out / name).write_bytes(b"last month's good file")

    def half(*_a: Any, **_k: Any) -> None:
        raise KeyboardInterrupt

    def half_save(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "save", half_save)
    monkeypatch.setattr(pd.DataFrame, "to_csv", half)
    monkeypatch.setattr(pd.DataFrame, "to_parquet", half)
    for name, args in writes.items():
        as_of = ["--as-of", AS_OF] if args[0] in ("export", "households", "dedup") else []
        code, _, err = _main(capsys, "--db", db, *args, str(out / name), *as_of)
        assert code == 130, (name, err)
        assert (out / name).read_bytes() == b"last month's good file", name
    assert _parts(out) == []  # no temporary file left beside any of them

    # The backup too: a backup cut short leaves no file that looks like one.
    class Cut:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __getattr__(self, name: str) -> Any:
            return getattr(self.conn, name)

        def backup(self, target: Any) -> None:
            Path(target.execute("PRAGMA database_list").fetchone()[2]).write_bytes(b"half")
            raise KeyboardInterrupt

    from laborcli.registry import admin

    monkeypatch.setattr(
        admin,
        "sqlite3",
        SimpleNamespace(connect=lambda p: Cut(sqlite3.connect(p)), DatabaseError=sqlite3.DatabaseError),
    )
    code, _, _ = _main(capsys, "--db", db, "db", "backup", str(out / "备份.db"))
    assert code == 130 and not (out / "备份.db").exists() and _parts(out) == []
    monkeypatch.setattr(admin, "sqlite3", sqlite3)
    code, _, err = _main(capsys, "--db", db, "db", "backup", str(out / "备份.db"))
    assert code == 0, err
    assert sqlite3.connect(out / "备份.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_while_export_report_writes_leaves_last_months_report(
    cli_sqlite: Cli, tmp_path: Path
) -> None:
    """A real process, killed the moment its write begins (a temporary file appears, or the
    target changes): the report of last month is still there and still opens."""
    _county(cli_sqlite, tmp_path, n=3000)
    target = tmp_path / "月报.xlsx"
    assert cli_sqlite("export", "report", "-o", str(target), "--as-of", "2026-10-31").exit_code == 0
    good = target.read_bytes()
    killed = 0
    for _ in range(3):
        before = target.stat()
        proc = subprocess.Popen(
            [
                *LABORCLI,
                "--db",
                cli_sqlite.db,
                "--quiet",
                "export",
                "report",
                "-o",
                str(target),
                "--as-of",
                AS_OF,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            now = target.stat()
            if _parts(tmp_path) or (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.0005)
        code = proc.wait(timeout=30)
        if code == -signal.SIGKILL:
            killed += 1
            assert target.read_bytes() == good  # last month's file, byte for byte
        load_workbook(target, read_only=True).close()  # whichever it is, it opens
        for p in _parts(tmp_path):  # what a killed process cannot remove, it leaves beside
            p.unlink()
    assert killed >= 1


def test_a_write_that_fails_is_one_line_and_leaves_no_temporary_file(
    cli_sqlite: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _county(cli_sqlite, tmp_path)
    target = tmp_path / "名册.csv"
    target.write_text("good")

    def refused(*_a: Any, **_k: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(pd.DataFrame, "to_csv", refused)
    code, _, err = _main(capsys, "--db", cli_sqlite.db, "export", "people", "-o", str(target))
    _one_line(code, err, 2)
    assert "无法写入" in err and str(target) in err
    assert target.read_text() == "good" and _parts(tmp_path) == []


# --- case 7: names of places as names of files ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../逃逸", "逃逸"),
        ("甲/乙镇", "甲_乙镇"),
        ("甲\\乙镇", "甲_乙镇"),
        ('一<村>:"|?*', "一_村"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1", "_com1"),
        ("LPT9 ", "_LPT9"),
        ("一村. . ", "一村"),
        (".隐藏", "隐藏"),
        ("..", "_"),
        ("", "_"),
        ("一\x00\x1f村", "一_村"),
        ("红旗村", "红旗村"),
    ],
)
def test_a_place_name_becomes_a_safe_file_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_two_places_of_the_same_safe_name_get_two_names() -> None:
    taken: set[str] = set()
    names = [distinct_name(t, taken) for t in ("甲_乙镇", "甲/乙镇", "甲\\乙镇", "Con", "CON")]
    assert len({n.casefold() for n in names}) == 5
    assert names[0] == "甲_乙镇" and names[1].startswith("甲_乙镇~")
    assert distinct_name("甲/乙镇", set()) == "甲_乙镇"  # alone, no suffix


def test_a_path_outside_the_folder_given_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="不在指定的文件夹"):
        inside(tmp_path / "dir", tmp_path / "dir" / ".." / ".." / "x.xlsx")
    assert inside(tmp_path / "dir", tmp_path / "dir" / "a.xlsx") == tmp_path / "dir" / "a.xlsx"


def _hostile_townships(cli: Cli, d: Path) -> None:
    people = [
        person(
            f"村民{i}", dt.date(1980, 1, 1) + dt.timedelta(days=400 * i), seq=i, township=t, village="一村"
        )
        for i, t in enumerate(["../../逃逸", "甲/乙镇", "甲_乙镇", "CON"])
    ]
    assert cli("import", str(write_csv(d / "县_2026-11.csv", people)), "--format", "json").exit_code == 0


@pytest.mark.parametrize("form", ["{township}.xlsx", "folder", "月报.xlsx"])
def test_split_by_township_writes_only_inside_the_folder_given(
    cli_sqlite: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    _hostile_townships(cli_sqlite, tmp_path)
    base = tmp_path / "a" / "b" / "dir"
    output = base if form == "folder" else base / form
    before = {p for p in tmp_path.rglob("*")}
    code, _, err = _main(
        capsys,
        "--db",
        cli_sqlite.db,
        "export",
        "report",
        "--split-by",
        "township",
        "-o",
        str(output),
        "--as-of",
        AS_OF,
    )
    assert code == 0, err
    new = {p for p in tmp_path.rglob("*")} - before
    files = sorted(p for p in new if p.is_file())
    assert len(files) == 4  # one per township, none over another
    assert all(p.parent == base for p in files)  # no subfolder from 甲/乙镇, nothing above dir
    assert all(p == base or base in p.parents or p in base.parents for p in new)
    prefix = "" if form.startswith("{") else "月报_"
    stems = sorted(p.stem.removeprefix(prefix) for p in files)
    assert stems[:3] == ["_CON", "甲_乙镇", "逃逸"] or stems[:2] == ["_CON", "甲_乙镇"]
    assert "逃逸" in stems and len([s for s in stems if s.startswith("甲_乙镇~")]) == 1


def test_annotated_copies_of_two_sheets_of_the_same_name_are_two_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for town in ("甲镇", "乙镇"):
        (tmp_path / town).mkdir()
        write_xlsx(
            tmp_path / town / "一村.xlsx", [person("张三", dt.date(1980, 1, 1), township=town, status="")]
        )
    out = tmp_path / "批注"
    code, _, err = _main(
        capsys, "validate", str(tmp_path / "甲镇"), str(tmp_path / "乙镇"), "--annotate", str(out)
    )
    assert code == 1, err  # the rows have problems
    copies = sorted(p.name for p in out.iterdir())
    assert len(copies) == 2 and copies[0].startswith("一村") and copies[1].startswith("一村")


# --- case 9: a damaged registry is exit 3 in one line on every command ---------------------


def _damage(db: Path, first_page: int) -> None:
    """Garbage over every page from ``first_page`` on (the schema before it stays readable)."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = int(con.execute("PRAGMA page_size").fetchone()[0])
    con.close()
    pages = db.stat().st_size // size
    rng = __import__("random").Random(25)
    with db.open("r+b") as f:
        for page in range(first_page, pages):
            f.seek(page * size)
            f.write(bytes(rng.randrange(256) for _ in range(64)) * (size // 64))


def _rows_root(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(
            con.execute("SELECT min(rootpage) FROM sqlite_master WHERE tbl_name = 'rows'").fetchone()[0]
        )
    finally:
        con.close()


COMMANDS = [
    ["rates", "--as-of", AS_OF],
    ["rates", "--as-of", AS_OF, "--by", "village", "--format", "json"],
    ["export", "report", "-o", "{out}/r.xlsx", "--as-of", AS_OF],
    ["export", "people", "-o", "{out}/p.csv", "--as-of", AS_OF],
    ["dedup", "--as-of", AS_OF],
    ["households", "--as-of", AS_OF],
    ["rank", "--week", "2026-W48"],
    ["import", "{out}/新_2026-11.csv"],
    ["people", "purge", make_id(dt.date(1970, 1, 1), 0), "--yes"],
    ["person", make_id(dt.date(1970, 1, 1), 0)],
    ["db", "info"],
]


@pytest.mark.parametrize("damage", ["pages", "not-a-database"])
def test_a_damaged_registry_is_exit_3_in_one_line_on_every_command(
    cli_sqlite: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    _county(cli_sqlite, tmp_path, n=2000)
    db = Path(cli_sqlite.db)
    out = tmp_path / "out"
    out.mkdir()
    write_csv(out / "新_2026-11.csv", [person("新人", dt.date(1990, 5, 5), seq=3, village="三村")])
    if damage == "pages":
        _damage(db, _rows_root(db) - 1)
    else:
        db.write_bytes(b"SQLite format 2\x00 this is not a database, only text. " * 200)
        for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):
            side.unlink(missing_ok=True)
    for args in COMMANDS:
        code, _, err = _main(capsys, "--db", str(db), *[a.replace("{out}", str(out)) for a in args])
        _one_line(code, err, 3)
        assert ("损坏" in err) if damage == "pages" else ("not a database" in err), (args, err)
    assert not (out / "r.xlsx").exists() and _parts(out) == []


# --- case 10: a purge takes the person's values out of the stored problems ------------------

ZS_ID = make_id(dt.date(1985, 3, 4), 7)
ZS_PHONE, ZS_OLD_PHONE = "13812345678", "13700001111"


def _dump(db: str) -> str:
    eng = sa.create_engine(db if "://" in db else f"sqlite:///{db}")
    try:
        with eng.connect() as c:
            return "\n".join(
                repr(tuple(r)) for t in tables.metadata.sorted_tables for r in c.execute(sa.select(t))
            )
    finally:
        eng.dispose()


def test_purge_removes_the_problems_of_a_row_rejected_in_an_earlier_month(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    li = person("李四", dt.date(1990, 1, 1), seq=2, household="H002", phone="13900001111")
    # September: 张三's row is rejected; his ID was typed into 出生日期, his old phone into
    # 就业状态, and "电话 + phone" into 工作地点 beside it.
    sep = person("张三", dt.date(1985, 3, 4), seq=7, status=ZS_OLD_PHONE, phone="", birth_cell=ZS_ID)
    october = person("张三", dt.date(1985, 3, 4), seq=7, status=f"电话{ZS_PHONE}", phone=ZS_PHONE)
    november = person("张三", dt.date(1985, 3, 4), seq=7, status="务农", phone=ZS_PHONE)
    for month, zs in (("09", sep), ("10", october), ("11", november)):
        f = write_xlsx(tmp_path / f"甲镇_一村_2026-{month}.xlsx", [zs, li])
        assert cli("import", str(f), "--format", "json").exit_code in (0, 1)
    dump = _dump(cli.db)
    assert ZS_OLD_PHONE in dump and f"电话{ZS_PHONE}" in dump  # the problems hold them
    code, _, err = _main(capsys, "--db", cli.db, "people", "purge", ZS_ID, "--yes")
    assert code == 0, err
    dump = _dump(cli.db)
    for value in (ZS_ID, ZS_PHONE, ZS_OLD_PHONE, "张三"):
        assert value not in dump, value
    assert "13900001111" in dump and "李四" in dump  # 李四 keeps his rows
    if "://" in cli.db:  # PostgreSQL keeps deleted tuples in its files until a VACUUM
        assert "VACUUM" in err
    else:
        assert "VACUUM" not in err
        # SQLite overwrote the freed cells and emptied the log: not in the file's bytes either.
        raw = Path(cli.db).read_bytes() + (
            Path(f"{cli.db}-wal").read_bytes() if Path(f"{cli.db}-wal").exists() else b""
        )
        for value in (ZS_ID, ZS_PHONE, ZS_OLD_PHONE):
            assert value.encode() not in raw, value


# --- case 11: one line and an exit code, not a traceback ------------------------------------


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A folder without write permission. The tests run as root, which permissions do not
    stop, so the calls that create files are refused there as the system would refuse them."""
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)

    def under(p: object) -> bool:
        try:
            return folder in Path(os.fsdecode(p)).resolve().parents  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False

    def refuse(p: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(p))  # type: ignore[arg-type]

    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir

    def fake_open(file: Any, mode: str = "r", *a: Any, **k: Any) -> Any:
        if under(file) and any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *a, **k)

    def fake_os_open(path: Any, flags: int, *a: Any, **k: Any) -> int:
        if under(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *a, **k)

    def fake_mkdir(path: Any, *a: Any, **k: Any) -> None:
        if under(path):
            refuse(path)
        real_mkdir(path, *a, **k)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)  # zipfile's (openpyxl's) way in
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)
    yield folder
    folder.chmod(0o755)


def test_o_naming_an_existing_folder_is_a_usage_error_before_the_work(
    cli_sqlite: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _county(cli_sqlite, tmp_path)
    folder = tmp_path / "已有文件夹"
    folder.mkdir()
    for args in (
        ["export", "report", "-o", folder],
        ["export", "people", "-o", folder],
        ["households", "--export", folder],
        ["dedup", "--export", folder],
        ["rank", "--week", "2026-W48", "--export", folder],
        ["template", "-o", folder],
    ):
        code, _, err = _main(capsys, "--db", cli_sqlite.db, *map(str, args))
        _one_line(code, err, 2)
        assert "是一个文件夹" in err, (args, err)
    assert list(folder.iterdir()) == []


def test_annotate_naming_an_existing_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_xlsx(tmp_path / "一村.xlsx", [person("张三", dt.date(1980, 1, 1))])
    there = tmp_path / "批注.xlsx"
    there.write_text("a file")
    for folder in (there, there / "子文件夹"):
        code, _, err = _main(capsys, "validate", str(sheet), "--annotate", str(folder))
        _one_line(code, err, 2)
        assert "是一个文件, 不是文件夹" in err
    assert there.read_text() == "a file"


def test_writing_into_a_folder_without_permission_is_one_line(
    cli_sqlite: Cli, tmp_path: Path, read_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _county(cli_sqlite, tmp_path)
    for args in (
        ["export", "report", "-o", read_only / "月报.xlsx", "--as-of", AS_OF],
        [
            "export",
            "report",
            "--split-by",
            "township",
            "-o",
            read_only / "分" / "{township}.xlsx",
            "--as-of",
            AS_OF,
        ],
        ["export", "people", "-o", read_only / "名册.csv"],
        ["households", "--export", read_only / "家庭.xlsx"],
        ["template", "-o", read_only / "模板.xlsx"],
        ["db", "backup", read_only / "备份.db"],
        ["validate", tmp_path / "县_2026-11.csv", "--annotate", read_only / "批注"],
    ):
        code, _, err = _main(capsys, "--db", cli_sqlite.db, *map(str, args))
        _one_line(code, err, 2)
        assert "Permission denied" in err and str(read_only) in err, (args, err)
    assert list(read_only.iterdir()) == []
    # A new registry there: the registry cannot be used, exit 3.
    code, _, err = _main(capsys, "--db", str(read_only / "新.db"), "rates")
    _one_line(code, err, 3)
    assert "无法创建数据库" in err and "Permission denied" in err


@pytest.mark.parametrize(
    "args",
    [
        ["rates", "--as-of", "0001-01-01"],
        ["rates", "--as-of", "0001-01"],
        ["rates", "--as-of", "9999-12-31"],
        ["export", "report", "-o", "{tmp}/r.xlsx", "--as-of", "0001-01-01"],
        ["households", "--as-of", "0001-01-01"],
        ["dedup", "--as-of", "0001-01-01"],
        ["import", "{tmp}/县_2026-11.csv", "--as-of", "0001-01-01"],
        ["rank", "--week", "0001-W01"],
        ["rank", "--week", "9999-W52"],
    ],
)
def test_a_date_at_the_ends_of_the_calendar_is_a_usage_error(
    cli_sqlite: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    _county(cli_sqlite, tmp_path, n=4)
    code, _, err = _main(capsys, "--db", cli_sqlite.db, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    _one_line(code, err, 2)
    assert "超出范围" in err
