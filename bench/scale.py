"""PostgreSQL beside SQLite at county scale, and a year of history (issue 23).

Run from the project root::

    python bench/scale.py                              # 800,000 persons, 12 months, both back ends
    python bench/scale.py --persons 100000 --months 4 --early 2

The county (``laborcli sample --persons N --months 12``, kept under ``--data`` and reused)
is imported month after month into a new SQLite registry and a new PostgreSQL schema, the
two back ends taking turns month by month so that both see the same machine. Each month's
import is a fresh ``laborcli import`` process, timed. After the ``--early``-th month and
after the last, the figures (rates, households, rank, dedup, export report) are timed on
both. The section between this script's markers in docs/benchmarks.md is replaced.

The registries are left for bench/history.py, under the names it looks for, so that it
measures income and retention on registries that ``import`` wrote itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import (  # bench/ is not a package: found through sys.path
    DEFAULT_PG,
    LAST,
    generate,
    laborcli,
    month_end,
    months_of,
    timed,
    uptime,
    week_after,
    write_section,
)

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- bench/scale.py: begin -->"
END = "<!-- bench/scale.py: end -->"


@dataclass
class Backend:
    """One registry being filled."""

    name: str
    db: str

    def argv(self, *args: str) -> list[str]:
        return [laborcli(), "-q", "--db", self.db, *args]


def pg_url(base: str, schema: str) -> str:
    """``base`` with every connection's search path set to ``schema``."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def fresh_pg(base: str, schema: str) -> str:
    """An empty schema made by ``laborcli db upgrade``; its URL."""
    import sqlalchemy as sa

    eng = sa.create_engine(base)
    with eng.begin() as c:
        c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    eng.dispose()
    url = pg_url(base, schema)
    timed([laborcli(), "-q", "--db", url, "db", "upgrade"], ROOT)
    return url


def figures(be: Backend, county: Path, month: str) -> list[tuple[str, float, float]]:
    """The figures at ``month``'s end: (step, seconds, peak MB)."""
    d = month_end(month)
    out = []
    report = county.parent / f"report-{be.name}.xlsx"
    for name, args in (
        ("rates --by village", ["rates", "--by", "village", "--as-of", d, "--format", "json"]),
        (
            "households --zero-employment",
            ["households", "--zero-employment", "--as-of", d, "--format", "json"],
        ),
        ("rank --week", ["rank", "--week", week_after(month), "--format", "json"]),
        ("dedup", ["dedup", "--as-of", d, "--format", "json"]),
        ("export report", ["export", "report", "--as-of", d, "-o", str(report)]),
    ):
        secs, peak, _ = timed(be.argv(*args), county)
        out.append((name, secs, peak))
        print(f"  {be.name:<10} {name:<30} {secs:7.2f} s {peak:6.0f} MB", flush=True)
    report.unlink(missing_ok=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--persons", type=int, default=800_000)
    ap.add_argument("--months", type=int, default=12, help="months generated, ending with 2026-11")
    ap.add_argument("--early", type=int, default=3, help="month after which the figures are timed first")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", default="/work/bench-data", help="where the county and registries are kept")
    ap.add_argument("--pg", default=os.environ.get("LABORCLI_TEST_PG", DEFAULT_PG))
    ap.add_argument("--pg-schema", default="bench_history")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    months = months_of(LAST, args.months)
    county = generate(data, args.persons, args.months, args.seed)
    short = data / f"{county.name}-first{args.early}.db"
    full = data / f"{county.name}-all.db"
    for p in (short, full, data / (short.name + ".done"), data / (full.name + ".done")):
        p.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(full) + suffix).unlink(missing_ok=True)
    (data / f"{full.stem}-pg-{args.pg_schema}.done").unlink(missing_ok=True)
    backends = [Backend("SQLite", str(full)), Backend("PostgreSQL", fresh_pg(args.pg, args.pg_schema))]
    imports: dict[str, list[tuple[float, float]]] = {b.name: [] for b in backends}
    figs: dict[tuple[str, int], list[tuple[str, float, float]]] = {}
    load_before = uptime()
    targets = sorted(county.glob("*任务*.xlsx")) + sorted(county.glob("targets*.xlsx"))
    for i, m in enumerate(months, 1):
        for be in backends:
            secs, peak, _ = timed(be.argv("import", str(county / m)), county)
            imports[be.name].append((secs, peak))
            print(f"  {be.name:<10} import {m} (month {i}) {secs:7.2f} s {peak:6.0f} MB", flush=True)
            if i == 1 and targets:
                timed(be.argv("targets", "import", str(targets[0]), "--year", LAST[:4]), county)
        if i in (args.early, len(months)):
            for be in backends:
                figs[(be.name, i)] = figures(be, county, m)
            if i == args.early:
                shutil.copyfile(full, short)
                (data / (short.name + ".done")).write_text("ok")
    (data / (full.name + ".done")).write_text("ok")
    (data / f"{full.stem}-pg-{args.pg_schema}.done").write_text("ok")
    load_after = uptime()
    write_section(
        Path(args.out),
        render(args, months, imports, figs, load_before, load_after),
        begin=BEGIN,
        end=END,
    )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else ""


def render(
    args: argparse.Namespace,
    months: list[str],
    imports: dict[str, list[tuple[float, float]]],
    figs: dict[tuple[str, int], list[tuple[str, float, float]]],
    load_before: str,
    load_after: str,
) -> str:
    n, e = len(months), args.early
    sq, pg = imports["SQLite"], imports["PostgreSQL"]
    lines = [
        f"## PostgreSQL beside SQLite, and {n} months of history: {args.persons:,} persons",
        "",
        f"Measured on {dt.date.today().isoformat()} by `python bench/scale.py` on {os.cpu_count()} cores "
        f"(load average {load_before} before, {load_after} after), {platform.python_implementation()} "
        f"{platform.python_version()}, PostgreSQL on this machine. The county is `laborcli sample --persons "
        f"{args.persons} --months {n} --last {LAST} --seed {args.seed}`; each month's sheets are imported "
        "by a fresh `laborcli import` into a new SQLite registry and a new PostgreSQL schema, the back "
        "ends taking turns month by month. Figures are timed after month "
        f"{e} and after month {n}, at that month's end (rank for the week after it). Peak memory is the "
        "client's.",
        "",
        f"### Months 1 to {e}, and the figures with {e} months kept",
        "",
        "| step | SQLite s | PostgreSQL s | ratio | SQLite MB | PostgreSQL MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for i in range(e):
        lines.append(
            f"| import, month {i + 1} ({months[i]}) | {sq[i][0]:.1f} | {pg[i][0]:.1f} | "
            f"{ratio(pg[i][0], sq[i][0])} | {sq[i][1]:.0f} | {pg[i][1]:.0f} |"
        )
    for (name, s_secs, s_peak), (_, p_secs, p_peak) in zip(
        figs[("SQLite", e)], figs[("PostgreSQL", e)], strict=True
    ):
        lines.append(
            f"| {name} | {s_secs:.1f} | {p_secs:.1f} | {ratio(p_secs, s_secs)} | {s_peak:.0f} | {p_peak:.0f} |"
        )
    lines += [
        "",
        f"### Growth with the months kept (month 1 → month {n}; figures with {e} → {n} months)",
        "",
        f"| step | SQLite, first | SQLite, {n} months | × | PostgreSQL, first | PostgreSQL, {n} months | × |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| import (month 1 → month {n}) | {sq[0][0]:.1f} | {sq[-1][0]:.1f} | {ratio(sq[-1][0], sq[0][0])} | "
        f"{pg[0][0]:.1f} | {pg[-1][0]:.1f} | {ratio(pg[-1][0], pg[0][0])} |",
    ]
    for a, b, c, d in zip(
        figs[("SQLite", e)],
        figs[("SQLite", n)],
        figs[("PostgreSQL", e)],
        figs[("PostgreSQL", n)],
        strict=True,
    ):
        lines.append(
            f"| {a[0]} ({e} → {n} months) | {a[1]:.1f} | {b[1]:.1f} | {ratio(b[1], a[1])} | {c[1]:.1f} | "
            f"{d[1]:.1f} | {ratio(d[1], c[1])} |"
        )
    lines += ["", "Every month's import:", ""]
    lines.append("| month | " + " | ".join(months) + " |")
    lines.append("|---|" + "---:|" * n)
    for name, xs in (("SQLite s", sq), ("PostgreSQL s", pg)):
        lines.append(f"| {name} | " + " | ".join(f"{s:.1f}" for s, _ in xs) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
