"""Opening a registry: URL handling, SQLite settings, schema creation and version checks."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError

from laborcli.errors import RegistryError, UsageError
from laborcli.i18n import pick
from laborcli.registry.migrate import HEAD, REVISIONS, current_revision
from laborcli.registry.migrate import create as create_schema
from laborcli.registry.migrate import upgrade as upgrade_schema

DEFAULT_DB = "laborcli.db"
# The write lock of a PostgreSQL registry: its schema's, so that registries kept as schemas
# of one database do not wait for each other.
PG_WRITE_LOCK = "SELECT pg_advisory_xact_lock(7401, hashtext(current_schema()))"
_PG_WORK_MEM = "64MB"  # per sort or hash of one statement; a few at once at most
_ANALYSE_MIN_ROWS = 20_000  # below this a sequential scan is as good as any plan
_MAINTENANCE_WAIT_MS = 30_000  # the closing VACUUM's wait for another session's lock
BUSY_TIMEOUT_MS = 10 * 60 * 1000  # cron jobs wait minutes for each other, not Python's 5 seconds


def lock_wait_ms() -> int:
    """How long a job waits for another's write lock: LABORCLI_LOCK_TIMEOUT seconds, else 10 min."""
    env = os.environ.get("LABORCLI_LOCK_TIMEOUT", "").strip()
    try:
        return max(0, int(float(env) * 1000)) if env else BUSY_TIMEOUT_MS
    except ValueError as e:
        raise UsageError(
            pick(
                f"LABORCLI_LOCK_TIMEOUT 应为秒数: {env!r}", f"LABORCLI_LOCK_TIMEOUT must be seconds: {env!r}"
            )
        ) from e


def to_url(db: str | None) -> URL:
    """A plain path or sqlite:///path is an embedded file; anything with :// is a server URL."""
    raw = db or os.environ.get("LABORCLI_DB") or DEFAULT_DB
    if "://" not in raw:
        return URL.create("sqlite", database=raw)
    try:
        url = make_url(raw)
    except ArgumentError as e:
        raise UsageError(pick(f"无法识别的数据库地址: {raw}", f"cannot parse the registry URL: {raw}")) from e
    if url.drivername == "postgresql" or url.drivername == "postgres":
        url = url.set(drivername="postgresql+psycopg")
    return url


def display_url(url: URL) -> str:
    """The URL with any password hidden."""
    return url.render_as_string(hide_password=True)


_WAL_CHECKPOINT_BYTES = 80 * 2**20


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off; we emit BEGIN ourselves so that
    # writers can take the write lock up front (BEGIN IMMEDIATE) and never fail half-way.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {lock_wait_ms()}")
    # 16 KB pages for a new registry (an existing one keeps its own; this is a no-op there):
    # a month's rows go into the table and its indexes through fewer, larger pages, and the
    # figure commands read them no slower. Set before journal_mode, which first writes the file.
    cur.execute("PRAGMA page_size = 16384")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    # Checkpoint every ~80 MB of WAL rather than SQLite's 1,000 pages: at the default an
    # import copies the same index pages back after nearly every commit. The setting counts
    # pages, whose size depends on when the registry was made. An import copies the log
    # itself after each group of files (Registry.checkpoint), in a thread.
    page = int(cur.execute("PRAGMA page_size").fetchone()[0])
    cur.execute(f"PRAGMA wal_autocheckpoint = {_WAL_CHECKPOINT_BYTES // page}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    cur.close()


# Python's sqlite3 binds None through its adapter protocol (a key tuple, a dictionary miss
# and two attribute lookups for every empty field), far slower than binding an int, and a
# month's rows hold hundreds of thousands of empty fields. With an adapter for None, one
# is found at the first step; dict.get (C, no Python frame) hands None back, bound as NULL
# as before. sqlite3 keeps adapters for the whole process, so this is registered when a
# SQLite registry is opened, not when a module is imported, and changes no value anyone
# stores.
_NOTHING: dict[None, None] = {}


def _bind_none_fast() -> None:
    sqlite3.register_adapter(type(None), _NOTHING.get)


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: URL) -> Engine:
    """An engine for the URL; SQLite files are created private to their owner (0600)."""
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if path and path != ":memory:":
            p = Path(path)
            if p.parent and not p.parent.exists():
                raise UsageError(pick(f"数据库所在文件夹不存在: {p.parent}", f"no such folder: {p.parent}"))
            if not p.exists():
                try:
                    fd = os.open(p, os.O_CREAT | os.O_WRONLY, 0o600)
                except OSError as e:  # a folder without write permission, a read-only disk
                    raise RegistryError(
                        pick(
                            f"无法创建数据库 {p}: {e.strerror}",
                            f"cannot create the registry {p}: {e.strerror}",
                        )
                    ) from e
                os.close(fd)
        _bind_none_fast()
        engine = sa.create_engine(url, connect_args={"timeout": lock_wait_ms() / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        engine = sa.create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ModuleNotFoundError) as e:
        raise UsageError(
            pick(f"不支持的数据库: {display_url(url)}", f"unsupported registry: {display_url(url)}")
        ) from e
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_session)
    return engine


def _postgresql_session(dbapi_conn: Any, _record: Any) -> None:
    """Session settings for a registry's statements (PostgreSQL), whatever the server's.

    JIT compilation is off: the planner counts a correlated lookup (new transfers' history)
    as if run for every row, so the figures' estimates pass jit_above_cost and the compiler
    spent seconds on statements that run in a fraction of that. ``work_mem``: the figures
    sort and hash the labour force household by household; the server's default of 4 MB
    sent a county's sorts to disk.
    """
    cur = dbapi_conn.cursor()
    cur.execute("SET jit = off")
    cur.execute(f"SET work_mem = '{_PG_WORK_MEM}'")
    cur.close()
    dbapi_conn.commit()


class Registry:
    """An open registry: the engine plus the transactions that every use goes through."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url
        self._checkpointing: threading.Thread | None = None
        self._analysed_rows: float | None = None  # the rows table's size when last analysed
        self._written_since = 0
        self._written_total = 0  # rows this import committed, for its closing VACUUM

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent view, never half of a concurrent import."""
        with self.errors(), self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Database failures (locked, disk full, connection lost, a damaged file) as one
        clear line: the one place where they become a RegistryError (exit 3)."""
        try:
            yield
        except DatabaseError as e:
            if not unusable(e):
                raise
            raise RegistryError(why_unusable(self.url, e)) from e

    @contextmanager
    def writing(self, bulk: bool = False) -> Iterator[Connection]:
        """A write transaction; on SQLite it holds the write lock from its first statement.

        ``bulk``: rows are inserted right after the snapshot and import they belong to, in
        the same transaction, so SQLite's per-row foreign-key lookups, which could only find
        what was just written, are switched off for it; PostgreSQL checks them in bulk anyway.
        """
        with self.errors(), self.engine.connect() as conn:
            conn = conn.execution_options(immediate=True)
            sqlite_bulk = bulk and self.dialect == "sqlite"
            with (
                _foreign_keys_off(conn, sqlite_bulk),
                _import_cache(conn, sqlite_bulk),
                conn.begin(),
            ):
                if self.dialect == "postgresql":
                    # Imports and decisions are serialised registry-wide; readers are not blocked.
                    # The wait is bounded like SQLite's, so a stuck job ends with exit 3. The
                    # lock is the registry's schema's: counties kept as schemas of one shared
                    # database (docs/registry.md) import at the same time.
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {lock_wait_ms()}")
                    conn.exec_driver_sql(PG_WRITE_LOCK)
                yield conn

    def checkpoint(self) -> None:
        """Start copying what the SQLite write-ahead log holds into the database file, as
        far as no reader needs it, in a thread of its own; other back ends need nothing.

        An import calls this after each group of files. Copying a group's pages is mostly
        waiting for the disk, so the writer goes on with the next group meanwhile, and the
        last copy runs while the report is printed (``close`` waits for it); left to the
        end, closing the registry copied a month's rows in one go. A copy that fails loses
        nothing: the pages stay in the log, and the next copy or the next opening of the
        registry moves them.

        The copy runs on a connection of its own, not one of the pool's: a pooled one
        would hand the writer a connection with a cold page cache for the next group, and
        an in-memory registry (which has no log) keeps one connection per thread.
        """
        path = self.url.database
        if self.dialect != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
            return
        self._wait_for_checkpoint()
        self._checkpointing = threading.Thread(target=_checkpoint, args=(path,), name="laborcli-checkpoint")
        self._checkpointing.start()

    def bulk_written(self, rows: int, *, final: bool = False) -> None:
        """Refresh PostgreSQL's statistics of the tables an import fills, after ``rows``
        more rows were committed (``final``: the import is over); SQLite needs nothing.

        Autovacuum analyses a table a minute or more after it changed, and never within the
        import that changes it. Until then the planner has no statistics of ``person_key``:
        it takes the plausibility lookup of 200 keys per file for the whole table (a
        sequential scan of every month, per file), and a figure asked right after an import
        plans on last month's sizes. So the tables are analysed each time the rows have
        doubled within an import (a handful of times when a first month fills an empty
        registry), and at its end when it wrote more than a tenth of them (autovacuum's own
        threshold). ANALYZE reads a sample of fixed size, whatever the months kept.

        At its end an import that wrote rows also vacuums ``rows``: the figures read the
        newest sheets' rows from the figure index alone only where the visibility map says
        their pages are all visible, and autovacuum comes only after a fifth of the table
        is new, never for one month of a year kept. VACUUM reads the pages not yet marked,
        that is the month just written, whatever the months kept. It marks a page only
        when no transaction of the database older than the import is open (another
        county's import in a shared database, a long report): the next import's VACUUM
        marks what this one could not. A failed closing VACUUM is left for autovacuum;
        the import is committed and reports as usual.
        """
        if self.dialect != "postgresql":
            return
        self._written_since += rows
        self._written_total += rows
        with self.errors(), self.engine.connect() as conn:
            if self._analysed_rows is None:
                size = conn.exec_driver_sql(
                    "SELECT reltuples FROM pg_class WHERE oid = 'rows'::regclass"
                ).scalar()
                self._analysed_rows = max(float(size or 0.0), 0.0)  # -1: never analysed
            conn.commit()
            analyse = self._written_since >= max(_ANALYSE_MIN_ROWS, self._analysed_rows) or (
                final and self._written_since > 0.1 * self._analysed_rows
            )
            vacuum = final and self._written_total > 0
            # VACUUM runs outside a transaction block; ANALYZE may too. The rows are
            # committed already: a lock another session holds is waited for briefly,
            # and a failure here costs the planner, never the import.
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            # (0 would be no limit in PostgreSQL.)
            auto.exec_driver_sql(f"SET lock_timeout = {max(1, min(lock_wait_ms(), _MAINTENANCE_WAIT_MS))}")
            try:
                if vacuum:
                    auto.exec_driver_sql("VACUUM (ANALYZE) rows" if analyse else "VACUUM rows")
                    self._written_total = 0
                elif analyse:
                    auto.exec_driver_sql("ANALYZE rows")
                if analyse:
                    auto.exec_driver_sql("ANALYZE snapshots")
            except DBAPIError:
                pass  # statistics only: the planner plans on older ones, autovacuum comes later
            finally:
                with contextlib.suppress(DBAPIError):
                    auto.exec_driver_sql("RESET lock_timeout")
        if analyse:
            self._analysed_rows += self._written_since
            self._written_since = 0

    def truncate_log(self) -> None:
        """Copy the whole SQLite write-ahead log into the file and empty it, now (after a
        purge: the log holds the pages as they were before); other back ends need nothing."""
        path = self.url.database
        if self.dialect != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
            return
        self._wait_for_checkpoint()
        with self.errors(), self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def _wait_for_checkpoint(self) -> None:
        if self._checkpointing is not None:
            self._checkpointing.join()
            self._checkpointing = None

    def close(self) -> None:
        """Release pooled connections (after a checkpoint still running)."""
        self._wait_for_checkpoint()
        self.engine.dispose()


def _checkpoint(path: str) -> None:
    """One passive checkpoint of the SQLite file at ``path``; a failure leaves the log as
    it is (see ``Registry.checkpoint``) and is not the import's."""
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


@contextmanager
def _foreign_keys_off(conn: Connection, off: bool) -> Iterator[None]:
    """SQLite's foreign-key enforcement off around a transaction (it cannot change inside one)."""
    if not off:
        yield
        return
    # On the driver's connection: through SQLAlchemy the pragma would begin a transaction.
    dbapi = conn.connection.driver_connection
    dbapi.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
    try:
        yield
    finally:
        dbapi.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


# The page cache of every connection (KiB), and of an import's (see _import_cache).
_CACHE_KIB = 200_000
_IMPORT_CACHE_KIB = 1_000_000


def _import_cache_kib() -> int:
    """An import's page cache: up to a quarter of the machine's memory, at most 1 GB and
    never less than every connection's. Where the memory cannot be read, the usual size."""
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return _CACHE_KIB
    return max(_CACHE_KIB, min(_IMPORT_CACHE_KIB, memory // 4 // 1024))


@contextmanager
def _import_cache(conn: Connection, on: bool) -> Iterator[None]:
    """A larger SQLite page cache for an import's one transaction.

    A month's persons land all over the person index (its key is the ID), which holds
    every month kept: at a year of an 800,000-person county it is over 500 MB. With the
    usual cache the transaction's dirty pages do not fit, and SQLite writes pages out to
    the log and reads them back again and again while it inserts, so that a month's import
    grew with the months kept (docs/benchmarks.md). SQLite takes the memory only as pages
    are used: a small registry's import uses no more than before.
    """
    if not on:
        yield
        return
    dbapi = conn.connection.driver_connection
    dbapi.execute(f"PRAGMA cache_size = -{_import_cache_kib()}")  # type: ignore[union-attr]
    try:
        yield
    finally:
        # Back to the usual size: the pool hands this connection to later readers, and
        # SQLite frees the pages above it.
        dbapi.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")  # type: ignore[union-attr]


# What a damaged registry says: SQLite's SQLITE_CORRUPT and SQLITE_NOTADB (which its driver
# raises as DatabaseError, not OperationalError), PostgreSQL's data_corrupted (XX001) and
# index_corrupted (XX002) and the read errors of a damaged relation file.
_DAMAGED = (
    "malformed",
    "not a database",
    "file is encrypted",
    "invalid page in block",
    "could not read block",
    "index contains unexpected zero page",
    "corrupt",
)


def unusable(e: DatabaseError) -> bool:
    """Whether a database error means the registry cannot be used (unreachable, locked,
    full, damaged), as opposed to a statement of ours that is wrong (a bug, kept as such)."""
    return isinstance(e, OperationalError) or damaged(e)


def damaged(e: BaseException) -> bool:
    """Whether the error says that the registry's file or pages are damaged."""
    orig = getattr(e, "orig", e)
    code = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(orig, "sqlstate", None)
    if code in ("XX001", "XX002"):
        return True
    text = str(orig).lower()
    return any(m in text for m in _DAMAGED)


def why_unusable(url: URL, e: BaseException) -> str:
    """The one line for a registry that cannot be used, from the database's error."""
    msg = str(getattr(e, "orig", e)).splitlines()[0] if str(e) else type(e).__name__
    if "locked" in msg or "lock timeout" in msg:
        return pick(
            f"数据库被其他任务锁定, 等待超时: {display_url(url)}",
            f"the registry is locked by another job and the wait timed out: {display_url(url)}",
        )
    if damaged(e):
        return pick(
            f"数据库已损坏, 无法使用 ({msg}): {display_url(url)}; 请从备份恢复",
            f"the registry is damaged ({msg}): {display_url(url)}; restore it from a backup",
        )
    return pick(
        f"无法使用数据库 {display_url(url)}: {msg}", f"cannot use the registry {display_url(url)}: {msg}"
    )


def open_registry(db: str | None = None, *, create: bool = True, check_version: bool = True) -> Registry:
    """Open (and on first use create) the registry; refuse one of another schema version."""
    url = to_url(db)
    engine = make_engine(url)
    reg = Registry(engine, url)
    try:
        # Checking the version only reads, so commands never wait for a running import; the
        # write lock is taken only to create the schema of a new registry.
        with reg.reading() as conn:
            rev = current_revision(conn)
        if rev is None:
            with reg.writing() as conn:
                rev = current_revision(conn)
                if rev is None:
                    _create(conn, url, create)
                    rev = HEAD
        if check_version and rev != HEAD:
            raise RegistryError(_version_message(url, rev))
    except DatabaseError as e:  # cannot connect, or "file is not a database"
        engine.dispose()
        raise RegistryError(why_unusable(url, e)) from e
    except BaseException:
        engine.dispose()
        raise
    return reg


def _create(conn: Connection, url: URL, create: bool) -> None:
    """Create the schema of a new, empty registry (refusing a database of something else)."""
    if sa.inspect(conn).get_table_names():
        raise RegistryError(
            pick(
                f"这个数据库不是 laborcli 的数据库: {display_url(url)}",
                f"this database is not a laborcli registry: {display_url(url)}",
            )
        )
    if not create:
        raise RegistryError(
            pick(
                f"数据库尚未初始化: {display_url(url)}",
                f"the registry is not initialised: {display_url(url)}",
            )
        )
    create_schema(conn)


def _version_message(url: URL, rev: str) -> str:
    if rev in REVISIONS:
        return pick(
            f"数据库结构版本 {rev} 较旧 (本程序为 {HEAD}), 请先运行 laborcli db upgrade",
            f"the registry's schema {rev} is older than this tool's {HEAD}: run laborcli db upgrade",
        )
    return pick(
        f"数据库结构版本 {rev} 比本程序支持的 {HEAD} 新, 请升级 laborcli; 未做任何修改",
        f"the registry's schema {rev} is newer than this tool's {HEAD}: upgrade laborcli; "
        "nothing was changed",
    )


def upgrade_registry(db: str | None = None) -> tuple[str | None, str]:
    """`laborcli db upgrade`: migrate to this tool's schema; (before, after)."""
    url = to_url(db)
    reg = Registry(make_engine(url), url)
    try:
        with reg.writing() as conn:
            before = current_revision(conn)
            if before is not None and before not in REVISIONS:
                raise RegistryError(_version_message(url, before))
            upgrade_schema(conn)
            return before, HEAD
    finally:
        reg.close()
