"""Cells that a spreadsheet must never run as formulas, and files written whole or not at all.

In xlsx every text cell is written as a string cell (openpyxl ``data_type='s'``), which no
spreadsheet evaluates; in CSV, a cell beginning with = + - @ tab or CR/LF gets a leading
apostrophe (OWASP's advice), except plain numbers such as -3.5.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: object) -> object:
    """A CSV cell that cannot start a formula."""
    if isinstance(value, str) and value.startswith(_DANGEROUS) and not _NUMBER.match(value):
        return "'" + value
    return value


def set_cell(cell: Cell, value: object, number_format: str | None = None) -> None:
    """Write a value into an openpyxl cell; text is always a string cell, never a formula."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format


@contextlib.contextmanager
def whole_file(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to, renamed over ``path`` when the block
    ends without an error and removed otherwise: an interrupted or failed write never
    leaves a half-written file, nor replaces last month's good one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.part{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
