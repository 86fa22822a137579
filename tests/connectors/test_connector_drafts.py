"""Reply drafts (``Connector.create_draft``) against the real Gmail and Graph emulators.

Each connector puts the draft in the right thread with the right reply headers; a grant without
the drafts scope ends in one sentence naming ``reftrack auth … --drafts``; the ``--drafts`` sign-in
paths keep the extra scope across token refreshes.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from gmail_fixtures import FakeClock, FakeStore, connector, small_mailbox
from google.oauth2.credentials import Credentials

from connectors.base import Address, DraftMessage
from connectors.emulators.gmail import READ_SEND_SCOPES, GmailEmulator
from connectors.emulators.graph import GraphEmulator, conversation_id, immutable_id
from connectors.errors import AuthExpired, ConnectorError
from connectors.gmail import COMPOSE_SCOPE, DRAFT_SCOPES
from connectors.graph import GraphConnector
from sync.config import load_config
from sync.connect_gmail import link_gmail, open_gmail
from sync.connect_graph import link_account, open_graph
from sync.store import Store

ANN = Address("ann@corp.example", "Ann Lee")
TEXT = "Hi Ann,\n\nThank you so much for the referral!\n\nMe\n"


def _draft(thread_key: str, *, reply_to_id: str | None = None) -> DraftMessage:
    return DraftMessage(
        thread_key=thread_key,
        to=(ANN,),
        subject="Re: Quick favor: referral at Acme?",
        text=TEXT,
        in_reply_to="id2@mail.example",
        reply_to_id=reply_to_id,
        references=("id1@mail.example",),
    )


# ----------------------------------------------------------------------------------- Gmail


def test_gmail_create_draft_replies_in_the_thread_with_reply_headers() -> None:
    with GmailEmulator(small_mailbox(), scopes=DRAFT_SCOPES) as emu:
        thread = emu.gmail_id("m00001")  # a thread's id is its first message's id
        conn = connector(emu, FakeClock())
        draft_id = conn.create_draft(_draft(thread))
        stored = emu.drafts[draft_id]
        assert stored["threadId"] == thread
        mime = message_from_bytes(base64.urlsafe_b64decode(stored["raw"]), policy=default)
        assert mime["In-Reply-To"] == "<id2@mail.example>"
        assert mime["References"] == "<id1@mail.example> <id2@mail.example>"
        assert mime["To"] == "Ann Lee <ann@corp.example>"
        assert mime["Subject"] == "Re: Quick favor: referral at Acme?"
        assert mime.get_content().replace("\r\n", "\n") == TEXT
        charged = [c for c in emu.calls if c.method == "drafts.create"]
        assert [(c.status, c.units) for c in charged] == [(200, 10)]
        # The draft sits in the thread but is never synced as a message of it.
        store = FakeStore()
        store.sync(connector(emu, FakeClock()))
        assert stored["messageId"] not in store.messages
        assert {m.provider_id for m in store.messages.values() if m.thread_key == thread} == {
            emu.gmail_id("m00001"),
            emu.gmail_id("m00002"),
        }


def test_gmail_create_draft_without_compose_scope_says_how_to_allow_it() -> None:
    with GmailEmulator(small_mailbox(), scopes=READ_SEND_SCOPES) as emu:
        conn = connector(emu, FakeClock())
        with pytest.raises(ConnectorError) as info:
            conn.create_draft(_draft(emu.gmail_id("m00001")))
        assert not isinstance(info.value, AuthExpired)  # the mailbox still syncs
        assert "reftrack auth gmail --drafts" in str(info.value)
        assert emu.drafts == {}


def test_gmail_drafts_scope_survives_token_refresh(sqlite_store: Store) -> None:
    with GmailEmulator(small_mailbox(), scopes=DRAFT_SCOPES) as emu:
        config = load_config(
            gmail={
                "api_endpoint": emu.endpoint,
                "token_uri": emu.token_uri,
                "units_per_minute": 100000,
            }
        )
        expired = (datetime.now(UTC) - timedelta(hours=2)).replace(tzinfo=None)
        creds = Credentials(  # what `reftrack auth gmail --drafts` stores
            token="stale-token",
            refresh_token=emu.refresh_token,
            token_uri=emu.token_uri,
            client_id="client-id",
            client_secret="client-secret",
            scopes=list(DRAFT_SCOPES),
            expiry=expired,
        )
        with sqlite_store.session_scope() as session:
            account = link_gmail(session, creds, config=config)
        conn = open_gmail(sqlite_store.session_factory, account=account, config=config)
        assert conn.create_draft(_draft(emu.gmail_id("m00001"))) in emu.drafts
        assert COMPOSE_SCOPE not in READ_SEND_SCOPES


# ----------------------------------------------------------------------------------- Graph


def test_graph_create_draft_replies_to_the_message_in_its_conversation() -> None:
    with GraphEmulator(small_mailbox(), token="t") as emu:
        conn = GraphConnector(lambda: "t", endpoint=emu.graph_endpoint, sleep=lambda _: None)
        reply = immutable_id("m00002")
        draft_id = conn.create_draft(_draft(conversation_id("t1"), reply_to_id=reply))
        (draft,) = emu.drafts
        assert draft["id"] == draft_id and emu.draft_parents[draft_id] == reply
        assert draft["conversationId"] == conversation_id("t1") and draft["isDraft"]
        assert draft["toRecipients"] == [
            {"emailAddress": {"address": "ann@corp.example", "name": "Ann Lee"}}
        ]
        assert draft["subject"] == "Re: Quick favor: referral at Acme?"
        assert draft["body"] == {"contentType": "text", "content": TEXT}
        conn.close()


def test_graph_create_draft_without_mail_readwrite_says_how_to_allow_it() -> None:
    with GraphEmulator(small_mailbox(), token="t", token_scopes="Mail.Read Mail.Send") as emu:
        conn = GraphConnector(lambda: "t", endpoint=emu.graph_endpoint, sleep=lambda _: None)
        with pytest.raises(ConnectorError) as info:
            conn.create_draft(_draft(conversation_id("t1"), reply_to_id=immutable_id("m00002")))
        assert not isinstance(info.value, AuthExpired)
        assert "reftrack auth outlook --drafts" in str(info.value)
        assert emu.drafts == []
        conn.close()


@pytest.mark.parametrize("drafts", [True, False])
def test_graph_link_with_drafts_grants_mail_readwrite(sqlite_store: Store, drafts: bool) -> None:
    with GraphEmulator(small_mailbox(), token="unused") as emu:
        config = load_config(
            outlook={
                "client_id": "00000000-0000-0000-0000-0000000c11e7",
                "authority": emu.authority,
                "graph_endpoint": emu.graph_endpoint,
            }
        )
        account = link_account(
            sqlite_store.session_factory, config=config, show=lambda _: None, drafts=drafts
        )
        conn = open_graph(sqlite_store.session_factory, account=account, config=config)
        draft = _draft(conversation_id("t1"), reply_to_id=immutable_id("m00002"))
        if drafts:
            assert conn.create_draft(draft) == emu.drafts[0]["id"]
        else:
            with pytest.raises(ConnectorError, match="--drafts"):
                conn.create_draft(draft)
        conn.close()
