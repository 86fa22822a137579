"""Test factories for the Gmail connector tests: a small hand-made mailbox, a fake clock, an
in-test store that commits a page's messages and its cursor together (as the orchestrator does),
and a connector wired to an emulator with injected sleep/clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from google.oauth2.credentials import Credentials

from connectors.base import MailMessage, SyncContext
from connectors.emulators.gmail import GmailEmulator
from connectors.emulators.mailbox import FixtureMessage, Mailbox, Person, Truth
from connectors.gmail import GmailConnector, RetryPolicy, open_service

OWNER = Person("me@example.com", "Me Myself")
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NOW = START + timedelta(days=30)
TERMS = ("referral", "refer", '"put in a good word"', "introduce", "introduction")


def msg(
    n: int,
    thread: str,
    *,
    direction: str,
    subject: str,
    text: str | None,
    html: str | None = None,
    day: float = 0,
    reply_to: FixtureMessage | None = None,
    is_ask: bool | None = None,
    headers: dict[str, str] | None = None,
    other: Person = Person("ann@corp.example", "Ann Lee"),
) -> FixtureMessage:
    sender, to = (OWNER, (other,)) if direction == "sent" else (other, (OWNER,))
    return FixtureMessage(
        id=f"m{n:05d}",
        thread=thread,
        message_id=f"id{n}@mail.example",
        sender=sender,
        to=to,
        subject=subject,
        date=START + timedelta(days=day),
        direction=direction,
        text=text,
        html=html,
        in_reply_to=reply_to.message_id if reply_to else None,
        references=(reply_to.message_id,) if reply_to else (),
        headers=headers or {},
        truth=Truth(is_ask=is_ask),
    )


def small_mailbox() -> Mailbox:
    """Two asks (one answered), ordinary sent mail, received noise and a bounce."""
    ask = msg(
        1,
        "t1",
        direction="sent",
        subject="Quick favor: referral at Acme?",
        text="Hi Ann, could you refer me for the data role at Acme? Thanks!",
        day=1,
        is_ask=True,
    )
    reply = msg(
        2,
        "t1",
        direction="received",
        subject="Re: Quick favor: referral at Acme?",
        text="Happy to, I submitted the referral today.",
        html="<p>Happy to, I submitted the <b>referral</b> today.</p>",
        day=2,
        reply_to=ask,
    )
    ask2 = msg(
        3,
        "t2",
        direction="sent",
        subject="Would you introduce me to Bo?",
        text=None,
        html="<p>Would you introduce me to Bo at Globex? It&#39;d help a lot.</p>",
        day=3,
        is_ask=True,
        other=Person("cy@globex.example", "Cy"),
    )
    bounce = msg(
        4,
        "t2",
        direction="received",
        subject="Undeliverable: Would you introduce me to Bo?",
        text="Your message could not be delivered.",
        day=3.1,
        reply_to=ask2,
        headers={"Content-Type": "multipart/report", "X-Failed-Recipients": "cy@globex.example"},
        other=Person("mailer-daemon@globex.example"),
    )
    ordinary = [
        msg(
            10 + i,
            f"o{i}",
            direction="sent",
            subject=f"Lunch on day {i}",
            text="See you at noon by the referrals desk? no wait, the cafe.",
            day=4 + i,
        )
        for i in range(3)
    ]
    plain = [
        msg(20 + i, f"p{i}", direction="sent", subject="Invoice", text="Attached.", day=5 + i)
        for i in range(3)
    ]
    noise = [
        msg(
            30 + i,
            f"n{i}",
            direction="received",
            subject="Newsletter",
            text="Refer a friend and save",
            day=6 + i,
            other=Person("news@shop.example"),
        )
        for i in range(3)
    ]
    return Mailbox(owner=OWNER, messages=[ask, reply, ask2, bounce, *ordinary, *plain, *noise])


class FakeClock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def is_candidate(m: MailMessage) -> bool:
    text = f"{m.subject} {m.snippet}".lower()
    return m.direction == "sent" and any(w in text for w in ("refer", "introduce"))


@dataclass
class FakeStore:
    """The orchestrator in miniature: a page's messages and its cursor are committed together."""

    messages: dict[str, MailMessage] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)
    writes: int = 0
    removed: set[str] = field(default_factory=set)

    def context(self, *, since: datetime = START - timedelta(days=5)) -> SyncContext:
        return SyncContext(
            since=since,
            known_messages=lambda ids: {i for i in ids if i in self.messages},
            known_threads=lambda keys: set(keys) & self.tracked(),
            is_candidate=is_candidate,
        )

    def tracked(self) -> set[str]:
        return {
            m.thread_key for m in self.messages.values() if m.direction == "sent" and m.has_body
        }

    def commit(
        self,
        messages: Iterable[MailMessage],
        cursors: Mapping[str, str],
        removed: Iterable[str] = (),
    ) -> None:
        for m in messages:
            self.writes += 1
            self.messages[m.provider_id] = m
        for r in removed:
            self.messages.pop(r, None)
            self.removed.add(r)
        self.cursors = dict(cursors)

    def sync(self, connector: GmailConnector, *, stop_after: int | None = None) -> int:
        """Run one sync round; ``stop_after`` pages simulates a kill. Returns pages stored."""
        pages = 0
        for page in connector.sync(self.cursors, context=self.context()):
            self.commit(page.messages, page.cursors, page.removed)
            pages += 1
            if stop_after is not None and pages >= stop_after:
                break
        return pages

    def by_message_id(self) -> dict[str | None, MailMessage]:
        return {m.message_id: m for m in self.messages.values()}


def credentials(
    emu: GmailEmulator, *, token: str = "emulator-access-token", expiry: datetime | None = None
) -> Credentials:
    return Credentials(
        token=token,
        refresh_token=emu.refresh_token,
        token_uri=emu.token_uri,
        client_id="client-id",
        client_secret="client-secret",
        scopes=["https://www.googleapis.com/auth/gmail.readonly"],
        expiry=expiry,
    )


def connector(
    emu: GmailEmulator,
    clock: FakeClock,
    *,
    terms: tuple[str, ...] | None = TERMS,
    creds: Credentials | None = None,
    on_credentials: Callable[[Credentials], None] | None = None,
    **kwargs: Any,
) -> GmailConnector:
    creds = creds or credentials(emu)
    return GmailConnector(
        open_service(creds, api_endpoint=emu.endpoint, timeout=10),
        api_endpoint=emu.endpoint,
        prefilter_terms=terms,
        credentials=creds,
        on_credentials=on_credentials,
        sleep=clock.sleep,
        clock=clock,
        now=lambda: NOW,
        retry=kwargs.pop("retry", RetryPolicy(attempts=8)),
        **kwargs,
    )
