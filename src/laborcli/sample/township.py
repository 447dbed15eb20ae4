"""One township, generated and written on its own: its villages, their months, their files.

Every township draws from its own random generator seeded by (seed, township), and its ID
sequence codes are its own, so a township's files depend only on the seed and the plan,
and townships can be written in parallel with byte-identical results.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from laborcli.sample.draws import Rng
from laborcli.sample.duplicates import add_duplicates
from laborcli.sample.jobs import organisers
from laborcli.sample.months import evolve, month_end, month_index
from laborcli.sample.places import CountyPlan, VillagePlan
from laborcli.sample.sheets import write_village
from laborcli.sample.standard import standard
from laborcli.sample.summary import MonthSummary, new_transfers, truth
from laborcli.sample.villages import Village, build_village
from laborcli.sample.writers import Fmt


@dataclass(frozen=True, slots=True)
class Job:
    """What one worker process writes: one township of the plan over all months."""

    out_dir: Path
    plan: CountyPlan
    township_index: int
    villages: tuple[VillagePlan, ...]
    months: tuple[str, ...]
    seed: int
    messy: bool
    fmt: Fmt
    targets_year: int | None


@dataclass(slots=True)
class JobResult:
    """What a township wrote, and its counts for the county's summary."""

    months: list[MonthSummary]
    files: list[str]
    bytes_written: int
    households: int
    duplicates: dict[str, int]
    new_in_target_year: dict[str, int]


class Township:
    """The state of one township's generation: its random draws, the IDs used, its caches."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.plan = job.plan
        self.std = standard()
        self.rng = Rng(f"{job.seed}/township/{job.township_index}")
        self.used: set[str] = set()
        ti = job.township_index
        # Police-station digits of the ID's sequence code: three per township, disjoint
        # between townships (up to 33), so townships never collide and can run in parallel.
        perm = random.Random(f"{job.seed}/stations").sample(range(100), 100)
        self.stations = [perm[(ti * 3 + k) % 100] for k in range(3)]
        self.ymd: dict[dt.date, tuple[str, int]] = {}  # birth date -> its ID digits and weighted sum
        self.firm_pool: dict[str, list[str]] = {}  # destination -> the township's employers there
        self.local: dict[str, dict[str, tuple[str, ...]]] = {}  # village code -> jobs in the county
        self.as_of0 = month_end(job.months[0])
        self.organisers = organisers(self)
        self.villages: list[Village] = []


def run_township(job: Job) -> JobResult:
    """Generate, evolve and write one township (runs in a worker process when parallel)."""
    t = Township(job)
    for vp in job.villages:
        t.villages.append(build_village(t, vp))
    add_duplicates(t)
    files: list[str] = []
    size = 0
    months: list[MonthSummary] = []
    new_in_year: dict[str, int] = {}
    prev: int | None = None
    for month in job.months:
        idx = month_index(month)
        if prev is not None:
            for step in range(prev + 1, idx + 1):
                y, m = step // 12, step % 12 + 1
                last_day = dt.date(y, m, calendar.monthrange(y, m)[1])
                for v in t.villages:
                    evolve(t, v, m, y, last_day)
        prev = idx
        as_of = month_end(month)
        ms = MonthSummary(month=month, as_of=as_of)
        valid_ids: set[str] = set()
        for v in t.villages:
            rel, nbytes = write_village(t, v, month, as_of, ms, valid_ids)
            files.append(rel)
            size += nbytes
            ms.files += 1
        ms.persons_counted += len(valid_ids)
        truth(t, as_of, ms)
        if job.targets_year is not None and month == job.months[-1]:
            for v in t.villages:
                new_in_year[f"{v.plan.township}/{v.plan.village}"] = new_transfers(
                    v.people, as_of, job.targets_year, t.std
                )
        months.append(ms)
    dups = Counter(c.kind for v in t.villages for c in v.copies)
    return JobResult(
        months=months,
        files=files,
        bytes_written=size,
        households=sum(len(v.households) for v in t.villages),
        duplicates=dict(dups),
        new_in_target_year=new_in_year,
    )
