"""The shared registry: concurrent cron jobs, readers during imports, schema versions, backups.

Every figure here comes from sheets where person i works outside the county when i is even
and farms when i is odd, each in a household of their own: a village of 2n rows has
labour force 2n, n transferred, 2n households and n zero-employment households.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from laborcli.registry import SCHEMA_VERSION, to_url
from laborcli.registry.engine import PG_WRITE_LOCK
from tests.conftest import PG_URL, Cli, pg_available
from tests.sheets import person, write_csv, write_xlsx

LABORCLI = str(Path(sys.executable).parent / "laborcli")
AS_OF = "2026-11-30"
ENV = {**os.environ, "LABORCLI_LANG": "en", "LABORCLI_WORKERS": "1"}


# ---------------------------------------------------------------- helpers


def _rows(village: str, n: int, start: int = 0) -> list[dict[str, object]]:
    """n people; even i works outside the county, odd i farms; one household each."""
    return [
        person(
            f"{village}村民{i}",
            dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            seq=i,
            village=village,
            household=f"{village}-H{i:04d}",
            status="县外务工" if i % 2 == 0 else "务农",
        )
        for i in range(start, start + n)
    ]


@dataclass
class Ran:
    """What one laborcli command did: exit code, stdout, stderr."""

    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """laborcli's entry point in-process, as the console script calls it (errors as exit codes)."""
    from laborcli.cli.app import main

    monkeypatch.setenv("LABORCLI_LANG", "en")

    def invoke(db: str, *args: str) -> Ran:
        capsys.readouterr()
        code = main(["--db", db, *args])
        cap = capsys.readouterr()
        return Ran(code, cap.out, cap.err)

    return invoke


def _rates(run: Run, db: str) -> dict[str, Any]:
    r = run(db, "rates", "--as-of", AS_OF, "--by", "village", "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def _figures(rates: dict[str, Any]) -> list[tuple[str, int, int, int, int]]:
    return [
        (
            r["village"],
            r["labour_force"],
            r["transferred"],
            r["households"],
            r["zero_employment_households"],
        )
        for r in rates["rows"]
    ]


def _engine(db: str) -> sa.Engine:
    return sa.create_engine(to_url(db))


def _scalar(db: str, sql: str) -> Any:
    eng = _engine(db)
    try:
        with eng.connect() as c:
            return c.execute(sa.text(sql)).scalar()
    finally:
        eng.dispose()


def _one_clear_line(r: Ran) -> str:
    """The error is one line on stderr, no traceback, nothing on stdout."""
    assert "Traceback" not in r.stderr, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, r.stderr
    assert r.stdout == ""
    return lines[0]


@contextmanager
def _write_lock(path: str) -> Iterator[None]:
    """Another connection holding SQLite's write lock, as a running import does."""
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        yield
        writer.execute("ROLLBACK")
    finally:
        writer.close()


def _pg_schema_url(schema: str, base: str = PG_URL) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """More fresh registries on the same back end as ``db_url``."""
    schemas: list[str] = []
    eng = None if "://" not in db_url else sa.create_engine(PG_URL)

    def make(name: str) -> str:
        if eng is None:
            return str(tmp_path / f"{name}.db")
        schema = "t_" + uuid.uuid4().hex[:12]
        with eng.begin() as c:
            c.execute(sa.text(f"CREATE SCHEMA {schema}"))
        schemas.append(schema)
        return _pg_schema_url(schema)

    yield make
    if eng is not None:
        with eng.begin() as c:
            for s in schemas:
                c.execute(sa.text(f"DROP SCHEMA {s} CASCADE"))
        eng.dispose()


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema on the PostgreSQL server (tests about server URLs only)."""
    why = pg_available()
    if why:
        pytest.skip(why)
    schema = "t_" + uuid.uuid4().hex[:12]
    eng = sa.create_engine(PG_URL)
    with eng.begin() as c:
        c.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield schema
    with eng.begin() as c:
        c.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    eng.dispose()


# ---------------------------------------------------------------- concurrent imports


VILLAGES = ["一村", "二村", "三村", "四村"]


def test_four_jobs_importing_the_same_month_store_each_row_once(
    run: Run, db_url: str, fresh_url: Callable[[str], str], tmp_path: Path
) -> None:
    files = [
        write_csv(tmp_path / f"甲镇_{v}_2026-11.csv", _rows(v, 50, start=100 * k))
        for k, v in enumerate(VILLAGES)
    ]
    names = [str(f) for f in files]
    procs = [
        subprocess.Popen(
            [LABORCLI, "--db", db_url, "import", *(names[k:] + names[:k]), "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for k in range(4)
    ]
    imported: dict[str, int] = {f.name: 0 for f in files}
    for p in procs:
        out, errs = p.communicate(timeout=60)
        assert p.returncode == 0, errs
        assert "Traceback" not in errs
        for f in json.loads(out)["files"]:
            assert f["status"] in ("imported", "unchanged"), f
            imported[Path(f["path"]).name] += f["status"] == "imported"
    # each file written by exactly one of the four jobs, the others saw it unchanged
    assert imported == {f.name: 1 for f in files}
    eng = _engine(db_url)
    with eng.connect() as c:
        per_file: dict[str, int] = dict(
            c.execute(
                sa.text(
                    "SELECT i.file_name, count(r.id) FROM imports i JOIN rows r ON r.import_id = i.id "
                    "GROUP BY i.file_name"
                )
            ).all()
        )
        snapshots = c.execute(sa.text("SELECT count(*) FROM snapshots")).scalar()
    eng.dispose()
    assert per_file == {f.name: 50 for f in files}
    assert snapshots == 4

    serial = fresh_url("serial")
    r = run(serial, "import", *names, "--format", "json")
    assert r.returncode == 0, r.stderr
    concurrent = _rates(run, db_url)
    assert concurrent == _rates(run, serial)
    # 50 rows a village: 25 even i outside the county, 25 farming
    assert sorted(_figures(concurrent)) == sorted((v, 50, 25, 50, 25) for v in VILLAGES)


def test_a_reader_during_an_import_sees_all_of_it_or_none(run: Run, cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-10.xlsx", _rows("一村", 40))))
    before = _rates(run, cli.db)
    assert _figures(before) == [("一村", 40, 20, 40, 20)]
    big = write_csv(tmp_path / "甲镇_一村_2026-11.csv", _rows("一村", 2000))
    job = subprocess.Popen(
        [LABORCLI, "--db", cli.db, "import", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while job.poll() is None and time.monotonic() < deadline:
        seen.append(cli.json("rates", "--as-of", AS_OF, "--by", "village"))
    _, errs = job.communicate(timeout=60)
    assert job.returncode == 0, errs
    after = _rates(run, cli.db)
    assert _figures(after) == [("一村", 2000, 1000, 2000, 1000)]  # November's sheet replaces October's
    assert seen, "the import ended before a single read"
    assert [s for s in seen if s not in (before, after)] == []


def test_rates_answers_while_an_import_holds_the_write_lock(
    run: Run, cli_sqlite: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import laborcli.registry.engine as engine

    cli_sqlite.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 4))))
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    with _write_lock(cli_sqlite.db):  # what an import holds while it writes
        r = run(cli_sqlite.db, "rates", "--as-of", AS_OF, "--format", "json")
    # WAL lets readers read the last committed state: 一村 with 4 people, i = 0, 2 outside
    assert r.returncode == 0, r.stderr
    assert _figures(json.loads(r.stdout)) == [("一村", 4, 2, 4, 2)]


# ---------------------------------------------------------------- schema versions


def _alembic(db: str, action: str, target: str) -> None:
    """Move a registry's schema with Alembic on laborcli's own migrations."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("laborcli") / "registry" / "migrations"))
    eng = _engine(db)
    try:
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, action)(cfg, target)
    finally:
        eng.dispose()


def test_db_upgrade_brings_an_older_registry_to_head_with_its_data(
    run: Run, cli: Cli, tmp_path: Path
) -> None:
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 6))))
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", _rows("二村", 4, start=50))))
    before = _rates(run, cli.db)
    # 一村: 6 people, i = 0, 2, 4 outside; 二村: 4 people, i = 50, 52 outside
    assert _figures(before) == [("一村", 6, 3, 6, 3), ("二村", 4, 2, 4, 2)]
    _alembic(cli.db, "downgrade", "0001")  # the schema of the first laborcli release
    assert _scalar(cli.db, "SELECT version_num FROM alembic_version") == "0001"

    r = run(cli.db, "rates", "--as-of", AS_OF)
    assert r.returncode == 3
    assert "db upgrade" in _one_clear_line(r)

    up = run(cli.db, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert "0001" in up.stderr and SCHEMA_VERSION in up.stderr
    assert _rates(run, cli.db) == before
    info = json.loads(run(cli.db, "db", "info", "--format", "json").stdout)
    assert (info["schema"], info["tool_schema"]) == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert info["tables"]["rows"] == 10 and info["tables"]["purges"] == 0


def test_db_upgrade_of_a_registry_created_at_the_first_revision(
    run: Run, db_url: str, tmp_path: Path
) -> None:
    _alembic(db_url, "upgrade", "0001")
    up = run(db_url, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert _scalar(db_url, "SELECT version_num FROM alembic_version") == SCHEMA_VERSION
    r = run(db_url, "import", str(write_csv(tmp_path / "甲镇_一村_2026-11.csv", _rows("一村", 2))))
    assert r.returncode == 0, r.stderr
    assert _figures(_rates(run, db_url)) == [("一村", 2, 1, 2, 1)]  # i = 0 outside, i = 1 farms


def _schema(db: str) -> dict[str, Any]:
    """Tables, columns, keys and indexes (partial ones with their condition), by name."""
    eng = _engine(db)
    try:
        with eng.connect() as c:
            ins = sa.inspect(c)
            out: dict[str, Any] = {}
            for t in sorted(ins.get_table_names()):
                out[t] = {
                    "columns": sorted(
                        (col["name"], str(col["type"]), col["nullable"], str(col.get("default")))
                        for col in ins.get_columns(t)
                    ),
                    "pk": ins.get_pk_constraint(t),
                    "fks": sorted(
                        (tuple(fk["constrained_columns"]), fk["referred_table"], str(fk.get("options")))
                        for fk in ins.get_foreign_keys(t)
                    ),
                    "indexes": sorted(
                        (
                            ix["name"],
                            tuple(ix["column_names"]),
                            ix["unique"],
                            sorted((k, str(v)) for k, v in ix.get("dialect_options", {}).items()),
                        )
                        for ix in ins.get_indexes(t)
                    ),
                    "uniques": sorted(
                        (u["name"], tuple(u["column_names"])) for u in ins.get_unique_constraints(t)
                    ),
                }
            if c.dialect.name == "sqlite":
                out["sqlite indexes"] = sorted(
                    c.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index'")).all()
                )
            return out
    finally:
        eng.dispose()


def test_a_new_registry_has_the_schema_that_the_migrations_build(
    db_url: str, fresh_url: Callable[[str], str]
) -> None:
    """New registries are created from the table definitions and stamped; upgrading an old
    one replays the migrations. Both must end in the same schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from laborcli.registry import open_registry
    from laborcli.registry.tables import metadata

    open_registry(db_url).close()
    migrated = fresh_url("migrated")
    _alembic(migrated, "upgrade", "head")
    assert _scalar(db_url, "SELECT version_num FROM alembic_version") == SCHEMA_VERSION
    assert _schema(db_url) == _schema(migrated)
    eng = _engine(db_url)
    try:
        with eng.connect() as c:
            assert compare_metadata(MigrationContext.configure(c), metadata) == []
    finally:
        eng.dispose()


def test_every_registry_has_its_own_key_for_review_tokens_new_or_upgraded(
    db_url: str, fresh_url: Callable[[str], str]
) -> None:
    """The key that signs review workbooks' row tokens comes with a new registry and with
    `db upgrade` of an older one; two registries never share it (a workbook of one does
    not verify against the other)."""
    from laborcli.registry import open_registry

    open_registry(db_url).close()
    upgraded = fresh_url("upgraded")
    _alembic(upgraded, "upgrade", "0004")
    assert _scalar(upgraded, "SELECT count(*) FROM meta WHERE key = 'review_secret'") == 0
    _alembic(upgraded, "upgrade", "head")
    keys = [_scalar(db, "SELECT value FROM meta WHERE key = 'review_secret'") for db in (db_url, upgraded)]
    assert all(k and len(k) == 64 for k in keys) and keys[0] != keys[1]
    _alembic(upgraded, "downgrade", "0004")
    assert _scalar(upgraded, "SELECT count(*) FROM meta WHERE key = 'review_secret'") == 0


def test_a_registry_of_a_newer_laborcli_is_refused_and_left_alone(run: Run, cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 3))))
    eng = _engine(cli.db)
    with eng.begin() as c:
        c.execute(sa.text("UPDATE alembic_version SET version_num = '0999'"))
    eng.dispose()
    other = write_csv(tmp_path / "甲镇_二村_2026-11.csv", _rows("二村", 3, start=50))
    for args in (
        ["rates", "--as-of", AS_OF],
        ["import", str(other)],
        ["households", "--as-of", AS_OF, "--zero-employment"],
        ["db", "upgrade"],
    ):
        r = run(cli.db, *args)
        assert r.returncode == 3, (args, r.stderr)
        line = _one_clear_line(r)
        assert "0999" in line and "newer" in line and "upgrade laborcli" in line, line
    script = subprocess.run(
        [LABORCLI, "--db", cli.db, "rates"], capture_output=True, text=True, timeout=60, env=ENV
    )
    assert script.returncode == 3
    assert "0999" in _one_clear_line(Ran(script.returncode, script.stdout, script.stderr))
    assert _scalar(cli.db, "SELECT version_num FROM alembic_version") == "0999"
    assert _scalar(cli.db, "SELECT count(*) FROM rows") == 3


# ---------------------------------------------------------------- db info


def test_db_info_shows_schema_version_and_sizes(run: Run, cli: Cli, tmp_path: Path) -> None:
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 5))))
    r = run(cli.db, "db", "info", "--format", "json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert (info["schema"], info["tool_schema"]) == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert info["backend"] == ("sqlite" if "://" not in cli.db else "postgresql")
    assert (info["tables"]["imports"], info["tables"]["rows"], info["villages"]) == (1, 5, 1)
    assert (info["first_as_of"], info["last_as_of"]) == (AS_OF, AS_OF)


def test_db_info_hides_the_password_of_a_server_url(run: Run, pg_schema: str, tmp_path: Path) -> None:
    base = sa.make_url(PG_URL).set(password="secret").render_as_string(hide_password=False)
    url = _pg_schema_url(pg_schema, base)
    imp = run(url, "import", str(write_csv(tmp_path / "甲镇_一村_2026-11.csv", _rows("一村", 2))))
    assert imp.returncode == 0, imp.stderr
    r = run(url, "db", "info", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert "secret" not in r.stdout + r.stderr + imp.stdout + imp.stderr
    info = json.loads(r.stdout)
    assert info["url"].startswith("postgresql+psycopg://postgres:***@")
    assert info["schema"] == SCHEMA_VERSION


def test_an_unreachable_server_is_one_line_without_the_password(run: Run) -> None:
    r = run("postgresql+psycopg://postgres:secret@127.0.0.1:1/test?connect_timeout=3", "rates")
    assert r.returncode == 3
    line = _one_clear_line(r)
    assert "secret" not in line and "127.0.0.1" in line


# ---------------------------------------------------------------- SQLite: backup, locks, permissions


def test_db_backup_writes_a_registry_with_the_same_figures(run: Run, cli_sqlite: Cli, tmp_path: Path) -> None:
    cli_sqlite.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 8))))
    cli_sqlite.json(
        "import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", _rows("二村", 2, start=50)))
    )
    copy = tmp_path / "backup" / "laborcli-2026-11-30.db"
    copy.parent.mkdir()
    r = run(cli_sqlite.db, "db", "backup", str(copy))
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    # 一村: 8 people, 4 outside; 二村: i = 50 outside, 51 farms
    assert _figures(_rates(run, str(copy))) == [("一村", 8, 4, 8, 4), ("二村", 2, 1, 2, 1)]
    assert _rates(run, str(copy)) == _rates(run, cli_sqlite.db)
    info = json.loads(run(str(copy), "db", "info", "--format", "json").stdout)
    assert info["schema"] == SCHEMA_VERSION and info["tables"]["rows"] == 10


def test_db_backup_never_overwrites_a_file(run: Run, cli_sqlite: Cli, tmp_path: Path) -> None:
    cli_sqlite.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 2))))
    copy = tmp_path / "old.db"
    copy.write_bytes(b"last week")
    r = run(cli_sqlite.db, "db", "backup", str(copy))
    assert r.returncode == 2
    _one_clear_line(r)
    assert copy.read_bytes() == b"last week"


def test_db_backup_of_a_server_points_to_pg_dump(run: Run, pg_schema: str, tmp_path: Path) -> None:
    url = _pg_schema_url(pg_schema)
    assert (
        run(url, "import", str(write_csv(tmp_path / "甲镇_一村_2026-11.csv", _rows("一村", 2)))).returncode
        == 0
    )
    r = run(url, "db", "backup", str(tmp_path / "b.db"))
    assert r.returncode == 2
    assert "pg_dump" in _one_clear_line(r)
    assert not (tmp_path / "b.db").exists()


def test_an_import_waiting_too_long_for_the_sqlite_lock_exits_3(
    run: Run, cli_sqlite: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import laborcli.registry.engine as engine

    cli_sqlite.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 2))))
    second = str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", _rows("二村", 2, start=50)))
    # the wait is 10 minutes by default (cron jobs); LABORCLI_LOCK_TIMEOUT shortens it
    monkeypatch.setenv("LABORCLI_LOCK_TIMEOUT", "0.3")
    assert engine.lock_wait_ms() == 300
    with _write_lock(cli_sqlite.db):
        t0 = time.monotonic()
        r = run(cli_sqlite.db, "import", second)
        waited = time.monotonic() - t0
    assert r.returncode == 3
    assert waited < 5
    assert _one_clear_line(r) == (
        f"laborcli: the registry is locked by another job and the wait timed out: sqlite:///{cli_sqlite.db}"
    )
    assert _scalar(cli_sqlite.db, "SELECT count(*) FROM rows") == 2  # nothing of 二村 written
    assert run(cli_sqlite.db, "import", second).returncode == 0  # lock released: it goes in
    assert _scalar(cli_sqlite.db, "SELECT count(*) FROM rows") == 4


def test_an_import_waiting_too_long_for_the_postgresql_lock_exits_3(
    run: Run, pg_schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url = _pg_schema_url(pg_schema)
    first = str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 2)))
    second = str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", _rows("二村", 2, start=50)))
    assert run(db_url, "import", first).returncode == 0
    monkeypatch.setenv("LABORCLI_LOCK_TIMEOUT", "0.5")
    holder = sa.create_engine(db_url)
    try:
        with holder.begin() as c:  # what a running import holds
            c.exec_driver_sql(PG_WRITE_LOCK)
            t0 = time.monotonic()
            r = run(db_url, "import", second)
            waited = time.monotonic() - t0
    finally:
        holder.dispose()
    assert r.returncode == 3
    assert waited < 10
    assert "locked by another job" in _one_clear_line(r)
    assert run(db_url, "import", second).returncode == 0  # lock released: it goes in


def test_a_new_sqlite_registry_is_private_to_its_owner(cli_sqlite: Cli, tmp_path: Path) -> None:
    old = os.umask(0)  # even where the umask would let everyone read
    try:
        cli_sqlite.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", _rows("一村", 2))))
        reader = sqlite3.connect(cli_sqlite.db)
        try:
            reader.execute("SELECT count(*) FROM rows").fetchone()  # opens the -wal and -shm files
            files = [p for p in tmp_path.iterdir() if p.name.startswith("registry.db")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
        finally:
            reader.close()
    finally:
        os.umask(old)
    assert "registry.db" in modes
    assert modes == {name: 0o600 for name in modes}


def test_a_bulk_write_checks_no_foreign_keys_and_leaves_them_checked(tmp_path: Path) -> None:
    from laborcli.registry import open_registry

    reg = open_registry(str(tmp_path / "r.db"))
    try:
        with reg.writing(bulk=True) as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        with reg.writing() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(RuntimeError), reg.writing(bulk=True):
            raise RuntimeError("a failed import")
        with reg.reading() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        reg.close()


def test_an_import_has_a_larger_page_cache_and_gives_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's transaction caches the person index of a year (up to a quarter of the
    memory, at most 1 GB); every later use of the pooled connection has the usual cache,
    after a failed import too; where the memory cannot be read, the usual cache."""
    from laborcli.registry import engine, open_registry

    def cache(conn: sa.Connection) -> int:
        return -int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())

    reg = open_registry(str(tmp_path / "r.db"))
    try:
        with reg.writing(bulk=True) as conn:
            assert cache(conn) == engine._import_cache_kib() >= engine._CACHE_KIB
        with reg.writing() as conn:
            assert cache(conn) == engine._CACHE_KIB
        with pytest.raises(RuntimeError), reg.writing(bulk=True):
            raise RuntimeError("a failed import")
        with reg.reading() as conn:
            assert cache(conn) == engine._CACHE_KIB
    finally:
        reg.close()
    memory = 4 * 300_000 * 1024  # a quarter of it is 300,000 KiB
    monkeypatch.setattr(
        engine.os, "sysconf", lambda name: memory // 4096 if name == "SC_PHYS_PAGES" else 4096
    )
    assert engine._import_cache_kib() == 300_000
    monkeypatch.setattr(engine.os, "sysconf", lambda name: 2**40 // 4096 if name == "SC_PHYS_PAGES" else 4096)
    assert engine._import_cache_kib() == engine._IMPORT_CACHE_KIB

    def no_sysconf(name: str) -> int:
        raise ValueError(name)

    monkeypatch.setattr(engine.os, "sysconf", no_sysconf)
    assert engine._import_cache_kib() == engine._CACHE_KIB


def test_a_new_registry_has_16k_pages_and_an_older_one_keeps_its_own(tmp_path: Path) -> None:
    """Larger pages make a month's inserts cheaper; a registry made with 4 KB pages (before
    this setting, or by another tool) is opened as it is, not rewritten."""
    from laborcli.registry import open_registry
    from laborcli.registry.tables import targets

    def page_size(db: Path) -> int:
        with contextlib.closing(sqlite3.connect(db)) as c:
            return int(c.execute("PRAGMA page_size").fetchone()[0])

    new = tmp_path / "new.db"
    reg = open_registry(str(new))
    try:
        with reg.reading() as conn:  # the log is copied back at ~80 MB, whatever the pages
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 80 * 2**20 // 16384
    finally:
        reg.close()
    assert page_size(new) == 16384

    old = tmp_path / "old.db"
    old.write_bytes(new.read_bytes())
    with contextlib.closing(sqlite3.connect(old)) as c:  # as registries were made before
        c.execute("PRAGMA journal_mode = DELETE")
        c.execute("PRAGMA page_size = 4096")
        c.execute("VACUUM")
    assert page_size(old) == 4096
    reg = open_registry(str(old))
    try:
        with reg.writing() as conn:
            conn.execute(
                targets.insert().values(year=2026, township="甲镇", village="一村", target=5, source="t")
            )
        with reg.reading() as conn:
            assert conn.execute(sa.select(targets.c.target)).scalar() == 5
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 80 * 2**20 // 4096
    finally:
        reg.close()
    assert page_size(old) == 4096


# ---------------------------------------------------------------- write-ahead log


def test_a_checkpoint_moves_committed_rows_into_the_database_file(tmp_path: Path) -> None:
    """Imports copy the log into the file in a thread of their own; close waits for it."""
    from laborcli.registry import open_registry

    db = tmp_path / "r.db"
    reg = open_registry(str(db))
    # Another connection stays open, so that closing the registry is not the last close,
    # which would copy the log itself.
    keeper = sqlite3.connect(db)
    keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()  # now it holds the log open
    try:
        with reg.writing() as conn:
            conn.exec_driver_sql("CREATE TABLE scratch (x BLOB)")
            for _ in range(300):
                conn.exec_driver_sql("INSERT INTO scratch VALUES (randomblob(2000))")

        def file_alone() -> sqlite3.Connection:
            alone = tmp_path / f"alone-{uuid.uuid4().hex}.db"
            alone.write_bytes(db.read_bytes())  # the database file without its log
            return sqlite3.connect(alone)

        with contextlib.closing(file_alone()) as c:
            assert c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'scratch'").fetchone() == (0,)
        reg.checkpoint()
        reg.close()  # waits for the checkpoint
        with contextlib.closing(file_alone()) as c:
            assert c.execute("SELECT count(*) FROM scratch").fetchone() == (300,)
    finally:
        keeper.close()
        reg.close()


def test_an_in_memory_registry_has_no_log_to_copy() -> None:
    """Its pool keeps one connection per thread: a checkpoint thread must not open one."""
    from laborcli.registry import open_registry

    reg = open_registry("sqlite://")
    try:
        reg.checkpoint()
        assert reg._checkpointing is None
    finally:
        reg.close()


def test_importing_the_registry_changes_nothing_process_wide(tmp_path: Path) -> None:
    """sqlite3's adapter for None (a faster bind of empty fields) is registered when a
    SQLite registry is opened, not as a side effect of importing the registry modules."""
    code = (
        "import sqlite3\n"
        "import laborcli.registry.store, laborcli.registry.admin, laborcli.roster.importing\n"
        "key = (type(None), sqlite3.PrepareProtocol)\n"
        "print(key in sqlite3.adapters)\n"
        "from laborcli.registry import open_registry\n"
        f"open_registry({str(tmp_path / 'r.db')!r}).close()\n"
        "print(key in sqlite3.adapters)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True"]


def test_the_unverified_id_index_is_partial_on_both_back_ends(db_url: str) -> None:
    from laborcli.registry import open_registry

    open_registry(db_url).close()
    eng = sa.create_engine(to_url(db_url))
    try:
        with eng.connect() as c:
            if c.dialect.name == "postgresql":
                sql = c.execute(
                    sa.text(
                        "SELECT indexdef FROM pg_indexes"
                        " WHERE indexname = 'ix_rows_unverified_id' AND schemaname = current_schema()"
                    )
                ).scalar_one()
                assert "WHERE (NOT id_valid)" in sql
            else:
                sql = c.execute(
                    sa.text("SELECT sql FROM sqlite_master WHERE name = 'ix_rows_unverified_id'")
                ).scalar_one()
                assert sql.endswith("WHERE id_valid = 0")
    finally:
        eng.dispose()


def test_the_modules_that_might_match_names_do_not_load_pypinyin_until_a_name_is_read() -> None:
    # Its dictionaries were the largest part of `person`'s start-up.
    code = (
        "import sys, laborcli.cli.app, laborcli.training.person, laborcli.identity.matching; "
        "sys.exit('pypinyin' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
    from laborcli.identity.names import name_pinyin, surname_keys

    assert name_pinyin("张丽") == name_pinyin("张莉") == "zhangli"
    assert surname_keys("曾") == ("ceng", "zeng")


def test_the_registry_tables_do_not_load_the_postgresql_dialect() -> None:
    # Every command on a SQLite registry, the usual one, would pay for loading it.
    code = "import sys, laborcli.registry.tables; sys.exit('sqlalchemy.dialects.postgresql' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ---------------------------------------------------------------- PostgreSQL: planner statistics


def test_an_import_into_an_empty_postgresql_registry_leaves_its_rows_analysed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without statistics the planner takes a lookup of a few hundred person keys for the
    whole rows table; the import analyses what it wrote (the threshold lowered here)."""
    if "://" not in cli.db:
        pytest.skip("SQLite plans without statistics of its own")
    import laborcli.registry.engine as engine

    monkeypatch.setattr(engine, "_ANALYSE_MIN_ROWS", 3)
    for v in ("一村", "二村"):
        cli.json("import", str(write_xlsx(tmp_path / f"甲镇_{v}_2026-11.xlsx", _rows(v, 5))))
    eng = sa.create_engine(cli.db)
    with eng.connect() as c:
        seen = c.execute(sa.text("SELECT reltuples FROM pg_class WHERE oid = 'rows'::regclass")).scalar_one()
        stats = c.execute(
            sa.text(
                "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                "AND tablename = 'rows' AND attname = 'person_key'"
            )
        ).scalar_one()
    eng.dispose()
    assert (seen, stats) == (10, 1)


def test_postgresql_reads_the_current_rows_from_the_figure_index_alone_after_an_import(
    cli: Cli, tmp_path: Path
) -> None:
    """The figures read the current rows from ix_rows_figures alone (its INCLUDE (id) holds
    what the winners' condition reads; the import's closing VACUUM keeps the visibility map
    that such a scan needs); else PostgreSQL reads every month's rows by a sequential scan."""
    if "://" not in cli.db:
        pytest.skip("SQLite's indexes carry the rowid, and it keeps no visibility map")
    from laborcli.registry.tables import rows
    from laborcli.roster.state import CurrentState

    for v in ("一村", "二村"):
        cli.json("import", str(write_xlsx(tmp_path / f"甲镇_{v}_2026-11.xlsx", _rows(v, 5))))
    state = CurrentState(dt.date(2026, 11, 30), "postgresql")
    q = sa.select(rows.c.household_id, sa.func.count()).where(state.condition()).group_by(rows.c.household_id)
    eng = sa.create_engine(cli.db)
    try:
        with eng.connect() as c:
            # Whether VACUUM could mark the pages all visible depends on other sessions of
            # the database (the other test workers): that it ran is what the import owes.
            vacuumed = c.execute(
                sa.text(
                    "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relid = 'rows'::regclass"
                )
            ).scalar_one()
            # Ten rows: the planner would scan the table whatever the index holds.
            c.exec_driver_sql("SET enable_seqscan = off")
            c.exec_driver_sql("SET enable_bitmapscan = off")
            plan = "\n".join(
                r[0]
                for r in c.execute(
                    sa.text("EXPLAIN " + str(q.compile(c, compile_kwargs={"literal_binds": True})))
                )
            )
    finally:
        eng.dispose()
    assert vacuumed
    assert "Index Only Scan using ix_rows_figures on rows" in plan, plan


# ---------------------------------------------------------------- the persons listed more than once


def _multi(db: str) -> set[str]:
    eng = _engine(db)
    try:
        with eng.connect() as c:
            return {r[0] for r in c.execute(sa.text("SELECT person_key FROM multi_keys"))}
    finally:
        eng.dispose()


def _key_of(db: str, name: str) -> str:
    return str(_scalar(db, f"SELECT MIN(person_key) FROM rows WHERE name = '{name}'"))


def test_the_import_keeps_the_keys_listed_in_two_villages_twice_in_a_sheet_or_in_an_update(
    cli: Cli, tmp_path: Path
) -> None:
    b = dt.date(1990, 1, 1)
    one = [person("甲", b, seq=1), person("乙", b, seq=2), person("乙", b, seq=2, household="H2")]
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-10.xlsx", one)))
    # The same village next month: nobody is listed twice on a date.
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", one[:2])))
    assert _multi(cli.db) == {_key_of(cli.db, "乙")}  # twice in October's sheet
    two = [person("甲", b, seq=1, village="二村"), person("丙", b, seq=3, village="二村")]
    cli.json("import", str(write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", two)))
    upd = [person("丁", b, seq=4)]
    cli.json(
        "import",
        str(write_xlsx(tmp_path / "甲镇_一村_周报.xlsx", upd)),
        "--as-of",
        "2026-11-20",
        "--mode",
        "update",
    )
    keys = {_key_of(cli.db, n) for n in ("甲", "乙", "丁")}
    assert _multi(cli.db) == keys  # 丙 is only in 二村
    # What the import kept is what an upgraded registry finds in its rows.
    _alembic(cli.db, "downgrade", "0009")
    assert cli("db", "upgrade").exit_code == 0
    assert _multi(cli.db) == keys
    # A purge takes its person's keys (a verified key holds the ID).
    ident = str(_scalar(cli.db, "SELECT MIN(id_number) FROM rows WHERE name = '甲'"))
    gone = _key_of(cli.db, "甲")
    assert cli("people", "purge", ident, "--yes").exit_code == 0
    assert _multi(cli.db) == keys - {gone}


def test_registries_in_two_schemas_of_one_database_write_at_the_same_time(
    pg_schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One county's import holds its registry's write lock, not the database's: another
    county's registry in the same database is written meanwhile; the same one waits."""
    from laborcli.errors import RegistryError
    from laborcli.registry import open_registry

    other = "t_" + uuid.uuid4().hex[:12]
    eng = sa.create_engine(PG_URL)
    with eng.begin() as c:
        c.execute(sa.text(f"CREATE SCHEMA {other}"))
    monkeypatch.setenv("LABORCLI_LOCK_TIMEOUT", "1")
    first, second = open_registry(_pg_schema_url(pg_schema)), open_registry(_pg_schema_url(other))
    again = open_registry(_pg_schema_url(pg_schema))
    try:
        with first.writing() as held:
            held.exec_driver_sql("SELECT 1")
            with second.writing() as meanwhile:  # not kept waiting
                meanwhile.exec_driver_sql("SELECT 1")
            with pytest.raises(RegistryError), again.writing():
                pass
    finally:
        for reg in (first, second, again):
            reg.close()
        with eng.begin() as c:
            c.execute(sa.text(f"DROP SCHEMA {other} CASCADE"))
        eng.dispose()
