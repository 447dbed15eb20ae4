"""The stale-sheet marker every table shows beside a village still on an old sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from laborcli.dates import last_month_end
from laborcli.i18n import pick
from laborcli.roster.submissions import STALE_LABEL


def marked(village: str | None, sheet_as_of: dt.date | None, stale: bool) -> str:
    """The village's name, with the date of its sheet when that sheet is not the one due."""
    name = village or ""
    if not stale:
        return name
    when = sheet_as_of.isoformat() if sheet_as_of else pick("无", "none")
    return f"{name} [yellow]⚠{pick(*STALE_LABEL)} {when}[/yellow]"


def stale_note(places: Iterable[tuple[str, str | None, bool]], as_of: dt.date) -> str | None:
    """One line naming the villages whose figures stand on an old sheet, or None."""
    names = [f"{t}{v or ''}" for t, v, stale in places if stale]
    if not names:
        return None
    due = last_month_end(as_of)
    return pick(
        f"⚠ {len(names)} 个村(社区)尚无 {due:%Y-%m} 的报表, 仍按旧表计算: {'、'.join(names)}"
        " (laborcli submissions 查看报送情况)",
        f"⚠ {len(names)} villages have no sheet for {due:%Y-%m} yet and are counted on an old one: "
        f"{', '.join(names)} (see laborcli submissions)",
    )


def with_mark(name: str | None, sheet_as_of: dt.date | None, stale: bool) -> str:
    """``marked`` as plain text, for the cells of a listing (terminal, workbook and CSV)."""
    if not stale:
        return name or ""
    when = sheet_as_of.isoformat() if sheet_as_of else pick("无", "none")
    return f"{name or ''} ⚠{pick(*STALE_LABEL)} {when}"
