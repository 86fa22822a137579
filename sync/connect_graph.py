"""Microsoft 365 accounts: MSAL sign-in, the encrypted token cache, and ``open_graph``.

- ``build_msal_app`` makes the ``msal.PublicClientApplication`` from ``config.outlook`` (client id,
  tenant or a full authority URL). An ``http://127.0.0.1:<port>/<tenant>`` authority is the local
  stand-in served by ``connectors.emulators.graph``: MSAL only accepts https authorities, so it is
  given the https form plus ``LoopbackHttpClient``, which sends loopback https URLs over plain
  http and is used for nothing else. Real tenants go to login.microsoftonline.com as usual.
- ``CacheStore`` keeps the ``SerializableTokenCache`` encrypted in ``Credential`` (kind "msal").
  It writes only when ``cache.has_state_changed``, and compare-and-swaps on the credential version:
  when another process wrote first it reloads that cache, merges ours over it (entry by entry,
  our newer tokens win) and tries again.
- ``MsalTokenSource`` is the connector's token callable: ``acquire_token_silent`` (refreshing when
  needed), cache persisted when it changed; a grant that needs interaction raises
  ``connectors.errors.AuthExpired`` with the sentence to show, and sync marks ``needs_reauth``.
- ``link_account`` is what ``reftrack auth outlook`` runs: device code (default) or browser flow,
  then ``/me`` for the address, then the account and its cache are stored in one transaction.
  ``drafts=True`` (``--drafts``) also asks for Mail.ReadWrite, which creating reply drafts needs;
  ``open_graph`` keeps asking for it when the stored tokens carry it (``granted_scopes``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import msal
from sqlmodel import Session

from connectors.errors import AuthExpired, Transient
from connectors.graph import GraphConnector
from core.models import Account
from sync.accounts import upsert_account
from sync.config import Config
from sync.errors import ConfigError, ReftrackError
from sync.secrets import CredentialConflict, load_credential, save_credential

log = logging.getLogger(__name__)

#: Delegated scopes; msal adds offline_access (refresh token), openid and profile itself.
#: User.Read is what GET /me needs (the mailbox address); Entra grants it to new apps by default.
SCOPES: list[str] = ["User.Read", "Mail.Read", "Mail.Send"]
#: What ``reftrack auth outlook --drafts`` adds: createReply (digest.create_drafts) needs it.
DRAFT_SCOPES: list[str] = [*SCOPES, "Mail.ReadWrite"]
CREDENTIAL_KIND = "msal"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_REAUTH = "run `reftrack auth outlook` again"


class LoopbackHttpClient:
    """The ``http_client`` MSAL calls (requests-like get/post) for a loopback authority stand-in."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(timeout=30.0)

    @staticmethod
    def _url(url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname in _LOOPBACK:
            return urlunsplit(parts._replace(scheme="http"))
        return url

    def get(
        self,
        url: str,
        params: Any = None,
        headers: Any = None,
        **kwargs: Any,
    ) -> httpx.Response:
        return self._client.get(self._url(url), params=params, headers=headers)

    def post(
        self,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        **kwargs: Any,
    ) -> httpx.Response:
        if isinstance(data, str | bytes):
            return self._client.post(self._url(url), params=params, content=data, headers=headers)
        return self._client.post(self._url(url), params=params, data=data, headers=headers)

    def close(self) -> None:
        self._client.close()


def build_msal_app(
    config: Config, cache: msal.TokenCache | None = None
) -> msal.PublicClientApplication:
    """The public client for ``config.outlook``; raises ``ConfigError`` when it is not set up."""
    outlook = config.outlook
    if not outlook.client_id:
        raise ConfigError(
            "No Microsoft app is configured; register one in Entra ID (see README, "
            "'Microsoft 365') and set outlook.client_id or REFTRACK_OUTLOOK__CLIENT_ID."
        )
    authority = outlook.authority or f"https://login.microsoftonline.com/{outlook.tenant}"
    parts = urlsplit(authority)
    kwargs: dict[str, Any] = {}
    if parts.scheme == "http":
        if parts.hostname not in _LOOPBACK:
            raise ConfigError(
                f"outlook.authority {authority!r} must be an https URL "
                "(plain http is only for the local emulator on 127.0.0.1)."
            )
        authority = urlunsplit(parts._replace(scheme="https"))
        kwargs.update(http_client=LoopbackHttpClient(), instance_discovery=False)
    elif parts.scheme != "https" or not parts.hostname:
        raise ConfigError(
            f"outlook.authority {authority!r} is not a URL; use e.g. "
            "https://login.microsoftonline.com/<tenant-id>."
        )
    try:
        return msal.PublicClientApplication(
            outlook.client_id, authority=authority, token_cache=cache, **kwargs
        )
    except ValueError as exc:  # bad authority / tenant: MSAL says why
        raise ConfigError(
            f"Microsoft sign-in cannot use authority {authority!r} ({exc}); fix outlook.tenant or outlook.authority."
        ) from exc
    except (httpx.HTTPError, OSError) as exc:
        raise Transient(
            f"Cannot reach the Microsoft sign-in service ({exc}); check the network and retry."
        ) from exc


def _merge_caches(theirs: str, ours: str) -> str:
    """Entry-by-entry union of two serialized MSAL caches; our entries win on the same key."""
    merged: dict[str, Any] = json.loads(theirs or "{}")
    for section, entries in json.loads(ours or "{}").items():
        if isinstance(entries, dict) and isinstance(merged.get(section), dict):
            merged[section].update(entries)
        else:
            merged[section] = entries
    return json.dumps(merged)


class CacheStore:
    """Loads and persists one account's MSAL cache (encrypted, compare-and-swap on version)."""

    def __init__(
        self, session_factory: Callable[[], Session], *, account_id: int, config: Config
    ) -> None:
        self._session_factory = session_factory
        self.account_id = account_id
        self._config = config
        self.cache = msal.SerializableTokenCache()
        self.version = 0
        self._lock = threading.Lock()

    def load(self) -> bool:
        """Read the stored cache; returns whether there was one."""
        session = self._session_factory()
        try:
            stored = load_credential(session, account_id=self.account_id, config=self._config)
        finally:
            session.close()
        if stored is None or stored.kind != CREDENTIAL_KIND:
            return False
        self.cache.deserialize(stored.data.decode("utf-8"))
        self.version = stored.version
        return True

    def persist(self, *, attempts: int = 3) -> bool:
        """Write the cache if it changed; returns whether it wrote."""
        with self._lock:
            if not self.cache.has_state_changed:
                return False
            data = self.cache.serialize()
            for _ in range(attempts):
                session = self._session_factory()
                try:
                    self.version = save_credential(
                        session,
                        account_id=self.account_id,
                        kind=CREDENTIAL_KIND,
                        data=data.encode("utf-8"),
                        config=self._config,
                        expected_version=self.version,
                    )
                    session.commit()
                    self.cache.has_state_changed = False
                    return True
                except CredentialConflict:
                    session.rollback()
                    stored = load_credential(
                        session, account_id=self.account_id, config=self._config
                    )
                    theirs = stored.data.decode("utf-8") if stored else "{}"
                    self.version = stored.version if stored else 0
                    data = _merge_caches(theirs, data)
                    self.cache.deserialize(data)
                    log.info("token cache changed in another process; merged and retrying")
                finally:
                    session.close()
            raise ReftrackError(
                "The Microsoft token cache kept changing under us; run the command again."
            )


class MsalTokenSource:
    """Callable returning a valid access token; raises ``AuthExpired`` when sign-in is needed."""

    def __init__(
        self,
        app: msal.PublicClientApplication,
        store: CacheStore,
        *,
        address: str,
        clock: Callable[[], float] = time.time,
        scopes: list[str] | None = None,
    ) -> None:
        self._app = app
        self._scopes = list(scopes or SCOPES)
        self._store = store
        self._address = address.lower()
        self._clock = clock
        self._token: str | None = None
        self._expires = 0.0
        self._force = False
        self._lock = threading.Lock()

    def _account(self) -> dict[str, Any]:
        accounts: list[dict[str, Any]] = self._app.get_accounts()
        for account in accounts:
            if str(account.get("username", "")).lower() == self._address:
                return account
        if accounts:
            return accounts[0]
        raise AuthExpired(f"No Microsoft sign-in is stored for {self._address}; {_REAUTH}.")

    def invalidate(self) -> None:
        """Graph refused our token: the next call refreshes it instead of using the cache."""
        with self._lock:
            self._token, self._force = None, True

    def __call__(self) -> str:
        with self._lock:
            if self._token and self._clock() < self._expires - 120:
                return self._token
            try:
                result = self._app.acquire_token_silent(
                    self._scopes, account=self._account(), force_refresh=self._force
                )
                self._force = False
            except (httpx.HTTPError, OSError) as exc:
                raise Transient(
                    f"Cannot reach the Microsoft sign-in service ({exc}); the next sync will retry."
                ) from exc
            self._store.persist()
            if not result or "access_token" not in result:
                detail = (result or {}).get("error_description") or (result or {}).get("error")
                reason = f" ({str(detail).splitlines()[0]})" if detail else ""
                raise AuthExpired(
                    f"The Microsoft 365 sign-in for {self._address} expired or was revoked{reason}; "
                    f"{_REAUTH}."
                )
            self._token = str(result["access_token"])
            self._expires = self._clock() + float(result.get("expires_in", 300))
            return self._token


def open_graph(
    session_factory: Callable[[], Session], *, account: Account, config: Config
) -> GraphConnector:
    """The connector for a linked Microsoft 365 account (token checked before returning)."""
    if account.id is None:
        raise ReftrackError("The account has no id yet; store it before syncing.")
    store = CacheStore(session_factory, account_id=account.id, config=config)
    if not store.load():
        raise AuthExpired(f"No Microsoft sign-in is stored for {account.address}; {_REAUTH}.")
    app = build_msal_app(config, store.cache)
    tokens = MsalTokenSource(
        app, store, address=account.address, scopes=granted_scopes(store.cache)
    )
    tokens()  # fail early (needs_reauth) rather than on the first page
    return GraphConnector(
        tokens,
        endpoint=config.outlook.graph_endpoint,
        mailbox_key=f"graph:{account.address}",
    )


def granted_scopes(cache: msal.TokenCache) -> list[str]:
    """``DRAFT_SCOPES`` when a stored access token carries Mail.ReadWrite, else ``SCOPES``."""
    for token in cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN):
        target = str(token.get("target", "")).lower().split()
        if any(t.rsplit("/", 1)[-1] == "mail.readwrite" for t in target):
            return list(DRAFT_SCOPES)
    return list(SCOPES)


def link_account(
    session_factory: Callable[[], Session],
    *,
    config: Config,
    browser: bool = False,
    show: Callable[[str], None] = print,
    drafts: bool = False,
) -> Account:
    """Sign in (device code, or the browser with ``browser``), then store the account and cache."""
    cache = msal.SerializableTokenCache()
    app = build_msal_app(config, cache)
    scopes = DRAFT_SCOPES if drafts else SCOPES
    try:
        if browser:
            result = app.acquire_token_interactive(scopes, prompt="select_account")
        else:
            flow = app.initiate_device_flow(scopes=scopes)
            if "user_code" not in flow:
                raise ReftrackError(
                    "Microsoft refused to start the device-code sign-in "
                    f"({flow.get('error_description') or flow.get('error')}); check outlook.client_id "
                    "and that 'Allow public client flows' is on in the app registration."
                )
            show(str(flow["message"]))
            result = app.acquire_token_by_device_flow(flow)
    except (httpx.HTTPError, OSError) as exc:
        raise ReftrackError(
            f"Cannot reach the Microsoft sign-in service ({exc}); check the network and retry."
        ) from exc
    if "access_token" not in result:
        detail = str(result.get("error_description") or result.get("error") or "no token")
        raise ReftrackError(
            f"Microsoft sign-in failed ({detail.splitlines()[0]}); run `reftrack auth outlook` again."
        )
    token = str(result["access_token"])
    connector = GraphConnector(lambda: token, endpoint=config.outlook.graph_endpoint)
    try:
        profile = connector.get_profile()
    finally:
        connector.close()
    session = session_factory()
    try:
        account = upsert_account(
            session,
            "graph",
            profile.address,
            display_name=profile.display_name,
            time_zone=profile.time_zone,
        )
        assert account.id is not None  # flushed by upsert_account
        stored = load_credential(session, account_id=account.id, config=config)
        save_credential(
            session,
            account_id=account.id,
            kind=CREDENTIAL_KIND,
            data=cache.serialize().encode("utf-8"),
            config=config,
            expected_version=stored.version if stored else 0,
        )
        session.commit()
        return account
    except CredentialConflict as exc:
        session.rollback()
        raise ReftrackError(
            "Another process changed this account's credentials meanwhile; run `reftrack auth outlook` again."
        ) from exc
    finally:
        session.close()
