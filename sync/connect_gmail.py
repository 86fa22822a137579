"""Builds the Gmail connector for an account from its stored, encrypted Google credentials.

Role: the sync-side half of the Gmail provider: read the credential (``sync.secrets``), build
``google.oauth2.credentials.Credentials`` (token endpoint from ``config.gmail.token_uri`` when set,
e.g. the emulator), build the googleapiclient service (``config.gmail.api_endpoint`` when set),
and wire the connector's pacing (``config.gmail.units_per_minute``) and the classifier's
prefilter terms. ``link_gmail`` is what ``reftrack auth gmail`` does once the OAuth flow has
produced credentials.

Invariants:
- A refreshed access token is written back at once (compare-and-swap on the credential version):
  a concurrent writer wins and we keep using our (equally valid) token.
- No stored credential, or one Google no longer honours (``invalid_grant``), ends in
  ``AuthExpired``, which the orchestrator turns into ``needs_reauth`` for this account only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from google.oauth2.credentials import Credentials
from sqlmodel import Session

from connectors.errors import AuthExpired
from connectors.gmail import COMPOSE_SCOPE, DRAFT_SCOPES, SCOPES, GmailConnector, open_service
from core.classify import GMAIL_PREFILTER_TERMS
from core.models import Account
from sync.accounts import upsert_account
from sync.config import Config
from sync.secrets import CredentialConflict, load_credential, save_credential

log = logging.getLogger(__name__)


def credentials_from_json(data: bytes, *, config: Config) -> Credentials:
    """Google authorized-user JSON → ``Credentials``; the config's token endpoint wins when set."""
    try:
        info: dict[str, Any] = json.loads(data.decode("utf-8"))
        # Keep the drafts scope when it was granted: a refresh asks for these scopes only.
        stored = info.get("scopes") or ()
        scopes = DRAFT_SCOPES if COMPOSE_SCOPE in stored else SCOPES
        creds: Credentials = Credentials.from_authorized_user_info(info, scopes=list(scopes))  # type: ignore[no-untyped-call]
        # from_authorized_user_info always sets Google's token endpoint; the config may override it.
        token_uri = config.gmail.token_uri or info.get("token_uri")
        if token_uri and token_uri != creds.token_uri:
            creds = creds.with_token_uri(token_uri)  # type: ignore[no-untyped-call]
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        raise AuthExpired(
            "The stored Gmail credentials are unreadable; run `reftrack auth gmail` again."
        ) from exc
    return creds


def build_connector(
    creds: Credentials,
    *,
    config: Config,
    on_credentials: Callable[[Credentials], None] | None = None,
) -> GmailConnector:
    return GmailConnector(
        open_service(creds, api_endpoint=config.gmail.api_endpoint),
        api_endpoint=config.gmail.api_endpoint,
        prefilter_terms=GMAIL_PREFILTER_TERMS if config.gmail.prefilter else None,
        # hits are fetched one by one with their body; a thread only when the classifier
        # (sync's body-aware is_candidate) says the hit is an ask — the cheapest mode measured
        fetch="message",
        units_per_minute=config.gmail.units_per_minute,
        credentials=creds,
        on_credentials=on_credentials,
    )


def open_gmail(
    session_factory: Callable[[], Session], *, account: Account, config: Config
) -> GmailConnector:
    """The connector for ``account``; raises ``AuthExpired`` when it has no usable credential."""
    assert account.id is not None
    account_id = account.id
    with session_factory() as session:
        stored = load_credential(session, account_id=account_id, config=config)
    if stored is None or stored.kind != "google":
        raise AuthExpired(
            f"No Gmail credentials are stored for {account.address}; run `reftrack auth gmail`."
        )
    creds = credentials_from_json(stored.data, config=config)
    version = stored.version

    def persist(refreshed: Credentials) -> None:
        nonlocal version
        with session_factory() as session:
            try:
                version = save_credential(
                    session,
                    account_id=account_id,
                    kind="google",
                    data=refreshed.to_json().encode("utf-8"),  # type: ignore[no-untyped-call]
                    config=config,
                    expected_version=version,
                )
                session.commit()
            except CredentialConflict:
                session.rollback()
                log.info("%s: another process refreshed the Gmail token first", account.address)

    return build_connector(creds, config=config, on_credentials=persist)


def link_gmail(session: Session, creds: Credentials, *, config: Config) -> Account:
    """Store ``creds`` for the mailbox they open (asks Gmail whose it is); the caller commits."""
    profile = build_connector(creds, config=config).get_profile()
    if not profile.address:
        raise AuthExpired(
            "Gmail did not say which mailbox this is; run `reftrack auth gmail` again."
        )
    account = upsert_account(session, "gmail", profile.address, display_name=profile.display_name)
    assert account.id is not None
    save_credential(
        session,
        account_id=account.id,
        kind="google",
        data=creds.to_json().encode("utf-8"),  # type: ignore[no-untyped-call]
        config=config,
    )
    return account
