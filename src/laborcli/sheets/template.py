"""The blank village sheet (标准模板) that villages fill in.

Dropdowns for every vocabulary, the ID and phone columns formatted as text (so Excel
cannot turn an ID into a number and lose its last digits), a frozen header, widths, and
an instructions sheet.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from laborcli.exports.safe import set_cell
from laborcli.exports.workbook import print_setup
from laborcli.sheets.schema import SheetSchema

TEMPLATE_ROWS = 2000
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
TEXT_KINDS = ("id_number", "phone", "text", "name")


def write_template(schema: SheetSchema, path: Path) -> None:
    """Write the standard sheet and its instructions to ``path``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "劳动力信息"
    lists = wb.create_sheet("取值列表")
    for j, col in enumerate(schema.columns, start=1):
        c = ws.cell(row=1, column=j)
        set_cell(c, col.header)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = col.width
        if col.kind in ("id_number", "phone", "text", "name") or col.key in ("household_id", "group"):
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=r, column=j).number_format = "@"
        elif col.kind == "date":
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=r, column=j).number_format = "yyyy-mm-dd"
        if col.vocabulary and col.kind != "text":
            terms = schema.terms(col.vocabulary)
            for i, t in enumerate(terms, start=1):
                set_cell(lists.cell(row=i, column=j), t)
            dv = DataValidation(
                type="list",
                formula1=f"='取值列表'!${letter}$1:${letter}${len(terms)}",
                allow_blank=not col.required,
                showErrorMessage=True,
                errorTitle="取值不正确",
                error=f"请从下拉列表中选择{col.header}",
            )
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "C2"
    ws.row_dimensions[1].height = 32
    print_setup(ws, 1)
    lists.sheet_state = "hidden"
    _instructions(wb.create_sheet("填写说明"), schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _instructions(ws: object, schema: SheetSchema) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(ws, Worksheet)
    lines = [
        f"{schema.name} 填写说明",
        "1. 每人一行, 包括全体家庭成员; 每月更新后整表报送, 本表即为本村截至统计日的完整花名册。",
        "2. 身份证号码请填写完整的18位, 该列已设为文本格式; 不要复制为数字, 否则后几位会丢失。",
        "3. 日期写成 2021-03-05 或 2021年3月5日; 只知道年月可写 202103。",
        "4. 是/否 栏填写 是 或 否; 不清楚可留空。",
        "5. 就业状态、劳动能力请从下拉列表中选择。",
        "6. 月收入只填数字 (元), 如 4500。",
        "",
        "列 | 说明 | 可接受的表头别名",
    ]
    for col in schema.columns:
        vocab = "、".join(schema.terms(col.vocabulary)) if col.vocabulary else ""
        need = " (必填)" if col.required or col.key in ("name", "village") else ""
        lines.append(f"{col.header}{need} | {vocab} | {'、'.join(col.aliases)}")
    for i, line in enumerate(lines, start=1):
        set_cell(ws.cell(row=i, column=1), line)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
