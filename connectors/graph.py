"""Microsoft 365 mail over Microsoft Graph (httpx): profile, delta sync of two folders, send.

``GraphConnector`` implements ``connectors.base.Connector`` for ``provider="graph"``. It never
touches storage and takes its access token from a callable (``sync.connect_graph`` wires MSAL in),
so it runs unchanged against Graph and against ``connectors.emulators.graph``.

Sync, per folder (``sentitems`` and ``inbox``; cursor = the folder's nextLink or deltaLink)::

    no cursor ──initial delta ($select, $filter receivedDateTime ge since)──▶ nextLink … ──▶ deltaLink
        ▲                                                                                     │
        └──── 410 syncStateNotFound (stored link or mid-round): restart this folder ◀─────────┘

- A round first pages ``sentitems`` to its deltaLink, then ``inbox``: replies are judged after
  the asks they answer are known. When both folders are at a deltaLink they are asked together in
  one ``$batch``, so a sync with nothing new is exactly one HTTP request.
- Every page is yielded with the cursors that hold once its messages are stored. A page's bodies
  are fetched before it is yielded (``$batch`` of ≤ 20 GETs with per-item retries), only for sent
  messages ``context.is_candidate`` keeps and for received messages in known or candidate threads:
  the rest are stored with headers and the preview only.
- Replays are dropped: a provider id is yielded at most once per round, and ids the caller already
  stores (``context.known_messages``) are not yielded again — Graph messages do not change content,
  only flags, so an update is nothing to store. ``@removed`` entries go to ``SyncPage.removed``.
- Replies a person moves from the inbox to another folder show up here as ``@removed`` from the
  inbox; tracking more folders (Archive, rules' targets) is a later concern.
- Retries: 429/503 honour Retry-After, otherwise exponential backoff with jitter (tenacity);
  at most 4 requests in flight per mailbox across connectors in this process. HTTP and transport
  errors are mapped into ``connectors.errors`` in ``_raise_for`` only.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote, urlencode

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    wait_random_exponential,
)

from connectors.base import (
    HEADERS_THAT_MATTER,
    Address,
    DraftMessage,
    MailMessage,
    OutgoingMessage,
    Profile,
    SyncContext,
    SyncPage,
    normalize_msgid,
    parse_references,
)
from connectors.errors import (
    AuthExpired,
    ConnectorError,
    CursorExpired,
    RateLimited,
    Transient,
)

log = logging.getLogger(__name__)

# Later concern: replies a person (or an inbox rule) moves to Archive or another folder leave the
# inbox as @removed and are not followed; tracking more folders means one more cursor each here.
FOLDERS: tuple[str, ...] = ("sentitems", "inbox")
MAX_BATCH = 20
MAX_CONCURRENCY = 4  # Outlook's per-mailbox limit of concurrent requests
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
NO_DRAFT_SCOPE = (
    "Microsoft 365 did not allow reftrack to create drafts (the sign-in lacks Mail.ReadWrite); "
    "run `reftrack auth outlook --drafts` to allow drafts."
)

#: Fields a page carries (no body: bodies are fetched only for the messages that matter).
HEADER_FIELDS: tuple[str, ...] = (
    "id",
    "conversationId",
    "internetMessageId",
    "internetMessageHeaders",
    "subject",
    "from",
    "toRecipients",
    "ccRecipients",
    "sentDateTime",
    "receivedDateTime",
    "bodyPreview",
    "webLink",
)

_mailbox_slots: dict[str, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _mailbox_slot(key: str) -> threading.BoundedSemaphore:
    with _slots_lock:
        slot = _mailbox_slots.get(key)
        if slot is None:
            slot = _mailbox_slots[key] = threading.BoundedSemaphore(MAX_CONCURRENCY)
        return slot


class _Retryable(Exception):
    """A response or transport failure worth another try; carries the server's Retry-After."""

    def __init__(
        self, status: int | None, retry_after: float | None, detail: str, cause: Exception | None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.retry_after = retry_after
        self.detail = detail
        self.cause = cause


class _Unauthorized(AuthExpired):
    """HTTP 401: the token was refused (retried once with a fresh token before it escapes)."""


class _SyncStateGone(Exception):
    """410 syncStateNotFound for one folder: restart that folder's delta."""


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After") or headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _error_code(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("code", ""))
    return ""


def _raise_for(status: int, body: Any, headers: Mapping[str, str], *, what: str) -> None:
    """The one place Graph statuses become ``connectors.errors`` (or a retry/restart signal)."""
    if status < 400:
        return
    code = _error_code(body)
    if status == 401:
        raise _Unauthorized(
            f"Microsoft 365 refused the access token ({code or status}) for {what}; "
            "run `reftrack auth outlook` again."
        )
    if status == 410 or code.lower() in ("syncstatenotfound", "syncstateinvalid", "resyncrequired"):
        raise _SyncStateGone(what)
    if status in RETRYABLE_STATUS:
        raise _Retryable(status, _retry_after(headers), f"{what}: HTTP {status} {code}", None)
    if status == 403:
        raise AuthExpired(
            f"Microsoft 365 denied {what} ({code or status}); run `reftrack auth outlook` "
            "again and grant Mail.Read and Mail.Send."
        )
    raise ConnectorError(
        f"Microsoft Graph rejected {what} (HTTP {status} {code}); this is a bug in reftrack, "
        "please report it with `reftrack -v sync` output."
    )


def _exhausted(exc: _Retryable) -> ConnectorError:
    if exc.status == 429:
        return RateLimited(
            "Microsoft 365 kept throttling this mailbox; the next sync will continue.",
            retry_after=exc.retry_after,
        )
    return Transient(
        f"Microsoft Graph kept failing ({exc.detail}); the next sync will continue where it stopped."
    )


def _parse_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _address(value: Any) -> Address:
    email = (value or {}).get("emailAddress") or {}
    return Address(email=str(email.get("address") or ""), name=str(email.get("name") or ""))


def _body_of(raw: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(text, html) from a resource's ``body``; (None, None) when the body was not selected."""
    body = raw.get("body")
    if not isinstance(body, dict):
        return None, None
    content = str(body.get("content") or "")
    if str(body.get("contentType", "")).lower() == "html":
        return None, content
    return content, None


def to_mail_message(raw: Mapping[str, Any], *, folder: str) -> MailMessage:
    """A Graph message resource (as selected by ``HEADER_FIELDS`` [+ body]) → ``MailMessage``."""
    all_headers: dict[str, str] = {}
    for header in raw.get("internetMessageHeaders") or []:
        name = str(header.get("name", "")).lower()
        if name and name not in all_headers:
            all_headers[name] = str(header.get("value", ""))
    body_text, body_html = _body_of(raw)
    sent_at = (
        _parse_dt(raw.get("sentDateTime"))
        or _parse_dt(raw.get("receivedDateTime"))
        or datetime.fromtimestamp(0, UTC)
    )
    return MailMessage(
        provider="graph",
        provider_id=str(raw["id"]),
        thread_key=str(raw.get("conversationId") or raw["id"]),
        message_id=normalize_msgid(raw.get("internetMessageId")),
        in_reply_to=normalize_msgid(all_headers.get("in-reply-to")),
        references=parse_references(all_headers.get("references")),
        sender=_address(raw.get("from")),
        to=tuple(_address(r) for r in raw.get("toRecipients") or []),
        cc=tuple(_address(r) for r in raw.get("ccRecipients") or []),
        subject=str(raw.get("subject") or ""),
        sent_at=sent_at,
        direction="sent" if folder == "sentitems" else "received",
        headers={k: v for k, v in all_headers.items() if k in HEADERS_THAT_MATTER},
        body_text=body_text,
        body_html=body_html,
        snippet=str(raw.get("bodyPreview") or ""),
        folder=folder,
        web_link=raw.get("webLink"),
    )


@dataclass(slots=True)
class _Folder:
    name: str
    link: str | None  # nextLink / deltaLink to resume from; None = start a new round
    at_delta: bool  # link is a deltaLink (the folder has caught up once)
    done: bool = False


class GraphConnector:
    """``Connector`` for Microsoft 365 over Graph v1.0 (see the module docstring).

    ``token_provider`` returns a bearer token; when it also has an ``invalidate()`` method, a 401
    makes the connector call it and retry once with a fresh token before raising ``AuthExpired``.
    """

    provider = "graph"

    def __init__(
        self,
        token_provider: Callable[[], str],
        *,
        endpoint: str = "https://graph.microsoft.com/v1.0",
        mailbox_key: str = "",
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        page_size: int = 100,
        bodies: Literal["relevant", "sent", "all"] = "sent",
        max_attempts: int = 6,
        max_backoff_s: float = 60.0,
        rng: random.Random | None = None,
    ) -> None:
        self._token = token_provider
        self.endpoint = endpoint.rstrip("/")
        self._http = http or httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0))
        self._sleep = sleep
        self.page_size = page_size
        # Which bodies come inside the delta pages; the others are fetched only for candidate
        # asks and for received mail in their threads. "sent" (default): sent mail is small and
        # ask recall must not hang on a prefilter, while the inbox is mostly large mail we never
        # read. "relevant": no bodies in pages (fewest bytes, most requests). "all": every body
        # in the pages (fewest requests, most bytes). scripts/bench_graph_sync.py measures them.
        self.bodies = bodies
        self.max_attempts = max_attempts
        self.max_backoff_s = max_backoff_s
        self._rng = rng or random.Random()
        self._slot = _mailbox_slot(mailbox_key or endpoint)
        self.requests = 0  # HTTP requests this connector made (retries included)
        self._backoff = wait_random_exponential(multiplier=0.5, max=max_backoff_s)

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ HTTP
    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._token()}",
            "Prefer": f'odata.maxpagesize={self.page_size}, IdType="ImmutableId"',
        }

    def _stop(self, attempts: int) -> Callable[[RetryCallState], bool]:
        """Stop after ``attempts``, or at once when the server asks for a longer pause than we
        wait in one run (``max_backoff_s``): ``RateLimited(retry_after)`` lets the next run go on."""

        def stop(state: RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Retryable) and (exc.retry_after or 0) > self.max_backoff_s:
                return True
            return state.attempt_number >= attempts

        return stop

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, self.max_backoff_s)
        return float(self._backoff(state))

    def _once(self, method: str, url: str, *, json_body: Any = None) -> httpx.Response:
        with self._slot:
            self.requests += 1
            try:
                return self._http.request(method, url, headers=self._headers(), json=json_body)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise _Retryable(None, None, f"{method} {url}: {exc!r}", exc) from exc

    def _call(
        self,
        method: str,
        path_or_url: str,
        *,
        json_body: Any = None,
        what: str,
        retry: bool = True,
    ) -> Any:
        """One request with retries; returns the JSON body (or None); raises the error tree."""
        url = path_or_url if path_or_url.startswith("http") else self.endpoint + path_or_url
        retrying = Retrying(
            retry=retry_if_exception_type(_Retryable),
            wait=self._wait,
            stop=self._stop(self.max_attempts if retry else 1),
            sleep=self._sleep,
            reraise=True,
        )
        for fresh_token in (False, True):
            try:
                for attempt in retrying:
                    with attempt:
                        resp = self._once(method, url, json_body=json_body)
                        body = self._json(resp)
                        _raise_for(resp.status_code, body, resp.headers, what=what)
                        return body
            except _Retryable as exc:
                raise _exhausted(exc) from (exc.cause or exc)
            except _Unauthorized:
                # A token can be revoked before it expires (password change, CAE): ask the token
                # source for a fresh one once; if that is refused too, the grant is gone.
                invalidate = getattr(self._token, "invalidate", None)
                if fresh_token or invalidate is None:
                    raise
                invalidate()
        return None  # pragma: no cover  (the loop returns or raises)

    @staticmethod
    def _json(resp: httpx.Response) -> Any:
        if not resp.content:
            return None
        try:
            return resp.json()
        except ValueError:
            return None

    def _batch(self, requests: Sequence[dict[str, Any]], *, what: str) -> dict[str, Any]:
        """Run GET sub-requests through ``$batch`` (≤ 20 each); retries failed items alone.

        Returns ``{id: body}`` for every item; an item still failing after the retries raises.
        A 410 item is returned as ``_SyncStateGone`` so the caller can restart that folder.
        """
        pending = {str(r["id"]): r for r in requests}
        results: dict[str, Any] = {}
        attempts = 0
        while pending:
            attempts += 1
            failures: list[_Retryable] = []
            ids = list(pending)
            for start in range(0, len(ids), MAX_BATCH):
                chunk = [pending[i] for i in ids[start : start + MAX_BATCH]]
                payload = {
                    "requests": [
                        {
                            "id": r["id"],
                            "method": r.get("method", "GET"),
                            "url": r["url"],
                            "headers": {"Prefer": self._headers()["Prefer"]},
                        }
                        for r in chunk
                    ]
                }
                body = self._call("POST", "/$batch", json_body=payload, what=what)
                for item in (body or {}).get("responses", []):
                    item_id = str(item.get("id"))
                    status = int(item.get("status", 500))
                    item_body = item.get("body")
                    try:
                        _raise_for(status, item_body, item.get("headers") or {}, what=what)
                    except _Retryable as exc:
                        failures.append(exc)
                        continue
                    except _SyncStateGone as exc:
                        results[item_id] = exc
                    else:
                        results[item_id] = item_body
                    pending.pop(item_id, None)
            if pending:
                too_long = any((f.retry_after or 0) > self.max_backoff_s for f in failures)
                if attempts >= self.max_attempts or too_long:
                    worst = max(
                        failures or [_Retryable(None, None, what, None)],
                        key=lambda e: e.status == 429,
                    )
                    raise _exhausted(worst)
                waits = [f.retry_after for f in failures if f.retry_after is not None]
                if waits:
                    delay = min(max(waits), self.max_backoff_s)
                else:
                    delay = self._rng.uniform(0, min(self.max_backoff_s, 0.5 * 2**attempts))
                self._sleep(delay)
        return results

    # ------------------------------------------------------------------ Connector
    def get_profile(self) -> Profile:
        me = self._call("GET", "/me", what="reading the profile") or {}
        address = str(me.get("mail") or me.get("userPrincipalName") or "")
        if not address:
            raise ConnectorError(
                "Microsoft 365 did not tell this account's address; check that the account has a mailbox."
            )
        time_zone: str | None = None
        try:
            settings = self._call(
                "GET", "/me/mailboxSettings", what="reading mailbox settings", retry=False
            )
            zone = (settings or {}).get("timeZone")
            # Graph usually answers Windows zone names; only an IANA name (has a "/") is kept.
            time_zone = zone if isinstance(zone, str) and "/" in zone else None
        except ConnectorError as exc:  # optional: MailboxSettings.Read may not be granted
            log.debug("no mailbox settings: %s", exc)
        return Profile(
            address=address.lower(),
            display_name=str(me.get("displayName") or ""),
            time_zone=time_zone,
        )

    def _bodies_in_page(self, folder: str) -> bool:
        return self.bodies == "all" or (self.bodies == "sent" and folder == "sentitems")

    def _initial_url(self, folder: str, since: datetime) -> str:
        query = urlencode(
            {
                "$select": ",".join(
                    (*HEADER_FIELDS, "body") if self._bodies_in_page(folder) else HEADER_FIELDS
                ),
                "$filter": "receivedDateTime ge "
                + since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            safe="$,:",
        )
        return f"{self.endpoint}/me/mailFolders/{folder}/messages/delta?{query}"

    def sync(self, cursors: Mapping[str, str], *, context: SyncContext) -> Iterator[SyncPage]:
        folders = {
            name: _Folder(
                name, cursors.get(name) or None, "deltatoken" in (cursors.get(name) or "").lower()
            )
            for name in FOLDERS
        }
        state = _RoundState(context=context)
        held: dict[str, Any] = {}  # a fetched page processed later (see _batched_round)
        # Both folders caught up: one $batch asks for both deltas (a quiet mailbox costs 1 request).
        if all(f.at_delta and f.link for f in folders.values()):
            yield from self._batched_round(folders, state, held)
        for folder in folders.values():
            if folder.name in held:
                page = self._page(folder, held.pop(folder.name), state)
                if page.messages or page.removed or not folder.done:
                    yield page
            while not folder.done:
                url = folder.link or self._initial_url(folder.name, context.since)
                try:
                    body = self._call("GET", url, what=f"syncing {folder.name}")
                except _SyncStateGone:
                    self._restart(folder)
                    continue
                yield self._page(folder, body, state)
        yield SyncPage(
            messages=(),
            cursors={f.name: f.link for f in folders.values() if f.link},
            done=True,
        )

    def _restart(self, folder: _Folder) -> None:
        log.info("Graph lost the delta state of %s; resyncing that folder", folder.name)
        if folder.link is None:
            raise CursorExpired(
                f"Microsoft Graph rejected a fresh delta round of {folder.name}; retry the sync later.",
                folder=folder.name,
            )
        folder.link = None
        folder.at_delta = False

    def _batched_round(
        self, folders: dict[str, _Folder], state: _RoundState, held: dict[str, Any]
    ) -> Iterator[SyncPage]:
        """Both deltaLinks in one ``$batch``; pages with nothing in them are not yielded.

        When sentitems has more than a page of changes, the inbox page is held back until
        sentitems is done, so replies are judged after every new ask of this round is known.
        """
        reqs = [
            {"id": f.name, "url": self._relative(f.link or "")} for f in folders.values() if f.link
        ]
        results = self._batch(reqs, what="checking sentitems and inbox for changes")
        for name in FOLDERS:
            folder = folders[name]
            result = results.get(name)
            if isinstance(result, _SyncStateGone):
                self._restart(folder)
                continue
            if name != FOLDERS[0] and not folders[FOLDERS[0]].done:
                held[name] = result
                continue
            page = self._page(folder, result or {}, state)
            if page.messages or page.removed or not folder.done:
                yield page
            # An empty page that only renews the deltaLink is carried by the final page.

    def _relative(self, url: str) -> str:
        return url[len(self.endpoint) :] if url.startswith(self.endpoint) else url

    def _page(self, folder: _Folder, body: Any, state: _RoundState) -> SyncPage:
        body = body or {}
        next_link = body.get("@odata.nextLink")
        delta_link = body.get("@odata.deltaLink")
        raw_items = [v for v in body.get("value") or [] if isinstance(v, dict) and "id" in v]
        removed: list[str] = []
        fresh: list[MailMessage] = []
        for raw in raw_items:
            pid = str(raw["id"])
            if "@removed" in raw:
                if pid not in state.removed:
                    state.removed.add(pid)
                    removed.append(pid)
                continue
            if pid in state.seen:
                continue  # a replay within this round
            state.seen.add(pid)
            message = to_mail_message(raw, folder=folder.name)
            if message.sent_at < state.context.since:
                continue  # outside the window (in case the filter was not applied)
            fresh.append(message)
        known = state.context.known_messages([m.provider_id for m in fresh]) if fresh else set()
        fresh = [m for m in fresh if m.provider_id not in known]
        messages = self._with_bodies(fresh, state)
        if next_link:
            link = str(next_link)
            folder.link, folder.at_delta = link, False
        elif delta_link:
            link = str(delta_link)
            folder.link, folder.at_delta, folder.done = link, True, True
        else:
            raise Transient(
                f"Microsoft Graph answered a {folder.name} delta page without a next or delta link; "
                "the next sync will retry."
            )
        return SyncPage(
            messages=tuple(messages),
            cursors={folder.name: link},
            removed=tuple(removed),
        )

    def _with_bodies(self, messages: list[MailMessage], state: _RoundState) -> list[MailMessage]:
        """Fetch the bodies of candidate asks and of received mail in threads that matter."""
        wanted: list[MailMessage] = []
        sent = [m for m in messages if m.direction == "sent"]
        for m in sent:
            if state.context.is_candidate(m):
                state.candidate_threads.add(m.thread_key)
                if m.message_id:
                    state.candidate_ids.add(m.message_id)
                wanted.append(m)
        received = [m for m in messages if m.direction == "received"]
        if received:
            keys = list({m.thread_key for m in received} - state.candidate_threads)
            tracked = state.context.known_threads(keys) if keys else set()
            wanted.extend(
                m
                for m in received
                if m.thread_key in tracked
                or m.thread_key in state.candidate_threads
                # Some clients start a new conversation on reply; the headers still say whose
                # reply it is (linking such replies across rounds is sync's job).
                or not state.candidate_ids.isdisjoint((m.in_reply_to, *m.references))
            )
        wanted = [m for m in wanted if not m.has_body]
        if not wanted:
            return messages
        reqs = [
            {"id": str(i), "url": f"/me/messages/{quote(m.provider_id, safe='')}?$select=body"}
            for i, m in enumerate(wanted)
        ]
        results = self._batch(reqs, what="fetching message bodies")
        bodies: dict[str, MailMessage] = {}
        for i, m in enumerate(wanted):
            result = results.get(str(i))
            if isinstance(result, dict):
                text, html = _body_of(result)
                bodies[m.provider_id] = replace(m, body_text=text, body_html=html)
        return [bodies.get(m.provider_id, m) for m in messages]

    def send(self, message: OutgoingMessage) -> str:
        """Send through /me/sendMail; returns "" (Graph does not return the sent message's id).

        Only a throttled request (429: not processed) is retried; after a 5xx or a dropped
        connection the outcome is unknown, so ``Transient`` is raised and the caller settles it
        with ``find_sent(message.message_id)`` instead of risking a second copy.
        """
        headers = [
            {"name": name if name.lower().startswith("x-") else f"X-{name}", "value": value}
            for name, value in message.headers.items()
        ]
        if not any(h["name"].lower() == "x-reftrack-digest" for h in headers):
            headers.append({"name": "X-Reftrack-Digest", "value": message.message_id})
        payload = {
            "message": {
                "subject": message.subject,
                "body": {
                    "contentType": "html" if message.html else "text",
                    "content": message.html or message.text,
                },
                "toRecipients": [
                    {"emailAddress": {"address": a.email, "name": a.name}} for a in message.to
                ],
                "from": {
                    "emailAddress": {"address": message.sender.email, "name": message.sender.name}
                },
                "internetMessageId": f"<{message.message_id}>",
                "internetMessageHeaders": headers,
            },
            "saveToSentItems": True,
        }
        retrying = self._retry_429_only()
        try:
            for attempt in retrying:
                with attempt:
                    resp = self._once("POST", self.endpoint + "/me/sendMail", json_body=payload)
                    _raise_for(
                        resp.status_code, self._json(resp), resp.headers, what="sending mail"
                    )
        except _Retryable as exc:
            raise _exhausted(exc) from (exc.cause or exc)
        return ""

    def _retry_429_only(self) -> Retrying:
        """Retries for calls that may have taken effect on any other failure (send, drafts):
        only a 429 is known not to have been processed."""
        return Retrying(
            retry=lambda s: (
                s.outcome is not None
                and isinstance(s.outcome.exception(), _Retryable)
                and getattr(s.outcome.exception(), "status", None) == 429
            ),
            wait=self._wait,
            stop=self._stop(self.max_attempts),
            sleep=self._sleep,
            reraise=True,
        )

    def create_draft(self, draft: DraftMessage) -> str:
        """A reply draft via POST /me/messages/{id}/createReply (needs Mail.ReadWrite).

        One request carries the recipients, subject and plain-text body in its ``message``
        parameter (Graph takes either that body or a ``comment``, not both), so there is never an
        empty draft left half-made. Only 429 (not processed) is retried: after a 5xx or a dropped
        connection a draft may exist, and a second one is worse than none this run.
        """
        if not draft.reply_to_id:
            raise ConnectorError(
                "Microsoft 365 needs the message to reply to for a draft; sync the account first."
            )
        payload = {
            "message": {
                "subject": draft.subject,
                "toRecipients": [
                    {"emailAddress": {"address": a.email, "name": a.name}} for a in draft.to
                ],
                "body": {"contentType": "text", "content": draft.text},
            }
        }
        url = f"{self.endpoint}/me/messages/{quote(draft.reply_to_id, safe='')}/createReply"
        what = "creating a reply draft"
        retrying = self._retry_429_only()
        try:
            for attempt in retrying:
                with attempt:
                    resp = self._once("POST", url, json_body=payload)
                    body = self._json(resp)
                    if resp.status_code == 403:
                        raise ConnectorError(NO_DRAFT_SCOPE)
                    if resp.status_code == 404:
                        raise ConnectorError(
                            "The message to reply to is no longer in the Microsoft 365 mailbox, "
                            "so no draft was made; the digest still carries the text."
                        )
                    _raise_for(resp.status_code, body, resp.headers, what=what)
        except _Retryable as exc:
            raise _exhausted(exc) from (exc.cause or exc)
        return str((body or {}).get("id", ""))

    def find_sent(self, message_id: str, *, recent: int = 50) -> bool:
        """Whether a message with this RFC 822 id is in sentitems.

        First by ``$filter=internetMessageId`` (we set it when sending); when the server assigned
        its own id, by the ``X-Reftrack-Digest`` header among the ``recent`` newest sent messages.
        """
        bare = normalize_msgid(message_id) or message_id
        query = urlencode(
            {
                "$filter": "internetMessageId eq '<" + bare.replace("'", "''") + ">'",
                "$select": "id",
            }
        )
        what = "looking for a sent message"
        body = self._call("GET", f"/me/mailFolders/sentitems/messages?{query}", what=what)
        if (body or {}).get("value"):
            return True
        query = urlencode(
            {
                "$orderby": "sentDateTime desc",
                "$top": str(recent),
                "$select": "internetMessageId,internetMessageHeaders",
            }
        )
        body = self._call("GET", f"/me/mailFolders/sentitems/messages?{query}", what=what)
        for raw in (body or {}).get("value") or []:
            for header in raw.get("internetMessageHeaders") or []:
                if (
                    str(header.get("name", "")).lower() == "x-reftrack-digest"
                    and normalize_msgid(str(header.get("value", ""))) == bare
                ):
                    return True
        return False


@dataclass(slots=True)
class _RoundState:
    """What one sync round remembers: ids yielded or removed, threads of candidate asks."""

    context: SyncContext
    seen: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    candidate_threads: set[str] = field(default_factory=set)
    candidate_ids: set[str] = field(default_factory=set)  # RFC 822 ids of candidate asks
