"""Placements (docs/programmes.md, "Matching people to jobs"): an answer 已上岗 brought
back for a proposal, or a proposed person whose later sheet names the demand's company as
就业单位 ("from the sheet"). A placement fills one of a demand's openings; one from the
sheet never by itself makes anyone due a payment (nothing here feeds the subsidies).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.jobs.names import names_company
from laborcli.registry.tables import answers, demands, links, proposals, rows
from laborcli.roster.state import CurrentState, person_key_expr

PLACED = "已上岗"
REFUSED = "不愿意"
WILLING = "愿意"
ANSWERS = (WILLING, REFUSED, PLACED)


@dataclass(slots=True)
class Placements:
    """Who is placed in which demand, and the pairs answered 不愿意."""

    answered: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    from_sheet: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    refused: set[tuple[str, str]] = field(default_factory=set)

    def placed(self, demand_id: str) -> int:
        """Persons placed in the demand, each once."""
        return len(self.answered.get(demand_id, set()) | self.from_sheet.get(demand_id, set()))

    def sheet_only(self, demand_id: str) -> int:
        """Placements found in the sheets only."""
        return len(self.from_sheet.get(demand_id, set()) - self.answered.get(demand_id, set()))

    def placed_persons(self) -> set[str]:
        """Every person placed (answered 已上岗), in any demand."""
        return set().union(*self.answered.values()) if self.answered else set()


def placements(conn: Connection, d: dt.date, *, answered_by: dt.date | None = None) -> Placements:
    """The answers recorded, and the placements the sheets current at ``d`` show.

    ``answered_by``: only the answers recorded on or before that day (the Friday
    session's view of a week, as it stood then); by default every answer recorded,
    since an answer is a fact the office knows now whatever date it asks about.
    """
    out = Placements()
    q = sa.select(answers.c.demand_id, answers.c.person_key, answers.c.answer)
    if answered_by is not None:
        q = q.where(
            answers.c.recorded_at < dt.datetime.combine(answered_by + dt.timedelta(days=1), dt.time())
        )
    for demand, person, answer in conn.execute(q):
        if answer == PLACED:
            out.answered[demand].add(person)
        elif answer == REFUSED:
            out.refused.add((demand, person))
    delivered = conn.execute(
        sa.select(proposals.c.demand_id, proposals.c.person_key, proposals.c.first_as_of, demands.c.company)
        .join(demands, demands.c.demand_id == proposals.c.demand_id)
        .where(proposals.c.first_as_of < d)
    ).all()
    if not delivered:
        return out
    with CurrentState.kept(conn, d) as state:
        pk = person_key_expr()
        q = (
            sa.select(pk.label("pkey"), rows.c.employer, rows.c.as_of)
            .outerjoin(links, links.c.person_key == rows.c.person_key)
            .where(state.condition(), rows.c.employer.is_not(None), pk.in_(sa.select(proposals.c.person_key)))
        )
        current = {r.pkey: (r.employer, r.as_of) for r in conn.execute(q)}
    for demand, person, first, company in delivered:
        seen = current.get(person)
        # A sheet dated after the list that carried the proposal names the company.
        if seen is not None and seen[1] > first and names_company(seen[0], company):
            out.from_sheet[demand].add(person)
    return out
