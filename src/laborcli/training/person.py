"""One person's training records and what each led to (`laborcli person ID`).

The person's records are those with their valid ID, and those without one that link to
them (on the dedup evidence, or by a reviewer's decision): only records whose name
sounds like one of the person's names are scored, so one person's page does not score
the whole roster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.identity.privacy import Mask
from laborcli.policy import DedupPolicy, TrainingPolicy
from laborcli.registry.tables import rows
from laborcli.roster.history import person_keys
from laborcli.training.figures import Outcome, judge, observed_persons
from laborcli.training.linking import link_records
from laborcli.training.records import load_records


@dataclass(slots=True)
class PersonTraining:
    """A person's training records as of D, oldest first."""

    as_of: dt.date
    months: int
    outcomes: list[Outcome] = field(default_factory=list)

    def as_json(self, mask: Mask) -> dict[str, Any]:
        """The ``training`` key of `person --format json` (docs/json.md#person)."""
        return {
            "as_of": self.as_of,
            "months": self.months,
            "records": [o.as_json(mask) for o in self.outcomes],
        }


def person_training(
    conn: Connection, ident: str, as_of: dt.date, dedup: DedupPolicy, policy: TrainingPolicy
) -> PersonTraining:
    """The training of the person with this ID or person key."""
    keys = person_keys(conn, ident)
    names = {
        r[0]
        for r in conn.execute(sa.select(rows.c.name).where(rows.c.person_key.in_(sorted(keys))).distinct())
    }
    records = load_records(conn, own_keys=keys)
    unverified = load_records(conn, unverified=True)
    if unverified:  # names are compared by sound only when some record lacks an ID
        from laborcli.identity.names import name_pinyin

        sounds = {name_pinyin(n) for n in names if n}
        records += [r for r in unverified if name_pinyin(r.name) in sounds]
    linked = link_records(conn, records, as_of, dedup, policy)
    theirs = [r for r in records if linked[r.own_key].person_key in keys]
    persons = {p for p in (linked[r.own_key].person_key for r in theirs) if p}
    observed = observed_persons(conn, persons, as_of)
    outs = judge(theirs, linked, observed, as_of, policy.window_months)
    outs.sort(key=lambda o: (o.record.end, o.record.record_key))
    return PersonTraining(as_of, policy.window_months, outs)
