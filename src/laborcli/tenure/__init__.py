"""Months of history: observations, job spells, retention (稳岗率) and labour income
(务工收入), docs/programmes.md. The later programmes (subsidies, honours, matching,
training) stand on these functions."""

from laborcli.tenure.income import (
    DEFAULT_INCOME_MAX,
    HouseholdIncome,
    Income,
    PersonIncome,
    household_incomes,
    income,
    person_income,
    person_incomes,
)
from laborcli.tenure.months import add_months, full_months, observation_dates
from laborcli.tenure.observations import Observations, state_table
from laborcli.tenure.retention import Retention, retention
from laborcli.tenure.spells import (
    Observation,
    PersonSpells,
    Spell,
    current_spell_months,
    observations,
    person_spells,
    spells_of,
)

__all__ = [
    "DEFAULT_INCOME_MAX",
    "HouseholdIncome",
    "Income",
    "Observation",
    "Observations",
    "PersonIncome",
    "PersonSpells",
    "Retention",
    "Spell",
    "add_months",
    "current_spell_months",
    "full_months",
    "household_incomes",
    "income",
    "observation_dates",
    "observations",
    "person_income",
    "person_incomes",
    "person_spells",
    "retention",
    "spells_of",
    "state_table",
]
