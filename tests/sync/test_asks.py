"""The ask service: messages → Ask + Event rows, idempotent refresh, manual overrides."""

from __future__ import annotations

from datetime import date

import pytest
from factories import (
    add_account,
    add_ask_thread,
    add_message,
    add_reply,
    add_thread,
    at,
    sqlite_session,
)
from sqlmodel import Session, select

from core.models import Account, Ask, Event, Thread, utc
from sync.asks import (
    AskNotFound,
    close_ask,
    get_ask,
    ignore_thread,
    list_ask_rows,
    mark_ask,
    policy_settings,
    refresh_account,
    refresh_threads,
    snooze_ask,
    track_thread,
)
from sync.errors import ReftrackError


def _events(session: Session, ask: Ask) -> list[Event]:
    return list(session.exec(select(Event).where(Event.ask_id == ask.id).order_by(Event.id)).all())


def _ask(session: Session, thread: Thread) -> Ask:
    ask = session.exec(select(Ask).where(Ask.thread_id == thread.id)).first()
    assert ask is not None
    return ask


def _refresh(session: Session, account: Account, *threads: Thread, now: str) -> int:
    return refresh_threads(
        session, account=account, thread_ids=[t.id for t in threads], now=at(now)
    )


def test_asks_refresh_creates_the_ask_and_its_first_event() -> None:
    with sqlite_session() as s:
        acc = add_account(s, time_zone="America/New_York")
        thread, msg = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        assert _refresh(s, acc, thread, now="2026-03-03T12:00") == 1
        ask = _ask(s, thread)
        assert ask.message_id == msg.id
        assert ask.state == "awaiting_reply"
        assert (ask.kind, ask.target_company, ask.target_role) == (
            "job_referral",
            "Acme",
            "Staff Engineer",
        )
        assert ask.contacts == "dana@corp.example"
        assert ask.next_action == "follow_up"
        assert utc(ask.next_action_due) == at("2026-03-09T04:00")
        events = _events(s, ask)
        assert [(e.kind, e.actor) for e in events] == [("ask_created", "classifier")]
        assert events[0].reason


def test_asks_refresh_is_idempotent() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        add_reply(s, acc, thread, sent_at=at("2026-03-03T15:00"), outcome="agreed")
        add_message(
            s,
            acc,
            thread,
            direction="sent",
            sent_at=at("2026-03-03T16:00"),
            to=("dana@corp.example",),
            text="Thank you!",
        )
        assert _refresh(s, acc, thread, now="2026-03-04T12:00") == 1
        count = len(_events(s, _ask(s, thread)))
        assert _refresh(s, acc, thread, now="2026-03-04T12:00") == 0
        assert _refresh(s, acc, thread, now="2026-03-04T13:00") == 0
        assert len(_events(s, _ask(s, thread))) == count


def test_asks_reply_changes_state_with_a_reasoned_event() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        _refresh(s, acc, thread, now="2026-03-02T16:00")
        reply = add_reply(s, acc, thread, sent_at=at("2026-03-03T15:00"), outcome="agreed")
        assert _refresh(s, acc, thread, now="2026-03-03T16:00") == 1
        ask = _ask(s, thread)
        assert (ask.state, ask.outcome, ask.next_action) == ("agreed", "agreed", "thank_you")
        last = _events(s, ask)[-1]
        assert (last.kind, last.from_state, last.to_state, last.actor, last.message_id) == (
            "state_changed",
            "awaiting_reply",
            "agreed",
            "classifier",
            reply.id,
        )
        assert "agreed" in last.reason


def test_asks_bounce_and_auto_reply_are_recorded_not_replies() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        add_reply(
            s,
            acc,
            thread,
            sent_at=at("2026-03-02T15:05"),
            outcome="auto_reply",
            return_date=date(2026, 3, 20),
        )
        _refresh(s, acc, thread, now="2026-03-03T00:00")
        ask = _ask(s, thread)
        assert (ask.state, ask.ooo_until, utc(ask.next_action_due)) == (
            "awaiting_reply",
            date(2026, 3, 20),
            at("2026-03-24T00:00"),
        )
        add_reply(
            s,
            acc,
            thread,
            sent_at=at("2026-03-04T15:05"),
            outcome="bounce",
            bounced_address="dana@corp.example",
        )
        _refresh(s, acc, thread, now="2026-03-05T00:00")
        ask = _ask(s, thread)
        assert (ask.state, ask.bounced_addresses, ask.next_action) == (
            "awaiting_reply",
            "dana@corp.example",
            "fix_address",
        )
        assert [e.kind for e in _events(s, ask)][1:] == ["auto_reply", "bounce"]


def test_asks_skip_ignored_threads_and_non_asks() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        ignored, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"), ignored=True)
        chat = add_thread(s, acc, subject="Lunch?")
        add_message(
            s,
            acc,
            chat,
            direction="sent",
            sent_at=at("2026-03-02T15:00"),
            to=("a@b.example",),
            is_ask=False,
        )
        assert _refresh(s, acc, ignored, chat, now="2026-03-03T00:00") == 0
        assert s.exec(select(Ask)).all() == []


def test_asks_time_passing_marks_gone_cold_once() -> None:
    with sqlite_session() as s:
        acc = add_account(s, settings={"followup": {"max_nudges": 0, "first_nudge_days": 3}})
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        _refresh(s, acc, thread, now="2026-03-02T16:00")
        ask = _ask(s, thread)
        assert (ask.next_action, utc(ask.next_action_due)) == ("wait", at("2026-03-05T00:00"))
        assert refresh_account(s, account=acc, now=at("2026-03-06T00:00")) == 1
        assert refresh_account(s, account=acc, now=at("2026-03-07T00:00")) == 0
        ask = _ask(s, thread)
        assert ask.state == "gone_cold"
        cold = [e for e in _events(s, ask) if e.to_state == "gone_cold"]
        assert len(cold) == 1 and cold[0].actor == "policy"


def test_asks_manual_mark_beats_the_classifier_later() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        _refresh(s, acc, thread, now="2026-03-02T16:00")
        ask = mark_ask(s, _ask(s, thread).id, outcome="declined", now=at("2026-03-03T10:00"))
        assert (ask.state, ask.manual_outcome, ask.next_action) == (
            "declined",
            "declined",
            "thank_you",
        )
        add_reply(s, acc, thread, sent_at=at("2026-03-04T15:00"), outcome="agreed")
        _refresh(s, acc, thread, now="2026-03-04T16:00")
        _refresh(s, acc, thread, now="2026-03-04T17:00")
        ask = _ask(s, thread)
        assert ask.state == "declined"
        manual = [e for e in _events(s, ask) if e.kind == "manual"]
        assert len(manual) == 1 and manual[0].actor == "user" and manual[0].to_state == "declined"


def test_asks_snooze_pushes_the_due_date() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        _refresh(s, acc, thread, now="2026-03-02T16:00")
        ask = snooze_ask(s, _ask(s, thread).id, days=14, now=at("2026-03-03T10:00"))
        assert utc(ask.snoozed_until) == at("2026-03-17T00:00")
        assert utc(ask.next_action_due) == at("2026-03-17T00:00")
        assert _events(s, ask)[-1].kind == "snoozed" and _events(s, ask)[-1].actor == "user"
        with pytest.raises(ReftrackError, match="1 to 365 days"):
            snooze_ask(s, ask.id, days=0, now=at("2026-03-03T10:00"))


def test_asks_done_closes_and_ignore_marks_not_an_ask() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        t1, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        t2, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"), contact="lee@x.example")
        _refresh(s, acc, t1, t2, now="2026-03-02T16:00")
        closed = close_ask(s, _ask(s, t1).id, now=at("2026-03-03T10:00"))
        assert (closed.state, closed.next_action, closed.next_action_due) == ("closed", None, None)
        ignore_thread(s, t2.thread_key, now=at("2026-03-03T10:00"))
        add_reply(s, acc, t2, sent_at=at("2026-03-04T15:00"), outcome="agreed")
        _refresh(s, acc, t1, t2, now="2026-03-04T16:00")
        assert _ask(s, t2).state == "not_an_ask"
        assert s.get(Thread, t2.id).ignored is True


def test_asks_track_a_thread_the_classifier_missed() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        thread = add_thread(s, acc, subject="Quick question")
        add_message(
            s,
            acc,
            thread,
            direction="sent",
            sent_at=at("2026-03-02T15:00"),
            to=("kim@y.example",),
            is_ask=False,
        )
        add_reply(
            s,
            acc,
            thread,
            sent_at=at("2026-03-03T15:00"),
            outcome="needs_info",
            sender="kim@y.example",
        )
        ask = track_thread(s, thread.id, now=at("2026-03-04T00:00"), kind="introduction")
        assert (ask.kind, ask.state, ask.next_action) == ("introduction", "needs_info", "reply")
        assert ask.contacts == "kim@y.example"
        kinds = [(e.kind, e.actor) for e in _events(s, ask)]
        assert ("ask_created", "user") in kinds and ("tracked", "user") in kinds
        # re-tracking an ignored thread brings it back
        ignore_thread(s, thread.id, now=at("2026-03-05T00:00"))
        assert _ask(s, thread).state == "not_an_ask"
        again = track_thread(s, thread.id, now=at("2026-03-06T00:00"))
        assert again.state == "needs_info"
        assert _events(s, again)[-1].reason


def test_asks_errors_say_what_to_do() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        _refresh(s, acc, thread, now="2026-03-02T16:00")
        with pytest.raises(AskNotFound, match="reftrack asks"):
            get_ask(s, 999)
        with pytest.raises(AskNotFound, match="not an ask number"):
            get_ask(s, "abc")
        with pytest.raises(ReftrackError, match="use one of"):
            mark_ask(s, _ask(s, thread).id, outcome="maybe", now=at("2026-03-03T00:00"))
        with pytest.raises(AskNotFound, match="no thread"):
            ignore_thread(s, "nope", now=at("2026-03-03T00:00"))
        with pytest.raises(ReftrackError, match="kind"):
            track_thread(s, thread.id, now=at("2026-03-03T00:00"), kind="bribe")


def test_asks_policy_settings_layer_config_and_account() -> None:
    with sqlite_session() as s:
        acc = add_account(
            s, settings={"first_nudge_days": 3, "followup": {"holiday_country": "US"}}
        )
        settings = policy_settings(acc, base={"first_nudge_days": 4, "max_nudges": 3})
        assert (settings.first_nudge_days, settings.max_nudges, settings.holiday_country) == (
            3,
            3,
            "US",
        )
        bad = add_account(s, address="x@example.com", settings={"max_nudges": -2})
        with pytest.raises(ReftrackError, match="bad follow-up setting"):
            policy_settings(bad, base={})


def test_asks_bad_time_zone_falls_back_to_utc() -> None:
    with sqlite_session() as s:
        acc = add_account(s, time_zone="Mars/Base")
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        _refresh(s, acc, thread, now="2026-03-02T16:00")
        assert utc(_ask(s, thread).next_action_due) == at("2026-03-09T00:00")


def test_asks_refresh_on_every_backend(store) -> None:
    with store.session_scope() as s:
        acc = add_account(s)
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        add_reply(s, acc, thread, sent_at=at("2026-03-03T15:00"), outcome="done")
        assert _refresh(s, acc, thread, now="2026-03-04T00:00") == 1
        thread_id = thread.id
    with store.session_scope() as s:
        acc = s.exec(select(Account)).one()
        assert (
            refresh_threads(s, account=acc, thread_ids=[thread_id], now=at("2026-03-04T00:00")) == 0
        )
        rows = list_ask_rows(s, account_id=acc.id)
        assert (
            len(rows) == 1 and rows[0].ask.state == "done" and rows[0].contact_name == "Dana Smith"
        )


def test_asks_history_does_not_depend_on_paging() -> None:
    """Sent mail first (as Graph syncs it), the inbox later: the provisional "gone cold" is withdrawn."""
    with sqlite_session() as s:
        acc = add_account(s, settings={"max_nudges": 0, "first_nudge_days": 3})
        thread, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"))
        _refresh(s, acc, thread, now="2026-04-01T00:00")
        assert _ask(s, thread).state == "gone_cold"
        add_reply(s, acc, thread, sent_at=at("2026-03-03T15:00"), outcome="agreed")
        _refresh(s, acc, thread, now="2026-04-01T00:00")
        ask = _ask(s, thread)
        assert ask.state == "agreed"
        assert [e.to_state for e in _events(s, ask)] == ["awaiting_reply", "agreed"]


def test_asks_are_created_in_the_order_they_were_sent() -> None:
    with sqlite_session() as s:
        acc = add_account(s)
        later, _ = add_ask_thread(s, acc, asked_at=at("2026-03-05T15:00"))
        earlier, _ = add_ask_thread(
            s, acc, asked_at=at("2026-03-02T15:00"), contact="lee@x.example"
        )
        _refresh(s, acc, later, earlier, now="2026-03-06T00:00")
        assert _ask(s, earlier).id < _ask(s, later).id
