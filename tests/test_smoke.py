"""The shortest path through the tool: import a sheet, see its figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import Cli
from tests.sheets import person, write_xlsx


def test_import_then_rates_counts_the_labour_force(cli: Cli, tmp_path: Path) -> None:
    f = write_xlsx(
        tmp_path / "甲镇_一村_2026-11.xlsx",
        [
            person("张三", dt.date(1990, 5, 1), seq=1),
            person("李四", dt.date(1992, 6, 1), seq=2, status="务农", household="H002"),
            person("王五", dt.date(2012, 1, 1), seq=3, status="在校学生", household="H002"),
        ],
    )
    rep = cli.json("import", str(f))
    assert rep["files"][0]["status"] == "imported"
    assert rep["totals"]["rows_imported"] == 3
    rates = cli.json("rates", "--as-of", "2026-11-30", "--by", "village")
    row = rates["rows"][0]
    assert (
        row["labour_force"],
        row["transferred"],
        row["households"],
        row["zero_employment_households"],
    ) == (2, 1, 2, 1)
    assert row["transfer_rate"] == 0.5
