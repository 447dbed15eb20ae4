"""What the `retention` and `income` views share: place columns, the total line, CSV."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.table import Table

from laborcli.cli.options import Level
from laborcli.cli.output import print_csv, table
from laborcli.cli.views.freshness import marked
from laborcli.i18n import pick

PLACE_KEYS = ("township", "village", "group")
PLACES = {
    "township": ("乡镇", "township"),
    "village": ("村(社区)", "village"),
    "group": ("村民小组", "group"),
}
Cell = Callable[[dict[str, Any]], object]


def place_keys(by: Level) -> list[str]:
    """The place columns of a level (none for the county)."""
    return list(PLACE_KEYS[: list(Level).index(by)])


def places_table(
    title: str,
    by: Level,
    rows: Sequence[dict[str, Any]],
    total: dict[str, Any],
    columns: Sequence[tuple[str, str, Cell]],
) -> Table:
    """One line per place, then the total; ``columns`` are (中文, English, cell)."""
    keys = place_keys(by)
    heads = [pick(*PLACES[k]) for k in keys] + [pick(zh, en) for zh, en, _ in columns]
    body = [[_place(r, k) for k in keys] + [cell(r) for _, _, cell in columns] for r in rows]
    if keys:  # the county level's one line is the total itself
        first: list[object] = [f"[bold]{pick('合计', 'total')}[/bold]", *([""] * (len(keys) - 1))]
        body.append(first + [cell(total) for _, _, cell in columns])
    return table(title, heads, body, right=tuple(range(len(keys), len(heads))))


def places_csv(by: Level, rows: Sequence[dict[str, Any]], total: dict[str, Any], keys: Sequence[str]) -> None:
    """The rows and the total (named 合计) as CSV on stdout."""
    head = [*PLACE_KEYS, *keys]
    lines = [*rows, {**total, "township": "合计"}] if place_keys(by) else list(rows)
    print_csv(head, [[r.get(k) for k in head] for r in lines])


def _place(r: dict[str, Any], key: str) -> object:
    if key == "village" and "stale" in r:
        return marked(r["village"], r["sheet_as_of"], r["stale"])
    return r[key]
