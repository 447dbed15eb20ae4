"""Training records as the registry keeps them, read back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.tables import training_imports, training_records


@dataclass(slots=True)
class TrainingRecord:
    """One record of a training roster (培训花名册)."""

    record_key: str
    own_key: str
    source: str
    sheet: str
    row: int
    name: str
    id_number: str | None
    id_valid: bool
    township: str
    village: str
    course_type: str
    trade: str | None
    institution: str | None
    start: dt.date | None
    end: dt.date
    certificate: bool | None
    order_employer: str | None
    birth: dt.date | None
    phone: str | None

    @property
    def order(self) -> bool:
        """Order training (订单培训): the record names an 订单企业."""
        return bool(self.order_employer and self.order_employer.strip())


def _date(v: object) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def load_records(
    conn: Connection,
    *,
    year: int | None = None,
    until: dt.date | None = None,
    own_keys: Collection[str] | None = None,
    unverified: bool = False,
) -> list[TrainingRecord]:
    """Records ending in ``year`` (a record belongs to the year of its 结束日期) and on or
    before ``until``; only those of ``own_keys`` when given, only those without a valid ID
    with ``unverified``. In a stable order."""
    t = training_records
    q = sa.select(t, training_imports.c.file_name).join(
        training_imports, training_imports.c.id == t.c.import_id
    )
    if year is not None:
        q = q.where(t.c.end_date >= dt.date(year, 1, 1), t.c.end_date <= dt.date(year, 12, 31))
    if until is not None:
        q = q.where(t.c.end_date <= until)
    if own_keys is not None:
        q = q.where(t.c.own_key.in_(sorted(own_keys)))
    if unverified:
        q = q.where(t.c.id_valid == sa.false())
    q = q.order_by(t.c.end_date, t.c.id)
    out = []
    for r in conn.execute(q):
        m = r._mapping
        end = _date(m["end_date"])
        assert end is not None
        out.append(
            TrainingRecord(
                record_key=m["record_key"],
                own_key=m["own_key"],
                source=m["file_name"],
                sheet=m["sheet"],
                row=m["row_number"],
                name=m["name"],
                id_number=m["id_number"],
                id_valid=bool(m["id_valid"]),
                township=m["township"],
                village=m["village"],
                course_type=m["course_type"],
                trade=m["trade"],
                institution=m["institution"],
                start=_date(m["start_date"]),
                end=end,
                certificate=None if m["certificate"] is None else bool(m["certificate"]),
                order_employer=m["order_employer"],
                birth=_date(m["birth_date"]),
                phone=m["phone"],
            )
        )
    return out
