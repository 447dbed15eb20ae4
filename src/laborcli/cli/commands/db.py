"""`laborcli db`: registry information, schema upgrades and backups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from laborcli.cli.options import Format, FormatOpt
from laborcli.cli.output import err, out, print_json, state, table

if TYPE_CHECKING:
    pass

app = typer.Typer(help="The registry itself: info, upgrade, backup.")


@app.command("info")
def info(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """Show the registry URL (password hidden), schema version and sizes."""
    from laborcli.registry import open_registry
    from laborcli.registry.admin import info as registry_info

    st = state(ctx)
    reg = open_registry(st.db, create=False, check_version=False)
    st.opened.append(reg)
    data = registry_info(reg)
    if fmt is Format.json:
        print_json(data)
        return
    rows = [
        ["地址 (URL)", data["url"]],
        ["后端", data["backend"]],
        ["结构版本", f"{data['schema']} (本程序 {data['tool_schema']})"],
        ["村数", data["villages"]],
        ["统计日期", f"{data['first_as_of'] or '—'} … {data['last_as_of'] or '—'}"],
    ]
    rows += [[f"表 {k}", f"{v:,}"] for k, v in data["tables"].items()]
    if "file_bytes" in data:
        rows.append(["文件大小", f"{data['file_bytes'] / 1e6:.1f} MB"])
    out.print(table("数据库信息", ["项目", "值"], rows))


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Migrate an older registry to this version's schema, keeping its data."""
    from laborcli.registry import upgrade_registry

    st = state(ctx)
    before, after = upgrade_registry(st.db)
    if not st.quiet:
        err.print(f"结构版本: {before or '(空)'} → {after}")


@app.command("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
) -> None:
    """Copy an SQLite registry safely while others use it (PostgreSQL: use pg_dump)."""
    from laborcli.registry import open_registry
    from laborcli.registry.admin import backup_sqlite

    st = state(ctx)
    reg = open_registry(st.db, create=False, check_version=False)
    st.opened.append(reg)
    n = backup_sqlite(reg, target)
    if not st.quiet:
        err.print(f"→ {target} ({n / 1e6:.1f} MB)")
