"""Months of history at scale (issue 19): income, retention and person on a year of sheets,
and whether the existing figures slow down with the months kept.

Run from the project root::

    python bench/history.py                          # 800,000 persons, 12 months, 3 rounds
    python bench/history.py --persons 100000 --rounds 1 --no-pg

The county (``laborcli sample --persons N --months 12``) and the registries are kept
under ``--data`` (outside the repository) and reused by later runs: a SQLite registry of
the first 3 months, one of all 12 (the first copied, the other 9 months imported on
top), and, unless ``--no-pg``, a PostgreSQL schema holding the 12 months. Each step is
the installed ``laborcli`` in a fresh process; the steps compared run interleaved, round
after round, and the table shows each step's median and its largest peak memory. The
section between the markers of docs/benchmarks.md is replaced; the rest is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- bench/history.py: begin -->"
END = "<!-- bench/history.py: end -->"
LAST = "2026-11"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class Step:
    """One measured command, over the rounds."""

    name: str
    backend: str
    months: int
    argv: list[str]
    target: str = ""
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def laborcli() -> str:
    """The installed console script next to this interpreter."""
    exe = Path(sys.executable).parent / "laborcli"
    return str(exe) if exe.exists() else shutil.which("laborcli") or "laborcli"


def timed(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with exit code {code}: {err.decode()[-2000:]}")
    return secs, usage.ru_maxrss / 1024, code


def months_of(last: str, n: int) -> list[str]:
    """The ``n`` months ending with ``last`` (YYYY-MM), oldest first."""
    y, m = (int(x) for x in last.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def month_end(month: str) -> str:
    """2026-02 -> 2026-02-28."""
    y, m = (int(x) for x in month.split("-"))
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).isoformat()


def week_after(month: str) -> str:
    """The ISO week whose Friday (rank's reference date) is the first after the month's
    end, so that rank reads that month's sheets."""
    d = dt.date.fromisoformat(month_end(month))
    friday = d + dt.timedelta(days=(4 - d.weekday()) % 7 or 7)
    y, w, _ = friday.isocalendar()
    return f"{y}-W{w:02d}"


def generate(data: Path, persons: int, months: int, seed: int) -> Path:
    """The county, generated once and kept."""
    out = data / f"county-{persons}-{months}m-s{seed}"
    if (out / ".done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    argv = [laborcli(), "sample", "--persons", str(persons), "--months", str(months), "--last", LAST]
    argv += ["--seed", str(seed), "--targets", "-o", str(out)]
    print(f"generating {out}", flush=True)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    (out / ".done").write_text("ok")
    return out


def import_months(db: str, county: Path, months: list[str], log: list[str]) -> None:
    """Import ``months`` (and the targets) into the registry ``db``, each timed once."""
    lc = [laborcli(), "-q", "--db", db]
    for m in months:
        secs, peak, _ = timed([*lc, "import", str(county / m)], county)
        log.append(f"import {m}: {secs:.1f} s, {peak:.0f} MB")
        print(f"  {log[-1]}", flush=True)
    targets = sorted(county.glob("targets*.xlsx")) + sorted(county.glob("*任务*.xlsx"))
    if targets:
        timed([*lc, "targets", "import", str(targets[0]), "--year", LAST[:4]], county)


def upgrade(db: str) -> None:
    """Bring a kept registry to this version's schema (nothing to do when it is there)."""
    subprocess.run([laborcli(), "-q", "--db", db, "db", "upgrade"], check=True, stdout=subprocess.DEVNULL)


def sqlite_registries(
    data: Path, county: Path, all_months: list[str], early: int
) -> tuple[Path, Path, list[str]]:
    """The registry of the first ``early`` months and the one of all months.

    A registry left half-built by an interrupted run is carried on: a file imported
    already is recognised and skipped.
    """
    log: list[str] = []
    short = data / f"{county.name}-first{early}.db"
    full = data / f"{county.name}-all.db"
    if not (data / (short.name + ".done")).exists():
        print(f"SQLite: {short.name}", flush=True)
        if short.exists():
            upgrade(str(short))
        import_months(str(short), county, all_months[:early], log)
        (data / (short.name + ".done")).write_text("ok")
    if not (data / (full.name + ".done")).exists():
        if not full.exists():
            upgrade(str(short))
            shutil.copyfile(short, full)
        print(f"SQLite: {full.name}", flush=True)
        upgrade(str(full))
        import_months(str(full), county, all_months, log)
        (data / (full.name + ".done")).write_text("ok")
    for db in (short, full):
        upgrade(str(db))
    return short, full, log


def copy_table(sqlite_db: Path, pg: Any, schema: str, table: str, names: str) -> int:
    """Stream one table from SQLite into PostgreSQL through the two shells; rows copied."""
    env = {**os.environ, "PGOPTIONS": f"-csearch_path={schema}"}
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.host or "127.0.0.1", "-p", str(pg.port or 5432)]
    psql += ["-U", pg.username or "postgres", "-d", pg.database or "postgres"]
    out = subprocess.Popen(
        ["sqlite3", "-csv", str(sqlite_db), f"SELECT {names} FROM {table}"], stdout=subprocess.PIPE
    )
    r = subprocess.run(
        [*psql, "-c", f"\\copy {table} ({names}) FROM STDIN WITH (FORMAT csv)"],
        stdin=out.stdout,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.wait() != 0 or r.returncode != 0:
        raise SystemExit(f"copying {table} failed: {r.stderr[-2000:]}")
    with sqlite3.connect(sqlite_db) as src:
        return int(src.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def pg_registry(sqlite_db: Path, data: Path, base: str, schema: str) -> tuple[str, list[str]]:
    """A PostgreSQL schema holding what the SQLite registry of every month holds.

    The schema is made by ``laborcli db upgrade`` and the tables are copied row for row
    from the SQLite registry (COPY, the rows' indexes built afterwards, then VACUUM
    ANALYZE, as autovacuum leaves a registry between imports): the same registry
    ``import`` would write, without parsing the workbooks a second time.
    """
    import sqlalchemy as sa

    from laborcli.registry.tables import metadata

    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    log: list[str] = []
    marker = data / f"{sqlite_db.stem}-pg-{schema}.done"
    if marker.exists():
        return url, log
    t0 = time.perf_counter()
    eng = sa.create_engine(base)
    with eng.begin() as c:
        c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    eng.dispose()
    print(f"PostgreSQL: schema {schema} from {sqlite_db.name}", flush=True)
    subprocess.run([laborcli(), "-q", "--db", url, "db", "upgrade"], check=True, stdout=subprocess.DEVNULL)
    eng = sa.create_engine(url)
    pg = sa.make_url(base)
    with eng.connect() as c:
        for table in metadata.sorted_tables:
            if table.name == "meta":  # the schema's own keys, written by the upgrade
                continue
            extra = [
                r[0]
                for r in c.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = %(s)s AND tablename = %(t)s "
                    "AND indexname LIKE 'ix_%%'",
                    {"s": schema, "t": table.name},
                )
            ]
            defs = {
                r[0]: r[1]
                for r in c.exec_driver_sql(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s AND tablename = %(t)s",
                    {"s": schema, "t": table.name},
                )
            }
            for name in extra:
                c.exec_driver_sql(f'DROP INDEX "{name}"')
            cols = [col.name for col in table.columns]
            names = ", ".join(f'"{n}"' for n in cols)
            # The sqlite3 and psql shells stream CSV from one to the other (booleans as 0/1,
            # dates as ISO text, NULL as an empty field, all of which PostgreSQL reads).
            c.commit()
            n = copy_table(sqlite_db, pg, schema, table.name, names)
            for name in extra:
                c.exec_driver_sql(defs[name])
            if "id" in cols and n:
                c.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT MAX(id) FROM {table.name}))"
                )
            c.commit()
            log.append(f"copied {table.name}: {n:,} rows")
            print(f"  {log[-1]}", flush=True)
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        for table in metadata.sorted_tables:  # this schema's tables only, not the database's
            c.exec_driver_sql(f"VACUUM ANALYZE {table.name}")
    eng.dispose()
    log.append(f"copied in {time.perf_counter() - t0:.0f} s")
    marker.write_text("ok")
    return url, log


def a_person(db: Path, as_of: str) -> str:
    """A person with a valid ID listed at the last month and transferred then: the
    deterministic one ``person`` is timed on."""
    with sqlite3.connect(db) as c:
        r = c.execute(
            "SELECT id_number FROM rows WHERE id_valid = 1 AND transferred = 1 AND as_of = ? "
            "ORDER BY person_key LIMIT 1",
            (as_of,),
        ).fetchone()
    if r is None:
        raise SystemExit("no transferred person with a valid ID at the last month")
    return str(r[0])


def uptime() -> str:
    """The load averages, for the table's heading."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def table(steps: list[Step], rounds: int) -> str:
    """The markdown table."""
    lines = [
        "| step | registry | months kept | median s | min s | max s | peak MB | target |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in steps:
        lines.append(
            f"| {s.name} | {s.backend} | {s.months if s.backend else ''} | {s.median:.2f} | {min(s.seconds):.2f} "
            f"| {max(s.seconds):.2f} | {max(s.peaks):.0f} | {s.target} |"
        )
    return "\n".join(lines)


def write_section(out: Path, text: str, begin: str = BEGIN, end: str = END) -> None:
    """Replace the section of ``out`` between ``begin`` and ``end`` (appended when absent)."""
    old = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    block = f"{begin}\n{text.rstrip()}\n{end}\n"
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        new = head + block + ("\n" + tail if tail else "")
    else:
        new = old.rstrip() + "\n\n" + block
    out.write_text(new, encoding="utf-8")


def main() -> None:
    """Build (or reuse) the registries, time the steps over the rounds, write the section."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--persons", type=int, default=800_000)
    ap.add_argument("--months", type=int, default=12, help="months generated, ending with 2026-11")
    ap.add_argument("--early", type=int, default=3, help="months kept by the smaller registry")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--data", default="/work/bench-data", help="where the county and registries are kept")
    ap.add_argument("--pg", default=os.environ.get("LABORCLI_TEST_PG", DEFAULT_PG))
    ap.add_argument("--pg-schema", default="bench_history")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    all_months = months_of(LAST, args.months)
    early_month, last_month = all_months[args.early - 1], all_months[-1]
    county = generate(data, args.persons, args.months, args.seed)
    short, full, log = sqlite_registries(data, county, all_months, args.early)
    pg_url = None
    if not args.no_pg:
        pg_url, pg_log = pg_registry(full, data, args.pg, args.pg_schema)
        log += [f"PostgreSQL {line}" for line in pg_log]
    d_early, d_last = month_end(early_month), month_end(last_month)
    ident = a_person(full, d_last)
    n = args.months

    def lc(db: str) -> list[str]:
        return [laborcli(), "-q", "--db", db]

    steps: list[Step] = []
    for name, argv, target in (
        ("rates --by village", ["rates", "--by", "village", "--format", "json"], "month 12 ≤ 1.2 × month 3"),
        (
            "households --zero-employment",
            ["households", "--zero-employment", "--format", "json"],
            "month 12 ≤ 1.2 × month 3",
        ),
    ):
        steps.append(Step(name, "SQLite", args.early, [*lc(str(short)), *argv, "--as-of", d_early], target))
        steps.append(Step(name, "SQLite", n, [*lc(str(full)), *argv, "--as-of", d_last], target))
    target = "month 12 ≤ 1.2 × month 3"
    steps.append(
        Step(
            "rank --week (after the last month)",
            "SQLite",
            args.early,
            [*lc(str(short)), "rank", "--week", week_after(early_month), "--format", "json"],
            target,
        )
    )
    steps.append(
        Step(
            "rank --week (after the last month)",
            "SQLite",
            n,
            [*lc(str(full)), "rank", "--week", week_after(last_month), "--format", "json"],
            target,
        )
    )
    backends = [("SQLite", str(full))] + ([("PostgreSQL", pg_url)] if pg_url else [])
    for name, argv, target in (
        (
            "income --by village",
            ["income", "--by", "village", "--as-of", d_last, "--format", "json"],
            "< 5 s",
        ),
        (
            "retention --by village",
            ["retention", "--by", "village", "--as-of", d_last, "--format", "json"],
            "< 5 s",
        ),
        ("person ID", ["person", ident, "--as-of", d_last, "--format", "json"], "< 0.5 s"),
    ):
        for backend, db in backends:
            steps.append(Step(name, backend, n, [*lc(db), *argv], target if backend == "SQLite" else ""))
    # The floor of every step: a fresh process that only starts.
    steps.append(Step("start-up (laborcli --version)", "", n, [laborcli(), "--version"], ""))
    load_before = uptime()
    for r in range(args.rounds):
        print(f"round {r + 1} of {args.rounds} (load {uptime()})", flush=True)
        for s in steps:
            secs, peak, _ = timed(s.argv, county)
            s.seconds.append(secs)
            s.peaks.append(peak)
            print(
                f"  {s.name:<36} {s.backend:<10} {s.months:>2} months {secs:7.2f} s {peak:6.0f} MB",
                flush=True,
            )
    load_after = uptime()
    by = {(s.name, s.months): s for s in steps if s.backend == "SQLite"}
    growth = [
        f"- {name}: {by[(name, args.early)].median:.2f} s → {by[(name, n)].median:.2f} s, "
        f"×{by[(name, n)].median / by[(name, args.early)].median:.2f}"
        for name in dict.fromkeys(s.name for s in steps)
        if (name, args.early) in by and (name, n) in by
    ]
    with sqlite3.connect(full) as c:
        n_rows = int(c.execute("SELECT COUNT(*) FROM rows").fetchone()[0])
    argv_shown = (
        "python bench/history.py"
        + (f" --persons {args.persons}" if args.persons != 800_000 else "")
        + (f" --rounds {args.rounds}" if args.rounds != 3 else "")
        + (" --no-pg" if args.no_pg else "")
    )
    text = "\n".join(
        [
            f"## Months of history: {args.persons:,} persons, {args.months} monthly sheets",
            "",
            f"Measured on {dt.date.today().isoformat()} by `{argv_shown}` on {os.cpu_count()} cores "
            f"shared with other work (load average {load_before} before the rounds, {load_after} after), "
            f"{platform.python_implementation()} {platform.python_version()}. The county is "
            f"`laborcli sample --persons {args.persons} --months {args.months} --last {LAST} --seed {args.seed}` "
            f"({n_rows:,} rows in the registry of {args.months} months). Each step is a fresh `laborcli` "
            f"process (start-up included), run {args.rounds} times interleaved with the others; the "
            "table gives the median, the fastest and the slowest, and the largest peak resident memory "
            "(for PostgreSQL, the client's only).",
            "",
            f'"Months kept" {args.early} is a registry holding only the first {args.early} months '
            f"({all_months[0]} … {early_month}), asked at its latest month ({d_early}; rank for "
            f"{week_after(early_month)}, whose Friday follows it); {n} is the registry of all {n} months "
            f"({all_months[0]} … {last_month}) at {d_last} (rank for {week_after(last_month)}). "
            f"income, retention and person are asked at {d_last} (income over {LAST[:4]}, retention "
            "over the policy's 3 months) by village; person is one transferred person with a valid "
            "ID, spells and income included. The PostgreSQL registry (15, on this machine) holds the "
            "same rows: its schema made by `laborcli db upgrade`, the tables copied from the SQLite "
            "registry of all months.",
            "",
            table(steps, args.rounds),
            "",
            f"Growth with the months kept, SQLite, median ({args.early} → {n} months):",
            "",
            *growth,
            "",
        ]
    )
    write_section(Path(args.out), text)
    print(text)
    if log:
        print("\n".join(log))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
