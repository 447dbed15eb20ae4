"""The standard sheet and policy as the generator uses them, read from schemas/.

The shipped schema (village_sheet.toml) is the one home of the column keys, their order
and headers, and of what each status and labour capacity counts as; the shipped policy
(policy.toml) of the labour-force ages. The generator never repeats them. A county's own
``--schema`` or ``--policy`` does not reach here, so the same seed always writes the
same files and the same answer key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from laborcli.policy import load_policy
from laborcli.sheets.schema import load_schema


@dataclass(frozen=True, slots=True)
class Standard:
    """Columns and status rules of the shipped village sheet."""

    keys: tuple[str, ...]  # column keys in the template's order
    headers: dict[str, str]  # key -> standard header
    transferred: frozenset[str]  # statuses that count as transfer employment
    not_labour_force: frozenset[str]  # statuses outside the labour force (students, conscripts)
    idle: frozenset[str]  # statuses of labour not transferred (farming, no work, other)
    excluded_capacity: frozenset[str]  # capacities that take a person out of the labour force
    ages: dict[bool, tuple[int, int]]  # male or not -> inclusive labour-force ages in full years


@functools.cache
def standard() -> Standard:
    """The shipped schema's columns and rules, and the shipped policy's ages (read once per process)."""
    schema = load_schema()
    lf = load_policy().labour_force
    statuses = schema.vocabularies["employment_status"].terms
    return Standard(
        keys=tuple(c.key for c in schema.columns),
        headers={c.key: c.header for c in schema.columns},
        transferred=frozenset(t.term for t in statuses if t.transferred),
        not_labour_force=frozenset(t.term for t in statuses if not t.labour_force),
        idle=frozenset(t.term for t in statuses if t.labour_force and not t.transferred),
        excluded_capacity=frozenset(
            t.term for t in schema.vocabularies["labour_capacity"].terms if t.excluded
        ),
        ages={True: (lf.min_age_male, lf.max_age_male), False: (lf.min_age_female, lf.max_age_female)},
    )
