"""Linking a mailbox from the add-in: the web variant of ``reftrack auth`` (authorize once).

Flow (both providers):
1. the signed-in add-in calls ``POST /api/link/{provider}`` and gets ``start_url``: our
   ``/link/{provider}/start?ticket=…`` where the ticket is a Fernet token (the credential key of
   ``sync.secrets``; authenticated, 10-minute TTL) naming the add-in user;
2. ``/start`` checks the ticket, starts the provider's flow — Google OAuth web flow
   (google-auth-oauthlib ``Flow``, PKCE) or MSAL's auth-code flow (``initiate_auth_code_flow``,
   PKCE + nonce) — keeps its secrets (state, verifier, MSAL flow dict, user id) in an encrypted,
   HttpOnly cookie scoped to ``/link`` and redirects to the provider;
3. ``/link/{provider}/callback`` (under ``serve.base_url``) checks the cookie and the ``state``,
   exchanges the code, then in ONE transaction stores the mailbox exactly as the CLI does —
   Gmail through ``sync.connect_gmail.link_gmail`` (asks Gmail whose mailbox it is; kind "google"
   = ``Credentials.to_json()``), Microsoft 365 with the address from Graph ``/me`` and
   ``sync.secrets.save_credential`` (kind "msal" = the serialized ``SerializableTokenCache``) —
   and links the account to the user (``AccountLink``) only when the mailbox address is the
   add-in user's own verified address (else everything is rolled back).

Invariants: a callback without our cookie, with a cookie for another provider, with an expired
cookie, or with a ``state`` that does not match, stores nothing; answers are short HTML pages with
one sentence that says what to do. The OAuth clients are built by factories in ``ctx.oauth``
(``"google_flow"``, ``"msal_app"``, ``"graph_profile"``) so tests run them against local stand-ins.
"""

from __future__ import annotations

import html
import json
import logging
import secrets
from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import msal
from cryptography.fernet import Fernet, InvalidToken
from fastapi import APIRouter, Cookie, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from sqlmodel import Session

from connectors.errors import ConnectorError
from connectors.gmail import SCOPES as GMAIL_CONNECTOR_SCOPES
from core.models import Account
from plugin import access
from plugin.app import PluginContext, get_context
from sync.accounts import upsert_account
from sync.config import Config
from sync.connect_gmail import link_gmail
from sync.errors import ReftrackError
from sync.secrets import CredentialConflict, get_cipher, load_credential, save_credential

log = logging.getLogger(__name__)

router = APIRouter(prefix="/link", tags=["linking"], include_in_schema=False)

Provider = Literal["gmail", "outlook"]
COOKIE = "reftrack_link"
TICKET_TTL = 600  # seconds a link ticket / flow cookie stays valid
#: Exactly what `reftrack auth gmail` asks for (read mail, send the digest).
GMAIL_SCOPES: list[str] = list(GMAIL_CONNECTOR_SCOPES)


class LinkError(ReftrackError):
    """Linking failed; the message is shown to the person on the callback page."""


def _fernet(config: Config) -> Fernet:
    return get_cipher(config).fernet


def _seal(ctx: PluginContext, payload: dict[str, Any]) -> str:
    now = int(ctx.clock().timestamp())
    return _fernet(ctx.config).encrypt_at_time(json.dumps(payload).encode(), now).decode()


def _open(ctx: PluginContext, token: str, what: str) -> dict[str, Any]:
    now = int(ctx.clock().timestamp())
    try:
        data = json.loads(_fernet(ctx.config).decrypt_at_time(token.encode(), TICKET_TTL, now))
    except (InvalidToken, ValueError) as exc:
        raise LinkError(
            f"This {what} has expired or is not ours; start linking again from the add-in."
        ) from exc
    if not isinstance(data, dict):
        raise LinkError(f"This {what} is not ours; start linking again from the add-in.")
    return data


def redirect_uri(ctx: PluginContext, provider: str) -> str:
    return ctx.endpoint_url(f"/link/{provider}/callback")


def start_url(ctx: PluginContext, *, user_id: int, provider: str, email: str) -> str:
    """Where the add-in sends the person's browser to link a ``provider`` mailbox.

    ``email`` is the verified address of the add-in user: only that mailbox can be linked with
    this ticket, so a link URL sent to someone else cannot attach their mailbox to this user.
    """
    if not email:
        raise LinkError(
            "Your sign-in did not tell your email address, so no mailbox can be linked; "
            "sign in to the add-in with your mailbox account."
        )
    payload = {"u": user_id, "p": provider, "e": email.lower(), "n": secrets.token_urlsafe(8)}
    ticket = _seal(ctx, payload)
    return ctx.endpoint_url(f"/link/{provider}/start") + "?" + urlencode({"ticket": ticket})


# ---- provider clients (replaceable) -------------------------------------------------------------


def default_google_flow(config: Config, redirect: str, state: str | None = None) -> Flow:
    path = config.serve.google_oauth_client_secrets
    if path is None:
        raise LinkError(
            "The server has no Google web client configured; set serve.google_oauth_client_secrets."
        )
    try:
        client_config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LinkError(
            f"Cannot read the Google client secrets file {path}; fix serve.google_oauth_client_secrets."
        ) from exc
    if config.gmail.token_uri:
        for section in client_config.values():
            if isinstance(section, dict):
                section["token_uri"] = config.gmail.token_uri
    return Flow.from_client_config(
        client_config,
        scopes=GMAIL_SCOPES,
        redirect_uri=redirect,
        state=state,
        autogenerate_code_verifier=True,
    )


def default_msal_app(
    config: Config, cache: msal.TokenCache | None = None
) -> msal.ClientApplication:
    from sync.connect_graph import build_msal_app

    return build_msal_app(config, cache)


def default_graph_profile(config: Config, token: str) -> tuple[str, str, str | None]:
    """(address, display name, IANA time zone) of the signed-in Microsoft 365 mailbox."""
    from connectors.graph import GraphConnector

    connector = GraphConnector(lambda: token, endpoint=config.outlook.graph_endpoint)
    try:
        profile = connector.get_profile()
    finally:
        connector.close()
    return profile.address, profile.display_name, profile.time_zone


def _factory(ctx: PluginContext, name: str, default: Callable[..., Any]) -> Callable[..., Any]:
    return ctx.oauth.get(name, default)


# ---- pages ---------------------------------------------------------------------------------------


def _page(title: str, sentence: str, *, status: int = 200) -> HTMLResponse:
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>reftrack</title>"
        "<body style='font:15px system-ui;margin:2em'>"
        f"<h1 style='font-size:18px'>{html.escape(title)}</h1><p>{html.escape(sentence)}</p></body></html>"
    )
    response = HTMLResponse(body, status_code=status)
    response.delete_cookie(COOKIE, path="/link")
    return response


Ctx = Annotated[PluginContext, Depends(get_context)]


@router.get("/{provider}/start")
def start(ctx: Ctx, provider: Provider, ticket: Annotated[str, Query(max_length=2000)]) -> Response:
    try:
        data = _open(ctx, ticket, "link")
        if data.get("p") != provider or not isinstance(data.get("u"), int):
            raise LinkError(
                "This link is for another kind of mailbox; start linking again from the add-in."
            )
        cookie: dict[str, Any] = {"u": data["u"], "p": provider, "e": data.get("e", "")}
        if provider == "gmail":
            flow = _factory(ctx, "google_flow", default_google_flow)(
                ctx.config, redirect_uri(ctx, provider)
            )
            url, state = flow.authorization_url(
                access_type="offline", prompt="consent", include_granted_scopes="true"
            )
            cookie.update(state=state, verifier=flow.code_verifier)
        else:
            from sync.connect_graph import SCOPES

            app = _factory(ctx, "msal_app", default_msal_app)(ctx.config, None)
            flow_dict = app.initiate_auth_code_flow(
                SCOPES, redirect_uri=redirect_uri(ctx, provider), prompt="select_account"
            )
            url, cookie["flow"] = flow_dict["auth_uri"], flow_dict
    except ReftrackError as exc:
        return _page("Cannot start linking", str(exc), status=400)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        COOKIE,
        _seal(ctx, cookie),
        max_age=TICKET_TTL,
        path="/link",
        httponly=True,
        secure=ctx.config.serve.base_url.startswith("https://"),
        samesite="lax",
    )
    return response


@router.get("/{provider}/callback")
def callback(
    ctx: Ctx,
    request: Request,
    provider: Provider,
    reftrack_link: Annotated[str | None, Cookie()] = None,
) -> Response:
    params = {k: v for k, v in request.query_params.items()}
    try:
        if not reftrack_link:
            raise LinkError(
                "This browser did not start the linking; start it again from the add-in."
            )
        data = _open(ctx, reftrack_link, "linking session")
        if data.get("p") != provider or not isinstance(data.get("u"), int):
            raise LinkError(
                "This callback is for another kind of mailbox; start linking again from the add-in."
            )
        if "error" in params:
            raise LinkError(
                f"The sign-in was not completed ({params.get('error_description') or params['error']}); try again."
            )
        if provider == "gmail":
            creds = _google_credentials(ctx, data, params)
            with ctx.store.session_scope() as session:
                # the CLI's own path: asks Gmail whose mailbox this is, stores Credentials.to_json()
                account = link_gmail(session, creds, config=ctx.config)
                address = account.address
                _bind(session, account, data)
        else:
            address, name, zone, blob = _finish_msal(ctx, data, params)
            with ctx.store.session_scope() as session:
                account = upsert_account(
                    session, "graph", address, display_name=name, time_zone=zone
                )
                _bind(session, account, data)
                assert account.id is not None
                stored = load_credential(session, account_id=account.id, config=ctx.config)
                save_credential(  # as `reftrack auth outlook`: the serialized MSAL token cache
                    session,
                    account_id=account.id,
                    kind="msal",
                    data=blob,
                    config=ctx.config,
                    expected_version=stored.version if stored else 0,
                )
    except CredentialConflict:
        return _page(
            "Not linked",
            "Another process changed this mailbox's credentials meanwhile; link it again.",
            status=409,
        )
    except (ReftrackError, ConnectorError) as exc:
        return _page("Not linked", str(exc), status=400)
    return _page(
        "Mailbox linked",
        f"{address} is linked to reftrack; close this window and reopen the add-in.",
    )


def _bind(session: Session, account: Account, data: dict[str, Any]) -> None:
    """Link ``account`` to the add-in user of this linking session, if it is their own mailbox.

    Raised inside the transaction, the refusal rolls back whatever was stored for the mailbox.
    """
    expected = str(data.get("e") or "")
    if not expected or account.address.strip().lower() != expected:
        raise LinkError(
            f"The mailbox you signed in with ({account.address}) is not the one you use the add-in "
            f"with ({expected or 'unknown'}); sign in as {expected or 'that account'} to link it."
        )
    assert account.id is not None
    access.link_account(session, user_id=int(data["u"]), account_id=account.id)


def _google_credentials(
    ctx: PluginContext, data: dict[str, Any], params: dict[str, str]
) -> Credentials:
    state, code = params.get("state"), params.get("code")
    if not code or not state or not secrets.compare_digest(state, str(data.get("state", ""))):
        raise LinkError(
            "The sign-in answer does not match this linking session; start again from the add-in."
        )
    flow = _factory(ctx, "google_flow", default_google_flow)(
        ctx.config, redirect_uri(ctx, "gmail"), state
    )
    flow.code_verifier = data.get("verifier")
    try:
        flow.fetch_token(code=code)
    except Exception as exc:  # oauthlib/requests raise many types; all mean "the exchange failed"
        log.info("google code exchange failed: %s", exc)
        raise LinkError("Google did not accept the sign-in code; start linking again.") from exc
    creds: Credentials = flow.credentials
    return creds


def _finish_msal(
    ctx: PluginContext, data: dict[str, Any], params: dict[str, str]
) -> tuple[str, str, str | None, bytes]:
    flow = data.get("flow")
    if (
        not isinstance(flow, dict)
        or not params.get("state")
        or not secrets.compare_digest(params["state"], str(flow.get("state", "")))
    ):
        raise LinkError(
            "The sign-in answer does not match this linking session; start again from the add-in."
        )
    cache = msal.SerializableTokenCache()
    app = _factory(ctx, "msal_app", default_msal_app)(ctx.config, cache)
    try:
        result = app.acquire_token_by_auth_code_flow(flow, params)
    except ValueError as exc:  # MSAL: state/nonce mismatch
        raise LinkError(
            "The sign-in answer does not match this linking session; start again from the add-in."
        ) from exc
    if "access_token" not in result:
        detail = str(result.get("error_description") or result.get("error") or "no token")
        raise LinkError(f"Microsoft sign-in failed ({detail.splitlines()[0]}); try linking again.")
    address, name, zone = _factory(ctx, "graph_profile", default_graph_profile)(
        ctx.config, str(result["access_token"])
    )
    return address, name, zone, cache.serialize().encode("utf-8")
