"""Month arithmetic of docs/programmes.md: the day kept and clipped, month ends kept."""

from __future__ import annotations

import calendar
import datetime as dt

from laborcli.dates import month_end


def add_months(d: dt.date, n: int) -> dt.date:
    """``d`` moved by ``n`` months (negative: back): the day kept, clipped to the month's
    end, and a month end stays a month end (2026-11-30 - 3 = 2026-08-31;
    2026-01-30 + 1 = 2026-02-28; 2026-02-28 + 3 = 2026-05-31)."""
    total = d.year * 12 + d.month - 1 + n
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if d == month_end(d.year, d.month):
        return dt.date(year, month, last)
    return dt.date(year, month, min(d.day, last))


def full_months(start: dt.date, end: dt.date) -> int:
    """The largest N with ``end >= start + N months`` (0 when end is before start + 1)."""
    n = (end.year - start.year) * 12 + end.month - start.month
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return max(n, 0)


def observation_dates(first: dt.date, as_of: dt.date) -> list[dt.date]:
    """The dates a person is observed on from ``first``'s month to ``as_of``: each month
    end on or before ``as_of``, then ``as_of`` itself when it is not a month end."""
    out: list[dt.date] = []
    y, m = first.year, first.month
    while (y, m) <= (as_of.year, as_of.month):
        end = month_end(y, m)
        out.append(min(end, as_of))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
