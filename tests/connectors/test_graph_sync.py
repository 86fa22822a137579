"""GraphConnector against the Graph emulator: initial/incremental sync, faults, moves, sending.

``MiniStore`` (graph_fixtures) plays the orchestrator: page and cursors committed together.
Nothing here sleeps: the connector's ``sleep`` only records the delays it would have waited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from graph_fixtures import START, TOKEN, Killed, MiniStore, make_connector, small_mailbox

from connectors.base import Address, OutgoingMessage
from connectors.emulators.graph import Fault, GraphEmulator, conversation_id, immutable_id
from connectors.emulators.mailbox import FixtureMessage, Mailbox
from connectors.errors import AuthExpired, RateLimited, Transient


@pytest.fixture
def mailbox() -> Mailbox:
    return small_mailbox()


@pytest.fixture
def emulator(mailbox: Mailbox) -> Iterator[GraphEmulator]:
    with GraphEmulator(mailbox, token=TOKEN) as emu:
        yield emu


def _truth(emu: GraphEmulator) -> dict[str, set[str]]:
    return {folder: emu.folder_ids(folder) for folder in ("sentitems", "inbox")}


def _stored(store: MiniStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"sentitems": set(), "inbox": set()}
    for message in store.messages.values():
        out[message.folder].add(message.provider_id)
    return out


def _new_reply(mailbox: Mailbox, *, n: int) -> FixtureMessage:
    ask = next(m for m in mailbox.sent if m.truth.is_ask)
    return FixtureMessage(
        id=f"late{n}",
        thread=ask.thread,
        message_id=f"late{n}@mail.example.org",
        sender=ask.to[0],
        to=(mailbox.owner,),
        subject="Re: " + ask.subject,
        date=START + timedelta(days=59, hours=n),
        direction="received",
        text="Happy to help, I sent your profile over.",
        in_reply_to=ask.message_id,
        references=(ask.message_id,),
    )


def test_graph_sync_initial_fetches_both_folders_with_delta_cursors(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(emulator.mailbox)
    assert store.run(connector)
    assert _stored(store) == _truth(emulator)
    assert len(store.yielded) == len(set(store.yielded)) == len(mailbox)
    assert set(store.cursors) == {"sentitems", "inbox"}
    assert all("deltatoken" in c for c in store.cursors.values())
    fixtures = {immutable_id(f.id): f for f in mailbox}
    for pid, message in store.messages.items():
        fx = fixtures[pid]
        assert message.direction == fx.direction
        assert message.thread_key == conversation_id(fx.thread)
        assert message.message_id == fx.message_id
        assert message.in_reply_to == fx.in_reply_to
        assert message.references == fx.references
        assert message.sent_at == fx.date
        assert message.web_link and pid in message.web_link.replace("%3D", "=")
        assert set(message.headers) <= {
            "content-type",
            "auto-submitted",
            "x-autoreply",
            "x-autorespond",
            "x-auto-response-suppress",
            "precedence",
            "x-failed-recipients",
            "return-path",
            "list-id",
            "list-unsubscribe",
            "x-ms-exchange-generated-message-source",
            "x-reftrack-digest",
        }
        for name, value in fx.headers.items():
            if name.lower() in message.headers:
                assert message.headers[name.lower()] == value
    # Sent mail comes with its body; received mail only in threads of candidate asks.
    assert all(m.has_body for m in store.messages.values() if m.direction == "sent")
    ask_threads = {
        m.thread_key for m in store.messages.values() if m.message_id in store.candidate_ids
    }
    replies = [m for m in store.messages.values() if m.direction == "received" and m.has_body]
    assert replies and all(m.thread_key in ask_threads for m in replies)
    for m in store.messages.values():
        fx = fixtures[m.provider_id]
        if m.has_body:
            assert (m.body_html if fx.html is not None else m.body_text) == (fx.html or fx.text)


@pytest.mark.parametrize("bodies", ["relevant", "all"])
def test_graph_sync_body_modes(emulator: GraphEmulator, mailbox: Mailbox, bodies: str) -> None:
    connector = make_connector(emulator.graph_endpoint)
    connector.bodies = bodies  # type: ignore[assignment]
    store = MiniStore.for_mailbox(mailbox)
    assert store.run(connector)
    with_body = {m.provider_id for m in store.messages.values() if m.has_body}
    if bodies == "all":
        assert with_body == set(store.messages)
        assert not any("$batch" in line for line in emulator.log)
    else:
        asks = {immutable_id(m.id) for m in mailbox.sent if m.truth.is_ask}
        sent_with_body = {i for i in with_body if store.messages[i].direction == "sent"}
        assert sent_with_body == asks


def test_graph_sync_no_change_is_one_request(emulator: GraphEmulator) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(emulator.mailbox)
    store.run(connector)
    before, cursors = emulator.requests, dict(store.cursors)
    assert store.run(connector)
    assert emulator.requests - before == 1
    assert emulator.log[-1].startswith("POST /v1.0/$batch")
    assert store.cursors.keys() == cursors.keys()


def test_graph_sync_incremental_gets_only_new_mail(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(emulator.mailbox)
    store.run(connector)
    first = len(store.yielded)
    reply = _new_reply(mailbox, n=1)
    new_id = emulator.add_message(reply)
    before = emulator.requests
    assert store.run(connector)
    assert store.yielded[first:] == [new_id]
    stored = store.messages[new_id]
    assert stored.direction == "received" and stored.in_reply_to == reply.in_reply_to
    assert stored.body_text == reply.text  # its thread is tracked: body fetched
    assert emulator.requests - before == 2  # the $batch of both deltas + one body $batch


def test_graph_sync_since_bounds_the_initial_window(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    since = START + timedelta(days=30)
    store = MiniStore.for_mailbox(emulator.mailbox)
    assert store.run(make_connector(emulator.graph_endpoint), since=since)
    expected = {immutable_id(f.id) for f in mailbox if f.date >= since}
    assert set(store.messages) == expected and 0 < len(expected) < len(mailbox)
    assert any("receivedDateTime" in line for line in emulator.log)


def test_graph_sync_killed_between_pages_loses_and_duplicates_nothing(
    emulator: GraphEmulator,
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(emulator.mailbox)
    for die_after in (2, 3, 1):
        with pytest.raises(Killed):
            store.run(connector, die_after=die_after)
    assert store.run(connector)
    assert _stored(store) == _truth(emulator)
    assert len(store.yielded) == len(set(store.yielded))


INCREMENTAL = ("deltalink", "batch", "message")
FAULTS = [
    Fault("429", on="delta", retry_after=7),
    Fault("429-no-retry-after", on="delta", times=2),
    Fault("503", on="nextlink", retry_after=3),
    Fault("504", on="delta", times=3),
    Fault("drop", on="delta"),
    Fault("drop", on="batch"),
    Fault("429", on="batch", retry_after=2),
    Fault("503", on="message", times=2, retry_after=1),
    Fault("429", on="message", retry_after=4),
    Fault("duplicate", on="nextlink", times=3),
    Fault("410", on="nextlink"),
    Fault("410", on="deltalink"),
    Fault("410", on="deltalink", times=2),
]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.kind}-{f.on}-x{f.times}")
def test_graph_sync_fault_loses_and_duplicates_nothing(
    emulator: GraphEmulator, mailbox: Mailbox, fault: Fault
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(emulator.mailbox)
    if fault.on in INCREMENTAL:
        store.run(connector)  # these faults hit incremental rounds
        emulator.add_message(_new_reply(mailbox, n=1))
        emulator.add_message(_new_reply(mailbox, n=2))
    emulator.inject(replace(fault))
    assert store.run(connector)
    assert store.run(connector)  # and the next round is clean
    assert _stored(store) == _truth(emulator)
    assert len(store.yielded) == len(set(store.yielded)), "a message was yielded twice"
    late = [store.messages[immutable_id(f"late{n}")] for n in (1, 2) if fault.on in INCREMENTAL]
    assert all(m.has_body for m in late)  # replies in a tracked thread keep their bodies
    if fault.kind in ("429", "503"):
        assert float(fault.retry_after) in connector.sleeps  # type: ignore[attr-defined]
    if fault.kind in ("429-no-retry-after", "504", "drop"):
        assert connector.sleeps and all(s <= 60 for s in connector.sleeps)  # type: ignore[attr-defined]


def test_graph_sync_moved_and_deleted_messages_are_removed(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(emulator.mailbox)
    store.run(connector)
    inbox_id = sorted(emulator.folder_ids("inbox"))[0]
    sent_id = sorted(emulator.folder_ids("sentitems"))[0]
    emulator.move_message(inbox_id, "archive")
    emulator.delete_message(sent_id)
    emulator.touch_message(sorted(emulator.folder_ids("inbox"))[1])  # flag change: nothing to store
    assert store.run(connector)
    assert inbox_id in store.removed and sent_id in store.removed
    assert inbox_id not in store.messages and sent_id not in store.messages
    assert _stored(store) == _truth(emulator)
    # Moving it back brings it in again under the same (immutable) id.
    emulator.move_message(inbox_id, "inbox")
    assert store.run(connector)
    assert inbox_id in store.messages
    assert len(store.yielded) == len(set(store.yielded)) + 1  # yielded again once, after removal


def test_graph_sync_retries_exhausted_raise_rate_limited_or_transient(
    emulator: GraphEmulator,
) -> None:
    emulator.inject(Fault("429", on="delta", times=50, retry_after=30))
    with pytest.raises(RateLimited) as err:
        MiniStore().run(make_connector(emulator.graph_endpoint))
    assert err.value.retry_after == 30
    emulator._faults.clear()
    emulator.inject(Fault("429", on="delta", times=1, retry_after=600))  # longer than one run waits
    connector = make_connector(emulator.graph_endpoint)
    with pytest.raises(RateLimited) as err:
        MiniStore().run(connector)
    assert err.value.retry_after == 600 and connector.sleeps == []  # type: ignore[attr-defined]
    emulator.expire_delta_links()
    emulator._faults.clear()
    emulator.inject(Fault("504", on="delta", times=50))
    with pytest.raises(Transient, match="next sync"):
        MiniStore().run(make_connector(emulator.graph_endpoint))


def test_graph_sync_revoked_token_raises_auth_expired(emulator: GraphEmulator) -> None:
    emulator.revoke()
    with pytest.raises(AuthExpired, match="reftrack auth outlook"):
        MiniStore().run(make_connector(emulator.graph_endpoint))


def test_graph_send_then_find_sent(emulator: GraphEmulator, mailbox: Mailbox) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(emulator.mailbox)
    store.run(connector)
    assert not connector.find_sent("digest-1@reftrack.invalid")
    outgoing = OutgoingMessage(
        sender=Address(mailbox.owner.email),
        to=(Address(mailbox.owner.email),),
        subject="Your referral digest",
        text="2 follow-ups due",
        html="<p>2 follow-ups due</p>",
        message_id="digest-1@reftrack.invalid",
    )
    emulator.inject(Fault("429", on="sendMail", retry_after=2))
    assert connector.send(outgoing) == ""
    assert connector.find_sent("<digest-1@reftrack.invalid>")
    assert len([m for m in mailbox.sent if m.subject == "Your referral digest"]) == 1
    store.run(connector)
    digest = next(m for m in store.messages.values() if m.message_id == "digest-1@reftrack.invalid")
    assert digest.headers.get("x-reftrack-digest") == "digest-1@reftrack.invalid"


def test_graph_find_sent_falls_back_to_digest_header(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    emulator.honor_internet_message_id = False  # the server assigns its own Message-ID
    connector = make_connector(emulator.graph_endpoint)
    outgoing = OutgoingMessage(
        sender=Address(mailbox.owner.email),
        to=(Address(mailbox.owner.email),),
        subject="Your referral digest",
        text="nothing due",
        html=None,
        message_id="digest-3@reftrack.invalid",
    )
    assert not connector.find_sent(outgoing.message_id)
    connector.send(outgoing)
    assert connector.find_sent(outgoing.message_id)
    assert not connector.find_sent("digest-4@reftrack.invalid")


def test_graph_send_unknown_outcome_is_not_retried(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    emulator.inject(Fault("504", on="sendMail"))
    outgoing = OutgoingMessage(
        sender=Address(mailbox.owner.email),
        to=(Address("x@example.org"),),
        subject="s",
        text="t",
        html=None,
        message_id="digest-2@reftrack.invalid",
    )
    with pytest.raises(Transient):
        connector.send(outgoing)
    assert emulator.log.count(next(x for x in emulator.log if "sendMail" in x)) == 1


def test_graph_send_lost_answer_is_settled_by_find_sent(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    outgoing = OutgoingMessage(
        sender=Address(mailbox.owner.email),
        to=(Address(mailbox.owner.email),),
        subject="Your referral digest",
        text="t",
        html=None,
        message_id="digest-5@reftrack.invalid",
    )
    emulator.inject(Fault("drop-after", on="sendMail"))
    with pytest.raises(Transient):
        connector.send(outgoing)
    assert connector.find_sent(outgoing.message_id)  # it went: the caller must not send again
    emulator.inject(Fault("drop", on="sendMail"))
    lost = replace(outgoing, message_id="digest-6@reftrack.invalid")
    with pytest.raises(Transient):
        connector.send(lost)
    assert not connector.find_sent(lost.message_id)  # it did not go: safe to send again


def test_graph_get_profile_reads_me(emulator: GraphEmulator) -> None:
    profile = make_connector(emulator.graph_endpoint).get_profile()
    assert profile.address == "alex.morgan@gmail.com"
    assert profile.display_name == "Alex Morgan"
    assert profile.time_zone == "America/New_York"


def test_graph_sync_uses_immutable_ids_across_moves(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    store = MiniStore.for_mailbox(emulator.mailbox)
    store.run(make_connector(emulator.graph_endpoint))
    assert set(store.messages) == {immutable_id(f.id) for f in mailbox}


def test_graph_body_fetches_are_batched_by_twenty(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint, page_size=50)
    connector.bodies = "relevant"  # type: ignore[assignment]
    store = MiniStore(
        candidate_ids={m.message_id for m in mailbox.sent}
    )  # every sent is a candidate
    assert store.run(connector)
    assert all(m.has_body for m in store.messages.values() if m.direction == "sent")
    batches = [line for line in emulator.log if "$batch" in line]
    assert len(batches) >= -(-len(mailbox.sent) // 20)  # ≥ ceil(sent / 20): never more than 20 each


def test_graph_sync_mailbox_concurrency_429_is_retried(mailbox: Mailbox) -> None:
    with GraphEmulator(mailbox, token=TOKEN, max_concurrency=0) as emu:
        connector = make_connector(emu.graph_endpoint)
        with pytest.raises(RateLimited):
            connector.get_profile()
        assert connector.sleeps == [1.0] * (connector.max_attempts - 1)  # type: ignore[attr-defined]
        assert emu.concurrency_rejections == connector.max_attempts


def test_graph_sync_reply_waits_for_its_ask_in_a_busy_round(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint)  # 10 per page
    store = MiniStore.for_mailbox(mailbox)
    store.run(connector)
    owner, friend = mailbox.owner, mailbox.sent[0].to[0]
    when = START + timedelta(days=59)
    for n in range(12):  # more than a page of sent mail; the ask is on the second page
        emulator.add_message(
            FixtureMessage(
                id=f"busy{n}",
                thread=f"busy-thread-{n}",
                message_id=f"busy{n}@mail.example.org",
                sender=owner,
                to=(friend,),
                subject=f"Note {n}",
                date=when + timedelta(minutes=n),
                direction="sent",
                text="Could you refer me for the analyst role?" if n == 11 else "See you Tuesday.",
            )
        )
    store.candidate_ids = (store.candidate_ids or set()) | {"busy11@mail.example.org"}
    reply = FixtureMessage(
        id="busy-reply",
        thread="busy-thread-11",
        message_id="busy-reply@mail.example.org",
        sender=friend,
        to=(owner,),
        subject="Re: Note 11",
        date=when + timedelta(hours=2),
        direction="received",
        text="Done, I referred you this morning.",
        in_reply_to="busy11@mail.example.org",
        references=("busy11@mail.example.org",),
    )
    emulator.add_message(reply)
    assert store.run(connector)
    stored = store.messages[immutable_id("busy-reply")]
    assert stored.body_text == reply.text


def test_graph_sync_reply_in_new_conversation_gets_body_by_headers(
    emulator: GraphEmulator, mailbox: Mailbox
) -> None:
    connector = make_connector(emulator.graph_endpoint)
    store = MiniStore.for_mailbox(mailbox)
    store.run(connector)
    owner, friend = mailbox.owner, mailbox.sent[0].to[0]
    when = START + timedelta(days=59)
    ask = FixtureMessage(
        id="ask-x",
        thread="conv-a",
        message_id="ask-x@mail.example.org",
        sender=owner,
        to=(friend,),
        subject="Intro to Dana?",
        date=when,
        direction="sent",
        text="Would you introduce me to Dana?",
    )
    reply = FixtureMessage(
        id="reply-x",
        thread="conv-b",  # the replier's client started a new conversation
        message_id="reply-x@mail.example.org",
        sender=friend,
        to=(owner,),
        subject="Dana",
        date=when + timedelta(hours=1),
        direction="received",
        text="Introduced you two just now.",
        in_reply_to=ask.message_id,
        references=(ask.message_id,),
    )
    emulator.add_message(ask)
    emulator.add_message(reply)
    store.candidate_ids = (store.candidate_ids or set()) | {ask.message_id}
    assert store.run(connector)
    stored = store.messages[immutable_id("reply-x")]
    assert stored.thread_key != store.messages[immutable_id("ask-x")].thread_key
    assert stored.in_reply_to == ask.message_id and stored.body_text == reply.text
