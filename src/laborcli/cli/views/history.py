"""`person` and `household`: the imported rows behind one person or household."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from laborcli.cli.options import Format
from laborcli.cli.output import out, print_csv, print_json, table
from laborcli.identity.privacy import Mask

if TYPE_CHECKING:
    from laborcli.roster.history import Entry
    from laborcli.tenure.income import HouseholdIncome
    from laborcli.tenure.person import PersonTenure
    from laborcli.training.person import PersonTraining

CSV_HEAD = [
    "as_of",
    "mode",
    "source",
    "sheet",
    "row",
    "name",
    "id_number",
    "township",
    "village",
    "employment_status",
    "changes",
]


def show_entries(
    title: str,
    entries: list[Entry],
    mask: Mask,
    fmt: Format,
    tenure: PersonTenure | None = None,
    households: list[HouseholdIncome] | None = None,
    training: PersonTraining | None = None,
) -> None:
    """The entries, oldest first, in the asked format on stdout (a person's spells and
    income, or a household's income per capita, after them in the table and the JSON)."""
    if fmt is Format.json:
        doc: dict[str, Any] = {"entries": [entry_json(e, mask) for e in entries]}
        if tenure is not None:
            doc.update(tenure.as_json())
        if households is not None:
            doc["income"] = [h.as_json() for h in households]
        if training is not None:
            doc["training"] = training.as_json(mask)
        print_json(doc)
    elif fmt is Format.csv:
        print_csv(CSV_HEAD, [_csv_row(e, mask) for e in entries])
    else:
        out.print(
            table(
                title,
                ["统计日期", "方式", "来源:行", "姓名", "身份证号码", "村", "就业状态", "变化"],
                [_table_row(e, mask) for e in entries],
            )
        )
        from laborcli.cli.views.spells import show_household_income, show_tenure

        if tenure is not None:
            show_tenure(tenure)
        if households is not None:
            show_household_income(households)
        if training is not None:
            from laborcli.cli.views.training import show_person_training

            show_person_training(training)


def entry_json(e: Entry, mask: Mask) -> dict[str, Any]:
    """One entry of the JSON: its row's values and what changed, identifiers masked."""
    v = dict(e.values)
    v["id_number"] = mask.id(v.get("id_number"))
    v["phone"] = mask.phone(v.get("phone"))
    return {
        "as_of": e.as_of,
        "mode": e.mode,
        "source": e.source,
        "sheet": e.sheet,
        "row": e.row,
        "values": v,
        "changes": [{"field": f, "before": _m(f, a, mask), "after": _m(f, b, mask)} for f, a, b in e.changes],
    }


def _m(field: str, value: Any, mask: Mask) -> Any:
    return mask.phone(value) if field == "phone" else value


def _changes(e: Entry, mask: Mask, arrow: str) -> str:
    return "; ".join(f"{f}: {_m(f, a, mask)} {arrow} {_m(f, b, mask)}" for f, a, b in e.changes)


def _table_row(e: Entry, mask: Mask) -> list[object]:
    v = e.values
    return [
        e.as_of,
        e.mode,
        f"{e.source}:{e.row}",
        v.get("name"),
        mask.id(v.get("id_number")),
        f"{v.get('township')}{v.get('village')}",
        v.get("employment_status"),
        _changes(e, mask, "→"),
    ]


def _csv_row(e: Entry, mask: Mask) -> list[object]:
    v = e.values
    return [
        e.as_of,
        e.mode,
        e.source,
        e.sheet,
        e.row,
        v.get("name"),
        mask.id(v.get("id_number")),
        v.get("township"),
        v.get("village"),
        v.get("employment_status"),
        _changes(e, mask, "->"),
    ]
