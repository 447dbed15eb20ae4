"""Building village sheets inside tests (xlsx, csv in any encoding), never committed blobs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from laborcli.sheets.idcard import check_digit
from laborcli.sheets.schema import load_schema

# Standard headers in the template's order, from the shipped schema (their one home).
HEADER = {c.key: c.header for c in load_schema().columns}
STANDARD = list(HEADER.values())


def make_id(birth: dt.date, seq: int = 1, male: bool = True, area: str = "530627") -> str:
    """A valid 18-digit ID for a birth date; the 17th digit carries the gender."""
    s3 = f"{seq % 50:02d}" + str((1 if male else 0) + 2 * (seq % 5))[-1]
    if (int(s3[-1]) % 2 == 1) != male:
        s3 = s3[:2] + str((int(s3[-1]) + 1) % 10)
    body = f"{area}{birth:%Y%m%d}{s3}"
    return body + check_digit(body)


def person(
    name: str,
    birth: dt.date,
    *,
    status: str = "县外务工",
    male: bool = True,
    seq: int = 1,
    township: str = "甲镇",
    village: str = "一村",
    group: str = "1组",
    household: str = "H001",
    poor: str = "否",
    relocated: str = "否",
    capacity: str = "普通劳动力",
    organised: str = "",
    job_start: object = "",
    income: object = "",
    phone: object = "",
    id_number: object | None = None,
    relation: str = "户主",
    gender: str | None = None,
    birth_cell: object | None = None,
) -> dict[str, object]:
    """One row of a standard sheet as {header: value}."""
    by_key: dict[str, object] = {
        "township": township,
        "village": village,
        "group": group,
        "household_id": household,
        "relation": relation,
        "household_size": 1,
        "name": name,
        "id_number": make_id(birth, seq, male) if id_number is None else id_number,
        "gender": gender if gender is not None else ("男" if male else "女"),
        "birth_date": birth if birth_cell is None else birth_cell,
        "ethnicity": "汉族",
        "education": "初中",
        "phone": phone,
        "poor_household": poor,
        "relocated": relocated,
        "monitored": "否",
        "labour_capacity": capacity,
        "skills": "",
        "training_wish": "",
        "job_intention": "",
        "employment_status": status,
        "work_place": "",
        "employer": "",
        "job_start": job_start,
        "monthly_income": income,
        "organised": organised,
        "organiser": "",
        "remarks": "",
    }
    return {header: by_key[key] for key, header in HEADER.items()}


def write_xlsx(
    path: Path,
    people: Sequence[dict[str, object]],
    *,
    headers: Sequence[str] = STANDARD,
    title_rows: Sequence[Sequence[object]] = (),
    sheet: str = "Sheet1",
    extra_rows: Sequence[Sequence[object]] = (),
    rename: dict[str, str] | None = None,
) -> Path:
    """An .xlsx with optional title rows above the header and extra rows (totals) below."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for t in title_rows:
        ws.append(list(t))
    ws.append([(rename or {}).get(h, h) for h in headers])
    for p in people:
        ws.append([p.get(h, "") for h in headers])
    for r in extra_rows:
        ws.append(list(r))
    wb.save(path)
    return path


def csv_text(
    people: Sequence[dict[str, object]],
    *,
    headers: Sequence[str] = STANDARD,
    title_rows: Sequence[Sequence[object]] = (),
    extra_rows: Sequence[Sequence[object]] = (),
    delimiter: str = ",",
) -> str:
    """The CSV text of a sheet (dates as ISO text)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for t in title_rows:
        w.writerow(t)
    w.writerow(headers)
    for p in people:
        w.writerow([_text(p.get(h, "")) for h in headers])
    for r in extra_rows:
        w.writerow(r)
    return buf.getvalue()


def write_csv(
    path: Path, people: Sequence[dict[str, object]], *, encoding: str = "utf-8-sig", **kw: object
) -> Path:
    """A CSV file in utf-8-sig (UTF-8 with BOM), utf-8 or gb18030."""
    path.write_bytes(csv_text(people, **kw).encode(encoding))  # type: ignore[arg-type]
    return path


def _text(v: object) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else str(v)


def _rows_of(
    people: Sequence[dict[str, object]],
    headers: Sequence[str],
    title_rows: Sequence[Sequence[object]],
) -> list[list[object]]:
    return [*map(list, title_rows), list(headers), *([p.get(h, "") for h in headers] for p in people)]


def write_xls(
    path: Path,
    people: Sequence[dict[str, object]],
    *,
    headers: Sequence[str] = STANDARD,
    title_rows: Sequence[Sequence[object]] = (),
) -> Path:
    """A binary workbook (BIFF8 in an OLE2 compound file, as Excel 97-2003 writes .xls and WPS
    writes .et), dates as date cells; the name may end in .xls or .et."""
    import xlwt  # a test dependency (pyproject's [test])

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    as_date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for i, row in enumerate(_rows_of(people, headers, title_rows)):
        for j, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write(i, j, v, as_date)
            elif v not in ("", None):
                ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


_ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
    "</office:document-content>"
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/"'
    ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def write_ods(
    path: Path,
    people: Sequence[dict[str, object]],
    *,
    headers: Sequence[str] = STANDARD,
    title_rows: Sequence[Sequence[object]] = (),
    sheet: str = "Sheet1",
) -> Path:
    """An OpenDocument spreadsheet as LibreOffice lays it out: the mimetype member first and
    stored, then content.xml; text, number and date cells."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def cell(v: object) -> str:
        if v in ("", None):
            return "<table:table-cell/>"
        if isinstance(v, dt.date):
            return f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}"/>'
        if isinstance(v, int | float) and not isinstance(v, bool):
            return f'<table:table-cell office:value-type="float" office:value="{v}"/>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    rows = "".join(
        "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>"
        for row in _rows_of(people, headers, title_rows)
    )
    tables = f"<table:table table:name={quoteattr(sheet)}>{rows}</table:table>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", _ODS_CONTENT.format(tables=tables), compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())
    return path
