"""`laborcli subsidy`: subsidy and award lines, the payment workbook, recording it, and
why a person or household has no line."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import state, working

app = LaborTyper(help="Subsidies and awards (补贴奖励): lines, the payment workbook and its ledger.")


class RuleName(StrEnum):
    """The subsidy rules (`subsidy --rule`)."""

    organised_placement = "organised_placement"
    household_income_award = "household_income_award"
    leader_award = "leader_award"
    training_payment = "training_payment"


@app.callback(invoke_without_command=True)
def subsidy(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="The year (default: the year of --as-of).")
    ] = None,
    as_of: AsOf = None,
    rule: Annotated[RuleName | None, typer.Option("--rule", help="Only this rule's lines.")] = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Write the payment workbook (补贴发放表.xlsx) for finance."),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", help="Why (not): an ID or person key, or a household as 乡镇/村/户编号."),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Every line of the year as of D with its status, explanation and source rows."""
    if ctx.invoked_subcommand is not None:
        return
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.subsidy import show_lines, show_why
    from laborcli.identity.privacy import Mask
    from laborcli.tenure.income import check_year

    st = state(ctx)
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    y = d.year if year is None else year
    check_year(y, d)
    mask = Mask(show_pii)
    if person is not None:
        from laborcli.subsidies.whynot import why_not

        with reg.reading() as conn:
            show_why(why_not(conn, person, y, d, pol), fmt)
        return
    from laborcli.subsidies.rules import subsidy_lines

    if export is not None:
        from laborcli.sheets.safe import writable_file
        from laborcli.subsidies.ledger import export_lines

        writable_file(export)
        with working(st, "计算补贴明细"), reg.writing() as conn:
            res = subsidy_lines(conn, y, d, pol, rule.value if rule else None)
            n = export_lines(conn, res, export, mask)
        show_lines(res, fmt, mask, exported=(export, n))
        return
    with working(st, "计算补贴明细"), reg.reading() as conn:
        res = subsidy_lines(conn, y, d, pol, rule.value if rule else None)
    show_lines(res, fmt, mask)


@app.command("record")
def record(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The payment workbook returned by finance.")],
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Record 已发放 and 不予发放 lines of the returned workbook: all or nothing."""
    from laborcli.cli.context import open_reg
    from laborcli.cli.views.subsidy import show_recording
    from laborcli.errors import UsageError
    from laborcli.i18n import pick
    from laborcli.subsidies.ledger import record_workbook

    st = state(ctx)
    if not file.is_file():
        raise UsageError(pick(f"文件不存在: {file}", f"no such file: {file}"))
    rec = record_workbook(open_reg(st), file)
    show_recording(rec, fmt, show_pii)
    if rec.problems:
        raise typer.Exit(1)


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    line_id: Annotated[str, typer.Argument(help="The 编号 of a recorded line.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the recorded line is corrected.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Take a recorded line out of the ledger (a correction), keeping what it was and why."""
    from laborcli.cli.context import open_reg
    from laborcli.cli.output import out, print_json
    from laborcli.subsidies.ledger import reopen as run

    res = run(open_reg(state(ctx)), line_id, reason)
    if fmt is Format.json:
        print_json(res)
    else:
        out.print(f"{line_id}: 原登记 {res['was']} ({res['amount']} 元) 已撤销, 原因: {res['reason']}")
