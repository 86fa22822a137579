"""Scoped data access for add-in users: every lookup goes through ``AccountLink`` to the caller.

Invariants:
- A verified ``Identity`` maps to exactly one ``AddinUser`` (unique ``user_key``); it is created on
  first contact and never chosen by a request parameter.
- Every ask, thread or message an endpoint touches is looked up joined to the caller's
  ``AccountLink`` rows: an id of another user's ask and an id that does not exist are the same
  "not found" (the API answers 404 for both and never says which).
- ``ask_view`` is the one JSON-ready picture of an ask shared by the REST API, the task pane and
  the Gmail cards: state, next action and due date, and the suggested text from ``core.drafts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.drafts import DraftContext, suggest
from core.models import (
    Account,
    AccountLink,
    AddinUser,
    Ask,
    Contact,
    Message,
    Thread,
    utc,
)
from core.policy import OPEN_STATES, NextAction
from plugin.auth import Identity


def ensure_user(session: Session, identity: Identity) -> AddinUser:
    """The ``AddinUser`` for a verified identity, created on first contact (race-safe)."""
    query = select(AddinUser).where(AddinUser.user_key == identity.user_key)
    user = session.exec(query).first()
    if user is not None:
        if identity.email and user.email != identity.email:
            user.email = identity.email
            session.add(user)
            session.flush()
        return user
    user = AddinUser(
        user_key=identity.user_key,
        identity_provider=identity.identity_provider,
        email=identity.email,
    )
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:  # another request created it first
        found = session.exec(query).first()
        if found is None:
            raise
        return found
    return user


def link_account(session: Session, *, user_id: int, account_id: int) -> None:
    """Let the user see the account (idempotent)."""
    exists = session.exec(
        select(AccountLink).where(
            AccountLink.user_id == user_id, AccountLink.account_id == account_id
        )
    ).first()
    if exists is None:
        session.add(AccountLink(user_id=user_id, account_id=account_id))
        session.flush()


def linked_accounts(session: Session, user_id: int) -> Sequence[Account]:
    return session.exec(
        select(Account)
        .join(AccountLink, col(AccountLink.account_id) == col(Account.id))
        .where(AccountLink.user_id == user_id)
        .order_by(col(Account.id))
    ).all()


def _linked_ids(user_id: int) -> object:
    return select(AccountLink.account_id).where(AccountLink.user_id == user_id)


def get_ask(session: Session, *, user_id: int, ask_id: int) -> Ask | None:
    """The ask when it belongs to one of the user's linked accounts, else None."""
    return session.exec(
        select(Ask).where(Ask.id == ask_id, col(Ask.account_id).in_(_linked_ids(user_id)))  # type: ignore[arg-type]
    ).first()


def get_thread(session: Session, *, user_id: int, thread_id: int) -> Thread | None:
    """The thread when it belongs to one of the user's linked accounts, else None."""
    return session.exec(
        select(Thread).where(
            Thread.id == thread_id,
            col(Thread.account_id).in_(_linked_ids(user_id)),  # type: ignore[arg-type]
        )
    ).first()


def normalize_message_id(value: str) -> str:
    """An RFC 822 Message-ID without angle brackets or surrounding space."""
    return value.strip().removeprefix("<").removesuffix(">").strip()


def find_thread(
    session: Session,
    *,
    user_id: int,
    message_id: str | None = None,
    thread_key: str | None = None,
    provider_message_id: str | None = None,
) -> Thread | None:
    """The user's thread holding the message (RFC 822 Message-ID or the provider's message id),
    or with the provider's thread key (Gmail threadId / Outlook conversationId)."""
    linked = _linked_ids(user_id)
    if provider_message_id:
        thread = session.exec(
            select(Thread)
            .join(Message, col(Message.thread_id) == col(Thread.id))
            .where(
                Message.provider_id == provider_message_id,
                col(Message.account_id).in_(linked),  # type: ignore[arg-type]
            )
        ).first()
        if thread is not None:
            return thread
    if message_id:
        mid = normalize_message_id(message_id)
        thread = session.exec(
            select(Thread)
            .join(Message, col(Message.thread_id) == col(Thread.id))
            .where(Message.message_id == mid, col(Message.account_id).in_(linked))  # type: ignore[arg-type]
        ).first()
        if thread is not None:
            return thread
    if thread_key:
        return session.exec(
            select(Thread).where(
                Thread.thread_key == thread_key,
                col(Thread.account_id).in_(linked),  # type: ignore[arg-type]
            )
        ).first()
    return None


def ask_for_thread(session: Session, thread: Thread) -> Ask | None:
    return session.exec(select(Ask).where(Ask.thread_id == thread.id)).first()


def list_open_asks(session: Session, *, user_id: int, limit: int = 200) -> Sequence[Ask]:
    return session.exec(
        select(Ask)
        .where(
            col(Ask.account_id).in_(_linked_ids(user_id)),  # type: ignore[arg-type]
            col(Ask.state).in_(sorted(OPEN_STATES)),
        )
        .order_by(col(Ask.next_action_due).is_(None), col(Ask.next_action_due), col(Ask.id))
        .limit(limit)
    ).all()


class DraftView(BaseModel):
    action: str
    subject: str
    body: str


class AskView(BaseModel):
    """What the task pane and the cards show about one ask."""

    id: int
    account: str
    thread_key: str
    subject: str
    web_link: str | None
    kind: str
    state: str
    contacts: list[str]
    asked_at: datetime
    follow_up_count: int
    next_action: str | None
    next_action_due: datetime | None
    snoozed_until: datetime | None
    outcome: str | None
    thanked_at: datetime | None
    target_company: str | None
    target_role: str | None
    suggested: DraftView | None


def _draft(
    session: Session, ask: Ask, account: Account, subject: str, now: datetime
) -> DraftView | None:
    if not ask.next_action:
        return None
    try:
        action = NextAction(ask.next_action)
    except ValueError:
        return None
    contact = session.get(Contact, ask.contact_id) if ask.contact_id is not None else None
    address = (
        contact.address if contact else (ask.contacts.split(",")[0].strip() if ask.contacts else "")
    )
    draft = suggest(
        action,
        DraftContext(
            contact_name=contact.name if contact else "",
            contact_address=address,
            my_name=account.display_name or account.address,
            kind=ask.kind,
            subject=subject,
            asked_at=utc(ask.asked_at) or now,
            now=now,
            company=ask.target_company,
            role=ask.target_role,
            nudge_number=ask.follow_up_count + 1,
            outcome=ask.outcome,
        ),
    )
    if draft is None:
        return None
    return DraftView(action=draft.action.value, subject=draft.subject, body=draft.body)


def ask_view(session: Session, ask: Ask, *, now: datetime) -> AskView:
    thread = session.get(Thread, ask.thread_id)
    account = session.get(Account, ask.account_id)
    if thread is None or account is None or ask.id is None:  # foreign keys make this impossible
        raise LookupError(f"ask {ask.id} has no thread or account")
    return AskView(
        id=ask.id,
        account=account.address,
        thread_key=thread.thread_key,
        subject=thread.subject,
        web_link=thread.web_link,
        kind=ask.kind,
        state=ask.state,
        contacts=[c.strip() for c in ask.contacts.split(",") if c.strip()],
        asked_at=utc(ask.asked_at) or now,
        follow_up_count=ask.follow_up_count,
        next_action=ask.next_action,
        next_action_due=utc(ask.next_action_due),
        snoozed_until=utc(ask.snoozed_until),
        outcome=ask.outcome,
        thanked_at=utc(ask.thanked_at),
        target_company=ask.target_company,
        target_role=ask.target_role,
        suggested=_draft(session, ask, account, thread.subject, now),
    )
