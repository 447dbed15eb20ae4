"""`laborcli rates`: transfer rates and the other figures at one level."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from laborcli.roster.figures import Level
from laborcli.cli.options import AsOf, Format, FormatOpt, TownshipOpt, VillageOpt
from laborcli.cli.output import as_of_or_today, out, pct, print_csv, print_json, state, table, working
from laborcli.i18n import pick

app = typer.Typer()

CSV_KEYS = [
    "township",
    "village",
    "group",
    "labour_force",
    "transferred",
    "transfer_rate",
    "outside_county",
    "organised_outside",
    "organised_rate",
    "poor_labour_force",
    "poor_transferred",
    "households",
    "zero_employment_households",
    "new_transfers",
    "unknown_age",
    "unverified",
]


@app.command("rates")
def rates(
    ctx: typer.Context,
    as_of: AsOf = None,
    by: Annotated[str, typer.Option("--by", help="county, township, village or group.")] = "village",
    township: TownshipOpt = None,
    village: VillageOpt = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year of 'new transfers' (default: the year of --as-of).")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Labour force, transfers, rates, households and zero-employment households as of a date."""
    from laborcli.cli.context import open_reg, policy
    from laborcli.roster.figures import rates as compute_rates

    st = state(ctx)
    if by not in ("county", "township", "village", "group"):
        raise typer.BadParameter("--by must be county, township, village or group")
    d = as_of_or_today(as_of)
    reg = open_reg(st)
    with working(st, "计算转移就业率"), reg.reading() as conn:
        res = compute_rates(
            conn,
            d,
            by,  # type: ignore[arg-type]
            policy(st).labour_force,
            township=township,
            village=village,
            year=year,
        )
    if fmt is Format.json:
        print_json(res.as_json())
        return
    if fmt is Format.csv:
        print_csv(
            CSV_KEYS, [[r.get(k) for k in CSV_KEYS] for r in [*res.rows, {**res.total, "township": "合计"}]]
        )
        return
    level: Level = by  # type: ignore[assignment]
    place_cols = {
        "county": [],
        "township": ["乡镇"],
        "village": ["乡镇", "村(社区)"],
        "group": ["乡镇", "村(社区)", "村民小组"],
    }[level]
    keys = {
        "county": [],
        "township": ["township"],
        "village": ["township", "village"],
        "group": ["township", "village", "group"],
    }[level]
    heads = [
        *place_cols,
        "劳动力",
        "转移就业",
        "转移率",
        "县外",
        "组织化率",
        "脱贫劳动力",
        "脱贫转移",
        "有劳动力户",
        "零就业户",
        "新增转移",
        "年龄不详",
        "身份未核验",
    ]

    def line(r: dict[str, object], place: list[object]) -> list[object]:
        return [
            *place,
            f"{r['labour_force']:,}",
            f"{r['transferred']:,}",
            pct(r["transfer_rate"]),  # type: ignore[arg-type]
            f"{r['outside_county']:,}",
            pct(r["organised_rate"]),  # type: ignore[arg-type]
            f"{r['poor_labour_force']:,}",
            f"{r['poor_transferred']:,}",
            f"{r['households']:,}",
            f"{r['zero_employment_households']:,}",
            f"{r['new_transfers']:,}",
            r["unknown_age"],
            r["unverified"],
        ]

    body = [line(r, [r[k] for k in keys]) for r in res.rows]
    body.append(line(res.total, ["[bold]合计[/bold]", *[""] * (len(keys) - 1)] if keys else []))
    n = len(place_cols)
    if out.width < 130:
        # A narrow terminal shows the headline figures whole rather than every column cut
        # to "…"; --format csv or json always carries all of them.
        keep = [*range(n), n, n + 1, n + 2, n + 3, n + 4, n + 7, n + 8]
        heads = [heads[i] for i in keep]
        body = [[row[i] for i in keep] for row in body]
    out.print(
        table(
            pick(f"转移就业情况 (截至 {d.isoformat()})", f"Transfer employment as of {d.isoformat()}"),
            heads,
            body,
            right=tuple(range(n, len(heads))),
        )
    )
