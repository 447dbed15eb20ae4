"""The dedup review workbook: one block per cluster, a decision and a 归属村 column.

The reviewer picks 同一人 or 不同人 in a block, and for one person listed in several
villages, which village keeps them (归属村, a dropdown of the villages of the block's
records). Beside each record stand what a decision rests on: group, household and its
户主, relation, birth date, masked phone and status. `dedup apply` reads the hidden
signed row tokens, so a decision is kept by person, not by row or import, and a token
changed or moved to another block is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.errors import InputFileError, UsageError
from laborcli.i18n import pick
from laborcli.identity.clusters import Cluster
from laborcli.identity.decisions import (
    Applied,
    ReviewLine,
    ReviewSheet,
    Tokens,
    Verdict,
    apply_review,
    village_label,
)
from laborcli.identity.privacy import Mask
from laborcli.sheets.problems import ProblemCode, make_problem
from laborcli.sheets.safe import set_cell, whole_file
from laborcli.sheets.workbook import font, new_workbook, write_table

if TYPE_CHECKING:
    from laborcli.registry import Registry

SHEET = "待核查"
CHOICES_SHEET = "归属村选项"
# (header, width); 组号 and 判定 stay the first two columns, the hidden ones the last two.
COLUMNS: list[tuple[str, int]] = [
    ("组号", 13),
    ("判定", 14),
    ("归属村", 16),
    ("得分", 6),
    ("理由", 28),
    ("乡镇", 10),
    ("村(社区)", 10),
    ("村民小组", 8),
    ("户编号", 12),
    ("户主", 8),
    ("与户主关系", 8),
    ("姓名", 8),
    ("身份证号码", 21),
    ("出生日期", 11),
    ("联系电话", 13),
    ("就业状态", 10),
    ("来源文件", 24),
    ("工作表", 10),
    ("行号", 6),
    ("人员键", 10),
    ("组键", 10),
]
HEADERS = [h for h, _ in COLUMNS]
COL = {h: i for i, h in enumerate(HEADERS)}
SAME, DIFFERENT = "同一人", "不同人"
BLOCK_FILL = PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
DECISION_ZH = {"same": "同一人(已确认)", "probable": "", "different": DIFFERENT}


def pending(clusters: list[Cluster], everything: bool = False) -> list[Cluster]:
    """The clusters a review workbook offers: the undecided ones, or all of them."""
    return list(clusters) if everything else [c for c in clusters if not c.decided]


def write_review(clusters: list[Cluster], path: Path, mask: Mask, signer: Tokens) -> None:
    """Write the review workbook of these clusters; a block per cluster, its first row
    carrying the cluster's number, decision and 归属村."""
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    rows: list[list[object]] = []
    blocks: list[tuple[int, int, Cluster]] = []  # first and last data line (0-based), cluster
    for c in clusters:
        start = len(rows)
        rows.extend(_record_line(c, i, mask, signer) for i in range(len(c.records)))
        blocks.append((start, len(rows) - 1, c))
    h = write_table(
        ws,
        "重复登记核查表: 在“判定”列选择 同一人 或 不同人; 同一人登记在几个村时, 在“归属村”选择"
        "由哪个村统计; 然后运行 laborcli dedup apply",
        HEADERS,
        rows,
        widths=[w for _, w in COLUMNS],
        formats={COL["出生日期"]: "yyyy-mm-dd"},
    )
    for n, (first, last, _) in enumerate(blocks):
        if n % 2 == 0:
            for i in range(h + 1 + first, h + 2 + last):
                for j in range(1, len(HEADERS) + 1):
                    ws.cell(row=i, column=j).fill = BLOCK_FILL
    dv = DataValidation(type="list", formula1=f'"{SAME},{DIFFERENT}"', allow_blank=True)
    dv.add(f"B{h + 1}:B{h + max(1, len(rows))}")
    ws.add_data_validation(dv)
    _home_choices(wb, ws, h, blocks)
    for name in ("人员键", "组键"):
        ws.column_dimensions[get_column_letter(COL[name] + 1)].hidden = True
    for name in ("判定", "归属村"):
        ws.cell(row=h, column=COL[name] + 1).font = font(bold=True, color="FFC00000")
    with whole_file(path) as tmp:
        wb.save(tmp)


def _record_line(c: Cluster, i: int, mask: Mask, signer: Tokens) -> list[object]:
    r = c.records[i]
    first = i == 0
    home = village_label(*c.home) if c.home else ""
    return [
        c.cluster_id if first else "",
        DECISION_ZH[c.decision] if first else "",
        home if first else "",
        round(c.score, 3) if first else None,
        "；".join(c.reasons) if first else "",
        r.township,
        r.village,
        r.group or "",
        r.household_id or "",
        r.head or "",
        r.relation or "",
        r.name,
        mask.id(r.id_number),
        r.birth,
        mask.phone(r.phone) or "",
        r.status or "",
        r.source,
        r.sheet,
        r.row,
        signer.sign(c.cluster_id, r.row_id),
        c.cluster_id,
    ]


def _home_choices(wb: Workbook, ws: Worksheet, h: int, blocks: list[tuple[int, int, Cluster]]) -> None:
    """A 归属村 dropdown on each block that may keep a person in one of several villages.

    The choices stand in a hidden sheet, one row per distinct list, rather than inline in
    the validation: an inline list breaks on a comma in a name and stops at 255 characters.
    """
    lists: dict[tuple[str, ...], DataValidation] = {}
    opts: Worksheet | None = None
    col = get_column_letter(COL["归属村"] + 1)
    for first, last, c in blocks:
        labels = tuple(village_label(t, v) for t, v in c.villages)
        if c.decision == "different" or len(labels) < 2:
            continue
        dv = lists.get(labels)
        if dv is None:
            if opts is None:
                opts = wb.create_sheet(CHOICES_SHEET)
                opts.sheet_state = "hidden"
            n = len(lists) + 1
            for j, label in enumerate(labels, start=1):
                set_cell(opts.cell(row=n, column=j), label)
            end = get_column_letter(len(labels))
            dv = lists[labels] = DataValidation(
                type="list", formula1=f"'{CHOICES_SHEET}'!$A${n}:${end}${n}", allow_blank=True
            )
            dv.error = pick("请选择本组记录所在的村", "choose a village of this cluster's records")
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
        dv.add(f"{col}{h + 1 + first}:{col}{h + 1 + last}")


@dataclass(slots=True)
class _Header:
    line: int
    index: dict[str, int]


def _header(ws: Any) -> tuple[_Header | None, Any]:
    """The header line of the review (found by its column names) and an iterator past it."""
    it = ws.iter_rows()
    for n, row in enumerate(it, start=1):
        names = {str(c.value).strip(): j for j, c in enumerate(row) if isinstance(c.value, str)}
        if {"判定", "人员键", "组键"} <= names.keys():
            return _Header(n, names), it
    return None, it


def _text(cell: Any) -> str:
    v = getattr(cell, "value", None)
    return "" if v is None else str(v).strip()


def read_review(path: Path) -> ReviewSheet:
    """Every line of a review workbook with its cluster, token, verdict and 归属村.

    Rows belong to clusters by the hidden 组键 column, not by where they stand, so a
    reviewer may sort or filter the sheet. Columns are found by their headers. A formula
    or a value outside the dropdown's choices is a problem at its cell; the tokens are
    checked against the registry by :func:`laborcli.identity.decisions.apply_review`.
    """
    if not path.is_file():
        raise UsageError(pick(f"文件不存在: {path}", f"no such file: {path}"))
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as e:
        raise InputFileError(
            f"{path.name}: " + pick(f"无法读取核查表: {e}", f"cannot read the review workbook: {e}")
        ) from e
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()
        sheet = ReviewSheet(ws.title, [])
        head, it = _header(ws)
        if head is not None:
            for n, row in enumerate(it, start=head.line + 1):
                line = _line(sheet, head, n, list(row))
                if line is not None:
                    sheet.lines.append(line)
    finally:
        wb.close()
    if head is None:
        raise InputFileError(
            f"{path.name}: "
            + pick(
                "不是 laborcli 导出的核查表 (找不到表头)", "not a review workbook laborcli wrote (no header)"
            )
        )
    return sheet


def _line(sheet: ReviewSheet, head: _Header, n: int, cells: list[Any]) -> ReviewLine | None:
    """One data line, or None for a line that is no record (blank, added by the reviewer)."""

    def cell(name: str) -> Any:
        j = head.index.get(name)
        return cells[j] if j is not None and j < len(cells) else None

    cid, token = _text(cell("组键")), _text(cell("人员键"))
    if not cid and not token:
        return None
    line = ReviewLine(n, cid, token)
    for name in ("判定", "归属村"):
        c = cell(name)
        text = _text(c)
        if getattr(c, "data_type", None) == "f":
            sheet.problems.append(
                make_problem(ProblemCode.REVIEW_FORMULA, sheet=sheet.sheet, row=n, column=name, value=text)
            )
        elif name == "归属村":
            line.home = text or None
        else:
            try:
                line.verdict = _verdict(text)
            except ValueError:
                sheet.problems.append(
                    make_problem(
                        ProblemCode.REVIEW_CHOICE_UNKNOWN,
                        sheet=sheet.sheet,
                        row=n,
                        column=name,
                        value=text,
                        detail=pick(f"应为 {SAME} 或 {DIFFERENT}", f"{SAME} or {DIFFERENT}"),
                    )
                )
    return line


def _verdict(text: str) -> Verdict | None:
    """'same', 'different', None for blank or the unchanged confirmed label; ValueError else."""
    if not text or text == DECISION_ZH["same"]:
        return None
    if text == SAME:
        return "same"
    if text == DIFFERENT:
        return "different"
    raise ValueError(text)


def apply_review_file(reg: Registry, path: Path) -> Applied:
    """`dedup apply`: read and check a review workbook, then record every choice in it, or
    none when any line cannot stand."""
    sheet = read_review(path)
    applied = Applied(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), problems=list(sheet.problems))
    with reg.writing() as conn:
        apply_review(conn, sheet, applied)
    applied.problems.sort(key=lambda p: (p.row, HEADERS.index(p.column) if p.column in COL else 0))
    return applied
