"""Options shared by several commands, and the closed sets of values options take."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from laborcli.i18n import pick


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
    demand = "demand"
    training = "training"


class TrainingBy(StrEnum):
    """The rows of `training --by`."""

    type = "type"
    institution = "institution"
    county = "county"
    township = "township"
    village = "village"


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
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Reference date (2026-11-30) or month (2026-11); default: the month end of the latest sheet imported.",
    ),
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
        help="The kind of sheet: village (村花名册, the default), targets (年度任务表), leaders (带头能人数据库), "
        "demand (企业用工需求登记表) or training (培训花名册); "
        "--schema FILE of the same kind replaces the shipped one.",
    ),
]


def output_file(*suffixes: str) -> Callable[[typer.Context, typer.CallbackParam, Any], Any]:
    """A check that an output file's name ends in one of ``suffixes`` (``""``: a folder).

    An officer who types ``-o 报表.xls`` or ``--export 红黑榜.pdf`` would otherwise get an
    .xlsx under that name, which Excel refuses or the printer cannot print.
    """

    def check(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
        # An existing folder is refused by the command, which says so (safe.writable_file).
        if value is None or Path(str(value)).is_dir():
            return value
        if Path(str(value)).suffix.lower() not in suffixes:
            from laborcli.errors import UsageError

            exts = "/".join(s for s in suffixes if s)
            folder = "" in suffixes
            option = max(param.opts, key=len)
            raise UsageError(
                pick(
                    f"{option} {value}: 这里只能写 {exts} 文件" + ("或文件夹" if folder else ""),
                    f"{option} {value}: laborcli writes {exts} files here"
                    + (" or a folder" if folder else ""),
                )
            )
        return value

    return check


def written_file_option(suffix: str, help: str, *names: str) -> Any:
    """An option naming a file of ``suffix`` that a command writes (``--export`` unless
    ``names``): its placeholder and the check of the name."""
    return typer.Option(
        *(names or ("--export",)), metavar=f"FILE{suffix}", callback=output_file(suffix), help=help
    )


def workbook_option(help: str, *names: str) -> Any:
    """An option naming the .xlsx that a command writes (``--export`` unless ``names``)."""
    return written_file_option(".xlsx", help, *names)


Wide = Annotated[
    bool, typer.Option("--wide", help="Show every column of the table, however wide the terminal.")
]
TableExport = Annotated[
    Path | None, workbook_option("Also write the table to a print-ready .xlsx workbook with Chinese headers.")
]
ExcelCsv = Annotated[
    Path | None,
    written_file_option(
        ".csv", "Also write the table as a CSV for Excel: UTF-8 with BOM, Chinese headers.", "--excel"
    ),
]
