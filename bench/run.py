"""The benchmark suite: a generated county, every command timed, one table.

Run from the project root::

    python bench/run.py                      # 100,000 and 800,000 persons
    python bench/run.py --sizes 100000       # a quicker run

Each step runs the installed ``laborcli`` in a fresh process (as an officer or cron
would), so times include start-up; peak memory is the child's maximum resident set.
Beside each figure stands its floor: python-calamine's raw read of the same files for
imports, one ``COUNT(*) ... GROUP BY village`` in the registry for the figures. The
table goes to ``docs/benchmarks.md`` with the date and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "results"
MONTHS = ("2026-10", "2026-11")


@dataclass
class Step:
    """One measured command."""

    size: int
    name: str
    seconds: float
    peak_mb: float
    rows: int | None = None
    floor: float | None = None
    floor_name: str = ""
    target: str = ""


def laborcli() -> str:
    """The installed console script next to this interpreter."""
    exe = Path(sys.executable).parent / "laborcli"
    return str(exe) if exe.exists() else shutil.which("laborcli") or "laborcli"


def timed(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return secs, usage.ru_maxrss / 1024, proc.returncode


def raw_read(folder: Path) -> tuple[float, int]:
    """python-calamine alone reading every sheet of every file, in one process."""
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    n = 0
    for f in sorted(folder.glob("*.xlsx")):
        wb = CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            n += len(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return time.perf_counter() - t, n


def count_floor(db: Path) -> float:
    """The cheapest query a figure could be: one grouped count over every row."""
    t = time.perf_counter()
    with sqlite3.connect(db) as c:
        c.execute("SELECT township, village, COUNT(*) FROM rows GROUP BY township, village").fetchall()
    return time.perf_counter() - t


def rows_in(db: Path) -> int:
    """Rows stored in the registry."""
    with sqlite3.connect(db) as c:
        return int(c.execute("SELECT COUNT(*) FROM rows").fetchone()[0])


def generate(size: int, seed: int, months: tuple[str, ...] = MONTHS, villages: int | None = None) -> Path:
    """The county of ``size`` persons, generated once and kept under bench/results/."""
    name = f"county-{size}-s{seed}" + ("" if months == MONTHS else f"-{len(months)}m")
    out = WORK / (name + (f"-{villages}v" if villages else ""))
    if (out / ".done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    argv = [laborcli(), "sample", "--persons", str(size), "--months", ",".join(months)]
    argv += ["--seed", str(seed), "--targets", "-o", str(out)]
    if villages:
        argv += ["--villages", str(villages)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    (out / ".done").write_text("ok")
    return out


def run_size(size: int, seed: int) -> list[Step]:
    """Every step of the suite on one county."""
    county = generate(size, seed)
    db = county / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    lc = [laborcli(), "-q", "--db", str(db)]
    steps: list[Step] = []
    m1, m2 = (county / m for m in MONTHS)

    def step(name: str, argv: list[str], target: str = "", **kw: object) -> Step:
        secs, peak, code = timed(lc + argv, county)
        if code not in (0, 1):
            raise SystemExit(f"{name} failed with exit code {code}")
        s = Step(size, name, secs, peak, target=target, **kw)  # type: ignore[arg-type]
        steps.append(s)
        print(f"  {name:<28} {secs:7.2f} s  {peak:7.0f} MB", flush=True)
        return s

    floor1, n1 = raw_read(m1)
    step(
        f"import {MONTHS[0]}",
        ["import", str(m1)],
        "≤ 2 × raw read, < 60 s",
        rows=n1,
        floor=floor1,
        floor_name="calamine raw read",
    )
    step(f"re-import {MONTHS[0]} (unchanged)", ["import", str(m1)], "near-instant", rows=n1)
    floor2, n2 = raw_read(m2)
    step(
        f"import {MONTHS[1]}",
        ["import", str(m2)],
        "≤ 2 × raw read, < 60 s",
        rows=n2,
        floor=floor2,
        floor_name="calamine raw read",
    )
    targets = sorted(county.glob("targets*.xlsx")) + sorted(county.glob("*任务*.xlsx"))
    if targets:
        step("targets import", ["targets", "import", str(targets[0]), "--year", "2026"])
    floor = count_floor(db)
    as_of = ["--as-of", "2026-11-30"]
    step(
        "rates --by village",
        ["rates", *as_of, "--by", "village", "--format", "json"],
        "< 3 s",
        floor=floor,
        floor_name="COUNT(*) GROUP BY village",
    )
    step(
        "households --zero-employment",
        ["households", *as_of, "--zero-employment", "--format", "json"],
        "< 3 s",
        floor=floor,
        floor_name="COUNT(*) GROUP BY village",
    )
    step(
        "rank --week 2026-W48",
        ["rank", "--week", "2026-W48", "--format", "json"],
        "< 3 s",
        floor=floor,
        floor_name="COUNT(*) GROUP BY village",
    )
    step("dedup", ["dedup", *as_of, "--format", "json"], "< 60 s")
    step("export report", ["export", "report", *as_of, "-o", str(county / "report.xlsx")], "< 30 s")
    print(f"  registry: {rows_in(db):,} rows, {db.stat().st_size / 2**20:.0f} MB")
    return steps


def run_dedup_scale(size: int, seed: int) -> list[Step]:
    """``dedup`` over a registry of about ``size`` current rows (one month imported)."""
    county = generate(size, seed, MONTHS[-1:])
    db = county / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    lc = [laborcli(), "-q", "--db", str(db)]
    steps = []
    for name, argv, target in (
        (f"import {MONTHS[-1]}", ["import", str(county / MONTHS[-1])], "< 60 s"),
        ("dedup", ["dedup", "--as-of", "2026-11-30", "--format", "json"], "< 60 s"),
    ):
        secs, peak, code = timed(lc + argv, county)
        if code not in (0, 1):
            raise SystemExit(f"{name} failed with exit code {code}")
        steps.append(
            Step(size, name, secs, peak, rows=rows_in(db) if name == "dedup" else None, target=target)
        )
        print(f"  {name:<28} {secs:7.2f} s  {peak:7.0f} MB", flush=True)
    return steps


def dedup_quality(persons: int, seed: int) -> list[str]:
    """bench/dedup_quality.py's lines: laborcli's matcher beside splink on known duplicates."""
    argv = [sys.executable, str(ROOT / "bench" / "dedup_quality.py"), "--persons", str(persons)]
    argv += ["--seed", str(seed)]
    r = subprocess.run(argv, capture_output=True, text=True, check=True)
    keep = ("true duplicate pairs", "laborcli:", "splink")
    return [line for line in r.stdout.splitlines() if line.startswith(keep) or "true duplicate pairs" in line]


def table(steps: list[Step]) -> str:
    """The markdown table of docs/benchmarks.md."""
    lines = [
        "| persons | step | rows | seconds | rows/s | peak MB | floor | floor s | × floor | target |",
        "|---:|---|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for s in steps:
        rate = f"{s.rows / s.seconds:,.0f}" if s.rows else ""
        ratio = f"{s.seconds / s.floor:.1f}" if s.floor else ""
        floor = f"{s.floor:.2f}" if s.floor is not None else ""
        rows = f"{s.rows:,}" if s.rows else ""
        lines.append(
            f"| {s.size:,} | {s.name} | {rows} | {s.seconds:.2f} | {rate} | {s.peak_mb:.0f} "
            f"| {s.floor_name} | {floor} | {ratio} | {s.target} |"
        )
    return "\n".join(lines)


def growth(steps: list[Step]) -> list[str]:
    """How each step's time grows from the smallest to the largest county."""
    sizes = sorted({s.size for s in steps})
    if len(sizes) < 2:
        return []
    lo, hi = sizes[0], sizes[-1]
    by = {(s.size, s.name): s.seconds for s in steps}
    out = [f"Growth from {lo:,} to {hi:,} persons (×{hi / lo:.0f} data):", ""]
    for s in steps:
        if s.size == lo and (hi, s.name) in by:
            out.append(f"- {s.name}: ×{by[(hi, s.name)] / s.seconds:.1f}")
    return out


def kept_sections(out: Path) -> str:
    """The sections other bench scripts wrote between their markers (``<!-- bench/X.py:
    begin -->`` … ``end -->``): this script writes the rest of the file, not theirs."""
    import re

    old = out.read_text(encoding="utf-8") if out.exists() else ""
    found = re.finditer(r"(<!-- (bench/[\w.]+): begin -->.*?<!-- \2: end -->\n)", old, flags=re.S)
    return "".join("\n" + m.group(1) for m in found)


def main() -> None:
    """Run the suite and write docs/benchmarks.md."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default="100000,800000", help="comma-separated county sizes (persons)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dedup-rows", type=int, default=1_000_000, help="dedup scale run (0: skip)")
    ap.add_argument("--quality-persons", type=int, default=200_000, help="dedup quality run (0: skip)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []
    for size in [int(x) for x in args.sizes.split(",") if x]:
        print(f"county of {size:,} persons", flush=True)
        steps += run_size(size, args.seed)
    scale: list[Step] = []
    if args.dedup_rows:
        print(f"dedup over a county of {args.dedup_rows:,} persons, one month", flush=True)
        scale = run_dedup_scale(args.dedup_rows, args.seed)
    quality: list[str] = []
    if args.quality_persons:
        print(f"dedup quality on {args.quality_persons:,} generated persons", flush=True)
        quality = dedup_quality(args.quality_persons, args.seed)
        print("\n".join(quality), flush=True)
    head = [
        "# Benchmarks",
        "",
        f"Measured on {dt.date.today().isoformat()} by `python bench/run.py --sizes {args.sizes}` on "
        f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"SQLite registry; each step is a fresh `laborcli` process (start-up included).",
        "",
        "Imports are timed once here; [import-speed.md](import-speed.md) "
        "(`python bench/import_ratio.py`) sets them beside the raw read over several rounds.",
        "",
    ]
    parts = [*head, table(steps), "", *growth(steps), ""]
    if scale:
        parts += [
            f"## dedup at {args.dedup_rows:,} persons",
            "",
            f"One month of a generated county of {args.dedup_rows:,} persons imported, then `dedup` over "
            "every current row (`python bench/run.py --dedup-rows N`).",
            "",
            table(scale),
            "",
        ]
    if quality:
        parts += [
            "## dedup quality beside splink",
            "",
            f"`python bench/dedup_quality.py --persons {args.quality_persons}`: generated person rows with "
            "known duplicates (ID left out, homophone name, one ID digit mistyped, adjacent digits swapped, "
            "an ID Excel turned into a number) and namesakes that must not match; laborcli's blocking and "
            "scoring beside splink 5 (Fellegi-Sunter on DuckDB, EM-trained, the same blocking keys, "
            "match probability ≥ 0.9). A pair found is one listed for review.",
            "",
            *[f"    {line}" for line in quality],
            "",
        ]
    text = "\n".join(parts)
    Path(args.out).write_text(text + kept_sections(Path(args.out)), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
