"""The mailbox both emulators serve: fixture format, JSON load/save, and ground truth.

A ``Mailbox`` is a list of ``FixtureMessage`` in time order plus its owner. It is provider-neutral:
the Gmail emulator renders it as Gmail resources (ids, threadId, labels, payload parts, history)
and the Graph emulator as Graph messages (immutable ids, conversationId, folders, delta).

Each message carries ground truth (``truth``) so benchmarks can measure recall of asks and the
demo can be checked. Ground truth is never served over HTTP.

JSON fixture format (``Mailbox.to_json``)::

    {"owner": {"address": "...", "name": "...", "time_zone": "America/New_York"},
     "messages": [{"id": "m00001", "thread": "t00001", "message_id": "abc@mail.example",
                   "in_reply_to": null, "references": [], "from": {"email": "...", "name": "..."},
                   "to": [{"email": "...", "name": "..."}], "cc": [], "subject": "...",
                   "date": "2026-09-01T14:03:00+00:00", "direction": "sent",
                   "headers": {"Auto-Submitted": "auto-replied"}, "text": "...", "html": null,
                   "truth": {"is_ask": true, "kind": "job_referral", "outcome": null}}]}
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Truth:
    is_ask: bool | None = None  # sent messages: is this a referral ask?
    kind: str | None = None  # ask kind when is_ask
    outcome: str | None = None  # received messages in an ask thread: what the reply means
    company: str | None = None  # target company when the ask names one


@dataclass(frozen=True, slots=True)
class FixtureMessage:
    id: str  # stable, provider-neutral id; emulators derive their own ids from it
    thread: str  # conversation key shared by a thread's messages
    message_id: str  # RFC 822 Message-ID without brackets
    sender: Person
    to: tuple[Person, ...]
    subject: str
    date: datetime  # aware UTC
    direction: str  # "sent" | "received"
    text: str | None = None
    html: str | None = None
    cc: tuple[Person, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # extra headers (Auto-Submitted, ...)
    truth: Truth = field(default_factory=Truth)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "thread": self.thread,
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "from": asdict(self.sender),
            "to": [asdict(p) for p in self.to],
            "cc": [asdict(p) for p in self.cc],
            "subject": self.subject,
            "date": self.date.isoformat(),
            "direction": self.direction,
            "headers": dict(self.headers),
            "text": self.text,
            "html": self.html,
            "truth": asdict(self.truth),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FixtureMessage:
        return cls(
            id=data["id"],
            thread=data["thread"],
            message_id=data["message_id"],
            in_reply_to=data.get("in_reply_to"),
            references=tuple(data.get("references") or ()),
            sender=Person(**data["from"]),
            to=tuple(Person(**p) for p in data.get("to") or ()),
            cc=tuple(Person(**p) for p in data.get("cc") or ()),
            subject=data.get("subject", ""),
            date=datetime.fromisoformat(data["date"]),
            direction=data["direction"],
            headers=dict(data.get("headers") or {}),
            text=data.get("text"),
            html=data.get("html"),
            truth=Truth(**(data.get("truth") or {})),
        )


@dataclass(slots=True)
class Mailbox:
    owner: Person
    time_zone: str = "UTC"
    messages: list[FixtureMessage] = field(default_factory=list)

    def __iter__(self) -> Iterator[FixtureMessage]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def add(self, message: FixtureMessage) -> None:
        """Append a message (new mail arriving, or one the user sent through the API)."""
        self.messages.append(message)

    def extend(self, messages: Iterable[FixtureMessage]) -> None:
        self.messages.extend(messages)

    @property
    def sent(self) -> list[FixtureMessage]:
        return [m for m in self.messages if m.direction == "sent"]

    def ask_threads(self) -> set[str]:
        """Ground truth: the threads whose sent message is a referral ask."""
        return {m.thread for m in self.messages if m.direction == "sent" and m.truth.is_ask}

    def to_json(self) -> dict[str, Any]:
        return {
            "owner": {
                "address": self.owner.email,
                "name": self.owner.name,
                "time_zone": self.time_zone,
            },
            "messages": [m.to_dict() for m in self.messages],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mailbox:
        owner = data["owner"]
        return cls(
            owner=Person(email=owner["address"], name=owner.get("name", "")),
            time_zone=owner.get("time_zone", "UTC"),
            messages=[FixtureMessage.from_dict(m) for m in data.get("messages", [])],
        )

    def save(self, path: Path) -> None:
        text = json.dumps(self.to_json(), indent=1, ensure_ascii=False)
        if path.suffix == ".gz":
            path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        else:
            path.write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Mailbox:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        return cls.from_json(json.loads(raw.decode("utf-8")))
