"""Shared test setup: every test runs with its own config/data dirs and no OS keyring.

Fixtures:
- ``db_url`` — parametrized over SQLite (a temp file) and PostgreSQL (a fresh database on the server
  named by ``REFTRACK_TEST_POSTGRES_URL``; skipped with a reason when none is reachable).
- ``store`` — a migrated ``sync.store.Store`` on ``db_url``.
- ``sqlite_store`` — the same on SQLite only (for tests that need no PostgreSQL variant).
- ``corpora`` — path of ../shared/corpora, skipping when it is absent.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.config import reset_config
from sync.store import Store, forget_stores, open_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith("REFTRACK_") and name not in (
            "REFTRACK_TEST_POSTGRES_URL",
            "REFTRACK_CORPORA",
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("REFTRACK_DATA_DIR", str(home / "data" / "reftrack"))
    monkeypatch.setenv("REFTRACK_USE_KEYRING", "false")
    reset_config()
    yield
    reset_config()
    forget_stores()


def _postgres_admin_url() -> str | None:
    return os.environ.get("REFTRACK_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    admin = _postgres_admin_url()
    if not admin:
        pytest.skip(
            "no PostgreSQL server: set REFTRACK_TEST_POSTGRES_URL (scripts/test_postgres.sh start)"
        )
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(admin)
    conninfo = (
        f"host={base.host} port={base.port or 5432} user={base.username} dbname={base.database}"
        + (f" password={base.password}" if base.password else "")
    )
    name = "rt_" + uuid.uuid4().hex[:12]
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL at {base.host}:{base.port} is not reachable ({exc})")
    yield base.set(database=name).render_as_string(hide_password=False)
    forget_stores()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store(db_url: str) -> Store:
    return open_store(url=db_url)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    return open_store(url=f"sqlite:///{tmp_path / 'test.db'}")


@pytest.fixture
def corpora() -> Path:
    path = Path(os.environ.get("REFTRACK_CORPORA") or ROOT.parent / "shared" / "corpora")
    if not path.is_dir():
        pytest.skip(f"corpora not found at {path} (set REFTRACK_CORPORA)")
    return path
