"""``reftrack auth gmail --client-secrets FILE [--no-browser] [--drafts]``: link a Gmail mailbox.

Runs google-auth-oauthlib's installed-app flow on a loopback port: the browser opens on this
machine, or with ``--no-browser`` the URL is printed to open by hand (the redirect still comes
back to this machine's loopback port). Scopes are only ``gmail.readonly`` and ``gmail.send``;
``--drafts`` adds ``gmail.compose`` so the digest can also leave its suggested texts as drafts.
Then ``getProfile`` names the mailbox, the account is added (or re-activated) and the credential
stored encrypted (``sync.connect_gmail.link_gmail``); ``reftrack accounts`` shows where its key is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from google_auth_oauthlib.flow import InstalledAppFlow

from connectors.errors import ConnectorError
from connectors.gmail import DRAFT_SCOPES, SCOPES
from sync.accounts import credential_source
from sync.cli_app import auth_app, console, fail
from sync.config import get_config
from sync.connect_gmail import link_gmail
from sync.store import open_store


def _load_flow(
    path: Path, *, token_uri: str | None, scopes: tuple[str, ...] = SCOPES
) -> InstalledAppFlow:
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"Cannot read {path} ({exc.strerror}); pass the OAuth client JSON you downloaded.")
    except json.JSONDecodeError:
        fail(f"{path} is not JSON; download the OAuth client (Desktop app) JSON again.")
    section = config.get("installed") or config.get("web") if isinstance(config, dict) else None
    if not isinstance(section, dict) or "client_id" not in section:
        fail(
            f"{path} is not an OAuth client file; create a Desktop-app OAuth client in Google "
            "Cloud console and download its JSON."
        )
    if token_uri:
        section["token_uri"] = token_uri
    try:
        flow: InstalledAppFlow = InstalledAppFlow.from_client_config(config, scopes=list(scopes))
    except ValueError as exc:
        fail(f"{path} is not a usable OAuth client file ({exc}); download it again.")
    return flow


@auth_app.command("gmail")
def auth_gmail(
    client_secrets: Annotated[
        Path | None,
        typer.Option(
            "--client-secrets",
            help="OAuth client JSON (Desktop app) from Google Cloud console; default gmail.client_secrets.",
        ),
    ] = None,
    no_browser: Annotated[
        bool,
        typer.Option("--no-browser", help="Print the sign-in URL instead of opening a browser."),
    ] = False,
    drafts: Annotated[
        bool,
        typer.Option(
            "--drafts",
            help="Also allow creating drafts (gmail.compose) for digest.create_drafts.",
        ),
    ] = False,
) -> None:
    """Authorize a Gmail mailbox (read mail, send the digest; with --drafts, create drafts)."""
    config = get_config()
    path = client_secrets or config.gmail.client_secrets
    if path is None:
        fail(
            "No OAuth client file: pass --client-secrets FILE (a Desktop-app OAuth client JSON "
            "from Google Cloud console) or set gmail.client_secrets in the config."
        )
    scopes = DRAFT_SCOPES if drafts else SCOPES
    flow = _load_flow(path.expanduser(), token_uri=config.gmail.token_uri, scopes=scopes)
    try:
        creds = flow.run_local_server(
            host="localhost",
            port=0,
            open_browser=not no_browser,
            authorization_prompt_message="Open this URL in a browser on this machine to authorize reftrack:\n{url}",
            success_message="reftrack is authorized; you can close this tab.",
        )
    except Exception as exc:  # oauthlib/requests errors: the person can simply try again
        fail(
            f"Google sign-in did not complete ({type(exc).__name__}: {exc}); run the command again."
        )
    granted = set(creds.granted_scopes or creds.scopes or ())
    missing = [s for s in scopes if granted and s not in granted]
    if missing:
        fail(
            "Google did not grant "
            + ", ".join(missing)
            + "; run the command again and tick every box."
        )
    store = open_store(config)
    try:
        with store.session_scope() as session:
            account = link_gmail(session, creds, config=config)
            assert account.id is not None
            source = credential_source(session, account_id=account.id)
            address, account_id = account.address, account.id
    except ConnectorError as exc:
        fail(str(exc))
    console.print(
        f"Linked Gmail mailbox {address} (account {account_id}); credentials encrypted with a key "
        f"from the {source}. Run `reftrack sync` to fetch your sent asks and their replies.",
        markup=False,
        highlight=False,
    )
