"""The whole county: plan it, write its townships (in parallel when large), sum them up."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.sample.duplicates import DUPLICATES
from laborcli.sample.months import month_end, month_list
from laborcli.sample.places import CountyPlan, plan_county
from laborcli.sample.summary import CountySummary, MonthSummary
from laborcli.sample.targets import write_targets
from laborcli.sample.township import Job, JobResult, run_township
from laborcli.sample.writers import Fmt
from laborcli.sheets.workers import start_context


@dataclass(frozen=True, slots=True)
class CountyRun:
    """A county ready to be written: the plan and options, checked before any file is written."""

    out_dir: Path
    plan: CountyPlan
    months: tuple[str, ...]
    persons: int
    seed: int
    messy: bool
    fmt: Fmt
    targets: bool
    workers: int

    @property
    def file_count(self) -> int:
        """How many files ``write`` writes (for progress bars)."""
        return len(self.plan.villages) * len(self.months) + (1 if self.targets else 0)

    def write(self, on_file: Callable[[int], None] | None = None) -> CountySummary:
        """Write every file; ``on_file(n)`` is called as files are written, with how many were just written."""
        return _write(self, on_file)


def prepare_county(
    out_dir: Path,
    persons: int,
    months: Sequence[str] | int | str,
    seed: int = 0,
    messy: bool = True,
    fmt: str = "xlsx",
    *,
    last: str | None = None,
    targets: bool = False,
    townships: int | None = None,
    villages: int | None = None,
    workers: int | None = None,
) -> CountyRun:
    """The county ``generate_county`` writes with these arguments, planned but not yet written."""
    if fmt not in ("xlsx", "csv"):
        raise UsageError(pick(f"不支持的格式: {fmt} (xlsx 或 csv)", f"unknown format {fmt}: xlsx or csv"))
    month_names = month_list(months, last)
    plan = plan_county(persons, seed, townships=townships, villages=villages)
    if workers is None:
        workers = (os.cpu_count() or 1) if persons >= 50_000 else 1
    return CountyRun(
        out_dir=out_dir,
        plan=plan,
        months=tuple(month_names),
        persons=persons,
        seed=seed,
        messy=messy,
        fmt="xlsx" if fmt == "xlsx" else "csv",
        targets=targets,
        workers=workers,
    )


def generate_county(
    out_dir: Path,
    persons: int,
    months: Sequence[str] | int | str,
    seed: int = 0,
    messy: bool = True,
    fmt: str = "xlsx",
    *,
    last: str | None = None,
    targets: bool = False,
    townships: int | None = None,
    villages: int | None = None,
    workers: int | None = None,
    on_file: Callable[[int], None] | None = None,
) -> CountySummary:
    """Write ``out_dir/<YYYY-MM>/<乡镇>_<村>_<YYYY-MM>.<fmt>`` for every village and month.

    The month in each file name is what ``laborcli import`` takes as the as-of date (the
    month's last day). ``months`` is a list of YYYY-MM or a count of months ending with
    ``last``. With ``targets`` a targets sheet for the last month's year is written as
    ``out_dir/<YYYY>年1月_年度转移就业任务.<fmt>`` (for ``laborcli targets import --year``). Townships
    are written by ``workers`` processes (default: one per CPU for 50,000 persons or
    more, else one); the files are the same whatever the number. ``on_file(n)`` is
    called as files are written, with how many were just written.
    """
    run = prepare_county(
        out_dir,
        persons,
        months,
        seed,
        messy,
        fmt,
        last=last,
        targets=targets,
        townships=townships,
        villages=villages,
        workers=workers,
    )
    return run.write(on_file)


def _write(run: CountyRun, on_file: Callable[[int], None] | None) -> CountySummary:
    """Write the townships (in worker processes when asked), then the targets sheet."""
    plan, out_dir = run.plan, run.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for m in run.months:
        (out_dir / m).mkdir(exist_ok=True)
    target_year = int(run.months[-1][:4]) if run.targets else None
    jobs = [
        Job(
            out_dir=out_dir,
            plan=plan,
            township_index=ti,
            villages=tuple(v for v in plan.villages if v.township_index == ti),
            months=run.months,
            seed=run.seed,
            messy=run.messy,
            fmt=run.fmt,
            targets_year=target_year,
        )
        for ti in range(len(plan.townships))
    ]
    results: list[JobResult] = []
    if run.workers > 1 and len(jobs) > 1:
        ctx = start_context()
        with ProcessPoolExecutor(max_workers=min(run.workers, len(jobs)), mp_context=ctx) as pool:
            for r in pool.map(run_township, jobs):
                results.append(r)
                if on_file:
                    on_file(len(r.files))
    else:
        for job in jobs:
            r = run_township(job)
            results.append(r)
            if on_file:
                on_file(len(r.files))
    summary = _summarise(run, results)
    if target_year is not None:
        new_in_year: dict[str, int] = {}
        for r in results:
            new_in_year.update(r.new_in_target_year)
        name, tg, nbytes = write_targets(out_dir, plan, target_year, new_in_year, run.seed, run.fmt)
        summary.targets_file, summary.targets_year, summary.targets = name, target_year, tg
        summary.bytes_written += nbytes
        if on_file:
            on_file(1)
    return summary


def _summarise(run: CountyRun, results: list[JobResult]) -> CountySummary:
    """The townships' counts added up (targets not yet written)."""
    month_sums = [MonthSummary(month=m, as_of=month_end(m)) for m in run.months]
    dups: Counter[str] = Counter()
    files: list[str] = []
    size = 0
    for r in results:
        for total, part in zip(month_sums, r.months, strict=True):
            total.add(part)
        dups.update(r.duplicates)
        files.extend(r.files)
        size += r.bytes_written
    return CountySummary(
        out_dir=run.out_dir,
        county=run.plan.county,
        seed=run.seed,
        persons=run.persons,
        fmt=run.fmt,
        messy=run.messy,
        townships=len(run.plan.townships),
        villages=len(run.plan.villages),
        households=sum(r.households for r in results),
        months=month_sums,
        duplicates={k: dups.get(k, 0) for k in DUPLICATES},
        files=sorted(files),
        bytes_written=size,
    )
