"""`retention`: the cohort, retained and rate of each place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.options import Format, Level
from laborcli.cli.output import out, pct, print_json
from laborcli.cli.views.freshness import stale_note
from laborcli.cli.views.programme_table import places_csv, places_table
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.tenure.retention import Retention

KEYS = ("cohort", "retained", "retention_rate", "no_longer_listed")
COLUMNS = (
    ("基期转移就业", "cohort", lambda r: f"{r['cohort']:,}"),
    ("仍转移就业", "retained", lambda r: f"{r['retained']:,}"),
    ("稳岗率", "retention", lambda r: pct(r["retention_rate"])),
    ("已不在册", "no longer listed", lambda r: f"{r['no_longer_listed']:,}"),
)


def show_retention(res: Retention, by: Level, fmt: Format) -> None:
    """Retention in the asked format on stdout."""
    if fmt is Format.json:
        print_json(res.as_json())
        return
    if fmt is Format.csv:
        places_csv(by, res.rows, res.total, KEYS)
        return
    d, c = res.as_of.isoformat(), res.cohort_date.isoformat()
    title = pick(
        f"稳岗率 (截至 {d}, 基期 {c}, {res.months} 个月)",
        f"Retention as of {d} over {res.months} months (cohort of {c})",
    )
    out.print(places_table(title, by, res.rows, res.total, COLUMNS))
    note = stale_note(((r["township"], r["village"], r.get("stale", False)) for r in res.rows), res.as_of)
    if note:
        out.print(note)
