"""Schema versions: Alembic owns the schema; these helpers read and move the version."""

from __future__ import annotations

from sqlalchemy.engine import Connection

# Oldest first; the last is what this version of laborcli writes.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011")
HEAD = REVISIONS[-1]
# The ``meta`` entry holding the key that signs the row tokens of review workbooks.
REVIEW_SECRET = "review_secret"


def new_secret() -> str:
    """A fresh per-registry signing key (hex)."""
    import secrets

    return secrets.token_hex(32)


def current_revision(conn: Connection) -> str | None:
    """The registry's Alembic revision, or None for an empty database."""
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(conn: Connection, target: str = "head") -> None:
    """Run the migrations up to ``target`` on this connection (inside the caller's transaction)."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("laborcli") / "registry" / "migrations"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)


def create(conn: Connection) -> None:
    """The schema of a new registry, at ``HEAD``, in the caller's transaction.

    Built from the table definitions at once and stamped, as Alembic's documentation
    advises for new databases, rather than by replaying every migration: that loaded
    Alembic and ran each step before a first import could start. A test holds the two ways
    to the same schema.
    """
    from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table

    from laborcli.registry.tables import meta, metadata

    metadata.create_all(conn)
    conn.execute(meta.insert().values(key=REVIEW_SECRET, value=new_secret()))
    # Alembic's own version table, as Alembic creates it.
    version = Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    version.create(conn)
    conn.execute(version.insert().values(version_num=HEAD))
