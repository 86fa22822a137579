"""A local stand-in for Microsoft Graph mail (v1.0) and for the Entra ID token endpoints MSAL calls.

``GraphEmulator(mailbox)`` serves a provider-neutral ``Mailbox`` over HTTP on 127.0.0.1 (port 0,
one thread per request) in Graph's wire format: immutable ids, ``conversationId``, the folders
``sentitems`` (sent mail) and ``inbox`` (received mail), ``internetMessageHeaders`` and ``body``
with ``contentType`` text/html. It is used by tests, benchmarks and the demo; ground truth is
never served.

Routes (all under ``/v1.0`` unless noted; every Graph route needs ``Authorization: Bearer``)::

    GET  /me                                          profile (mail, userPrincipalName, displayName)
    GET  /me/mailboxSettings                          {"timeZone": ...} (IANA name here)
    GET  /me/mailFolders/{folder}/messages/delta      nextLink/deltaLink rounds, $select, $filter
                                                      receivedDateTime ge, Prefer maxpagesize,
                                                      @removed entries
    GET  /me/mailFolders/{folder}/messages            $filter=internetMessageId eq '<id>' or
                                                      $orderby=sentDateTime desc&$top=N; $select
    GET  /me/messages/{id}                            one message ($select)
    POST /me/sendMail                                 202; the message lands in sentitems
    POST /me/messages/{id}/createReply                201; a draft reply kept in ``drafts`` (not
                                                      synced); ``comment`` or ``message`` (to,
                                                      subject, body), not both; Mail.ReadWrite
    POST /$batch                                      at most 20 requests (400 above), run in order
    GET  /{tenant}/v2.0/.well-known/openid-configuration   (no /v1.0: the authority stand-in)
    POST /{tenant}/oauth2/v2.0/devicecode             device-code flow, approved at once
    POST /{tenant}/oauth2/v2.0/token                  device_code / refresh_token grants

Invariants and faithful details:
- Ids: with ``Prefer: IdType="ImmutableId"`` a message keeps its id when it moves; without it the
  id depends on the folder, as Graph's default ids do. Both forms resolve on ``/me/messages/{id}``.
- Delta: each change bumps a global sequence number; a deltaLink remembers the sequence it was
  issued at and the next round returns what changed after it (a message moved or deleted out of
  the folder comes back as ``{"id": ..., "@removed": {"reason": ...}}``). A round's change list is
  fixed when the round starts; nextLinks page through it.
- Limits: more than ``max_concurrency`` (4) requests in flight → 429 ``MailboxConcurrency``; more
  than ``rate_limit`` requests per ``rate_window_s`` (10 minutes) → 429 ``ApplicationThrottled``;
  both carry Retry-After. Each request inside a ``$batch`` counts against the rate limit.
- Faults (``Fault``) fire on the next matching requests: 429 with/without Retry-After, 503, 504,
  410 ``syncStateNotFound`` (on a deltaLink or mid-round on a nextLink), dropped connections and
  duplicate (replayed) items in a delta page.
- Tokens: the bearer ``token`` given to the constructor and every access token issued by the
  token endpoint are accepted until ``revoke()``; after it refresh tokens fail with invalid_grant.
  ``revoke_access_tokens()`` refuses the access tokens only (a refresh then works again).
  A token keeps the scopes it was issued for (the constructor's ``token`` has ``token_scopes``,
  all when None); createReply without Mail.ReadWrite is 403 ``ErrorAccessDenied``.
- Test hooks change the mailbox as a person would: ``add_message`` (new mail), ``move_message``,
  ``delete_message``, ``touch_message`` (a flag change), ``expire_delta_links``; counters
  ``requests`` (HTTP), ``graph_requests`` (operations, batch items each), ``bytes_sent``,
  ``concurrency_rejections`` and the request ``log``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from connectors.emulators.mailbox import FixtureMessage, Mailbox, Person
from connectors.emulators.server import EmulatorHTTPServer

FOLDERS = ("sentitems", "inbox")
MAX_BATCH = 20
DEFAULT_PAGE_SIZE = 10  # Graph's default page size for message delta
MAX_PAGE_SIZE = 1000

FaultKind = Literal[
    "429", "429-no-retry-after", "503", "504", "410", "drop", "drop-after", "duplicate"
]


@dataclass(slots=True)
class Fault:
    """A fault to inject on the next ``times`` requests matching ``on``.

    ``on`` is one of: ``"delta"`` (any delta request), ``"deltalink"`` (a delta request resuming
    from a deltaLink), ``"nextlink"`` (a delta request continuing a round), ``"batch"`` (the
    ``$batch`` request itself), ``"message"`` (GET /me/messages/{id}), ``"sendMail"``, ``"me"`` or
    ``"*"`` (anything under /v1.0). Requests inside a ``$batch`` are matched one by one, so a fault
    on ``"delta"`` hits a single batch item (``drop`` and ``"batch"`` act on the whole request).
    ``drop`` closes the connection before the request is carried out, ``drop-after`` after it
    (a sent message then exists although the client saw no answer).
    """

    kind: FaultKind
    on: str = "delta"
    times: int = 1
    retry_after: float = 1.0


class _Drop(Exception):
    """Close the connection without answering."""


@dataclass(slots=True)
class _Item:
    fixture: FixtureMessage
    folder: str
    seq: int
    internet_message_id: str
    extra_headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Round:
    folder: str
    entries: list[tuple[str, str | None]]  # (immutable id, removal reason or None)
    offset: int
    watermark: int
    select: tuple[str, ...] | None
    since: datetime | None


@dataclass(slots=True)
class _DeltaState:
    folder: str
    watermark: int
    select: tuple[str, ...] | None
    since: datetime | None
    members: frozenset[str]  # ids in the folder (in the window) when the deltaLink was issued


def immutable_id(fixture_id: str) -> str:
    digest = hashlib.sha256(fixture_id.encode()).digest()
    return "AAMkAGI" + base64.urlsafe_b64encode(digest[:30]).decode().rstrip("=")


def conversation_id(thread: str) -> str:
    digest = hashlib.sha256(("conv:" + thread).encode()).digest()
    return "AAQkAGI" + base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def _folder_scoped_id(imm: str, folder: str) -> str:
    digest = hashlib.sha256(f"{imm}/{folder}".encode()).digest()
    return "AAMkADR" + base64.urlsafe_b64encode(digest[:30]).decode().rstrip("=")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _recipient(person: Person) -> dict[str, Any]:
    return {"emailAddress": {"name": person.name, "address": person.email}}


def _b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class _GraphError(Exception):
    def __init__(
        self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


@dataclass(slots=True)
class _Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class GraphEmulator:
    """Microsoft Graph mail + Entra token endpoints on 127.0.0.1; a context manager."""

    def __init__(
        self,
        mailbox: Mailbox,
        *,
        token: str = "emulator-token",
        faults: list[Fault] | None = None,
        seed: int = 0,
        max_concurrency: int = 4,
        rate_limit: int = 10_000,
        rate_window_s: float = 600.0,
        latency_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        tenant: str = "common",
        token_scopes: str | None = None,
    ) -> None:
        self.mailbox = mailbox
        self.tenant = tenant
        self.max_concurrency = max_concurrency
        self.rate_limit = rate_limit
        self.rate_window_s = rate_window_s
        self.latency_s = latency_s
        self._clock = clock
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._faults: list[Fault] = list(faults or [])
        self._access_tokens: set[str] = {token}
        #: access token → its scopes (lower case, resource prefix dropped); absent = unrestricted
        self._token_scopes: dict[str, frozenset[str]] = {}
        if token_scopes is not None:
            self._token_scopes[token] = _scope_set(token_scopes)
        self._refresh_tokens: set[str] = set()
        self._device_scopes: dict[str, str] = {}
        self._seq = 0
        self._items: dict[str, _Item] = {}
        self._tombstones: list[tuple[int, str, str, str]] = []  # (seq, folder, id, reason)
        self._rounds: dict[str, _Round] = {}
        self._deltas: dict[str, _DeltaState] = {}
        self._in_flight = 0
        self._recent: deque[float] = deque()
        self.requests = 0  # HTTP requests received (a $batch counts once)
        self.graph_requests = 0  # Graph operations, each $batch item counted
        self.log: list[str] = []  # "METHOD path" of each HTTP request, in order
        self.drafts: list[dict[str, Any]] = []
        self.draft_parents: dict[str, str] = {}  # draft id → immutable id of the message answered
        # Whether sendMail keeps a client-set internetMessageId (False: the server assigns one,
        # and only the X-Reftrack-Digest header identifies the sent digest).
        self.honor_internet_message_id = True
        self.concurrency_rejections = 0  # 429 MailboxConcurrency answers
        self.bytes_sent = 0  # response body bytes
        for fixture in mailbox:
            self._store(fixture, self._folder_of(fixture))
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> GraphEmulator:
        emulator = self

        class Handler(_Handler):
            owner = emulator

        server = EmulatorHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="graph-emulator"
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GraphEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("The emulator is not running; use it as a context manager.")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def graph_endpoint(self) -> str:
        return self.base_url + "/v1.0"

    @property
    def authority(self) -> str:
        """The authority URL to configure (``outlook.authority``) for the token stand-in."""
        return f"{self.base_url}/{self.tenant}"

    # ----------------------------------------------------------------- mailbox changes
    @staticmethod
    def _folder_of(fixture: FixtureMessage) -> str:
        return "sentitems" if fixture.direction == "sent" else "inbox"

    def _bump(self) -> int:
        self._seq += 1
        return self._seq

    def _store(
        self, fixture: FixtureMessage, folder: str, *, extra_headers: dict[str, str] | None = None
    ) -> str:
        imm = immutable_id(fixture.id)
        self._items[imm] = _Item(
            fixture, folder, self._bump(), f"<{fixture.message_id}>", dict(extra_headers or {})
        )
        return imm

    def add_message(self, fixture: FixtureMessage, *, folder: str | None = None) -> str:
        """New mail arrives (or is sent); returns its immutable id."""
        with self._lock:
            self.mailbox.add(fixture)
            return self._store(fixture, folder or self._folder_of(fixture))

    def move_message(self, message_id: str, folder: str) -> None:
        """Move a message (by immutable id) to another folder, e.g. "archive" or "inbox"."""
        with self._lock:
            item = self._items[message_id]
            if item.folder == folder:
                return
            self._tombstones.append((self._bump(), item.folder, message_id, "changed"))
            item.folder = folder
            item.seq = self._bump()

    def delete_message(self, message_id: str) -> None:
        """Hard-delete a message (by immutable id)."""
        with self._lock:
            item = self._items.pop(message_id)
            self._tombstones.append((self._bump(), item.folder, message_id, "deleted"))

    def touch_message(self, message_id: str) -> None:
        """An unimportant change (read flag): the message shows up in the next delta again."""
        with self._lock:
            self._items[message_id].seq = self._bump()

    def revoke(self) -> None:
        """Revoke the grant: every access and refresh token stops working."""
        with self._lock:
            self._access_tokens.clear()
            self._refresh_tokens.clear()

    def revoke_access_tokens(self) -> None:
        """Access tokens stop working before they expire (CAE); refresh tokens still work."""
        with self._lock:
            self._access_tokens.clear()

    def expire_delta_links(self) -> None:
        """Forget every delta state: stored deltaLinks/nextLinks now answer 410 syncStateNotFound."""
        with self._lock:
            self._deltas.clear()
            self._rounds.clear()

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def folder_ids(self, folder: str) -> set[str]:
        with self._lock:
            return {i for i, item in self._items.items() if item.folder == folder}

    # ----------------------------------------------------------------- faults and limits
    def _take_fault(self, target: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.on in ("*", target) or (
                    fault.on == "delta" and target in ("delta", "deltalink", "nextlink")
                ):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _rate_check(self) -> None:
        now = self._clock()
        with self._lock:
            cutoff = now - self.rate_window_s
            while self._recent and self._recent[0] <= cutoff:
                self._recent.popleft()
            if len(self._recent) >= self.rate_limit:
                wait = max(1, int(self._recent[0] + self.rate_window_s - now) + 1)
                raise _GraphError(
                    429,
                    "ApplicationThrottled",
                    "Application is over its MailboxConcurrency/request limit.",
                    headers={"Retry-After": str(wait)},
                )
            self._recent.append(now)

    @staticmethod
    def _fault_error(fault: Fault) -> _GraphError:
        if fault.kind == "429":
            return _GraphError(
                429,
                "TooManyRequests",
                "Too many requests.",
                headers={"Retry-After": str(int(fault.retry_after))},
            )
        if fault.kind == "429-no-retry-after":
            return _GraphError(429, "TooManyRequests", "Too many requests.")
        if fault.kind == "503":
            return _GraphError(
                503,
                "ServiceUnavailable",
                "Service unavailable.",
                headers={"Retry-After": str(int(fault.retry_after))},
            )
        if fault.kind == "504":
            return _GraphError(504, "GatewayTimeout", "Gateway timeout.")
        return _GraphError(410, "syncStateNotFound", "The sync state generation is not found.")

    # ----------------------------------------------------------------- dispatch
    def _authorized(self, headers: dict[str, str]) -> None:
        auth = headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else ""
        with self._lock:
            if not token or token not in self._access_tokens:
                raise _GraphError(
                    401, "InvalidAuthenticationToken", "Access token is empty or invalid."
                )

    def _require_scope(self, headers: dict[str, str], scope: str) -> None:
        auth = headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else ""
        with self._lock:
            granted = self._token_scopes.get(token)
        if granted is not None and scope.lower() not in granted:
            raise _GraphError(
                403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."
            )

    def handle_graph(
        self, method: str, target: str, headers: dict[str, str], body: Any, *, in_batch: bool
    ) -> _Response:
        """One Graph operation (top level or a $batch item); errors become Graph error bodies."""
        try:
            self._authorized(headers)
            self._rate_check()
            with self._lock:
                self.graph_requests += 1
            return self._route(method, target, headers, body, in_batch=in_batch)
        except _GraphError as err:
            return _Response(
                err.status,
                {"error": {"code": err.code, "message": err.message}},
                dict(err.headers),
            )

    def _route(
        self, method: str, target: str, headers: dict[str, str], body: Any, *, in_batch: bool
    ) -> _Response:
        parts = urlsplit(target)
        path = parts.path.rstrip("/")
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        segs = [s for s in path.split("/") if s]
        prefer = headers.get("prefer", "")
        immutable = "immutableid" in prefer.lower().replace(" ", "")
        kind = self._kind(method, segs, query)
        if kind == "createReply":
            self._require_scope(headers, "Mail.ReadWrite")
        if kind == "batch":
            if in_batch:
                raise _GraphError(400, "BadRequest", "A batch cannot contain a batch.")
        elif (fault := self._take_fault(kind)) is not None:
            if fault.kind == "drop":
                raise _Drop()
            if fault.kind == "drop-after":  # done, but the answer is lost (send: outcome unknown)
                self._answer(kind, method, path, segs, query, prefer, immutable, body)
                raise _Drop()
            if fault.kind == "duplicate":
                return self._delta(segs, query, prefer, immutable, duplicate=True)
            raise self._fault_error(fault)
        return self._answer(kind, method, path, segs, query, prefer, immutable, body)

    def _answer(
        self,
        kind: str,
        method: str,
        path: str,
        segs: list[str],
        query: dict[str, str],
        prefer: str,
        immutable: bool,
        body: Any,
    ) -> _Response:
        if kind == "me":
            return _Response(
                200,
                {
                    "id": "00000000-0000-0000-0000-00000000c0de",
                    "displayName": self.mailbox.owner.name,
                    "mail": self.mailbox.owner.email,
                    "userPrincipalName": self.mailbox.owner.email,
                },
            )
        if kind == "mailboxSettings":
            return _Response(200, {"timeZone": self.mailbox.time_zone})
        if kind in ("delta", "deltalink", "nextlink"):
            return self._delta(segs, query, prefer, immutable, duplicate=False)
        if kind == "list":
            return self._list(segs[2], query, immutable)
        if kind == "message":
            return self._get_message(segs[2], query, immutable)
        if kind == "sendMail":
            return self._send_mail(body)
        if kind == "createReply":
            return self._create_reply(segs[2], immutable, body)
        raise _GraphError(400, "BadRequest", f"Unsupported request {method} {path}.")

    @staticmethod
    def _kind(method: str, segs: list[str], query: dict[str, str]) -> str:
        if segs[:1] == ["$batch"] and method == "POST":
            return "batch"
        if segs[:1] != ["me"]:
            return "unknown"
        rest = segs[1:]
        if not rest and method == "GET":
            return "me"
        if rest == ["mailboxSettings"] and method == "GET":
            return "mailboxSettings"
        if len(rest) == 4 and rest[0] == "mailFolders" and rest[2:] == ["messages", "delta"]:
            if "$deltatoken" in query:
                return "deltalink"
            if "$skiptoken" in query:
                return "nextlink"
            return "delta"
        if len(rest) == 3 and rest[0] == "mailFolders" and rest[2] == "messages":
            return "list"
        if len(rest) == 2 and rest[0] == "messages" and method == "GET":
            return "message"
        if rest == ["sendMail"] and method == "POST":
            return "sendMail"
        if len(rest) == 3 and rest[0] == "messages" and rest[2] == "createReply":
            return "createReply"
        return "unknown"

    # ----------------------------------------------------------------- rendering
    def _render(
        self, imm: str, select: tuple[str, ...] | None, *, immutable: bool
    ) -> dict[str, Any]:
        item = self._items[imm]
        fx = item.fixture
        headers = [
            {"name": "Message-ID", "value": item.internet_message_id},
            {"name": "Subject", "value": fx.subject},
        ]
        if fx.in_reply_to:
            headers.append({"name": "In-Reply-To", "value": f"<{fx.in_reply_to}>"})
        if fx.references:
            headers.append(
                {"name": "References", "value": " ".join(f"<{r}>" for r in fx.references)}
            )
        content_type = "html" if fx.html is not None else "text"
        headers.append(
            {
                "name": "Content-Type",
                "value": "text/html; charset=utf-8"
                if content_type == "html"
                else "text/plain; charset=utf-8",
            }
        )
        for name, value in {**fx.headers, **item.extra_headers}.items():
            headers.append({"name": name, "value": value})
        content = fx.html if fx.html is not None else (fx.text or "")
        preview = " ".join((fx.text or _strip_tags(fx.html or "")).split())[:255]
        msg_id = imm if immutable else _folder_scoped_id(imm, item.folder)
        full: dict[str, Any] = {
            "@odata.etag": f'W/"{item.seq}"',
            "id": msg_id,
            "changeKey": str(item.seq),
            "conversationId": conversation_id(fx.thread),
            "internetMessageId": item.internet_message_id,
            "subject": fx.subject,
            "bodyPreview": preview,
            "body": {"contentType": content_type, "content": content},
            "from": _recipient(fx.sender),
            "sender": _recipient(fx.sender),
            "toRecipients": [_recipient(p) for p in fx.to],
            "ccRecipients": [_recipient(p) for p in fx.cc],
            "sentDateTime": _iso(fx.date),
            "receivedDateTime": _iso(fx.date),
            "isDraft": False,
            "parentFolderId": item.folder,
            "webLink": "https://outlook.office365.com/owa/?ItemID="
            + quote(msg_id, safe="")
            + "&exvsurl=1&viewmodel=ReadMessageItem",
            "internetMessageHeaders": headers,
        }
        if select is None:
            full.pop("internetMessageHeaders")  # Graph returns headers only when selected
            return full
        out = {k: v for k, v in full.items() if k in select or k in ("id", "@odata.etag")}
        return out

    @staticmethod
    def _select(query: dict[str, str]) -> tuple[str, ...] | None:
        raw = query.get("$select")
        if not raw:
            return None
        return tuple(s.strip() for s in raw.split(",") if s.strip())

    def _in_window(self, imm: str, since: datetime | None) -> bool:
        return since is None or self._items[imm].fixture.date >= since

    # ----------------------------------------------------------------- delta
    @staticmethod
    def _page_size(prefer: str) -> int:
        for part in prefer.split(","):
            name, _, value = part.strip().partition("=")
            if name.strip().lower() == "odata.maxpagesize":
                try:
                    return max(1, min(MAX_PAGE_SIZE, int(value.strip().strip('"'))))
                except ValueError:
                    raise _GraphError(400, "BadRequest", "Invalid odata.maxpagesize.") from None
        return DEFAULT_PAGE_SIZE

    def _delta(
        self,
        segs: list[str],
        query: dict[str, str],
        prefer: str,
        immutable: bool,
        *,
        duplicate: bool,
    ) -> _Response:
        folder = segs[2].lower()
        if folder not in FOLDERS:
            raise _GraphError(404, "ErrorItemNotFound", f"Folder {folder} is not tracked here.")
        with self._lock:
            if "$skiptoken" in query:
                rnd = self._rounds.get(query["$skiptoken"])
                if rnd is None or rnd.folder != folder:
                    raise _GraphError(410, "syncStateNotFound", "The sync state is not found.")
                rnd = replace(rnd)  # a nextLink can be asked again (a client killed mid-page)
            else:
                rnd = self._start_round(folder, query)
            size = self._page_size(prefer)
            chunk = rnd.entries[rnd.offset : rnd.offset + size]
            values: list[dict[str, Any]] = []
            for imm, reason in chunk:
                if reason is None and imm in self._items and self._items[imm].folder == folder:
                    values.append(self._render(imm, rnd.select, immutable=immutable))
                else:
                    values.append({"id": imm, "@removed": {"reason": reason or "deleted"}})
            if duplicate and values:
                # Replays: the service may send an item again, within a page or on a later one.
                values.append(dict(values[self._rng.randrange(len(values))]))
                if rnd.offset > 0:
                    prev_imm, prev_reason = rnd.entries[rnd.offset - 1]
                    if prev_reason is None and prev_imm in self._items:
                        values.insert(0, self._render(prev_imm, rnd.select, immutable=immutable))
            rnd.offset += len(chunk)
            base = f"{self.graph_endpoint}/me/mailFolders/{folder}/messages/delta"
            body: dict[str, Any] = {"value": values}
            if rnd.offset < len(rnd.entries):
                token = secrets.token_urlsafe(12)
                self._rounds[token] = rnd
                body["@odata.nextLink"] = base + "?" + urlencode({"$skiptoken": token})
            else:
                token = secrets.token_urlsafe(12)
                members = frozenset(
                    i
                    for i, it in self._items.items()
                    if it.folder == folder and self._in_window(i, rnd.since)
                )
                self._deltas[token] = _DeltaState(
                    folder, rnd.watermark, rnd.select, rnd.since, members
                )
                body["@odata.deltaLink"] = base + "?" + urlencode({"$deltatoken": token})
        headers = {"Preference-Applied": f"odata.maxpagesize={size}"}
        if immutable:
            headers["Preference-Applied"] += ', IdType="ImmutableId"'
        return _Response(200, body, headers)

    def _start_round(self, folder: str, query: dict[str, str]) -> _Round:
        if "$deltatoken" in query:
            state = self._deltas.get(query["$deltatoken"])
            if state is None or state.folder != folder:
                raise _GraphError(410, "syncStateNotFound", "The sync state is not found.")
            changed = [
                (i, None)
                for i, it in sorted(self._items.items(), key=lambda kv: kv[1].seq)
                if it.folder == folder and it.seq > state.watermark
            ]
            current = {i for i, _ in changed}
            removed: list[tuple[str, str | None]] = []
            for seq, tfolder, imm, reason in self._tombstones:
                if (
                    seq > state.watermark
                    and tfolder == folder
                    and imm not in current
                    and (imm in state.members or imm not in self._items)
                ):
                    removed.append((imm, reason))
            seen: set[str] = set()
            entries: list[tuple[str, str | None]] = []
            for entry in [*changed, *removed]:
                if entry[0] not in seen:
                    seen.add(entry[0])
                    entries.append(entry)
            return _Round(folder, entries, 0, self._seq, state.select, state.since)
        since: datetime | None = None
        flt = query.get("$filter", "").strip()
        if flt:
            name, op, value = [*flt.split(None, 2), "", "", ""][:3]
            if name != "receivedDateTime" or op not in ("ge", "gt"):
                raise _GraphError(
                    400,
                    "ErrorInvalidUrlQueryFilter",
                    "Delta supports only $filter=receivedDateTime ge|gt {value}.",
                )
            since = _parse_iso(value)
        entries = [
            (i, None)
            for i, it in sorted(self._items.items(), key=lambda kv: kv[1].fixture.date)
            if it.folder == folder and (since is None or it.fixture.date >= since)
        ]
        return _Round(folder, entries, 0, self._seq, self._select(query), since)

    # ----------------------------------------------------------------- other routes
    def _resolve(self, message_id: str) -> str:
        if message_id in self._items:
            return message_id
        for imm, item in self._items.items():
            if _folder_scoped_id(imm, item.folder) == message_id:
                return imm
        raise _GraphError(404, "ErrorItemNotFound", "The specified object was not found.")

    def _get_message(self, message_id: str, query: dict[str, str], immutable: bool) -> _Response:
        with self._lock:
            imm = self._resolve(message_id)
            return _Response(200, self._render(imm, self._select(query), immutable=immutable))

    def _list(self, folder: str, query: dict[str, str], immutable: bool) -> _Response:
        """List a folder: ``$filter=internetMessageId eq '<id>'`` or newest first with ``$top``."""
        flt = query.get("$filter", "")
        orderby = query.get("$orderby", "").replace("  ", " ").strip()
        try:
            top = int(query.get("$top", "10"))
        except ValueError:
            raise _GraphError(400, "BadRequest", "Invalid $top.") from None
        with self._lock:
            ids = [i for i, it in self._items.items() if it.folder == folder.lower()]
            if flt:
                name, _, value = flt.partition(" eq ")
                if name.strip() != "internetMessageId":
                    raise _GraphError(
                        400, "BadRequest", "Only $filter=internetMessageId eq '<id>' is emulated."
                    )
                wanted = value.strip().strip("'").replace("''", "'")
                ids = [i for i in ids if self._items[i].internet_message_id == wanted]
            elif orderby:
                if orderby not in ("sentDateTime desc", "receivedDateTime desc"):
                    raise _GraphError(400, "BadRequest", "Only newest-first $orderby is emulated.")
                ids.sort(key=lambda i: self._items[i].fixture.date, reverse=True)
            found = [
                self._render(i, self._select(query), immutable=immutable)
                for i in ids[: max(1, min(top, 1000))]
            ]
        return _Response(200, {"value": found})

    def _send_mail(self, body: Any) -> _Response:
        if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
            raise _GraphError(400, "ErrorInvalidRequest", "The request body needs a message.")
        msg = body["message"]

        def people(key: str) -> tuple[Person, ...]:
            return tuple(
                Person(r["emailAddress"]["address"], r["emailAddress"].get("name", ""))
                for r in msg.get(key) or []
            )

        to = people("toRecipients")
        if not to:
            raise _GraphError(400, "ErrorInvalidRecipients", "At least one recipient is needed.")
        content = (msg.get("body") or {}).get("content", "")
        is_html = (msg.get("body") or {}).get("contentType", "text").lower() == "html"
        with self._lock:
            n = len(self._items) + 1
            given = (msg.get("internetMessageId") or "").strip("<> ")
            message_id = (given if self.honor_internet_message_id else "") or (
                f"sent{n}.{secrets.token_hex(4)}@emulator.invalid"
            )
            extra = {h["name"]: h["value"] for h in msg.get("internetMessageHeaders") or []}
            bad = [h for h in extra if not h.lower().startswith("x-")]
            if bad:
                raise _GraphError(
                    400,
                    "InvalidInternetMessageHeader",
                    "Custom internet message headers must start with 'x-'.",
                )
            fixture = FixtureMessage(
                id=f"sendmail-{n}-{secrets.token_hex(4)}",
                thread=f"sendmail-{message_id}",
                message_id=message_id,
                sender=self.mailbox.owner,
                to=to,
                cc=people("ccRecipients"),
                subject=msg.get("subject", ""),
                date=datetime.now(UTC),
                direction="sent",
                text=None if is_html else content,
                html=content if is_html else None,
            )
            if body.get("saveToSentItems", True) is not False:
                self.mailbox.add(fixture)
                self._store(fixture, "sentitems", extra_headers=extra)
        return _Response(202)

    def _create_reply(self, message_id: str, immutable: bool, body: Any) -> _Response:
        params = body if isinstance(body, dict) else {}
        raw_message = params.get("message")
        given: dict[str, Any] = raw_message if isinstance(raw_message, dict) else {}
        comment = params.get("comment")
        if comment is not None and "body" in given:
            raise _GraphError(
                400,
                "ErrorInvalidRequest",
                "Specify either a comment or the message body, not both.",
            )
        with self._lock:
            imm = self._resolve(message_id)
            item = self._items[imm]
            fx = item.fixture
            draft_id = "AAMkDRAFT" + secrets.token_hex(8)
            draft = {
                "id": draft_id,
                "conversationId": conversation_id(fx.thread),
                "subject": given.get("subject") or "RE: " + fx.subject,
                "isDraft": True,
                "toRecipients": given.get("toRecipients") or [_recipient(fx.sender)],
                "body": given.get("body") or {"contentType": "html", "content": str(comment or "")},
                "parentFolderId": "drafts",
            }
            self.drafts.append(draft)
            self.draft_parents[draft_id] = imm
        return _Response(201, draft)

    # ----------------------------------------------------------------- $batch
    def handle_batch(self, headers: dict[str, str], body: Any) -> _Response:
        if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
            return _Response(
                400, {"error": {"code": "BadRequest", "message": "Body needs 'requests'."}}
            )
        reqs = body["requests"]
        if len(reqs) > MAX_BATCH:
            return _Response(
                400,
                {
                    "error": {
                        "code": "BadRequest",
                        "message": f"Too many requests in batch; the limit is {MAX_BATCH}.",
                    }
                },
            )
        fault = self._take_fault("batch")
        if fault is not None:
            if fault.kind == "drop":
                raise _Drop()
            err = self._fault_error(fault)
            return _Response(
                err.status, {"error": {"code": err.code, "message": err.message}}, err.headers
            )
        auth = headers.get("authorization", "")
        responses = []
        for req in reqs:
            sub_headers = {k.lower(): str(v) for k, v in (req.get("headers") or {}).items()}
            sub_headers.setdefault("authorization", auth)
            url = str(req.get("url", ""))
            if url.startswith("http"):
                url = urlsplit(url)._replace(scheme="", netloc="").geturl()
            url = url.removeprefix("/v1.0")
            if not url.startswith("/"):
                url = "/" + url
            resp = self.handle_graph(
                str(req.get("method", "GET")).upper(),
                url,
                sub_headers,
                req.get("body"),
                in_batch=True,
            )
            out: dict[str, Any] = {"id": req.get("id"), "status": resp.status}
            if resp.headers:
                out["headers"] = resp.headers
            if resp.body is not None:
                out["body"] = resp.body
            responses.append(out)
        return _Response(200, {"responses": responses})

    # ----------------------------------------------------------------- token stand-in
    def handle_token(self, segs: list[str], form: dict[str, str]) -> _Response:
        endpoint = segs[-1]
        if endpoint == "devicecode":
            device_code = "dc-" + secrets.token_urlsafe(8)
            with self._lock:
                self._device_scopes[device_code] = form.get("scope", "")
            return _Response(
                200,
                {
                    "device_code": device_code,
                    "user_code": "EMUL8TOR",
                    "verification_uri": self.base_url + "/devicelogin",
                    "expires_in": 900,
                    "interval": 1,
                    "message": "To sign in, use the emulator: it approves the code at once.",
                },
            )
        grant = form.get("grant_type", "")
        scope = form.get("scope", "")
        with self._lock:
            if grant == "refresh_token":
                if form.get("refresh_token") not in self._refresh_tokens:
                    return _Response(
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "AADSTS70000: The refresh token was revoked.",
                            "suberror": "bad_token",
                        },
                    )
                self._refresh_tokens.discard(form["refresh_token"])
            elif grant in ("urn:ietf:params:oauth:grant-type:device_code", "device_code"):
                if form.get("device_code") not in self._device_scopes:
                    return _Response(400, {"error": "expired_token"})
                scope = scope or self._device_scopes.pop(form["device_code"])
            else:
                return _Response(400, {"error": "unsupported_grant_type"})
            access = "at-" + secrets.token_urlsafe(16)
            refresh = "rt-" + secrets.token_urlsafe(16)
            self._access_tokens.add(access)
            self._token_scopes[access] = _scope_set(scope)
            self._refresh_tokens.add(refresh)
        client_id = form.get("client_id", "")
        now = int(time.time())
        uid, utid = "00000000-0000-0000-0000-00000000c0de", "00000000-0000-0000-0000-0000000071d0"
        claims = {
            "iss": f"{self.base_url}/{utid}/v2.0",
            "sub": "emulated-subject",
            "aud": client_id,
            "iat": now,
            "exp": now + 3600,
            "oid": uid,
            "tid": utid,
            "preferred_username": self.mailbox.owner.email,
            "name": self.mailbox.owner.name,
        }
        id_token = ".".join([_b64url({"alg": "none", "typ": "JWT"}), _b64url(claims), ""])
        return _Response(
            200,
            {
                "token_type": "Bearer",
                "scope": scope,
                "expires_in": 3600,
                "ext_expires_in": 3600,
                "access_token": access,
                "refresh_token": refresh,
                "id_token": id_token,
                "client_info": _b64url({"uid": uid, "utid": utid}),
            },
        )

    def openid_configuration(self, tenant: str) -> dict[str, Any]:
        # Advertised in https form because msal accepts nothing else; the loopback http_client of
        # sync.connect_graph sends https://127.0.0.1 URLs over plain http.
        base = f"{self.base_url.replace('http://', 'https://', 1)}/{tenant}"
        return {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        }

    # ----------------------------------------------------------------- HTTP entry point
    def dispatch(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> _Response:
        with self._lock:
            self.requests += 1
            self.log.append(f"{method} {target}")
            self._in_flight += 1
            over = self._in_flight > self.max_concurrency
        try:
            if self.latency_s:
                time.sleep(self.latency_s)
            path = urlsplit(target).path
            if not path.startswith("/v1.0/"):
                return self._dispatch_identity(method, path, headers, raw)
            if over:
                with self._lock:
                    self.concurrency_rejections += 1
                return _Response(
                    429,
                    {
                        "error": {
                            "code": "MailboxConcurrency",
                            "message": "Application is over its MailboxConcurrency limit.",
                        }
                    },
                    {"Retry-After": "1"},
                )
            body: Any = None
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    return _Response(
                        400, {"error": {"code": "BadRequest", "message": "Body is not JSON."}}
                    )
            graph_target = target.removeprefix("/v1.0")
            if urlsplit(graph_target).path == "/$batch":
                try:
                    self._authorized(headers)
                except _GraphError as err:
                    return _Response(err.status, {"error": {"code": err.code}})
                return self.handle_batch(headers, body)
            return self.handle_graph(method, graph_target, headers, body, in_batch=False)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _dispatch_identity(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> _Response:
        segs = [s for s in path.split("/") if s]
        if method == "GET" and segs[-2:] == [".well-known", "openid-configuration"]:
            return _Response(200, self.openid_configuration(segs[0]))
        if method == "POST" and segs[1:3] == ["oauth2", "v2.0"] and len(segs) == 4:
            form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            return self.handle_token(segs, form)
        return _Response(404, {"error": "not_found"})


def _scope_set(scope: str) -> frozenset[str]:
    """``"https://graph.microsoft.com/Mail.Read offline_access"`` → ``{"mail.read", ...}``."""
    return frozenset(s.rsplit("/", 1)[-1].lower() for s in scope.split() if s)


def _strip_tags(html: str) -> str:
    out: list[str] = []
    depth = 0
    for ch in html:
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
            out.append(" ")
        elif not depth:
            out.append(ch)
    return "".join(out)


class _Handler(BaseHTTPRequestHandler):
    owner: GraphEmulator
    protocol_version = "HTTP/1.1"
    # One buffered write per response and no Nagle: otherwise each request waits for a delayed ACK.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read .log instead
        return

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            resp = self.owner.dispatch(self.command, self.path, headers, raw)
        except _Drop:
            self.close_connection = True
            self.connection.close()
            return
        payload = b"" if resp.body is None else json.dumps(resp.body).encode()
        with self.owner._lock:
            self.owner.bytes_sent += len(payload)
        self.send_response(resp.status)
        if resp.body is not None:
            self.send_header("Content-Type", "application/json")
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _serve
    do_POST = _serve
    do_PATCH = _serve
    do_DELETE = _serve


__all__ = ["FOLDERS", "Fault", "GraphEmulator", "conversation_id", "immutable_id"]
