"""Test helpers for the add-in backend: local RSA keys standing in for Microsoft's and Google's JWKS,
token minting, a fixed clock, and a database with two users whose asks must never mix.

World:
- user A (Entra, tenant A) is linked to account A (Microsoft 365): one tracked ask (thread
  ``conv-A``, Message-ID ``ask-a@contoso.example``) and one untracked thread with a sent message;
- user B (Entra, tenant B) and user G (Google, sub ``g-bob``) are linked to account B (Gmail):
  one tracked ask.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from factories import add_account, add_ask_thread, add_message, add_thread
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from core.models import AccountLink, AddinUser, Ask
from plugin.app import create_app
from plugin.auth import StaticKeys
from sync.asks import refresh_threads
from sync.config import Config, load_config
from sync.store import Store, forget_stores, open_store

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BASE = "https://addin.test"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
TENANT_A = "aaaaaaaa-0000-0000-0000-00000000000a"
TENANT_B = "bbbbbbbb-0000-0000-0000-00000000000b"
TENANT_C = "cccccccc-0000-0000-0000-00000000000c"
OID_A = "0a0a0a0a-1111-1111-1111-111111111111"
OID_B = "0b0b0b0b-2222-2222-2222-222222222222"
ADDON_SA = "service-123456@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
ADDON_CLIENT = "123456-addon.apps.googleusercontent.com"
GRAPH_AUDIENCE = "00000003-0000-0000-c000-000000000000"


@dataclass(frozen=True)
class Keys:
    entra: rsa.RSAPrivateKey
    google: rsa.RSAPrivateKey
    rogue: rsa.RSAPrivateKey


@pytest.fixture(scope="session")
def keys() -> Keys:
    def new() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    return Keys(entra=new(), google=new(), rogue=new())


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def entra_claims(
    *, tid: str = TENANT_A, oid: str = OID_A, now: datetime = NOW, **extra: Any
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": f"https://login.microsoftonline.com/{tid}/v2.0",
        "aud": CLIENT_ID,
        "tid": tid,
        "oid": oid,
        "scp": "access_as_user",
        "preferred_username": f"{oid[:4]}@contoso.example",
        "iat": int(now.timestamp()) - 60,
        "nbf": int(now.timestamp()) - 60,
        "exp": int((now + timedelta(hours=1)).timestamp()),
        "ver": "2.0",
    }
    claims.update(extra)
    return claims


def google_claims(*, aud: str, now: datetime = NOW, **extra: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": "https://accounts.google.com",
        "aud": aud,
        "sub": "104000000000000000001",
        "iat": int(now.timestamp()) - 60,
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    claims.update(extra)
    return claims


@dataclass
class Minter:
    keys: Keys

    def entra(self, **claims: Any) -> str:
        return sign(entra_claims(**claims), self.keys.entra, "entra-1")

    def system(self, path: str, **claims: Any) -> str:
        base: dict[str, Any] = {
            "email": ADDON_SA,
            "email_verified": True,
            "sub": "1150000000000000001",
        }
        base.update(claims)
        return sign(google_claims(aud=BASE + path, **base), self.keys.google, "google-1")

    def user(self, sub: str = "g-bob", **claims: Any) -> str:
        base: dict[str, Any] = {"sub": sub, "email": "bob@example.com", "email_verified": True}
        base.update(claims)
        return sign(google_claims(aud=ADDON_CLIENT, **base), self.keys.google, "google-1")


@pytest.fixture
def mint(keys: Keys) -> Minter:
    return Minter(keys)


def plugin_config(db_url: str, *, extra: dict[str, Any] | None = None, **serve: Any) -> Config:
    values: dict[str, Any] = {
        "base_url": BASE,
        "entra_client_id": CLIENT_ID,
        "entra_scope": "access_as_user",
        "tenant_allowlist": [TENANT_A, TENANT_B],
        "google_addon_service_account": ADDON_SA,
        "google_addon_client_id": ADDON_CLIENT,
    }
    values.update(serve)
    return load_config(database_url=db_url, serve=values, **(extra or {}))


@dataclass(frozen=True)
class World:
    account_a: int
    account_b: int
    ask_a: int
    ask_b: int
    thread_a: int
    untracked_a: int
    thread_b: int
    user_a: int
    user_b: int
    user_g: int


def build_world(store: Store) -> World:
    with store.session_scope() as s:
        acc_a = add_account(
            s, address="alice@contoso.example", provider="graph", display_name="Alice"
        )
        acc_b = add_account(s, address="bob@example.com", provider="gmail", display_name="Bob")
        asked = NOW - timedelta(days=8)
        thread_a, msg_a = add_ask_thread(s, acc_a, asked_at=asked, key="conv-A")
        msg_a.message_id = "ask-a@contoso.example"
        s.add(msg_a)
        untracked = add_thread(s, acc_a, key="conv-A2", subject="Lunch next week?")
        add_message(
            s,
            acc_a,
            untracked,
            direction="sent",
            sent_at=asked,
            to=("sam@corp.example",),
            text="Lunch next week?",
            is_ask=False,
        )
        thread_b, msg_b = add_ask_thread(
            s,
            acc_b,
            asked_at=asked,
            key="gmail-thread-B",
            contact="erin@corp.example",
            contact_name="Erin",
            subject="Intro to the team at Globex?",
            kind="introduction",
            company="Globex",
            role=None,
        )
        msg_b.provider_id = "gmail-msg-B"
        s.add(msg_b)
        for account, thread in ((acc_a, thread_a), (acc_b, thread_b)):
            refresh_threads(s, account=account, thread_ids=[thread.id or 0], now=NOW)
        users = {}
        for key, provider in (
            (f"entra:{TENANT_A}:{OID_A}", "entra"),
            (f"entra:{TENANT_B}:{OID_B}", "entra"),
            ("google:g-bob", "google"),
        ):
            user = AddinUser(user_key=key, identity_provider=provider)
            s.add(user)
            s.flush()
            users[key] = user.id or 0
        s.add(AccountLink(user_id=users[f"entra:{TENANT_A}:{OID_A}"], account_id=acc_a.id or 0))
        s.add(AccountLink(user_id=users[f"entra:{TENANT_B}:{OID_B}"], account_id=acc_b.id or 0))
        s.add(AccountLink(user_id=users["google:g-bob"], account_id=acc_b.id or 0))
        s.flush()
        ask_a = s.exec(select(Ask).where(Ask.thread_id == thread_a.id)).one()
        ask_b = s.exec(select(Ask).where(Ask.thread_id == thread_b.id)).one()
        return World(
            account_a=acc_a.id or 0,
            account_b=acc_b.id or 0,
            ask_a=ask_a.id or 0,
            ask_b=ask_b.id or 0,
            thread_a=thread_a.id or 0,
            untracked_a=untracked.id or 0,
            thread_b=thread_b.id or 0,
            user_a=users[f"entra:{TENANT_A}:{OID_A}"],
            user_b=users[f"entra:{TENANT_B}:{OID_B}"],
            user_g=users["google:g-bob"],
        )


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The world built once in a migrated SQLite file; each test gets its own copy."""
    path = tmp_path_factory.mktemp("plugin-world") / "world.db"
    world = build_world(open_store(url=f"sqlite:///{path}"))
    forget_stores()  # closes the last connection: the WAL is checkpointed into the file
    return path, world


@pytest.fixture
def sqlite_store(tmp_path: Path, world_template: tuple[Path, World]) -> Store:
    """Overrides the root fixture: a copy of the world database (fast: no migration per test)."""
    target = tmp_path / "test.db"
    shutil.copyfile(world_template[0], target)
    return open_store(url=f"sqlite:///{target}")


@pytest.fixture
def world(sqlite_store: Store, world_template: tuple[Path, World]) -> World:
    return world_template[1]


def make_app(
    store: Store,
    keys: Keys,
    *,
    now: datetime = NOW,
    extra: dict[str, Any] | None = None,
    **serve: Any,
) -> FastAPI:
    config = plugin_config(str(store.engine.url), extra=extra, **serve)
    return create_app(
        config,
        store=store,
        entra_keys=StaticKeys({"entra-1": keys.entra.public_key()}),
        google_keys=StaticKeys({"google-1": keys.google.public_key()}),
        clock=lambda: now,
    )


@pytest.fixture
def app(sqlite_store: Store, keys: Keys, world: World) -> FastAPI:
    return make_app(sqlite_store, keys)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_oid() -> str:
    return str(uuid.uuid4())
