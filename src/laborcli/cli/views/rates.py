"""`rates`: the figures of each place as a table or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from laborcli.cli.options import Format, Level
from laborcli.cli.output import out, pct, print_csv, print_json, table
from laborcli.cli.views.freshness import marked, stale_note
from laborcli.i18n import pick
from laborcli.roster.catalogue import FIGURES, Figure

if TYPE_CHECKING:
    from laborcli.roster.figures import Rates

PLACE_KEYS = ("township", "village", "group")
CSV_KEYS = [*PLACE_KEYS, *(f.key for f in FIGURES if f.in_rates_csv)]
PLACES = {
    "township": ("乡镇", "township"),
    "village": ("村(社区)", "village"),
    "group": ("村民小组", "group"),
}
SHOWN = [f for f in FIGURES if f.short]
# A narrow terminal shows the headline figures whole rather than every column cut to "…";
# --format csv or json always carries all of them.
NARROW = {
    "labour_force",
    "transferred",
    "transfer_rate",
    "outside_county",
    "organised_rate",
    "households",
    "zero_employment_households",
}
WIDE_FROM = 130


def show_rates(res: Rates, by: Level, fmt: Format) -> None:
    """The figures in the asked format on stdout."""
    if fmt is Format.json:
        print_json(res.as_json())
    elif fmt is Format.csv:
        rows = [*res.rows, {**res.total, "township": "合计"}]
        print_csv(CSV_KEYS, [[r.get(k) for k in CSV_KEYS] for r in rows])
    else:
        out.print(rates_table(res, by))
        note = stale_note(((r["township"], r["village"], r.get("stale", False)) for r in res.rows), res.as_of)
        if note:
            out.print(note)


def rates_table(res: Rates, by: Level) -> Table:
    """The terminal table: one line per place and the total, headline figures if narrow."""
    keys = list(PLACE_KEYS[: list(Level).index(by)])
    shown = SHOWN if out.width >= WIDE_FROM else [f for f in SHOWN if f.key in NARROW]
    heads = [pick(*PLACES[k]) for k in keys] + [pick(f.short or f.label, f.en) for f in shown]
    body = [[_place(r, k) for k in keys] + [_cell(f, r) for f in shown] for r in res.rows]
    total: list[object] = [""] * len(keys)  # the county total has no place column to name it
    if keys:
        total[0] = f"[bold]{pick('合计', 'total')}[/bold]"
    body.append(total + [_cell(f, res.total) for f in shown])
    d = res.as_of.isoformat()
    return table(
        pick(f"转移就业情况 (截至 {d})", f"Transfer employment as of {d}"),
        heads,
        body,
        right=tuple(range(len(keys), len(heads))),
    )


def _place(r: dict[str, Any], key: str) -> object:
    if key == "village" and "stale" in r:
        return marked(r["village"], r["sheet_as_of"], r["stale"])
    return r[key]


def _cell(f: Figure, r: dict[str, Any]) -> str:
    v = r[f.key]
    return pct(v) if f.is_rate else f"{v:,}"
