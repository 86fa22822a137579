"""Database access: engines, sessions, and schema migrations (Alembic), for SQLite and PostgreSQL.

Invariants:
- SQLite runs in WAL mode with foreign keys on and a busy timeout, so a reader never blocks the sync
  and two processes wait for each other instead of failing at once.
- The schema is only ever created or changed by the Alembic migrations in ``sync/migrations``;
  ``open_store`` runs them on first use, ``reftrack db upgrade`` runs them explicitly, and running
  them again at head changes nothing.
- ``session_scope`` commits on success and rolls back on any error: a page of mail and its cursor
  are saved together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine

from sync.config import Config
from sync.errors import StoreError

log = logging.getLogger(__name__)


def make_engine(url: str, *, busy_timeout_s: float = 30.0) -> Engine:
    """An engine for ``url``; for a SQLite file its folder is created first.

    ``busy_timeout_s``: how long a SQLite writer waits for another process's lock before failing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s}
        )

        def on_connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        event.listen(engine, "connect", on_connect)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    script_location = Path(__file__).resolve().parent / "migrations"
    cfg.set_main_option("script_location", str(script_location))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Run pending migrations; returns (revision before, revision after)."""
    try:
        before = current_revision(engine)
        if before != head_revision(engine):
            command.upgrade(_alembic_config(engine), "head")
        return before, current_revision(engine)
    except OperationalError as exc:
        raise StoreError(
            f"Cannot open the database {engine.url.render_as_string(hide_password=True)} "
            f"({' '.join(str(exc.orig).split())}); check database_url / REFTRACK_DATABASE_URL "
            "and that the server is up."
        ) from exc


@dataclass(slots=True)
class Store:
    """An engine whose schema is at head, and the sessions to use it."""

    engine: Engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def session_factory(self) -> Callable[[], Session]:
        return self.session

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


_stores: dict[str, Store] = {}


def open_store(
    config: Config | None = None,
    *,
    url: str | None = None,
    migrate: bool = True,
    busy_timeout_s: float = 30.0,
) -> Store:
    """The store for the configured database, migrated to head on first use (cached per URL)."""
    if url is None:
        if config is None:
            from sync.config import get_config

            config = get_config()
        url = config.effective_database_url
    store = _stores.get(url)
    if store is None:
        try:
            engine = make_engine(url, busy_timeout_s=busy_timeout_s)
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"Cannot use database URL {url!r} ({exc}); fix database_url.") from exc
        store = Store(engine)
        if migrate:
            upgrade(engine)
        _stores[url] = store
    return store


def forget_stores() -> None:
    """Dispose cached engines (tests, and after forking)."""
    for store in _stores.values():
        store.engine.dispose()
    _stores.clear()
