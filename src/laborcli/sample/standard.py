"""The standard sheet as the generator writes it: read from schemas/village_sheet.toml.

The shipped schema is the one home of the column keys, their order and headers, and of
what each status and labour capacity counts as; the generator never repeats them. A
county's own ``--schema`` does not reach here, so the same seed always writes the same
files.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

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


@functools.cache
def standard() -> Standard:
    """The shipped schema's columns and rules (read once per process)."""
    schema = load_schema()
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
    )
