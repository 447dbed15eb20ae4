"""Bytes of a one-sheet workbook: a minimal .xlsx written directly, or CSV as Excel saves it.

openpyxl (even write-only, without lxml) is far too slow for an 800,000-person county, so
sheets are written as minimal SpreadsheetML parts directly (shared strings, one date
style, the ID and phone columns formatted as text, every cell with its reference).
calamine and openpyxl read them (tested), and so does LibreOffice (checked when this was
written); the parts are a subset of what Excel writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Literal
from xml.sax.saxutils import escape

from laborcli.sheets.safe import csv_safe

Fmt = Literal["xlsx", "csv"]
SheetCell = str | int | float | dt.date | None


def col_letter(i: int) -> str:
    """The column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


_LETTERS = [col_letter(i) for i in range(128)]
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = "http://schemas.openxmlformats.org"
_CONTENT_TYPES = (
    _XML + f'<Types xmlns="{_NS}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_NS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    _XML + f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" '
    f'xmlns:r="{_NS}/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_NS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_NS}/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
# Cell styles: 0 general, 1 date (yyyy-mm-dd), 2 text (@, as the template formats ID columns).
_STYLES = (
    _XML + f'<styleSheet xmlns="{_NS}/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


_ROW = "\x00"  # stands for the row number in cached cells (XML text can never contain it)


class _Cells(dict[SheetCell, str]):
    """Per column: value -> its whole cell element, with ``_ROW`` where the row number goes."""

    def __init__(self, letter: str, text: bool, sst: dict[str, int]) -> None:
        super().__init__()
        self.head = f'<c r="{letter}{_ROW}'
        self.text = text  # string cells formatted as text (@), as the template's ID column
        self.sst = sst

    def __missing__(self, v: SheetCell) -> str:
        if isinstance(v, str):
            if not v:
                out = f'{self.head}"/>'
            else:
                k = self.sst.get(v)
                if k is None:
                    k = self.sst[v] = len(self.sst)
                style = ' s="2"' if self.text else ""
                out = f'{self.head}"{style} t="s"><v>{k}</v></c>'
        elif isinstance(v, bool):
            raise TypeError("boolean cell")
        elif isinstance(v, int | float):
            out = f'{self.head}"><v>{v!r}</v></c>'
        elif isinstance(v, dt.date):
            out = f'{self.head}" s="1"><v>{(v - _EXCEL_EPOCH).days}</v></c>'
        else:
            raise TypeError(f"cell of type {type(v).__name__}")
        self[v] = out
        return out


def xlsx_bytes(
    rows: Sequence[Sequence[SheetCell]],
    *,
    sheet: str = "Sheet1",
    merges: Sequence[str] = (),
    widths: Sequence[float] = (),
    text_cols: Iterable[int] = (),
    when: dt.date = dt.date(2026, 1, 1),
) -> bytes:
    """A one-sheet .xlsx: text as shared strings (so IDs stay text), dates as date cells.

    Empty rows are left out (a reader sees them as blank rows); ``when`` is the time stamp
    stored in the zip, fixed so that the same rows always give the same bytes.
    """
    sst: dict[str, int] = {}
    text = frozenset(text_cols)
    parts = [_XML, f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main">']
    if widths:
        parts.append("<cols>")
        parts.extend(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1)
        )
        parts.append("</cols>")
    parts.append("<sheetData>")
    ap = parts.append
    # A cell's element depends only on its column, its value and the row number, so each
    # column caches it per value (statuses, yes/no marks and places repeat all sheet long)
    # with a placeholder for the row number, filled in once per row.
    ncols = max((len(r) for r in rows), default=0)
    columns = [_Cells(_LETTERS[j], j in text, sst) for j in range(ncols)]
    for r, row in enumerate(rows, start=1):
        if row:
            cells = "".join([c[v] for c, v in zip(columns, row, strict=False) if v is not None])
            ap(f'<row r="{_ROW}">{cells}</row>'.replace(_ROW, str(r)))
    ap("</sheetData>")
    if merges:
        ap(f'<mergeCells count="{len(merges)}">')
        parts.extend(f'<mergeCell ref="{m}"/>' for m in merges)
        ap("</mergeCells>")
    ap("</worksheet>")
    strings = [
        _XML,
        f'<sst xmlns="{_NS}/spreadsheetml/2006/main" count="{len(sst)}" uniqueCount="{len(sst)}">',
    ]
    strings.extend(
        f'<si><t xml:space="preserve">{escape(s) if ("&" in s or "<" in s or ">" in s) else s}</t></si>'
        for s in sst
    )
    strings.append("</sst>")
    stamp = (when.year, when.month, when.day, 9, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _WORKBOOK.replace("{name}", escape(sheet, {'"': "&quot;"}))),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
            ("xl/worksheets/sheet1.xml", "".join(parts)),
            ("xl/sharedStrings.xml", "".join(strings)),
        ):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body.encode("utf-8"), compresslevel=1)
    return buf.getvalue()


def _csv_text(v: SheetCell) -> str:
    """A cell as text, as Excel writes it to CSV."""
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else str(v)
    return str(v)


def csv_bytes(rows: Sequence[Sequence[SheetCell]], encoding: str = "utf-8-sig") -> bytes:
    """CSV as Excel saves it (CRLF), in UTF-8 with a BOM or GB18030; empty rows as blank lines.

    Cells pass through ``csv_safe`` like every CSV the tool writes (none of the generated
    values starts like a formula, so nothing changes).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow([csv_safe(_csv_text(v)) for v in row])
    return buf.getvalue().encode(encoding)
