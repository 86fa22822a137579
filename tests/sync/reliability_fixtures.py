"""Shared set-up for the reliability tests: both emulators, linked accounts, a process-level env.

``linked_env`` starts a Gmail and a Graph emulator on generated mailboxes, links one account to
each through the real auth paths in a given data dir, and returns the environment a
``reftrack sync`` subprocess needs to talk to them. ``snapshot`` reads a database by natural keys
(provider ids, thread keys), so two databases built by different runs compare equal when their
content is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from google.oauth2.credentials import Credentials
from sqlmodel import select

from connectors.emulators.generator import generate_mailbox
from connectors.emulators.gmail import GmailEmulator
from connectors.emulators.graph import GraphEmulator
from connectors.emulators.mailbox import Mailbox, Person
from connectors.gmail import SCOPES
from core.models import Account, Ask, Contact, DigestLog, Event, Message, Thread
from sync.config import load_config
from sync.connect_gmail import link_gmail
from sync.connect_graph import link_account
from sync.store import Store, open_store

OWN_DIGEST = "reftrack's own digest"
START = datetime(2026, 7, 6, tzinfo=UTC)
DAYS = 60
# A Wednesday at 14:00 UTC = 10:00 in New York: the digest is due.
NOW = datetime(2026, 9, 9, 14, 0, tzinfo=UTC)
assert START + timedelta(days=DAYS) < NOW


@dataclass
class Emulators:
    gmail: GmailEmulator
    graph: GraphEmulator

    def env(self, data_dir: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("REFTRACK_")}
        env.update(
            {
                "REFTRACK_DATA_DIR": str(data_dir),
                "REFTRACK_USE_KEYRING": "false",
                "REFTRACK_GMAIL__API_ENDPOINT": self.gmail.endpoint,
                "REFTRACK_GMAIL__TOKEN_URI": self.gmail.token_uri,
                "REFTRACK_GMAIL__UNITS_PER_MINUTE": "1000000",
                "REFTRACK_OUTLOOK__CLIENT_ID": "reliability-client",
                "REFTRACK_OUTLOOK__AUTHORITY": self.graph.authority,
                "REFTRACK_OUTLOOK__GRAPH_ENDPOINT": self.graph.graph_endpoint,
                "PYTHONPATH": os.pathsep.join(sys.path),
            }
        )
        return env

    def sent_digests(self) -> dict[str, int]:
        return {
            "gmail": sum(
                1 for c in self.gmail.calls if c.method == "messages.send" and c.status == 200
            ),
            "graph": sum(
                1 for line in self.graph.log if line.startswith("POST") and "sendMail" in line
            ),
        }


def mailboxes(seed: int = 5, sent: int = 100) -> tuple[Mailbox, Mailbox]:
    gmail = generate_mailbox(seed=seed, sent=sent, start=START, days=DAYS, ask_share=0.08)
    graph = generate_mailbox(
        seed=seed + 1,
        sent=sent,
        start=START,
        days=DAYS,
        ask_share=0.08,
        owner=Person("pat@contoso.example", "Pat Kim"),
    )
    return gmail, graph


@contextmanager
def running_emulators(seed: int = 5, sent: int = 100) -> Iterator[Emulators]:
    gmail_box, graph_box = mailboxes(seed, sent)
    with GmailEmulator(gmail_box, now=lambda: NOW) as gmail, GraphEmulator(graph_box) as graph:
        yield Emulators(gmail, graph)


def link_accounts(emus: Emulators, data_dir: Path) -> Store:
    """Link both accounts in ``data_dir`` (what `reftrack auth gmail/outlook` would store)."""
    env = emus.env(data_dir)
    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith("REFTRACK_")})
    try:
        config = load_config()
        store = open_store(config)
        creds = Credentials(  # type: ignore[no-untyped-call]
            token=None,
            refresh_token=emus.gmail.refresh_token,
            token_uri=emus.gmail.token_uri,
            client_id="reliability-client",
            client_secret="x",
            scopes=list(SCOPES),
        )
        with store.session_scope() as session:
            account = link_gmail(session, creds, config=config)
            account.time_zone = "America/New_York"
        graph_account = link_account(store.session_factory, config=config, show=lambda _m: None)
        with store.session_scope() as session:
            row = session.get(Account, graph_account.id)
            assert row is not None
            row.time_zone = "America/New_York"
        return store
    finally:
        os.environ.clear()
        os.environ.update(saved)


def snapshot(store: Store) -> dict[str, object]:
    with store.session() as session:
        threads = {t.id: (t.account_id, t.thread_key) for t in session.exec(select(Thread)).all()}
        accounts = {a.id: a.address for a in session.exec(select(Account)).all()}
        asks = {a.id: threads[a.thread_id] for a in session.exec(select(Ask)).all()}
        return {
            "accounts": sorted(
                (a.provider, a.address, a.status) for a in session.exec(select(Account)).all()
            ),
            "messages": sorted(
                (
                    accounts[m.account_id],
                    m.provider_id,
                    threads[m.thread_id][1],
                    m.direction,
                    m.is_ask,
                    m.kind,
                    m.outcome,
                    m.has_body,
                    m.visible_text,
                )
                for m in session.exec(select(Message)).all()
                # the digest itself comes back with the next sync when a killed run had sent it
                if m.reason != OWN_DIGEST
            ),
            "asks": sorted(
                (
                    accounts[a.account_id],
                    threads[a.thread_id][1],
                    a.kind,
                    a.state,
                    a.next_action,
                    a.next_action_due,
                    a.follow_up_count,
                    a.outcome,
                    a.bounced_addresses,
                )
                for a in session.exec(select(Ask)).all()
            ),
            "events": sorted(
                (
                    asks.get(e.ask_id, ("", ""))[1],
                    e.kind,
                    e.from_state or "",
                    e.to_state or "",
                    e.reason,
                )
                for e in session.exec(select(Event)).all()
            ),
            "contacts": sorted(
                (accounts[c.account_id], c.address, c.sent_count, c.received_count)
                for c in session.exec(select(Contact)).all()
            ),
            "digests": sorted(
                (accounts[d.account_id], d.day, d.status)
                for d in session.exec(select(DigestLog)).all()
            ),
        }
