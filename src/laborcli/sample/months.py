"""Months: the months to write, and what changes in the county from one month to the next."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from laborcli.dates import age_in_years
from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.sample.jobs import intention, new_job_status, start_job, stop_job

if TYPE_CHECKING:
    from laborcli.sample.township import Township
    from laborcli.sample.villages import Village

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _norm_month(text: str) -> str:
    """YYYY-MM of a typed month (2026-1 -> 2026-01); a usage error if it is not one."""
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(
            pick(f"无法识别的月份: {text} (应为 2026-11)", f"cannot read the month {text!r} (2026-11)")
        )
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def month_index(month: str) -> int:
    """Months since year 0, so that months can be counted and stepped through."""
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def _month_of_index(i: int) -> str:
    """The YYYY-MM of a ``month_index``."""
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def month_list(
    months: Sequence[str] | int | str, last: str | None = None, today: dt.date | None = None
) -> list[str]:
    """The months to generate, sorted: a list, a comma-separated text, or a count ending at ``last``.

    A count without ``last`` ends with the month before ``today`` (the last complete month),
    which is what an officer trying the tool expects; scripts should name months.
    """
    if isinstance(months, str):
        text = months.strip()
        months = int(text) if text.isdigit() else [m for m in text.split(",") if m.strip()]
    if isinstance(months, int):
        if not 1 <= months <= 120:
            raise UsageError(pick("月份数应在 1 到 120 之间", "the number of months must be 1 to 120"))
        if last is None:
            t = today or dt.date.today()
            end = t.year * 12 + t.month - 2
        else:
            end = month_index(_norm_month(last))
        return [_month_of_index(i) for i in range(end - months + 1, end + 1)]
    out = sorted({_norm_month(m) for m in months})
    if not out:
        raise UsageError(pick("没有指定月份", "no month given"))
    return out


def month_end(month: str) -> dt.date:
    """The last day of a YYYY-MM month: the as-of date of its sheets."""
    y, m = (int(x) for x in month.split("-"))
    return dt.date(y, m, calendar.monthrange(y, m)[1])


# Seasonality by calendar month: chance that an idle labourer starts work / a worker
# comes home (most leave after the Spring Festival, many return in December-January).
_P_START = (0.0, 0.05, 0.16, 0.09, 0.05, 0.04, 0.04, 0.05, 0.04, 0.04, 0.04, 0.03, 0.02)
_P_RETURN = (0.0, 0.04, 0.01, 0.01, 0.01, 0.012, 0.012, 0.015, 0.015, 0.015, 0.02, 0.03, 0.06)


def evolve(t: Township, v: Village, cal_month: int, year: int, last_day: dt.date) -> None:
    """One month passes: some idle labourers leave for work, some workers come home."""
    rng = t.rng
    std = t.std
    p_start, p_return = _P_START[cal_month], _P_RETURN[cal_month]
    first = dt.date(year, cal_month, 1)
    for p in v.people:
        if p.status in std.transferred:
            if rng.random() < p_return:
                stop_job(t, p)
        elif p.status in std.idle and p.capacity not in std.excluded_capacity and rng.random() < p_start:
            age = age_in_years(p.birth, last_day)
            if 16 <= age <= 60:
                start = first + dt.timedelta(days=rng.below(last_day.day))
                start_job(t, v, p, new_job_status(t, p, age), start)
                p.intention = intention(t, p.status)
                if rng.random() < 0.3:
                    p.remarks = (p.remarks + " 新增").strip()
