"""`laborcli people purge`: delete a person's data on request (right to deletion)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    pass
from laborcli.cli.output import err, state
from laborcli.errors import LaborError

app = typer.Typer(help="Personal data: deletion on request.")


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
    from laborcli.registry.admin import purge_person
    from laborcli.roster.history import person_keys

    st = state(ctx)
    if not yes and not typer.confirm("永久删除此人的全部记录?"):
        raise typer.Exit(1)
    with open_reg(st).writing() as conn:
        keys = sorted(person_keys(conn, ident))
        n = sum(purge_person(conn, k, reason) for k in keys if k.startswith(("id:", "nk:")))
    if n == 0:
        raise LaborError("没有找到此人, 未删除任何记录 (no such person)")
    if not st.quiet:
        err.print(f"已删除 {n} 行, 并记入删除日志")
