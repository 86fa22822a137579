"""What the add-ins may change, mapped onto ``sync.asks`` — the same service the CLI uses.

This module only dispatches (no rules of its own): "Mark done" is ``close_ask`` (`reftrack done`),
"Not an ask" is ``ignore_thread`` (`reftrack ignore`, so the classifier never brings it back), any
other choice is ``mark_ask`` (`reftrack mark`), snoozing is ``snooze_ask`` and tracking a missed
thread is ``track_thread``. Callers have already resolved the ask/thread scoped to the user.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from core.models import Ask, Thread
from core.policy import MANUAL_CLOSED, MANUAL_NOT_AN_ASK
from sync import asks


def mark(session: Session, ask: Ask, choice: str, *, now: datetime) -> Ask:
    """Apply a ``MANUAL_CHOICES`` value to the ask; returns the refreshed ask."""
    assert ask.id is not None
    if choice == MANUAL_CLOSED:
        return asks.close_ask(session, ask.id, now=now)
    if choice == MANUAL_NOT_AN_ASK:
        asks.ignore_thread(session, ask.thread_id, now=now, account_id=ask.account_id)
        session.refresh(ask)
        return ask
    return asks.mark_ask(session, ask.id, outcome=choice, now=now)


def snooze(session: Session, ask: Ask, days: int, *, now: datetime) -> Ask:
    assert ask.id is not None
    return asks.snooze_ask(session, ask.id, days=days, now=now)


def track(session: Session, thread: Thread, kind: str, *, now: datetime) -> Ask:
    assert thread.id is not None
    return asks.track_thread(session, thread.id, now=now, account_id=thread.account_id, kind=kind)
