"""A write killed at any moment leaves the registry as it was before, or as it is after.

Each command that writes (`import`, `targets import`, `dedup apply`) runs as a real
process on an SQLite registry and is killed with SIGKILL after a seeded random delay
spread over the command's whole run (measured once beforehand). After each kill the
registry must equal the state before the command or the state after it, never something
in between, and running the same command again must work and give the state after.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import Cli
from tests.sheets import person, write_csv, write_xlsx

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

AS_OF = "2026-11-30"
VILLAGES = [(("甲镇" if v < 50 else "乙镇"), f"{v + 1:03d}村") for v in range(100)]
_BIN = Path(sys.executable).parent / "laborcli"
# There is no `python -m laborcli` (no __main__ module); the console script is the entry point.
LABORCLI = [str(_BIN)] if _BIN.is_file() else [sys.executable, "-m", "laborcli"]


# --- sheets ------------------------------------------------------------------------------


def county_rows(n: int, month_shift: int = 0) -> list[dict[str, object]]:
    """n people spread over the 100 villages, unique birth dates so every ID is unique."""
    out = []
    for i in range(n):
        township, village = VILLAGES[i % len(VILLAGES)]
        out.append(
            person(
                f"村民{i}",
                dt.date(1970, 1, 1) + dt.timedelta(days=3 * i),
                seq=i,
                male=i % 2 == 0,
                township=township,
                village=village,
                household=f"{village}-H{i // 2:04d}",
                status=["县外务工", "务农", "县内务工", "未就业"][(i + month_shift) % 4],
            )
        )
    return out


def targets_sheet(path: Path, per_village: Callable[[int], int]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["乡镇", "村(社区)", "年度任务数"])
    for n, (township, village) in enumerate(VILLAGES):
        ws.append([township, village, per_village(n)])
    wb.save(path)
    return path


def unverified_village(village: str, n: int) -> list[dict[str, object]]:
    """People with no ID: the same name, birth date and phone in two villages is a probable match."""
    return [
        person(
            f"张{chr(0x4E00 + i)}{chr(0x4E80 + i)}",
            dt.date(1970, 1, 1) + dt.timedelta(days=37 * i),
            seq=i,
            village=village,
            household=f"{village}-H{i:03d}",
            id_number="",
            phone=f"139{i:08d}",
        )
        for i in range(n)
    ]


# --- the registry's state ----------------------------------------------------------------


def registry_state(db: Path) -> dict[str, Any]:
    """Everything an import, targets import or dedup apply may change, without ids or clocks."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        q = con.execute
        state: dict[str, Any] = {
            "imports": sorted(
                q(
                    "SELECT file_name, as_of, mode, rows_read, rows_imported, rows_rejected, warnings"
                    " FROM imports"
                ).fetchall()
            ),
            "rows_per_import": sorted(
                q(
                    "SELECT i.file_name, count(r.id) FROM imports i LEFT JOIN rows r ON r.import_id = i.id"
                    " GROUP BY i.id"
                ).fetchall()
            ),
            "snapshots": q("SELECT count(*) FROM snapshots").fetchone()[0],
            "problems": q("SELECT count(*) FROM problems").fetchone()[0],
            "targets": sorted(q("SELECT year, township, village, target, source FROM targets").fetchall()),
            "decisions": sorted(q("SELECT key_a, key_b, decision, source FROM decisions").fetchall()),
            "links": sorted(q("SELECT person_key, canonical FROM links").fetchall()),
        }
    finally:
        con.close()
    cli = Cli(str(db))
    state["rates"] = cli.json("rates", "--as-of", AS_OF, "--by", "village")
    state["rank"] = cli.json("rank", "--week", "2026-W48")
    return state


def fresh_copy(src: Path, dst: Path) -> Path:
    """A copy of a closed registry (no -wal left behind by a clean exit)."""
    assert not Path(f"{src}-wal").exists() or Path(f"{src}-wal").stat().st_size == 0
    shutil.copyfile(src, dst)
    return dst


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LABORCLI, "--db", str(db), "--quiet", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LABORCLI_WORKERS": "1"},
        timeout=60,
    )


def run_killed(db: Path, args: list[str], delay: float, wal_bytes: int | None = None) -> int | None:
    """Start the command and SIGKILL it after `delay` s, or as soon as its WAL file holds more
    than `wal_bytes` bytes (the commit is being written); its exit code (-9 when killed)."""
    proc = subprocess.Popen(
        [*LABORCLI, "--db", str(db), "--quiet", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "LABORCLI_WORKERS": "1"},
    )
    wal = Path(f"{db}-wal")
    t_end = time.monotonic() + delay
    while proc.poll() is None and time.monotonic() < t_end:
        if wal_bytes is not None:
            with contextlib.suppress(OSError):
                if wal.stat().st_size > wal_bytes:
                    break
            time.sleep(0.0002)
        else:
            time.sleep(0.005)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=30)


def kill_delays(seed: str, duration: float, n: int) -> list[float]:
    """n delays from 0.05 s to the whole run, one in each of n equal slices (seeded)."""
    rng = random.Random(seed)
    span = max(duration - 0.05, 0.05)
    return [0.05 + span * (k + rng.random()) / n for k in range(n)]


def crash_trials(
    tmp: Path,
    base: Path,
    args: list[str],
    before: dict[str, Any],
    after: dict[str, Any],
    duration: float,
    n: int,
    seed: str,
    wal_bytes: tuple[int, ...] = (0,),
) -> list[str]:
    """Kill the command n times, and once per wal_bytes while it writes its commit to the WAL;
    check before-or-after each time, and that the re-run gives the state after."""
    outcomes = []
    kills = [(d, None) for d in kill_delays(seed, duration, n)] + [(duration * 3, b) for b in wal_bytes]
    for k, (delay, on_wal) in enumerate(kills):
        db = fresh_copy(base, tmp / f"killed_{seed}_{k}.db")
        code = run_killed(db, args, delay, wal_bytes=on_wal)
        got = registry_state(db)
        when = f"after {delay:.2f} s" if on_wal is None else f"with {on_wal}+ bytes in the WAL"
        assert got in (before, after), f"a kill {when} left a state in between"
        outcomes.append(("before" if got == before else "after") + ("" if code == -9 else " (finished)"))
        r = Cli(str(db))(*args)  # the re-run in-process: the same code, without a second start-up
        assert r.exit_code == 0, r.output
        assert registry_state(db) == after, f"re-run after a kill at {delay:.2f} s"
    return outcomes


# --- the tests ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An October registry (100 villages, 300 people) and November's 3,000-row sheet."""
    tmp = tmp_path_factory.mktemp("crash")
    base = tmp / "october.db"
    oct_sheet = write_xlsx(tmp / "县_2026-10.xlsx", county_rows(300, month_shift=1))
    r = Cli(str(base))("import", str(oct_sheet))
    assert r.exit_code == 0, r.output
    nov_sheet = write_csv(tmp / "县_2026-11.csv", county_rows(3000))
    november = fresh_copy(base, tmp / "november.db")
    r = Cli(str(november))("import", str(nov_sheet))
    assert r.exit_code == 0, r.output
    return {"tmp": tmp, "base": base, "sheet": nov_sheet, "november": november}


def test_killed_import_leaves_the_registry_before_or_after_the_file(county: dict[str, Path]) -> None:
    tmp, base, sheet = county["tmp"], county["base"], county["sheet"]
    before = registry_state(base)
    done = fresh_copy(base, tmp / "import_done.db")
    t0 = time.monotonic()
    r = run(done, "import", str(sheet))
    duration = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    after = registry_state(done)
    # Sanity of the two states: October's 300 rows, then November's 3,000 on top.
    assert [n for _, n in before["rows_per_import"]] == [300]
    assert sorted(n for _, n in after["rows_per_import"]) == [300, 3000]
    # 3,000 people aged 32..56, all in the labour force; statuses cycle 县外/务农/县内/未就业: half transferred.
    assert (after["rates"]["total"]["labour_force"], after["rates"]["total"]["transferred"]) == (3000, 1500)
    args = ["import", str(sheet)]
    outcomes = crash_trials(tmp, base, args, before, after, duration, 8, "import", wal_bytes=(0, 256 * 1024))
    assert outcomes[0] == "before"  # killed at ~0.05-0.3 s: long before the write


def test_killed_targets_import_leaves_the_year_before_or_after(county: dict[str, Path]) -> None:
    tmp = county["tmp"]
    base = fresh_copy(county["november"], tmp / "targets_base.db")
    old = targets_sheet(tmp / "2026年任务_旧.xlsx", lambda n: 10)
    assert Cli(str(base))("targets", "import", str(old), "--year", "2026").exit_code == 0
    before = registry_state(base)
    new = targets_sheet(tmp / "2026年任务.xlsx", lambda n: 20 + n)
    done = fresh_copy(base, tmp / "targets_done.db")
    t0 = time.monotonic()
    r = run(done, "targets", "import", str(new), "--year", "2026")
    duration = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    after = registry_state(done)
    # 100 villages; the new targets are 20..119, summing to 100*20 + 99*100/2 = 6950.
    assert sum(t[3] for t in before["targets"]) == 1000
    assert sum(t[3] for t in after["targets"]) == 6950
    args = ["targets", "import", str(new), "--year", "2026"]
    crash_trials(tmp, base, args, before, after, duration, 5, "targets")


def test_killed_dedup_apply_records_all_decisions_or_none(tmp_path: Path) -> None:
    base = tmp_path / "dedup.db"
    cli = Cli(str(base))
    for village in ("一村", "二村"):
        sheet = write_xlsx(tmp_path / f"甲镇_{village}_2026-11.xlsx", unverified_village(village, 200))
        assert cli("import", str(sheet)).exit_code == 0
    review = tmp_path / "review.xlsx"
    assert cli("dedup", "--as-of", AS_OF, "--export", str(review)).exit_code == 0
    wb = load_workbook(review)
    ws = wb["待核查"]
    marked = 0
    for row in ws.iter_rows():
        if row[0].value and str(row[0].value).startswith("C"):
            row[1].value = "同一人" if marked % 2 == 0 else "不同人"
            marked += 1
    wb.save(review)
    assert marked == 200
    before = registry_state(base)
    done = fresh_copy(base, tmp_path / "dedup_done.db")
    t0 = time.monotonic()
    r = run(done, "dedup", "apply", str(review))
    duration = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    after = registry_state(done)
    # 400 unverified rows; 100 pairs confirmed as one person: 400 - 100 = 300 in the labour force.
    assert before["rates"]["total"]["labour_force"] == 400
    assert after["rates"]["total"]["labour_force"] == 300
    assert len(after["decisions"]) == 200 and len(after["links"]) == 100
    crash_trials(tmp_path, base, ["dedup", "apply", str(review)], before, after, duration, 5, "dedup")
