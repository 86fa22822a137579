"""Tests of the synthetic mailbox generator and the bundled demo mailboxes."""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.emulators.generator import (
    ASK_KINDS,
    DEMO_TODAY,
    OUTCOMES,
    build_demo_mailbox,
    generate_mailbox,
    load_demo_mailbox,
)
from connectors.emulators.mailbox import Mailbox

UTC = ZoneInfo("UTC")
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MSGID = re.compile(r"^[0-9a-f]{8,}@mail\.[a-z0-9.-]+\.[a-z]+$")


def _mailbox(seed: int = 11, sent: int = 1200, ask_share: float = 0.03) -> Mailbox:
    return generate_mailbox(seed=seed, sent=sent, start=START, days=120, ask_share=ask_share)


def assert_coherent(mailbox: Mailbox, *, start: datetime, end: datetime) -> None:
    """Every structural invariant the generator promises, checked message by message."""
    by_msgid = {}
    ids = [m.id for m in mailbox]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    dates = [m.date for m in mailbox]
    assert dates == sorted(dates)
    for message in mailbox:
        assert message.date.utcoffset() == timedelta(0)
        assert start <= message.date < end
        assert MSGID.match(message.message_id), message.message_id
        assert message.message_id not in by_msgid, "Message-IDs are unique"
        assert message.sender.email == message.sender.email.lower()
        assert all(p.email == p.email.lower() for p in (*message.to, *message.cc))
        assert message.text or message.html
        if message.direction == "sent":
            assert message.sender.email == mailbox.owner.email
        else:
            assert mailbox.owner in message.to
        if message.in_reply_to is not None:
            parent = by_msgid.get(message.in_reply_to)
            assert parent is not None, "in_reply_to names an earlier message"
            assert parent.thread == message.thread
            assert parent.date < message.date
            assert message.references[-1] == message.in_reply_to
            assert message.references[:-1] == parent.references
        else:
            assert message.references == ()
        by_msgid[message.message_id] = message


def test_generate_mailbox_is_deterministic_for_a_seed():
    first = _mailbox(seed=5, sent=600)
    second = _mailbox(seed=5, sent=600)
    other = _mailbox(seed=6, sent=600)
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    assert json.dumps(first.to_json()) != json.dumps(other.to_json())


@pytest.mark.parametrize("sent", [0, 1, 7, 250, 1000])
def test_generate_mailbox_has_exactly_the_sent_count(sent):
    mailbox = generate_mailbox(seed=sent, sent=sent, start=START, days=30)
    assert len(mailbox.sent) == sent
    assert len(mailbox) >= sent


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generate_mailbox_threads_are_coherent(seed):
    mailbox = _mailbox(seed=seed, sent=1500)
    assert_coherent(mailbox, start=START, end=START + timedelta(days=120))
    threads = Counter(m.thread for m in mailbox)
    assert sum(1 for n in threads.values() if n > 1) > 100
    # thread keys follow first appearance
    seen: list[str] = []
    for message in mailbox:
        if message.thread not in seen:
            seen.append(message.thread)
    assert seen == sorted(seen)


def test_generate_mailbox_ask_share_and_every_kind_and_outcome():
    mailbox = _mailbox(sent=2000, ask_share=0.02)
    asks = [m for m in mailbox.sent if m.truth.is_ask]
    assert len(asks) == 40
    assert set(Counter(m.truth.kind for m in asks)) == set(ASK_KINDS)
    outcomes = Counter(m.truth.outcome for m in mailbox if m.truth.outcome)
    assert set(outcomes) == set(OUTCOMES)
    assert len(mailbox.ask_threads()) == 40


def test_generate_mailbox_ground_truth_is_consistent():
    mailbox = _mailbox(sent=2000)
    ask_threads = mailbox.ask_threads()
    first_sent: dict[str, str] = {}
    for message in mailbox:
        truth = message.truth
        if message.direction == "sent":
            assert truth.is_ask is not None and truth.outcome is None
            first_sent.setdefault(message.thread, message.id)
            if truth.is_ask:
                assert truth.kind in ASK_KINDS
                assert first_sent[message.thread] == message.id, "an ask is the first sent"
                text = f"{message.subject}\n{message.text or html.unescape(message.html or '')}"
                assert truth.company is None or truth.company in text
            else:
                assert truth.kind is None
        else:
            assert truth.is_ask is None and truth.kind is None
            if truth.outcome is not None:
                assert truth.outcome in OUTCOMES
                assert message.thread in ask_threads


def test_generate_mailbox_replies_come_from_the_person_asked():
    mailbox = _mailbox(sent=2000)
    by_msgid = {m.message_id: m for m in mailbox}
    for message in mailbox:
        if message.truth.outcome is None:
            continue
        chain = [by_msgid[r] for r in message.references]
        ask = next(m for m in chain if m.direction == "sent")
        assert ask.truth.is_ask
        asked = {p.email for p in ask.to}
        if message.truth.outcome == "bounce":
            assert re.match(r"(mailer-daemon|postmaster)@", message.sender.email)
            assert message.headers["Content-Type"].startswith("multipart/report")
            assert message.headers["Auto-Submitted"] == "auto-replied"
            assert re.search(r"5\d\d 5\.\d\.\d+", message.text or "")
            assert any(address in (message.text or "") for address in asked)
        else:
            assert message.sender.email in asked
            if message.truth.outcome == "auto_reply":
                assert message.headers["Auto-Submitted"] == "auto-replied"


def test_generate_mailbox_some_asks_answer_a_contacts_message():
    mailbox = _mailbox(sent=4000)
    by_msgid = {m.message_id: m for m in mailbox}
    asks = [m for m in mailbox.sent if m.truth.is_ask]
    in_reply = [m for m in asks if m.in_reply_to]
    assert 0 < len(in_reply) < len(asks) // 4
    for ask in in_reply:
        parent = by_msgid[ask.in_reply_to]
        assert parent.direction == "received" and parent.sender in ask.to
        assert ask.subject.startswith("Re: ")


def test_generate_mailbox_phrasing_varies():
    mailbox = _mailbox(sent=4000)
    asks = [m for m in mailbox.sent if m.truth.is_ask]
    bodies = {m.text or m.html for m in asks}
    assert len(bodies) == len(asks)
    assert any(m.html for m in asks)
    never_refer = [m for m in asks if "refer" not in (m.text or m.html or "").lower()]
    assert len(never_refer) > len(asks) // 3
    negatives = [
        m
        for m in mailbox.sent
        if not m.truth.is_ask and re.search(r"refer|recommend|intro", m.text or m.html or "", re.I)
    ]
    assert len(negatives) > 100


def test_generate_mailbox_rejects_bad_arguments():
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_mailbox(seed=1, sent=5, start=datetime(2026, 1, 1), days=5)
    with pytest.raises(ValueError, match="IANA"):
        generate_mailbox(seed=1, sent=5, start=START, days=5, time_zone="Mars/Olympus")
    with pytest.raises(ValueError, match="ask_share"):
        generate_mailbox(seed=1, sent=5, start=START, days=5, ask_share=2)


def test_generate_mailbox_ten_thousand_sent_timing():
    began = time.perf_counter()
    mailbox = generate_mailbox(seed=42, sent=10_000, start=START, days=365)
    elapsed = time.perf_counter() - began
    print(
        json.dumps(
            {"sent": len(mailbox.sent), "messages": len(mailbox), "build_s": round(elapsed, 2)}
        )
    )
    assert len(mailbox.sent) == 10_000


@pytest.mark.parametrize("provider", ["gmail", "graph"])
def test_load_demo_mailbox_matches_the_generator(provider):
    loaded = load_demo_mailbox(provider)
    assert loaded.to_json() == build_demo_mailbox(provider).to_json()
    assert_coherent(loaded, start=DEMO_TODAY - timedelta(days=100), end=DEMO_TODAY)
    assert 250 <= len(loaded.sent) <= 400


@pytest.mark.parametrize("provider", ["gmail", "graph"])
def test_load_demo_mailbox_has_every_digest_situation(provider):
    mailbox = load_demo_mailbox(provider)
    zone = ZoneInfo(mailbox.time_zone)
    today = DEMO_TODAY.astimezone(zone).date()
    threads: dict[str, list] = {}
    for message in mailbox:
        threads.setdefault(message.thread, []).append(message)
    # each ask thread from its ask on (a contact may have written first)
    asks = [
        msgs[next(i for i, m in enumerate(msgs) if m.truth.is_ask) :]
        for key, msgs in threads.items()
        if key in mailbox.ask_threads()
    ]
    assert 12 <= len(asks) <= 30
    assert {msgs[0].truth.kind for msgs in asks} == set(ASK_KINDS)

    def business_days_ago(moment: datetime) -> int:
        day, count = moment.astimezone(zone).date(), 0
        while day < today:
            day += timedelta(days=1)
            count += day.weekday() < 5
        return count

    silent = [msgs for msgs in asks if len(msgs) == 1]
    assert any(6 <= business_days_ago(msgs[0].date) <= 8 for msgs in silent), "follow-up due"
    assert any(business_days_ago(msgs[0].date) <= 2 for msgs in silent), "waiting"
    nudged = [msgs for msgs in asks if [m.direction for m in msgs] == ["sent", "sent"]]
    assert nudged, "an ask already nudged once, still silent"
    last = Counter(msgs[-1].truth.outcome for msgs in asks)
    for outcome in ("agreed", "done", "declined", "needs_info", "bounce", "auto_reply"):
        assert last[outcome] >= 1, outcome
    for msgs in asks:
        if msgs[-1].truth.outcome == "auto_reply" and business_days_ago(msgs[-1].date) <= 5:
            text = msgs[-1].text or ""
            break
    else:
        pytest.fail("no recent out-of-office")
    assert text
    thanked = [msgs for msgs in asks if msgs[-1].direction == "sent" and len(msgs) > 2]
    assert thanked, "finished threads the user closed with a thank-you"
    assert all(m.date < DEMO_TODAY for m in mailbox)
