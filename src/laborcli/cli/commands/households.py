"""`laborcli households`: households with labour, and the zero-employment working list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    pass
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii, TownshipOpt, VillageOpt
from laborcli.cli.output import (
    as_of_or_today,
    err,
    out,
    pii_notice,
    print_csv,
    print_json,
    state,
    table,
    working,
)
from laborcli.privacy import Mask

app = typer.Typer()


@app.command("households")
def households(
    ctx: typer.Context,
    as_of: AsOf = None,
    zero_employment: Annotated[
        bool,
        typer.Option(
            "--zero-employment", help="Only households with labour and nobody transferred (零就业家庭)."
        ),
    ] = False,
    township: TownshipOpt = None,
    village: VillageOpt = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Write the list to an .xlsx workbook, one sheet per township."),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Households with at least one labour-force member, with members and their status."""
    from laborcli.cli.context import open_reg, policy
    from laborcli.roster.households import household_json
    from laborcli.roster.households import households as list_households

    st = state(ctx)
    d = as_of_or_today(as_of)
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    with working(st, "整理家庭名单"), reg.reading() as conn:
        hs = list_households(
            conn, d, policy(st).labour_force, zero_only=zero_employment, township=township, village=village
        )
    if export is not None:
        from laborcli.exports.households import write_households  # openpyxl only when asked

        write_households(hs, export, d, mask, zero_only=zero_employment)
        if not st.quiet:
            err.print(f"→ {export}")
    if fmt is Format.json:
        print_json({"as_of": d.isoformat(), "rows": [household_json(h, mask) for h in hs]})
    elif fmt is Format.csv:
        print_csv(
            [
                "township",
                "village",
                "household_id",
                "labour_force",
                "transferred",
                "name",
                "id_number",
                "phone",
                "relation",
                "employment_status",
                "in_labour_force",
            ],
            [
                [
                    h.township,
                    h.village,
                    h.household_id,
                    h.labour_force,
                    h.transferred,
                    m.name,
                    mask.id(m.id_number),
                    mask.phone(m.phone),
                    m.relation,
                    m.employment_status,
                    m.in_labour_force,
                ]
                for h in hs
                for m in h.members
            ],
        )
    elif export is None:
        title = (
            "零就业家庭" if zero_employment else "有劳动力家庭"
        ) + f" (截至 {d.isoformat()}, 共 {len(hs)} 户)"
        out.print(
            table(
                title,
                ["乡镇", "村(社区)", "户编号", "劳动力", "成员 (就业状态)"],
                [
                    [
                        h.township,
                        h.village,
                        h.household_id,
                        h.labour_force,
                        "; ".join(
                            f"{m.name} {mask.id(m.id_number) or ''} {m.employment_status}" for m in h.members
                        ),
                    ]
                    for h in hs
                ],
                right=(3,),
            )
        )
