"""Linking a mailbox from the add-in (Google OAuth web flow, MSAL auth-code flow) against local
stand-ins: credentials stored exactly as the CLI stores them, and every broken callback stores
nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msal
import pytest
from addin_fixtures import BASE, NOW, Keys, Minter, World, bearer, make_app, new_oid
from fastapi import FastAPI
from fastapi.testclient import TestClient
from google.oauth2.credentials import Credentials
from oauth_standins import OAuthStandIn, running_standin
from sqlmodel import select

from core.models import Account, AccountLink, AddinUser, Credential
from sync.config import Config
from sync.secrets import load_credential
from sync.store import Store

CAROL = "carol@contoso.example"


@pytest.fixture
def standin() -> Iterator[OAuthStandIn]:
    with running_standin(google_email=CAROL, ms_email=CAROL) as s:
        yield s


def _linking_app(store: Store, keys: Keys, standin: OAuthStandIn, tmp_path: Path, **kw: Any) -> Any:
    secrets_file = tmp_path / "web_client.json"
    secrets_file.write_text(
        json.dumps(
            {
                "web": {
                    "client_id": "web-client.apps.googleusercontent.com",
                    "client_secret": "web-secret",
                    "auth_uri": f"{standin.base}/google/auth",
                    "token_uri": f"{standin.base}/google/token",
                    "redirect_uris": [f"{BASE}/link/gmail/callback"],
                }
            }
        )
    )
    extra = {
        "gmail": {"api_endpoint": f"{standin.base}/"},
        "outlook": {
            "client_id": "msal-client",
            "authority": f"{standin.base}/{standin.tenant}",
            "graph_endpoint": f"{standin.base}/v1.0",
        },
    }
    return make_app(store, keys, extra=extra, google_oauth_client_secrets=str(secrets_file), **kw)


@pytest.fixture
def link_client(
    sqlite_store: Store,
    keys: Keys,
    world: World,
    standin: OAuthStandIn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[TestClient]:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the token stand-in is plain http
    with TestClient(_linking_app(sqlite_store, keys, standin, tmp_path), base_url=BASE) as c:
        yield c


def _carol(mint: Minter) -> dict[str, str]:
    return bearer(mint.entra(oid="0c0c0c0c-3333-3333-3333-333333333333", preferred_username=CAROL))


def _start(client: TestClient, mint: Minter, provider: str) -> str:
    started = client.post(f"/api/link/{provider}", headers=_carol(mint))
    assert started.status_code == 200, started.text
    url = started.json()["url"]
    assert url.startswith(f"{BASE}/link/{provider}/start?ticket=")
    response = client.get(url.removeprefix(BASE), follow_redirects=False)
    assert response.status_code == 302, response.text
    assert "reftrack_link" in response.cookies or client.cookies.get("reftrack_link")
    location: str = response.headers["location"]
    return location


def _config(client: TestClient) -> Config:
    app = client.app
    assert isinstance(app, FastAPI)
    config: Config = app.state.ctx.config
    return config


def _linked(store: Store, provider: str) -> tuple[Account, Credential, list[int]]:
    with store.session_scope() as s:
        account = s.exec(
            select(Account).where(Account.address == CAROL, Account.provider == provider)
        ).one()
        credential = s.exec(select(Credential).where(Credential.account_id == account.id)).one()
        users = [
            link.user_id
            for link in s.exec(
                select(AccountLink).where(AccountLink.account_id == account.id)
            ).all()
        ]
        return account, credential, users


def test_linking_google_web_flow_stores_credentials_like_the_cli(
    link_client: TestClient, mint: Minter, standin: OAuthStandIn, sqlite_store: Store
) -> None:
    auth_url = _start(link_client, mint, "gmail")
    assert auth_url.startswith(f"{standin.base}/google/auth?")
    assert "access_type=offline" in auth_url
    callback = standin.authorize(auth_url)
    response = link_client.get("/link/gmail/callback", params=callback)
    assert response.status_code == 200, response.text
    assert "is linked" in response.text
    account, credential, users = _linked(sqlite_store, "gmail")
    assert credential.kind == "google"
    with sqlite_store.session_scope() as s:
        stored = load_credential(s, account_id=account.id or 0, config=_config(link_client))
    assert stored is not None
    info = json.loads(stored.data)  # google Credentials.to_json(), as `reftrack auth gmail` stores
    assert (info["refresh_token"], info["token_uri"]) == (
        "rt-google",
        f"{standin.base}/google/token",
    )
    assert "https://www.googleapis.com/auth/gmail.readonly" in info["scopes"]
    assert Credentials.from_authorized_user_info(info).refresh_token == "rt-google"  # type: ignore[no-untyped-call]
    with sqlite_store.session_scope() as s:
        carol = s.exec(select(AddinUser).where(AddinUser.email == CAROL)).one()
    assert users == [carol.id]
    me = link_client.get("/api/me", headers=_carol(mint)).json()
    assert [a["address"] for a in me["accounts"]] == [CAROL]


def test_linking_msal_auth_code_flow_stores_the_token_cache(
    link_client: TestClient, mint: Minter, standin: OAuthStandIn, sqlite_store: Store
) -> None:
    auth_url = _start(link_client, mint, "outlook")
    assert urlsplit(auth_url).path == f"/{standin.tenant}/oauth2/v2.0/authorize"
    response = link_client.get("/link/outlook/callback", params=standin.authorize(auth_url))
    assert response.status_code == 200, response.text
    account, credential, users = _linked(sqlite_store, "graph")
    assert credential.kind == "msal" and account.time_zone == "Europe/Paris"
    with sqlite_store.session_scope() as s:
        stored = load_credential(s, account_id=account.id or 0, config=_config(link_client))
    assert stored is not None
    cache = msal.SerializableTokenCache()
    cache.deserialize(stored.data.decode())
    assert [rt["secret"] for rt in cache.search(msal.TokenCache.CredentialType.REFRESH_TOKEN)] == [
        "rt-ms"
    ]
    assert len(users) == 1


def _no_carol(store: Store) -> None:
    with store.session_scope() as s:
        assert s.exec(select(Account).where(Account.address == CAROL)).first() is None


def test_linking_callback_with_wrong_state_stores_nothing(
    link_client: TestClient, mint: Minter, standin: OAuthStandIn, sqlite_store: Store
) -> None:
    callback = standin.authorize(_start(link_client, mint, "gmail"))
    response = link_client.get("/link/gmail/callback", params={**callback, "state": "forged"})
    assert response.status_code == 400 and "does not match" in response.text
    assert standin.token_requests == 0
    _no_carol(sqlite_store)


def test_linking_callback_without_our_cookie_stores_nothing(
    link_client: TestClient, mint: Minter, standin: OAuthStandIn, sqlite_store: Store
) -> None:
    callback = standin.authorize(_start(link_client, mint, "outlook"))
    link_client.cookies.clear()
    response = link_client.get("/link/outlook/callback", params=callback)
    assert response.status_code == 400 and "did not start the linking" in response.text
    _no_carol(sqlite_store)


def test_linking_cookie_of_one_provider_does_not_finish_the_other(
    link_client: TestClient, mint: Minter, standin: OAuthStandIn, sqlite_store: Store
) -> None:
    callback = standin.authorize(_start(link_client, mint, "gmail"))
    response = link_client.get("/link/outlook/callback", params=callback)
    assert response.status_code == 400
    _no_carol(sqlite_store)


def test_linking_refuses_a_mailbox_other_than_the_signed_in_user(
    link_client: TestClient, mint: Minter, standin: OAuthStandIn, sqlite_store: Store
) -> None:
    standin.google_email = "mallory@evil.example"
    callback = standin.authorize(_start(link_client, mint, "gmail"))
    response = link_client.get("/link/gmail/callback", params=callback)
    assert response.status_code == 400 and "not the one you use the add-in with" in response.text
    with sqlite_store.session_scope() as s:
        assert (
            s.exec(select(Account).where(Account.address == "mallory@evil.example")).first() is None
        )


def test_linking_cancelled_sign_in_and_expired_ticket(
    link_client: TestClient,
    mint: Minter,
    standin: OAuthStandIn,
    sqlite_store: Store,
    keys: Keys,
    tmp_path: Path,
) -> None:
    auth_url = _start(link_client, mint, "gmail")
    state = standin.authorize(auth_url)["state"]
    cancelled = link_client.get(
        "/link/gmail/callback", params={"error": "access_denied", "state": state}
    )
    assert cancelled.status_code == 400 and "access_denied" in cancelled.text
    url = link_client.post("/api/link/gmail", headers=_carol(mint)).json()["url"]
    later = _linking_app(sqlite_store, keys, standin, tmp_path, now=NOW + timedelta(minutes=11))
    with TestClient(later, base_url=BASE) as c:
        expired = c.get(url.removeprefix(BASE), follow_redirects=False)
    assert expired.status_code == 400 and "expired" in expired.text
    _no_carol(sqlite_store)


def test_linking_needs_an_address_in_the_token(link_client: TestClient, mint: Minter) -> None:
    token = bearer(mint.entra(oid=new_oid(), preferred_username=""))
    response = link_client.post("/api/link/gmail", headers=token)
    assert response.status_code == 400 and response.json()["error"]["code"] == "cannot_link"
