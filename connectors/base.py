"""The provider seam: normalized mail types and the ``Connector`` protocol.

Invariants:
- Values here are frozen; provider-specific fields never leave the provider's module.
- Every ``datetime`` is timezone-aware UTC.
- Addresses are lower-cased; RFC 822 ids (``message_id``, ``in_reply_to``, ``references``) are
  stored without angle brackets or surrounding white space.
- A ``SyncPage`` carries the cursors that hold *after* its messages are stored, so a caller that
  saves a page and its cursors in one transaction can be killed between pages and lose nothing.
- Cursors are opaque strings per folder: only the connector that produced one can read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

Direction = Literal["sent", "received"]

#: Headers a connector keeps (lower-cased names); everything else is dropped.
HEADERS_THAT_MATTER: frozenset[str] = frozenset(
    {
        "auto-submitted",
        "x-autoreply",
        "x-autorespond",
        "x-auto-response-suppress",
        "precedence",
        "content-type",
        "x-failed-recipients",
        "return-path",
        "list-id",
        "list-unsubscribe",
        "x-ms-exchange-generated-message-source",
        "x-reftrack-digest",
    }
)

_ID_RE = re.compile(r"<([^<>\s]+)>")


def normalize_msgid(value: str | None) -> str | None:
    """``"<a@b>"`` → ``"a@b"``; empty or missing → ``None``."""
    if not value:
        return None
    found = _ID_RE.search(value)
    cleaned = found.group(1) if found else value.strip()
    return cleaned or None


def parse_references(value: str | None) -> tuple[str, ...]:
    """All ids of a References header, in order, without brackets."""
    if not value:
        return ()
    ids = _ID_RE.findall(value)
    return tuple(ids) if ids else tuple(v for v in value.split() if v)


@dataclass(frozen=True, slots=True)
class Address:
    email: str
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "email", self.email.strip().lower())


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message as every provider reports it."""

    provider: str  # "gmail" | "graph"
    provider_id: str  # Gmail message id / Graph immutable id
    thread_key: str  # Gmail threadId / Graph conversationId
    message_id: str | None  # RFC 822 Message-ID, no brackets
    in_reply_to: str | None
    references: tuple[str, ...]
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    sent_at: datetime  # aware, UTC
    direction: Direction
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names
    body_text: str | None = None  # text/plain body when fetched
    body_html: str | None = None  # text/html body when fetched
    snippet: str = ""  # provider's short preview; set even when the body was not fetched
    folder: str = ""  # "sentitems"/"inbox" on Graph, "" on Gmail
    web_link: str | None = None  # link to open the message/thread in the provider's web app

    @property
    def has_body(self) -> bool:
        return self.body_text is not None or self.body_html is not None

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc


@dataclass(frozen=True, slots=True)
class SyncPage:
    """A page of changes and the cursors that follow it (store both in one transaction)."""

    messages: tuple[MailMessage, ...]
    cursors: Mapping[str, str]  # folder → opaque cursor valid once this page is stored
    removed: tuple[str, ...] = ()  # provider ids deleted or moved out of view
    done: bool = False  # True on the last page of this sync round


@dataclass(frozen=True, slots=True)
class SyncContext:
    """What a connector may ask of the caller during a sync, without knowing about storage.

    ``known_messages`` answers which of the given provider ids are stored already (so they are not
    fetched again); ``known_threads`` which thread keys are tracked (their new replies matter);
    ``is_candidate`` whether a sent message, seen with headers and snippet only, may be an ask
    (its thread is then fetched in full); ``rules_out`` (optional) whether the snippet of a sent
    message, all a connector may know before fetching it, shows it is certainly no ask (it is
    then not fetched at all).
    """

    since: datetime
    known_messages: Callable[[Sequence[str]], set[str]]
    known_threads: Callable[[Sequence[str]], set[str]]
    is_candidate: Callable[[MailMessage], bool]
    rules_out: Callable[[str], bool] | None = None


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message we send (the digest); ``message_id`` lets us find out later whether it went."""

    sender: Address
    to: tuple[Address, ...]
    subject: str
    text: str
    html: str | None
    message_id: str  # no brackets; set as the Message-ID / tracked header
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DraftMessage:
    """A reply saved as a draft in the mailbox owner's own mail (opt-in; needs an extra scope).

    ``in_reply_to`` (RFC 822 id, no brackets) and ``references`` thread it on providers that read
    headers (Gmail, with ``thread_key``); ``reply_to_id`` is the provider id of the message
    answered, for providers that create replies from a message (Graph's createReply).
    """

    thread_key: str  # Gmail threadId / Graph conversationId
    to: tuple[Address, ...]
    subject: str
    text: str  # plain-text body
    in_reply_to: str | None = None
    reply_to_id: str | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    address: str
    display_name: str = ""
    time_zone: str | None = None  # IANA name when the provider tells it


class Connector(Protocol):
    """What sync needs from a provider. Implementations map SDK errors into ``connectors.errors``."""

    provider: str

    def get_profile(self) -> Profile:
        """The mailbox owner's address (and name/time zone when known)."""
        ...

    def sync(self, cursors: Mapping[str, str], *, context: SyncContext) -> Iterator[SyncPage]:
        """Changes since ``cursors`` (empty → initial sync), page by page; the last page has ``done``."""
        ...

    def send(self, message: OutgoingMessage) -> str:
        """Send and return the provider id of the sent message (or "" when the API does not say)."""
        ...

    def find_sent(self, message_id: str) -> bool:
        """Whether a message with this RFC 822 id is in the sent mail (settles unknown send outcomes)."""
        ...

    def create_draft(self, draft: DraftMessage) -> str:
        """Save ``draft`` as a reply draft in its thread; return the provider's draft id.

        Needs the drafts scope (Gmail ``gmail.compose``, Graph ``Mail.ReadWrite``); without it
        this raises a ``ConnectorError`` that says which ``reftrack auth … --drafts`` to run.
        Not idempotent: a call whose answer is lost may leave a draft behind.
        """
        ...
