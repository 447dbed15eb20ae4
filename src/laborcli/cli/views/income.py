"""`income`: labour income in the year and the monthly income at D of each place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from laborcli.cli.options import Format, Level
from laborcli.cli.output import out, print_json
from laborcli.cli.views.freshness import stale_note
from laborcli.cli.views.programme_table import places_csv, places_table
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.tenure.income import Income

KEYS = ("labour_income", "unknown_months", "transferred", "transferred_with_income", "average_monthly_income")


def _yuan(v: Any) -> str:
    return "—" if v is None else f"{v:,.0f}"


COLUMNS = (
    ("务工收入(元)", "labour income", lambda r: _yuan(r["labour_income"])),
    ("收入未知月数", "unknown months", lambda r: f"{r['unknown_months']:,}"),
    ("转移就业", "transferred", lambda r: f"{r['transferred']:,}"),
    ("其中月收入已知", "with income", lambda r: f"{r['transferred_with_income']:,}"),
    ("平均月收入(元)", "average monthly", lambda r: _yuan(r["average_monthly_income"])),
)


def show_income(res: Income, by: Level, fmt: Format) -> None:
    """Labour income in the asked format on stdout."""
    if fmt is Format.json:
        print_json(res.as_json())
        return
    if fmt is Format.csv:
        places_csv(by, res.rows, res.total, KEYS)
        return
    d = res.as_of.isoformat()
    title = pick(f"{res.year} 年务工收入 (截至 {d})", f"Labour income in {res.year} as of {d}")
    out.print(places_table(title, by, res.rows, res.total, COLUMNS))
    note = stale_note(((r["township"], r["village"], r.get("stale", False)) for r in res.rows), res.as_of)
    if note:
        out.print(note)
