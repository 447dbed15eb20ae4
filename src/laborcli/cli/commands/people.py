"""`laborcli people purge`: delete a person's data on request (right to deletion)."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.output import err, state
from laborcli.i18n import pick

app = LaborTyper(help="Personal data: deletion on request.")


@app.command("purge")
def purge(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(help="The person's ID number.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (recorded in the purge log).")
    ] = "本人申请删除",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove every row of a person from the registry and record that it was done."""
    from laborcli.cli.context import open_reg
    from laborcli.roster.history import purge as purge_person

    st = state(ctx)
    if not yes and not typer.confirm(
        pick("永久删除此人的全部记录?", "Delete every record of this person for good?")
    ):
        raise typer.Exit(1)
    done = purge_person(open_reg(st), ident, reason)
    if not st.quiet:
        n = done.rows
        err.print(pick(f"已删除 {n} 行, 并记入删除日志", f"deleted {n} rows, recorded in the purge log"))
    kept = done.ledger
    if kept is not None and kept.kept:  # even with --quiet: the officer must know what stays
        err.print(
            pick(
                f"补贴台账保留 {kept.kept} 笔已登记的记录 (其中已发放 {kept.paid} 笔, 属财务凭证), "
                "姓名和身份证号码已替换为 “(已删除)”",
                f"the payment ledger keeps {kept.kept} recorded lines ({kept.paid} paid: financial "
                "records) with the name and ID replaced by “(已删除)”",
            ),
            markup=False,
        )
    if done.reclaim:  # even with --quiet: until it is run, the data are still on the disk
        err.print(done.reclaim, markup=False)
