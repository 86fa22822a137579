"""Build the daily digest from the database and send it at most once per account per local day.

``build_account_digest`` reads the account's asks (after re-evaluating them at ``now``) and the
replies received since the last digest, and hands plain views to ``core.digest``.
``send_digest_if_due`` sends it through the account's connector, from and to the mailbox owner.

At-most-once sending (``DigestLog``, unique on account + local day)::

    no row ──build──▶ nothing to say ─▶ row "empty"                      → "empty"
       │
       └─▶ row "sending" + fresh Message-ID, COMMIT ──send──▶ "sent"     → "sent"
                                   │ rejected before it went (auth, 429) → "failed" (a later run retries)
                                   │ timeout / crash: outcome unknown    → "unknown" / stays "sending"
    row "sending"/"unknown" ──connector.find_sent(Message-ID)──▶ found  → "sent" ("already_sent")
                                   not found and older than SETTLE_AFTER → re-send, same Message-ID
                                   not found yet / cannot ask           → "unknown" (never blind)

Invariants:
- A digest recorded as sent is never sent again that day; an unknown outcome is settled by looking
  for its Message-ID in the sent mail, never by re-sending blindly.
- The "sending" row (with the Message-ID) is committed before ``connector.send`` is called, so a
  crash at any point leaves enough to settle the outcome later.
- Nothing is sent when there is nothing to say, unless ``digest.send_empty`` is set.
- The digest is due from ``digest.hour`` local time (the account's time zone) unless forced.

Real drafts (opt-in: ``digest.create_drafts``, per account too; needs ``reftrack auth … --drafts``):
once a digest has gone out, every item it shows with a suggested text (follow-up, check-in,
report-back, thank-you, the needs-info reply) becomes a reply draft in its thread, at most once per
(ask, draft template, follow-up count): each draft is recorded as an ``Event`` (kind
"draft_created", actor "sync") committed right after the provider call, and an item with such an
event is skipped. A crash between the provider call and that commit can leave one duplicate
draft at worst; a digest settled as sent by ``find_sent`` makes no drafts (the items still due
get theirs with the next digest). A connector error stops the drafts for this run (logged,
nothing recorded) and never fails the digest or the sync.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from connectors.base import Address, Connector, DraftMessage, OutgoingMessage, parse_references
from connectors.errors import AuthExpired, ConnectorError, RateLimited
from core.digest import (
    AskView,
    Digest,
    DigestItem,
    ReplyView,
    build_digest,
    render_html,
    render_text,
    thread_link,
)
from core.models import (
    Account,
    Ask,
    AskState,
    DigestLog,
    Direction,
    Event,
    Message,
    Thread,
    utc,
)
from core.policy import NextAction
from sync.asks import (
    business_calendar,
    first_replies,
    list_ask_rows,
    policy_settings,
    refresh_account,
)
from sync.errors import ReftrackError

log = logging.getLogger(__name__)

SETTLE_AFTER = timedelta(minutes=15)  # a "sending" row younger than this may still be in flight
DIGEST_HEADER = "X-Reftrack-Digest"
DRAFT_EVENT = "draft_created"


@dataclass(frozen=True, slots=True)
class DigestSettings:
    hour: int = 8
    send_empty: bool = False
    create_drafts: bool = False


def digest_settings(account: Account) -> DigestSettings:
    """Config ``digest`` overlaid with ``Account.settings["digest"]`` (hour, send_empty, create_drafts)."""
    from sync.config import get_config

    cfg = get_config().digest
    own = account.settings.get("digest")
    own = own if isinstance(own, dict) else {}
    hour, send_empty = own.get("hour", cfg.hour), own.get("send_empty", cfg.send_empty)
    if not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ReftrackError(
            f"Account {account.address} has digest hour {hour!r}; set a whole hour from 0 to 23."
        )
    create_drafts = own.get("create_drafts", cfg.create_drafts)
    return DigestSettings(hour=hour, send_empty=bool(send_empty), create_drafts=bool(create_drafts))


def last_digest_at(session: Session, *, account: Account) -> datetime | None:
    """When the last digest went out (DigestLog, else ``Account.last_digest_at``)."""
    row = session.exec(
        select(DigestLog)
        .where(DigestLog.account_id == account.id, DigestLog.status == "sent")
        .order_by(col(DigestLog.day).desc())
    ).first()
    if row is not None and row.sent_at is not None:
        return utc(row.sent_at)
    return utc(account.last_digest_at)


def collect_views(
    session: Session, *, account: Account, now: datetime, since: datetime
) -> tuple[list[AskView], list[ReplyView]]:
    """Plain views of the account's asks and of the real replies received in (since, now]."""
    rows = [
        r
        for r in list_ask_rows(session, account_id=account.id)
        if r.ask.state != AskState.NOT_AN_ASK.value
    ]
    firsts = first_replies(session, asked={r.ask.thread_id: r.ask.asked_at for r in rows})
    needs_text = [r.ask.thread_id for r in rows if r.ask.next_action == NextAction.REPLY.value]
    latest_text: dict[int, str] = {}
    for start in range(0, len(needs_text), 400):
        for m in session.exec(
            select(Message)
            .where(
                col(Message.thread_id).in_(needs_text[start : start + 400]),
                Message.direction == Direction.RECEIVED.value,
                or_(
                    col(Message.outcome).is_(None),
                    col(Message.outcome).not_in(["auto_reply", "bounce"]),
                ),
            )
            .order_by(col(Message.sent_at))
        ).all():
            latest_text[m.thread_id] = m.visible_text or m.snippet or ""

    views: list[AskView] = []
    links: dict[int, tuple[int, str]] = {}
    for r in rows:
        a = r.ask
        link = thread_link(
            account.provider,
            r.thread.thread_key,
            web_link=r.thread.web_link,
            provider_message_id=r.message.provider_id if r.message else None,
        )
        links[a.thread_id] = (a.id or 0, link)
        first = firsts.get(a.thread_id)
        asked_at = utc(a.asked_at)
        assert asked_at is not None
        views.append(
            AskView(
                ask_id=a.id or 0,
                state=a.state,
                next_action=a.next_action,
                next_action_due=utc(a.next_action_due),
                kind=a.kind,
                contact_name=r.contact_name,
                contact_address=r.contact_address,
                subject=r.thread.subject or (r.message.subject if r.message else ""),
                asked_at=asked_at,
                link=link,
                company=a.target_company,
                role=a.target_role,
                follow_up_count=a.follow_up_count,
                outcome=a.outcome,
                outcome_at=utc(a.outcome_at),
                first_reply_at=utc(first.sent_at) if first else None,
                bounced_addresses=tuple(
                    x.strip() for x in a.bounced_addresses.split(",") if x.strip()
                ),
                ooo_until=a.ooo_until,
                last_reply_text=latest_text.get(a.thread_id, ""),
            )
        )

    replies: list[ReplyView] = []
    if links:
        query = (
            select(Message, Thread)
            .join(Thread, col(Thread.id) == col(Message.thread_id))
            .where(
                Message.account_id == account.id,
                Message.direction == Direction.RECEIVED.value,
                col(Message.sent_at) > since,
                col(Message.sent_at) <= now,
                or_(
                    col(Message.outcome).is_(None),
                    col(Message.outcome).not_in(["auto_reply", "bounce"]),
                ),
            )
        )
        for m, t in session.exec(query).all():
            if m.thread_id not in links:
                continue
            ask_id, link = links[m.thread_id]
            sent_at = utc(m.sent_at)
            assert sent_at is not None
            replies.append(
                ReplyView(
                    ask_id=ask_id,
                    at=sent_at,
                    sender_name=m.sender_name,
                    sender_address=m.sender,
                    subject=m.subject or t.subject,
                    outcome=m.outcome,
                    snippet=(m.visible_text or m.snippet or "")[:280],
                    link=link,
                )
            )
    return views, replies


def build_account_digest(
    session: Session,
    *,
    account: Account,
    now: datetime,
    since: datetime | None = None,
    refresh: bool = True,
) -> Digest:
    """The account's digest at ``now``; ``refresh`` re-evaluates its asks first (flushes, no commit)."""
    if refresh:
        refresh_account(session, account=account, now=now)
    calendar = business_calendar(account, policy_settings(account))
    if since is None:
        since = last_digest_at(session, account=account) or now - timedelta(days=1)
    views, replies = collect_views(session, account=account, now=now, since=since)
    return build_digest(
        views,
        replies,
        now=now,
        calendar=calendar,
        account_address=account.address,
        account_name=account.display_name,
    )


def outgoing_for(digest: Digest, *, account: Account, message_id: str) -> OutgoingMessage:
    me = Address(account.address, account.display_name)
    return OutgoingMessage(
        sender=me,
        to=(me,),
        subject=digest.subject,
        text=render_text(digest),
        html=render_html(digest),
        message_id=message_id,
        headers={DIGEST_HEADER: digest.today.isoformat(), "Auto-Submitted": "auto-generated"},
    )


def new_message_id(account: Account) -> str:
    domain = account.address.rpartition("@")[2] or "reftrack.invalid"
    return f"reftrack-digest.{uuid.uuid4().hex}@{domain}"


def _send(
    session_factory: Callable[[], Session],
    connector: Connector,
    *,
    log_id: int,
    account_id: int,
    message: OutgoingMessage,
    now: datetime,
) -> str:
    """Send; the "sending" row is already committed. Records and returns the outcome."""
    status = "unknown"
    provider_id = ""
    try:
        provider_id = connector.send(message) or ""
        status = "sent"
    except (AuthExpired, RateLimited) as exc:
        status = "failed"  # rejected before anything went out: a later run may send
        log.warning("digest for account %s not sent: %s", account_id, exc)
        _record(session_factory, log_id=log_id, account_id=account_id, status=status, now=now)
        if isinstance(exc, AuthExpired):
            raise
        return "failed"
    except ConnectorError as exc:
        log.warning("digest for account %s: send outcome unknown (%s)", account_id, exc)
    except BaseException:
        _record(session_factory, log_id=log_id, account_id=account_id, status="unknown", now=now)
        raise
    _record(
        session_factory,
        log_id=log_id,
        account_id=account_id,
        status=status,
        now=now,
        provider_id=provider_id,
    )
    return status


def _record(
    session_factory: Callable[[], Session],
    *,
    log_id: int,
    account_id: int,
    status: str,
    now: datetime,
    provider_id: str = "",
) -> None:
    with session_factory() as session:
        row = session.get(DigestLog, log_id)
        if row is None:
            return
        row.status = status
        if provider_id:
            row.provider_id = provider_id
        if status == "sent":
            row.sent_at = now
            account = session.get(Account, account_id)
            if account is not None:
                account.last_digest_at = now
                session.add(account)
        session.add(row)
        session.commit()


def send_digest_if_due(
    session_factory: Callable[[], Session],
    *,
    account: Account,
    connector: Connector,
    now: datetime,
    force_hour: bool = False,
    settings: DigestSettings | None = None,
) -> str:
    """Send today's digest unless it is too early, already sent, or empty.

    Returns "sent" | "not_due" | "already_sent" | "empty" | "unknown" | "failed" | "busy".
    """
    cfg = settings or digest_settings(account)
    assert account.id is not None
    calendar = business_calendar(account, policy_settings(account))
    local_now = now.astimezone(calendar.tz)
    if not force_hour and local_now.hour < cfg.hour:
        return "not_due"
    day = local_now.date()

    with session_factory() as session:
        row = session.exec(
            select(DigestLog).where(DigestLog.account_id == account.id, DigestLog.day == day)
        ).first()
        if row is not None and row.status == "sent":
            return "already_sent"
        if row is not None and row.status in ("sending", "unknown"):
            return _settle(
                session_factory,
                connector,
                row=row,
                account=account,
                now=now,
                drafts=cfg.create_drafts,
            )
        refresh_account(session, account=account, now=now)
        session.commit()
        digest = build_account_digest(session, account=account, now=now, refresh=False)
        if digest.is_empty and not cfg.send_empty:
            if row is None:
                session.add(
                    DigestLog(account_id=account.id, day=day, status="empty", created_at=now)
                )
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
            return "empty"
        message_id = new_message_id(account)
        if row is None:
            row = DigestLog(
                account_id=account.id,
                day=day,
                status="sending",
                message_id=message_id,
                created_at=now,
            )
        else:  # "empty" earlier today or "failed": try again with a fresh id
            row.status, row.message_id, row.created_at = "sending", message_id, now
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return "busy"  # another run claimed today's digest first
        log_id = row.id
        assert log_id is not None
        message = outgoing_for(digest, account=account, message_id=message_id)
    status = _send(
        session_factory, connector, log_id=log_id, account_id=account.id, message=message, now=now
    )
    if status == "sent" and cfg.create_drafts:
        create_drafts(session_factory, connector, account=account, digest=digest, now=now)
    return status


def _settle(
    session_factory: Callable[[], Session],
    connector: Connector,
    *,
    row: DigestLog,
    account: Account,
    now: datetime,
    drafts: bool = False,
) -> str:
    """A digest whose send outcome is unknown: look for it in the sent mail before anything else."""
    assert row.id is not None and account.id is not None
    try:
        found = connector.find_sent(row.message_id) if row.message_id else False
    except ConnectorError as exc:
        log.warning("cannot settle today's digest for %s yet: %s", account.address, exc)
        return "unknown"
    if found:
        _record(session_factory, log_id=row.id, account_id=account.id, status="sent", now=now)
        return "already_sent"
    created = utc(row.created_at)
    if created is not None and now - created < SETTLE_AFTER:
        return "unknown"  # may still be on its way; look again on the next run
    with session_factory() as session:
        digest = build_account_digest(session, account=account, now=now)
        session.commit()
    message = outgoing_for(
        digest, account=account, message_id=row.message_id or new_message_id(account)
    )
    status = _send(
        session_factory, connector, log_id=row.id, account_id=account.id, message=message, now=now
    )
    if status == "sent" and drafts:
        create_drafts(session_factory, connector, account=account, digest=digest, now=now)
    return status


# --------------------------------------------------------------------------- real drafts


def draft_key(item: DigestItem) -> str:
    """What makes a draft the same one again: its template and the ask's follow-up count."""
    assert item.draft is not None
    name = PurePosixPath(item.draft.template).name.removesuffix(".txt.j2")
    return f"{name}#{item.ask.follow_up_count}"


def _drafted(session: Session, *, account_id: int, ask_ids: list[int]) -> set[tuple[int, str]]:
    """(ask id, draft key) of the drafts already created (from the "draft_created" events)."""
    done: set[tuple[int, str]] = set()
    for start in range(0, len(ask_ids), 400):
        for ask_id, reason in session.exec(
            select(Event.ask_id, Event.reason).where(
                Event.account_id == account_id,
                Event.kind == DRAFT_EVENT,
                col(Event.ask_id).in_(ask_ids[start : start + 400]),
            )
        ).all():
            if ask_id is not None:
                done.add((ask_id, reason.split(":", 1)[0]))
    return done


def _reply_parent(session: Session, *, thread_id: int) -> Message | None:
    """The message a draft answers: the thread's latest that is not an auto-reply or a bounce."""
    return session.exec(
        select(Message)
        .where(
            Message.thread_id == thread_id,
            or_(
                col(Message.outcome).is_(None),
                col(Message.outcome).not_in(["auto_reply", "bounce"]),
            ),
        )
        .order_by(col(Message.sent_at).desc(), col(Message.id).desc())
    ).first()


@dataclass(frozen=True, slots=True)
class _PlannedDraft:
    ask_id: int
    thread_id: int
    parent_id: int | None
    key: str
    action: str
    message: DraftMessage


def _plan_drafts(session: Session, *, account: Account, digest: Digest) -> list[_PlannedDraft]:
    assert account.id is not None
    items = [
        item
        for section in (digest.follow_up, digest.thank_you, digest.asked_you)
        for item in section
        if item.draft is not None
    ]
    done = _drafted(session, account_id=account.id, ask_ids=[i.ask.ask_id for i in items])
    planned: list[_PlannedDraft] = []
    for item in items:
        assert item.draft is not None
        key = draft_key(item)
        ask = session.get(Ask, item.ask.ask_id)
        if (item.ask.ask_id, key) in done or ask is None or ask.account_id != account.id:
            continue
        thread = session.get(Thread, ask.thread_id)
        bounced = {x.strip() for x in ask.bounced_addresses.split(",") if x.strip()}
        address = item.ask.contact_address.strip().lower()
        if thread is None or not address or address in bounced:
            continue
        parent = _reply_parent(session, thread_id=ask.thread_id)
        references = parse_references(parent.references.replace(",", " ")) if parent else ()
        planned.append(
            _PlannedDraft(
                ask_id=item.ask.ask_id,
                thread_id=ask.thread_id,
                parent_id=parent.id if parent else None,
                key=key,
                action=item.draft.action.value,
                message=DraftMessage(
                    thread_key=thread.thread_key,
                    to=(Address(address, item.ask.contact_name),),
                    subject=item.draft.subject,
                    text=item.draft.body,
                    in_reply_to=parent.message_id if parent else None,
                    reply_to_id=parent.provider_id if parent else None,
                    references=references,
                ),
            )
        )
    return planned


def create_drafts(
    session_factory: Callable[[], Session],
    connector: Connector,
    *,
    account: Account,
    digest: Digest,
    now: datetime,
) -> int:
    """One reply draft per digest item with a suggested text not drafted before; returns how many.

    Each draft's event is committed right after the provider call, so a later run skips it. A
    connector error (a missing drafts scope, say) is logged and ends this run's drafts.
    """
    assert account.id is not None
    with session_factory() as session:
        planned = _plan_drafts(session, account=account, digest=digest)
    created = 0
    for p in planned:
        try:
            draft_id = connector.create_draft(p.message)
        except ConnectorError as exc:
            log.warning("drafts for %s not created: %s", account.address, exc)
            break
        with session_factory() as session:
            session.add(
                Event(
                    account_id=account.id,
                    ask_id=p.ask_id,
                    thread_id=p.thread_id,
                    message_id=p.parent_id,
                    at=now,
                    kind=DRAFT_EVENT,
                    actor="sync",
                    reason=f"{p.key}: {p.action} draft created ({draft_id or 'no id'})",
                )
            )
            session.commit()
        created += 1
    if created:
        log.info("%s: %d reply drafts created", account.address, created)
    return created
