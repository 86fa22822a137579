"""``reftrack demo``: the whole loop on the bundled sample mailboxes, with no account and no network.

Starts the Gmail and Graph emulators (127.0.0.1, free ports) on the bundled job-seeker mailboxes,
links one account to each through the real auth paths (Google credentials refreshed at the
emulator's token endpoint; MSAL device-code sign-in at the emulator's authority), runs the same
``sync_all`` as cron does at the fixed demo "today", prints each digest, writes it as HTML, sends
it through the emulators, and shows the asks.

Invariants: everything lives in a temporary data directory unless ``data_dir`` is given; the
emulators stop when the demo ends, even on error; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from google.oauth2.credentials import Credentials
from sqlmodel import col, select

from connectors.emulators.generator import DEMO_TODAY, load_demo_mailbox
from connectors.emulators.gmail import GmailEmulator
from connectors.emulators.graph import GraphEmulator
from connectors.gmail import SCOPES as GMAIL_SCOPES
from core.digest import render_html, render_text
from core.models import Account
from sync.config import Config, reset_config, set_config_path
from sync.connect import open_connector
from sync.connect_gmail import link_gmail
from sync.connect_graph import link_account
from sync.digest import build_account_digest, send_digest_if_due
from sync.run import AccountResult, sync_all
from sync.store import Store, open_store

DEMO_CLIENT_ID = "reftrack-demo-client"


@dataclass(slots=True)
class DemoResult:
    data_dir: Path
    results: list[AccountResult] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # account label → plain-text digest
    html_files: list[Path] = field(default_factory=list)
    sent: dict[str, str] = field(default_factory=dict)  # account label → send outcome
    seconds: float = 0.0


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Point the process config at the demo (restored afterwards)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    set_config_path(None)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        reset_config()


def _link_gmail(store: Store, emulator: GmailEmulator, config: Config) -> None:
    creds = Credentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=emulator.refresh_token,
        token_uri=emulator.token_uri,
        client_id=DEMO_CLIENT_ID,
        client_secret="demo-secret",
        scopes=list(GMAIL_SCOPES),
    )
    with store.session_scope() as session:
        account = link_gmail(session, creds, config=config)
        account.time_zone = emulator.mailbox.time_zone
        session.add(account)


def _link_graph(store: Store, emulator: GraphEmulator, config: Config) -> None:
    account = link_account(store.session_factory, config=config, show=lambda _msg: None)
    with store.session_scope() as session:
        row = session.get(Account, account.id)
        if row is not None:
            row.time_zone = emulator.mailbox.time_zone


def run_demo(
    *,
    data_dir: Path | None = None,
    now: datetime = DEMO_TODAY,
    say: Callable[[str], None] = print,
) -> DemoResult:
    started = time.monotonic()
    with ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="reftrack-demo-"))
            )
            keep = False
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            keep = True
        result = DemoResult(data_dir=data_dir)
        gmail = stack.enter_context(GmailEmulator(load_demo_mailbox("gmail"), now=lambda: now))
        graph = stack.enter_context(GraphEmulator(load_demo_mailbox("graph")))
        env = {
            "REFTRACK_DATA_DIR": str(data_dir),
            "REFTRACK_DATABASE_URL": f"sqlite:///{data_dir / 'reftrack.db'}",
            "REFTRACK_USE_KEYRING": "false",
            "REFTRACK_GMAIL__API_ENDPOINT": gmail.endpoint,
            "REFTRACK_GMAIL__TOKEN_URI": gmail.token_uri,
            "REFTRACK_GMAIL__UNITS_PER_MINUTE": "1000000",
            "REFTRACK_OUTLOOK__CLIENT_ID": DEMO_CLIENT_ID,
            "REFTRACK_OUTLOOK__AUTHORITY": graph.authority,
            "REFTRACK_OUTLOOK__GRAPH_ENDPOINT": graph.graph_endpoint,
        }
        stack.enter_context(_environment(env))
        from sync.config import get_config

        config = get_config()
        store = open_store(config)
        say(f"Emulators: Gmail at {gmail.base_url}, Microsoft Graph at {graph.base_url}")
        say(f"Data directory: {data_dir}{'' if keep else ' (temporary)'}")
        _link_gmail(store, gmail, config)
        _link_graph(store, graph, config)
        say(f"Syncing both mailboxes as of {now:%A %d %B %Y, %H:%M} UTC ...")
        result.results = sync_all(store, config, now=now, send_digest=False)
        for r in result.results:
            say("  " + r.line())
        with store.session() as session:
            accounts = list(session.exec(select(Account).order_by(col(Account.id))).all())
        for account in accounts:
            label = f"{account.provider}:{account.address}"
            with store.session_scope() as session:
                fresh = session.get(Account, account.id)
                assert fresh is not None
                digest = build_account_digest(session, account=fresh, now=now)
            text = render_text(digest)
            result.digests[label] = text
            html_path = data_dir / f"digest-{account.provider}.html"
            html_path.write_text(render_html(digest), encoding="utf-8")
            result.html_files.append(html_path)
            say("")
            say(f"===== Digest for {label} =====")
            say(text)
            connector = open_connector(store.session_factory, account=account, config=config)
            result.sent[label] = send_digest_if_due(
                store.session_factory,
                account=account,
                connector=connector,
                now=now,
                force_hour=True,
            )
            say(f"(HTML version: {html_path}; sent through the emulator: {result.sent[label]})")
        say("")
        say("===== reftrack asks =====")
        from sync.commands.asks import asks_command

        asks_command(as_json=False, everything=False, account=None)
        result.seconds = time.monotonic() - started
        say(f"Demo finished in {result.seconds:.1f} s.")
        store.engine.dispose()
        from sync.store import forget_stores

        forget_stores()
    return result
