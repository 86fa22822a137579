"""Factories for the connector contract suite: one mailbox, each provider's emulator and connector.

``open_harness(provider, mailbox)`` starts the provider's emulator on ``mailbox`` and builds the
real connector against it the way production does (Gmail: googleapiclient with the classifier's
server-side prefilter; Graph: httpx with the default page size and body policy), with a fake clock
whose ``sleep`` only moves virtual time, so retries and pacing never wait. The ``Harness`` hides
the provider-specific test hooks behind one vocabulary (``deliver``, ``revoke``,
``expire_cursor``, ``http_requests``) so every contract scenario reads the same for both.

``Recorder`` plays the orchestrator: it stores each page's messages and cursors together, answers
``known_messages``/``known_threads`` from what it stores, and flags exactly the mailbox's
ground-truth asks as candidates (the contract tests connectors, not the classifier). It keeps the
provider ids yielded in each round so tests can check that nothing is yielded twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from google.oauth2.credentials import Credentials

from connectors.base import Connector, MailMessage, SyncContext
from connectors.emulators.generator import generate_mailbox
from connectors.emulators.gmail import GmailEmulator
from connectors.emulators.graph import GraphEmulator
from connectors.emulators.mailbox import FixtureMessage, Mailbox
from connectors.gmail import SCOPES, GmailConnector, RetryPolicy, open_service
from connectors.graph import GraphConnector
from core.classify import GMAIL_PREFILTER_TERMS

PROVIDERS = ("gmail", "graph")
START = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
DAYS = 30
NOW = START + timedelta(days=DAYS + 2)
SINCE = START - timedelta(days=1)
GRAPH_TOKEN = "contract-graph-token"


def contract_mailbox(*, seed: int = 11, sent: int = 40) -> Mailbox:
    """A small generated mailbox with a dozen asks, their replies, noise and hard negatives."""
    return generate_mailbox(seed=seed, sent=sent, start=START, days=DAYS, ask_share=0.25)


class FakeClock:
    """Monotonic seconds that move only when someone sleeps (sleeping costs no real time)."""

    def __init__(self) -> None:
        self.t = 10_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)


@dataclass
class Recorder:
    """The orchestrator in miniature: a page's messages and its cursors are stored together."""

    candidate_ids: frozenset[str]
    messages: dict[str, MailMessage] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)
    rounds: list[list[str]] = field(default_factory=list)  # provider ids yielded, per round
    finished: bool = False  # whether the last round reached its page marked done

    @classmethod
    def for_mailbox(cls, mailbox: Mailbox) -> Recorder:
        return cls(candidate_ids=frozenset(m.message_id for m in mailbox.sent if m.truth.is_ask))

    def is_candidate(self, message: MailMessage) -> bool:
        return message.direction == "sent" and message.message_id in self.candidate_ids

    def tracked(self) -> set[str]:
        return {
            m.thread_key
            for m in self.messages.values()
            if m.direction == "sent" and (m.has_body or self.is_candidate(m))
        }

    def context(self) -> SyncContext:
        def known_messages(ids: Sequence[str]) -> set[str]:
            return {i for i in ids if i in self.messages}

        def known_threads(keys: Sequence[str]) -> set[str]:
            return set(keys) & self.tracked()

        return SyncContext(
            since=SINCE,
            known_messages=known_messages,
            known_threads=known_threads,
            is_candidate=self.is_candidate,
        )

    def run(self, connector: Connector, *, stop_after: int | None = None) -> list[MailMessage]:
        """One sync round from the stored cursors; returns the messages it yielded, in order.

        ``stop_after`` simulates a kill after that many pages that carried messages: the round
        ends there (``finished`` stays False)."""
        yielded: list[MailMessage] = []
        self.rounds.append([])
        self.finished = False
        stored = 0
        for page in connector.sync(dict(self.cursors), context=self.context()):
            stored += bool(page.messages)
            for message in page.messages:
                yielded.append(message)
                self.rounds[-1].append(message.provider_id)
                self.messages[message.provider_id] = message
            self.cursors.update(page.cursors)
            if page.done:
                self.finished = True
                break
            if stop_after is not None and stored >= stop_after:
                break
        return yielded

    def by_message_id(self) -> dict[str | None, MailMessage]:
        return {m.message_id: m for m in self.messages.values()}


@dataclass
class Harness:
    """One provider's emulator and connector on the contract mailbox, behind one vocabulary."""

    provider: str
    mailbox: Mailbox
    emulator: Any  # GmailEmulator | GraphEmulator
    clock: FakeClock
    make: Callable[[], Connector]
    connector: Connector = field(init=False)
    delivered: list[FixtureMessage] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.connector = self.make()

    @property
    def owner(self) -> str:
        return self.mailbox.owner.email

    def http_requests(self) -> int:
        """HTTP requests the emulator has received so far (a batch counts once)."""
        if isinstance(self.emulator, GmailEmulator):
            return self.emulator.http_requests
        return int(self.emulator.requests)

    def deliver(self, message: FixtureMessage) -> None:
        """New mail arrives in the mailbox (a received message lands in the inbox)."""
        self.emulator.add_message(message)
        self.delivered.append(message)

    def fixtures(self) -> dict[str, FixtureMessage]:
        """Every message the mailbox holds by Message-ID: the generated ones and those delivered."""
        return {m.message_id: m for m in (*self.mailbox, *self.delivered)}

    def revoke(self) -> None:
        """The person revokes the grant: access tokens stop working and refreshing is refused."""
        self.emulator.revoke()

    def expire_cursor(self) -> None:
        """The provider forgets the sync state: Gmail history too old, Graph deltaLinks gone."""
        if isinstance(self.emulator, GmailEmulator):
            self.emulator.expire_history()
        else:
            self.emulator.expire_delta_links()


def _gmail_connector(emu: GmailEmulator, clock: FakeClock) -> GmailConnector:
    creds = Credentials(  # type: ignore[no-untyped-call]
        token="emulator-access-token",
        refresh_token=emu.refresh_token,
        token_uri=emu.token_uri,
        client_id="contract-client",
        client_secret="contract-secret",
        scopes=list(SCOPES),
    )
    return GmailConnector(
        open_service(creds, api_endpoint=emu.endpoint, timeout=10),
        api_endpoint=emu.endpoint,
        prefilter_terms=GMAIL_PREFILTER_TERMS,
        credentials=creds,
        sleep=clock.sleep,
        clock=clock,
        now=lambda: NOW,
        retry=RetryPolicy(attempts=8),
    )


def _graph_connector(emu: GraphEmulator, clock: FakeClock) -> GraphConnector:
    return GraphConnector(
        lambda: GRAPH_TOKEN,
        endpoint=emu.graph_endpoint,
        mailbox_key=f"contract:{emu.base_url}",
        sleep=clock.sleep,
    )


@contextmanager
def open_harness(provider: str, mailbox: Mailbox) -> Iterator[Harness]:
    """Start ``provider``'s emulator on ``mailbox`` and wire a connector to it."""
    clock = FakeClock()
    if provider == "gmail":
        with GmailEmulator(mailbox, now=lambda: NOW) as gmail:
            yield Harness(provider, mailbox, gmail, clock, lambda: _gmail_connector(gmail, clock))
    elif provider == "graph":
        with GraphEmulator(mailbox, token=GRAPH_TOKEN) as graph:
            harness = Harness(
                provider, mailbox, graph, clock, lambda: _graph_connector(graph, clock)
            )
            try:
                yield harness
            finally:
                assert isinstance(harness.connector, GraphConnector)
                harness.connector.close()
    else:
        raise ValueError(f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)}")


def late_reply(mailbox: Mailbox, *, n: int = 1, ask_index: int = 0) -> FixtureMessage:
    """A reply to a ground-truth ask that arrives after the last sync (dated after ``NOW``, the
    connectors' "now", as a provider stamps mail it receives after a sync)."""
    asks = [m for m in mailbox.sent if m.truth.is_ask]
    ask = asks[ask_index % len(asks)]
    return FixtureMessage(
        id=f"late-reply-{n}",
        thread=ask.thread,
        message_id=f"late-reply-{n}@mail.contract.example",
        sender=ask.to[0],
        to=(mailbox.owner,),
        subject="Re: " + ask.subject,
        date=NOW + timedelta(minutes=n),
        direction="received",
        text="Happy to help: I passed your name along this morning.",
        in_reply_to=ask.message_id,
        references=(*ask.references, ask.message_id),
    )


def replies_to_asks(mailbox: Mailbox) -> dict[str, list[FixtureMessage]]:
    """Ground truth: each ask's Message-ID → the received messages of its thread."""
    asks = {m.thread: m for m in mailbox.sent if m.truth.is_ask}
    out: dict[str, list[FixtureMessage]] = {a.message_id: [] for a in asks.values()}
    for m in mailbox:
        if m.direction == "received" and m.thread in asks:
            out[asks[m.thread].message_id].append(m)
    return out
