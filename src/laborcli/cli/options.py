"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    """Output format of a reporting command."""

    table = "table"
    json = "json"
    csv = "csv"


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Reference date (2026-11-30) or month (2026-11); default today.")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table (default), json or csv.")]
ShowPii = Annotated[
    bool, typer.Option("--show-pii", help="Show ID numbers and phones whole (masked by default).")
]
TownshipOpt = Annotated[str | None, typer.Option("--township", help="Only this township (乡镇).")]
VillageOpt = Annotated[str | None, typer.Option("--village", help="Only this village (村/社区).")]
