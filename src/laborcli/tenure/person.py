"""One person's months of history as of D: their spells and their labour income in the
year (what `laborcli person` shows beside the rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from laborcli.roster.history import person_keys
from laborcli.tenure.income import DEFAULT_INCOME_MAX, PersonIncome, person_income
from laborcli.tenure.spells import PersonSpells, person_spells


@dataclass(slots=True)
class PersonTenure:
    """Spells and the year's labour income of one person."""

    spells: PersonSpells
    income: PersonIncome

    def as_json(self) -> dict[str, Any]:
        """The ``spells`` and ``income`` keys of `person --format json`."""
        return {"spells": self.spells.as_json(), "income": self.income.as_json()}


def person_tenure(
    conn: Connection,
    ident: str,
    as_of: dt.date,
    stable_months: int,
    *,
    year: int | None = None,
    income_max: float = DEFAULT_INCOME_MAX,
) -> PersonTenure:
    """The spells up to D and the labour income in ``year`` (D's year by default) of the
    person with this ID or person key, every key of theirs followed."""
    keys = person_keys(conn, ident)
    y = as_of.year if year is None else year
    return PersonTenure(
        person_spells(conn, keys, as_of, stable_months),
        person_income(conn, keys, y, as_of, income_max=income_max),
    )
