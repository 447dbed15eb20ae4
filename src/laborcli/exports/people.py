"""The current register (``roster.people``) as a file: csv, xlsx or parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.sheets.safe import csv_safe, whole_file
from laborcli.sheets.workbook import new_workbook, write_table


def write_people(df: pd.DataFrame, path: Path, fmt: str) -> None:
    """csv (UTF-8 with BOM, so Excel reads Chinese), xlsx (text cells), or parquet."""
    if fmt == "csv":
        safe = df.map(csv_safe)
        with whole_file(path) as tmp:
            safe.to_csv(tmp, index=False, encoding="utf-8-sig")
    elif fmt == "xlsx":
        wb = new_workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "花名册"
        rows = [
            [None if (v is pd.NA or (isinstance(v, float) and v != v)) else v for v in row]
            for row in df.astype(object).itertuples(index=False, name=None)
        ]
        write_table(ws, None, list(df.columns), rows)
        with whole_file(path) as tmp:
            wb.save(tmp)
    elif fmt == "parquet":
        try:
            with whole_file(path) as tmp:
                df.to_parquet(tmp, index=False)
        except ImportError as e:
            raise UsageError(
                pick(
                    "导出 parquet 需要 pyarrow: pip install 'laborcli[parquet]' (或 pyarrow)",
                    "parquet needs pyarrow: pip install 'laborcli[parquet]' (or pyarrow)",
                )
            ) from e
    else:
        raise UsageError(
            pick(
                f"不支持的格式 {fmt}: 请用 csv、xlsx 或 parquet",
                f"unknown format {fmt}: use csv, xlsx or parquet",
            )
        )
