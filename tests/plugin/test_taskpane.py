"""The Outlook task pane in headless Chromium (Debian's), Office.js and MSAL stubbed locally:
it shows a real ask from the database and "Mark done" changes it there."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from addin_fixtures import CLIENT_ID, Keys, Minter, World, make_app

from core.models import Ask, Thread
from sync.store import Store

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_taskpane.py"


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_taskpane", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = _harness()
pytestmark = pytest.mark.skipif(
    not harness.chromium_available(),
    reason=f"no Chromium at {harness.CHROMIUM}: install Debian's (apt-get install -y chromium)",
)


@pytest.fixture
def pane_server(sqlite_store: Store, keys: Keys, world: World) -> Any:
    with harness.serve(make_app(sqlite_store, keys)) as base:
        yield base


def _state(store: Store, model: type[Any], row_id: int) -> Any:
    with store.session_scope() as s:
        return s.get(model, row_id)


def test_taskpane_shows_the_ask_and_mark_done_changes_it(
    pane_server: str, mint: Minter, world: World, sqlite_store: Store
) -> None:
    item = {"internetMessageId": "<ask-a@contoso.example>", "conversationId": "conv-A"}
    errors: list[str] = []
    with harness.open_taskpane(pane_server, token=mint.entra(), item=item, errors=errors) as page:
        page.wait_for_selector("#ask:not([hidden])", timeout=10_000)
        assert page.text_content("#ask-subject") == "Referral for the Staff Engineer role at Acme?"
        assert page.text_content("#ask-state") == "Waiting for a reply"
        assert (page.text_content("#ask-next") or "").startswith("follow up · due")
        assert "Dana" in (page.text_content("#suggested-body") or "")
        assert page.evaluate("window.__reftrackScopes") == [f"api://{CLIENT_ID}/access_as_user"]
        page.get_by_role("button", name="Mark done").click()
        page.wait_for_selector("#status:has-text('Saved')", timeout=10_000)
        assert page.get_attribute("#ask-state", "data-state") == "closed"
    assert errors == []  # no script error, no Content-Security-Policy violation
    ask = _state(sqlite_store, Ask, world.ask_a)
    assert (ask.state, ask.manual_outcome) == ("closed", "closed")


def test_taskpane_tracks_a_thread_the_classifier_missed(
    pane_server: str, mint: Minter, world: World, sqlite_store: Store
) -> None:
    item = {"internetMessageId": "<unknown@x>", "conversationId": "conv-A2"}
    with harness.open_taskpane(pane_server, token=mint.entra(), item=item) as page:
        page.wait_for_selector("#untracked:not([hidden])", timeout=10_000)
        page.select_option("#track-kind", "introduction")
        page.get_by_role("button", name="Track this thread").click()
        page.wait_for_selector("#ask:not([hidden])", timeout=10_000)
        assert page.text_content("#ask-kind") == "introduction"
    with sqlite_store.session_scope() as s:
        thread = s.get(Thread, world.untracked_a)
        assert thread is not None
        from sqlmodel import select

        assert s.exec(select(Ask).where(Ask.thread_id == thread.id)).one().kind == "introduction"


def test_taskpane_offers_linking_for_a_foreign_message(
    pane_server: str, mint: Minter, world: World
) -> None:
    item = {"internetMessageId": "<nope@x>", "conversationId": "gmail-thread-B"}  # user B's thread
    with harness.open_taskpane(pane_server, token=mint.entra(), item=item) as page:
        page.wait_for_selector("#unlinked:not([hidden])", timeout=10_000)
        assert page.is_hidden("#ask")
