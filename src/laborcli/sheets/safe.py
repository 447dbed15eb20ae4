"""Cells that a spreadsheet must never run as formulas.

In xlsx every text cell is written as a string cell (openpyxl ``data_type='s'``), which no
spreadsheet evaluates; in CSV, a cell beginning with = + - @ tab or CR/LF gets a leading
apostrophe (OWASP's advice), except plain numbers such as -3.5.
"""

from __future__ import annotations

import re
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
