"""The REST API of the Outlook task pane (``/api``): look up, list and change the caller's asks.

Every route depends on ``caller``: the Entra ID access token is verified (``plugin.auth``) and the
user is the ``AddinUser`` of its ``tid``+``oid``. Ids in paths and bodies are untrusted: each one
is resolved through ``plugin.access`` (scoped to the caller's linked accounts), and an unknown or
foreign id is the same 404. Changes go through ``sync.asks`` — the service the CLI uses — so the
add-in and ``reftrack mark/snooze/done/ignore/track`` can never disagree.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.models import AskKind
from core.policy import MANUAL_CHOICES
from plugin import access, actions
from plugin.app import ApiError, PluginContext, error_responses, get_context, not_found
from plugin.auth import AuthError, Identity

router = APIRouter(prefix="/api", tags=["task pane"], responses=error_responses(401, 422, 503))
_bearer = HTTPBearer(auto_error=False, description="Entra ID access token for our API (NAA).")


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None,
) -> Identity:
    """The verified Entra ID user of this request (401 otherwise)."""
    ctx = get_context(request)
    verifier = ctx.require_entra()
    if credentials is None or not credentials.credentials:
        raise AuthError("Missing Authorization header; send 'Authorization: Bearer <token>'.")
    return verifier.verify(credentials.credentials)


Caller = Annotated[Identity, Depends(caller)]
MAX_ID = 2**63 - 1  # database integer keys are signed 64-bit
AskId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ask's number")]
ThreadId = Annotated[int, Path(ge=1, le=MAX_ID, description="The thread's number")]
Ctx = Annotated[PluginContext, Depends(get_context)]


class AccountView(BaseModel):
    id: int
    provider: str
    address: str
    status: str


class MeView(BaseModel):
    user_key: str
    email: str
    accounts: list[AccountView]


class ThreadLookup(BaseModel):
    """The thread of the open message: tracked (``ask`` set) or not (the pane offers "Track")."""

    thread_id: int
    subject: str
    ask: access.AskView | None


class AskUpdate(BaseModel):
    """One change to an ask: mark an outcome / done / not an ask, or snooze it for some days."""

    model_config = ConfigDict(extra="forbid")

    mark: Literal[MANUAL_CHOICES] | None = Field(  # type: ignore[valid-type]
        default=None,
        description="agreed, done, declined, needs_info, other, awaiting (back to waiting), "
        "closed (finished), not_an_ask (the classifier was wrong).",
    )
    snooze_days: int | None = Field(
        default=None,
        ge=1,
        le=365,
        description="Push the ask's next action to the start of the day this many days from now.",
    )

    @model_validator(mode="after")
    def _one_change(self) -> AskUpdate:
        if (self.mark is None) == (self.snooze_days is None):
            raise ValueError("give exactly one of 'mark' or 'snooze_days'")
        return self


class TrackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AskKind = Field(default=AskKind.INTRODUCTION, description="What was asked.")


class LinkStart(BaseModel):
    url: str = Field(description="Open this URL in a browser window to link the mailbox.")


@router.get("/me", response_model=MeView, summary="The caller and their linked mailboxes")
def get_me(ctx: Ctx, identity: Caller) -> MeView:
    with ctx.store.session_scope() as session:
        user = access.ensure_user(session, identity)
        assert user.id is not None
        accounts = [
            AccountView(id=a.id or 0, provider=a.provider, address=a.address, status=a.status)
            for a in access.linked_accounts(session, user.id)
        ]
        return MeView(user_key=user.user_key, email=user.email, accounts=accounts)


@router.get("/asks", response_model=list[access.AskView], summary="The caller's open asks")
def list_asks(
    ctx: Ctx,
    identity: Caller,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[access.AskView]:
    now = ctx.clock()
    with ctx.store.session_scope() as session:
        user = access.ensure_user(session, identity)
        assert user.id is not None
        return [
            access.ask_view(session, ask, now=now)
            for ask in access.list_open_asks(session, user_id=user.id, limit=limit)
        ]


@router.get(
    "/thread",
    response_model=ThreadLookup,
    summary="The thread (and ask) of a message, by internetMessageId or conversation/thread id",
    responses=error_responses(404),
)
def lookup_thread(
    ctx: Ctx,
    identity: Caller,
    message_id: Annotated[
        str | None, Query(max_length=998, description="RFC 822 Message-ID (internetMessageId)")
    ] = None,
    thread_key: Annotated[
        str | None, Query(max_length=512, description="Outlook conversationId / Gmail threadId")
    ] = None,
) -> ThreadLookup:
    if not (message_id or thread_key):
        raise ApiError(422, "invalid_request", "Give message_id or thread_key; both are empty.")
    now = ctx.clock()
    with ctx.store.session_scope() as session:
        user = access.ensure_user(session, identity)
        assert user.id is not None
        thread = access.find_thread(
            session, user_id=user.id, message_id=message_id, thread_key=thread_key
        )
        if thread is None or thread.id is None:
            raise ApiError(
                404,
                "not_found",
                "This message is not in a linked mailbox yet; link the mailbox or wait for the next sync.",
            )
        ask = access.ask_for_thread(session, thread)
        view = access.ask_view(session, ask, now=now) if ask is not None else None
        return ThreadLookup(thread_id=thread.id, subject=thread.subject, ask=view)


@router.get(
    "/asks/{ask_id}",
    response_model=access.AskView,
    responses=error_responses(404, 409),
)
def get_ask(ctx: Ctx, identity: Caller, ask_id: AskId) -> access.AskView:
    with ctx.store.session_scope() as session:
        user = access.ensure_user(session, identity)
        assert user.id is not None
        ask = access.get_ask(session, user_id=user.id, ask_id=ask_id)
        if ask is None:
            raise not_found()
        return access.ask_view(session, ask, now=ctx.clock())


@router.patch(
    "/asks/{ask_id}",
    response_model=access.AskView,
    summary="Mark an outcome / done / not an ask, or snooze (via the CLI's ask service)",
    responses=error_responses(404, 409),
)
def patch_ask(ctx: Ctx, identity: Caller, ask_id: AskId, change: AskUpdate) -> access.AskView:
    now = ctx.clock()
    with ctx.store.session_scope() as session:
        user = access.ensure_user(session, identity)
        assert user.id is not None
        ask = access.get_ask(session, user_id=user.id, ask_id=ask_id)
        if ask is None:
            raise not_found()
        if change.mark is not None:
            ask = actions.mark(session, ask, change.mark, now=now)
        elif change.snooze_days is not None:
            ask = actions.snooze(session, ask, change.snooze_days, now=now)
        return access.ask_view(session, ask, now=now)


@router.post(
    "/threads/{thread_id}/track",
    response_model=access.AskView,
    status_code=201,
    summary="Start tracking a thread the classifier missed",
    responses=error_responses(404, 409),
)
def track_thread(
    ctx: Ctx, identity: Caller, thread_id: ThreadId, body: TrackRequest | None = None
) -> access.AskView:
    now = ctx.clock()
    kind = (body or TrackRequest()).kind
    with ctx.store.session_scope() as session:
        user = access.ensure_user(session, identity)
        assert user.id is not None
        thread = access.get_thread(session, user_id=user.id, thread_id=thread_id)
        if thread is None:
            raise not_found("thread")
        ask = actions.track(session, thread, kind.value, now=now)
        return access.ask_view(session, ask, now=now)


@router.post(
    "/link/{provider}",
    response_model=LinkStart,
    summary="Start linking a mailbox (the web variant of `reftrack auth`)",
    responses=error_responses(400),
)
def start_link(ctx: Ctx, identity: Caller, provider: Literal["gmail", "outlook"]) -> LinkStart:
    from plugin import linking

    with ctx.store.session_scope() as session:
        user = access.ensure_user(session, identity)
        assert user.id is not None
        try:
            url = linking.start_url(ctx, user_id=user.id, provider=provider, email=identity.email)
        except linking.LinkError as exc:
            raise ApiError(400, "cannot_link", str(exc)) from exc
        return LinkStart(url=url)
