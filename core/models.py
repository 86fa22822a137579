"""The domain tables (sqlmodel). Schema changes go through Alembic (``sync/migrations``).

No ``from __future__ import annotations`` here: it breaks SQLModel's field introspection.

Invariants:
- Every datetime column holds UTC (naive values read back from SQLite are UTC by convention;
  ``utc()`` makes them aware again).
- Unique constraints make re-syncing a no-op: one Message per (account, provider_id), one Thread
  per (account, thread_key), one Contact per (account, address), one Ask per thread, one SyncState
  per (account, folder), one DigestLog per (account, day).
- ``Event`` rows are append-only: they explain every state change of an Ask.
- Full visible text (``Message.visible_text``) is kept only for messages of threads that are asks.

The Ask lifecycle (states in ``AskState``)::

    awaiting_reply ──reply──▶ agreed │ done │ declined │ needs_info │ replied
         │  ▲                    agreed ──▶ done
         │  └─ user follow-up resets the nudge clock
         └─ nudges reach the cap ──▶ gone_cold
    auto-reply: next nudge moves to the return date; bounce: address flagged, never a reply.
    A person's own action (mark, snooze, done, ignore) always beats the classifier.
"""

import json
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime | None) -> datetime | None:
    """Aware UTC datetime from a stored value (SQLite returns naive datetimes)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class Provider(StrEnum):
    GMAIL = "gmail"
    GRAPH = "graph"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    NEEDS_REAUTH = "needs_reauth"
    DISABLED = "disabled"


class Direction(StrEnum):
    SENT = "sent"
    RECEIVED = "received"


class AskKind(StrEnum):
    JOB_REFERRAL = "job_referral"
    INTRODUCTION = "introduction"
    RECOMMENDATION = "recommendation"
    CLIENT_REFERRAL = "client_referral"


class Outcome(StrEnum):
    """What a received message in an ask's thread means."""

    AGREED = "agreed"
    DONE = "done"
    DECLINED = "declined"
    NEEDS_INFO = "needs_info"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    OTHER = "other"


class AskState(StrEnum):
    AWAITING_REPLY = "awaiting_reply"
    AGREED = "agreed"
    DONE = "done"
    DECLINED = "declined"
    NEEDS_INFO = "needs_info"
    REPLIED = "replied"
    GONE_COLD = "gone_cold"
    CLOSED = "closed"  # the person marked it finished (`reftrack done`)
    NOT_AN_ASK = "not_an_ask"  # the person said the classifier was wrong


class Account(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("provider", "address", name="uq_account_provider_address"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(index=True)  # Provider
    address: str
    display_name: str = ""
    time_zone: str = "UTC"  # IANA name; business days are counted here
    status: str = Field(default=AccountStatus.ACTIVE.value)  # AccountStatus
    status_reason: str = ""
    settings_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    created_at: datetime = Field(default_factory=utcnow)
    last_sync_at: datetime | None = None
    last_digest_at: datetime | None = None

    @property
    def settings(self) -> dict[str, Any]:
        value = json.loads(self.settings_json or "{}")
        return value if isinstance(value, dict) else {}


class Credential(SQLModel, table=True):
    """Encrypted provider credentials (Google authorized-user JSON or an MSAL token cache)."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", unique=True)
    kind: str  # "google" | "msal"
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    version: int = 1  # bumped on every write; writers compare-and-swap on it
    key_source: str = ""  # "keyring" | "keyfile"
    updated_at: datetime = Field(default_factory=utcnow)


class Contact(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("account_id", "address", name="uq_contact_account_address"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    address: str
    name: str = ""
    first_interaction_at: datetime | None = None
    last_interaction_at: datetime | None = None
    sent_count: int = 0  # messages the user sent them
    received_count: int = 0  # messages they sent the user
    bounced_at: datetime | None = None  # a delivery failure named this address


class Thread(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("account_id", "thread_key", name="uq_thread_account_key"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    thread_key: str  # Gmail threadId / Graph conversationId
    subject: str = ""
    web_link: str | None = None
    last_message_at: datetime | None = None
    ignored: bool = False  # `reftrack ignore THREAD`: never an ask


class Message(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("account_id", "provider_id", name="uq_message_account_provider_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    thread_id: int = Field(foreign_key="thread.id", index=True)
    provider_id: str
    message_id: str | None = Field(default=None, index=True)  # RFC 822 Message-ID, no brackets
    in_reply_to: str | None = None
    references: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    sender: str = ""
    sender_name: str = ""
    to_addrs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    cc_addrs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    subject: str = ""
    sent_at: datetime
    direction: str  # Direction
    folder: str = ""
    headers_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    snippet: str = ""
    visible_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    has_body: bool = False  # the body was fetched and classified
    # classification (sent: is_ask/kind; received: outcome)
    is_ask: bool | None = None
    kind: str | None = None  # AskKind
    outcome: str | None = None  # Outcome
    confidence: float | None = None
    reason: str = ""
    return_date: date | None = None  # auto-reply: when they are back
    bounced_address: str | None = None  # bounce: the address that failed
    target_company: str | None = None
    target_role: str | None = None
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def headers(self) -> dict[str, str]:
        value = json.loads(self.headers_json or "{}")
        return value if isinstance(value, dict) else {}


class Ask(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    thread_id: int = Field(foreign_key="thread.id", unique=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")  # the asking message
    contact_id: int | None = Field(default=None, foreign_key="contact.id")  # main recipient
    contacts: str = ""  # all recipients of the ask, comma-separated addresses
    kind: str  # AskKind
    target_company: str | None = None
    target_role: str | None = None
    state: str = Field(default=AskState.AWAITING_REPLY.value, index=True)  # AskState
    asked_at: datetime
    last_user_message_at: datetime | None = None  # resets the nudge clock
    follow_up_count: int = 0
    next_action: str | None = None  # "follow_up" | "thank_you" | "check_in" | "reply" | ...
    next_action_due: datetime | None = Field(default=None, index=True)
    outcome: str | None = None  # Outcome that closed the wait
    outcome_at: datetime | None = None
    thanked_at: datetime | None = None
    snoozed_until: datetime | None = None
    ooo_until: date | None = None  # latest out-of-office return date
    bounced_addresses: str = ""  # comma-separated addresses that bounced
    manual_outcome: str | None = None  # set by the person; beats the classifier
    confidence: float | None = None
    reason: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    """Append-only history: every state change of an ask, with who caused it and why."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    ask_id: int | None = Field(default=None, foreign_key="ask.id", index=True)
    thread_id: int | None = Field(default=None, foreign_key="thread.id")
    message_id: int | None = Field(default=None, foreign_key="message.id")
    at: datetime = Field(default_factory=utcnow)
    kind: str  # "ask_created" | "state_changed" | "manual" | "bounce" | "auto_reply" | ...
    from_state: str | None = None
    to_state: str | None = None
    actor: str = "classifier"  # "classifier" | "user" | "policy" | "sync"
    reason: str = ""


class SyncState(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("account_id", "folder", name="uq_syncstate_account_folder"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    folder: str  # Gmail: "history"; Graph: "sentitems" / "inbox"
    cursor: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow)


class DigestLog(SQLModel, table=True):
    """One row per account and local day: makes sending the digest at-most-once."""

    __table_args__ = (UniqueConstraint("account_id", "day", name="uq_digestlog_account_day"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    day: date
    status: str = "sending"  # "sending" | "sent" | "unknown" | "empty"
    message_id: str = ""  # RFC 822 id of the digest, to settle an unknown outcome
    provider_id: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class AddinUser(SQLModel, table=True):
    """A person using the Outlook add-in or Gmail add-on (key: Entra tid+oid or Google sub)."""

    id: int | None = Field(default=None, primary_key=True)
    user_key: str = Field(unique=True)
    identity_provider: str  # "entra" | "google"
    email: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class AccountLink(SQLModel, table=True):
    """Which accounts an add-in user may see and change."""

    __table_args__ = (
        UniqueConstraint("user_id", "account_id", name="uq_accountlink_user_account"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="addinuser.id", index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
