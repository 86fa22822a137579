"""Fixtures for the Graph connector tests: a seeded mailbox, an orchestrator stand-in, helpers.

``MiniStore`` plays the orchestrator: it stores a page's messages, removals and cursors together
(one "transaction" per page) and can be told to die after N pages, so tests can check that a kill
between pages loses nothing and that nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from connectors.base import MailMessage, SyncContext, SyncPage
from connectors.emulators.generator import generate_mailbox
from connectors.emulators.mailbox import Mailbox
from connectors.graph import GraphConnector

UTC = ZoneInfo("UTC")
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TOKEN = "test-token"


def small_mailbox(*, sent: int = 60, seed: int = 7) -> Mailbox:
    return generate_mailbox(seed=seed, sent=sent, start=START, days=60, ask_share=0.1)


class Killed(Exception):
    """The simulated process died between two pages."""


@dataclass
class MiniStore:
    """dict provider_id → message plus cursors, committed together per page."""

    messages: dict[str, MailMessage] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    tracked_threads: set[str] = field(default_factory=set)
    yielded: list[str] = field(default_factory=list)  # every provider id yielded, in order
    pages: int = 0
    candidate_ids: set[str] | None = None  # RFC 822 ids the "classifier" flags; None = keywords

    @classmethod
    def for_mailbox(cls, mailbox: Mailbox) -> MiniStore:
        """A store whose classifier flags exactly the mailbox's ground-truth asks."""
        return cls(candidate_ids={m.message_id for m in mailbox.sent if m.truth.is_ask})

    def context(self, *, since: datetime = START - timedelta(days=1)) -> SyncContext:
        def known_messages(ids: Sequence[str]) -> set[str]:
            return {i for i in ids if i in self.messages}

        def known_threads(keys: Sequence[str]) -> set[str]:
            return {k for k in keys if k in self.tracked_threads}

        return SyncContext(
            since=since,
            known_messages=known_messages,
            known_threads=known_threads,
            is_candidate=self.is_candidate,
        )

    def is_candidate(self, message: MailMessage) -> bool:
        if self.candidate_ids is not None:
            return message.message_id in self.candidate_ids
        text = (message.subject + " " + message.snippet).lower()
        return any(w in text for w in ("refer", "intro", "recommend", "reference"))

    def commit(self, page: SyncPage) -> None:
        for message in page.messages:
            self.yielded.append(message.provider_id)
            self.messages[message.provider_id] = message
            if message.direction == "sent" and self.is_candidate(message):
                self.tracked_threads.add(message.thread_key)  # as sync tracks candidate asks
        for pid in page.removed:
            self.messages.pop(pid, None)
            self.removed.add(pid)
        self.cursors.update(page.cursors)
        self.pages += 1

    def run(
        self,
        connector: GraphConnector,
        *,
        die_after: int | None = None,
        since: datetime | None = None,
    ) -> bool:
        """One sync round; returns whether it reached the page marked done."""
        ctx = self.context(since=since) if since else self.context()
        for committed, page in enumerate(connector.sync(dict(self.cursors), context=ctx), 1):
            self.commit(page)
            if page.done:
                return True
            if die_after is not None and committed >= die_after:
                raise Killed()
        return False


def message_ids_by_folder(store: MiniStore) -> Mapping[str, set[str]]:
    out: dict[str, set[str]] = {"sentitems": set(), "inbox": set()}
    for message in store.messages.values():
        out[message.folder].add(message.provider_id)
    return out


def make_connector(endpoint: str, *, token: str = TOKEN, page_size: int = 10) -> GraphConnector:
    sleeps: list[float] = []
    connector = GraphConnector(
        lambda: token, endpoint=endpoint, sleep=sleeps.append, page_size=page_size
    )
    connector.sleeps = sleeps  # type: ignore[attr-defined]
    return connector
