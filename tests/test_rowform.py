"""The row model (rowform.StoredColumns): every accepted row is held to it before it is
written, and it is the registry's rows table, column for column."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

import pytest
import sqlalchemy as sa

from laborcli.registry.tables import rows
from laborcli.roster.rowform import STORED, StoredColumns, check_stored

_HINTS = typing.get_type_hints(StoredColumns, include_extras=True)


def _cell_type(name: str) -> tuple[Any, bool]:
    """(the type of one cell of the column, whether it may be empty)."""
    (cell,) = typing.get_args(_HINTS[name])
    if typing.get_origin(cell) in (typing.Union, types.UnionType):
        parts = [a for a in typing.get_args(cell) if a is not type(None)]
        return parts[0], True
    return cell, False


def _sql_kind(cell: Any) -> type[sa.types.TypeEngine[Any]]:
    if typing.get_origin(cell) is typing.Annotated:  # a 0/1 flag, or ISO date text
        return sa.Boolean if typing.get_args(cell)[0] is int else sa.Date
    return {int: sa.Integer, float: sa.Float, str: sa.String}[cell]


def test_the_row_model_is_the_rows_table_column_for_column() -> None:
    table = [c for c in rows.columns if c.name not in ("id", "snapshot_id", "import_id", "as_of")]
    assert list(_HINTS) == list(STORED) == [c.name for c in table]
    for c in table:
        cell, empty_allowed = _cell_type(c.name)
        assert empty_allowed == c.nullable, c.name
        assert isinstance(c.type, _sql_kind(cell)), c.name


def _one_row() -> list[list[Any]]:
    """A valid stored row, as columns."""
    value: dict[type[sa.types.TypeEngine[Any]], Any] = {
        sa.Boolean: 1,
        sa.Date: "1990-01-31",
        sa.Integer: 3,
        sa.Float: 4500.0,
        sa.String: "文本",
    }
    return [[value[_sql_kind(_cell_type(name)[0])]] for name in STORED]


def _with(name: str, v: Any) -> list[list[Any]]:
    cols = _one_row()
    cols[STORED.index(name)] = [v]
    return cols


def test_a_valid_row_fits() -> None:
    check_stored(_one_row())
    check_stored(_with("monthly_income", None))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("transferred", True),  # a flag is 0/1: the driver binds a bool seven times slower
        ("id_valid", 2),
        ("birth_date", dt.date(1990, 1, 31)),  # dates are stored as ISO text
        ("job_start", "1990.1.31"),
        ("household_size", 3.0),
        ("monthly_income", "4500"),
        ("employment_status", None),  # NOT NULL in the table
        ("person_key", None),
        ("name", 5),
    ],
)
def test_a_row_that_does_not_fit_stops_before_anything_is_written(name: str, value: Any) -> None:
    with pytest.raises(RuntimeError, match=name):
        check_stored(_with(name, value))
