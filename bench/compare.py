"""Two checkouts' benchmarks, run in turn: did a change make any step slower?

Run from the project root, with another checkout (say, main before a change) that has its
own virtual environment with laborcli installed::

    python bench/compare.py --before /tmp/before --rounds 3 --sizes 100000

Each round runs ``bench/run.py`` of the other checkout, then of this one (each with its
own interpreter and its own ``laborcli``), so both see the machine in the same state; the
table gives each step's median over the rounds and the ratio after/before.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ROW = re.compile(r"^\| ([\d,]+) \| ([^|]+?) \| [^|]* \| ([\d.]+) \|")


def python_of(checkout: Path) -> str:
    """The checkout's own interpreter (``.venv``), else this one."""
    venv = checkout / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def one_run(checkout: Path, sizes: str, out: Path) -> dict[tuple[int, str], float]:
    """Seconds per (size, step) of one ``bench/run.py`` of a checkout."""
    argv = [python_of(checkout), str(checkout / "bench" / "run.py"), "--sizes", sizes]
    argv += ["--dedup-rows", "0", "--quality-persons", "0", "--out", str(out)]
    subprocess.run(argv, cwd=checkout, check=True, stdout=subprocess.DEVNULL)
    found = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            found[(int(m.group(1).replace(",", "")), m.group(2).strip())] = float(m.group(3))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, type=Path, help="the other checkout (with .venv)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", default="100000")
    args = ap.parse_args()
    runs: dict[str, list[dict[tuple[int, str], float]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            for which, checkout in (("before", args.before.resolve()), ("after", ROOT)):
                runs[which].append(one_run(checkout, args.sizes, Path(tmp) / f"{which}{i}.md"))
                print(f"round {i + 1}: {which} done", file=sys.stderr, flush=True)
    steps = [k for k in runs["before"][0] if all(k in r for r in runs["before"] + runs["after"])]
    print(
        "| persons | step | before (median s) | after (median s) | after/before | each run, before | each run, after |"
    )
    print("|---:|---|---:|---:|---:|---|---|")
    for k in steps:
        b = [r[k] for r in runs["before"]]
        a = [r[k] for r in runs["after"]]
        mb, ma = statistics.median(b), statistics.median(a)
        each_b = ", ".join(f"{x:.2f}" for x in b)
        each_a = ", ".join(f"{x:.2f}" for x in a)
        print(f"| {k[0]:,} | {k[1]} | {mb:.2f} | {ma:.2f} | {ma / mb:.2f} | {each_b} | {each_a} |")


if __name__ == "__main__":
    main()
