"""`laborcli person` and `laborcli household`: the history behind one person or household."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.engine import Connection

    from laborcli.roster.history import Entry
from laborcli.cli.options import Format, FormatOpt, ShowPii
from laborcli.cli.output import out, pii_notice, print_csv, print_json, state, table
from laborcli.errors import LaborError
from laborcli.privacy import Mask

app = typer.Typer()


class NotFound(LaborError):
    """Nothing in the registry matches."""


def _json(e: Entry, mask: Mask) -> dict[str, Any]:
    v = dict(e.values)
    v["id_number"] = mask.id(v.get("id_number"))
    v["phone"] = mask.phone(v.get("phone"))
    return {
        "as_of": e.as_of,
        "mode": e.mode,
        "source": e.source,
        "sheet": e.sheet,
        "row": e.row,
        "values": v,
        "changes": [{"field": f, "before": _m(f, a, mask), "after": _m(f, b, mask)} for f, a, b in e.changes],
    }


def _m(field: str, value: Any, mask: Mask) -> Any:
    return mask.phone(value) if field == "phone" else value


def _render(title: str, entries: list[Entry], mask: Mask, fmt: Format) -> None:
    if fmt is Format.json:
        print_json({"entries": [_json(e, mask) for e in entries]})
        return
    body = [
        [
            e.as_of,
            e.mode,
            f"{e.source}:{e.row}",
            e.values.get("name"),
            mask.id(e.values.get("id_number")),
            f"{e.values.get('township')}{e.values.get('village')}",
            e.values.get("employment_status"),
            "; ".join(f"{f}: {_m(f, a, mask)} → {_m(f, b, mask)}" for f, a, b in e.changes),
        ]
        for e in entries
    ]
    if fmt is Format.csv:
        head = ["as_of", "mode", "source", "sheet", "row", "name", "id_number", "township", "village"]
        print_csv(
            [*head, "employment_status", "changes"],
            [
                [
                    e.as_of,
                    e.mode,
                    e.source,
                    e.sheet,
                    e.row,
                    e.values.get("name"),
                    mask.id(e.values.get("id_number")),
                    e.values.get("township"),
                    e.values.get("village"),
                    e.values.get("employment_status"),
                    "; ".join(f"{f}: {_m(f, a, mask)} -> {_m(f, b, mask)}" for f, a, b in e.changes),
                ]
                for e in entries
            ],
        )
        return
    out.print(
        table(title, ["统计日期", "方式", "来源:行", "姓名", "身份证号码", "村", "就业状态", "变化"], body)
    )


def _history(ctx: typer.Context, show_pii: bool, read: Callable[[Connection], list[Entry]]) -> list[Entry]:
    from laborcli.cli.context import open_reg

    pii_notice(show_pii)
    with open_reg(state(ctx)).reading() as conn:
        return read(conn)


@app.command("person")
def person(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(help="The person's ID number (18 or 15 digits).")],
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Every imported row about one person: which file, which row, what changed."""
    from laborcli.roster.history import person_history

    entries = _history(ctx, show_pii, lambda conn: person_history(conn, ident))
    if not entries:
        raise NotFound("没有找到此人 (no such person in the registry)")
    _render("个人档案", entries, Mask(show_pii), fmt)


@app.command("household")
def household(
    ctx: typer.Context,
    household_id: Annotated[str, typer.Argument(help="The household number (户编号).")],
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Every imported row of one household's members, month by month (一户一档)."""
    from laborcli.roster.history import household_history

    entries = _history(ctx, show_pii, lambda conn: household_history(conn, household_id))
    if not entries:
        raise NotFound(f"没有找到户编号 {household_id} (no such household)")
    _render(f"家庭档案 {household_id}", entries, Mask(show_pii), fmt)
