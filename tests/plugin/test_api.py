"""The task pane REST API: lookups, changes through the ask service, and strict per-user scoping."""

from __future__ import annotations

from typing import Any

import pytest
from addin_fixtures import (
    OID_B,
    TENANT_B,
    Minter,
    World,
    bearer,
    new_oid,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from core.models import AddinUser, Ask, Event, Thread, utc
from sync.store import Store


def _ask_row(store: Store, ask_id: int) -> Ask:
    with store.session_scope() as s:
        ask = s.get(Ask, ask_id)
        assert ask is not None
        return ask


def test_api_lookup_by_internet_message_id_shows_the_ask(
    client: TestClient, mint: Minter, world: World
) -> None:
    response = client.get(
        "/api/thread",
        params={"message_id": "<ask-a@contoso.example>"},
        headers=bearer(mint.entra()),
    )
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["thread_id"] == world.thread_a
    ask = found["ask"]
    assert ask["id"] == world.ask_a
    assert ask["state"] == "awaiting_reply"
    assert ask["next_action"] == "follow_up"
    assert ask["contacts"] == ["dana@corp.example"]
    assert ask["suggested"]["subject"].startswith("Re: ")
    assert "Dana" in ask["suggested"]["body"]


def test_api_lookup_by_conversation_id_of_untracked_thread(
    client: TestClient, mint: Minter, world: World
) -> None:
    response = client.get(
        "/api/thread", params={"thread_key": "conv-A2"}, headers=bearer(mint.entra())
    )
    assert response.status_code == 200
    assert response.json() == {
        "thread_id": world.untracked_a,
        "subject": "Lunch next week?",
        "ask": None,
    }


def test_api_lookup_needs_an_id_and_unknown_is_404(client: TestClient, mint: Minter) -> None:
    token = bearer(mint.entra())
    assert client.get("/api/thread", headers=token).status_code == 422
    missing = client.get("/api/thread", params={"message_id": "nope@x"}, headers=token)
    assert missing.status_code == 404
    assert "linked mailbox" in missing.json()["error"]["message"]


def test_api_mark_done_goes_through_the_ask_service(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store
) -> None:
    response = client.patch(
        f"/api/asks/{world.ask_a}", json={"mark": "closed"}, headers=bearer(mint.entra())
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "closed"
    assert _ask_row(sqlite_store, world.ask_a).manual_outcome == "closed"
    with sqlite_store.session_scope() as s:
        events = s.exec(
            select(Event).where(Event.ask_id == world.ask_a, Event.actor == "user")
        ).all()
        assert [e.kind for e in events] == ["manual"]


def test_api_snooze_and_outcome(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store
) -> None:
    token = bearer(mint.entra())
    snoozed = client.patch(f"/api/asks/{world.ask_a}", json={"snooze_days": 7}, headers=token)
    assert snoozed.status_code == 200, snoozed.text
    assert snoozed.json()["snoozed_until"].startswith("2026-03-17")
    agreed = client.patch(f"/api/asks/{world.ask_a}", json={"mark": "agreed"}, headers=token)
    assert agreed.json()["state"] == "agreed"
    assert agreed.json()["next_action"] == "thank_you"
    assert utc(_ask_row(sqlite_store, world.ask_a).snoozed_until) is not None


def test_api_not_an_ask_ignores_the_thread(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store
) -> None:
    response = client.patch(
        f"/api/asks/{world.ask_a}", json={"mark": "not_an_ask"}, headers=bearer(mint.entra())
    )
    assert response.status_code == 200
    assert response.json()["state"] == "not_an_ask"
    with sqlite_store.session_scope() as s:
        thread = s.get(Thread, world.thread_a)
        assert thread is not None and thread.ignored


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"mark": "closed", "snooze_days": 3},
        {"mark": "maybe"},
        {"snooze_days": 0},
        {"snooze_days": 9999},
        {"extra": 1},
    ],
)
def test_api_patch_rejects_bad_bodies_with_422(
    client: TestClient, mint: Minter, world: World, body: dict[str, Any]
) -> None:
    response = client.patch(f"/api/asks/{world.ask_a}", json=body, headers=bearer(mint.entra()))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_api_track_a_missed_thread(client: TestClient, mint: Minter, world: World) -> None:
    token = bearer(mint.entra())
    response = client.post(
        f"/api/threads/{world.untracked_a}/track", json={"kind": "introduction"}, headers=token
    )
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "introduction"
    listed = client.get("/api/asks", headers=token).json()
    assert {a["id"] for a in listed} == {world.ask_a, response.json()["id"]}


def test_api_new_user_without_links_sees_nothing(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store
) -> None:
    oid = new_oid()
    token = bearer(mint.entra(oid=oid))
    assert client.get("/api/asks", headers=token).json() == []
    assert client.get(f"/api/asks/{world.ask_a}", headers=token).status_code == 404
    with sqlite_store.session_scope() as s:
        assert s.exec(select(AddinUser).where(AddinUser.user_key.endswith(oid))).one()  # type: ignore[attr-defined]


# ---- isolation: user A can neither read nor change user B's asks through any endpoint ----------

#: every /api route with an id in its path, with a valid request for it (a new route must be added)
ID_ROUTES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/asks/{ask_id}"): {},
    ("PATCH", "/api/asks/{ask_id}"): {"json": {"mark": "closed"}},
    ("POST", "/api/threads/{thread_id}/track"): {"json": {"kind": "job_referral"}},
}


def _id_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        if path.startswith("/api/") and "_id}" in path
        for method in item
    }


def test_api_isolation_covers_every_route_with_an_id(app: FastAPI) -> None:
    assert _id_routes(app) == set(ID_ROUTES)


@pytest.mark.parametrize("route", sorted(ID_ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_api_user_a_gets_404_for_user_b_ids_and_changes_nothing(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store, route: tuple[str, str]
) -> None:
    method, path = route
    before = _ask_row(sqlite_store, world.ask_b)
    foreign = path.format(ask_id=world.ask_b, thread_id=world.thread_b)
    unknown = path.format(ask_id=987654, thread_id=987654)
    responses = [
        client.request(method, url, headers=bearer(mint.entra()), **ID_ROUTES[route])
        for url in (foreign, unknown)
    ]
    assert [r.status_code for r in responses] == [404, 404]
    assert responses[0].json() == responses[1].json()  # foreign and unknown look the same
    after = _ask_row(sqlite_store, world.ask_b)
    assert (after.state, after.manual_outcome, after.updated_at) == (
        before.state,
        before.manual_outcome,
        before.updated_at,
    )
    # ... and user B, who owns it, can do it
    owner = client.request(
        method, foreign, headers=bearer(mint.entra(tid=TENANT_B, oid=OID_B)), **ID_ROUTES[route]
    )
    assert owner.status_code in (200, 201), owner.text


def test_api_user_a_cannot_find_or_list_user_b_threads(
    client: TestClient, mint: Minter, world: World
) -> None:
    token = bearer(mint.entra())
    assert (
        client.get(
            "/api/thread", params={"thread_key": "gmail-thread-B"}, headers=token
        ).status_code
        == 404
    )
    assert [a["id"] for a in client.get("/api/asks", headers=token).json()] == [world.ask_a]
    b_token = bearer(mint.entra(tid=TENANT_B, oid=OID_B))
    assert (
        client.get("/api/thread", params={"thread_key": "conv-A"}, headers=b_token).status_code
        == 404
    )
    assert [a["id"] for a in client.get("/api/asks", headers=b_token).json()] == [world.ask_b]
