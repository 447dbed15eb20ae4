"""Shared fixtures: a registry on SQLite and on PostgreSQL, sheet folders, the CLI runner.

Every test that takes ``db_url`` runs on both back ends. PostgreSQL tests use a fresh
schema of the server named by LABORCLI_TEST_PG (default: the local server of the dev and
CI machines); where no server answers they are skipped with the reason shown, never
silently.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

# The tables' width without a terminal is part of what is tested; pytest-xdist's workers
# inherit COLUMNS=80 and LINES=24, which rich would take over any detection. Dropped
# before laborcli's consoles are made at import.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

from laborcli.cli.app import app  # noqa: E402

PG_URL = os.environ.get("LABORCLI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_state: dict[str, str | None] = {}


def pg_available() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    if "why" not in _pg_state:
        try:
            eng = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with eng.connect() as c:
                c.execute(sa.text("select 1"))
            eng.dispose()
            _pg_state["why"] = None
        except Exception as e:
            _pg_state["why"] = f"PostgreSQL at {PG_URL} not reachable: {str(e).splitlines()[0]}"
    return _pg_state["why"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty registry URL on each back end."""
    if request.param == "sqlite":
        yield str(tmp_path / "registry.db")
        return
    why = pg_available()
    if why:
        if os.environ.get("CI") and os.environ.get("LABORCLI_REQUIRE_PG"):
            pytest.fail(why)
        pytest.skip(why)
    schema = "t_" + uuid.uuid4().hex[:12]
    eng = sa.create_engine(PG_URL)
    with eng.begin() as c:
        c.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with eng.begin() as c:
        c.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    eng.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite registry only (for tests about the embedded file itself)."""
    return str(tmp_path / "registry.db")


class Cli:
    """Runs laborcli in-process through Typer's runner, against one registry."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, db: bool = True) -> Any:
        argv = (["--db", self.db] if db else []) + [str(a) for a in args]
        return self.runner.invoke(app, argv, catch_exceptions=False)

    def json(self, *args: str) -> Any:
        """Run with --format json; assert it ran, and parse stdout."""
        r = self(*args, "--format", "json")
        assert r.exit_code in (0, 1), (r.exit_code, r.output)
        return json.loads(r.stdout)


@pytest.fixture
def cli(db_url: str) -> Cli:
    """The CLI against a fresh registry on each back end."""
    return Cli(db_url)


@pytest.fixture
def cli_sqlite(sqlite_url: str) -> Cli:
    """The CLI against a fresh SQLite registry."""
    return Cli(sqlite_url)
