"""`households`: households with labour and their members, as a table, JSON or CSV."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from laborcli.cli.listing import TableOptions, deliver
from laborcli.cli.options import Format
from laborcli.cli.output import AppState, out
from laborcli.cli.views.freshness import stale_note, with_mark
from laborcli.exports.listing import Column, Kind, Listing
from laborcli.identity.privacy import Mask

if TYPE_CHECKING:
    from laborcli.roster.households import Household

CSV_HEAD = [
    "township",
    "village",
    "household_id",
    "labour_force",
    "transferred",
    "name",
    "id_number",
    "phone",
    "relation",
    "employment_status",
    "in_labour_force",
]
COLUMNS = (
    Column("township", "乡镇", "township"),
    Column("village", "村(社区)", "village"),
    Column("household_id", "户编号", "household", width=12),
    Column("labour_force", "户劳动力数", "labour force", Kind.int, short="劳动力"),
    Column("transferred", "转移就业人数", "transferred", Kind.int, essential=False),
    Column("name", "姓名", "name"),
    Column("relation", "与户主关系", "relation", essential=False),
    Column("id_number", "身份证号码", "ID number", width=21),
    Column("phone", "联系电话", "phone", essential=False, width=14),
    Column("age", "年龄", "age", Kind.int, essential=False),
    Column("in_labour_force", "是否劳动力", "in labour force", Kind.yes_no, essential=False),
    Column("employment_status", "就业状态", "status", width=12),
)


def show_households(
    st: AppState,
    hs: list[Household],
    d: dt.date,
    mask: Mask,
    fmt: Format,
    opts: TableOptions,
    *,
    zero_only: bool,
    table_too: bool = True,
) -> None:
    """The list in the asked format on stdout, and the asked files; the table only if
    ``table_too``."""
    from laborcli.roster.households import household_json

    shown = deliver(
        st,
        households_listing(hs, d, mask, zero_only=zero_only),
        fmt,
        opts,
        as_json=lambda: {"as_of": d.isoformat(), "rows": [household_json(h, mask) for h in hs]},
        as_csv=lambda: (CSV_HEAD, _csv_rows(hs, mask)),
        table_too=table_too,
    )
    seen = {(h.township, h.village): h.stale for h in hs}
    note = stale_note(((t, v, s) for (t, v), s in seen.items()), d)
    if shown and note:
        out.print(note)


def households_listing(hs: list[Household], d: dt.date, mask: Mask, *, zero_only: bool) -> Listing:
    """One line per member, the household's fields on each (so Excel can sort and filter)."""
    what = ("零就业家庭", "zero-employment households") if zero_only else ("有劳动力家庭", "households")
    rows = [
        {
            "township": h.township,
            "village": with_mark(h.village, h.sheet_as_of, h.stale),
            "household_id": h.household_id,
            "labour_force": h.labour_force,
            "transferred": h.transferred,
            "name": m.name,
            "relation": m.relation,
            "id_number": mask.id(m.id_number),
            "phone": mask.phone(m.phone),
            "age": m.age,
            "in_labour_force": m.in_labour_force,
            "employment_status": m.employment_status,
        }
        for h in hs
        for m in h.members
    ]
    return Listing(
        f"{what[0]} (截至 {d.isoformat()}, 共 {len(hs)} 户)",
        f"{what[1]} as of {d.isoformat()} ({len(hs)})",
        COLUMNS,
        rows,
        sheet=what[0],
    )


def _csv_rows(hs: list[Household], mask: Mask) -> list[list[object]]:
    return [
        [
            h.township,
            h.village,
            h.household_id,
            h.labour_force,
            h.transferred,
            m.name,
            mask.id(m.id_number),
            mask.phone(m.phone),
            m.relation,
            m.employment_status,
            m.in_labour_force,
        ]
        for h in hs
        for m in h.members
    ]
