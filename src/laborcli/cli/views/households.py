"""`households`: households with labour and their members, as a table or CSV."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from laborcli.cli.options import Format
from laborcli.cli.output import out, print_csv, print_json, table
from laborcli.cli.views.freshness import marked, stale_note
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


def show_households(
    hs: list[Household], d: dt.date, mask: Mask, fmt: Format, *, zero_only: bool, table_too: bool = True
) -> None:
    """The list in the asked format on stdout; the table only if ``table_too``."""
    from laborcli.roster.households import household_json

    if fmt is Format.json:
        print_json({"as_of": d.isoformat(), "rows": [household_json(h, mask) for h in hs]})
    elif fmt is Format.csv:
        print_csv(CSV_HEAD, _csv_rows(hs, mask))
    elif table_too:
        what = "零就业家庭" if zero_only else "有劳动力家庭"
        out.print(
            table(
                f"{what} (截至 {d.isoformat()}, 共 {len(hs)} 户)",
                ["乡镇", "村(社区)", "户编号", "劳动力", "成员 (就业状态)"],
                [
                    [
                        h.township,
                        marked(h.village, h.sheet_as_of, h.stale),
                        h.household_id,
                        h.labour_force,
                        _members(h, mask),
                    ]
                    for h in hs
                ],
                right=(3,),
            )
        )
        seen = {(h.township, h.village): h.stale for h in hs}
        note = stale_note(((t, v, s) for (t, v), s in seen.items()), d)
        if note:
            out.print(note)


def _members(h: Household, mask: Mask) -> str:
    return "; ".join(f"{m.name} {mask.id(m.id_number) or ''} {m.employment_status}" for m in h.members)


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
