"""The Gmail emulator: Gmail's q semantics, formats, paging, batch limits, quota, rate, faults."""

from __future__ import annotations

import base64
import email
import email.policy
import json
from datetime import timedelta
from typing import Any

import pytest
from gmail_fixtures import NOW, START, FakeClock, credentials, msg, small_mailbox
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from connectors.emulators.gmail import UNITS, FaultPlan, GmailEmulator, parse_q
from connectors.emulators.mailbox import Mailbox
from connectors.gmail import open_service

AUTH = {"authorization": "Bearer emulator-access-token"}


def _get(emu: GmailEmulator, target: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    status, _, body = emu.handle(
        "GET", target, AUTH if headers is None else headers, b"", in_batch=False
    )
    return status, json.loads(body)


def _subjects(emu: GmailEmulator, q: str, label: str = "") -> set[str]:
    from urllib.parse import quote

    extra = f"&labelIds={label}" if label else ""
    status, data = _get(emu, f"/gmail/v1/users/me/messages?q={quote(q)}{extra}")
    assert status == 200, data
    by_id = {m.gid: m.fixture.subject for m in emu._by_id.values()}
    return {by_id[m["id"]] for m in data.get("messages", [])}


@pytest.fixture
def emu() -> GmailEmulator:
    return GmailEmulator(small_mailbox(), now=lambda: NOW)


def test_gmail_emulator_q_matches_whole_words_not_prefixes(emu: GmailEmulator) -> None:
    assert _subjects(emu, "referral", "SENT") == {"Quick favor: referral at Acme?"}
    # "refer" is its own word: it does not match "referral" or "referrals".
    assert _subjects(emu, "refer", "SENT") == {
        "Quick favor: referral at Acme?"
    }  # body says "refer me"
    assert _subjects(emu, "referrals", "SENT") == {f"Lunch on day {i}" for i in range(3)}
    assert _subjects(emu, "referr", "SENT") == set()


def test_gmail_emulator_q_phrases_or_negation_and_groups(emu: GmailEmulator) -> None:
    assert _subjects(emu, '"refer me"') == {"Quick favor: referral at Acme?"}
    assert _subjects(emu, '"me refer"') == set()
    assert _subjects(emu, "introduce OR invoice", "SENT") == {
        "Would you introduce me to Bo?",
        "Invoice",
    }
    assert _subjects(emu, "in:sent -(referral OR referrals OR introduce OR invoice)") == set()
    assert _subjects(emu, "in:sent (lunch OR invoice) -invoice") == {
        f"Lunch on day {i}" for i in range(3)
    }
    assert _subjects(emu, "from:news@shop.example") == {"Newsletter"}
    assert _subjects(emu, 'subject:"quick favor"') == {
        "Quick favor: referral at Acme?",
        "Re: Quick favor: referral at Acme?",
    }


def test_gmail_emulator_q_dates(emu: GmailEmulator) -> None:
    after = int((START + timedelta(days=7)).timestamp())
    assert _subjects(emu, f"after:{after}") == {"Invoice", "Newsletter"}
    assert _subjects(emu, "before:2026/03/03") == {"Quick favor: referral at Acme?"}
    assert _subjects(emu, "newer_than:22d") == {"Newsletter"}  # NOW - 22 days = START + 8 days
    status, err = _get(emu, "/gmail/v1/users/me/messages?q=after:yesterday")
    assert status == 400 and "Invalid date" in err["error"]["message"]
    assert parse_q("after:2026/01/01")[1][0] == ("field", "after", "2026/01/01")


def test_gmail_emulator_rfc822msgid(emu: GmailEmulator) -> None:
    assert _subjects(emu, "rfc822msgid:id3@mail.example") == {"Would you introduce me to Bo?"}


def test_gmail_emulator_paging_and_labels(emu: GmailEmulator) -> None:
    seen: list[str] = []
    token = ""
    while True:
        _status, data = _get(
            emu, f"/gmail/v1/users/me/messages?labelIds=SENT&maxResults=3&pageToken={token}"
        )
        seen += [m["id"] for m in data["messages"]]
        token = data.get("nextPageToken", "")
        if not token:
            break
    assert len(seen) == len(set(seen)) == 8
    assert seen == sorted(seen, reverse=True)  # newest first, ids ordered by date
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in seen)


def test_gmail_emulator_formats(emu: GmailEmulator) -> None:
    gid = emu.gmail_id("m00002")
    _, minimal = _get(emu, f"/gmail/v1/users/me/messages/{gid}?format=minimal")
    assert "payload" not in minimal and minimal["labelIds"] == ["INBOX", "UNREAD"]
    _, meta = _get(
        emu,
        f"/gmail/v1/users/me/messages/{gid}?format=metadata&metadataHeaders=Subject&metadataHeaders=From",
    )
    assert {h["name"] for h in meta["payload"]["headers"]} == {"Subject", "From"}
    assert "parts" not in meta["payload"]
    _, full = _get(emu, f"/gmail/v1/users/me/messages/{gid}?format=full")
    assert full["payload"]["mimeType"] == "multipart/alternative"
    assert [p["mimeType"] for p in full["payload"]["parts"]] == ["text/plain", "text/html"]
    assert full["threadId"] == emu.gmail_id("m00001")
    _, raw = _get(emu, f"/gmail/v1/users/me/messages/{gid}?format=raw")
    parsed = email.message_from_bytes(
        base64.urlsafe_b64decode(raw["raw"]), policy=email.policy.default
    )
    assert parsed["In-Reply-To"] == "<id1@mail.example>"
    bounce = emu.gmail_id("m00004")
    _, report = _get(emu, f"/gmail/v1/users/me/messages/{bounce}?format=full")
    assert report["payload"]["mimeType"] == "multipart/report"
    assert "message/delivery-status" in [p["mimeType"] for p in report["payload"]["parts"]]


def test_gmail_emulator_partial_response_fields(emu: GmailEmulator) -> None:
    _, data = _get(
        emu, "/gmail/v1/users/me/messages?labelIds=SENT&fields=messages(id),nextPageToken"
    )
    assert set(data) == {"messages"} and all(set(m) == {"id"} for m in data["messages"])


def test_gmail_emulator_history_paging_and_expiry(emu: GmailEmulator) -> None:
    _, profile = _get(emu, "/gmail/v1/users/me/profile")
    start = profile["historyId"]
    for i in range(3):
        emu.add_message(msg(90 + i, "t1", direction="received", subject="Re", text="x", day=20))
    _, page1 = _get(emu, f"/gmail/v1/users/me/history?startHistoryId={start}&maxResults=2")
    _, page2 = _get(
        emu,
        f"/gmail/v1/users/me/history?startHistoryId={start}&maxResults=2&pageToken={page1['nextPageToken']}",
    )
    added = [h["messagesAdded"][0]["message"]["id"] for h in page1["history"] + page2["history"]]
    assert len(added) == 3 and page2["historyId"] == str(emu.history_id)
    emu.expire_history()
    status, err = _get(emu, f"/gmail/v1/users/me/history?startHistoryId={start}")
    assert status == 404 and err["error"]["code"] == 404


def test_gmail_emulator_checks_the_bearer_token(emu: GmailEmulator) -> None:
    status, err = _get(emu, "/gmail/v1/users/me/profile", headers={"authorization": "Bearer nope"})
    assert status == 401 and err["error"]["errors"][0]["reason"] == "authError"


def test_gmail_emulator_charges_quota_at_2026_prices(emu: GmailEmulator) -> None:
    gid = emu.gmail_id("m00001")
    _get(emu, "/gmail/v1/users/me/profile")
    _get(emu, f"/gmail/v1/users/me/messages/{gid}")
    _get(emu, f"/gmail/v1/users/me/threads/{gid}")
    _get(emu, "/gmail/v1/users/me/messages")
    assert emu.quota_units == 1 + 20 + 40 + 5
    assert UNITS["messages.get"] == 20 and UNITS["threads.get"] == 40


def test_gmail_emulator_enforces_the_per_user_rate_with_retry_after() -> None:
    clock = FakeClock()
    emu = GmailEmulator(small_mailbox(), enforce_rate=True, units_per_minute=100, clock=clock)
    gid = emu.gmail_id("m00001")
    statuses = [
        emu.handle("GET", f"/gmail/v1/users/me/messages/{gid}", AUTH, b"", in_batch=False)
        for _ in range(6)
    ]
    assert [s[0] for s in statuses] == [200] * 5 + [429]
    assert float(statuses[-1][1]["Retry-After"]) > 0
    clock.sleep(60)
    assert (
        emu.handle("GET", f"/gmail/v1/users/me/messages/{gid}", AUTH, b"", in_batch=False)[0] == 200
    )


def test_gmail_emulator_batch_through_googleapiclient_and_its_limit() -> None:
    box = small_mailbox()
    with GmailEmulator(box) as emu:
        service = open_service(credentials(emu), api_endpoint=emu.endpoint)
        got: dict[str, Any] = {}

        def collect(rid: str, resp: Any, exc: Exception | None) -> None:
            got[rid] = exc or resp

        batch = BatchHttpRequest(callback=collect, batch_uri=emu.endpoint + "batch/gmail/v1")
        for m in box.messages[:3]:
            gid = emu.gmail_id(m.id)
            batch.add(
                service.users().messages().get(userId="me", id=gid, format="minimal"),
                request_id=gid,
            )
        batch.add(
            service.users().messages().get(userId="me", id="0000000000000000"), request_id="missing"
        )
        batch.execute()
        assert sum(1 for v in got.values() if isinstance(v, dict)) == 3
        assert isinstance(got["missing"], HttpError) and got["missing"].resp.status == 404
        big = BatchHttpRequest(callback=collect, batch_uri=emu.endpoint + "batch/gmail/v1")
        for i in range(101):
            big.add(service.users().getProfile(userId="me"), request_id=f"p{i}")
        with pytest.raises(HttpError) as info:
            big.execute()
        assert info.value.resp.status == 400


def test_gmail_emulator_drafts_and_threads_list(emu: GmailEmulator) -> None:
    raw = base64.urlsafe_b64encode(
        b"From: me@example.com\r\nTo: a@b.example\r\nSubject: draft\r\n\r\nhello\r\n"
    ).decode()
    status, _, body = emu.handle(
        "POST",
        "/gmail/v1/users/me/drafts",
        AUTH,
        json.dumps({"message": {"raw": raw}}).encode(),
        in_batch=False,
    )
    assert status == 200 and json.loads(body)["message"]["labelIds"] == ["DRAFT"]
    _, threads = _get(emu, "/gmail/v1/users/me/threads?q=referral")
    assert {t["id"] for t in threads["threads"]} == {emu.gmail_id("m00001")}
    assert UNITS["drafts.create"] == 10


def test_gmail_emulator_seeded_faults_are_reproducible() -> None:
    def statuses(seed: int) -> list[int]:
        emu = GmailEmulator(
            Mailbox(owner=small_mailbox().owner), faults=FaultPlan(seed=seed, error_rate=0.5)
        )
        return [
            emu.handle("GET", "/gmail/v1/users/me/profile", AUTH, b"", in_batch=False)[0]
            for _ in range(20)
        ]

    assert statuses(3) == statuses(3)
    assert {429, 500, 503} & set(statuses(3)) and 200 in statuses(3)


def test_gmail_emulator_serves_a_json_fixture_and_reports_a_busy_port(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "box.json.gz"
    small_mailbox().save(path)
    with GmailEmulator(Mailbox.load(path)) as emu:
        _, profile = _get(emu, "/gmail/v1/users/me/profile")
        assert profile["emailAddress"] == "me@example.com" and profile["messagesTotal"] == 13
        port = int(emu.base_url.rsplit(":", 1)[1])
        with pytest.raises(OSError, match=f"Port {port} on 127.0.0.1 is busy"):
            GmailEmulator(Mailbox.load(path), port=port).start()


def test_gmail_emulator_page_tokens_survive_a_deletion_between_pages(emu: GmailEmulator) -> None:
    _, first = _get(emu, "/gmail/v1/users/me/messages?maxResults=4")
    emu.delete_message(first["messages"][0]["id"])  # an already-served message disappears
    _, second = _get(
        emu, f"/gmail/v1/users/me/messages?maxResults=100&pageToken={first['nextPageToken']}"
    )
    served = [m["id"] for m in first["messages"] + second["messages"]]
    assert len(served) == len(set(served)) == 13  # nothing skipped, nothing repeated


def test_gmail_emulator_accepts_long_queries_sent_as_post_override() -> None:
    """googleapiclient sends a GET longer than 2,048 characters as POST + X-HTTP-Method-Override."""
    from datetime import UTC, datetime

    from google.oauth2.credentials import Credentials

    from connectors.emulators.generator import generate_mailbox
    from connectors.emulators.gmail import GmailEmulator
    from connectors.gmail import open_service

    box = generate_mailbox(seed=2, sent=30, start=datetime(2026, 3, 1, tzinfo=UTC), days=20)
    long_q = (
        "in:sent (" + " OR ".join(f'"never used phrase {i}"' for i in range(120)) + " OR referral)"
    )
    assert len(long_q) > 2100
    with GmailEmulator(box) as emu:
        creds = Credentials(token="emulator-access-token")  # type: ignore[no-untyped-call]
        service = open_service(creds, api_endpoint=emu.endpoint)
        got = service.users().messages().list(userId="me", q=long_q, maxResults=500).execute()
        short = (
            service.users()
            .messages()
            .list(userId="me", q="in:sent referral", maxResults=500)
            .execute()
        )
    assert got.get("messages") == short.get("messages")
