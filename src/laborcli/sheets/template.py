"""The blank sheet (标准模板) of a sheet kind, that villages and offices fill in.

Dropdowns for every closed vocabulary, text columns (IDs, phones) formatted as text (so
Excel cannot turn an ID into a number and lose its last digits), a frozen header, widths,
and an instructions sheet: all from the kind's schema.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from laborcli.sheets.safe import set_cell, whole_file
from laborcli.sheets.schema import SheetSchema
from laborcli.sheets.workbook import font, new_workbook, print_setup

TEMPLATE_ROWS = 2000
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
# Columns formatted as text: Excel would turn an ID or a phone typed as digits into a number.
TEXT_TYPES = ("id_number", "phone", "text", "name")


def write_template(schema: SheetSchema, path: Path) -> None:
    """Write the kind's blank sheet and its instructions to ``path``."""
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = schema.info.template_sheet
    lists = wb.create_sheet("取值列表")
    for j, col in enumerate(schema.columns, start=1):
        c = ws.cell(row=1, column=j)
        set_cell(c, col.header)
        c.font = font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = col.width
        if col.type in TEXT_TYPES:
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=r, column=j).number_format = "@"
        elif col.type == "date":
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=r, column=j).number_format = "yyyy-mm-dd"
        if col.closed and col.vocabulary:
            terms = schema.terms(col.vocabulary)
            for i, t in enumerate(terms, start=1):
                set_cell(lists.cell(row=i, column=j), t)
            dv = DataValidation(
                type="list",
                formula1=f"='取值列表'!${letter}$1:${letter}${len(terms)}",
                allow_blank=not schema.is_required(col.key),
                showErrorMessage=True,
                errorTitle="取值不正确",
                error=f"请从下拉列表中选择{col.header}",
            )
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "C2" if len(schema.columns) > 4 else "A2"
    ws.row_dimensions[1].height = 32
    print_setup(ws, 1)
    lists.sheet_state = "hidden"
    _instructions(wb.create_sheet("填写说明"), schema)
    with whole_file(path) as tmp:
        wb.save(tmp)


def _instructions(ws: object, schema: SheetSchema) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(ws, Worksheet)
    lines = [
        f"{schema.name} 填写说明",
        *schema.info.instructions,
        "",
        "列 | 说明 | 可接受的表头别名",
    ]
    for col in schema.columns:
        vocab = "、".join(schema.terms(col.vocabulary)) if col.vocabulary else ""
        need = " (必填)" if schema.is_required(col.key) else ""
        lines.append(f"{col.header}{need} | {vocab} | {'、'.join(col.aliases)}")
    for i, line in enumerate(lines, start=1):
        set_cell(ws.cell(row=i, column=1), line)
    ws.cell(row=1, column=1).font = font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
