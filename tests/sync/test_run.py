"""The sync orchestrator over an in-memory connector: isolation, idempotency, resumability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from connectors.emulators.generator import generate_mailbox
from connectors.errors import AuthExpired, Transient
from core.models import Account, Ask, Contact, Event, Message, SyncState, Thread
from sync.config import load_config
from sync.run import sync_all
from tests.sync.fake_connector import FakeConnector

START = datetime(2026, 8, 3, tzinfo=UTC)
NOW = START + timedelta(days=60)


@pytest.fixture
def mailbox():
    return generate_mailbox(seed=7, sent=120, start=START, days=50, ask_share=0.1)


def _add_account(store, address: str, provider: str = "gmail") -> int:
    with store.session_scope() as session:
        account = Account(provider=provider, address=address, time_zone="America/New_York")
        session.add(account)
        session.flush()
        return account.id


def _snapshot(store) -> dict[str, object]:
    """The database content that must not depend on how many runs it took to get there."""
    with store.session() as session:
        return {
            "messages": sorted(
                (
                    m.provider_id,
                    m.direction,
                    m.is_ask,
                    m.kind,
                    m.outcome,
                    m.visible_text is not None,
                )
                for m in session.exec(select(Message)).all()
            ),
            "threads": session.exec(select(func.count()).select_from(Thread)).one(),
            "asks": sorted(
                (a.thread_id, a.kind, a.state, a.next_action, a.follow_up_count, a.outcome)
                for a in session.exec(select(Ask)).all()
            ),
            "events": sorted(
                (e.ask_id, e.kind, e.to_state) for e in session.exec(select(Event)).all()
            ),
            "contacts": sorted(
                (c.address, c.sent_count, c.received_count)
                for c in session.exec(select(Contact)).all()
            ),
            "cursors": sorted((s.folder, s.cursor) for s in session.exec(select(SyncState)).all()),
        }


def test_sync_all_isolates_a_failing_account(store, mailbox) -> None:
    config = load_config()
    good = _add_account(store, mailbox.owner.email)
    bad = _add_account(store, "revoked@example.com")
    connectors = {
        good: FakeConnector(mailbox),
        bad: FakeConnector(mailbox, fail_at=0, error=AuthExpired("the Gmail grant was revoked")),
    }
    results = sync_all(
        store,
        config,
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: connectors[a.id],
    )
    by_status = {r.status for r in results}
    assert by_status == {"synced", "needs_reauth"}
    with store.session() as session:
        assert session.get(Account, bad).status == "needs_reauth"
        assert session.exec(select(func.count()).select_from(Message)).one() == len(mailbox)
        assert session.exec(select(func.count()).select_from(Ask)).one() >= 5
    # next run: the revoked account is reported, not retried, and the good one is a no-op
    again = sync_all(
        store,
        config,
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: connectors[a.id],
    )
    assert [r.status for r in again] == ["synced", "needs_reauth"]
    assert again[0].new_messages == 0


def test_sync_resumes_after_failure_with_nothing_lost(store, mailbox) -> None:
    config = load_config()
    reference_store = store
    account = _add_account(reference_store, mailbox.owner.email)
    flaky = FakeConnector(
        mailbox, page_size=7, fail_at=3, error=Transient("HTTP 503 from the provider")
    )
    first = sync_all(
        store, config, now=NOW, send_digest=False, connector_factory=lambda s, a, c: flaky
    )
    assert first[0].status == "failed" and "next run continues" in first[0].error
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Message)).one() == 21  # 3 pages stored
    healthy = FakeConnector(mailbox, page_size=7)
    second = sync_all(
        store, config, now=NOW, send_digest=False, connector_factory=lambda s, a, c: healthy
    )
    assert second[0].status == "synced"
    after_resume = _snapshot(store)
    # a full third run changes nothing
    sync_all(
        store,
        config,
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(mailbox),
    )
    assert _snapshot(store) == after_resume
    assert account


def test_sync_equals_uninterrupted_run(tmp_path, mailbox) -> None:
    from sync.store import open_store

    config = load_config()
    one = open_store(url=f"sqlite:///{tmp_path / 'one.db'}")
    two = open_store(url=f"sqlite:///{tmp_path / 'two.db'}")
    _add_account(one, mailbox.owner.email)
    _add_account(two, mailbox.owner.email)
    sync_all(
        one,
        config,
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(mailbox, page_size=50),
    )
    for fail_at in (1, 4, 9):
        sync_all(
            two,
            config,
            now=NOW,
            send_digest=False,
            connector_factory=lambda s, a, c, f=fail_at: FakeConnector(
                mailbox, page_size=5, fail_at=f, error=Transient("reset")
            ),
        )
    sync_all(
        two,
        config,
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(mailbox, page_size=5),
    )
    a, b = _snapshot(one), _snapshot(two)
    a.pop("cursors"), b.pop("cursors")
    assert a == b


def test_sync_visible_text_kept_only_for_ask_threads(store, mailbox) -> None:
    config = load_config()
    _add_account(store, mailbox.owner.email)
    sync_all(
        store,
        config,
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(mailbox),
    )
    with store.session() as session:
        ask_threads = set(session.exec(select(Ask.thread_id)).all())
        with_text = session.exec(select(Message).where(Message.visible_text.is_not(None))).all()  # type: ignore[union-attr]
        assert with_text, "ask threads keep their text"
        assert {m.thread_id for m in with_text} <= ask_threads


def test_sync_links_reply_by_in_reply_to_before_thread_key(sqlite_store) -> None:
    """A reply whose conversation key changed still joins the ask it answers."""
    from dataclasses import replace

    box = generate_mailbox(seed=3, sent=60, start=START, days=30, ask_share=0.2)
    asks = [m for m in box.messages if m.direction == "sent" and m.truth.is_ask]
    replies = [
        m for m in box.messages if m.direction == "received" and m.in_reply_to == asks[0].message_id
    ]
    assert replies, "the generated mailbox answers its first ask"
    moved = replace(replies[0], thread="t-renamed-subject")
    box.messages[box.messages.index(replies[0])] = moved
    _add_account(sqlite_store, box.owner.email)
    sync_all(
        sqlite_store,
        load_config(),
        now=NOW,
        send_digest=False,
        connector_factory=lambda s, a, c: FakeConnector(box, page_size=5),
    )
    with sqlite_store.session() as session:
        ask_row = session.exec(select(Message).where(Message.provider_id == asks[0].id)).one()
        reply_row = session.exec(select(Message).where(Message.provider_id == moved.id)).one()
        assert reply_row.thread_id == ask_row.thread_id
        assert (
            session.exec(select(Thread).where(Thread.thread_key == "t-renamed-subject")).first()
            is None
        )
