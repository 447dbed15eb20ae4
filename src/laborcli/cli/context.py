"""Turning global options into core objects (registry, schema, policy)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from laborcli.cli.output import AppState
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.policy import Policy
    from laborcli.registry import Registry
    from laborcli.sheets.checking import Settings
    from laborcli.sheets.schema import SheetSchema


def open_reg(st: AppState, *, create: bool = True, check_version: bool = True) -> Registry:
    """The registry named by --db / LABORCLI_DB / ./laborcli.db, closed with the command."""
    from laborcli.registry import open_registry

    reg = open_registry(st.db, create=create, check_version=check_version)
    st.opened.append(reg)
    return reg


def policy(st: AppState) -> Policy:
    """The county policy (--policy, else the shipped defaults)."""
    from laborcli.policy import load_policy

    return load_policy(Path(st.policy) if st.policy else None)


def sheet_schema(st: AppState, kind: str | None = None) -> SheetSchema:
    """The schema of a kind of sheet: --schema when it is of that kind (or no kind is
    asked for), else the shipped one. --schema names the county's own definition of one
    kind; a command that reads village sheets refuses a schema of another kind."""
    from laborcli.errors import UsageError
    from laborcli.sheets.schema import load_schema

    if st.schema:
        own = load_schema(Path(st.schema))
        if kind is None or own.kind == kind:
            return own
        if kind == "village":
            raise UsageError(
                pick(
                    f"--schema {st.schema} 是 {own.kind} 表的定义, 此命令需要村花名册 (village) 的定义",
                    f"--schema {st.schema} defines a {own.kind} sheet; this command reads village sheets",
                )
            )
    return load_schema(kind=kind or "village")


def settings(
    st: AppState,
    *,
    strict: bool = False,
    township: str | None = None,
    village: str | None = None,
    kind: str | None = None,
) -> Settings:
    """How sheets are read: the kind's schema and the row options."""
    from laborcli.sheets.checking import Settings

    return Settings(
        schema=sheet_schema(st, kind),
        strict=strict,
        defaults={k: v for k, v in (("township", township), ("village", village)) if v},
        today=dt.date.today(),
        income_max=policy(st).income.max_monthly_yuan,
    )


def reference_date(st: AppState, reg: Registry, text: str | None) -> dt.date:
    """--as-of, else the month end of the latest sheet imported (said on stderr), else today.

    A report run in December about November's sheets is about 30 November: today would
    title it 截至 12-01 and find every village behind.
    """
    from laborcli.cli.output import err
    from laborcli.dates import parse_as_of
    from laborcli.roster.submissions import latest_month_end

    if text:
        return parse_as_of(text)
    with reg.reading() as conn:
        d = latest_month_end(conn)
    if d is None:
        return dt.date.today()
    if not st.quiet:
        err.print(
            pick(
                f"未指定 --as-of: 按最新导入报表的月末 {d.isoformat()} 计算",
                f"no --as-of: using {d.isoformat()}, the month end of the latest sheet imported",
            )
        )
    return d
