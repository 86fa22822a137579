"""MSAL sign-in, encrypted token cache persistence and needs_reauth, against the local authority.

The emulator doubles as the Entra ID authority (``/{tenant}/oauth2/v2.0/...``); real msal talks to
it through ``sync.connect_graph.LoopbackHttpClient``, so nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from graph_fixtures import MiniStore, small_mailbox
from sqlmodel import select
from typer.testing import CliRunner

from connectors.emulators.graph import GraphEmulator
from connectors.errors import AuthExpired
from core.models import Account, Credential
from sync.accounts import get_account
from sync.config import Config, load_config
from sync.connect_graph import CacheStore, _merge_caches, build_msal_app, link_account, open_graph
from sync.errors import ConfigError
from sync.secrets import load_credential, save_credential
from sync.store import Store


@pytest.fixture
def emulator() -> Iterator[GraphEmulator]:
    with GraphEmulator(small_mailbox(sent=20), token="unused") as emu:
        yield emu


def _config(emu: GraphEmulator) -> Config:
    return load_config(
        outlook={
            "client_id": "00000000-0000-0000-0000-0000000c11e7",
            "authority": emu.authority,
            "graph_endpoint": emu.graph_endpoint,
        }
    )


def test_link_account_device_code_stores_encrypted_cache(
    sqlite_store: Store, emulator: GraphEmulator
) -> None:
    config = _config(emulator)
    shown: list[str] = []
    account = link_account(sqlite_store.session_factory, config=config, show=shown.append)
    assert account.address == "alex.morgan@gmail.com" and account.provider == "graph"
    assert shown and "code" in shown[0].lower()
    with sqlite_store.session_scope() as session:
        row = session.exec(select(Credential).where(Credential.account_id == account.id)).one()
        assert row.kind == "msal" and b"refresh" not in row.ciphertext  # encrypted at rest
        stored = load_credential(session, account_id=account.id, config=config)
        assert stored is not None and "RefreshToken" in json.loads(stored.data)


def test_open_graph_silent_token_syncs_and_only_writes_changed_cache(
    sqlite_store: Store, emulator: GraphEmulator
) -> None:
    config = _config(emulator)
    account = link_account(sqlite_store.session_factory, config=config, show=lambda _: None)
    connector = open_graph(sqlite_store.session_factory, account=account, config=config)
    store = MiniStore()
    assert store.run(connector)
    assert len(store.messages) == len(emulator.mailbox)
    with sqlite_store.session_scope() as session:
        version = load_credential(session, account_id=account.id, config=config).version  # type: ignore[union-attr]
    # The access token from sign-in is still valid: a second open changes nothing and writes nothing.
    open_graph(sqlite_store.session_factory, account=account, config=config)
    with sqlite_store.session_scope() as session:
        assert load_credential(session, account_id=account.id, config=config).version == version  # type: ignore[union-attr]


def test_open_graph_refreshes_expired_access_token_and_persists(
    sqlite_store: Store, emulator: GraphEmulator
) -> None:
    config = _config(emulator)
    account = link_account(sqlite_store.session_factory, config=config, show=lambda _: None)
    cache_store = CacheStore(sqlite_store.session_factory, account_id=account.id, config=config)  # type: ignore[arg-type]
    assert cache_store.load()
    before = cache_store.version
    state = json.loads(cache_store.cache.serialize())
    for entry in state["AccessToken"].values():  # age the access token out
        entry["expires_on"] = entry["extended_expires_on"] = "1"
    with sqlite_store.session_scope() as session:
        save_credential(
            session,
            account_id=account.id,
            kind="msal",
            data=json.dumps(state).encode(),  # type: ignore[arg-type]
            config=config,
            expected_version=before,
        )
    connector = open_graph(sqlite_store.session_factory, account=account, config=config)
    assert connector.get_profile().address == account.address
    with sqlite_store.session_scope() as session:
        stored = load_credential(session, account_id=account.id, config=config)  # type: ignore[arg-type]
    assert stored is not None and stored.version == before + 2  # our aged copy, then the refresh
    tokens = json.loads(stored.data)["AccessToken"].values()
    assert all(int(t["expires_on"]) > 1000 for t in tokens)


def test_open_graph_revoked_grant_raises_auth_expired(
    sqlite_store: Store, emulator: GraphEmulator
) -> None:
    config = _config(emulator)
    account = link_account(sqlite_store.session_factory, config=config, show=lambda _: None)
    emulator.revoke()
    # The cached access token is rejected by Graph ...
    connector = open_graph(sqlite_store.session_factory, account=account, config=config)
    with pytest.raises(AuthExpired, match="reftrack auth outlook"):
        connector.get_profile()
    # ... and once it has expired, the refresh fails too: interaction is required.
    cache_store = CacheStore(sqlite_store.session_factory, account_id=account.id, config=config)  # type: ignore[arg-type]
    cache_store.load()
    state = json.loads(cache_store.cache.serialize())
    state["AccessToken"] = {}
    with sqlite_store.session_scope() as session:
        save_credential(
            session,
            account_id=account.id,
            kind="msal",
            data=json.dumps(state).encode(),
            config=config,
        )  # type: ignore[arg-type]
    with pytest.raises(AuthExpired, match=r"expired or was revoked.*reftrack auth outlook"):
        open_graph(sqlite_store.session_factory, account=account, config=config)


def test_open_graph_refused_token_is_refreshed_once_and_sync_continues(
    sqlite_store: Store, emulator: GraphEmulator
) -> None:
    config = _config(emulator)
    account = link_account(sqlite_store.session_factory, config=config, show=lambda _: None)
    connector = open_graph(sqlite_store.session_factory, account=account, config=config)
    emulator.revoke_access_tokens()  # the cached token is refused before it expires
    store = MiniStore()
    assert store.run(connector)
    assert len(store.messages) == len(emulator.mailbox)
    assert sum("oauth2/v2.0/token" in line for line in emulator.log) == 2  # sign-in + 1 refresh


def test_open_graph_without_stored_cache_raises_auth_expired(sqlite_store: Store) -> None:
    config = load_config(outlook={"client_id": "x"})
    with sqlite_store.session_scope() as session:
        session.add(Account(provider="graph", address="a@b.example"))
    with sqlite_store.session_scope() as session:
        account = get_account(session, "graph:a@b.example")
    assert account is not None
    with pytest.raises(AuthExpired, match="No Microsoft sign-in is stored"):
        open_graph(sqlite_store.session_factory, account=account, config=config)


def test_cache_store_conflict_merges_both_writers(
    sqlite_store: Store, emulator: GraphEmulator
) -> None:
    config = _config(emulator)
    account = link_account(sqlite_store.session_factory, config=config, show=lambda _: None)
    first = CacheStore(sqlite_store.session_factory, account_id=account.id, config=config)  # type: ignore[arg-type]
    second = CacheStore(sqlite_store.session_factory, account_id=account.id, config=config)  # type: ignore[arg-type]
    first.load()
    second.load()
    for store, key in ((first, "one"), (second, "two")):
        state = json.loads(store.cache.serialize())
        state.setdefault("AppMetadata", {})[f"appmetadata-{key}"] = {"client_id": key}
        store.cache.deserialize(json.dumps(state))
        store.cache.has_state_changed = True
    assert first.persist()
    assert second.persist()  # conflict → reload, merge, write
    check = CacheStore(sqlite_store.session_factory, account_id=account.id, config=config)  # type: ignore[arg-type]
    check.load()
    meta = json.loads(check.cache.serialize())["AppMetadata"]
    assert {"appmetadata-one", "appmetadata-two"} <= set(meta)
    assert not check.persist()  # unchanged cache is never written


def test_merge_caches_prefers_ours_per_entry() -> None:
    theirs = json.dumps({"RefreshToken": {"k": {"secret": "old"}, "j": {"secret": "x"}}})
    ours = json.dumps({"RefreshToken": {"k": {"secret": "new"}}})
    merged = json.loads(_merge_caches(theirs, ours))
    assert merged["RefreshToken"] == {"k": {"secret": "new"}, "j": {"secret": "x"}}


def test_build_msal_app_rejects_missing_client_id_and_plain_http() -> None:
    with pytest.raises(ConfigError, match="client_id"):
        build_msal_app(load_config())
    with pytest.raises(ConfigError, match="https"):
        build_msal_app(load_config(outlook={"client_id": "x", "authority": "http://example.com/t"}))


def test_auth_outlook_cli_links_account(
    sqlite_store: Store, emulator: GraphEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.cli import app
    from sync.config import reset_config

    monkeypatch.setenv("REFTRACK_DATABASE_URL", str(sqlite_store.engine.url))
    monkeypatch.setenv("REFTRACK_OUTLOOK__CLIENT_ID", "cli-client")
    monkeypatch.setenv("REFTRACK_OUTLOOK__AUTHORITY", emulator.authority)
    monkeypatch.setenv("REFTRACK_OUTLOOK__GRAPH_ENDPOINT", emulator.graph_endpoint)
    reset_config()
    result = CliRunner().invoke(app, ["auth", "outlook"])
    assert result.exit_code == 0, result.output
    assert "Linked Microsoft 365 mailbox alex.morgan@gmail.com" in result.output
    monkeypatch.delenv("REFTRACK_OUTLOOK__CLIENT_ID")
    reset_config()
    result = CliRunner().invoke(app, ["auth", "outlook"])
    assert result.exit_code != 0


def test_graph_end_to_end_auth_sync_noop_and_needs_reauth(
    sqlite_store: Store, emulator: GraphEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reftrack auth outlook` then `reftrack sync` twice (the second one = 1 Graph request), then
    a revoked grant marks the account needs_reauth with the sentence to act on."""
    from sync.cli import app
    from sync.config import reset_config

    monkeypatch.setenv("REFTRACK_DATABASE_URL", str(sqlite_store.engine.url))
    monkeypatch.setenv("REFTRACK_OUTLOOK__CLIENT_ID", "e2e-client")
    monkeypatch.setenv("REFTRACK_OUTLOOK__AUTHORITY", emulator.authority)
    monkeypatch.setenv("REFTRACK_OUTLOOK__GRAPH_ENDPOINT", emulator.graph_endpoint)
    reset_config()
    runner = CliRunner()
    assert runner.invoke(app, ["auth", "outlook"]).exit_code == 0
    sync_args = ["sync", "--json", "--no-digest", "--now", "2026-05-01T12:00:00+00:00"]
    first = runner.invoke(app, sync_args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["accounts"][0]["new_messages"] > 0
    before = emulator.requests
    second = runner.invoke(app, sync_args)
    assert second.exit_code == 0, second.output
    graph_calls = [line for line in emulator.log[before:] if " /v1.0/" in line]
    assert graph_calls == ["POST /v1.0/$batch"]
    emulator.revoke()
    third = runner.invoke(app, sync_args)
    assert third.exit_code == 1
    result = json.loads(third.output)["accounts"][0]
    assert result["status"] == "needs_reauth" and "reftrack auth outlook" in result["error"]
    with sqlite_store.session_scope() as session:
        account = get_account(session, "graph:alex.morgan@gmail.com")
        assert account is not None and account.status == "needs_reauth"
