"""The 送岗到户 lists (`match --export`) and the answers read back (`match record`).

The proposals workbook holds every proposal as one row of its first sheet, grouped by
village and household with a page break before each village (an export to a folder
writes one workbook per village). `match record` reads it back by header (编号, 反馈,
wherever they stand), so the officer may sort, filter and add columns; any error records
nothing. 不愿意 is remembered (the pair is not proposed again), 已上岗 is a placement;
recording the same answers twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from sqlalchemy.engine import Connection

from laborcli.identity.decisions import Applied
from laborcli.identity.privacy import Mask
from laborcli.jobs.matching import Match, Proposal
from laborcli.jobs.placements import ANSWERS
from laborcli.registry.engine import Registry
from laborcli.registry.tables import answers, proposals
from laborcli.sheets.cells import clean_text, fold, is_blank
from laborcli.sheets.problems import ProblemCode, make_problem
from laborcli.sheets.reading import column_letter, read_book
from laborcli.sheets.safe import whole_file
from laborcli.sheets.workbook import font, new_workbook, text_lines, write_table

SHEET = "送岗到户"
DETAILS = "地点、待遇、联系人"
# (header, width, hidden). The paper list is what an officer carries from door to door:
# the household, the person, the job (its place, wage and contact stacked under one
# header) and why it was proposed, then room for the answer. 编号 is what `match record`
# reads back, with 反馈; it and the job's details one per column (for sorting and
# filtering on screen) are hidden, so they are in the workbook but not on paper.
COLUMNS: list[tuple[str, int, bool]] = [
    ("编号", 14, True),
    ("乡镇(街道)", 10, True),
    ("村(社区)", 8, False),
    ("户编号", 10, False),
    ("姓名", 7, False),
    ("身份证号码", 17, False),
    ("联系电话", 12, False),
    ("企业名称", 15, False),
    ("岗位名称", 9, False),
    (DETAILS, 21, False),
    ("推荐理由", 26, False),
    ("反馈", 8, False),
    ("工作地点", 18, True),
    ("岗位区域", 6, True),
    ("月薪(元)", 10, True),
    ("包吃住", 6, True),
    ("性别要求", 6, True),
    ("企业联系人", 8, True),
    ("企业电话", 12, True),
    ("得分", 6, True),
]
HEADERS = [h for h, _, _ in COLUMNS]
WIDTHS = [w for _, w, _ in COLUMNS]
COL = {h: i for i, h in enumerate(HEADERS)}
# Columns whose text wraps within its width (and so may make its row taller).
WRAPPED = ("村(社区)", "姓名", "企业名称", "岗位名称", DETAILS, "推荐理由")
# Points a line of the body's 11-pt text takes in a row (Excel's 14.25, LibreOffice's CJK
# face nearer 16), and the row's padding: a wrapped cell's last line is not cut off.
LINE_HEIGHT = 16
ROW_PADDING = 2
# Narrow side margins, like the handout's: the width goes to the text rather than to paper.
SIDE_MARGIN = 0.4


def _order(p: Proposal) -> tuple[str, str, str, str, int, str]:
    return (
        p.person.township,
        p.person.village,
        p.person.household_id or "",
        p.person.name,
        -int(p.score * 100),
        p.demand.demand_id,
    )


def _details(p: Proposal, mask: Mask) -> str:
    """The job's place, pay, board and contact as short lines of one cell, read beside the
    company: a line each, so none wraps in its column."""
    d = p.demand
    terms = [d.region or ""]
    terms += {"是": ["包吃住"], "否": ["不包吃住"]}.get(
        d.board or "", [f"包吃住 {d.board}"] if d.board else []
    )
    if d.gender:
        terms.append(f"限{d.gender}性" if d.gender in ("男", "女") else f"性别 {d.gender}")
    lines = [
        d.place,
        f"月薪 {d.wage} 元" if d.wage else "",
        "、".join(t for t in terms if t),
        " ".join(x for x in (d.contact or "", mask.phone(d.phone) or "") if x),
    ]
    return "\n".join(x for x in lines if x)


def _line(p: Proposal, mask: Mask) -> list[object]:
    d, who = p.demand, p.person
    return [
        p.proposal_id,
        who.township,
        who.village,
        who.household_id or "",
        who.name,
        mask.id(who.id_number) or "",
        mask.phone(who.phone) or "",
        d.company,
        d.job,
        _details(p, mask),
        # One reason a line: on paper the officer reads them out one by one.
        "\n".join(p.reasons),
        "",
        d.place,
        d.region or "",
        d.wage,
        d.board or "",
        d.gender or "不限",
        d.contact or "",
        mask.phone(d.phone) or "",
        p.score,
    ]


def write_proposals(m: Match, path: Path, mask: Mask) -> None:
    """One workbook of these proposals: grouped by village and household, a page break
    before each village, the 反馈 dropdown; printed on A4 landscape pages in a type an
    officer reads at arm's length, every cell top-aligned so a row's cells read level."""
    props = sorted(m.proposals, key=_order)
    lines = [_line(p, mask) for p in props]
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    wrapped = [COL[name] for name in WRAPPED]
    h = write_table(
        ws,
        f"送岗到户推荐表 (截至 {m.as_of.isoformat()}): 请入户告知岗位, 在“反馈”列选择 愿意、不愿意 或 已上岗, "
        "然后运行 laborcli match record",
        HEADERS,
        lines,
        widths=WIDTHS,
        aligns={j: wrap if j in wrapped else top for j in range(len(HEADERS))},
    )
    for j, (_, _, hidden) in enumerate(COLUMNS):
        if hidden:
            ws.column_dimensions[column_letter(j)].hidden = True
    for n, line in enumerate(lines, start=h + 1):
        # Not every program grows a row to its wrapped cells: the row gets the lines they need.
        need = max(text_lines(str(line[j]), WIDTHS[j]) for j in wrapped)
        if need > 1:
            ws.row_dimensions[n].height = LINE_HEIGHT * need + ROW_PADDING
    last_village: tuple[str, str] | None = None
    for n, p in enumerate(props):
        place = (p.person.township, p.person.village)
        if last_village is not None and place != last_village:
            ws.row_breaks.append(Break(id=h + n))
        last_village = place
    dv = DataValidation(type="list", formula1='"' + ",".join(ANSWERS) + '"', allow_blank=True)
    dv.add(f"{column_letter(COL['反馈'])}{h + 1}:{column_letter(COL['反馈'])}{h + max(1, len(props))}")
    ws.add_data_validation(dv)
    ws.cell(row=h, column=COL["反馈"] + 1).font = font(bold=True, color="FFC00000")
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.oddFooter.center.text = "第 &P 页, 共 &N 页"
    with whole_file(path) as tmp:
        wb.save(tmp)


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)


def export_proposals(reg: Registry, m: Match, target: Path, mask: Mask, *, folder: bool) -> list[Path]:
    """Write the lists (one workbook, or one per village into the folder ``target``) and
    remember the proposals delivered, with the date of the first list that carried them."""
    written: list[Path] = []
    if folder:
        by_village: dict[tuple[str, str], list[Proposal]] = {}
        for p in m.proposals:
            by_village.setdefault((p.person.township, p.person.village), []).append(p)
        for (town, village), props in sorted(by_village.items()):
            path = target / f"送岗到户_{_safe(town)}_{_safe(village)}_{m.as_of.isoformat()}.xlsx"
            write_proposals(Match(as_of=m.as_of, proposals=props), path, mask)
            written.append(path)
    else:
        write_proposals(m, target, mask)
        written.append(target)
    with reg.writing() as conn:
        remember(conn, m)
    return written


def remember(conn: Connection, m: Match) -> None:
    """Store the proposals not stored before (their first list's date stays)."""
    ids = [p.proposal_id for p in m.proposals]
    known: set[str] = set()
    for k in range(0, len(ids), 500):
        known |= set(
            conn.execute(
                sa.select(proposals.c.proposal_id).where(proposals.c.proposal_id.in_(ids[k : k + 500]))
            ).scalars()
        )
    new = [
        {
            "proposal_id": p.proposal_id,
            "demand_id": p.demand.demand_id,
            "person_key": p.person.key,
            "first_as_of": m.as_of,
        }
        for p in m.proposals
        if p.proposal_id not in known
    ]
    if new:
        conn.execute(proposals.insert(), new)


def record_answers(reg: Registry, path: Path, now: Callable[[], dt.datetime] = dt.datetime.now) -> Applied:
    """`laborcli match record`: the 反馈 of a returned list, whole or nothing."""
    book = read_book(path)
    out = Applied(file=path.name, sha256=book.sha256)
    sheet = book.sheets[0] if book.sheets else None
    head = _header(sheet.rows) if sheet is not None else None
    if sheet is None or head is None:
        out.problems.append(
            make_problem(ProblemCode.MATCH_COLUMNS_MISSING, sheet=sheet.name if sheet else "", row=1)
        )
        return out
    at, cols = head
    id_col, answer_col = cols["编号"], cols["反馈"]
    wanted: dict[str, tuple[str, int]] = {}
    for n, cells in enumerate(sheet.rows[at + 1 :], start=at + 2):
        pid = clean_text(cells[id_col]) if id_col < len(cells) and not is_blank(cells[id_col]) else ""
        raw = cells[answer_col] if answer_col < len(cells) else None
        if not pid or is_blank(raw):
            continue
        answer = fold(clean_text(raw))
        if answer not in ANSWERS:
            out.problems.append(
                make_problem(
                    ProblemCode.MATCH_ANSWER_UNKNOWN,
                    sheet=sheet.name,
                    row=n,
                    column="反馈",
                    value=clean_text(raw),
                )
            )
            continue
        if pid in wanted and wanted[pid][0] != answer:
            out.problems.append(
                make_problem(
                    ProblemCode.MATCH_ANSWER_CONFLICT,
                    sheet=sheet.name,
                    row=n,
                    column="编号",
                    value=pid,
                    detail=f"第{wanted[pid][1]}行为 {wanted[pid][0]}",
                )
            )
            continue
        wanted[pid] = (answer, n)
    with reg.writing() as conn:
        ids = list(wanted)
        known = {
            r.proposal_id: r
            for k in range(0, len(ids), 500)
            for r in conn.execute(sa.select(proposals).where(proposals.c.proposal_id.in_(ids[k : k + 500])))
        }
        for pid, (_, n) in wanted.items():
            if pid not in known:
                out.problems.append(
                    make_problem(
                        ProblemCode.MATCH_PROPOSAL_UNKNOWN, sheet=sheet.name, row=n, column="编号", value=pid
                    )
                )
        if out.errors:
            out.problems.sort(key=lambda p: p.row)
            return out
        before = {
            r.proposal_id: r.answer
            for k in range(0, len(ids), 500)
            for r in conn.execute(sa.select(answers).where(answers.c.proposal_id.in_(ids[k : k + 500])))
        }
        stamp = now()
        for pid, (answer, _) in wanted.items():
            if before.get(pid) == answer:
                out.unchanged += 1
                continue
            values = {"answer": answer, "source": path.name, "recorded_at": stamp}
            if pid in before:
                conn.execute(answers.update().where(answers.c.proposal_id == pid).values(**values))
            else:
                prop = known[pid]
                conn.execute(
                    answers.insert().values(
                        proposal_id=pid, demand_id=prop.demand_id, person_key=prop.person_key, **values
                    )
                )
            out.recorded += 1
    return out


def _header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """The first row naming 编号 and 反馈, and where each header stands."""
    for i, cells in enumerate(rows[:30]):
        names = {fold(clean_text(c)): j for j, c in enumerate(cells) if not is_blank(c)}
        if "编号" in names and "反馈" in names:
            return i, names
    return None
