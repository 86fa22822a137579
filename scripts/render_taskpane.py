"""Render the Outlook task pane in headless Chromium against a real reftrack server; screenshot it.

    .venv/bin/python scripts/render_taskpane.py --output taskpane.png [--click "Mark done"]

What it does: a throw-away SQLite database gets one Microsoft 365 account with a referral ask
(sent eight days ago, so a follow-up is due) and an add-in user linked to it; ``plugin.app`` is
served by uvicorn on 127.0.0.1 with a locally generated RSA key standing in for Microsoft's JWKS;
Debian's Chromium (``/usr/bin/chromium``, never a downloaded browser) opens
``/outlook/taskpane.html`` with Office.js and MSAL replaced by the small local stubs below (the
open item is the ask's message; the token is signed by the local key). Every other request that
leaves 127.0.0.1 is aborted, so nothing reaches the internet. Prints JSON: the screenshot path and
the ask's state as shown and as stored.

The helpers (``serve``, ``open_taskpane``, ``CHROMIUM``) are also used by
``tests/plugin/test_taskpane.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = Path(os.environ.get("REFTRACK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Office.js stand-in: just what the task pane uses (onReady, the open item, ItemChanged).
OFFICE_STUB = """
window.Office = {
  EventType: { ItemChanged: "olkItemSelectedChanged" },
  context: {
    mailbox: {
      item: window.__reftrackItem,
      addHandlerAsync: function (type, handler) { window.__reftrackItemChanged = handler; }
    },
    ui: {}
  },
  onReady: function (callback) {
    var info = { host: "Outlook", platform: "OfficeOnline" };
    setTimeout(function () { callback(info); }, 0);
    return Promise.resolve(info);
  }
};
"""

#: MSAL (nested app authentication) stand-in: hands out the token the harness minted.
MSAL_STUB = """
window.msal = {
  createNestablePublicClientApplication: async function (config) {
    window.__reftrackMsalConfig = config;
    return {
      acquireTokenSilent: async function (request) {
        window.__reftrackScopes = request.scopes;
        return { accessToken: window.__reftrackToken, account: { username: "alice@contoso.example" } };
      },
      acquireTokenPopup: async function () { throw new Error("no popup in tests"); }
    };
  }
};
"""


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free 127.0.0.1 port; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _local(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost") or url.startswith(
        ("data:", "about:")
    )


@contextmanager
def open_taskpane(
    base_url: str, *, token: str, item: dict[str, str], errors: list[str] | None = None
) -> Iterator[Any]:
    """A Playwright page showing the task pane with stubbed Office.js/MSAL (no internet).

    Console errors and uncaught page errors (e.g. a Content-Security-Policy violation) are
    appended to ``errors`` when given.
    """
    from playwright.sync_api import Route, sync_playwright

    def only_local(route: Route) -> None:
        if _local(route.request.url):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": 380, "height": 720})
            # registered first = matched last: the stubs below win for their hosts
            context.route("**/*", only_local)
            context.route(
                "https://appsforoffice.microsoft.com/**",
                lambda route: route.fulfill(body=OFFICE_STUB, content_type="text/javascript"),
            )
            context.route(
                "https://unpkg.com/**",
                lambda route: route.fulfill(body=MSAL_STUB, content_type="text/javascript"),
            )
            context.add_init_script(
                f"window.__reftrackToken = {json.dumps(token)};"
                f"window.__reftrackItem = {json.dumps(item)};"
            )
            page = context.new_page()
            if errors is not None:
                page.on(
                    "console",
                    lambda msg: errors.append(msg.text) if msg.type == "error" else None,
                )
                page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(base_url + "/outlook/taskpane.html")
            yield page
        finally:
            browser.close()


def _demo(data_dir: Path) -> tuple[Any, Any, str, int, dict[str, str]]:
    """A database with one ask, the app over it, a token for its user, the ask id, the item."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa
    from sqlmodel import select

    from core.models import AccountLink, AddinUser, Ask, Contact, Message, Thread
    from plugin.app import create_app
    from plugin.auth import StaticKeys
    from sync.accounts import upsert_account
    from sync.asks import refresh_threads
    from sync.config import load_config
    from sync.store import open_store

    os.environ.setdefault("REFTRACK_USE_KEYRING", "false")
    tenant, oid, client_id = (
        "aaaaaaaa-0000-0000-0000-00000000000a",
        "0a0a0a0a-1111-1111-1111-111111111111",
        "11111111-2222-3333-4444-555555555555",
    )
    config = load_config(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'demo.db'}",
        use_keyring=False,
        serve={"base_url": "https://localhost:8765", "entra_client_id": client_id},
    )
    store = open_store(config)
    now = datetime.now(UTC)
    with store.session_scope() as s:
        account = upsert_account(s, "graph", "alice@contoso.example", display_name="Alice Martin")
        assert account.id is not None
        s.add(Contact(account_id=account.id, address="dana@corp.example", name="Dana Smith"))
        thread = Thread(
            account_id=account.id,
            thread_key="conv-demo",
            subject="Referral for the Staff Engineer role at Acme?",
        )
        s.add(thread)
        s.flush()
        s.add(
            Message(
                account_id=account.id,
                thread_id=thread.id or 0,
                provider_id="demo-1",
                message_id="ask-demo@contoso.example",
                sender="alice@contoso.example",
                to_addrs="dana@corp.example",
                subject=thread.subject,
                sent_at=now - timedelta(days=8),
                direction="sent",
                visible_text="Hi Dana, would you be open to referring me for the Staff Engineer role at Acme?",
                has_body=True,
                is_ask=True,
                kind="job_referral",
                target_company="Acme",
                target_role="Staff Engineer",
            )
        )
        s.flush()
        refresh_threads(s, account=account, thread_ids=[thread.id or 0], now=now)
        user = AddinUser(user_key=f"entra:{tenant}:{oid}", identity_provider="entra")
        s.add(user)
        s.flush()
        s.add(AccountLink(user_id=user.id or 0, account_id=account.id))
        ask = s.exec(select(Ask).where(Ask.thread_id == thread.id)).one()
        ask_id = ask.id or 0
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    app = create_app(config, store=store, entra_keys=StaticKeys({"local": key.public_key()}))
    token = jwt.encode(
        {
            "iss": f"https://login.microsoftonline.com/{tenant}/v2.0",
            "aud": client_id,
            "tid": tenant,
            "oid": oid,
            "scp": "access_as_user",
            "preferred_username": "alice@contoso.example",
            "nbf": int(now.timestamp()) - 60,
            "exp": int(now.timestamp()) + 3600,
        },
        key,
        algorithm="RS256",
        headers={"kid": "local"},
    )
    item = {
        "internetMessageId": "<ask-demo@contoso.example>",
        "conversationId": "conv-demo",
        "subject": "Referral for the Staff Engineer role at Acme?",
    }
    return app, store, token, ask_id, item


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("taskpane.png"))
    parser.add_argument("--click", default=None, help='a button to click first, e.g. "Mark done"')
    args = parser.parse_args(argv)
    if not chromium_available():
        print(
            f"error: no Chromium at {CHROMIUM}; install Debian's: apt-get install -y chromium",
            file=sys.stderr,
        )
        return 1
    from core.models import Ask

    with tempfile.TemporaryDirectory() as tmp:
        app, store, token, ask_id, item = _demo(Path(tmp))
        from playwright.sync_api import Error as PlaywrightError

        try:
            with serve(app) as base, open_taskpane(base, token=token, item=item) as page:
                page.wait_for_selector("#ask:not([hidden])", timeout=10_000)
                if args.click:
                    before = page.text_content("#status")
                    page.get_by_role("button", name=args.click).click()
                    page.wait_for_function(
                        "before => document.getElementById('status').textContent !== before",
                        arg=before,
                        timeout=10_000,
                    )
                page.screenshot(path=str(args.output), full_page=True)
                shown = page.get_attribute("#ask-state", "data-state")
        except PlaywrightError as exc:
            first = str(exc).splitlines()[0]
            print(
                f"error: the task pane did not render ({first}); run with a working Chromium.",
                file=sys.stderr,
            )
            return 1
        with store.session_scope() as s:
            stored = s.get(Ask, ask_id)
            stored_state = stored.state if stored else None
        store.engine.dispose()
    print(
        json.dumps(
            {"screenshot": str(args.output), "shown_state": shown, "stored_state": stored_state}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
