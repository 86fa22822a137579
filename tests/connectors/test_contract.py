"""The connector contract: the same scenarios against every provider's connector over its emulator.

Each test runs once per provider in ``PROVIDERS`` on the same generated mailbox, so Gmail and
Microsoft 365 cannot drift apart on what sync relies on: what an initial sync brings (every ask
with its body and its replies), what a quiet sync costs (one HTTP request), that new replies come
back incrementally, that nothing is yielded twice in a round, how a ``MailMessage`` is normalized
(``connectors/base.py``), how a revoked grant and a lost sync state surface, sending and finding a
sent message, and the profile. Nothing sleeps: connectors get a fake clock whose sleep is free.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest

from connectors.base import HEADERS_THAT_MATTER, Address, MailMessage, OutgoingMessage
from connectors.emulators.mailbox import FixtureMessage, Mailbox
from connectors.errors import AuthExpired
from tests.connectors.contract_fixtures import (
    PROVIDERS,
    Harness,
    Recorder,
    contract_mailbox,
    late_reply,
    open_harness,
    replies_to_asks,
)

_BARE_ID = re.compile(r"^[^<>\s]+$")


@pytest.fixture(scope="module")
def mailbox() -> Mailbox:
    return contract_mailbox()


@pytest.fixture(params=PROVIDERS)
def harness(request: pytest.FixtureRequest, mailbox: Mailbox) -> Iterator[Harness]:
    # Each test gets its own copy: emulators add delivered and sent mail to their mailbox.
    fresh = Mailbox(owner=mailbox.owner, time_zone=mailbox.time_zone, messages=list(mailbox))
    with open_harness(request.param, fresh) as h:
        yield h


def _initial(harness: Harness) -> Recorder:
    recorder = Recorder.for_mailbox(harness.mailbox)
    recorder.run(harness.connector)
    assert recorder.finished, f"{harness.provider}: the initial sync never marked a page done"
    return recorder


def test_contract_initial_sync_yields_every_ask_with_body_and_its_replies(
    harness: Harness,
) -> None:
    recorder = _initial(harness)
    got = recorder.by_message_id()
    replies = replies_to_asks(harness.mailbox)
    assert len(replies) >= 8, "the contract mailbox has asks to find"
    for ask_id, answers in replies.items():
        ask = got.get(ask_id)
        assert ask is not None, f"{harness.provider}: ask {ask_id} was not synced"
        assert ask.direction == "sent" and ask.has_body, f"{harness.provider}: ask {ask_id} body"
        for fixture in answers:
            reply = got.get(fixture.message_id)
            assert reply is not None, f"{harness.provider}: reply {fixture.message_id} missing"
            assert reply.direction == "received"
            assert reply.has_body, f"{harness.provider}: reply {fixture.message_id} has no body"
            assert reply.thread_key == ask.thread_key
    assert any(answers for answers in replies.values()), "some asks were answered"
    assert set(recorder.cursors), "the last page carries the cursors"


def test_contract_no_change_sync_yields_nothing_and_costs_one_request(harness: Harness) -> None:
    recorder = _initial(harness)
    stored = dict(recorder.messages)
    before = harness.http_requests()
    again = recorder.run(harness.connector)
    assert again == []
    assert harness.http_requests() - before == 1
    assert recorder.messages == stored
    # and a second quiet round costs the same: the cursor it left is as good as the first one
    before = harness.http_requests()
    assert recorder.run(harness.connector) == []
    assert harness.http_requests() - before == 1


def test_contract_new_reply_comes_back_in_the_incremental_sync(harness: Harness) -> None:
    recorder = _initial(harness)
    reply = late_reply(harness.mailbox)
    harness.deliver(reply)
    new = recorder.run(harness.connector)
    assert [m.message_id for m in new] == [reply.message_id]
    message = new[0]
    assert message.direction == "received" and message.has_body
    assert message.in_reply_to == reply.in_reply_to
    ask = recorder.by_message_id()[reply.in_reply_to]
    assert message.thread_key == ask.thread_key
    assert "passed your name along" in (message.body_text or message.body_html or "")


def test_contract_never_yields_a_message_twice_in_a_round(harness: Harness) -> None:
    recorder = _initial(harness)
    for n in range(1, 4):
        harness.deliver(late_reply(harness.mailbox, n=n, ask_index=n))
    recorder.run(harness.connector)
    harness.expire_cursor()
    harness.deliver(late_reply(harness.mailbox, n=9, ask_index=5))
    recorder.run(harness.connector)
    assert len(recorder.rounds) == 3
    for number, ids in enumerate(recorder.rounds):
        twice = [pid for pid, count in Counter(ids).items() if count > 1]
        assert not twice, f"{harness.provider}: round {number} yielded {twice} more than once"
    # nor across rounds: a stored message is never yielded again
    everything = [pid for ids in recorder.rounds for pid in ids]
    assert len(everything) == len(set(everything))


def _assert_bare(value: str | None, what: str) -> None:
    assert value is None or _BARE_ID.match(value), f"{what} {value!r} is not a bare id"


def _assert_normalized(message: MailMessage, fixture: FixtureMessage, provider: str) -> None:
    assert message.provider == provider
    assert message.provider_id and message.thread_key
    assert message.sent_at.tzinfo is not None
    assert message.sent_at.utcoffset() == timedelta(0)
    assert abs(message.sent_at - fixture.date) < timedelta(seconds=1)
    people: tuple[Address, ...] = (message.sender, *message.to, *message.cc)
    for address in people:
        assert address.email == address.email.lower().strip() and "@" in address.email
    assert message.sender.email == fixture.sender.email.lower()
    assert [a.email for a in message.to] == [p.email.lower() for p in fixture.to]
    assert [a.email for a in message.cc] == [p.email.lower() for p in fixture.cc]
    _assert_bare(message.message_id, "message_id")
    _assert_bare(message.in_reply_to, "in_reply_to")
    for ref in message.references:
        _assert_bare(ref, "reference")
    assert message.message_id == fixture.message_id
    assert message.in_reply_to == fixture.in_reply_to
    assert message.references == tuple(fixture.references)
    assert message.subject == fixture.subject
    assert message.direction == fixture.direction
    assert all(k == k.lower() for k in message.headers), sorted(message.headers)
    assert set(message.headers) <= HEADERS_THAT_MATTER, sorted(message.headers)
    wanted = {k.lower() for k in fixture.headers} & HEADERS_THAT_MATTER - {"content-type"}
    assert wanted <= set(message.headers), f"{provider} dropped {wanted - set(message.headers)}"
    assert message.web_link and message.web_link.startswith("https://")


def test_contract_every_message_is_normalized(harness: Harness) -> None:
    recorder = _initial(harness)
    harness.deliver(late_reply(harness.mailbox, n=2))
    recorder.run(harness.connector)
    fixtures = harness.fixtures()
    assert len(recorder.messages) >= 20
    for message in recorder.messages.values():
        assert message.message_id in fixtures, f"unknown message {message.message_id!r}"
        _assert_normalized(message, fixtures[message.message_id], harness.provider)
    # one conversation ↔ one thread key, and different conversations never share one
    keys: dict[str, set[str]] = {}
    for message in recorder.messages.values():
        keys.setdefault(fixtures[str(message.message_id)].thread, set()).add(message.thread_key)
    assert all(len(k) == 1 for k in keys.values())
    assert len({next(iter(k)) for k in keys.values()}) == len(keys)


def test_contract_revoked_grant_raises_auth_expired(harness: Harness) -> None:
    recorder = _initial(harness)
    harness.revoke()
    with pytest.raises(AuthExpired):
        recorder.run(harness.connector)
    with pytest.raises(AuthExpired):
        harness.make().get_profile()


def test_contract_cursor_expiry_recovers_with_nothing_lost_or_duplicated(
    harness: Harness,
) -> None:
    recorder = _initial(harness)
    before = dict(recorder.messages)
    reply = late_reply(harness.mailbox, n=3, ask_index=2)
    harness.deliver(reply)
    harness.expire_cursor()
    new = recorder.run(harness.connector)
    assert [m.message_id for m in new] == [reply.message_id], "only the new reply comes back"
    assert set(recorder.messages) == set(before) | {new[0].provider_id}
    assert new[0].has_body
    # the fresh cursor works: a quiet sync after the recovery yields nothing
    assert recorder.run(harness.connector) == []


def test_contract_kill_between_pages_resumes_with_nothing_lost(harness: Harness) -> None:
    """A run killed after each page of messages, restarted by a new process each time, ends
    where one uninterrupted run does."""
    whole = _initial(harness)
    assert len(whole.rounds[0]) > 0
    killed = Recorder.for_mailbox(harness.mailbox)
    for _ in range(50):
        killed.run(harness.make(), stop_after=1)  # a new connector each time: a new process
        if killed.finished:
            break
    assert killed.finished, f"{harness.provider}: never finished one page at a time"
    assert len(killed.rounds) >= 2, "the initial sync spans more than one page"
    assert set(killed.messages) == set(whole.messages)
    assert {k: m.has_body for k, m in killed.messages.items()} == {
        k: m.has_body for k, m in whole.messages.items()
    }
    # and the cursor it ends with is as good as the uninterrupted run's
    before = harness.http_requests()
    assert killed.run(harness.connector) == []
    assert harness.http_requests() - before == 1


def test_contract_send_then_find_sent(harness: Harness) -> None:
    owner = Address(harness.owner, harness.mailbox.owner.name)
    outgoing = OutgoingMessage(
        sender=owner,
        to=(owner,),
        subject="Your referral digest",
        text="Two follow-ups are due today.",
        html="<p>Two follow-ups are due today.</p>",
        message_id="digest-2026-05-08.contract@reftrack.invalid",
        headers={"X-Reftrack-Digest": "digest-2026-05-08.contract@reftrack.invalid"},
    )
    assert not harness.connector.find_sent(outgoing.message_id)
    harness.connector.send(outgoing)
    assert harness.connector.find_sent(outgoing.message_id)
    assert harness.connector.find_sent(f"<{outgoing.message_id}>")
    assert not harness.connector.find_sent("never-sent.contract@reftrack.invalid")


def test_contract_get_profile_returns_the_owner(harness: Harness) -> None:
    profile = harness.connector.get_profile()
    assert profile.address == harness.owner.lower()
