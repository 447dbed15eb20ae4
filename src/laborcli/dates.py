"""Reference dates: as-of dates from options, file names and title rows, ISO weeks, month ends."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from laborcli.errors import UsageError
from laborcli.i18n import pick

_NAME_MONTH = [
    re.compile(r"(?<!\d)(20\d{2})[-_.年/]\s*(\d{1,2})(?:月)?(?![\d])"),
    re.compile(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?!\d)"),
]


# The years a reference date may fall in. Figures reach a century back from it (the bounds
# of working age, birth dates, job starts) and weeks forward, which the calendar of Python
# cannot do near year 1 or 9999: outside these years a date is a typing slip, said as such.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _in_range(d: dt.date, text: str) -> dt.date:
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise UsageError(
            pick(
                f"日期 {text} 超出范围: 应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间",
                f"the date {text!r} is out of range: it must fall in {FIRST_YEAR}–{LAST_YEAR}",
            )
        )
    return d


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def years_before(d: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def age_in_years(birth: dt.date, d: dt.date) -> int:
    """Full years of age on ``d``. Someone born on 29 February is a year older from
    1 March in other years, as the figures' bounds (``years_before``) count it."""
    return d.year - birth.year - ((d.month, d.day) < (birth.month, birth.day))


def parse_as_of(text: str) -> dt.date:
    """--as-of: a date (2026-11-30) or a month (2026-11, meaning its last day)."""
    t = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}", t):
            y, m = map(int, t.split("-"))
            d = month_end(y, m)
        else:
            d = dt.date.fromisoformat(t)
    except ValueError as e:
        raise UsageError(
            pick(
                f"无法识别的日期: {text} (应为 2026-11-30 或 2026-11)",
                f"cannot read the date {text!r} (write 2026-11-30 or 2026-11)",
            )
        ) from e
    return _in_range(d, text)


def as_of_from_name(name: str) -> dt.date | None:
    """The month a file name names (…_2026-11.xlsx, 202611, 2026年11月) -> its last day."""
    for pat in _NAME_MONTH:
        m = pat.search(name)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            if 1 <= mo <= 12:
                return month_end(y, mo)
    return None


# A date as a title row writes it: 2026年11月(30日), 2026-11(-30), 2026.11, 2026/11.
_TITLE_DATE = r"(20\d{2})\s*(?:年\s*(\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?|[-./](\d{1,2})(?:[-./]\d{1,2})?(?!\d))"
# The month the sheet counts, when a title names it so.
_TITLE_AS_OF = re.compile(r"(?:统计|报告|截至|截止|数据)[^0-9:：]{0,6}[:：]?\s*" + _TITLE_DATE)
# Dates of the paperwork, not of the figures: 填报日期 is usually a day of the month after.
_PAPERWORK_DATE = re.compile(
    r"(?:填报|填表|制表|报送|上报|打印|审核|签字|盖章)\s*(?:日期|时间)\s*[:：]?\s*(?:" + _TITLE_DATE + ")?"
)
_ANY_TITLE_DATE = re.compile(r"(?<!\d)" + _TITLE_DATE)


def as_of_from_title(lines: list[str]) -> dt.date | None:
    """The month a sheet's title rows name (统计时间：2026年11月, 2026年11月劳动力台账) ->
    its last day; never a 填报日期 or other date of the paperwork. A month labelled
    统计/截至 wins over a bare one; else the first bare one."""
    text = _PAPERWORK_DATE.sub(" ", "\n".join(lines))
    for pat in (_TITLE_AS_OF, _ANY_TITLE_DATE):
        for m in pat.finditer(text):
            y, mo = int(m.group(1)), int(m.group(2) or m.group(3))
            if 1 <= mo <= 12:
                return month_end(y, mo)
    return None


def parse_week(text: str, today: dt.date) -> tuple[int, int]:
    """YYYY-Www, or 'this'/'last' relative to today -> (ISO year, week)."""
    t = text.strip().lower()
    if t in ("", "this", "current"):
        y, w, _ = today.isocalendar()
        return y, w
    if t in ("last", "previous"):
        y, w, _ = (today - dt.timedelta(days=7)).isocalendar()
        return y, w
    m = re.fullmatch(r"(\d{4})-?w(\d{1,2})", t)
    if m:
        y, w = int(m.group(1)), int(m.group(2))
        try:
            friday = dt.date.fromisocalendar(y, w, 5)
        except ValueError as e:
            raise UsageError(pick(f"{y} 年没有第 {w} 周", f"{y} has no week {w}")) from e
        _in_range(friday, text)
        return y, w
    raise UsageError(
        pick(f"无法识别的周: {text} (应为 2026-W47)", f"cannot read the week {text!r} (write 2026-W47)")
    )


def week_friday(year: int, week: int) -> dt.date:
    """The reference date of an ISO week: its Friday."""
    return dt.date.fromisocalendar(year, week, 5)


def week_label(year: int, week: int) -> str:
    """2026-W05."""
    return f"{year}-W{week:02d}"


def last_month_end(d: dt.date) -> dt.date:
    """The last month end on or before ``d``: the sheets that should be in by then."""
    end = month_end(d.year, d.month)
    return end if d == end else d.replace(day=1) - dt.timedelta(days=1)


def parse_month(text: str) -> tuple[int, int]:
    """--month: 2026-11 -> (2026, 11)."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(
            pick(f"无法识别的月份: {text} (应为 2026-11)", f"cannot read the month {text!r} (write 2026-11)")
        )
    return int(m.group(1)), int(m.group(2))
