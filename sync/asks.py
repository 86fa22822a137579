"""The ask service: stored, classified messages → ``Ask`` rows and their ``Event`` history; overrides.

``refresh_threads`` is called by the sync orchestrator inside the page's transaction (it flushes,
never commits). For each thread it creates the Ask from the first sent message the classifier
called an ask (unless the thread is ignored), replays the thread through ``core.policy.evaluate``
and writes the Ask's state, next action and due time, follow-up count, outcome, thank-you, bounces
and out-of-office date, plus one ``Event`` per change.

The person's overrides — ``mark_ask``, ``snooze_ask``, ``close_ask`` (`reftrack done`),
``ignore_thread`` and ``track_thread`` — are stored on the Ask (``manual_outcome``,
``snoozed_until``, ``state``) and as ``Event`` rows with actor "user"; every later refresh replays
them, so they always beat the classifier.

Invariants:
- Idempotent: refreshing again with the same messages and ``now`` writes no Event and changes no
  field. The history does not depend on how the mail was paged: asks are created in the order they
  were sent, and the one clock-derived event ("gone cold") is withdrawn if mail that arrives later
  shows a reply before it (the only case where an Event row is removed). Events are deduplicated on (kind, message, new state, time), so a replay re-derives the
  whole history and only the missing rows are added.
- Every change of ``Ask.state`` has an Event explaining it; a state that changes without a replayed
  transition (e.g. a message was deleted) gets a "sync" event saying it was recomputed.
- Policy settings are ``config.followup`` overlaid with ``Account.settings["followup"]`` (or the
  same keys at the top level of ``Account.settings``); business days are counted in the account's
  time zone (an unknown zone falls back to UTC with a warning rather than stopping the sync).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from core.models import (
    Account,
    Ask,
    AskKind,
    AskState,
    Contact,
    Direction,
    Event,
    Message,
    Thread,
    utc,
)
from core.policy import (
    MANUAL_CHOICES,
    MANUAL_CLOSED,
    MANUAL_NOT_AN_ASK,
    AskStatus,
    BusinessCalendar,
    EventKind,
    Overrides,
    PolicySettings,
    ThreadMessage,
    evaluate,
)
from sync.errors import ReftrackError

log = logging.getLogger(__name__)

_CHUNK = 400  # ids per IN (...) query: well under SQLite's variable limit


class AskNotFound(ReftrackError):
    """The ask or thread named on the command line does not exist."""


# -- settings ------------------------------------------------------------------------------------


def policy_settings(account: Account, *, base: dict[str, Any] | None = None) -> PolicySettings:
    """Config ``followup`` (or ``base``) overlaid with the account's own settings."""
    if base is None:
        from sync.config import get_config

        base = get_config().followup.model_dump()
    own = account.settings
    nested = own.get("followup") if isinstance(own.get("followup"), dict) else None
    try:
        return PolicySettings.from_mapping(base, own, nested)
    except (TypeError, ValueError) as exc:
        raise ReftrackError(
            f"Account {account.address} has a bad follow-up setting ({exc}); fix it in its settings."
        ) from exc


def business_calendar(account: Account, settings: PolicySettings) -> BusinessCalendar:
    try:
        return BusinessCalendar.for_settings(settings, account.time_zone or "UTC")
    except ValueError as exc:
        log.warning("%s: %s Using UTC.", account.address, exc)
        try:
            return BusinessCalendar("UTC", settings.holiday_country, settings.holiday_subdivision)
        except ValueError:
            return BusinessCalendar("UTC")


# -- the refresh ---------------------------------------------------------------------------------


def _split(addresses: str) -> tuple[str, ...]:
    return tuple(a.strip().lower() for a in (addresses or "").split(",") if a.strip())


def _thread_message(row: Message) -> ThreadMessage:
    sent_at = utc(row.sent_at)
    assert sent_at is not None
    return ThreadMessage(
        at=sent_at,
        direction=row.direction,
        ref=row.id,
        sender=row.sender_name or row.sender,
        recipients=_split(row.to_addrs) + _split(row.cc_addrs),
        outcome=row.outcome,
        return_date=row.return_date,
        bounced_address=row.bounced_address,
        text=row.visible_text or row.snippet or "",
        reason=row.reason,
    )


def _event_key(
    kind: str, message_id: int | None, to_state: str | None, at: datetime
) -> tuple[Any, ...]:
    moment = utc(at)
    assert moment is not None
    return (kind, message_id, to_state, moment.replace(microsecond=0))


def _contacts_for(
    session: Session, account: Account, addresses: Iterable[str]
) -> dict[str, Contact]:
    """Contacts by address, created (without a name) when missing; flushed."""
    wanted = sorted({a for a in addresses if a})
    found: dict[str, Contact] = {}
    for start in range(0, len(wanted), _CHUNK):
        for c in session.exec(
            select(Contact).where(
                Contact.account_id == account.id,
                col(Contact.address).in_(wanted[start : start + _CHUNK]),
            )
        ).all():
            found[c.address] = c
    missing = [Contact(account_id=account.id or 0, address=a) for a in wanted if a not in found]
    if missing:
        session.add_all(missing)
        session.flush()
        found.update({c.address: c for c in missing})
    return found


def _recipients_of(message: Message) -> tuple[str, ...]:
    return _split(message.to_addrs) or _split(message.cc_addrs)


def _new_asks(
    session: Session,
    account: Account,
    firsts: Sequence[Message],
    *,
    now: datetime,
) -> list[Ask]:
    """Ask rows (and their "ask_created" events) for these asking messages, flushed together."""
    contacts = _contacts_for(
        session, account, (r[0] for r in (_recipients_of(m) for m in firsts) if r)
    )
    kinds = {k.value for k in AskKind}
    asks: list[Ask] = []
    for first in firsts:
        recipients = _recipients_of(first)
        contact = contacts.get(recipients[0]) if recipients else None
        kind = first.kind if first.kind in kinds else AskKind.JOB_REFERRAL.value
        asks.append(
            Ask(
                account_id=account.id or 0,
                thread_id=first.thread_id,
                message_id=first.id,
                contact_id=contact.id if contact else None,
                contacts=", ".join(recipients),
                kind=kind,
                target_company=first.target_company,
                target_role=first.target_role,
                asked_at=first.sent_at,
                last_user_message_at=first.sent_at,
                confidence=first.confidence,
                reason=first.reason,
                created_at=now,
                updated_at=now,
            )
        )
    session.add_all(asks)
    session.flush()
    session.add_all(
        [
            Event(
                account_id=account.id or 0,
                ask_id=ask.id,
                thread_id=ask.thread_id,
                message_id=first.id,
                at=first.sent_at,
                kind=EventKind.ASK_CREATED.value,
                to_state=AskState.AWAITING_REPLY.value,
                actor="classifier" if first.is_ask else "user",
                reason=first.reason or f"{ask.kind.replace('_', ' ')} ask",
            )
            for ask, first in zip(asks, firsts, strict=True)
        ]
    )
    return asks


def _overrides(ask: Ask, events: Sequence[Event]) -> Overrides:
    manual_at = None
    if ask.manual_outcome:
        stamps = [
            e.at
            for e in events
            if e.kind == EventKind.MANUAL.value and e.actor == "user" and e.to_state is not None
        ]
        manual_at = utc(max(stamps)) if stamps else utc(ask.outcome_at) or utc(ask.updated_at)
    return Overrides(
        manual_outcome=ask.manual_outcome,
        manual_at=manual_at,
        snoozed_until=utc(ask.snoozed_until),
    )


def evaluate_ask(
    ask: Ask,
    messages: Sequence[Message],
    events: Sequence[Event],
    *,
    now: datetime,
    settings: PolicySettings,
    calendar: BusinessCalendar,
) -> AskStatus:
    """The policy's verdict on one ask (pure given the rows)."""
    asked_at = utc(ask.asked_at)
    assert asked_at is not None
    return evaluate(
        asked_at,
        _split(ask.contacts),
        [_thread_message(m) for m in messages],
        now=now,
        settings=settings,
        calendar=calendar,
        overrides=_overrides(ask, events),
        ask_ref=ask.message_id,
    )


def _apply(
    session: Session,
    ask: Ask,
    messages: Sequence[Message],
    events: list[Event],
    *,
    now: datetime,
    settings: PolicySettings,
    calendar: BusinessCalendar,
) -> bool:
    status = evaluate_ask(ask, messages, events, now=now, settings=settings, calendar=calendar)
    changed = False
    # A "gone cold" derived from the clock is provisional: if older mail arrived since (Graph syncs
    # sent items before the inbox), the full history may show a reply before it. Withdraw it then.
    computed = {
        _event_key(t.kind.value, t.message_ref, t.to_state, t.at) for t in status.transitions
    }
    for e in list(events):
        if (
            e.actor == "policy"
            and e.kind == EventKind.STATE_CHANGED.value
            and e.to_state == AskState.GONE_COLD.value
            and e.message_id is None
            and _event_key(e.kind, e.message_id, e.to_state, e.at) not in computed
        ):
            events.remove(e)
            if e.id is not None:
                session.delete(e)
            else:
                session.expunge(e)
            changed = True
    seen = {_event_key(e.kind, e.message_id, e.to_state, e.at) for e in events}
    for t in status.transitions:
        key = _event_key(t.kind.value, t.message_ref, t.to_state, t.at)
        if key in seen:
            continue
        seen.add(key)
        event = Event(
            account_id=ask.account_id,
            ask_id=ask.id,
            thread_id=ask.thread_id,
            message_id=t.message_ref,
            at=t.at,
            kind=t.kind.value,
            from_state=t.from_state,
            to_state=t.to_state,
            actor=t.actor.value,
            reason=t.reason,
        )
        session.add(event)
        events.append(event)
        changed = True
    new_state = status.state.value
    if ask.state != new_state and not any(t.to_state == new_state for t in status.transitions):
        event = Event(
            account_id=ask.account_id,
            ask_id=ask.id,
            thread_id=ask.thread_id,
            at=now,
            kind=EventKind.STATE_CHANGED.value,
            from_state=ask.state,
            to_state=new_state,
            actor="sync",
            reason="recomputed from the thread's messages",
        )
        session.add(event)
        events.append(event)
    values: dict[str, Any] = {
        "state": new_state,
        "next_action": status.next_action.value if status.next_action else None,
        "next_action_due": status.next_action_due,
        "follow_up_count": status.follow_up_count,
        "outcome": status.outcome,
        "outcome_at": status.outcome_at,
        "thanked_at": status.thanked_at,
        "last_user_message_at": status.last_user_message_at,
        "bounced_addresses": ", ".join(status.bounced_addresses),
        "ooo_until": status.ooo_until,
    }
    for name, value in values.items():
        current = getattr(ask, name)
        if isinstance(current, datetime) or isinstance(value, datetime):
            same = utc(current) == utc(value)
        else:
            same = current == value
        if not same:
            setattr(ask, name, value)
            changed = True
    if changed:
        ask.updated_at = now
        session.add(ask)
    return changed


def refresh_threads(
    session: Session, *, account: Account, thread_ids: Iterable[int], now: datetime
) -> int:
    """Create/update the asks of these threads; returns how many asks changed. Flushes, never commits."""
    ids = sorted({int(t) for t in thread_ids})
    if not ids:
        return 0
    settings = policy_settings(account)
    calendar = business_calendar(account, settings)
    changed = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        threads = {
            t.id: t
            for t in session.exec(
                select(Thread).where(Thread.account_id == account.id, col(Thread.id).in_(chunk))
            ).all()
        }
        asks = {
            a.thread_id: a
            for a in session.exec(select(Ask).where(col(Ask.thread_id).in_(chunk))).all()
        }
        messages: dict[int, list[Message]] = defaultdict(list)
        for m in session.exec(
            select(Message)
            .where(Message.account_id == account.id, col(Message.thread_id).in_(chunk))
            .order_by(col(Message.sent_at), col(Message.id))
        ).all():
            messages[m.thread_id].append(m)
        events: dict[int, list[Event]] = defaultdict(list)
        ask_ids = [a.id for a in asks.values() if a.id is not None]
        if ask_ids:
            for e in session.exec(select(Event).where(col(Event.ask_id).in_(ask_ids))).all():
                if e.ask_id is not None:
                    events[e.ask_id].append(e)
        firsts: list[Message] = []
        for thread_id in chunk:
            thread = threads.get(thread_id)
            if thread is None or thread.ignored or thread_id in asks:
                continue
            first = next(
                (
                    m
                    for m in messages[thread_id]
                    if m.direction == Direction.SENT.value and m.is_ask
                ),
                None,
            )
            if first is not None:
                firsts.append(first)
        # Create asks in the order they were sent, so ids do not depend on page boundaries.
        firsts.sort(key=lambda m: (utc(m.sent_at) or now, m.id or 0))
        created = (
            {a.thread_id for a in _new_asks(session, account, firsts, now=now)} if firsts else set()
        )
        if created:
            for a in session.exec(select(Ask).where(col(Ask.thread_id).in_(sorted(created)))).all():
                asks[a.thread_id] = a
        for thread_id in chunk:
            ask = asks.get(thread_id)
            if ask is None or thread_id not in threads:
                continue
            updated = _apply(
                session,
                ask,
                messages[thread_id],
                events[ask.id or 0],
                now=now,
                settings=settings,
                calendar=calendar,
            )
            if updated or thread_id in created:
                changed += 1
    session.flush()
    return changed


def refresh_account(session: Session, *, account: Account, now: datetime) -> int:
    """Re-evaluate every ask of the account at ``now`` (time passing makes nudges due).

    Threads with a message classified as an ask but no Ask row yet are picked up too.
    """
    thread_ids = set(session.exec(select(Ask.thread_id).where(Ask.account_id == account.id)).all())
    thread_ids.update(
        session.exec(
            select(Message.thread_id)
            .where(
                Message.account_id == account.id,
                Message.direction == Direction.SENT.value,
                col(Message.is_ask).is_(True),
            )
            .distinct()
        ).all()
    )
    return refresh_threads(session, account=account, thread_ids=thread_ids, now=now)


# -- manual overrides ----------------------------------------------------------------------------


def get_ask(session: Session, ask_id: int | str) -> Ask:
    try:
        number = int(str(ask_id).strip().lstrip("#"))
    except ValueError:
        raise AskNotFound(
            f"{ask_id!r} is not an ask number; run `reftrack asks` to see them."
        ) from None
    ask = session.get(Ask, number)
    if ask is None:
        raise AskNotFound(f"There is no ask #{number}; run `reftrack asks` to see them.")
    return ask


def get_thread(session: Session, ref: int | str, *, account_id: int | None = None) -> Thread:
    """A thread by its number or by its provider key (Gmail threadId / Graph conversationId)."""
    text = str(ref).strip()
    thread: Thread | None = None
    if text.isdigit():
        thread = session.get(Thread, int(text))
        if thread is not None and account_id is not None and thread.account_id != account_id:
            thread = None
    if thread is None:
        query = select(Thread).where(Thread.thread_key == text)
        if account_id is not None:
            query = query.where(Thread.account_id == account_id)
        thread = session.exec(query).first()
    if thread is None:
        raise AskNotFound(
            f"There is no thread {text!r}; use the thread number from `reftrack asks` or the provider's thread id."
        )
    return thread


def _account_of(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise AskNotFound(f"Account #{account_id} no longer exists; run `reftrack accounts`.")
    return account


def _refresh_one(session: Session, ask: Ask, *, now: datetime) -> None:
    session.flush()
    refresh_threads(
        session, account=_account_of(session, ask.account_id), thread_ids=[ask.thread_id], now=now
    )


def _user_event(
    session: Session, ask: Ask, *, kind: EventKind, to_state: str | None, reason: str, now: datetime
) -> None:
    session.add(
        Event(
            account_id=ask.account_id,
            ask_id=ask.id,
            thread_id=ask.thread_id,
            at=now,
            kind=kind.value,
            from_state=ask.state,
            to_state=to_state,
            actor="user",
            reason=reason,
        )
    )


def _target_state(choice: str) -> str:
    return {
        "agreed": AskState.AGREED.value,
        "done": AskState.DONE.value,
        "declined": AskState.DECLINED.value,
        "needs_info": AskState.NEEDS_INFO.value,
        "other": AskState.REPLIED.value,
        "awaiting": AskState.AWAITING_REPLY.value,
        MANUAL_CLOSED: AskState.CLOSED.value,
        MANUAL_NOT_AN_ASK: AskState.NOT_AN_ASK.value,
    }[choice]


def mark_ask(session: Session, ask_id: int | str, *, outcome: str, now: datetime) -> Ask:
    """Set the outcome by hand (one of ``MANUAL_CHOICES``); beats the classifier from now on."""
    choice = outcome.strip().lower().replace("-", "_")
    if choice == "replied":
        choice = "other"
    if choice not in MANUAL_CHOICES:
        raise ReftrackError(
            f"Unknown outcome {outcome!r}; use one of: {', '.join(MANUAL_CHOICES)}."
        )
    ask = get_ask(session, ask_id)
    _user_event(
        session,
        ask,
        kind=EventKind.MANUAL,
        to_state=_target_state(choice),
        reason=f"you marked it {choice}",
        now=now,
    )
    ask.manual_outcome = choice
    session.add(ask)
    _refresh_one(session, ask, now=now)
    return ask


def close_ask(session: Session, ask_id: int | str, *, now: datetime) -> Ask:
    """`reftrack done`: the person is finished with this ask; no more actions."""
    return mark_ask(session, ask_id, outcome=MANUAL_CLOSED, now=now)


def snooze_ask(session: Session, ask_id: int | str, *, days: int, now: datetime) -> Ask:
    """Push every action of the ask to the start of the local day ``days`` calendar days from now."""
    if days < 1 or days > 365:
        raise ReftrackError(f"Snooze for 1 to 365 days, not {days}.")
    ask = get_ask(session, ask_id)
    account = _account_of(session, ask.account_id)
    calendar = business_calendar(account, policy_settings(account))
    until = calendar.start_of_day(calendar.local_date(now) + timedelta(days=days))
    _user_event(
        session,
        ask,
        kind=EventKind.SNOOZED,
        to_state=ask.state,
        reason=f"you snoozed it for {days} day(s), until {calendar.local_date(until).isoformat()}",
        now=now,
    )
    ask.snoozed_until = until
    session.add(ask)
    _refresh_one(session, ask, now=now)
    return ask


def ignore_thread(
    session: Session, thread_ref: int | str, *, now: datetime, account_id: int | None = None
) -> Thread:
    """`reftrack ignore THREAD`: not an ask; never tracked again (until ``track_thread``)."""
    thread = get_thread(session, thread_ref, account_id=account_id)
    thread.ignored = True
    session.add(thread)
    ask = session.exec(select(Ask).where(Ask.thread_id == thread.id)).first()
    if ask is not None and ask.manual_outcome != MANUAL_NOT_AN_ASK:
        mark_ask(session, ask.id or 0, outcome=MANUAL_NOT_AN_ASK, now=now)
    session.flush()
    return thread


def track_thread(
    session: Session,
    thread_ref: int | str,
    *,
    now: datetime,
    account_id: int | None = None,
    kind: str | None = None,
    message_id: int | None = None,
) -> Ask:
    """Start tracking a thread the classifier missed (or un-ignore one); returns its Ask.

    The ask is the given message, else the first message the person sent in the thread.
    """
    thread = get_thread(session, thread_ref, account_id=account_id)
    account = _account_of(session, thread.account_id)
    if kind is not None and kind not in {k.value for k in AskKind}:
        raise ReftrackError(
            f"Unknown ask kind {kind!r}; use one of: {', '.join(k.value for k in AskKind)}."
        )
    thread.ignored = False
    session.add(thread)
    ask = session.exec(select(Ask).where(Ask.thread_id == thread.id)).first()
    if ask is None:
        query = select(Message).where(
            Message.thread_id == thread.id, Message.direction == Direction.SENT.value
        )
        if message_id is not None:
            query = query.where(Message.id == message_id)
        first = session.exec(query.order_by(col(Message.sent_at), col(Message.id))).first()
        if first is None:
            raise ReftrackError(
                "This thread has no message you sent (or not that one), so there is no ask to track; pick another thread."
            )
        if kind is not None:
            first.kind = kind
        ask = _new_asks(session, account, [first], now=now)[0]
    elif kind is not None:
        ask.kind = kind
    before = ask.state
    ask.manual_outcome = None
    session.add(
        Event(
            account_id=ask.account_id,
            ask_id=ask.id,
            thread_id=ask.thread_id,
            at=now,
            kind="tracked",
            from_state=before,
            to_state=None,
            actor="user",
            reason="you asked to track this thread",
        )
    )
    session.add(ask)
    _refresh_one(session, ask, now=now)
    return ask


# -- listing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AskRow:
    """An ask with what a listing needs (thread, contact, asking message)."""

    ask: Ask
    thread: Thread
    contact: Contact | None
    message: Message | None

    @property
    def contact_name(self) -> str:
        return self.contact.name if self.contact else ""

    @property
    def contact_address(self) -> str:
        if self.contact:
            return self.contact.address
        return _split(self.ask.contacts)[0] if self.ask.contacts else ""


def list_ask_rows(
    session: Session,
    *,
    account_id: int | None = None,
    states: Iterable[str] | None = None,
) -> list[AskRow]:
    """Asks with thread, contact and asking message, oldest first."""
    query = (
        select(Ask, Thread, Contact, Message)
        .join(Thread, col(Thread.id) == col(Ask.thread_id))
        .join(Contact, col(Contact.id) == col(Ask.contact_id), isouter=True)
        .join(Message, col(Message.id) == col(Ask.message_id), isouter=True)
        .order_by(col(Ask.asked_at), col(Ask.id))
    )
    if account_id is not None:
        query = query.where(Ask.account_id == account_id)
    if states is not None:
        query = query.where(col(Ask.state).in_(list(states)))
    return [AskRow(a, t, c, m) for a, t, c, m in session.exec(query).all()]


def first_replies(session: Session, *, asked: dict[int, datetime]) -> dict[int, Message]:
    """The first real reply (not an auto-reply or bounce) after the ask, per thread id."""
    found: dict[int, Message] = {}
    ids = sorted(asked)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = session.exec(
            select(Message)
            .where(
                col(Message.thread_id).in_(chunk),
                Message.direction == Direction.RECEIVED.value,
                or_(
                    col(Message.outcome).is_(None),
                    col(Message.outcome).not_in(["auto_reply", "bounce"]),
                ),
            )
            .order_by(col(Message.sent_at), col(Message.id))
        ).all()
        for m in rows:
            after = utc(asked[m.thread_id])
            if (
                m.thread_id not in found
                and after is not None
                and (utc(m.sent_at) or after) >= after
            ):
                found[m.thread_id] = m
    return found
