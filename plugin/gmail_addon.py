"""The Gmail add-on (Google Workspace add-on, HTTP runtime): cards, actions, deployment descriptor.

Endpoints (all ``POST``, JSON event objects from Google):
- ``/gmail/homepage`` — the caller's open asks;
- ``/gmail/contextual`` — the ask of the open message's thread (state, next follow-up, suggested
  text, buttons), or "not tracked" with a "Track this thread" button;
- ``/gmail/action`` — a button click: ``commonEventObject.parameters`` carry ``op`` and ids.

Every request is verified before anything else (``plugin.auth.GoogleVerifier``): the system ID
token in ``Authorization`` must be Google-signed for this endpoint's URL and our add-on's service
account, and the user is named only by the verified ``authorizationEventObject.userIdToken``.
Action parameters are untrusted input: every ask/thread id is resolved scoped to that user
(``plugin.access``), so a forged id is "not found". Responses are ``RenderActions`` JSON
(google.apps.card.v1): ``{"action": {"navigations": [...], "notification": {...}}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from core.models import AskKind, AskState, utc
from core.policy import MANUAL_CHOICES
from plugin import access, actions
from plugin.app import PluginContext, error_responses, get_context
from plugin.auth import AuthError, Identity, bearer_token

router = APIRouter(
    prefix="/gmail", tags=["gmail add-on"], responses=error_responses(401, 409, 422, 503)
)

HOMEPAGE_PATH = "/gmail/homepage"
CONTEXTUAL_PATH = "/gmail/contextual"
ACTION_PATH = "/gmail/action"
ADDON_SCOPES: tuple[str, ...] = (
    "https://www.googleapis.com/auth/gmail.addons.execute",
    "https://www.googleapis.com/auth/gmail.addons.current.message.metadata",
    "https://www.googleapis.com/auth/userinfo.email",
    "openid",
)
SNOOZE_CHOICES: dict[str, int] = {"3d": 3, "1w": 7, "2w": 14}
_STATE_LABELS = {
    AskState.AWAITING_REPLY.value: "Waiting for a reply",
    AskState.AGREED.value: "They agreed",
    AskState.DONE.value: "Done",
    AskState.DECLINED.value: "Declined",
    AskState.NEEDS_INFO.value: "They need more information",
    AskState.REPLIED.value: "They replied",
    AskState.GONE_COLD.value: "Gone cold",
    AskState.CLOSED.value: "Closed",
    AskState.NOT_AN_ASK.value: "Not an ask",
}


class _Common(BaseModel):
    model_config = ConfigDict(extra="allow")
    hostApp: str | None = None
    parameters: dict[str, str] = Field(default_factory=dict)


class _Authorization(BaseModel):
    model_config = ConfigDict(extra="allow")
    userIdToken: str | None = None
    systemIdToken: str | None = None


class _Gmail(BaseModel):
    model_config = ConfigDict(extra="allow")
    messageId: str | None = None
    threadId: str | None = None


class AddonEvent(BaseModel):
    """The event object Google posts to an HTTP add-on endpoint (only the fields we read)."""

    model_config = ConfigDict(extra="allow")
    commonEventObject: _Common = Field(default_factory=_Common)
    authorizationEventObject: _Authorization = Field(default_factory=_Authorization)
    gmail: _Gmail | None = None


@dataclass(frozen=True, slots=True)
class AddonCall:
    identity: Identity
    event: AddonEvent


def addon_call(
    request: Request,
    event: AddonEvent,
    authorization: Annotated[str | None, Header()] = None,
) -> AddonCall:
    """Verify the system ID token for this endpoint, then the user ID token; 401 otherwise."""
    ctx = get_context(request)
    verifier = ctx.require_google()
    system_token = (
        bearer_token(authorization)
        if authorization
        else event.authorizationEventObject.systemIdToken
    )
    if not system_token:
        raise AuthError("Missing the add-on's system ID token.")
    verifier.verify_system(system_token, audience=ctx.endpoint_url(request.url.path))
    user_token = event.authorizationEventObject.userIdToken
    if not user_token:
        raise AuthError("Missing the user ID token; add the openid and userinfo.email scopes.")
    return AddonCall(verifier.verify_user(user_token), event)


Call = Annotated[AddonCall, Depends(addon_call)]
Ctx = Annotated[PluginContext, Depends(get_context)]


# ---- card building (google.apps.card.v1 JSON) -------------------------------------------------


def _action(ctx: PluginContext, **params: str) -> dict[str, Any]:
    return {
        "action": {
            "function": ctx.endpoint_url(ACTION_PATH),
            "parameters": [{"key": k, "value": v} for k, v in params.items()],
        }
    }


def _button(text: str, on_click: dict[str, Any]) -> dict[str, Any]:
    return {"text": text, "onClick": on_click}


def _when(value: datetime | None) -> str:
    return value.strftime("%a %d %b %Y") if value else "—"


def _text(label: str, text: str, *, bottom: str | None = None) -> dict[str, Any]:
    widget: dict[str, Any] = {"topLabel": label, "text": text, "wrapText": True}
    if bottom:
        widget["bottomLabel"] = bottom
    return {"decoratedText": widget}


def ask_card(ctx: PluginContext, view: access.AskView) -> dict[str, Any]:
    """The card for one ask: status, next follow-up, suggested text and the buttons."""
    ask_id = str(view.id)
    status = [
        _text("Status", _STATE_LABELS.get(view.state, view.state)),
        _text("Asked", _when(view.asked_at), bottom=", ".join(view.contacts) or None),
        _text(
            "Next",
            (view.next_action or "nothing to do").replace("_", " "),
            bottom=f"due {_when(view.next_action_due)}" if view.next_action_due else None,
        ),
    ]
    if view.snoozed_until:
        status.append(_text("Snoozed until", _when(view.snoozed_until)))
    sections: list[dict[str, Any]] = [{"header": "Referral ask", "widgets": status}]
    if view.suggested is not None:
        sections.append(
            {
                "header": "Suggested text",
                "collapsible": True,
                "uncollapsibleWidgetsCount": 1,
                "widgets": [
                    _text("Subject", view.suggested.subject),
                    {"textParagraph": {"text": _escape(view.suggested.body).replace("\n", "<br>")}},
                ],
            }
        )
    sections.append(
        {
            "header": "Mark",
            "widgets": [
                {
                    "buttonList": {
                        "buttons": [
                            _button(
                                "Agreed", _action(ctx, op="mark", ask_id=ask_id, value="agreed")
                            ),
                            _button(
                                "Mark done", _action(ctx, op="mark", ask_id=ask_id, value="closed")
                            ),
                            _button(
                                "Declined", _action(ctx, op="mark", ask_id=ask_id, value="declined")
                            ),
                            _button(
                                "Not an ask",
                                _action(ctx, op="mark", ask_id=ask_id, value="not_an_ask"),
                            ),
                        ]
                    }
                },
                {
                    "buttonList": {
                        "buttons": [
                            _button(
                                f"Snooze {label}",
                                _action(ctx, op="snooze", ask_id=ask_id, value=key),
                            )
                            for key, label in (
                                ("3d", "3 days"),
                                ("1w", "1 week"),
                                ("2w", "2 weeks"),
                            )
                        ]
                    }
                },
            ],
        }
    )
    return {
        "name": f"ask-{ask_id}",
        "header": {
            "title": _escape(view.subject or "(no subject)"),
            "subtitle": view.kind.replace("_", " "),
        },
        "sections": sections,
    }


def untracked_card(ctx: PluginContext, *, thread_id: int, subject: str) -> dict[str, Any]:
    return {
        "name": f"thread-{thread_id}",
        "header": {"title": _escape(subject or "(no subject)"), "subtitle": "Not tracked"},
        "sections": [
            {
                "widgets": [
                    {
                        "textParagraph": {
                            "text": "reftrack does not track this thread as a referral ask."
                        }
                    },
                    {
                        "buttonList": {
                            "buttons": [
                                _button(
                                    "Track this thread",
                                    _action(
                                        ctx, op="track", thread_id=str(thread_id), value=kind.value
                                    ),
                                )
                                for kind in (AskKind.JOB_REFERRAL, AskKind.INTRODUCTION)
                            ]
                        }
                    },
                ]
            }
        ],
    }


def message_card(
    ctx: PluginContext, title: str, text: str, *, link_url: str | None = None
) -> dict[str, Any]:
    widgets: list[dict[str, Any]] = [{"textParagraph": {"text": _escape(text)}}]
    if link_url:
        widgets.append(
            {
                "buttonList": {
                    "buttons": [_button("Link this mailbox", {"openLink": {"url": link_url}})]
                }
            }
        )
    return {"header": {"title": title}, "sections": [{"widgets": widgets}]}


def home_card(ctx: PluginContext, views: list[access.AskView]) -> dict[str, Any]:
    if not views:
        return message_card(ctx, "reftrack", "No open referral asks. Nicely done.")
    widgets = [
        {
            "decoratedText": {
                "topLabel": _STATE_LABELS.get(v.state, v.state),
                "text": _escape(v.subject or "(no subject)"),
                "bottomLabel": (
                    f"{(v.next_action or 'wait').replace('_', ' ')} · due {_when(v.next_action_due)}"
                ),
                "wrapText": True,
                "onClick": _action(ctx, op="show", ask_id=str(v.id)),
            }
        }
        for v in views[:20]
    ]
    return {
        "name": "home",
        "header": {"title": "Open referral asks", "subtitle": f"{len(views)} open"},
        "sections": [{"widgets": widgets}],
    }


def _escape(text: str) -> str:
    # card text accepts a small HTML subset: mail-derived values must not inject markup
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def push(card: dict[str, Any]) -> dict[str, Any]:
    return {"action": {"navigations": [{"pushCard": card}]}}


def update(card: dict[str, Any], notification: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"navigations": [{"updateCard": card}]}
    if notification:
        action["notification"] = {"text": notification}
    return {"action": action}


def notify(text: str) -> dict[str, Any]:
    return {"action": {"notification": {"text": text}}}


# ---- endpoints ---------------------------------------------------------------------------------


def _user_id(session: Session, identity: Identity) -> int:
    user = access.ensure_user(session, identity)
    assert user.id is not None
    return user.id


def _link_url(ctx: PluginContext, user_id: int, email: str) -> str | None:
    from plugin import linking

    if ctx.config.serve.google_oauth_client_secrets is None or not email:
        return None
    return linking.start_url(ctx, user_id=user_id, provider="gmail", email=email)


@router.post(HOMEPAGE_PATH.removeprefix("/gmail"), summary="Add-on homepage: the open asks")
def homepage(ctx: Ctx, call: Call) -> dict[str, Any]:
    identity = call.identity
    now = ctx.clock()
    with ctx.store.session_scope() as session:
        user_id = _user_id(session, identity)
        if not access.linked_accounts(session, user_id):
            return push(
                message_card(
                    ctx,
                    "reftrack",
                    "No mailbox is linked to you yet: link it once and reftrack tracks your asks.",
                    link_url=_link_url(ctx, user_id, identity.email),
                )
            )
        views = [
            access.ask_view(session, a, now=now)
            for a in access.list_open_asks(session, user_id=user_id)
        ]
        return push(home_card(ctx, views))


@router.post(CONTEXTUAL_PATH.removeprefix("/gmail"), summary="Message open: the thread's ask")
def contextual(ctx: Ctx, call: Call) -> dict[str, Any]:
    identity, event = call.identity, call.event
    now = ctx.clock()
    gmail = event.gmail or _Gmail()
    with ctx.store.session_scope() as session:
        user_id = _user_id(session, identity)
        thread = access.find_thread(
            session, user_id=user_id, provider_message_id=gmail.messageId, thread_key=gmail.threadId
        )
        if thread is None or thread.id is None:
            return push(
                message_card(
                    ctx,
                    "Not synced",
                    "This message is not in a linked mailbox yet; link the mailbox or wait for the next sync.",
                    link_url=_link_url(ctx, user_id, identity.email),
                )
            )
        ask = access.ask_for_thread(session, thread)
        if ask is None:
            return push(untracked_card(ctx, thread_id=thread.id, subject=thread.subject))
        return push(ask_card(ctx, access.ask_view(session, ask, now=now)))


def _int_param(params: dict[str, str], key: str) -> int | None:
    value = params.get(key, "")
    # ASCII digits only ("²".isdigit() is true but int() refuses it); < 19 digits fits 64 bits
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


@router.post(ACTION_PATH.removeprefix("/gmail"), summary="A button on a card was clicked")
def action(ctx: Ctx, call: Call) -> dict[str, Any]:
    identity, event = call.identity, call.event
    now = ctx.clock()
    params = event.commonEventObject.parameters
    op, value = params.get("op", ""), params.get("value", "")
    with ctx.store.session_scope() as session:
        user_id = _user_id(session, identity)
        if op == "track":
            thread_id = _int_param(params, "thread_id")
            thread = (
                access.get_thread(session, user_id=user_id, thread_id=thread_id)
                if thread_id is not None
                else None
            )
            if thread is None:
                return notify("That thread is not in your linked mailboxes.")
            kinds = {k.value for k in AskKind}
            kind = value if value in kinds else AskKind.INTRODUCTION.value
            tracked = actions.track(session, thread, kind, now=now)
            return update(
                ask_card(ctx, access.ask_view(session, tracked, now=now)), "Tracking this thread."
            )
        ask_id = _int_param(params, "ask_id")
        found = (
            access.get_ask(session, user_id=user_id, ask_id=ask_id) if ask_id is not None else None
        )
        if found is None:
            return notify("That ask is not in your linked mailboxes.")
        ask = found
        if op == "show":
            return push(ask_card(ctx, access.ask_view(session, ask, now=now)))
        if op == "mark" and value in MANUAL_CHOICES:
            ask = actions.mark(session, ask, value, now=now)
            note = "Marked done." if value == "closed" else f"Marked {value.replace('_', ' ')}."
        elif op == "snooze" and value in SNOOZE_CHOICES:
            ask = actions.snooze(session, ask, SNOOZE_CHOICES[value], now=now)
            note = f"Snoozed until {_when(utc(ask.snoozed_until))}."
        else:
            return notify("Unknown action; reload the add-on.")
        return update(ask_card(ctx, access.ask_view(session, ask, now=now)), note)


def deployment_descriptor(base_url: str, *, name: str = "reftrack") -> dict[str, Any]:
    """The HTTP deployment JSON (``projects.deployments``) for an add-on served at ``base_url``."""
    base = base_url.rstrip("/")
    return {
        "oauthScopes": list(ADDON_SCOPES),
        "addOns": {
            "common": {
                "name": name,
                "logoUrl": f"{base}/outlook/assets/icon-80.png",
                "useLocaleFromApp": True,
                "homepageTrigger": {"runFunction": base + HOMEPAGE_PATH},
            },
            "gmail": {
                "contextualTriggers": [
                    {"unconditional": {}, "onTriggerFunction": base + CONTEXTUAL_PATH}
                ]
            },
            "httpOptions": {"authorizationHeader": "SYSTEM_ID_TOKEN"},
        },
    }
