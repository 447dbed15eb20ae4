"""Recording finance's workbook is all or nothing (docs/programmes.md "Payment ledger"), on
SQLite and PostgreSQL:

- `subsidy record` killed with SIGKILL at each point of its write (tests/killpoint.py:
  before and after it writes the recording and the ledger lines, as it commits, after it
  committed) leaves the ledger as it was before, or as it is after, never in between;
  on SQLite also killed as its commit reaches the write-ahead log (as tests/test_crash.py
  does for imports);
- two recordings at once never both record a line: two connections racing on the same
  workbook (the second held at the registry's write lock while the first has written
  its lines), two workbooks marking the same lines differently, and two processes.

The county: one village, four month ends of 2026, 40 poor persons placed outside the
county by a registered leader from 2026-01-10 (3 months on 04-10) at 1,250 a month in
households of one: 40 organised placements (200 yuan), 40 household awards (1,000 yuan)
and the leader's award (40 people: 10,000 yuan), every one due at 2026-04-30 and marked
已发放 in the returned workbook.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from laborcli.registry import tables
from laborcli.registry.engine import open_registry
from laborcli.subsidies.ledger import Recording, record_workbook
from tests.conftest import Cli
from tests.sheets import HEADER, make_id, person, write_xlsx
from tests.test_crash import fresh_copy, run_killed

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parent.parent
MONTHS = {"01": "2026-01-31", "02": "2026-02-28", "03": "2026-03-31", "04": "2026-04-30"}
D = "2026-04-30"
N = 40
LINES = 2 * N + 1  # a placement and a household award each, and the leader award (40 >= 30)
YUAN = N * 200 + N * 1000 + 10000


def _month() -> list[dict[str, object]]:
    out = []
    for i in range(N):
        row = person(
            f"村民{i}",
            dt.date(1980, 1, 1) + dt.timedelta(days=11 * i),
            seq=i,
            household=f"H{i:03d}",
            poor="是",
            organised="是",
            job_start="2026-01-10",
            income=1250,
        )
        row[HEADER["organiser"]] = "张明"
        out.append(row)
    return out


def _county(cli: Cli, tmp: Path) -> tuple[Path, Path]:
    """The registry with the lines exported; the workbook as exported and as finance
    returns it (every line 已发放 on 2026-05-08, rows reversed, a column added)."""
    for m, end in MONTHS.items():
        f = write_xlsx(tmp / f"甲镇_一村_2026-{m}.xlsx", _month())
        assert cli("import", str(f), "--as-of", end).exit_code == 0
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["名称", "类型", "身份证号码"])
    ws.append(["张明", "带头能人", make_id(dt.date(1970, 1, 1), 9)])
    leaders = tmp / "带头能人.xlsx"
    wb.save(leaders)
    assert cli("leaders", "import", str(leaders)).exit_code == 0
    export = tmp / "补贴发放表.xlsx"
    assert cli("subsidy", "--as-of", D, "--export", str(export)).exit_code == 0
    return export, _marked(export, tmp / "财务已填.xlsx", "已发放")


def _marked(export: Path, out: Path, status: str) -> Path:
    wb = load_workbook(export)
    ws = wb.worksheets[0]
    head = next(i for i, r in enumerate(ws.iter_rows(values_only=True), start=1) if r[0] == "编号")
    headers = [c.value for c in ws[head]]
    body = [list(r) for r in ws.iter_rows(min_row=head + 1, values_only=True)][::-1]
    new = Workbook()
    nws = new.active
    assert nws is not None
    nws.append([*headers, "财务备注"])
    for r in body:
        r[headers.index("发放状态")] = status
        r[headers.index("发放日期")] = dt.date(2026, 5, 8) if status == "已发放" else None
        r[headers.index("原因")] = "" if status == "已发放" else "重复申报"
        nws.append([*r, "凭证 2026-05"])
    new.save(out)
    return out


def _engine(db: str) -> sa.Engine:
    return sa.create_engine(db if "://" in db else f"sqlite:///{db}")


def ledger_state(cli: Cli) -> dict[str, Any]:
    """What a recording may change: the ledger, its recordings; and what `subsidy` says."""
    eng = _engine(cli.db)
    try:
        with eng.connect() as c:
            if eng.dialect.name == "sqlite":
                assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            state: dict[str, Any] = {
                "ledger": sorted(
                    tuple(r)
                    for r in c.execute(
                        sa.select(
                            tables.ledger.c.line_id,
                            tables.ledger.c.status,
                            tables.ledger.c.amount,
                            tables.ledger.c.paid_on,
                        )
                    )
                ),
                "recordings": sorted(
                    tuple(r)
                    for r in c.execute(
                        sa.select(
                            tables.ledger_recordings.c.file_name,
                            tables.ledger_recordings.c.sha256,
                            tables.ledger_recordings.c.recorded,
                        )
                    )
                ),
                "exported": c.execute(sa.select(sa.func.count()).select_from(tables.subsidy_lines)).scalar(),
            }
    finally:
        eng.dispose()
    state["totals"] = cli.json("subsidy", "--as-of", D)["totals"]
    return state


def _run(db: str, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABORCLI_WORKERS": "1"}
    if kill_at is not None:
        env["KILL_AT"] = kill_at
        cmd = [sys.executable, "-m", "tests.killpoint", "--db", db, "--quiet", *args]
    else:
        cmd = [str(Path(sys.executable).parent / "laborcli"), "--db", db, "--quiet", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


# Each point, and the state a kill there must leave.
POINTS = [
    ("before|INSERT INTO ledger_recordings", "before"),
    ("after|INSERT INTO ledger_recordings", "before"),
    ("before|INSERT INTO ledger (", "before"),
    ("after|INSERT INTO ledger (", "before"),
    ("commit-after|INSERT INTO ledger (", "before"),
    ("returned|laborcli.subsidies.ledger|record_workbook", "after"),
]


def test_a_recording_killed_at_any_point_leaves_the_ledger_before_or_after(cli: Cli, tmp_path: Path) -> None:
    _, returned = _county(cli, tmp_path)
    before = ledger_state(cli)
    assert before["ledger"] == [] and before["totals"]["due"] == LINES
    assert before["totals"]["amount_due"] == YUAN
    pristine = None
    if "://" not in cli.db:  # a copy for the kill while the commit is written, below
        pristine = fresh_copy(Path(cli.db), tmp_path / "pristine.db")
    after: dict[str, Any] | None = None
    # In this order a kill leaves the state the next one starts from ("before" until the
    # last point, which must leave "after").
    for point, want in POINTS:
        r = _run(cli.db, "subsidy", "record", str(returned), kill_at=point)
        assert r.returncode == -9, (point, r.returncode, r.stderr[-2000:])
        got = ledger_state(cli)
        if want == "before":
            assert got == before, f"a kill at {point} changed the ledger"
        else:
            after = got
    assert after is not None
    assert len(after["ledger"]) == LINES and {s for _, s, _, _ in after["ledger"]} == {"paid"}
    assert after["recordings"] == [(returned.name, after["recordings"][0][1], LINES)]
    assert (after["totals"]["paid"], after["totals"]["amount_paid"], after["totals"]["due"]) == (
        LINES,
        YUAN,
        0,
    )
    # Recording again after the kills changes nothing (one more recording, of nothing).
    again = _run(cli.db, "subsidy", "record", str(returned), "--format", "json")
    assert again.returncode == 0, again.stderr
    assert '"recorded": 0' in again.stdout and f'"unchanged": {LINES}' in again.stdout
    assert ledger_state(cli)["ledger"] == after["ledger"]
    if pristine is not None:
        # Killed as soon as the write-ahead log holds anything: the commit being written.
        args = ["subsidy", "record", str(returned)]
        code = run_killed(pristine, args, 60.0, wal_bytes=0)
        assert ledger_state(Cli(str(pristine))) in (before, after), f"exit {code}: a state in between"


def _held_at_the_lock(reg: Any, reached: threading.Event) -> None:
    """Signal when this registry's connection asks for the write lock."""

    def asking(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE") or "pg_advisory_xact_lock" in statement:
            reached.set()

    sa.event.listen(reg.engine, "before_cursor_execute", asking)


def _race(db: str, first: Path, second: Path) -> tuple[Recording, Recording]:
    """Record ``first`` on one connection and ``second`` on another: the first is held
    inside its transaction, its ledger lines written, until the second asks for the lock."""
    a, b = open_registry(db, create=False), open_registry(db, create=False)
    written, b_asks = threading.Event(), threading.Event()

    def hold(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO ledger ("):
            written.set()
            b_asks.wait(60)

    sa.event.listen(a.engine, "after_cursor_execute", hold)
    _held_at_the_lock(b, b_asks)
    out: dict[str, Recording] = {}

    def run(name: str, reg: Any, path: Path) -> None:
        out[name] = record_workbook(reg, path)

    ta = threading.Thread(target=run, args=("a", a, first))
    ta.start()
    assert written.wait(60)
    tb = threading.Thread(target=run, args=("b", b, second))
    tb.start()
    ta.join(120)
    tb.join(120)
    a.close()
    b.close()
    return out["a"], out["b"]


def test_two_recordings_of_one_workbook_at_once_record_each_line_once(cli: Cli, tmp_path: Path) -> None:
    _, returned = _county(cli, tmp_path)
    first, second = _race(cli.db, returned, returned)
    assert (first.recorded, first.unchanged, first.problems) == (LINES, 0, [])
    assert (second.recorded, second.unchanged, second.problems) == (0, LINES, [])
    state = ledger_state(cli)
    assert len(state["ledger"]) == LINES
    assert sorted(n for _, _, n in state["recordings"]) == [0, LINES]


def test_two_workbooks_marking_the_same_lines_differently_at_once_record_one(
    cli: Cli, tmp_path: Path
) -> None:
    export, paid = _county(cli, tmp_path)
    refused = _marked(export, tmp_path / "不予发放.xlsx", "不予发放")
    first, second = _race(cli.db, paid, refused)
    assert first.recorded == LINES and not first.problems
    # The second finds every line recorded as paid: a conflict at each row, nothing recorded.
    assert second.recorded == 0 and len(second.problems) == LINES
    assert {p.code for p in second.problems} == {"ledger-conflict"}
    assert {s for _, s, _, _ in ledger_state(cli)["ledger"]} == {"paid"}


def test_two_processes_recording_at_once_record_each_line_once(cli: Cli, tmp_path: Path) -> None:
    _, returned = _county(cli, tmp_path)
    cmd = [str(Path(sys.executable).parent / "laborcli"), "--db", cli.db, "--quiet", "subsidy", "record"]
    procs = [
        subprocess.Popen([*cmd, str(returned), "--format", "json"], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    done = sorted((json.loads(o)["recorded"], json.loads(o)["unchanged"]) for o in outs)
    assert done == [(0, LINES), (LINES, 0)]
    assert len(ledger_state(cli)["ledger"]) == LINES
