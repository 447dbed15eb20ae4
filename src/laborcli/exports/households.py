"""The household working list as a workbook, one sheet per township."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from laborcli.dates import last_month_end
from laborcli.identity.privacy import Mask
from laborcli.roster.households import Household, Member
from laborcli.roster.submissions import STALE_LABEL
from laborcli.sheets.safe import set_cell, whole_file
from laborcli.sheets.workbook import new_workbook, write_table

# The columns of ``member_cells``: one household member.
MEMBER_HEADERS = ["姓名", "与户主关系", "身份证号码", "联系电话", "年龄", "是否劳动力", "就业状态"]
HEADERS = ["村(社区)", "户编号", "户劳动力数", "转移就业人数", *MEMBER_HEADERS, "备注"]


def write_households(hs: list[Household], path: Path, d: dt.date, mask: Mask, *, zero_only: bool) -> None:
    """One sheet per township, one row per member, households kept together."""
    wb = new_workbook(empty=True)
    by_town: dict[str, list[Household]] = defaultdict(list)
    for h in hs:
        by_town[h.township].append(h)
    kind = "零就业家庭" if zero_only else "有劳动力家庭"
    for town in sorted(by_town) or [""]:
        ws = wb.create_sheet((town or "空")[:31])
        rows = [
            [
                h.village,
                h.household_id,
                h.labour_force,
                h.transferred,
                *member_cells(m, mask),
                _stale(h),
            ]
            for h in by_town.get(town, [])
            for m in h.members
        ]
        write_table(
            ws,
            f"{town}{kind}名单 (截至 {d.isoformat()})",
            HEADERS,
            rows,
            widths=[10, 12, 8, 8, 10, 8, 21, 14, 6, 8, 12, 22],
        )
        if any(h.stale for h in by_town.get(town, [])):
            note = f"备注 “{STALE_LABEL[0]}” = 该村尚无截至 {last_month_end(d).isoformat()} 的花名册, 名单按旧表列出"
            set_cell(ws.cell(row=ws.max_row + 2, column=1), note)
    with whole_file(path) as tmp:
        wb.save(tmp)


def _stale(h: Household) -> str:
    if not h.stale:
        return ""
    return f"{STALE_LABEL[0]} (花名册 {h.sheet_as_of.isoformat() if h.sheet_as_of else '无'})"


def member_cells(m: Member, mask: Mask) -> list[object]:
    """A member as the household sheets show one: 姓名, 关系, 身份证, 电话, 年龄, 劳动力, 就业状态."""
    return [
        m.name,
        m.relation,
        mask.id(m.id_number),
        mask.phone(m.phone),
        m.age,
        "是" if m.in_labour_force else "否",
        m.employment_status,
    ]
