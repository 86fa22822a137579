"""Real reply drafts after the digest (``digest.create_drafts``), against the Gmail and Graph emulators.

The database holds two asks whose threads exist in the emulated mailbox: one Dana agreed to (a
thank-you is owed) and one nobody answered (the first nudge is due). Drafts are created once per
(ask, template, follow-up count), none when the setting is off, and a missing scope costs nothing
but a log line.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from factories import add_account, add_ask_thread, add_reply, at
from google.oauth2.credentials import Credentials
from sqlmodel import select

from connectors.emulators.gmail import READ_SEND_SCOPES, GmailEmulator
from connectors.emulators.graph import GraphEmulator, conversation_id, immutable_id
from connectors.emulators.mailbox import FixtureMessage, Mailbox, Person
from connectors.gmail import DRAFT_SCOPES, GmailConnector, open_service
from connectors.graph import GraphConnector
from core.models import Account, Event, Message
from sync.asks import refresh_account
from sync.config import reset_config
from sync.digest import DRAFT_EVENT, DigestSettings, digest_settings, send_digest_if_due
from sync.store import Store

ME = Person("alex@example.com", "Alex Doe")
DANA = Person("dana@corp.example", "Dana Smith")
LEE = Person("lee@globex.example", "Lee Park")
NOON_NY = at("2026-03-16T16:00")  # Monday 12:00 in New York: the digest is due
ON = DigestSettings(hour=8, create_drafts=True)
OFF = DigestSettings(hour=8, create_drafts=False)


def _fixture(
    fid: str, thread: str, *, sender: Person, to: Person, when: str, reply_to: str | None = None
) -> FixtureMessage:
    return FixtureMessage(
        id=fid,
        thread=thread,
        message_id=f"{fid}@mail.example",
        sender=sender,
        to=(to,),
        subject="Referral for the Staff Engineer role?",
        date=at(when),
        direction="sent" if sender == ME else "received",
        text="Hi!",
        in_reply_to=f"{reply_to}@mail.example" if reply_to else None,
        references=(f"{reply_to}@mail.example",) if reply_to else (),
    )


def mailbox() -> Mailbox:
    return Mailbox(
        owner=ME,
        messages=[
            _fixture("a1", "ta", sender=ME, to=DANA, when="2026-03-02T15:00"),
            _fixture("a2", "ta", sender=DANA, to=ME, when="2026-03-16T13:00", reply_to="a1"),
            _fixture("b1", "tb", sender=ME, to=LEE, when="2026-03-02T16:00"),
        ],
        time_zone="America/New_York",
    )


@dataclass
class Setup:
    account: Account
    thread_keys: dict[str, str]  # fixture thread → provider thread key
    parents: dict[str, str]  # fixture thread → provider id of the message a draft answers


def _seed(store: Store, *, provider: str, ids: dict[str, str], threads: dict[str, str]) -> Setup:
    """The two asks in the database, with the emulator's provider ids and RFC 822 ids."""
    with store.session_scope() as s:
        acc = add_account(s, address=ME.email, provider=provider, time_zone="America/New_York")
        ta, ask_a = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"), key=threads["ta"])
        _tb, ask_b = add_ask_thread(
            s,
            acc,
            asked_at=at("2026-03-02T16:00"),
            key=threads["tb"],
            contact=LEE.email,
            contact_name=LEE.name,
        )
        reply = add_reply(
            s, acc, ta, sent_at=at("2026-03-16T13:00"), outcome="agreed", text="Happy to!"
        )
        for row, fid in ((ask_a, "a1"), (reply, "a2"), (ask_b, "b1")):
            row.provider_id, row.message_id = ids[fid], f"{fid}@mail.example"
            s.add(row)
        refresh_account(s, account=acc, now=at("2026-03-16T14:00"))
        s.flush()
        s.expunge(acc)
    return Setup(acc, threads, {"ta": ids["a2"], "tb": ids["b1"]})


def _events(store: Store) -> list[Event]:
    with store.session() as s:
        return list(s.exec(select(Event).where(Event.kind == DRAFT_EVENT)).all())


@pytest.fixture
def gmail_env() -> Iterator[GmailEmulator]:
    with GmailEmulator(mailbox(), scopes=DRAFT_SCOPES) as emu:
        yield emu


def _gmail(emu: GmailEmulator) -> GmailConnector:
    creds = Credentials(token=emu.token)  # type: ignore[no-untyped-call]
    return GmailConnector(
        open_service(creds, api_endpoint=emu.endpoint, timeout=10),
        api_endpoint=emu.endpoint,
        credentials=creds,
        sleep=lambda _: None,
    )


def _gmail_setup(store: Store, emu: GmailEmulator) -> Setup:
    ids = {f: emu.gmail_id(f) for f in ("a1", "a2", "b1")}
    return _seed(store, provider="gmail", ids=ids, threads={"ta": ids["a1"], "tb": ids["b1"]})


def _send(store: Store, setup: Setup, conn: object, *, now=NOON_NY, settings=ON) -> str:  # type: ignore[no-untyped-def]
    return send_digest_if_due(
        store.session_factory, account=setup.account, connector=conn, now=now, settings=settings
    )  # type: ignore[arg-type]


def test_digest_drafts_created_once_in_their_threads(
    sqlite_store: Store, gmail_env: GmailEmulator
) -> None:
    setup = _gmail_setup(sqlite_store, gmail_env)
    conn = _gmail(gmail_env)
    assert _send(sqlite_store, setup, conn) == "sent"
    drafts = sorted(gmail_env.drafts.values(), key=lambda d: d["threadId"])
    assert [d["threadId"] for d in drafts] == sorted(setup.thread_keys.values())
    by_thread = {d["threadId"]: d for d in drafts}
    thanks = message_from_bytes(
        base64.urlsafe_b64decode(by_thread[setup.thread_keys["ta"]]["raw"]), policy=default
    )
    nudge = message_from_bytes(
        base64.urlsafe_b64decode(by_thread[setup.thread_keys["tb"]]["raw"]), policy=default
    )
    assert thanks["In-Reply-To"] == "<a2@mail.example>" and "dana@corp.example" in thanks["To"]
    assert "thank" in thanks.get_content().lower()
    assert nudge["In-Reply-To"] == "<b1@mail.example>" and "lee@globex.example" in nudge["To"]
    events = _events(sqlite_store)
    assert sorted(e.reason.split(":")[0] for e in events) == ["follow_up_1#0", "thank_you_agreed#0"]
    assert {e.actor for e in events} == {"sync"}
    with sqlite_store.session() as s:  # each event points at the message the draft answers
        answered = {s.get(Message, e.message_id).provider_id for e in events}  # type: ignore[union-attr]
    assert answered == set(setup.parents.values())

    # The same day: the digest is not sent again and no draft is made twice.
    assert _send(sqlite_store, setup, conn, now=NOON_NY + timedelta(hours=2)) == "already_sent"
    # The next day's digest lists the same items again: still no second draft.
    assert _send(sqlite_store, setup, conn, now=NOON_NY + timedelta(days=1)) == "sent"
    assert len(gmail_env.drafts) == 2 and len(_events(sqlite_store)) == 2


def test_digest_drafts_none_when_disabled(sqlite_store: Store, gmail_env: GmailEmulator) -> None:
    setup = _gmail_setup(sqlite_store, gmail_env)
    assert _send(sqlite_store, setup, _gmail(gmail_env), settings=OFF) == "sent"
    assert gmail_env.drafts == {} and _events(sqlite_store) == []


def test_digest_drafts_enabled_per_account(sqlite_store: Store, gmail_env: GmailEmulator) -> None:
    setup = _gmail_setup(sqlite_store, gmail_env)
    with sqlite_store.session_scope() as s:
        acc = s.get(Account, setup.account.id)
        assert acc is not None and digest_settings(acc).create_drafts is False
        acc.settings_json = '{"digest": {"create_drafts": true}}'
        s.add(acc)
        s.flush()
        s.expunge(acc)
    setup.account = acc
    assert digest_settings(acc).create_drafts is True
    assert _send(sqlite_store, setup, _gmail(gmail_env), settings=None) == "sent"
    assert len(gmail_env.drafts) == 2 and len(_events(sqlite_store)) == 2


def test_digest_drafts_missing_scope_keeps_the_digest(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with GmailEmulator(mailbox(), scopes=READ_SEND_SCOPES) as emu:
        setup = _gmail_setup(sqlite_store, emu)
        with caplog.at_level(logging.WARNING, logger="sync.digest"):
            assert _send(sqlite_store, setup, _gmail(emu)) == "sent"
        assert emu.drafts == {} and _events(sqlite_store) == []
        assert "reftrack auth gmail --drafts" in caplog.text
        # Once the scope is granted, the next digest makes the drafts.
        emu.grant(DRAFT_SCOPES)
        assert _send(sqlite_store, setup, _gmail(emu), now=NOON_NY + timedelta(days=1)) == "sent"
        assert len(emu.drafts) == 2 and len(_events(sqlite_store)) == 2


def test_digest_drafts_on_graph_reply_to_the_right_messages(sqlite_store: Store) -> None:
    with GraphEmulator(mailbox(), token="t") as emu:
        ids = {f: immutable_id(f) for f in ("a1", "a2", "b1")}
        setup = _seed(
            sqlite_store,
            provider="graph",
            ids=ids,
            threads={"ta": conversation_id("ta"), "tb": conversation_id("tb")},
        )
        conn = GraphConnector(lambda: "t", endpoint=emu.graph_endpoint, sleep=lambda _: None)
        assert _send(sqlite_store, setup, conn) == "sent"
        assert sorted(emu.draft_parents.values()) == sorted(setup.parents.values())
        assert {d["conversationId"] for d in emu.drafts} == set(setup.thread_keys.values())
        assert _send(sqlite_store, setup, conn, now=NOON_NY + timedelta(days=1)) == "sent"
        assert len(emu.drafts) == 2 and len(_events(sqlite_store)) == 2
        conn.close()


def test_digest_drafts_setting_from_config_and_account_override(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REFTRACK_DIGEST__CREATE_DRAFTS", "true")
    reset_config()
    assert digest_settings(Account(provider="gmail", address=ME.email)).create_drafts is True
    opted_out = Account(
        provider="gmail", address=ME.email, settings_json='{"digest": {"create_drafts": false}}'
    )
    assert digest_settings(opted_out).create_drafts is False
