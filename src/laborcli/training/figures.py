"""`laborcli training`: who was trained and what it led to (docs/programmes.md "Training").

For year Y as of D, over the records whose 结束日期 lies in Y and on or before D (a course
not yet ended by D has no outcome to judge):

- persons trained (each person once per row, and once in the total) and person-times
  (人次: records), certificates (records with 是否取得证书 = 是);
- **employed after training**: the record's person is transferred at some month end in
  (结束日期, 结束日期 + k months] (policy ``training.window_months``, default 3). Each
  record is judged on its own window (a person trained twice has two windows). A record
  whose window has not closed by D (结束日期 + k months > D) is counted in ``in_window``
  only: neither employed nor not yet, and outside the rate's denominator;
- for order training (a record naming an 订单企业), **placed with the order employer**: at
  such a month end the person is transferred and their 就业单位 names the 订单企业
  (training/companies.py); its rate is over the order records with a closed window.

A record without a valid ID is linked on the dedup evidence (training/linking.py); one
left for review or unlinked counts as a person of its own, never employed (nothing is
known of them), and is listed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.dates import month_end
from laborcli.identity.privacy import Mask
from laborcli.policy import DedupPolicy, TrainingPolicy
from laborcli.registry.tables import links, rows
from laborcli.roster.state import drop_temporary
from laborcli.tenure.months import add_months
from laborcli.tenure.observations import Observations
from laborcli.tenure.spells import Observation, observations
from laborcli.training.companies import names_company
from laborcli.training.linking import Link, link_records
from laborcli.training.records import TrainingRecord, load_records

By = Literal["type", "institution", "county", "township", "village"]
BY_VALUES: tuple[str, ...] = ("type", "institution", "county", "township", "village")
COURSE_TYPES = ("特色工种培训", "职业技能培训", "农村实用技术培训", "岗前培训")
# Above this many persons the observations are read for everyone and filtered here: a
# list of keys that long would pass the databases' limits on one statement's parameters.
_KEYS_IN_SQL = 2000
UNFILLED = "未填"


@dataclass(slots=True)
class Outcome:
    """One record judged: its person, its window, and what it led to."""

    record: TrainingRecord
    link: Link
    person: str  # the linked person key, else the record's own key
    window_end: dt.date
    closed: bool
    employed_on: dt.date | None = None
    placed_on: dt.date | None = None
    employer: str | None = None

    @property
    def employed(self) -> bool:
        """Transferred at a month end of the window."""
        return self.employed_on is not None

    @property
    def placed(self) -> bool:
        """Order training placed with the order employer within the window."""
        return self.placed_on is not None

    def as_json(self, mask: Mask) -> dict[str, Any]:
        """A record of `person`'s ``training`` and of the lists of docs/json.md#training."""
        r = self.record
        return {
            "record_id": r.record_key,
            "source": r.source,
            "sheet": r.sheet,
            "row": r.row,
            "name": r.name,
            "id_number": mask.id(r.id_number),
            "township": r.township,
            "village": r.village,
            "course_type": r.course_type,
            "trade": r.trade,
            "institution": r.institution,
            "start": r.start,
            "end": r.end,
            "certificate": r.certificate,
            "order_employer": r.order_employer,
            "link": self.link.how,
            "window_end": self.window_end,
            "in_window": not self.closed,
            "employed_after": self.employed if self.closed else None,
            "employed_on": self.employed_on,
            "placed_with_order_employer": (self.placed if self.closed else None) if r.order else None,
            "employer": self.employer,
        }


def _row_keys(conn: Connection, persons: Collection[str]) -> set[str]:
    """The row person keys of ``persons`` (canonical keys): theirs and those linked to them."""
    keys = set(persons)
    for r in conn.execute(sa.select(links.c.person_key, links.c.canonical)):
        if r[1] in keys:
            keys.add(r[0])
    return keys


def observed_persons(conn: Connection, persons: set[str], as_of: dt.date) -> dict[str, list[Observation]]:
    """Every observation up to D of ``persons`` (canonical person keys), by person: for a
    person's page and the payment's spells (a few persons)."""
    if not persons:
        return {}
    keys = _row_keys(conn, persons) if len(persons) <= _KEYS_IN_SQL else None
    _, people = observations(conn, as_of, keys)
    by: dict[str, list[Observation]] = {}
    for group in people:
        if group and group[0].pkey in persons:
            by.setdefault(group[0].pkey, []).extend(group)
    return by


class Observed(Protocol):
    """What judging a record reads of an observation."""

    @property
    def d(self) -> dt.date: ...
    @property
    def transferred(self) -> bool: ...
    @property
    def employer(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Seen:
    """A transferred observation of a trained person at a month end of some window."""

    d: dt.date
    transferred: bool
    employer: str | None


def window_dates(records: Iterable[TrainingRecord], as_of: dt.date, months: int) -> list[dt.date]:
    """The month ends that some record's window holds, up to D."""
    ends = [r.end for r in records]
    if not ends:
        return []
    last = min(as_of, max(add_months(e, months) for e in ends))
    out = []
    y, m = min(ends).year, min(ends).month
    while (y, m) <= (last.year, last.month):
        d = month_end(y, m)
        if min(ends) < d <= last:
            out.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def transferred_at(conn: Connection, persons: set[str], dates: list[dt.date]) -> dict[str, list[Seen]]:
    """The transferred observations of ``persons`` at ``dates``, by person: only those
    rows are read, so a county's records are judged without streaming its history."""
    by: dict[str, list[Seen]] = defaultdict(list)
    if not persons or not dates:
        return by
    small = len(persons) <= _KEYS_IN_SQL
    made: str | None = None
    try:
        if not small:
            made = f"tmp_trained_{uuid.uuid4().hex[:10]}"
            tmp = sa.Table(
                made,
                sa.MetaData(),
                sa.Column("pkey", sa.String(64), primary_key=True),
                prefixes=["TEMPORARY"],
            )
            tmp.create(conn)
            conn.execute(tmp.insert(), [{"pkey": p} for p in sorted(persons)])
        with Observations.kept(conn, dates, _row_keys(conn, persons) if small else None) as obs:
            o = obs.select(rows.c.transferred, rows.c.employer).subquery("o")
            wanted = o.c.pkey.in_(sa.select(tmp.c.pkey)) if made is not None else sa.true()
            q = sa.select(o.c.d, o.c.pkey, o.c.employer).where(o.c.transferred == sa.true(), wanted)
            for d, pkey, employer in conn.execute(q):
                if pkey in persons:
                    by[pkey].append(Seen(d, True, employer))
    finally:
        if made is not None:
            drop_temporary(conn, made)
    for seen in by.values():
        seen.sort(key=lambda x: x.d)
    return by


def judge(
    records: Iterable[TrainingRecord],
    linked: dict[str, Link],
    observed: Mapping[str, Sequence[Observed]],
    as_of: dt.date,
    months: int,
) -> list[Outcome]:
    """Each record's outcome from its person's observations at month ends."""
    out = []
    for r in records:
        link = linked[r.own_key]
        person = link.person_key or r.own_key
        end = add_months(r.end, months)
        o = Outcome(r, link, person, end, end <= as_of)
        for obs in observed.get(link.person_key or "", ()):
            d = obs.d
            if not (r.end < d <= end and d <= as_of and d == month_end(d.year, d.month)):
                continue
            if obs.transferred:
                if o.employed_on is None:
                    o.employed_on, o.employer = obs.d, obs.employer
                if r.order and o.placed_on is None and names_company(obs.employer, r.order_employer):
                    o.placed_on, o.employer = obs.d, obs.employer
        out.append(o)
    return out


def outcomes(
    conn: Connection,
    records: list[TrainingRecord],
    as_of: dt.date,
    dedup: DedupPolicy,
    policy: TrainingPolicy,
) -> list[Outcome]:
    """Link and judge ``records`` as of D."""
    linked = link_records(conn, records, as_of, dedup, policy)
    persons = {lk.person_key for lk in linked.values() if lk.person_key}
    dates = window_dates(records, as_of, policy.window_months)
    seen = transferred_at(conn, persons, dates)
    return judge(records, linked, seen, as_of, policy.window_months)


def _empty() -> dict[str, Any]:
    return {
        "persons": 0,
        "person_times": 0,
        "certificates": 0,
        "in_window": 0,
        "employed_after": 0,
        "employed_after_rate": None,
        "order_records": 0,
        "placed_with_order_employer": 0,
        "placed_with_order_employer_rate": None,
    }


def figures_of(outs: Iterable[Outcome]) -> dict[str, Any]:
    """The counts of docs/json.md#training over some outcomes (persons counted once)."""
    f = _empty()
    persons: set[str] = set()
    closed = order_closed = 0
    for o in outs:
        persons.add(o.person)
        f["person_times"] += 1
        f["certificates"] += 1 if o.record.certificate else 0
        if o.record.order:
            f["order_records"] += 1
        if not o.closed:
            f["in_window"] += 1
            continue
        closed += 1
        f["employed_after"] += 1 if o.employed else 0
        if o.record.order:
            order_closed += 1
            f["placed_with_order_employer"] += 1 if o.placed else 0
    f["persons"] = len(persons)
    f["employed_after_rate"] = f["employed_after"] / closed if closed else None
    f["placed_with_order_employer_rate"] = (
        f["placed_with_order_employer"] / order_closed if order_closed else None
    )
    return f


def group_key(o: Outcome, by: str) -> str:
    """The row an outcome counts in, as ``--by`` says."""
    r = o.record
    if by == "type":
        return r.course_type
    if by == "institution":
        return (r.institution or "").strip() or UNFILLED
    if by == "township":
        return r.township or UNFILLED
    if by == "village":
        return f"{r.township or UNFILLED}/{r.village or UNFILLED}"
    return "全县"


@dataclass(slots=True)
class TrainingFigures:
    """docs/json.md#training, with the links behind it."""

    year: int
    as_of: dt.date
    by: str
    months: int
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    outcomes: list[Outcome] = field(default_factory=list)

    def link_counts(self) -> dict[str, int]:
        """Records by how they were linked (id, evidence, decided, review, unlinked)."""
        counts = dict.fromkeys(("id", "evidence", "decided", "review", "unlinked"), 0)
        for o in self.outcomes:
            counts[o.link.how] += 1
        return counts

    def as_json(self, show_pii: bool = False) -> dict[str, Any]:
        """The JSON shape of docs/json.md#training (cli.md's keys, then the links)."""
        mask = Mask(show_pii)
        review = [o for o in self.outcomes if o.link.how == "review"]
        return {
            "year": self.year,
            "as_of": self.as_of,
            "by": self.by,
            "months": self.months,
            "rows": self.rows,
            "total": self.total,
            "links": self.link_counts(),
            "review": [
                {**o.as_json(mask), "candidates": [c.as_json(mask) for c in o.link.candidates]}
                for o in review
            ],
            "unlinked": [o.as_json(mask) for o in self.outcomes if o.link.how == "unlinked"],
        }


def training_figures(
    conn: Connection,
    year: int,
    as_of: dt.date,
    by: str,
    dedup: DedupPolicy,
    policy: TrainingPolicy,
) -> TrainingFigures:
    """The training figures of year Y as of D, by course type, institution or place."""
    records = load_records(conn, year=year, until=as_of)
    outs = outcomes(conn, records, as_of, dedup, policy)
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outs:
        groups[group_key(o, by)].append(o)
    order = {t: i for i, t in enumerate(COURSE_TYPES)} if by == "type" else {}
    keys = sorted(groups, key=lambda k: (order.get(k, len(order)), k))
    rows = [{"key": k, **figures_of(groups[k])} for k in keys]
    return TrainingFigures(year, as_of, by, policy.window_months, rows, figures_of(outs), outs)
