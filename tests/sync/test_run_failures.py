"""Database failures during a sync: SQLite locked by another process, PostgreSQL connection dropped.

The sync reports the failure in one line, and the next run completes with nothing lost.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import func, select

import sync.run
from connectors.emulators.generator import generate_mailbox
from core.models import Account, Message
from sync.config import load_config
from sync.run import sync_all
from sync.store import forget_stores, open_store
from tests.sync.fake_connector import FakeConnector

START = datetime(2026, 8, 3, tzinfo=UTC)
NOW = START + timedelta(days=60)


@pytest.fixture
def mailbox():
    return generate_mailbox(seed=11, sent=80, start=START, days=40, ask_share=0.1)


def _account(store, address: str) -> None:
    with store.session_scope() as session:
        session.add(Account(provider="gmail", address=address))


def _count(store) -> int:
    with store.session() as session:
        return session.exec(select(func.count()).select_from(Message)).one()


def test_sync_reports_sqlite_locked_then_recovers(tmp_path, mailbox) -> None:
    path = tmp_path / "locked.db"
    store = open_store(url=f"sqlite:///{path}", busy_timeout_s=0.2)
    _account(store, mailbox.owner.email)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        results = sync_all(
            store,
            load_config(),
            now=NOW,
            send_digest=False,
            connector_factory=lambda s, a, c: FakeConnector(mailbox),
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert results[0].status == "failed"
    assert "database error" in results[0].error and "run `reftrack sync` again" in results[0].error
    again = sync_all(
        store,
        load_config(),
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(mailbox),
    )
    assert again[0].status == "synced"
    assert _count(store) == len(mailbox)


@pytest.mark.postgres
def test_sync_reports_postgres_connection_dropped_then_recovers(
    db_url, mailbox, monkeypatch
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL-only scenario")
    store = open_store(url=db_url)
    _account(store, mailbox.owner.email)
    real_refresh = sync.run.refresh_threads
    calls = {"n": 0}

    def refresh_then_drop(session, **kwargs):
        changed = real_refresh(session, **kwargs)
        calls["n"] += 1
        if (
            calls["n"] == 3
        ):  # mid-sync, inside the page's transaction: the server kills our connection
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
            killer = store.engine.connect()
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            killer.close()
        return changed

    monkeypatch.setattr(sync.run, "refresh_threads", refresh_then_drop)
    results = sync_all(
        store,
        load_config(),
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(mailbox, page_size=10),
    )
    assert results[0].status == "failed" and "database error" in results[0].error
    assert _count(store) == 20  # the two pages committed before the drop, nothing of the third
    monkeypatch.setattr(sync.run, "refresh_threads", real_refresh)
    again = sync_all(
        store,
        load_config(),
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(mailbox, page_size=10),
    )
    assert again[0].status == "synced"
    assert _count(store) == len(mailbox)
    forget_stores()
