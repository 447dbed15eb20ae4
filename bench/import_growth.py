"""A month's import into an empty SQLite registry and into one holding a year (issue 23's
"month 12 within 1.2x of month 1"), in less time than bench/scale.py's whole run.

Run from the project root, after bench/history.py has built its county and registries::

    python bench/import_growth.py

The first month's folder is imported by a fresh ``laborcli import`` into a new registry;
the last month's folder is imported again, dated a month after it, into a copy of the
registry of all months (so that it is a thirteenth month, with every row new). Each is
timed as a whole process, with its peak memory; the rows written are counted, so that a
failed import is never taken for a fast one. The section between the markers of
docs/benchmarks.md is replaced.
"""

from __future__ import annotations

import argparse
import calendar
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import ROOT, laborcli, uptime, write_section  # bench/ is not a package: found through sys.path

BEGIN = "<!-- bench/import_growth.py: begin -->"
END = "<!-- bench/import_growth.py: end -->"


def timed_import(db: Path, folder: Path, as_of: str | None) -> tuple[float, float, int]:
    """Seconds, peak MB and rows written at ``as_of`` (or the folder's month end)."""
    argv = [laborcli(), "-q", "--db", str(db), "import", str(folder)]
    if as_of:
        argv += ["--as-of", as_of]
    subprocess.run(["sync"], check=False)
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: some rows had problems, as the generated sheets mean them to
        raise SystemExit(f"import of {folder} exited with {code}")
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT COUNT(*) FROM rows WHERE as_of = (SELECT MAX(as_of) FROM rows)").fetchone()[0]
    return seconds, usage.ru_maxrss / 1024, int(n)


def main() -> None:
    """Time both imports and write the section."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--county", type=Path, default=Path("/work/bench-data/county-800000-12m-s1"))
    ap.add_argument("--registry", type=Path, default=Path("/work/bench-data/county-800000-12m-s1-all.db"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    months = sorted(p for p in args.county.iterdir() if p.is_dir())
    work = args.registry.parent / "import-growth"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    before = uptime()
    first = timed_import(work / "first.db", months[0], None)
    print(f"  month 1 ({months[0].name}) into an empty registry: {first[0]:.1f} s", flush=True)
    with sqlite3.connect(args.registry) as c:
        kept = c.execute("SELECT COUNT(DISTINCT as_of) FROM snapshots").fetchone()[0]
        last = c.execute("SELECT MAX(as_of) FROM snapshots").fetchone()[0]
    shutil.copyfile(args.registry, work / "year.db")
    y, m = int(last[:4]), int(last[5:7])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    next_end = f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    again = timed_import(work / "year.db", months[-1], next_end)
    print(
        f"  month {kept + 1} ({months[-1].name} dated {next_end}) into {kept} months: {again[0]:.1f} s",
        flush=True,
    )
    after = uptime()
    shutil.rmtree(work, ignore_errors=True)
    lines = [
        "## A month's import with a year kept (SQLite)",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} by `python bench/import_growth.py` on {platform.machine()} "
        f"(load average {before} before, {after} after), CPython {platform.python_version()}. Each a fresh "
        "`laborcli import` process of one month's folder.",
        "",
        "| import | months kept before | rows written | seconds | peak MB |",
        "|---|---:|---:|---:|---:|",
        f"| month 1 ({months[0].name}) | 0 | {first[2]:,} | {first[0]:.1f} | {first[1]:.0f} |",
        f"| month {kept + 1} ({months[-1].name}'s sheets dated {next_end}) | {kept} | {again[2]:,} "
        f"| {again[0]:.1f} | {again[1]:.0f} |",
        "",
        f"Month {kept + 1} ÷ month 1: ×{again[0] / first[0]:.2f}.",
    ]
    write_section(Path(args.out), "\n".join(lines), BEGIN, END)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
