"""Shared test-data factories for Account / Thread / Message / Ask rows (one place, per the design).

Each ``add_*`` adds a row to the session, flushes (so it has an id) and returns it; defaults make
a plausible referral ask so a test only states what matters to it. ``sqlite_session`` gives a
throw-away in-memory database with the current models (no migrations) for fast unit tests; tests
that need the migrated schema use the ``store`` fixtures of ``tests/conftest.py`` instead.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from core.models import Account, Ask, Contact, Message, Thread

ME = "me@example.com"
_ids = itertools.count(1)


def at(text: str) -> datetime:
    """``"2026-03-02T15:00"`` → aware UTC datetime."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@contextmanager
def sqlite_session() -> Iterator[Session]:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def add_account(
    session: Session,
    *,
    address: str = ME,
    provider: str = "gmail",
    display_name: str = "Alex Doe",
    time_zone: str = "UTC",
    settings: dict[str, Any] | None = None,
) -> Account:
    account = Account(
        provider=provider,
        address=address,
        display_name=display_name,
        time_zone=time_zone,
        settings_json=json.dumps(settings or {}),
    )
    session.add(account)
    session.flush()
    return account


def add_contact(session: Session, account: Account, address: str, name: str = "") -> Contact:
    contact = Contact(account_id=account.id or 0, address=address, name=name)
    session.add(contact)
    session.flush()
    return contact


def add_thread(
    session: Session,
    account: Account,
    *,
    key: str | None = None,
    subject: str = "Referral for the Staff Engineer role at Acme?",
    web_link: str | None = None,
    ignored: bool = False,
) -> Thread:
    thread = Thread(
        account_id=account.id or 0,
        thread_key=key or f"thr{next(_ids):05d}",
        subject=subject,
        web_link=web_link,
        ignored=ignored,
    )
    session.add(thread)
    session.flush()
    return thread


def add_message(
    session: Session,
    account: Account,
    thread: Thread,
    *,
    direction: str,
    sent_at: datetime,
    sender: str | None = None,
    sender_name: str = "",
    to: Sequence[str] = (),
    text: str = "",
    is_ask: bool | None = None,
    kind: str | None = None,
    outcome: str | None = None,
    return_date: date | None = None,
    bounced_address: str | None = None,
    company: str | None = None,
    role: str | None = None,
    reason: str = "",
    provider_id: str | None = None,
) -> Message:
    n = next(_ids)
    message = Message(
        account_id=account.id or 0,
        thread_id=thread.id or 0,
        provider_id=provider_id or f"prov{n:06d}",
        message_id=f"m{n}@mail.example",
        sender=sender or (account.address if direction == "sent" else "dana@corp.example"),
        sender_name=sender_name,
        to_addrs=", ".join(to),
        subject=thread.subject,
        sent_at=sent_at,
        direction=direction,
        snippet=text[:100],
        visible_text=text,
        has_body=True,
        is_ask=is_ask,
        kind=kind,
        outcome=outcome,
        return_date=return_date,
        bounced_address=bounced_address,
        target_company=company,
        target_role=role,
        reason=reason,
    )
    session.add(message)
    session.flush()
    return message


def add_ask_thread(
    session: Session,
    account: Account,
    *,
    asked_at: datetime,
    contact: str = "dana@corp.example",
    contact_name: str = "Dana Smith",
    kind: str = "job_referral",
    company: str | None = "Acme",
    role: str | None = "Staff Engineer",
    subject: str = "Referral for the Staff Engineer role at Acme?",
    text: str = "Hi Dana, would you be open to referring me for the Staff Engineer role at Acme?",
    **thread_kw: Any,
) -> tuple[Thread, Message]:
    """A thread whose first message is a sent ask the classifier recognised (contact row included)."""
    from sqlmodel import select

    if (
        session.exec(
            select(Contact).where(Contact.account_id == account.id, Contact.address == contact)
        ).first()
        is None
    ):
        add_contact(session, account, contact, contact_name)
    thread = add_thread(session, account, subject=subject, **thread_kw)
    message = add_message(
        session,
        account,
        thread,
        direction="sent",
        sent_at=asked_at,
        to=(contact,),
        text=text,
        is_ask=True,
        kind=kind,
        company=company,
        role=role,
        reason="asks for a referral",
    )
    return thread, message


def add_reply(
    session: Session,
    account: Account,
    thread: Thread,
    *,
    sent_at: datetime,
    outcome: str,
    text: str = "Happy to help!",
    sender: str = "dana@corp.example",
    sender_name: str = "Dana Smith",
    **kw: Any,
) -> Message:
    return add_message(
        session,
        account,
        thread,
        direction="received",
        sent_at=sent_at,
        sender=sender,
        sender_name=sender_name,
        to=(account.address,),
        text=text,
        outcome=outcome,
        reason=f"classified {outcome}",
        **kw,
    )


def add_ask(
    session: Session,
    account: Account,
    thread: Thread,
    *,
    asked_at: datetime,
    state: str = "awaiting_reply",
    kind: str = "job_referral",
    **fields: Any,
) -> Ask:
    """An Ask row written directly (for digest/CLI tests that do not go through the refresh)."""
    ask = Ask(
        account_id=account.id or 0,
        thread_id=thread.id or 0,
        kind=kind,
        state=state,
        asked_at=asked_at,
        **fields,
    )
    session.add(ask)
    session.flush()
    return ask
