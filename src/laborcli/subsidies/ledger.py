"""The payment ledger (docs/programmes.md "Payment ledger"): the lines exported to finance
as a workbook, the returned workbook recorded, and corrections.

Exporting keeps each line as exported (``subsidy_lines``): the returned workbook is
checked against it (an unknown 编号, a changed 金额, 已发放 on a held line). Recording is
one transaction: every row is checked first, and one error leaves the ledger as it was.
The workbook is read by its headers (编号, 发放状态, 发放日期, 原因, 金额), wherever they
stand, so finance may sort, filter and add columns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from sqlalchemy.engine import Connection

from laborcli.errors import InputFileError, UsageError
from laborcli.i18n import pick
from laborcli.identity.privacy import Mask
from laborcli.registry.engine import Registry
from laborcli.registry.tables import ledger, ledger_recordings, ledger_reopens, subsidy_lines
from laborcli.sheets.cells import ValueProblem, clean_text, fold, parse_date, parse_int
from laborcli.sheets.problems import Problem, ProblemCode, make_problem
from laborcli.sheets.safe import whole_file
from laborcli.sheets.workbook import dropdown_rows, font, new_workbook, write_table
from laborcli.subsidies.rules import (
    PURGED,
    RULE_NAMES,
    RULE_TITLES,
    Line,
    SubsidyResult,
    line_id,
    registry_secret,
)

PAID, REFUSED = "已发放", "不予发放"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
STATUS_LABEL = {"due": "待发放", "held": "暂缓", "paid": "已发放", "refused": "不予发放", "review": "待复核"}
HEADERS = [
    "编号",
    "补贴类别",
    "年度",
    "乡镇(街道)",
    "村(社区)",
    "户编号",
    "姓名",
    "身份证号码",
    "领取人",
    "金额(元)",
    "核定状态",
    "说明",
    "发放状态",
    "发放日期",
    "原因",
]
# Narrow enough that A4 landscape prints at about three quarters of the size: the long
# columns (类别, 领取人, 说明) wrap, and each row is given the lines its text needs.
WIDTHS = [21, 9, 5, 10, 9, 11, 7, 20, 13, 7, 8, 40, 9, 11, 10]
WRAPPED = ("补贴类别", "领取人", "说明")
EXPLANATION_FONT = 9


def export_lines(conn: Connection, result: SubsidyResult, path: Path, mask: Mask) -> int:
    """Write the payment workbook and keep the lines as exported; returns the rows written.

    Every line is one row of the first sheet, grouped by rule with a page break between
    rules; 发放状态 has a dropdown on lines finance may pay, none on held ones."""
    now = dt.datetime.now()
    _keep_exported(conn, result.lines, now)
    order = {r: i for i, r in enumerate(RULE_NAMES)}
    lines = sorted(
        result.lines, key=lambda ln: (order.get(ln.rule, 99), ln.township or "", ln.village or "", ln.line_id)
    )
    body = [
        [
            ln.line_id,
            RULE_TITLES.get(ln.rule, ln.rule),
            ln.year,
            ln.township or "",
            ln.village or "",
            ln.household_id or "",
            (ln.person or {}).get("name") or "",
            mask.id((ln.person or {}).get("id_number")) or "",
            ln.payee,
            ln.amount,
            STATUS_LABEL.get(ln.status, ln.status),
            ln.explanation,
            PAID if ln.status == "paid" else REFUSED if ln.status == "refused" else "",
            None,
            "",
        ]
        for ln in lines
    ]
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "补贴发放表"
    title = f"{result.year} 年补贴发放表 (截至 {result.as_of})"
    head = write_table(ws, title, HEADERS, body, WIDTHS, {13: "yyyy-mm-dd", 7: "@"})
    status_col = HEADERS.index("发放状态") + 1
    dv = DataValidation(type="list", formula1=f'"{PAID},{REFUSED}"', allow_blank=True)
    dv.error = "请从下拉列表中选择 已发放 或 不予发放, 或留空"
    ws.add_data_validation(dv)
    letter = ws.cell(row=head, column=status_col).column_letter
    _wrap_and_heights(ws, head, body)
    dropdown_rows(dv, letter, (i for i, ln in enumerate(lines, start=head + 1) if ln.status != "held"))
    for i, ln in enumerate(lines, start=head + 1):
        if i > head + 1 and lines[i - head - 2].rule != ln.rule:
            ws.row_breaks.append(Break(id=i - 1))
    ws.page_margins.left = ws.page_margins.right = 0.4
    with whole_file(path) as tmp:
        wb.save(tmp)
    return len(lines)


def _keep_exported(conn: Connection, lines: list[Line], now: dt.datetime) -> None:
    """Keep each line as exported (``subsidy_lines``), the recorded ones left as they were
    (the ledger keeps them): the lines exported before are updated, the others inserted,
    each in one batch (a county's year has tens of thousands of lines)."""
    recorded = set(conn.execute(sa.select(ledger.c.line_id)).scalars())
    before = set(conn.execute(sa.select(subsidy_lines.c.line_id)).scalars())
    fresh: list[dict[str, Any]] = []
    again: list[dict[str, Any]] = []
    for ln in lines:
        if ln.line_id in recorded:
            continue
        values = _kept(ln, now)
        if ln.line_id in before:
            again.append({"b_line_id": ln.line_id, **{f"b_{k}": v for k, v in values.items()}})
        else:
            fresh.append({"line_id": ln.line_id, **values})
    if again:
        names = [k for k in again[0] if k != "b_line_id"]
        stmt = (
            subsidy_lines.update()
            .where(subsidy_lines.c.line_id == sa.bindparam("b_line_id"))
            .values({k[2:]: sa.bindparam(k) for k in names})
        )
        conn.execute(stmt, again)
    if fresh:
        conn.execute(subsidy_lines.insert(), fresh)


def _wrap_and_heights(ws: Any, head: int, body: list[list[Any]]) -> None:
    """Every cell top-aligned, the long columns wrapped (说明 a size smaller), and each row
    given the lines its text needs: a row does not grow with wrapped text in every
    program. One style per column, copied down (styling each cell anew costs a lookup)."""
    small = font(size=EXPLANATION_FONT)
    for j in range(len(HEADERS)):
        first = ws.cell(row=head + 1, column=j + 1)
        if HEADERS[j] in WRAPPED:
            first.alignment = WRAP
            if HEADERS[j] == "说明":
                first.font = small
        else:
            first.alignment = TOP
        style = copy(first._style)
        for i in range(head + 2, head + 1 + len(body)):
            ws.cell(row=i, column=j + 1)._style = copy(style)
    for i, values in enumerate(body, start=head + 1):
        need = 15.0
        for name in WRAPPED:
            j = HEADERS.index(name)
            scale, line = (EXPLANATION_FONT / 11, 12) if name == "说明" else (1.0, 15)
            units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(values[j])) * scale
            need = max(need, -(-units // max(1, WIDTHS[j] - 2)) * line)
        ws.row_dimensions[i].height = need


def _kept(ln: Line, now: dt.datetime) -> dict[str, Any]:
    return {
        "rule": ln.rule,
        "year": ln.year,
        "payee": ln.payee,
        "amount": ln.amount,
        "held": ln.status == "held",
        "person_name": (ln.person or {}).get("name"),
        "id_number": (ln.person or {}).get("id_number"),
        "household_id": ln.household_id,
        "township": ln.township,
        "village": ln.village,
        "explanation": ln.explanation,
        "exported_at": now,
    }


@dataclass(slots=True)
class Recording:
    """docs/json.md#subsidy-record."""

    file: str
    sha256: str
    recorded: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_json(self, show_pii: bool = False) -> dict[str, Any]:
        """The JSON shape of docs/json.md#subsidy-record."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "recorded": self.recorded,
            "unchanged": self.unchanged,
            "problems": [p.as_json(show_pii) for p in self.problems],
        }


def _find_header(ws: Any) -> tuple[int, dict[str, int]]:
    for i, row in enumerate(ws.iter_rows(min_row=1, max_row=20, values_only=True), start=1):
        cols = {fold(clean_text(v)): j for j, v in enumerate(row) if v is not None}
        if "编号" in cols and "发放状态" in cols:
            return i, cols
    raise InputFileError(
        pick("找不到表头行 (需要 编号 和 发放状态 两列)", "no header row with 编号 and 发放状态")
    )


def record_workbook(reg: Registry, path: Path) -> Recording:
    """`laborcli subsidy record`: paid and refused lines of the returned workbook, all or
    nothing. The second recording of a workbook finds every line as recorded: unchanged."""
    from openpyxl import load_workbook

    data = path.read_bytes()
    rec = Recording(path.name, hashlib.sha256(data).hexdigest())
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except Exception as e:
        raise InputFileError(pick(f"{path.name}: 无法读取: {e}", f"{path.name}: cannot be read: {e}")) from e
    ws = wb.worksheets[0]
    sheet = ws.title
    head, cols = _find_header(ws)
    amount_col = next((j for k, j in cols.items() if k.startswith("金额")), None)
    reason_col = cols.get("原因")
    date_col = cols.get("发放日期")
    marks: dict[str, tuple[str, dt.date | None, str | None, int]] = {}
    with reg.writing() as conn:
        exported = {r.line_id: r for r in conn.execute(sa.select(subsidy_lines))}
        recorded = {r.line_id: r for r in conn.execute(sa.select(ledger))}
        for n, row in enumerate(ws.iter_rows(min_row=head + 1, values_only=True), start=head + 1):
            cells = list(row)

            def at(j: int | None, cells: list[Any] = cells) -> Any:
                return cells[j] if j is not None and j < len(cells) else None

            lid = clean_text(at(cols["编号"]))
            if not lid:
                continue
            status = fold(clean_text(at(cols["发放状态"])))

            def bad(code: ProblemCode, column: str | None, value: object, n: int = n) -> None:
                rec.problems.append(
                    make_problem(code, sheet=sheet, row=n, column=column, value=clean_text(value) or None)
                )

            line = exported.get(lid)
            if line is None:
                bad(ProblemCode.LEDGER_LINE_UNKNOWN, "编号", lid)
                continue
            if amount_col is not None and at(amount_col) is not None:
                amount = parse_int(at(amount_col))
                if amount != line.amount and not (lid in recorded and amount == recorded[lid].amount):
                    bad(ProblemCode.LEDGER_AMOUNT_CHANGED, "金额(元)", at(amount_col))
                    continue
            if status not in (PAID, REFUSED):
                continue  # empty or 暂缓发放: the line stays as it was
            paid_on = None
            if status == PAID:
                raw = at(date_col)
                paid_on = (
                    raw.date() if isinstance(raw, dt.datetime) else raw if isinstance(raw, dt.date) else None
                )
                if paid_on is None and raw is not None and not isinstance(raw, dt.date):
                    try:
                        paid_on = parse_date(raw)
                    except ValueProblem:
                        paid_on = None
                if paid_on is None:
                    bad(ProblemCode.LEDGER_DATE_INVALID, "发放日期", raw)
                    continue
                if line.held:
                    bad(ProblemCode.LEDGER_PAID_HELD, "发放状态", status)
                    continue
            reason = clean_text(at(reason_col)) or None
            what = "paid" if status == PAID else "refused"
            before = recorded.get(lid)
            if before is not None and (
                before.status != what or (what == "paid" and before.paid_on != paid_on)
            ):
                bad(ProblemCode.LEDGER_CONFLICT, "发放状态", status)
                continue
            if lid in marks and marks[lid][:2] != (what, paid_on):
                bad(ProblemCode.LEDGER_CONFLICT, "发放状态", status)
                continue
            marks[lid] = (what, paid_on, reason, n)
        if rec.problems:
            rec.problems.sort(key=lambda p: p.row)
            return rec  # nothing recorded; the transaction writes nothing
        fresh = {lid: m for lid, m in marks.items() if lid not in recorded}
        rec.unchanged = len(marks) - len(fresh)
        rid = conn.execute(
            ledger_recordings.insert().values(
                file_name=path.name, sha256=rec.sha256, recorded_at=dt.datetime.now(), recorded=len(fresh)
            )
        ).inserted_primary_key[0]  # type: ignore[index]  # one row inserted
        if fresh:
            conn.execute(
                ledger.insert(),
                [
                    {
                        "line_id": lid,
                        "rule": exported[lid].rule,
                        "year": exported[lid].year,
                        "status": what,
                        "amount": exported[lid].amount,
                        "paid_on": paid_on,
                        "reason": reason,
                        "payee": exported[lid].payee,
                        "person_name": exported[lid].person_name,
                        "id_number": exported[lid].id_number,
                        "recording_id": rid,
                    }
                    for lid, (what, paid_on, reason, _) in fresh.items()
                ],
            )
        rec.recorded = len(fresh)
    return rec


def reopen(reg: Registry, line_id: str, reason: str) -> dict[str, Any]:
    """`laborcli subsidy reopen`: a recorded line taken out of the ledger, with the reason
    and what it was kept in ``ledger_reopens``; it is then computed afresh."""
    if not reason.strip():
        raise UsageError(pick("--reason 不能为空", "--reason must not be empty"))
    with reg.writing() as conn:
        r = conn.execute(sa.select(ledger).where(ledger.c.line_id == line_id)).one_or_none()
        if r is None:
            raise UsageError(pick(f"编号 {line_id} 没有登记过", f"line {line_id} is not recorded"))
        conn.execute(
            ledger_reopens.insert().values(
                line_id=line_id,
                status=r.status,
                amount=r.amount,
                paid_on=r.paid_on,
                reason=reason.strip(),
                reopened_at=dt.datetime.now(),
            )
        )
        conn.execute(ledger.delete().where(ledger.c.line_id == line_id))
    return {"line_id": line_id, "was": r.status, "amount": r.amount, "reason": reason.strip()}


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What `people purge` did to the ledger: the recorded lines about the person kept
    with their name and ID masked out (paid: financial records; refused: the office's
    decision), and the exported lines masked likewise."""

    kept: int = 0
    paid: int = 0
    exported: int = 0


def forget_person(
    conn: Connection,
    keys: set[str],
    idents: set[str],
    places: set[tuple[str | None, str | None, str | None]],
    names: set[str],
) -> Forgotten:
    """Take a person out of the ledger (``people purge``, before their rows go).

    The lines about them are those of their organised placements (the line id of each of
    their ``keys`` and year), and those whose person's ID is one of ``idents``, or, for a
    line without an ID, whose name and place (name, township, village) is one of
    ``places``. Each keeps its rule, year, amount, date and reason, with the name and ID
    replaced by a mark (the payee too when it is the person: the 户主 of a household
    award). An exported line that was never recorded is kept masked as well: finance may
    still pay it from the workbook it has, and that payment must be recordable. A
    leader's award is about the leaders' registry, not the person's rows: left as it is.
    """
    secret = registry_secret(conn)
    exported = list(conn.execute(sa.select(subsidy_lines)))
    recorded = {r.line_id: r for r in conn.execute(sa.select(ledger))}
    years = {r.year for r in exported} | {r.year for r in recorded.values()}
    placements = {line_id(secret, "organised_placement", str(y), k) for y in years for k in keys}

    def about(lid: str, rule: str, id_number: str | None, place: tuple[str | None, ...] | None) -> bool:
        if rule == "leader_award":
            return False
        if lid in placements or (id_number and id_number in idents):
            return True
        return not id_number and place is not None and place in places

    lines = {
        r.line_id: r.payee
        for r in exported
        if about(r.line_id, r.rule, r.id_number, (r.person_name, r.township, r.village))
    }
    lines |= {lid: r.payee for lid, r in recorded.items() if about(lid, r.rule, r.id_number, None)}
    for lid, payee in sorted(lines.items()):
        masked = {"person_name": PURGED, "id_number": None, "payee": PURGED if payee in names else payee}
        conn.execute(ledger.update().where(ledger.c.line_id == lid).values(**masked))
        conn.execute(
            subsidy_lines.update()
            .where(subsidy_lines.c.line_id == lid)
            .values(**masked, explanation="本人已申请删除个人信息 (people purge), 说明已删除")
        )
    kept = [recorded[lid] for lid in lines if lid in recorded]
    return Forgotten(len(kept), sum(1 for r in kept if r.status == "paid"), len(lines) - len(kept))
