"""Linking a Gmail account, opening its connector from the encrypted credential, refresh
persistence, ``invalid_grant`` and the ``reftrack auth gmail`` error messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from gmail_fixtures import FakeStore, credentials, small_mailbox

from connectors.emulators.gmail import GmailEmulator
from connectors.errors import AuthExpired
from core.models import Account
from sync.cli import main
from sync.config import load_config
from sync.connect_gmail import link_gmail, open_gmail
from sync.secrets import load_credential
from sync.store import Store


def _config(emu: GmailEmulator):  # type: ignore[no-untyped-def]
    return load_config(
        gmail={"api_endpoint": emu.endpoint, "token_uri": emu.token_uri, "units_per_minute": 100000}
    )


def _stale(emu: GmailEmulator):  # type: ignore[no-untyped-def]
    expired = (datetime.now(UTC) - timedelta(hours=2)).replace(tzinfo=None)
    return credentials(emu, token="stale-token", expiry=expired)


def test_gmail_link_then_open_refreshes_and_persists_the_token(sqlite_store: Store) -> None:
    with GmailEmulator(small_mailbox()) as emu:
        config = _config(emu)
        with sqlite_store.session_scope() as session:
            account = link_gmail(session, _stale(emu), config=config)
            assert account.address == "me@example.com" and account.provider == "gmail"
            account_id = account.id
        with sqlite_store.session_scope() as session:
            stored = load_credential(session, account_id=account_id, config=config)
            assert stored is not None and stored.key_source == "keyfile"
            first_version = stored.version
            # Make the stored access token stale so opening has to refresh it.
            data = json.loads(stored.data)
            data["token"], data["expiry"] = "stale-token", "2020-01-01T00:00:00Z"
            from sync.secrets import save_credential

            save_credential(
                session,
                account_id=account_id,
                kind="google",
                data=json.dumps(data).encode(),
                config=config,
            )
        with sqlite_store.session_scope() as session:
            row = session.get(Account, account_id)
        assert row is not None
        con = open_gmail(sqlite_store.session_factory, account=row, config=config)
        store = FakeStore()
        store.sync(con)
        assert {"id1@mail.example", "id2@mail.example", "id3@mail.example"} <= set(
            store.by_message_id()
        )
        with sqlite_store.session_scope() as session:
            after = load_credential(session, account_id=account_id, config=config)
        assert after is not None and after.version > first_version + 1
        assert json.loads(after.data)["token"].startswith("ya29.emu-")


def test_gmail_prefilter_setting_turns_the_english_search_off(sqlite_store: Store) -> None:
    with GmailEmulator(small_mailbox()) as emu:
        on, off = (
            _config(emu),
            load_config(
                gmail={"api_endpoint": emu.endpoint, "token_uri": emu.token_uri, "prefilter": False}
            ),
        )
        with sqlite_store.session_scope() as session:
            account = link_gmail(session, _stale(emu), config=on)
            account_id = account.id
        with sqlite_store.session_scope() as session:
            row = session.get(Account, account_id)
        assert row is not None
        searching = open_gmail(sqlite_store.session_factory, account=row, config=on)
        reading_all = open_gmail(sqlite_store.session_factory, account=row, config=off)
        assert searching.prefilter_terms and "referral" in searching.prefilter_terms
        assert reading_all.prefilter_terms is None and reading_all.fetch == "metadata"


def test_gmail_open_without_credentials_raises_auth_expired(sqlite_store: Store) -> None:
    with GmailEmulator(small_mailbox()) as emu:
        config = _config(emu)
        with sqlite_store.session_scope() as session:
            account = Account(provider="gmail", address="x@example.com")
            session.add(account)
            session.flush()
        with pytest.raises(AuthExpired, match="reftrack auth gmail"):
            open_gmail(sqlite_store.session_factory, account=account, config=config)


def test_gmail_revoked_grant_on_open_raises_auth_expired(sqlite_store: Store) -> None:
    with GmailEmulator(small_mailbox()) as emu:
        config = _config(emu)
        with sqlite_store.session_scope() as session:
            account = link_gmail(session, credentials(emu), config=config)
        emu.revoke()
        con = open_gmail(sqlite_store.session_factory, account=account, config=config)
        with pytest.raises(AuthExpired, match="expired or revoked"):
            con.get_profile()


def test_gmail_auth_command_without_client_file_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["auth", "gmail", "--no-browser"])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "pass --client-secrets FILE" in err and "Traceback" not in err


def test_gmail_auth_command_rejects_a_non_client_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "client.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(SystemExit) as info:
        main(["auth", "gmail", "--client-secrets", str(bad), "--no-browser"])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "is not an OAuth client file" in err and err.count("\n") == 1


def test_gmail_orchestrated_sync_stores_asks_and_marks_needs_reauth_on_revoke(
    sqlite_store: Store,
) -> None:
    from gmail_fixtures import NOW, msg
    from sqlmodel import select

    from core.models import Ask
    from sync.run import sync_account

    box = small_mailbox()
    with GmailEmulator(box) as emu:
        config = _config(emu)
        with sqlite_store.session_scope() as session:
            account = link_gmail(session, credentials(emu), config=config)
        first = sync_account(sqlite_store, config, account, now=NOW, send_digest=False)
        assert first.status == "synced" and first.new_messages >= 4
        emu.add_message(
            msg(
                70,
                "t1",
                direction="received",
                subject="Re",
                text="Any update?",
                day=29,
                reply_to=box.messages[0],
            )
        )
        second = sync_account(sqlite_store, config, account, now=NOW, send_digest=False)
        assert second.new_messages == 1
        emu.revoke()
        third = sync_account(sqlite_store, config, account, now=NOW, send_digest=False)
        assert third.status == "needs_reauth" and "reftrack auth gmail" in third.error
        with sqlite_store.session_scope() as session:
            assert len(session.exec(select(Ask)).all()) == 2
            row = session.get(Account, account.id)
            assert row is not None and row.status == "needs_reauth"
