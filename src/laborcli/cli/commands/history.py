"""`laborcli person` and `laborcli household`: the history behind one person or household."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import pii_notice, state
from laborcli.i18n import pick
from laborcli.identity.privacy import Mask

app = typer.Typer()


@app.command("person")
def person(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(help="The person's ID number (18 or 15 digits).")],
    as_of: AsOf = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Every imported row about one person: which file, which row, what changed; then their
    job spells and labour income in the year as of --as-of."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.history import show_entries
    from laborcli.roster.history import person_history
    from laborcli.tenure.person import person_tenure

    pii_notice(show_pii)
    st = state(ctx)
    stable = policy(st).tenure.stable_months
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with reg.reading() as conn:
        entries = person_history(conn, ident)
        tenure = person_tenure(conn, ident, d, stable)
    show_entries(pick("个人档案", "Person"), entries, Mask(show_pii), fmt, tenure)


@app.command("household")
def household(
    ctx: typer.Context,
    household_id: Annotated[str, typer.Argument(help="The household number (户编号).")],
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Every imported row of one household's members, month by month (一户一档)."""
    from laborcli.cli.context import open_reg
    from laborcli.cli.views.history import show_entries
    from laborcli.roster.history import household_history

    pii_notice(show_pii)
    with open_reg(state(ctx)).reading() as conn:
        entries = household_history(conn, household_id)
    show_entries(pick(f"家庭档案 {household_id}", f"Household {household_id}"), entries, Mask(show_pii), fmt)
