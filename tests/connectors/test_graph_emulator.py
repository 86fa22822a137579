"""The Graph emulator's own contract: auth, $batch limits, Outlook throttling, ids, drafts."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from graph_fixtures import TOKEN, make_connector, small_mailbox

from connectors.emulators.graph import GraphEmulator, immutable_id

AUTH = {"Authorization": f"Bearer {TOKEN}"}
IMMUTABLE = {**AUTH, "Prefer": 'IdType="ImmutableId"'}


@pytest.fixture
def emulator() -> Iterator[GraphEmulator]:
    with GraphEmulator(small_mailbox(sent=10), token=TOKEN) as emu:
        yield emu


def test_graph_emulator_rejects_missing_or_unknown_bearer(emulator: GraphEmulator) -> None:
    assert httpx.get(emulator.graph_endpoint + "/me").status_code == 401
    bad = httpx.get(emulator.graph_endpoint + "/me", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert httpx.get(emulator.graph_endpoint + "/me", headers=AUTH).json()["mail"]


def test_graph_emulator_batch_caps_at_twenty(emulator: GraphEmulator) -> None:
    reqs = [{"id": str(i), "method": "GET", "url": "/me"} for i in range(21)]
    resp = httpx.post(emulator.graph_endpoint + "/$batch", json={"requests": reqs}, headers=AUTH)
    assert resp.status_code == 400 and "limit is 20" in resp.json()["error"]["message"]
    resp = httpx.post(
        emulator.graph_endpoint + "/$batch", json={"requests": reqs[:20]}, headers=AUTH
    )
    assert resp.status_code == 200
    assert [r["status"] for r in resp.json()["responses"]] == [200] * 20
    assert emulator.graph_requests == 20  # each item counts against the limits


def test_graph_emulator_mailbox_concurrency_limit(emulator: GraphEmulator) -> None:
    emulator.latency_s = 0.2
    statuses: list[int] = []

    def call() -> None:
        statuses.append(httpx.get(emulator.graph_endpoint + "/me", headers=AUTH).status_code)

    threads = [threading.Thread(target=call) for _ in range(7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(429) >= 1 and statuses.count(200) >= 4
    assert emulator.concurrency_rejections == statuses.count(429)


def test_graph_connector_stays_within_four_concurrent_requests(emulator: GraphEmulator) -> None:
    emulator.latency_s = 0.1
    connector = make_connector(emulator.graph_endpoint)
    threads = [threading.Thread(target=connector.get_profile) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert emulator.concurrency_rejections == 0


def test_graph_emulator_requests_per_window_limit() -> None:
    now = [0.0]
    with GraphEmulator(
        small_mailbox(sent=5), token=TOKEN, rate_limit=3, clock=lambda: now[0]
    ) as emu:
        codes = [httpx.get(emu.graph_endpoint + "/me", headers=AUTH).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        last = httpx.get(emu.graph_endpoint + "/me", headers=AUTH)
        assert last.json()["error"]["code"] == "ApplicationThrottled"
        assert 0 < int(last.headers["Retry-After"]) <= 601
        now[0] = 601.0
        assert httpx.get(emu.graph_endpoint + "/me", headers=AUTH).status_code == 200


def test_graph_emulator_default_ids_change_on_move_immutable_ids_do_not(
    emulator: GraphEmulator,
) -> None:
    fixture = emulator.mailbox.messages[0]
    imm = immutable_id(fixture.id)
    url = emulator.graph_endpoint + f"/me/messages/{imm}?$select=subject"
    before = httpx.get(url, headers=AUTH).json()["id"]
    emulator.move_message(imm, "archive")
    after = httpx.get(url, headers=AUTH).json()["id"]
    assert before != after and imm not in (before, after)
    assert httpx.get(url, headers=IMMUTABLE).json()["id"] == imm
    moved = httpx.get(emulator.graph_endpoint + f"/me/messages/{after}", headers=AUTH)
    assert moved.status_code == 200 and moved.json()["subject"] == fixture.subject


def test_graph_emulator_delta_select_filter_and_page_size(emulator: GraphEmulator) -> None:
    url = emulator.graph_endpoint + "/me/mailFolders/sentitems/messages/delta"
    headers = {**IMMUTABLE, "Prefer": 'odata.maxpagesize=3, IdType="ImmutableId"'}
    page = httpx.get(url, params={"$select": "subject"}, headers=headers).json()
    assert len(page["value"]) == 3 and "@odata.nextLink" in page
    assert set(page["value"][0]) <= {"id", "subject", "@odata.etag"}
    bad = httpx.get(url, params={"$filter": "subject eq 'x'"}, headers=AUTH)
    assert bad.status_code == 400


def test_graph_emulator_create_reply_makes_a_draft(emulator: GraphEmulator) -> None:
    fixture = emulator.mailbox.messages[0]
    resp = httpx.post(
        emulator.graph_endpoint + f"/me/messages/{immutable_id(fixture.id)}/createReply",
        headers=AUTH,
    )
    assert resp.status_code == 201
    draft = resp.json()
    assert draft["isDraft"] and draft["subject"] == "RE: " + fixture.subject
    assert emulator.drafts == [draft]


def test_graph_emulator_send_mail_rejects_non_x_headers(emulator: GraphEmulator) -> None:
    message = {
        "subject": "s",
        "body": {"contentType": "text", "content": "t"},
        "toRecipients": [{"emailAddress": {"address": "a@b.example"}}],
        "internetMessageHeaders": [{"name": "Reply-To", "value": "x"}],
    }
    resp = httpx.post(
        emulator.graph_endpoint + "/me/sendMail", json={"message": message}, headers=AUTH
    )
    assert resp.status_code == 400
