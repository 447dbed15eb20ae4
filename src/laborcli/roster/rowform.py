"""The stored form of an imported row, built where the sheet is validated.

Kept apart from the registry (and from SQLAlchemy) so that worker processes, which only
read and validate, start without loading the database layer. ``registry.store`` checks
at import that these names are the ``rows`` table's columns, in its order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict  # pydantic reads only this one before Python 3.12

IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Flag = Annotated[int, Field(ge=0, le=1)]  # strict: True is refused, where Literal[0, 1] took it


@with_config(ConfigDict(strict=True))
class StoredColumns(TypedDict):
    """The row model of the registry, as columns: what every accepted row must be before
    it is written. Checked for a whole sheet in one call (``check_stored``), in strict
    mode: a flag is 0 or 1, not True; a date is ISO text, not a date; nothing is coerced.
    It is the ``rows`` table column for column (names, order, types, NOT NULL), which
    tests/test_rowform.py holds it to."""

    sheet: list[str]
    row_number: list[int]
    township: list[str]
    village: list[str]
    grp: list[str | None]
    household_id: list[str | None]
    relation: list[str | None]
    household_size: list[int | None]
    name: list[str]
    id_raw: list[str | None]
    id_number: list[str | None]
    id_valid: list[Flag]
    gender: list[str | None]
    birth_date: list[IsoDate | None]
    ethnicity: list[str | None]
    education: list[str | None]
    phone: list[str | None]
    poor_household: list[Flag | None]
    relocated: list[Flag | None]
    monitored: list[Flag | None]
    labour_capacity: list[str | None]
    skills: list[str | None]
    training_wish: list[str | None]
    job_intention: list[str | None]
    employment_status: list[str]
    work_place: list[str | None]
    employer: list[str | None]
    job_start: list[IsoDate | None]
    monthly_income: list[float | None]
    organised: list[Flag | None]
    organiser: list[str | None]
    remarks: list[str | None]
    person_key: list[str]
    birth_eff: list[IsoDate | None]
    gender_eff: list[str | None]
    transferred: list[Flag]
    outside: list[Flag]
    status_in_lf: list[Flag]
    capacity_excluded: list[Flag]
    poor: list[Flag]
    warnings: list[int]


# The rows table's columns after snapshot_id, import_id and as_of, which the writer adds:
# the row model's, in its order.
STORED: tuple[str, ...] = tuple(StoredColumns.__annotations__)
DATES = frozenset({"birth_date", "birth_eff", "job_start"})  # stored as ISO text
# Stored as 0/1, and handed to the driver as ints: Python's sqlite3 binds a bool (and
# None) through its adapter lookup, far slower than an int.
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


@functools.cache
def _stored_adapter() -> TypeAdapter[StoredColumns]:
    return TypeAdapter(StoredColumns)


def check_stored(cols: list[list[Any]]) -> None:
    """Hold a sheet's stored columns to the row model in one call into pydantic's core,
    not a Python call per row. A row that does not fit is a fault of the validation code,
    not of the sheet, so it stops the import before anything of the file is written,
    naming the column and the row's index."""
    try:
        _stored_adapter().validate_python(dict(zip(STORED, cols, strict=True)))
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise RuntimeError(f"a stored row does not fit the row model at {where}: {first['msg']}") from e


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
    booleans 0/1, here: converting row by row in the writer would hold up the one process
    that every file waits for.
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
    check_stored(cols)
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
