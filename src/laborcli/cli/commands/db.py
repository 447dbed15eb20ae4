"""`laborcli db`: registry information, schema upgrades and backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import Format, FormatOpt
from laborcli.cli.output import err, state
from laborcli.i18n import pick

app = LaborTyper(help="The registry itself: info, upgrade, backup.")


@app.command("info")
def info(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Show the registry URL (password hidden), schema version and sizes."""
    from laborcli.cli.context import open_reg
    from laborcli.cli.views.db import show_info
    from laborcli.registry.admin import info as registry_info

    show_info(registry_info(open_reg(state(ctx), create=False, check_version=False)), fmt)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Migrate an older registry to this version's schema, keeping its data."""
    from laborcli.registry import upgrade_registry

    st = state(ctx)
    before, after = upgrade_registry(st.db)
    if not st.quiet:
        err.print(pick(f"结构版本: {before or '(空)'} → {after}", f"schema: {before or '(empty)'} → {after}"))


@app.command("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
) -> None:
    """Copy an SQLite registry safely while others use it (PostgreSQL: use pg_dump)."""
    from laborcli.cli.context import open_reg
    from laborcli.registry.admin import backup_sqlite

    st = state(ctx)
    n = backup_sqlite(open_reg(st, create=False, check_version=False), target)
    if not st.quiet:
        err.print(f"→ {target} ({n / 1e6:.1f} MB)")
