"""One person's or one household's history across imports (一户一档): what each sheet said."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import NotFound
from laborcli.i18n import pick
from laborcli.identity.keys import is_person_key, verified_key
from laborcli.registry.tables import imports, links, rows, snapshots
from laborcli.sheets.idcard import convert_15_to_18, normalise_id

if TYPE_CHECKING:
    from laborcli.registry import Registry
    from laborcli.subsidies.ledger import Forgotten

TRACKED = (
    "township",
    "village",
    "grp",
    "household_id",
    "name",
    "employment_status",
    "work_place",
    "employer",
    "job_start",
    "monthly_income",
    "organised",
    "labour_capacity",
    "phone",
    "poor_household",
    "relocated",
)


@dataclass(slots=True)
class Entry:
    """One imported row about the person, and what changed since the one before."""

    as_of: Any
    mode: str
    source: str
    sheet: str
    row: int
    person_key: str
    values: dict[str, Any]
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)


def person_keys(conn: Connection, ident: str) -> set[str]:
    """The person keys an ID (or a person key) stands for, following confirmed links."""
    norm = normalise_id(ident)
    if len(norm) == 15 and norm.isdigit():  # a first-generation ID: the registry keeps 18 digits
        norm = convert_15_to_18(norm)
    keys = {ident, verified_key(norm)}
    # Rows that carry this ID but failed a check have other keys than a verified one.
    unverified = sa.select(rows.c.person_key).where(rows.c.id_valid == sa.false(), rows.c.id_number == norm)
    keys |= {r[0] for r in conn.execute(unverified.distinct())}
    canon = {r[0] for r in conn.execute(sa.select(links.c.canonical).where(links.c.person_key.in_(keys)))}
    keys |= canon
    keys |= {r[0] for r in conn.execute(sa.select(links.c.person_key).where(links.c.canonical.in_(keys)))}
    return keys


def _entries(conn: Connection, where: sa.ColumnElement[bool]) -> list[Entry]:
    q = (
        sa.select(rows, imports.c.file_name, imports.c.mode)
        .join(imports, imports.c.id == rows.c.import_id)
        .where(where)
        .order_by(rows.c.as_of, rows.c.import_id, rows.c.row_number)
    )
    out: list[Entry] = []
    for r in conn.execute(q):
        m = r._mapping
        out.append(
            Entry(
                m["as_of"],
                m["mode"],
                m["file_name"],
                m["sheet"],
                m["row_number"],
                m["person_key"],
                {k: m[k] for k in (*TRACKED, "id_number", "relation", "gender_eff", "birth_eff")},
            )
        )
    return out


def _diff(entries: list[Entry]) -> None:
    last: dict[str, Entry] = {}
    for e in entries:
        k = e.person_key
        prev = last.get(k)
        if prev is not None:
            e.changes = [
                (f, prev.values.get(f), e.values.get(f))
                for f in TRACKED
                if prev.values.get(f) != e.values.get(f)
            ]
        last[k] = e


def person_history(conn: Connection, ident: str) -> list[Entry]:
    """Every row about a person (by ID or person key), oldest first, with changes;
    :class:`NotFound` when there is none."""
    entries = _entries(conn, rows.c.person_key.in_(person_keys(conn, ident)))
    if not entries:
        raise NotFound(pick("没有找到此人", "no such person in the registry"))
    _diff(entries)
    return entries


def household_history(conn: Connection, household_id: str) -> list[Entry]:
    """Every row of a household, oldest first, with each member's changes;
    :class:`NotFound` when there is none."""
    # Through the figure index (snapshot, household, ...): a seek per snapshot.
    every_snapshot = rows.c.snapshot_id.in_(sa.select(snapshots.c.id))
    entries = _entries(conn, sa.and_(every_snapshot, rows.c.household_id == household_id.strip()))
    if not entries:
        raise NotFound(pick(f"没有找到户编号 {household_id}", f"no such household: {household_id}"))
    _diff(entries)
    return entries


@dataclass(frozen=True)
class Purged:
    """What `people purge` did: rows deleted, and what to run so that the database's
    files no longer hold them (PostgreSQL: VACUUM), if anything."""

    rows: int
    reclaim: str | None
    ledger: Forgotten | None = None  # the ledger lines kept with the person masked out


def purge(reg: Registry, ident: str, reason: str) -> Purged:
    """Delete every row of the person with this ID (right to deletion), and the problems
    that hold their values, logged with ``reason``. :class:`NotFound` when there were none.

    On SQLite the write-ahead log, which still holds the pages as they were, is copied
    into the file (whose deleted cells are zeros) and emptied.
    """
    from laborcli.registry.admin import purge_person, reclaim_advice

    # The payment ledger is the subsidy layer's; it is told before the rows go.
    from laborcli.subsidies.ledger import Forgotten, forget_person

    with reg.writing() as conn:
        keys = sorted(person_keys(conn, ident))
        theirs = conn.execute(
            sa.select(rows.c.name, rows.c.township, rows.c.village, rows.c.id_number, rows.c.id_raw).where(
                rows.c.person_key.in_(keys)
            )
        ).all()
        ledger = Forgotten()
        if theirs:
            ledger = forget_person(
                conn,
                set(keys),
                {v for r in theirs for v in (r.id_number, r.id_raw) if v},
                {(r.name, r.township, r.village) for r in theirs},
                {r.name for r in theirs if r.name},
            )
        n = sum(purge_person(conn, k, reason) for k in keys if is_person_key(k))
    if n == 0:
        raise NotFound(pick("没有找到此人, 未删除任何记录", "no such person: nothing was deleted"))
    reg.truncate_log()
    return Purged(n, reclaim_advice(reg), ledger)
