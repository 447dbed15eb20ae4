"""Options shared by several commands, and the closed sets of values options take."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    """Output format of a reporting command."""

    table = "table"
    json = "json"
    csv = "csv"


class Level(StrEnum):
    """The places a figure is counted by (`rates --by`)."""

    county = "county"
    township = "township"
    village = "village"
    group = "group"


class RankBy(StrEnum):
    """The places ranked on the Friday lists (`rank --by`)."""

    village = "village"
    township = "township"


class Metric(StrEnum):
    """What the Friday lists rank on (`rank --metric`)."""

    completion = "completion"
    transfer_rate = "transfer_rate"


class Mode(StrEnum):
    """How an imported sheet changes the registry (`import --mode`)."""

    snapshot = "snapshot"
    update = "update"


class SplitBy(StrEnum):
    """One report workbook per place (`export report --split-by`)."""

    township = "township"


class SheetKind(StrEnum):
    """The shipped sheet kinds (schemas/*_sheet.toml)."""

    village = "village"
    targets = "targets"
    leaders = "leaders"


class SheetFormat(StrEnum):
    """File format of generated sheets (`sample --format`)."""

    xlsx = "xlsx"
    csv = "csv"


class PeopleFormat(StrEnum):
    """File format of the register export (`export people --format`)."""

    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Reference date (2026-11-30) or month (2026-11); default today.")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table (default), json or csv.")]
ShowPii = Annotated[
    bool, typer.Option("--show-pii", help="Show ID numbers and phones whole (masked by default).")
]
TownshipOpt = Annotated[str | None, typer.Option("--township", help="Only this township (乡镇).")]
VillageOpt = Annotated[str | None, typer.Option("--village", help="Only this village (村/社区).")]
SheetTownship = Annotated[
    str | None, typer.Option("--township", help="Township for sheets without a 乡镇 column.")
]
SheetVillage = Annotated[
    str | None, typer.Option("--village", help="Village for sheets without a 村(社区) column.")
]
Strict = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
KindOpt = Annotated[
    SheetKind | None,
    typer.Option(
        "--kind",
        help="The kind of sheet: village (村花名册, the default) targets (年度任务表) or leaders (带头能人数据库); "
        "--schema FILE of the same kind replaces the shipped one.",
    ),
]
