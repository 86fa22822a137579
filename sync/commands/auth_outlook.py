"""``reftrack auth outlook [--browser] [--drafts]``: link a Microsoft 365 mailbox (MSAL).

Device-code sign-in by default (works on a headless server: open the printed URL anywhere and
type the code); ``--browser`` opens the interactive flow on this machine instead. Scopes are
Mail.Read and Mail.Send (msal adds offline_access for the refresh token); ``--drafts`` adds
Mail.ReadWrite so the digest can also leave its suggested texts as reply drafts. The account is added
(or re-activated) and its MSAL token cache stored encrypted; see ``sync.connect_graph``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from connectors.errors import ConnectorError
from sync.cli_app import auth_app, console, fail
from sync.config import get_config
from sync.connect_graph import link_account
from sync.store import open_store


@auth_app.command("outlook")
def auth_outlook(
    browser: Annotated[
        bool,
        typer.Option(
            "--browser", help="Sign in with a browser on this machine instead of a device code."
        ),
    ] = False,
    drafts: Annotated[
        bool,
        typer.Option(
            "--drafts",
            help="Also allow creating drafts (Mail.ReadWrite) for digest.create_drafts.",
        ),
    ] = False,
) -> None:
    """Authorize a Microsoft 365 / Outlook.com mailbox (read mail, send the digest)."""
    config = get_config()
    store = open_store(config)
    try:
        account = link_account(
            store.session_factory,
            config=config,
            browser=browser,
            drafts=drafts,
            show=lambda text: console.print(text, markup=False, highlight=False),
        )
    except ConnectorError as exc:
        fail(str(exc))
    console.print(
        f"Linked Microsoft 365 mailbox {account.address} (account {account.id}); "
        "run `reftrack sync` to fetch your sent asks and their replies.",
        markup=False,
        highlight=False,
    )
