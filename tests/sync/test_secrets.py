"""Encrypted credentials: round trip, a private key file, compare-and-swap between writers."""

from __future__ import annotations

import stat

import pytest
from sqlmodel import select

from core.models import Account, Credential
from sync.config import load_config
from sync.secrets import CredentialConflict, load_credential, save_credential


def test_credentials_encrypted_at_rest(sqlite_store) -> None:
    config = load_config()
    with sqlite_store.session_scope() as session:
        account = Account(provider="gmail", address="me@example.com")
        session.add(account)
        session.flush()
        save_credential(
            session,
            account_id=account.id,
            kind="google",
            data=b'{"refresh_token": "s3cret"}',
            config=config,
        )
        account_id = account.id
    with sqlite_store.session_scope() as session:
        row = session.exec(select(Credential)).one()
        assert b"s3cret" not in row.ciphertext
        assert row.key_source == "keyfile"
        got = load_credential(session, account_id=account_id, config=config)
        assert got is not None and got.data == b'{"refresh_token": "s3cret"}' and got.version == 1
    mode = stat.S_IMODE(config.effective_key_file.stat().st_mode)
    assert mode == 0o600


def test_credentials_compare_and_swap(sqlite_store) -> None:
    config = load_config()
    with sqlite_store.session_scope() as session:
        account = Account(provider="graph", address="me@contoso.com")
        session.add(account)
        session.flush()
        v1 = save_credential(session, account_id=account.id, kind="msal", data=b"a", config=config)
        v2 = save_credential(
            session,
            account_id=account.id,
            kind="msal",
            data=b"b",
            config=config,
            expected_version=v1,
        )
        assert v2 == v1 + 1
        with pytest.raises(CredentialConflict):
            save_credential(
                session,
                account_id=account.id,
                kind="msal",
                data=b"c",
                config=config,
                expected_version=v1,
            )


def test_credentials_refuse_world_readable_key_file(sqlite_store) -> None:
    config = load_config()
    config.effective_key_file.parent.mkdir(parents=True, exist_ok=True)
    config.effective_key_file.write_bytes(b"x" * 44)
    config.effective_key_file.chmod(0o644)
    with sqlite_store.session_scope() as session:
        account = Account(provider="gmail", address="a@b.c")
        session.add(account)
        session.flush()
        from sync.errors import ReftrackError

        with pytest.raises(ReftrackError, match="chmod 600"):
            save_credential(session, account_id=account.id, kind="google", data=b"x", config=config)
