"""Storage: models round-trip, unique constraints, migrations (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from core.models import Account, Ask, DigestLog, Event, Message, SyncState, Thread
from sync.store import current_revision, head_revision, make_engine, upgrade


def _account(session, address: str = "me@example.com") -> Account:
    account = Account(provider="gmail", address=address, time_zone="Europe/Paris")
    session.add(account)
    session.flush()
    return account


def test_models_round_trip(store) -> None:
    sent = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)
    with store.session_scope() as session:
        account = _account(session)
        thread = Thread(account_id=account.id, thread_key="t1", subject="Referral at Fabrikam?")
        session.add(thread)
        session.flush()
        message = Message(
            account_id=account.id,
            thread_id=thread.id,
            provider_id="p1",
            message_id="abc@mail.example",
            sent_at=sent,
            direction="sent",
            visible_text="Would you put my name forward?",
            is_ask=True,
            kind="job_referral",
            confidence=0.93,
            return_date=date(2026, 11, 3),
        )
        session.add(message)
        session.flush()
        ask = Ask(
            account_id=account.id,
            thread_id=thread.id,
            message_id=message.id,
            kind="job_referral",
            target_company="Fabrikam",
            asked_at=sent,
            next_action_due=sent,
        )
        session.add(ask)
        session.flush()
        session.add(
            Event(account_id=account.id, ask_id=ask.id, kind="ask_created", to_state=ask.state)
        )
        session.add(SyncState(account_id=account.id, folder="history", cursor="12345"))
    with store.session_scope() as session:
        got = session.exec(select(Message)).one()
        assert got.sent_at == sent and got.sent_at.tzinfo is not None
        assert got.return_date == date(2026, 11, 3)
        assert got.visible_text == "Would you put my name forward?"
        ask = session.exec(select(Ask)).one()
        assert (ask.state, ask.target_company, ask.asked_at) == ("awaiting_reply", "Fabrikam", sent)
        assert session.exec(select(Event)).one().to_state == "awaiting_reply"
        assert session.exec(select(SyncState)).one().cursor == "12345"


@pytest.mark.parametrize(
    "make_duplicate",
    [
        lambda acc, th: Message(
            account_id=acc,
            thread_id=th,
            provider_id="p1",
            sent_at=datetime.now(UTC),
            direction="sent",
        ),
        lambda acc, th: Thread(account_id=acc, thread_key="t1"),
        lambda acc, th: SyncState(account_id=acc, folder="history"),
        lambda acc, th: DigestLog(account_id=acc, day=date(2026, 11, 2)),
    ],
)
def test_models_unique_constraints_make_resync_a_noop(store, make_duplicate) -> None:
    with store.session_scope() as session:
        account = _account(session)
        thread = Thread(account_id=account.id, thread_key="t1")
        session.add(thread)
        session.flush()
        session.add(
            Message(
                account_id=account.id,
                thread_id=thread.id,
                provider_id="p1",
                sent_at=datetime.now(UTC),
                direction="sent",
            )
        )
        session.add(SyncState(account_id=account.id, folder="history"))
        session.add(DigestLog(account_id=account.id, day=date(2026, 11, 2)))
        ids = (account.id, thread.id)
    with pytest.raises(IntegrityError), store.session_scope() as session:
        session.add(make_duplicate(*ids))
        session.flush()


def test_migrations_upgrade_empty_database_then_noop(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        before, after = upgrade(engine)
        assert before is None and after == head_revision(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"account", "message", "ask", "event", "syncstate", "thread", "contact"} <= tables
        again = upgrade(engine)
        assert again == (after, after)
        assert set(inspect(engine).get_table_names()) == tables
    finally:
        engine.dispose()


def test_migrations_match_models(db_url: str) -> None:
    """The migrations build exactly the schema the models describe (no model change without one)."""
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_store_sqlite_uses_wal(sqlite_store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
