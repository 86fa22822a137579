"""The Gmail add-on: cards valid against Google's documented structure, actions scoped to the user."""

from __future__ import annotations

from typing import Any

import pytest
from addin_fixtures import BASE, Keys, Minter, World, bearer, make_app
from fastapi.testclient import TestClient
from google_card_schema import render_actions_errors

from core.models import Ask, utc
from plugin.gmail_addon import deployment_descriptor
from sync.store import Store

ACTION_URL = BASE + "/gmail/action"


def _post(
    client: TestClient,
    mint: Minter,
    path: str,
    *,
    sub: str = "g-bob",
    gmail: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "commonEventObject": {"hostApp": "GMAIL", "platform": "WEB", "parameters": params or {}},
        "authorizationEventObject": {"userIdToken": mint.user(sub=sub)},
    }
    if gmail is not None:
        event["gmail"] = gmail
    response = client.post(path, json=event, headers=bearer(mint.system(path)))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert render_actions_errors(body) == [], render_actions_errors(body)
    return body


def _card(body: dict[str, Any]) -> dict[str, Any]:
    nav = body["action"]["navigations"][0]
    card: dict[str, Any] = nav.get("pushCard") or nav["updateCard"]
    return card


def _buttons(card: dict[str, Any]) -> dict[str, dict[str, str]]:
    found = {}
    for section in card["sections"]:
        for widget in section["widgets"]:
            for button in widget.get("buttonList", {}).get("buttons", []):
                action = button["onClick"].get("action")
                if action:
                    assert action["function"] == ACTION_URL
                    found[button["text"]] = {p["key"]: p["value"] for p in action["parameters"]}
    return found


def _ask(store: Store, ask_id: int) -> Ask:
    with store.session_scope() as s:
        ask = s.get(Ask, ask_id)
        assert ask is not None
        return ask


def test_card_schema_catches_malformed_cards() -> None:
    bad = {
        "action": {
            "navigations": [
                {
                    "pushCard": {
                        "header": {"title": ""},
                        "sections": [
                            {"widgets": [{"textParagraph": {"text": "a"}, "divider": {}}]},
                            {"widgets": [{"buttonList": {"buttons": [{"text": "x"}]}}]},
                            {"widgets": [{"decoratedText": {"text": "t", "colour": "red"}}]},
                        ],
                    },
                    "popToRoot": True,
                }
            ]
        }
    }
    errors = render_actions_errors(bad)
    assert any("exactly one of" in e and "navigations[0]" in e for e in errors)
    assert any("widgets[0]: needs exactly one of" in e for e in errors)
    assert any("missing required field 'onClick'" in e for e in errors)
    assert any("unknown field 'colour'" in e for e in errors)
    assert any("header.title: must not be empty" in e for e in errors)


def test_gmail_homepage_lists_the_users_open_asks(
    client: TestClient, mint: Minter, world: World
) -> None:
    card = _card(_post(client, mint, "/gmail/homepage"))
    texts = [w["decoratedText"]["text"] for s in card["sections"] for w in s["widgets"]]
    assert texts == ["Intro to the team at Globex?"]


def test_gmail_contextual_shows_state_next_and_suggested_text(
    client: TestClient, mint: Minter, world: World
) -> None:
    card = _card(
        _post(
            client, mint, "/gmail/contextual", gmail={"messageId": "gmail-msg-B", "threadId": "x"}
        )
    )
    labels = {
        w["decoratedText"]["topLabel"]: w["decoratedText"]["text"]
        for s in card["sections"]
        for w in s["widgets"]
        if "decoratedText" in w
    }
    assert labels["Status"] == "Waiting for a reply"
    assert labels["Next"] == "follow up"
    assert labels["Subject"].startswith("Re: Intro to the team at Globex?")
    buttons = _buttons(card)
    assert buttons["Mark done"] == {"op": "mark", "ask_id": str(world.ask_b), "value": "closed"}
    assert buttons["Snooze 1 week"] == {"op": "snooze", "ask_id": str(world.ask_b), "value": "1w"}


def test_gmail_contextual_for_an_unknown_thread(
    client: TestClient, mint: Minter, world: World
) -> None:
    card = _card(
        _post(client, mint, "/gmail/contextual", gmail={"messageId": "nope", "threadId": "conv-A"})
    )
    assert card["header"]["title"] == "Not synced"


def test_gmail_action_mark_done_updates_card_and_database(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store
) -> None:
    body = _post(
        client,
        mint,
        "/gmail/action",
        params={"op": "mark", "ask_id": str(world.ask_b), "value": "closed"},
    )
    assert body["action"]["notification"]["text"] == "Marked done."
    assert "updateCard" in body["action"]["navigations"][0]
    assert _ask(sqlite_store, world.ask_b).state == "closed"


def test_gmail_action_snooze(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store
) -> None:
    _post(
        client,
        mint,
        "/gmail/action",
        params={"op": "snooze", "ask_id": str(world.ask_b), "value": "1w"},
    )
    snoozed = utc(_ask(sqlite_store, world.ask_b).snoozed_until)
    assert snoozed is not None and snoozed.date().isoformat() == "2026-03-17"


@pytest.mark.parametrize(
    "params",
    [
        {"op": "mark", "value": "closed"},  # user A's ask id is filled in below
        {"op": "snooze", "value": "1w"},
        {"op": "show"},
    ],
)
def test_gmail_action_parameters_cannot_reach_another_users_ask(
    client: TestClient, mint: Minter, world: World, sqlite_store: Store, params: dict[str, str]
) -> None:
    before = _ask(sqlite_store, world.ask_a)
    body = _post(client, mint, "/gmail/action", params={**params, "ask_id": str(world.ask_a)})
    assert body == {
        "action": {"notification": {"text": "That ask is not in your linked mailboxes."}}
    }
    after = _ask(sqlite_store, world.ask_a)
    assert (after.state, after.snoozed_until, after.updated_at) == (
        before.state,
        before.snoozed_until,
        before.updated_at,
    )


def test_gmail_action_cannot_track_another_users_thread(
    client: TestClient, mint: Minter, world: World
) -> None:
    body = _post(
        client,
        mint,
        "/gmail/action",
        params={"op": "track", "thread_id": str(world.untracked_a), "value": "introduction"},
    )
    assert body["action"]["notification"]["text"] == "That thread is not in your linked mailboxes."


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"op": "mark", "ask_id": "abc"},
        {"op": "mark", "ask_id": "9" * 40},
        {"op": "mark", "ask_id": "²"},  # a digit to str.isdigit, not to int()
        {"op": "track", "thread_id": "-1"},
        {"op": "mark", "value": "x"},
        {"op": "dance", "ask_id": "1"},
    ],
)
def test_gmail_action_bad_parameters_get_a_notification(
    client: TestClient, mint: Minter, world: World, params: dict[str, str]
) -> None:
    body = _post(client, mint, "/gmail/action", params=params)
    assert "notification" in body["action"]


def test_gmail_user_without_mailbox_is_told_to_link(
    client: TestClient, mint: Minter, world: World
) -> None:
    card = _card(_post(client, mint, "/gmail/homepage", sub="g-new"))
    assert "No mailbox is linked" in card["sections"][0]["widgets"][0]["textParagraph"]["text"]


def test_gmail_addon_unconfigured_server_answers_503(
    sqlite_store: Store, keys: Keys, mint: Minter, world: World
) -> None:
    app = make_app(sqlite_store, keys, google_addon_service_account=None)
    with TestClient(app, base_url=BASE) as c:
        response = c.post(
            "/gmail/homepage", json={}, headers=bearer(mint.system("/gmail/homepage"))
        )
    assert response.status_code == 503
    assert "google_addon_service_account" in response.json()["error"]["message"]


def test_gmail_deployment_descriptor_points_at_the_endpoints() -> None:
    d = deployment_descriptor("https://reftrack.example.com/")
    common, gmail = d["addOns"]["common"], d["addOns"]["gmail"]
    assert common["homepageTrigger"]["runFunction"] == "https://reftrack.example.com/gmail/homepage"
    assert gmail["contextualTriggers"] == [
        {"unconditional": {}, "onTriggerFunction": "https://reftrack.example.com/gmail/contextual"}
    ]
    assert d["addOns"]["httpOptions"] == {"authorizationHeader": "SYSTEM_ID_TOKEN"}
    assert "openid" in d["oauthScopes"]
    assert "https://www.googleapis.com/auth/gmail.addons.execute" in d["oauthScopes"]


def test_gmail_action_show_pushes_the_users_own_ask(
    client: TestClient, mint: Minter, world: World
) -> None:
    body = _post(client, mint, "/gmail/action", params={"op": "show", "ask_id": str(world.ask_b)})
    card = body["action"]["navigations"][0]["pushCard"]
    assert card["name"] == f"ask-{world.ask_b}"
    assert card["header"]["title"] == "Intro to the team at Globex?"
