"""Finding the table inside a sheet: the header row under title rows, the columns, and
the record rows below it; for every kind of sheet, as its schema declares.

Hand-made sheets put one or two title rows above the header, sometimes a second header
row for groups of columns, and a totals row or a signature line below the data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from laborcli.sheets.cells import fold, is_blank
from laborcli.sheets.reading import Cell, RawSheet
from laborcli.sheets.schema import SheetSchema

HEADER_SCAN_ROWS = 30
TOTAL_WORDS = ("合计", "小计", "总计", "总数", "共计")
_TOTAL_CHARS = frozenset("计数計數")
FOOTER_WORDS = (
    "填报人",
    "填表人",
    "审核人",
    "制表人",
    "负责人",
    "联系人",
    "填报日期",
    "填表日期",
    "说明",
    "注:",
    "注：",
)


@dataclass(slots=True)
class Table:
    """Where the register is in a sheet."""

    sheet: str
    header_row: int  # Excel row number of the header
    columns: dict[str, int]  # column key -> 0-based column index
    headers: dict[str, str]  # column key -> header text as written
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (key, header text) seen again
    repeats: list[int] = field(default_factory=list)  # the column index of each of ``duplicates``
    unmapped: list[int] = field(default_factory=list)  # column indexes not in the schema


def _header_matches(row: list[Cell], schema: SheetSchema) -> int:
    lookup = schema.header_lookup
    keys = {lookup.get(fold(str(c))) for c in row if isinstance(c, str) and c.strip()}
    keys.discard(None)
    return len(keys)


def locate(sheet: RawSheet, schema: SheetSchema) -> Table | None:
    """The table of a sheet, or None when no row looks like the kind's header (for a
    village sheet, a row naming 姓名 and two more of its columns)."""
    best_i, best_n = -1, 0
    for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        n = _header_matches(row, schema)
        if n > best_n:
            best_i, best_n = i, n
    if best_n < min(schema.info.min_header_matches, len(schema.columns)):
        return None
    lookup = schema.header_lookup
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    header = list(sheet.rows[best_i])
    last = best_i
    # A two-row header: a group heading (就业信息) merged over sub-headers on the next row, the
    # other headers merged down over both rows (Excel keeps a merged value in its top cell).
    for k in (best_i + 1, best_i - 1):
        if 0 <= k < len(sheet.rows) and _header_matches(sheet.rows[k], schema) >= 2:
            header = _combine(header, sheet.rows[k], lookup)
            last = max(last, k)
            break
    table = Table(sheet=sheet.name, header_row=last + 1, columns=columns, headers=headers)
    for j, cell in enumerate(header):
        text = str(cell) if cell is not None else ""
        key = lookup.get(fold(text)) if text.strip() else None
        if key is None:
            table.unmapped.append(j)
        elif key in columns:
            table.duplicates.append((key, text))
            table.repeats.append(j)
        else:
            columns[key] = j
            headers[key] = text
    if any(k not in columns for k in schema.info.header_keys):
        return None
    return table


def title_rows(sheet: RawSheet, table: Table, schema: SheetSchema) -> list[str]:
    """The text of each non-blank row above a table's header (its title, 统计时间, 填报单位
    lines; not the upper row of a two-row header), the cells of a row joined by two spaces:
    where a sheet names its month or village when its columns and file name do not."""
    lines = []
    for row in sheet.rows[: max(0, table.header_row - 1)]:
        cells = [str(v).strip() for v in row if not is_blank(v)]
        if cells and _header_matches(row, schema) < 2:
            lines.append("  ".join(cells))
    return lines


def _combine(row: list[Cell], other: list[Cell], lookup: dict[str, str]) -> list[Cell]:
    """The header row with the other row's headers filled in where it names no column."""
    out = list(row) + [None] * max(0, len(other) - len(row))
    for j, cell in enumerate(other):
        mine = out[j]
        mine_key = lookup.get(fold(str(mine))) if mine is not None and str(mine).strip() else None
        if mine_key is None and cell is not None and str(cell).strip() and lookup.get(fold(str(cell))):
            out[j] = cell
    return out


def _record_columns(table: Table, schema: SheetSchema) -> list[int]:
    """The columns that say whose row it is, and the unknown ones: a totals word there
    marks a totals row."""
    return [table.columns[k] for k in schema.info.record_keys if k in table.columns] + table.unmapped


def is_totals_row(row: list[Cell], table: Table, schema: SheetSchema) -> bool:
    """A 合计/小计 row: a totals word where a record's identifying cells would be."""
    idx = _record_columns(table, schema)
    for j in idx:
        if j < len(row):
            v = row[j]
            # Every totals word has one of these characters; fold only the cells that could match.
            if isinstance(v, str) and _TOTAL_CHARS.intersection(v) and fold(v).startswith(TOTAL_WORDS):
                return True
    return False


@dataclass(slots=True)
class RecordRows:
    """The record rows of a table, held column by column (validation works on columns)."""

    numbers: list[int]  # the Excel row number of each record row
    columns: list[Sequence[Cell]]  # columns[j][i]: sheet column j of record row i (None if short)
    width: int

    def column(self, j: int) -> list[Cell]:
        """Sheet column j of every record row; None throughout when the sheet has no such column."""
        if j >= self.width:
            return [None] * len(self.numbers)
        return list(self.columns[j])


def record_rows(raw: RawSheet, table: Table, schema: SheetSchema) -> RecordRows:
    """Every record row under the header, as columns: blank rows, totals, footers and
    repeated headers left out.

    The sheet is turned into columns once. The four row tests run only on the rows that
    could fail one of them, found through each column's distinct values: a row whose record
    key (姓名 for a village sheet) is no header word, with no totals character in its
    identifying cells, is a record; testing every row would cost a Python call per row.
    """
    start = table.header_row
    body = raw.rows[start:]
    width = max(map(len, body), default=0)
    if any(len(r) != width for r in body):
        body = [list(r) + [None] * (width - len(r)) for r in body]
    columns: list[Sequence[Cell]] = list(zip(*body, strict=True)) if body else []
    suspects: set[int] = set()
    lookup = schema.header_lookup
    key = schema.info.record_key
    name_j = table.columns[key]
    if name_j < width:
        chars = schema.header_chars[key]
        odd = {
            v
            for v in set(columns[name_j])
            if v is None
            or (
                isinstance(v, str)
                and (
                    not v.strip()
                    or (
                        (not chars.isdisjoint(v) or not unicodedata.is_normalized("NFKC", v))
                        and lookup.get(fold(v)) == key
                    )
                )
            )
        }
        if odd:
            suspects.update(i for i, v in enumerate(columns[name_j]) if v in odd)
    else:
        suspects.update(range(len(body)))
    for j in _record_columns(table, schema):
        if j >= width:
            continue
        if not _may_hold_totals(columns[j]):
            continue
        marked = {v for v in set(columns[j]) if isinstance(v, str) and not _TOTAL_CHARS.isdisjoint(v)}
        if marked:
            suspects.update(i for i, v in enumerate(columns[j]) if v in marked)
    drop = {
        i
        for i in suspects
        if is_blank_row(body[i])
        or is_totals_row(body[i], table, schema)
        or is_footer_row(body[i], table, schema)
        or is_repeated_header(body[i], table, schema)
    }
    numbers = list(range(start + 1, start + 1 + len(body)))
    if drop:
        numbers = without(numbers, drop)
        columns = [without(c, drop) for c in columns]
    return RecordRows(numbers, columns, width)


def _may_hold_totals(column: Sequence[Cell]) -> bool:
    """Whether a text cell of the column has a totals character: the column's text joined
    and searched in C, rather than each distinct cell tested in Python."""
    try:
        text = "\x00".join(column)  # type: ignore[arg-type]
    except TypeError:  # numbers or empty cells among the text
        text = "\x00".join([v for v in column if isinstance(v, str)])
    return any(ch in text for ch in _TOTAL_CHARS)


def without(seq: Sequence[Any], drop: Collection[int]) -> list[Any]:
    """``seq`` less the items at the indexes ``drop``: the runs between them, sliced in C
    (a few dropped rows must not cost a Python step per kept cell)."""
    out: list[Any] = []
    start = 0
    for i in sorted(drop):
        out.extend(seq[start:i])
        start = i + 1
    out.extend(seq[start:])
    return out


def is_footer_row(row: list[Cell], table: Table, schema: SheetSchema) -> bool:
    """A signature or note line under the table (填报人: ..., 说明: ...), with no record key."""
    name_j = table.columns[schema.info.record_key]
    if name_j < len(row) and not is_blank(row[name_j]):
        return False
    texts = [fold(str(v)) for v in row if not is_blank(v)]
    return bool(texts) and all(isinstance(t, str) and t.startswith(FOOTER_WORDS) for t in texts)


def is_blank_row(row: list[Cell]) -> bool:
    """Every cell empty."""
    return all(is_blank(v) for v in row)


def is_repeated_header(row: list[Cell], table: Table, schema: SheetSchema) -> bool:
    """The header printed again further down (pages pasted together)."""
    key = schema.info.record_key
    name_j = table.columns[key]
    v = row[name_j] if name_j < len(row) else None
    return isinstance(v, str) and schema.header_lookup.get(fold(v)) == key
