"""The digest from the database, and sending it at most once per account per local day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from factories import add_account, add_ask_thread, add_reply, at
from sqlmodel import select

from connectors.base import OutgoingMessage, Profile
from connectors.errors import AuthExpired, RateLimited, Transient
from core.models import Account, DigestLog
from sync.asks import refresh_account
from sync.config import reset_config
from sync.digest import SETTLE_AFTER, DigestSettings, build_account_digest, send_digest_if_due
from sync.errors import ReftrackError
from sync.store import Store

NOON_NY = at("2026-03-16T16:00")  # Monday 12:00 in New York
SETTINGS = DigestSettings(hour=8, send_empty=False)


@dataclass
class FakeSender:
    """A Connector stand-in for sending: can fail before or after the message 'went out'."""

    provider: str = "gmail"
    sent: list[OutgoingMessage] = field(default_factory=list)
    fail_before: Exception | None = None  # raised, nothing sent
    fail_after: Exception | None = None  # raised after the message went out
    find_error: Exception | None = None
    find_calls: int = 0

    def get_profile(self) -> Profile:
        return Profile(address="me@example.com")

    def sync(self, cursors, *, context):  # pragma: no cover - not used here
        return iter(())

    def send(self, message: OutgoingMessage) -> str:
        if self.fail_before is not None:
            error, self.fail_before = self.fail_before, None
            raise error
        self.sent.append(message)
        if self.fail_after is not None:
            error, self.fail_after = self.fail_after, None
            raise error
        return f"sent-{len(self.sent)}"

    def find_sent(self, message_id: str) -> bool:
        self.find_calls += 1
        if self.find_error is not None:
            raise self.find_error
        return any(m.message_id == message_id for m in self.sent)


def _setup(
    store: Store, *, provider: str = "gmail", tz: str = "America/New_York", with_ask: bool = True
) -> Account:
    with store.session_scope() as s:
        acc = add_account(s, provider=provider, time_zone=tz)
        if with_ask:
            thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"), key="18c2f0a")
            add_reply(
                s,
                acc,
                thread,
                sent_at=at("2026-03-16T13:00"),
                outcome="agreed",
                text="Happy to refer you!",
            )
            refresh_account(s, account=acc, now=at("2026-03-16T14:00"))
        s.flush()
        s.expunge(acc)
    return acc


def _logs(store: Store) -> list[DigestLog]:
    with store.session() as s:
        return list(s.exec(select(DigestLog)).all())


def test_digest_build_from_the_database(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    with sqlite_store.session_scope() as s:
        d = build_account_digest(
            s, account=s.get(Account, acc.id), now=NOON_NY, since=at("2026-03-15T00:00")
        )
    assert [i.ask.contact_name for i in d.thank_you] == ["Dana Smith"]
    assert d.thank_you[0].ask.link == "https://mail.google.com/mail/u/0/#all/18c2f0a"
    assert [r.snippet for r in d.new_replies] == ["Happy to refer you!"]
    assert d.stats.response_rate == 1.0
    assert d.today == date(2026, 3, 16)


def test_digest_outlook_link_is_a_deeplink(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store, provider="graph")
    with sqlite_store.session_scope() as s:
        d = build_account_digest(s, account=s.get(Account, acc.id), now=NOON_NY)
    assert d.thank_you[0].ask.link.startswith("https://outlook.office.com/mail/deeplink/read/prov")


def test_digest_sent_once_per_local_day(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender()
    early = at("2026-03-16T11:00")  # 07:00 in New York
    assert (
        send_digest_if_due(
            sqlite_store.session_factory, account=acc, connector=conn, now=early, settings=SETTINGS
        )
        == "not_due"
    )
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
        == "sent"
    )
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY + timedelta(hours=3),
            settings=SETTINGS,
        )
        == "already_sent"
    )
    assert len(conn.sent) == 1
    message = conn.sent[0]
    assert message.to[0].email == "me@example.com" and message.sender.email == "me@example.com"
    assert message.html and "<html" in message.html and "Dana Smith" in message.text
    assert message.headers["X-Reftrack-Digest"] == "2026-03-16"
    assert message.subject.startswith("reftrack: 1 thank-you")
    [log] = _logs(sqlite_store)
    assert (log.status, log.message_id, log.provider_id) == ("sent", message.message_id, "sent-1")
    with sqlite_store.session() as s:
        assert s.get(Account, acc.id).last_digest_at is not None
    # The next local day gets its own digest.
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY + timedelta(days=1),
            settings=SETTINGS,
        )
        == "sent"
    )
    assert len(conn.sent) == 2


def test_digest_force_hour_sends_early(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender()
    result = send_digest_if_due(
        sqlite_store.session_factory,
        account=acc,
        connector=conn,
        now=at("2026-03-16T11:00"),
        force_hour=True,
        settings=SETTINGS,
    )
    assert result == "sent"


def test_digest_nothing_to_say_sends_nothing(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store, with_ask=False)
    conn = FakeSender()
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
        == "empty"
    )
    assert conn.sent == [] and [row.status for row in _logs(sqlite_store)] == ["empty"]
    loud = DigestSettings(hour=8, send_empty=True)
    assert (
        send_digest_if_due(
            sqlite_store.session_factory, account=acc, connector=conn, now=NOON_NY, settings=loud
        )
        == "sent"
    )
    assert "nothing due today" in conn.sent[0].subject


def test_digest_reads_hour_and_send_empty_from_config(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFTRACK_DIGEST__HOUR", "13")
    monkeypatch.setenv("REFTRACK_DIGEST__SEND_EMPTY", "true")
    reset_config()
    acc = _setup(sqlite_store, with_ask=False)
    conn = FakeSender()
    assert (
        send_digest_if_due(sqlite_store.session_factory, account=acc, connector=conn, now=NOON_NY)
        == "not_due"
    )
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY + timedelta(hours=1),
        )
        == "sent"
    )


def test_digest_unknown_outcome_is_settled_not_resent_blindly(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender(fail_after=Transient("timed out"))  # it went out, but we could not tell
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
        == "unknown"
    )
    assert [row.status for row in _logs(sqlite_store)] == ["unknown"]
    later = NOON_NY + timedelta(hours=1)
    assert (
        send_digest_if_due(
            sqlite_store.session_factory, account=acc, connector=conn, now=later, settings=SETTINGS
        )
        == "already_sent"
    )
    assert len(conn.sent) == 1 and conn.find_calls == 1
    assert [row.status for row in _logs(sqlite_store)] == ["sent"]


def test_digest_unknown_outcome_not_found_waits_then_resends_same_id(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender(fail_before=Transient("connection reset"))  # it did NOT go out
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
        == "unknown"
    )
    [log] = _logs(sqlite_store)
    soon = NOON_NY + SETTLE_AFTER / 2
    assert (
        send_digest_if_due(
            sqlite_store.session_factory, account=acc, connector=conn, now=soon, settings=SETTINGS
        )
        == "unknown"
    )
    assert conn.sent == []
    later = NOON_NY + SETTLE_AFTER + timedelta(minutes=1)
    assert (
        send_digest_if_due(
            sqlite_store.session_factory, account=acc, connector=conn, now=later, settings=SETTINGS
        )
        == "sent"
    )
    assert [m.message_id for m in conn.sent] == [log.message_id]


def test_digest_crash_mid_send_is_settled(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender(fail_after=RuntimeError("killed"))
    with pytest.raises(RuntimeError):
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
    assert [row.status for row in _logs(sqlite_store)] == ["unknown"]
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY + timedelta(hours=2),
            settings=SETTINGS,
        )
        == "already_sent"
    )
    assert len(conn.sent) == 1


def test_digest_leftover_sending_row_is_checked_first(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    with sqlite_store.session_scope() as s:
        s.add(
            DigestLog(
                account_id=acc.id,
                day=date(2026, 3, 16),
                status="sending",
                message_id="x@example.com",
                created_at=NOON_NY - timedelta(hours=1),
            )
        )
    conn = FakeSender(find_error=Transient("down"))
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
        == "unknown"
    )
    assert conn.sent == []


def test_digest_rejected_send_is_retried_later(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender(fail_before=RateLimited("slow down", retry_after=30))
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
        == "failed"
    )
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY + timedelta(minutes=5),
            settings=SETTINGS,
        )
        == "sent"
    )
    assert len(conn.sent) == 1


def test_digest_auth_expired_is_raised_and_recorded(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender(fail_before=AuthExpired("grant revoked"))
    with pytest.raises(AuthExpired):
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
    assert [row.status for row in _logs(sqlite_store)] == ["failed"]


def test_digest_day_is_the_account_local_day(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store, tz="Asia/Tokyo")
    conn = FakeSender()
    # 23:30 UTC on the 15th is 08:30 on the 16th in Tokyo.
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=at("2026-03-15T23:30"),
            settings=SETTINGS,
        )
        == "sent"
    )
    assert [row.day for row in _logs(sqlite_store)] == [date(2026, 3, 16)]


def test_digest_replies_since_last_digest_only(sqlite_store: Store) -> None:
    acc = _setup(sqlite_store)
    conn = FakeSender()
    send_digest_if_due(
        sqlite_store.session_factory, account=acc, connector=conn, now=NOON_NY, settings=SETTINGS
    )
    with sqlite_store.session_scope() as s:
        d = build_account_digest(s, account=s.get(Account, acc.id), now=NOON_NY + timedelta(days=1))
    assert d.new_replies == ()


def test_digest_hostile_reply_is_escaped_in_the_sent_html(sqlite_store: Store) -> None:
    with sqlite_store.session_scope() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(
            s, acc, asked_at=at("2026-03-02T15:00"), contact_name='<img src=x onerror="alert(1)">'
        )
        add_reply(
            s,
            acc,
            thread,
            sent_at=at("2026-03-16T13:00"),
            outcome="needs_info",
            text='<script>alert("pwned")</script> send CV',
            sender_name="<b>Boss</b>",
        )
        refresh_account(s, account=acc, now=at("2026-03-16T14:00"))
        s.expunge(acc)
    conn = FakeSender()
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY,
            settings=SETTINGS,
        )
        == "sent"
    )
    html = conn.sent[0].html or ""
    assert "<script" not in html and "<img" not in html and "<b>Boss" not in html
    assert "&lt;script&gt;" in html


def test_digest_sent_once_on_every_backend(store: Store) -> None:
    acc = _setup(store)
    conn = FakeSender()
    assert (
        send_digest_if_due(
            store.session_factory, account=acc, connector=conn, now=NOON_NY, settings=SETTINGS
        )
        == "sent"
    )
    assert (
        send_digest_if_due(
            store.session_factory, account=acc, connector=conn, now=NOON_NY, settings=SETTINGS
        )
        == "already_sent"
    )


def test_digest_hour_per_account(sqlite_store: Store) -> None:
    with sqlite_store.session_scope() as s:
        acc = add_account(
            s, time_zone="America/New_York", settings={"digest": {"hour": 13, "send_empty": True}}
        )
        bad = add_account(s, address="b@example.com", settings={"digest": {"hour": 25}})
        s.expunge(acc)
        s.expunge(bad)
    conn = FakeSender()
    assert (
        send_digest_if_due(sqlite_store.session_factory, account=acc, connector=conn, now=NOON_NY)
        == "not_due"
    )
    assert (
        send_digest_if_due(
            sqlite_store.session_factory,
            account=acc,
            connector=conn,
            now=NOON_NY + timedelta(hours=1),
        )
        == "sent"
    )
    with pytest.raises(ReftrackError, match="0 to 23"):
        send_digest_if_due(sqlite_store.session_factory, account=bad, connector=conn, now=NOON_NY)
