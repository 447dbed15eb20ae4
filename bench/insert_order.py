"""Why a SQLite import grows with the months kept (issue 23), and what would stop it: the
insertion of one month's rows into the registry, in the order an import writes them (file
by file, as the sheets list them) and sorted by person key, on a registry of the first
months and on one of a whole year.

Run from the project root, after bench/history.py has built its registries::

    python bench/insert_order.py
    python bench/insert_order.py --registry /work/bench-data/county-800000-12m-s1-first3.db

For each registry the rows of its latest month are copied, with a new date, into a
temporary table (the staging, timed apart), then inserted into ``rows`` from it, once in
the import's order and once in person order, each inside a transaction that is rolled
back: the registry is left as it was. The page cache is the one an import has
(laborcli.registry.engine). Only the insertion with its index upkeep is timed, not the
commit. The section between the markers of docs/benchmarks.md is replaced.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import ROOT, uptime, write_section  # bench/ is not a package: found through sys.path

from laborcli.registry.engine import _import_cache_kib

BEGIN = "<!-- bench/insert_order.py: begin -->"
END = "<!-- bench/insert_order.py: end -->"
DATA = Path("/work/bench-data")
DEFAULT = [DATA / "county-800000-12m-s1-first3.db", DATA / "county-800000-12m-s1-all.db"]


def measure(db: Path, cache_kib: int) -> dict[str, object]:
    """Months kept, rows of the latest month, index size, and the seconds of each order."""
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as c:
        c.execute(f"PRAGMA cache_size = -{cache_kib}")
        c.execute("PRAGMA temp_store = MEMORY")
        months = c.execute("SELECT COUNT(DISTINCT as_of) FROM snapshots").fetchone()[0]
        latest = c.execute("SELECT MAX(as_of) FROM snapshots").fetchone()[0]
        try:  # dbstat is an optional part of SQLite
            index_mb = c.execute(
                "SELECT SUM(pgsize) / 1e6 FROM dbstat WHERE name = 'ix_rows_person'"
            ).fetchone()[0]
        except sqlite3.OperationalError:
            index_mb = None
        cols = [r[1] for r in c.execute("PRAGMA table_info(rows)") if r[1] != "id"]
        names = ", ".join(cols)
        select = ", ".join("'2099-12-31' AS as_of" if x == "as_of" else x for x in cols)
        out: dict[str, object] = {"db": db.name, "months": months, "index_mb": index_mb}
        for label, order in (("file order", "id"), ("person order", "person_key")):
            t = time.perf_counter()
            c.execute(
                f"CREATE TEMP TABLE stage AS SELECT {select} FROM rows WHERE as_of = ? ORDER BY {order}",
                (latest,),
            )
            out[f"stage {label}"] = time.perf_counter() - t
            out["rows"] = c.execute("SELECT COUNT(*) FROM stage").fetchone()[0]
            c.execute("BEGIN IMMEDIATE")
            t = time.perf_counter()
            c.execute(f"INSERT INTO rows ({names}) SELECT {names} FROM stage ORDER BY rowid")
            out[label] = time.perf_counter() - t
            c.execute("ROLLBACK")
            c.execute("DROP TABLE stage")
            print(f"  {db.name}: {label} {out[label]:.1f} s", flush=True)
    return out


def main() -> None:
    """Measure each registry and write the section."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--registry", action="append", type=Path, help="a SQLite registry (repeatable)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    dbs = args.registry or DEFAULT
    cache = _import_cache_kib()
    before = uptime()
    results = [measure(db, cache) for db in dbs]
    after = uptime()
    lines = [
        "## One month's rows into the registry: the import's order and person order (SQLite)",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} by `python bench/insert_order.py` on {platform.machine()} "
        f"(load average {before} before, {after} after), SQLite {sqlite3.sqlite_version}, a page cache of "
        f"{cache / 1000:.0f} MB (an import's). The latest month's rows of each registry, inserted again "
        "with a new date inside a transaction that is rolled back; the commit is not timed.",
        "",
        "| registry | months kept | rows | person index MB | file order s | person order s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        size = "" if r["index_mb"] is None else f"{r['index_mb']:.0f}"
        lines.append(
            f"| {r['db']} | {r['months']} | {r['rows']:,} | {size} | {r['file order']:.1f} | {r['person order']:.1f} |"
        )
    write_section(Path(args.out), "\n".join(lines), BEGIN, END)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
