"""Import speed against its floor: python-calamine alone reading the same files.

Issue 2 asks that importing a month of 100,000 rows take no more than twice what
python-calamine needs to read the same files in one process. On a shared machine a
single run of each swings by a third, so the two are measured in turn, ``--rounds``
times, each round into a new registry (the first month, then the second on top), and
the ratio is taken of the medians::

    python bench/import_ratio.py                     # 100,000 persons in 40 villages, 5 rounds
    python bench/import_ratio.py --villages 0        # as many villages as bench/run.py's county

The import is the installed ``laborcli`` in a fresh process, as cron runs it (start-up
included); the raw read is ``bench/run.py``'s ``raw_read`` in this process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py: county generation, timing, the raw read


def main() -> None:
    """Measure and print a Markdown table (``--out`` also writes it)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--villages", type=int, default=40, help="village files a month (0: by size)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="also write the table to this Markdown file")
    args = ap.parse_args()
    run.WORK.mkdir(parents=True, exist_ok=True)
    county = run.generate(args.persons, args.seed, villages=args.villages or None)
    raw: dict[str, list[float]] = {m: [] for m in run.MONTHS}
    imp: dict[str, list[float]] = {m: [] for m in run.MONTHS}
    rows: dict[str, int] = {}
    files: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            db = Path(tmp) / f"round{r}.db"
            for m in run.MONTHS:
                secs, rows[m] = run.raw_read(county / m)
                raw[m].append(secs)
                files[m] = len(list((county / m).glob("*.xlsx")))
                took, _, code = run.timed(
                    [run.laborcli(), "-q", "--db", str(db), "import", str(county / m)], county
                )
                if code not in (0, 1):
                    raise SystemExit(f"import {m} failed with exit code {code}")
                imp[m].append(took)
                print(f"round {r + 1}: {m} raw {secs:.2f} s, import {took:.2f} s", flush=True)
    lines = [
        f"Measured on {dt.date.today().isoformat()} by `python bench/import_ratio.py --persons {args.persons} "
        f"--villages {args.villages} --rounds {args.rounds}` on {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite registry. Medians of the rounds; each round reads, then "
        "imports, so both see the machine in the same state.",
        "",
        "| month | files | rows read | calamine raw read (median) | import (median) | ratio | import, each round |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for m in run.MONTHS:
        r_med, i_med = statistics.median(raw[m]), statistics.median(imp[m])
        each = ", ".join(f"{x:.2f}" for x in imp[m])
        lines.append(
            f"| {m} | {files[m]} | {rows[m]:,} | {r_med:.2f} s | {i_med:.2f} s | {i_med / r_med:.2f} | {each} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
