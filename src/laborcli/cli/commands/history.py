"""`laborcli person` and `laborcli household`: the history behind one person or household."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import pii_notice, state
from laborcli.i18n import pick
from laborcli.identity.privacy import Mask

app = LaborTyper()


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
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with reg.reading() as conn:
        entries = person_history(conn, ident)
        tenure = person_tenure(
            conn, ident, d, pol.tenure.stable_months, income_max=pol.income.max_monthly_yuan
        )
    show_entries(pick("个人档案", "Person"), entries, Mask(show_pii), fmt, tenure)


@app.command("household")
def household(
    ctx: typer.Context,
    household_id: Annotated[str, typer.Argument(help="The household number (户编号).")],
    as_of: AsOf = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Every imported row of one household's members, month by month (一户一档); then its
    labour income in the year per capita, as of --as-of."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.history import show_entries
    from laborcli.roster.history import household_history
    from laborcli.tenure.income import household_incomes

    pii_notice(show_pii)
    st = state(ctx)
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with reg.reading() as conn:
        entries = household_history(conn, household_id)
        incomes = household_incomes(
            conn,
            d.year,
            d,
            pol.labour_force,
            household_id=household_id.strip(),
            income_max=pol.income.max_monthly_yuan,
        )
    title = pick(f"家庭档案 {household_id}", f"Household {household_id}")
    show_entries(title, entries, Mask(show_pii), fmt, households=incomes)
