"""Turning global options into core objects (registry, schema, policy)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from laborcli.cli.output import AppState

if TYPE_CHECKING:
    from laborcli.policy import Policy
    from laborcli.registry import Registry
    from laborcli.sheets.checking import Settings


def open_reg(st: AppState, *, create: bool = True, check_version: bool = True) -> Registry:
    """The registry named by --db / LABORCLI_DB / ./laborcli.db, closed with the command."""
    from laborcli.registry import open_registry

    reg = open_registry(st.db, create=create, check_version=check_version)
    st.opened.append(reg)
    return reg


def policy(st: AppState) -> Policy:
    """The county policy (--policy, else the shipped defaults)."""
    from laborcli.policy import load_policy

    return load_policy(Path(st.policy) if st.policy else None)


def settings(
    st: AppState, *, strict: bool = False, township: str | None = None, village: str | None = None
) -> Settings:
    """How sheets are read: the schema (--schema) and the row options."""
    from laborcli.sheets.checking import Settings
    from laborcli.sheets.schema import load_schema

    return Settings(
        schema=load_schema(Path(st.schema) if st.schema else None),
        strict=strict,
        defaults={k: v for k, v in (("township", township), ("village", village)) if v},
        today=dt.date.today(),
    )
