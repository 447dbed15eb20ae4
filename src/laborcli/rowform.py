"""The stored form of an imported row, built where the sheet is validated.

Kept apart from the registry (and from SQLAlchemy) so that worker processes, which only
read and validate, start without loading the database layer. ``registry.store`` checks
at import that these names are the ``rows`` table's columns, in its order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The rows table's columns after snapshot_id, import_id and as_of, which the writer adds.
STORED: tuple[str, ...] = (
    "sheet",
    "row_number",
    "township",
    "village",
    "grp",
    "household_id",
    "relation",
    "household_size",
    "name",
    "id_raw",
    "id_number",
    "id_valid",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "phone",
    "poor_household",
    "relocated",
    "monitored",
    "labour_capacity",
    "skills",
    "training_wish",
    "job_intention",
    "employment_status",
    "work_place",
    "employer",
    "job_start",
    "monthly_income",
    "organised",
    "organiser",
    "remarks",
    "person_key",
    "birth_eff",
    "gender_eff",
    "transferred",
    "outside",
    "status_in_lf",
    "capacity_excluded",
    "poor",
    "warnings",
)
DATES = frozenset({"birth_date", "birth_eff", "job_start"})  # stored as ISO text
# Stored as 0/1, and handed to the driver as ints: Python's sqlite3 binds a bool (and
# None) through its adapter lookup, seven times slower than an int.
BOOLS = frozenset(
    {
        "capacity_excluded",
        "id_valid",
        "monitored",
        "organised",
        "outside",
        "poor",
        "poor_household",
        "relocated",
        "status_in_lf",
        "transferred",
    }
)


_AS_INT = {True: 1, False: 0}


class _IsoDates(dict[Any, Any]):
    """Dates to ISO text, each distinct date converted once (None stays None)."""

    def __missing__(self, d: Any) -> Any:
        text = self[d] = None if d is None else d.isoformat()
        return text


@dataclass(slots=True)
class Batch:
    """One village's accepted rows of a file, ready to store.

    ``columns`` are the ``STORED`` columns in the registry's stored form (dates as ISO
    text, booleans as 0/1), built where the sheet was validated (a worker process), so that
    the writer only puts the snapshot and import ids in front. Columns, not row tuples:
    they cross from the worker in one piece and the driver zips them into rows in C.
    ``valid_ids`` are the verified ID numbers among them, for the plausibility check.
    """

    columns: list[list[Any]]
    valid_ids: list[str]

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def extend(self, other: Batch) -> None:
        """Add another sheet's rows of the same village."""
        for mine, theirs in zip(self.columns, other.columns, strict=True):
            mine.extend(theirs)
        self.valid_ids.extend(other.valid_ids)


def batches(columns: dict[str, list[Any]]) -> dict[tuple[str, str], Batch]:
    """Accepted rows as whole columns (validation's names; the sheet's 村民小组 is "group")
    in stored form, one batch per village.

    Dates become ISO text in one pass per column, each distinct date converted once, and
    booleans 0/1: converting row by row in the writer cost a second per 100,000 rows.
    """
    iso = _IsoDates()  # shared: a birth date is in birth_date and birth_eff
    cols = []
    for name in STORED:
        col = columns["group" if name == "grp" else name]
        if name in DATES:
            col = list(map(iso.__getitem__, col))
        elif name in BOOLS:
            col = list(map(_AS_INT.get, col))
        cols.append(col)
    ids, valid = columns["id_number"], columns["id_valid"]
    kinds = set(zip(columns["township"], columns["village"], strict=True))
    if len(kinds) == 1:  # a village's sheet, the usual case
        return {kinds.pop(): Batch(cols, [i for i, ok in zip(ids, valid, strict=True) if ok])}
    places = list(zip(columns["township"], columns["village"], strict=True))
    out: dict[tuple[str, str], Batch] = {}
    for place in sorted(kinds):
        at = [i for i, p in enumerate(places) if p == place]
        out[place] = Batch([[c[i] for i in at] for c in cols], [ids[i] for i in at if valid[i]])
    return out
