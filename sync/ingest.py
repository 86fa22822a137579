"""Store one ``SyncPage``: threads, messages (classified), contacts and the cursors, together.

The caller wraps ``store_page`` and the ask refresh in ONE transaction, so a page and the cursor
that follows it are saved together or not at all (kill -9 between pages loses nothing).

Invariants:
- Idempotent: a message already stored (same account + provider id) is skipped, unless the stored
  copy was metadata-only and this one carries the body, which then fills it in (re-classified).
- Every stored message is classified here (``core.classify``): sent messages with a body get
  is_ask/kind, received ones get their outcome (bounce/auto-reply use headers too).
- Full visible text is kept only for messages of threads that are asks; the rest keep headers,
  snippet and classification ("store the minimum"). Within a run every fetched body's text is kept
  (an ask can arrive in a later page than the message it answers); ``prune_visible_text`` drops
  the text of non-ask threads when the run ends, so the result does not depend on page boundaries.
- Contact counters count each message once (only on first insert).
- A reply joins the thread of the message it answers (In-Reply-To, then References) before the
  provider's thread key (Graph conversationIds change when a subject is edited).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, update
from sqlmodel import Session, col, select

from connectors.base import MailMessage, SyncPage
from core.classify import classify_reply, classify_sent
from core.models import Account, Ask, Contact, Message, SyncState, Thread, utcnow
from core.text import visible_text

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PageResult:
    new_messages: int = 0
    filled_bodies: int = 0
    removed: int = 0
    thread_ids: set[int] = field(default_factory=set)


def load_cursors(session: Session, *, account_id: int) -> dict[str, str]:
    rows = session.exec(select(SyncState).where(SyncState.account_id == account_id)).all()
    return {r.folder: r.cursor for r in rows if r.cursor}


def save_cursors(
    session: Session, *, account_id: int, cursors: dict[str, str] | Iterable[tuple[str, str]]
) -> None:
    items = cursors.items() if isinstance(cursors, dict) else cursors
    for folder, cursor in items:
        row = session.exec(
            select(SyncState).where(SyncState.account_id == account_id, SyncState.folder == folder)
        ).first()
        if row is None:
            session.add(SyncState(account_id=account_id, folder=folder, cursor=cursor))
        elif row.cursor != cursor:
            row.cursor = cursor
            row.updated_at = utcnow()
            session.add(row)


def reset_cursor(session: Session, *, account_id: int, folder: str) -> None:
    row = session.exec(
        select(SyncState).where(SyncState.account_id == account_id, SyncState.folder == folder)
    ).first()
    if row is not None:
        session.delete(row)


def known_provider_ids(session: Session, *, account_id: int, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are stored with their body (metadata-only copies count as unknown)."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        found.update(
            session.exec(
                select(Message.provider_id).where(
                    Message.account_id == account_id,
                    col(Message.provider_id).in_(chunk),
                )
            ).all()
        )
    return found


def tracked_thread_keys(session: Session, *, account_id: int, keys: Sequence[str]) -> set[str]:
    """Thread keys whose new messages matter: threads with an ask or with a sent message the
    classifier took for one, unless the person said the thread is not an ask (ignored)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        has_ask = exists().where(col(Ask.thread_id) == col(Thread.id))
        has_candidate = exists().where(
            col(Message.thread_id) == col(Thread.id),
            col(Message.direction) == "sent",
            col(Message.is_ask).is_(True),
        )
        found.update(
            session.exec(
                select(Thread.thread_key).where(
                    Thread.account_id == account_id,
                    col(Thread.thread_key).in_(chunk),
                    col(Thread.ignored).is_(False),
                    has_ask | has_candidate,
                )
            ).all()
        )
    return found


def _addresses(addrs: Iterable[object]) -> str:
    return ", ".join(getattr(a, "email", "") for a in addrs)


def _threads_by_message_id(session: Session, *, account_id: int, page: SyncPage) -> dict[str, int]:
    """Stored thread ids of the messages this page's messages answer (In-Reply-To/References)."""
    wanted = sorted({i for m in page.messages for i in (m.in_reply_to, *m.references) if i})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        rows = session.exec(
            select(Message.message_id, Message.thread_id).where(
                Message.account_id == account_id,
                col(Message.message_id).in_(wanted[start : start + 500]),
            )
        ).all()
        found.update({mid: tid for mid, tid in rows if mid})
    return found


def _upsert_thread(
    session: Session,
    account: Account,
    msg: MailMessage,
    cache: dict[str, Thread],
    *,
    answered: dict[str, int],
) -> Thread:
    """The message's thread: the one holding the message it answers (In-Reply-To, then the
    References from the newest), else the provider's thread/conversation key."""
    thread: Thread | None = None
    for ref in (msg.in_reply_to, *reversed(msg.references)):
        if ref and ref in answered:
            thread = session.get(Thread, answered[ref])
            if thread is not None:
                break
    if thread is None:
        thread = cache.get(msg.thread_key)
    if thread is None:
        thread = session.exec(
            select(Thread).where(
                Thread.account_id == account.id, Thread.thread_key == msg.thread_key
            )
        ).first()
    if thread is None:
        thread = Thread(account_id=account.id or 0, thread_key=msg.thread_key, subject=msg.subject)
        session.add(thread)
        session.flush()
    if not thread.subject and msg.subject:
        thread.subject = msg.subject
    if msg.web_link and not thread.web_link:
        thread.web_link = msg.web_link
    if thread.last_message_at is None or msg.sent_at > thread.last_message_at:
        thread.last_message_at = msg.sent_at
    cache.setdefault(msg.thread_key, thread)
    if msg.message_id and thread.id is not None:
        answered[msg.message_id] = thread.id
    return thread


def _own_mail(msg: MailMessage, owner: str) -> str:
    """Why a message is the user's own bookkeeping, never an ask or a reply ("" when it is not)."""
    if "x-reftrack-digest" in msg.headers:
        return "reftrack's own digest"
    if msg.direction == "sent" and msg.recipients and all(a.email == owner for a in msg.recipients):
        return "a note to yourself"
    return ""


def _classify_into(row: Message, msg: MailMessage, visible: str, *, owner: str) -> None:
    own = _own_mail(msg, owner)
    if own:
        row.is_ask = False if msg.direction == "sent" else None
        row.outcome = None if msg.direction == "sent" else "other"
        row.confidence, row.reason = 1.0, own
        return
    if not msg.has_body:
        return
    headers = dict(msg.headers)
    if msg.direction == "sent":
        ask = classify_sent(subject=msg.subject, body=visible, headers=headers)
        row.is_ask = ask.is_ask
        row.kind = ask.kind
        row.target_company = ask.company
        row.target_role = ask.role
        row.confidence = ask.confidence
        row.reason = ask.reason
    else:
        body = visible or msg.body_text or msg.body_html or msg.snippet
        reply = classify_reply(
            subject=msg.subject, body=body, headers=headers, today=msg.sent_at.date()
        )
        row.outcome = reply.outcome
        row.confidence = reply.confidence
        row.reason = reply.reason
        row.return_date = reply.return_date
        row.bounced_address = reply.bounced_address


def _touch_contact(
    session: Session,
    account: Account,
    address: str,
    name: str,
    at: datetime,
    *,
    sent: bool,
    cache: dict[str, Contact],
) -> Contact | None:
    if not address or address == account.address:
        return None
    contact = cache.get(address)
    if contact is None:
        contact = session.exec(
            select(Contact).where(Contact.account_id == account.id, Contact.address == address)
        ).first()
    if contact is None:
        contact = Contact(account_id=account.id or 0, address=address, name=name)
        session.add(contact)
    if name and not contact.name:
        contact.name = name
    if contact.first_interaction_at is None or at < contact.first_interaction_at:
        contact.first_interaction_at = at
    if contact.last_interaction_at is None or at > contact.last_interaction_at:
        contact.last_interaction_at = at
    if sent:
        contact.sent_count += 1
    else:
        contact.received_count += 1
    cache[address] = contact
    return contact


def store_page(session: Session, *, account: Account, page: SyncPage) -> PageResult:
    """Upsert the page's messages (classified) and its cursors; returns what changed."""
    result = PageResult()
    assert account.id is not None
    ids = [m.provider_id for m in page.messages]
    existing = {
        row.provider_id: row
        for start in range(0, len(ids), 500)
        for row in session.exec(
            select(Message).where(
                Message.account_id == account.id,
                col(Message.provider_id).in_(ids[start : start + 500]),
            )
        ).all()
    }
    threads: dict[str, Thread] = {}
    answered = _threads_by_message_id(session, account_id=account.id, page=page)
    contacts: dict[str, Contact] = {}
    pending: list[tuple[Message, MailMessage, str, Thread]] = []
    seen: set[str] = set()
    for msg in sorted(page.messages, key=lambda m: m.sent_at):
        if msg.provider_id in seen:
            continue  # a replayed duplicate inside the page
        seen.add(msg.provider_id)
        row = existing.get(msg.provider_id)
        if row is not None and (row.has_body or not msg.has_body):
            continue
        thread = _upsert_thread(session, account, msg, threads, answered=answered)
        visible = visible_text(text=msg.body_text, html=msg.body_html) if msg.has_body else ""
        if row is None:
            row = Message(
                account_id=account.id,
                thread_id=thread.id or 0,
                provider_id=msg.provider_id,
                message_id=msg.message_id,
                in_reply_to=msg.in_reply_to,
                references=" ".join(msg.references),
                sender=msg.sender.email,
                sender_name=msg.sender.name,
                to_addrs=_addresses(msg.to),
                cc_addrs=_addresses(msg.cc),
                subject=msg.subject,
                sent_at=msg.sent_at,
                direction=msg.direction,
                folder=msg.folder,
                headers_json=json.dumps(dict(msg.headers), sort_keys=True),
                snippet=msg.snippet[:300],
            )
            result.new_messages += 1
            if msg.direction == "sent" and not account.display_name and msg.sender.name:
                account.display_name = (
                    msg.sender.name
                )  # Gmail's profile has no name; the From header does
                session.add(account)
            if msg.direction == "sent":
                for addr in msg.recipients:
                    _touch_contact(
                        session,
                        account,
                        addr.email,
                        addr.name,
                        msg.sent_at,
                        sent=True,
                        cache=contacts,
                    )
            else:
                _touch_contact(
                    session,
                    account,
                    msg.sender.email,
                    msg.sender.name,
                    msg.sent_at,
                    sent=False,
                    cache=contacts,
                )
        else:
            result.filled_bodies += 1
        row.has_body = msg.has_body
        _classify_into(row, msg, visible, owner=account.address)
        if row.bounced_address:
            bounced = _touch_contact(
                session, account, row.bounced_address, "", msg.sent_at, sent=False, cache=contacts
            )
            if bounced is not None:
                bounced.received_count -= 1  # the bounce is not a message from them
                bounced.bounced_at = msg.sent_at
        session.add(row)
        pending.append((row, msg, visible, thread))
        result.thread_ids.add(thread.id or 0)
    for row, _msg, visible, _thread in pending:
        if visible:
            row.visible_text = visible  # pruned after the run unless the thread is an ask
    result.removed = len(page.removed)
    if page.removed:
        # A message deleted or moved out of a synced folder keeps its row: the outcome it carried
        # stays part of the ask's history (moved replies are a later concern for Graph).
        log.info(
            "account %s: %d messages removed or moved at the provider",
            account.address,
            len(page.removed),
        )
    save_cursors(session, account_id=account.id, cursors=dict(page.cursors))
    session.flush()
    return result


def prune_visible_text(session: Session, *, account_id: int) -> int:
    """Forget the visible text of messages whose thread is not an ask; returns how many."""
    ask_threads = select(Ask.thread_id).where(Ask.account_id == account_id)
    result = session.execute(
        update(Message)
        .where(
            col(Message.account_id) == account_id,
            col(Message.visible_text).is_not(None),
            col(Message.thread_id).not_in(ask_threads),
        )
        .values(visible_text=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)
