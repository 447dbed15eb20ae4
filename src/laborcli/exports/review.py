"""The dedup review workbook: one block per cluster, a decision column with a dropdown.

The reviewer picks 同一人 or 不同人 in the first row of a block; `dedup apply` reads the
hidden person-key column, so the decision is kept by person, not by row or import.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from laborcli.errors import InputFileError, UsageError
from laborcli.i18n import pick
from laborcli.identity.clusters import Cluster
from laborcli.identity.decisions import row_token
from laborcli.identity.privacy import Mask
from laborcli.sheets.safe import whole_file
from laborcli.sheets.workbook import font, new_workbook, write_table

HEADERS = [
    "组号",
    "判定",
    "得分",
    "理由",
    "来源文件",
    "工作表",
    "行号",
    "乡镇",
    "村(社区)",
    "姓名",
    "身份证号码",
    "人员键",
    "组键",
]
SAME, DIFFERENT = "同一人", "不同人"
BLOCK_FILL = PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
DECISION_ZH = {"same": "同一人(已确认)", "probable": "", "different": DIFFERENT}


def write_review(clusters: list[Cluster], path: Path, mask: Mask) -> None:
    """Write the review workbook; only probable and different clusters get a choice."""
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "待核查"
    rows: list[list[object]] = []
    shade: list[bool] = []
    for n, c in enumerate(clusters):
        for i, r in enumerate(c.records):
            first = i == 0
            rows.append(
                [
                    c.cluster_id if first else "",
                    (DECISION_ZH[c.decision] if first else ""),
                    round(c.score, 3) if first else None,
                    "；".join(c.reasons) if first else "",
                    r.source,
                    r.sheet,
                    r.row,
                    r.township,
                    r.village,
                    r.name,
                    mask.id(r.id_number),
                    row_token(r.row_id),
                    c.cluster_id,
                ]
            )
            shade.append(n % 2 == 0)
    h = write_table(
        ws,
        "重复登记核查表 (在“判定”列选择 同一人 或 不同人, 然后运行 laborcli dedup apply)",
        HEADERS,
        rows,
        widths=[13, 14, 7, 40, 28, 10, 6, 10, 10, 10, 21, 10, 10],
    )
    for i, sh in enumerate(shade, start=h + 1):
        if sh:
            for j in range(1, len(HEADERS) + 1):
                ws.cell(row=i, column=j).fill = BLOCK_FILL
    dv = DataValidation(type="list", formula1=f'"{SAME},{DIFFERENT}"', allow_blank=True)
    dv.add(f"B{h + 1}:B{h + max(1, len(rows))}")
    ws.add_data_validation(dv)
    ws.column_dimensions["L"].hidden = True
    ws.column_dimensions["M"].hidden = True
    ws.cell(row=h, column=2).font = font(bold=True, color="FFC00000")
    with whole_file(path) as tmp:
        wb.save(tmp)


def _verdict(text: str) -> str | None:
    """'same', 'different', None for blank or the unchanged confirmed label; ValueError else."""
    d = text.strip()
    if not d or d == DECISION_ZH["same"]:
        return None
    if d == SAME:
        return "same"
    if d == DIFFERENT:
        return "different"
    raise ValueError(d)


def read_review(path: Path) -> list[tuple[str, str, str]]:
    """(key_a, key_b, 'same'|'different') for every cluster with a decision filled in.

    Rows belong to clusters by the hidden 组键 column, not by where they stand, so a
    reviewer may sort or filter the sheet. A decision that is not one of the dropdown's
    choices, or two different decisions for one cluster, stop the whole apply.
    """
    if not path.is_file():
        raise UsageError(pick(f"文件不存在: {path}", f"no such file: {path}"))
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:
        raise InputFileError(
            f"{path.name}: " + pick(f"无法读取核查表: {e}", f"cannot read the review workbook: {e}")
        ) from e
    try:
        ws = wb["待核查"] if "待核查" in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()
        header_seen = False
        keys: dict[str, set[str]] = {}
        verdicts: dict[str, str] = {}
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = list(row) + [None] * (len(HEADERS) - len(row))
            if not header_seen:
                header_seen = cells[0] == HEADERS[0] and cells[len(HEADERS) - 1] == HEADERS[-1]
                continue
            dec, key, cid = cells[1], cells[len(HEADERS) - 2], cells[len(HEADERS) - 1]
            if not cid:
                continue
            cid = str(cid)
            if key:
                keys.setdefault(cid, set()).add(str(key))
            try:
                v = _verdict(str(dec or ""))
            except ValueError as e:
                raise InputFileError(
                    f"{path.name}: 第{n}行 判定 “{e}” 无效, 只能填 {SAME} 或 {DIFFERENT}"
                ) from None
            if v is None:
                continue
            if verdicts.setdefault(cid, v) != v:
                raise InputFileError(
                    f"{path.name}: "
                    + pick(
                        f"第{n}行 组 {cid} 的判定前后矛盾 ({SAME} 与 {DIFFERENT})",
                        f"row {n}: cluster {cid} is marked both {SAME} and {DIFFERENT}",
                    )
                )
    finally:
        wb.close()
    if not header_seen:
        raise InputFileError(
            f"{path.name}: "
            + pick(
                "不是 laborcli 导出的核查表 (找不到表头)", "not a review workbook laborcli wrote (no header)"
            )
        )
    out: list[tuple[str, str, str]] = []
    for cid, verdict in sorted(verdicts.items()):
        ks = sorted(keys.get(cid, set()))
        out.extend((ks[0], k, verdict) for k in ks[1:])
    return out
