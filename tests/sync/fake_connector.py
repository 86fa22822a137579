"""An in-memory Connector over a ``Mailbox`` for orchestration tests (the real ones have emulators).

Pages of ``page_size`` messages in date order; the cursor is the index of the next message, so a
run killed between pages resumes exactly there. ``fail_at`` raises a chosen error before a page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from connectors.base import Address, MailMessage, OutgoingMessage, Profile, SyncContext, SyncPage
from connectors.emulators.mailbox import FixtureMessage, Mailbox


def to_mail_message(m: FixtureMessage, *, provider: str = "gmail") -> MailMessage:
    return MailMessage(
        provider=provider,
        provider_id=m.id,
        thread_key=m.thread,
        message_id=m.message_id,
        in_reply_to=m.in_reply_to,
        references=tuple(m.references),
        sender=Address(m.sender.email, m.sender.name),
        to=tuple(Address(p.email, p.name) for p in m.to),
        cc=tuple(Address(p.email, p.name) for p in m.cc),
        subject=m.subject,
        sent_at=m.date,
        direction="sent" if m.direction == "sent" else "received",
        headers={k.lower(): v for k, v in m.headers.items()},
        body_text=m.text,
        body_html=m.html,
        snippet=(m.text or "")[:200],
    )


@dataclass
class FakeConnector:
    mailbox: Mailbox
    page_size: int = 10
    fail_at: int | None = None  # page index before which `error` is raised
    error: Exception | None = None
    sent: list[OutgoingMessage] = field(default_factory=list)
    provider: str = "gmail"

    def get_profile(self) -> Profile:
        return Profile(address=self.mailbox.owner.email, display_name=self.mailbox.owner.name)

    def sync(self, cursors: Mapping[str, str], *, context: SyncContext) -> Iterator[SyncPage]:
        messages = sorted(self.mailbox.messages, key=lambda m: (m.date, m.id))
        start = int(cursors.get("all", "0"))
        page_no = 0
        while True:
            if self.fail_at is not None and page_no == self.fail_at and self.error is not None:
                raise self.error
            chunk = messages[start : start + self.page_size]
            end = start + len(chunk)
            yield SyncPage(
                messages=tuple(to_mail_message(m) for m in chunk),
                cursors={"all": str(end)},
                done=end >= len(messages),
            )
            page_no += 1
            start = end
            if end >= len(messages):
                return

    def send(self, message: OutgoingMessage) -> str:
        self.sent.append(message)
        return f"sent-{len(self.sent)}"

    def find_sent(self, message_id: str) -> bool:
        return any(m.message_id == message_id for m in self.sent)
