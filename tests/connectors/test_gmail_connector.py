"""The Gmail connector driven through the real googleapiclient against the local emulator."""

from __future__ import annotations

import base64
import dataclasses
import email
import email.policy
import json
from collections import Counter
from datetime import timedelta

import google.auth.exceptions
import httplib2
import pytest
from gmail_fixtures import (
    NOW,
    START,
    FakeClock,
    FakeStore,
    connector,
    credentials,
    msg,
    small_mailbox,
)
from googleapiclient.errors import HttpError

from connectors.base import Address, OutgoingMessage
from connectors.emulators.gmail import FaultPlan, GmailEmulator
from connectors.errors import AuthExpired, ConnectorError, RateLimited, Transient
from connectors.gmail import Pacer, is_retryable, map_error
from core.classify import snippet_rules_out_ask


def _methods(emu: GmailEmulator, since: int = 0) -> Counter[str]:
    return Counter(c.method for c in emu.calls[since:] if c.status == 200)


def test_gmail_initial_sync_fetches_candidate_threads_with_replies() -> None:
    clock, store = FakeClock(), FakeStore()
    with GmailEmulator(small_mailbox()) as emu:
        store.sync(connector(emu, clock))
        got = store.by_message_id()
        # Both asks, the reply and the bounce; ordinary sent mail was never fetched.
        assert set(got) == {
            "id1@mail.example",
            "id2@mail.example",
            "id3@mail.example",
            "id4@mail.example",
        }
        ask, reply, html_ask, bounce = (got[f"id{i}@mail.example"] for i in (1, 2, 3, 4))
        assert ask.direction == "sent" and ask.body_text and "refer me" in ask.body_text
        assert reply.direction == "received" and reply.in_reply_to == "id1@mail.example"
        assert reply.body_html and "<b>referral</b>" in reply.body_html
        assert html_ask.body_text is None and html_ask.body_html and "Globex" in html_ask.body_html
        assert "It'd help" in html_ask.snippet  # Gmail's HTML-escaped snippet is unescaped
        assert bounce.headers["content-type"].startswith("multipart/report")
        assert bounce.body_text and "Status: 5.1.1" in bounce.body_text
        assert ask.web_link == f"https://mail.google.com/mail/u/0/#all/{ask.thread_key}"
        assert ask.sent_at == START + timedelta(days=1)
        assert ask.sender.email == "me@example.com" and ask.to[0].email == "ann@corp.example"
        cursor = json.loads(store.cursors["history"])
        assert cursor["phase"] == "history" and int(cursor["history_id"]) == emu.history_id
        calls = _methods(emu)
        assert calls["messages.get"] == 0 and calls["threads.get"] == 2


def test_gmail_noop_sync_costs_one_call() -> None:
    clock, store = FakeClock(), FakeStore()
    with GmailEmulator(small_mailbox()) as emu:
        con = connector(emu, clock)
        store.sync(con)
        before = len(emu.calls)
        pages = store.sync(con)
        assert pages == 1
        assert [c.method for c in emu.calls[before:]] == ["history.list"]


def test_gmail_incremental_sync_keeps_sent_and_replies_in_known_threads() -> None:
    clock, store = FakeClock(), FakeStore()
    box = small_mailbox()
    with GmailEmulator(box) as emu:
        con = connector(emu, clock)
        store.sync(con)
        ask = box.messages[0]
        emu.add_message(
            msg(
                50,
                "t1",
                direction="received",
                subject="Re: again",
                text="Done, they will call you.",
                day=9,
                reply_to=ask,
            )
        )
        emu.add_message(msg(51, "n9", direction="received", subject="Sale", text="Buy now", day=9))
        emu.add_message(msg(52, "t9", direction="sent", subject="Dinner", text="Friday?", day=9))
        emu.add_message(
            msg(
                53,
                "t10",
                direction="sent",
                subject="Referral please",
                text="Could you refer me to Initech?",
                day=9,
            )
        )
        mark = len(emu.calls)
        store.sync(con)
        got = store.by_message_id()
        assert (got["id50@mail.example"].body_text or "").strip() == "Done, they will call you."
        assert "id51@mail.example" not in got  # noise in an unknown thread: never fetched
        assert got["id52@mail.example"].has_body is False  # not a candidate: metadata only
        assert got["id53@mail.example"].has_body
        assert _methods(emu, mark) == Counter({"history.list": 1, "messages.get": 3})
        assert json.loads(store.cursors["history"])["history_id"] == str(emu.history_id)


def test_gmail_history_404_recovers_with_bounded_resync_and_advances() -> None:
    clock, store = FakeClock(), FakeStore()
    box = small_mailbox()
    with GmailEmulator(box) as emu:
        con = connector(emu, clock)
        store.sync(con)
        writes = store.writes
        emu.add_message(
            msg(
                60,
                "t1",
                direction="received",
                subject="Re: x",
                text="Any news?",
                day=29,
                reply_to=box.messages[0],
            )
        )
        emu.add_message(
            msg(
                61,
                "t11",
                direction="sent",
                subject="An introduction?",
                text="Would you introduce me to Dee?",
                day=29,
            )
        )
        emu.expire_history()
        store.sync(con)
        got = store.by_message_id()
        assert (got["id60@mail.example"].body_text or "").strip() == "Any news?"
        assert got["id61@mail.example"].has_body
        assert store.writes - writes == 2  # known ids skipped: nothing fetched twice
        assert int(json.loads(store.cursors["history"])["history_id"]) == emu.history_id
        before = len(emu.calls)
        store.sync(con)
        assert [c.method for c in emu.calls[before:]] == ["history.list"]


def test_gmail_resume_after_kill_mid_initial_sync_refetches_nothing() -> None:
    box = small_mailbox()
    for i in range(120):  # enough ask threads for three batches of 50
        box.add(
            msg(
                1000 + i,
                f"r{i}",
                direction="sent",
                subject="Referral?",
                text="Could you refer me?",
                day=10 + i / 100,
            )
        )
    clock, store = FakeClock(), FakeStore()
    with GmailEmulator(box) as emu:
        assert store.sync(connector(emu, clock), stop_after=1) == 1
        assert json.loads(store.cursors["history"])["phase"] == "initial"
        store.sync(connector(emu, clock))
        calls = _methods(emu)
        assert calls["threads.get"] + calls["messages.get"] == 122  # each thread fetched once
        reference = FakeStore()
        reference.sync(connector(emu, FakeClock()))
        assert set(store.messages) == set(reference.messages)


@pytest.mark.parametrize(
    "plan",
    [
        FaultPlan(seed=1, error_rate=0.3, retry_after=2.0),
        FaultPlan(seed=2, drop_rate=0.2),
        FaultPlan(seed=3, batch_part_failure_rate=0.4),
        FaultPlan(seed=4, fail_next=[429, 500, 503, 403]),
    ],
    ids=["429-500-503", "dropped-connections", "partial-batch", "scripted"],
)
def test_gmail_faults_lose_and_duplicate_nothing(plan: FaultPlan) -> None:
    box = small_mailbox()
    for i in range(60):
        box.add(
            msg(
                2000 + i,
                f"f{i}",
                direction="sent",
                subject="Referral?",
                text="Could you refer me?",
                day=10 + i / 100,
            )
        )
    reference = FakeStore()
    with GmailEmulator(box) as clean:
        reference.sync(connector(clean, FakeClock()))
    clock, store = FakeClock(), FakeStore()
    with GmailEmulator(box, faults=plan) as emu:
        con = connector(emu, clock)
        store.sync(con)
        later = msg(
            2999,
            "t1",
            direction="received",
            subject="Re",
            text="ok",
            day=20,
            reply_to=box.messages[0],
        )
        emu.add_message(later)
        store.sync(con)
        assert con.retries > 0
    assert {m.message_id for m in store.messages.values()} == {
        m.message_id for m in reference.messages.values()
    } | {"id2999@mail.example"}
    assert len(store.messages) == len({m.message_id for m in store.messages.values()})


def test_gmail_partial_batch_failure_retries_only_failed_parts() -> None:
    box = small_mailbox()
    for i in range(40):
        box.add(
            msg(
                3000 + i,
                f"b{i}",
                direction="sent",
                subject="Referral?",
                text="Could you refer me?",
                day=10 + i / 100,
            )
        )
    with GmailEmulator(box, faults=FaultPlan(seed=5, batch_part_failure_rate=0.3)) as emu:
        FakeStore().sync(connector(emu, FakeClock()))
        gets = ("threads.get", "messages.get")
        ok = [c for c in emu.calls if c.method in gets and c.status == 200]
        failed = [c for c in emu.calls if c.method in gets and c.status != 200]
        assert failed and len(ok) == 42  # every thread served once; only failures were resent


def test_gmail_message_deleted_between_list_and_get_is_skipped() -> None:
    with GmailEmulator(small_mailbox(), faults=FaultPlan(delete_after_list=1)) as emu:
        store = FakeStore()
        store.sync(connector(emu, FakeClock()))
        # The newest hit (the introduction ask, thread t2) vanished after listing: no error.
        assert "id3@mail.example" not in store.by_message_id()
        assert "id1@mail.example" in store.by_message_id()


def test_gmail_retry_after_is_honoured() -> None:
    clock = FakeClock()
    with GmailEmulator(small_mailbox(), faults=FaultPlan(fail_next=[429], retry_after=7.0)) as emu:
        connector(emu, clock).get_profile()
    assert clock.sleeps and clock.sleeps[0] >= 7.0


def test_gmail_throttling_that_outlasts_retries_raises_rate_limited() -> None:
    with (
        GmailEmulator(
            small_mailbox(), faults=FaultPlan(fail_next=[429] * 20, retry_after=1.0)
        ) as emu,
        pytest.raises(RateLimited) as info,
    ):
        connector(emu, FakeClock()).get_profile()
    assert info.value.retry_after == 1.0


def test_gmail_expired_token_is_refreshed_and_persisted() -> None:
    seen: list[str] = []
    with GmailEmulator(small_mailbox()) as emu:
        creds = credentials(
            emu, token="stale-token", expiry=(NOW - timedelta(days=400)).replace(tzinfo=None)
        )
        con = connector(
            emu, FakeClock(), creds=creds, on_credentials=lambda c: seen.append(c.token)
        )
        assert con.get_profile().address == "me@example.com"
    assert seen and seen[-1].startswith("ya29.emu-")


def test_gmail_revoked_grant_raises_auth_expired() -> None:
    with GmailEmulator(small_mailbox()) as emu:
        con = connector(emu, FakeClock())
        emu.revoke()
        with pytest.raises(AuthExpired, match="reftrack auth gmail"):
            FakeStore().sync(con)


def test_gmail_send_builds_alternative_mime_and_find_sent_sees_it() -> None:
    with GmailEmulator(small_mailbox()) as emu:
        con = connector(emu, FakeClock())
        out = OutgoingMessage(
            sender=Address("me@example.com", "Me"),
            to=(Address("me@example.com"),),
            subject="Your reftrack digest",
            text="2 follow-ups due",
            html="<p>2 follow-ups due</p>",
            message_id="digest-1@reftrack.local",
            headers={"X-Reftrack-Digest": "2026-03-31"},
        )
        assert con.find_sent("digest-1@reftrack.local") is False
        gid = con.send(out)
        assert gid and con.find_sent("<digest-1@reftrack.local>") is True
        resp = emu.handle(
            "GET",
            f"/gmail/v1/users/me/messages/{gid}?format=raw",
            {"authorization": "Bearer emulator-access-token"},
            b"",
            in_batch=False,
        )
        raw = base64.urlsafe_b64decode(json.loads(resp[2])["raw"])
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
        assert parsed["X-Reftrack-Digest"] == "2026-03-31"


def test_gmail_send_after_ambiguous_failure_does_not_send_twice() -> None:
    with GmailEmulator(small_mailbox(), faults=FaultPlan(fail_next=[503])) as emu:
        con = connector(emu, FakeClock())
        out = OutgoingMessage(
            sender=Address("me@example.com"),
            to=(Address("me@example.com"),),
            subject="Digest",
            text="hi",
            html=None,
            message_id="digest-2@reftrack.local",
        )
        assert con.send(out)
        assert sum(1 for m in emu.mailbox if m.message_id == "digest-2@reftrack.local") == 1


def test_gmail_pacer_keeps_spend_under_the_per_minute_rate() -> None:
    clock = FakeClock()
    box = small_mailbox()
    for i in range(150):
        box.add(
            msg(
                4000 + i,
                f"q{i}",
                direction="sent",
                subject="Referral?",
                text="Could you refer me?",
                day=10 + i / 100,
            )
        )
    with GmailEmulator(box, enforce_rate=True, units_per_minute=2500, clock=clock) as emu:
        FakeStore().sync(connector(emu, clock, units_per_minute=2500))
        assert not [c for c in emu.calls if c.status == 429]
        assert emu.quota_units > 2500 and clock.t - 1000.0 >= 60.0


def test_gmail_pacer_waits_for_the_window_to_free_up() -> None:
    clock = FakeClock()
    pacer = Pacer(100, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        pacer.reserve(40)
    assert clock.t == pytest.approx(1120.0)  # 5 x 40 units at 100/min: two waits of 60 s


def test_gmail_resync_window_is_bounded_by_since() -> None:
    clock, store = FakeClock(), FakeStore()
    with GmailEmulator(small_mailbox()) as emu:
        con = connector(emu, clock)
        store.sync(con)
        emu.expire_history()
        mark = len(emu.calls)
        store.sync(con)
        lists = [c for c in emu.calls[mark:] if c.method == "messages.list"]
        assert len(lists) == 2  # sent hits, then replies in known threads
        assert _methods(emu, mark)["threads.get"] == 0  # everything was known already


def test_gmail_message_first_fetch_completes_only_candidate_threads() -> None:
    store = FakeStore()
    base = store.context()
    context = dataclasses.replace(
        base, is_candidate=lambda m: m.direction == "sent" and "Acme" in (m.body_text or "")
    )
    with GmailEmulator(small_mailbox()) as emu:
        con = connector(emu, FakeClock(), fetch="message")
        for page in con.sync({}, context=context):
            store.commit(page.messages, page.cursors, page.removed)
        got = store.by_message_id()
        # Both hits in full; the Acme ask's reply fetched; the other thread's bounce not.
        assert {"id1@mail.example", "id2@mail.example", "id3@mail.example"} == set(got)
        assert all(m.has_body for m in got.values())
        assert _methods(emu)["messages.get"] == 3 and _methods(emu)["threads.get"] == 0


def test_gmail_snippet_triage_fetches_no_hit_its_thread_snippet_rules_out() -> None:
    box = small_mailbox()
    thanks = msg(
        40, "x1", direction="sent", subject="Thanks!", day=8,
        text="Thanks again for the referral last month. Lunch is on me next time.",
    )  # fmt: skip
    answered = msg(
        41, "x2", direction="sent", subject="Program", day=8.5,
        text="Our referral program closes on Friday, FYI.",
    )  # fmt: skip
    later = msg(
        42, "x2", direction="received", subject="Re: Program", text="Noted.", day=9,
        reply_to=answered,
    )  # fmt: skip
    box.messages.extend([thanks, answered, later])
    store = FakeStore()
    seen: list[str] = []

    def rules_out(snippet: str) -> bool:
        seen.append(snippet)
        return snippet_rules_out_ask(snippet)

    context = dataclasses.replace(store.context(), rules_out=rules_out)
    with GmailEmulator(box) as emu:
        con = connector(emu, FakeClock(), fetch="message")
        for page in con.sync({}, context=context):
            store.commit(page.messages, page.cursors, page.removed)
        got = store.by_message_id()
        # The thank-you is its thread's newest message and its snippet says "no ask": never
        # fetched. The program note has a later reply, so its thread snippet is not its own:
        # fetched. The asks are fetched as before.
        assert "id40@mail.example" not in got and con.ruled_out == 1
        assert {"id1@mail.example", "id3@mail.example", "id41@mail.example"} <= set(got)
        assert not any(s == "Noted." for s in seen)  # another's snippet never judged
        assert _methods(emu)["threads.list"] == 1


def _http_error(status: int, reason: str = "", retry_after: str | None = None) -> HttpError:
    headers = {"status": str(status)}
    if retry_after:
        headers["retry-after"] = retry_after
    body = {"error": {"code": status, "message": "x", "errors": [{"reason": reason}]}}
    return HttpError(httplib2.Response(headers), json.dumps(body).encode())


@pytest.mark.parametrize(
    ("exc", "retryable", "mapped"),
    [
        (_http_error(429, "rateLimitExceeded", "3"), True, RateLimited),
        (_http_error(403, "userRateLimitExceeded"), True, RateLimited),
        (_http_error(403, "insufficientPermissions"), False, AuthExpired),
        (_http_error(401, "authError"), False, AuthExpired),
        (_http_error(500, "backendError"), True, Transient),
        (_http_error(503), True, Transient),
        (_http_error(400, "invalidArgument"), False, ConnectorError),
        (TimeoutError("read timed out"), True, Transient),
        (ConnectionResetError(), True, Transient),
        (
            google.auth.exceptions.RefreshError(
                "invalid_grant: Token has been expired or revoked."
            ),
            False,
            AuthExpired,
        ),
    ],
)
def test_gmail_errors_are_classified_and_mapped_in_one_place(
    exc: BaseException, retryable: bool, mapped: type
) -> None:
    assert is_retryable(exc) is retryable
    error = map_error(exc)
    assert type(error) is mapped
    assert str(error).endswith(".") or str(error).endswith("again.")
    if (
        isinstance(error, RateLimited)
        and isinstance(exc, HttpError)
        and exc.resp.get("retry-after")
    ):
        assert error.retry_after == 3.0


def test_gmail_resume_after_kill_mid_incremental_sync_refetches_nothing() -> None:
    box = small_mailbox()
    clock, store = FakeClock(), FakeStore()
    with GmailEmulator(box) as emu:
        store.sync(connector(emu, clock))
        for i in range(120):
            emu.add_message(
                msg(
                    5000 + i,
                    "t1",
                    direction="received",
                    subject="Re",
                    text=f"note {i}",
                    day=20,
                    reply_to=box.messages[0],
                )
            )
        mark = len(emu.calls)
        store.sync(connector(emu, clock), stop_after=1)
        store.sync(connector(emu, clock))
        assert _methods(emu, mark)["messages.get"] == 120  # the first batch was not fetched twice
        assert (
            sum(1 for m in store.messages.values() if m.thread_key == emu.gmail_id("m00001")) == 122
        )
        assert int(json.loads(store.cursors["history"])["history_id"]) == emu.history_id
