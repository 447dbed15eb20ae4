"""The review workbook of training records left for review (待核实培训记录), like dedup's.

Each record without a valid ID that the evidence could not settle is a block: the record
as the roster typed it, then each registry person it may be, with the score and reasons
and a 判定 dropdown (是此人 / 不是此人). Each candidate line carries a hidden token, an
HMAC of the record and the person under the registry's review key, so that no ID is
written in the clear and a line moved or typed over is refused. `training apply` records
every decision or, on any error, none; the decisions are remembered (training_links).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import InputFileError
from laborcli.i18n import pick
from laborcli.identity.decisions import Applied
from laborcli.identity.privacy import Mask
from laborcli.policy import DedupPolicy, TrainingPolicy
from laborcli.registry.migrate import REVIEW_SECRET
from laborcli.registry.tables import meta, training_links
from laborcli.sheets.problems import ProblemCode, make_problem
from laborcli.training.figures import Outcome
from laborcli.training.linking import Link, decisions, link_records, record_decision
from laborcli.training.records import load_records

SHEET = "待核实培训记录"
SAME, DIFFERENT = "是此人", "不是此人"
HEADERS = [
    "记录编号",
    "判定",
    "得分",
    "理由",
    "姓名",
    "身份证号码",
    "出生日期",
    "乡镇",
    "村(社区)",
    "培训类别",
    "培训机构",
    "结束日期",
    "来源:行",
    "核验码",
]
WIDTHS = [34, 10, 6, 30, 8, 21, 12, 10, 10, 14, 20, 12, 24, 18]
_TOKEN_COL = len(HEADERS)


def _secret(conn: Connection) -> bytes:
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == REVIEW_SECRET)).scalar()
    return bytes.fromhex(str(value or ""))


def token(secret: bytes, record_id: str, person_key: str) -> str:
    """The hidden token of one candidate line: never an identifier."""
    return hmac.new(secret, f"training|{record_id}|{person_key}".encode(), hashlib.sha256).hexdigest()[:16]


def write_review(conn: Connection, outs: list[Outcome], path: Path, mask: Mask) -> int:
    """The workbook of the records left for review; returns how many records it lists."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from laborcli.sheets.safe import whole_file
    from laborcli.sheets.workbook import dropdown_rows, new_workbook, write_table

    secret = _secret(conn)
    review = [o for o in outs if o.link.how == "review"]
    lines: list[list[object]] = []
    choices: list[int] = []
    for o in review:
        r = o.record
        place = f"{r.source}:{r.row}"
        head_line: list[object] = [r.record_key, "", "", "培训记录", r.name, mask.id(r.id_number), r.birth]
        lines.append(
            [*head_line, r.township, r.village, r.course_type, r.institution or "", r.end, place, ""]
        )
        for c in o.link.candidates:
            rec = c.rec
            line: list[object] = [r.record_key, "", round(c.score, 2), "; ".join(c.reasons), rec.name]
            line += [mask.id(rec.id_number), rec.birth, rec.township, rec.village, "", "", ""]
            lines.append([*line, f"{rec.source}:{rec.row}", token(secret, r.record_key, c.person_key)])
            choices.append(len(lines))
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    head = write_table(ws, None, HEADERS, lines, WIDTHS, formats={6: "yyyy-mm-dd", 11: "yyyy-mm-dd"})
    dv = DataValidation(type="list", formula1=f'"{SAME},{DIFFERENT}"', allow_blank=True)
    dropdown_rows(dv, "B", (head + n for n in choices))
    ws.add_data_validation(dv)
    ws.column_dimensions["N"].hidden = True
    with whole_file(path) as tmp:
        wb.save(tmp)
    return len(review)


@dataclass(slots=True)
class _Line:
    row: int
    record_id: str
    verdict: str
    token: str


def _read(path: Path) -> tuple[str, list[_Line], list[Any]]:
    from openpyxl import load_workbook

    try:
        data = path.read_bytes()
        wb = load_workbook(path, data_only=False)
    except Exception as e:  # any unreadable workbook is the user's to fix
        raise InputFileError(pick(f"无法读取核实表 {path.name}: {e}", f"cannot read {path.name}: {e}")) from e
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    head = next((i for i, r in enumerate(rows) if r and r[0] == HEADERS[0]), None)
    if head is None:
        raise InputFileError(
            pick(f"{path.name} 不是培训记录核实表", f"{path.name} is not a training review workbook")
        )
    out = []
    for i, r in enumerate(rows[head + 1 :], start=head + 2):
        cells = list(r) + [None] * len(HEADERS)
        tok = cells[_TOKEN_COL - 1]
        if not tok:
            continue  # a record line, or a line added by the reviewer
        out.append(_Line(i, str(cells[0] or ""), "" if cells[1] is None else str(cells[1]).strip(), str(tok)))
    return hashlib.sha256(data).hexdigest(), out, [ws.title]


def apply_review(
    conn: Connection, path: Path, as_of: dt.date, dedup: DedupPolicy, policy: TrainingPolicy
) -> Applied:
    """Record the workbook's decisions (all, or none when any line is in error)."""
    sha, lines, (sheet,) = _read(path)
    applied = Applied(path.name, sha)
    secret = _secret(conn)
    decided = [ln for ln in lines if ln.verdict]
    ids = sorted({ln.record_id for ln in decided})
    wanted = set(ids)
    known = (
        {r.record_key: r for r in load_records(conn, unverified=True) if r.record_key in wanted}
        if ids
        else {}
    )
    links: dict[str, Link] = link_records(conn, list(known.values()), as_of, dedup, policy) if known else {}
    earlier = decisions(conn)
    chosen: dict[str, list[tuple[str, Literal["same", "different"]]]] = {}
    for ln in decided:

        def bad(code: ProblemCode, value: str | None = None, ln: _Line = ln) -> None:
            applied.problems.append(make_problem(code, sheet=sheet, row=ln.row, column="判定", value=value))

        if ln.verdict not in (SAME, DIFFERENT):
            bad(
                ProblemCode.REVIEW_FORMULA
                if ln.verdict.startswith("=")
                else ProblemCode.REVIEW_CHOICE_UNKNOWN,
                ln.verdict,
            )
            continue
        rec = known.get(ln.record_id)
        if rec is None:
            bad(ProblemCode.REVIEW_ROW_GONE, ln.record_id)
            continue
        lk = links[rec.own_key]
        # The candidates now, and the persons decided since the export (a decided pair
        # is no longer a candidate, and the same workbook may be applied again).
        persons = [c.person_key for c in lk.candidates] + [p for p, _ in earlier.get(rec.own_key, ())]
        typed = ln.token.encode("utf-8", "replace")
        person = next(
            (p for p in persons if hmac.compare_digest(token(secret, ln.record_id, p).encode(), typed)), None
        )
        if person is None:
            bad(ProblemCode.REVIEW_TOKEN_INVALID)
            continue
        chosen.setdefault(rec.own_key, []).append((person, "same" if ln.verdict == SAME else "different"))
    for picks in chosen.values():
        if sum(d == "same" for _, d in picks) > 1:
            applied.problems.append(
                make_problem(ProblemCode.REVIEW_CONFLICT, sheet=sheet, row=0, column="判定")
            )
    if applied.errors:
        return applied
    t = training_links
    for own, picks in chosen.items():
        for person, d in picks:
            had = conn.execute(
                sa.select(t.c.decision).where(t.c.own_key == own, t.c.person_key == person)
            ).scalar()
            if had == d:
                applied.unchanged += 1
                continue
            record_decision(conn, own, person, d, f"{path.name} {sha[:12]}")
            applied.recorded += 1
    return applied
