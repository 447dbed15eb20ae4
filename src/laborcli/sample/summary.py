"""What a generated county holds: the answer key of its import, and its true figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laborcli.dates import age_in_years
from laborcli.sample.faults import ERRORS

if TYPE_CHECKING:
    from laborcli.sample.people import Person
    from laborcli.sample.standard import Standard
    from laborcli.sample.township import Township


@dataclass(slots=True)
class MonthSummary:
    """What one month's files hold, and what importing them must report."""

    month: str
    as_of: dt.date
    files: int = 0
    rows: int = 0  # data rows written, duplicates and faulty rows included
    rows_rejected: int = 0  # rows the import must reject (injected errors)
    problems: dict[str, int] = field(default_factory=dict)  # problem code -> count expected
    persons_counted: int = 0  # distinct persons the registry counts after importing this month
    persons_lost: int = 0  # real persons whose only row this month was rejected
    unverified_copies: int = 0  # imported second listings without a valid ID (counted twice)
    labour_force: int = 0  # the truth, over real persons (16-60, able, not students/conscripts)
    transferred: int = 0
    outside_county: int = 0
    organised_outside: int = 0
    households: int = 0  # households with labour
    zero_employment_households: int = 0
    new_transfers: int = 0  # transferred labour whose 务工开始时间 is in the month's year

    def add(self, other: MonthSummary) -> None:
        """Add a township's counts."""
        for k in (
            "files",
            "rows",
            "rows_rejected",
            "persons_counted",
            "persons_lost",
            "unverified_copies",
            "labour_force",
            "transferred",
            "outside_county",
            "organised_outside",
            "households",
            "zero_employment_households",
            "new_transfers",
        ):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        c = Counter(self.problems)
        c.update(other.problems)
        self.problems = dict(sorted(c.items()))

    @property
    def warnings(self) -> int:
        """Problems expected that are warnings (the row is kept)."""
        return sum(n for k, n in self.problems.items() if k not in ERRORS)

    @property
    def transfer_rate(self) -> float | None:
        """Transferred / labour force."""
        return self.transferred / self.labour_force if self.labour_force else None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["as_of"] = self.as_of.isoformat()
        d["transfer_rate"] = None if self.transfer_rate is None else round(self.transfer_rate, 4)
        return d


@dataclass(slots=True)
class CountySummary:
    """What ``generate_county`` wrote; identical for the same arguments and seed."""

    out_dir: Path
    county: str
    seed: int
    persons: int  # distinct real persons listed (second listings not counted)
    fmt: str
    messy: bool
    townships: int
    villages: int
    households: int
    months: list[MonthSummary]
    duplicates: dict[str, int]  # kind -> persons listed twice
    files: list[str]  # paths relative to out_dir
    bytes_written: int
    targets_file: str | None = None
    targets_year: int | None = None
    targets: dict[str, int] = field(default_factory=dict)  # "乡镇/村" -> annual target

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (paths as text)."""
        return {
            "out_dir": str(self.out_dir),
            "county": self.county,
            "seed": self.seed,
            "persons": self.persons,
            "format": self.fmt,
            "messy": self.messy,
            "townships": self.townships,
            "villages": self.villages,
            "households": self.households,
            "months": [m.as_json() for m in self.months],
            "duplicates": self.duplicates,
            "files": self.files,
            "bytes_written": self.bytes_written,
            "targets_file": self.targets_file,
            "targets_year": self.targets_year,
            "targets": self.targets,
        }


def in_labour_force(p: Person, d: dt.date, std: Standard) -> bool:
    """Whether ``p`` is labour on ``d``: of working age, able to work, not a student or conscript."""
    low, high = std.ages[p.male]
    return (
        p.status not in std.not_labour_force
        and p.capacity not in std.excluded_capacity
        and low <= age_in_years(p.birth, d) <= high
    )


def new_transfers(people: Iterable[Person], d: dt.date, year: int, std: Standard) -> int:
    """Transferred labour on ``d`` whose job began in ``year`` (a village's progress on its target)."""
    jan1 = dt.date(year, 1, 1)
    return sum(
        1
        for p in people
        if p.status in std.transferred
        and p.start is not None
        and jan1 <= p.start <= d
        and in_labour_force(p, d, std)
    )


def truth(t: Township, d: dt.date, ms: MonthSummary) -> None:
    """The real figures of the month, over real persons (what a perfect sheet would give)."""
    std = t.std
    for v in t.villages:
        households: dict[str, bool] = {}
        for p in v.people:
            if not in_labour_force(p, d, std):
                continue
            ms.labour_force += 1
            tr = p.status in std.transferred
            households[p.household] = households.get(p.household, False) or tr
            if tr:
                ms.transferred += 1
                if p.start is not None and dt.date(d.year, 1, 1) <= p.start <= d:
                    ms.new_transfers += 1
            if p.status == "县外务工":
                ms.outside_county += 1
                if p.organised:
                    ms.organised_outside += 1
        ms.households += len(households)
        ms.zero_employment_households += sum(1 for x in households.values() if not x)
