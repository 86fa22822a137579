"""A local stand-in for the Gmail REST API (v1) and Google's OAuth token endpoint, on 127.0.0.1.

Role: serve a ``Mailbox`` the way Gmail would, so the real google-api-python-client and
google-auth talk to it unchanged (``client_options={"api_endpoint": emulator.endpoint}``,
``token_uri=emulator.token_uri``). Used by tests, the benchmark and the demo.

What it implements (paths under ``/gmail/v1/users/{me|owner}``): ``profile``, ``messages``
(list with ``labelIds``/``q``/paging), ``messages/{id}`` (formats minimal, metadata, full, raw;
``metadataHeaders``), ``messages/send``, ``threads`` (list), ``threads/{id}``, ``history``
(``startHistoryId``, ``historyTypes``, ``labelId``, paging, 404 when too old), ``drafts``
(create: the draft joins ``message.threadId`` when that thread exists, else the thread its
In-Reply-To names; kept in ``drafts`` with its raw MIME and labelled DRAFT); the multipart ``/batch/gmail/v1`` endpoint (at most 100 parts, 400 above); partial
responses (``fields``); and ``/token`` (refresh_token grant; ``invalid_grant`` once revoked).

Invariants:
- Ids are 16 hex digits, ordered by internal date (like Gmail's); a thread's id is the id of its
  first message; every change (delivery, send, deletion) takes the next historyId.
- ``q`` uses Gmail's word semantics: case-insensitive whole words (no stemming, no prefixes),
  quoted phrases are consecutive words, juxtaposition is AND, ``OR`` binds tighter than AND,
  ``-`` negates, parentheses group; operators ``from: to: cc: subject: in: label: after: before:
  newer_than: older_than: rfc822msgid:``.
- Quota: every API call (each part of a batch counts as its own call) is charged at the 2026
  per-method prices in ``UNITS`` (messages.get 20, threads.get 40; the others as Google's quota
  table lists them). With ``enforce_rate`` a call that would push the last 60 s of spend past
  ``units_per_minute`` gets 429 ``userRateLimitExceeded`` with ``Retry-After``.
- Faults (``FaultPlan``) are drawn from a seeded ``random.Random``: the same plan and the same
  calls give the same faults. Injected failures are not charged.
- Scopes: ``scopes`` is what the person granted; the constructor's token and every refreshed
  token carry them (a refresh may ask for fewer, asking for more is ``invalid_scope``), and
  drafts.create without ``gmail.compose`` (or a broader mail scope) is 403
  ``insufficientPermissions``, as Gmail answers.
- Ground truth (``FixtureMessage.truth``) is never served.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import email.policy
import hashlib
import html as html_lib
import json
import logging
import random
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import format_datetime, formataddr, getaddresses, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from connectors.emulators.mailbox import FixtureMessage, Mailbox, Person, Truth
from connectors.emulators.server import EmulatorHTTPServer
from connectors.gmail import UNITS  # the quota table the emulator charges by

GMAIL = "https://www.googleapis.com/auth/gmail."
#: What ``reftrack auth gmail`` asks for: read mail and send the digest.
READ_SEND_SCOPES: tuple[str, ...] = (GMAIL + "readonly", GMAIL + "send")
#: What a grant holds unless a test says otherwise: also ``--drafts``' gmail.compose.
DEFAULT_SCOPES: tuple[str, ...] = (*READ_SEND_SCOPES, GMAIL + "compose")
#: Methods that need more than the default grant: any one of the listed scopes will do.
_NEEDS_SCOPE: dict[str, frozenset[str]] = {
    "drafts.create": frozenset({GMAIL + "compose", GMAIL + "modify", "https://mail.google.com/"}),
}

MAX_BATCH = 100
_HISTORY_BASE = 100_000
log = logging.getLogger(__name__)
_JSON = "application/json; charset=UTF-8"
_HISTORY_KEYS = {"messageAdded": "messagesAdded", "messageDeleted": "messagesDeleted"}


@dataclass(slots=True)
class FaultPlan:
    """Which faults to inject. Rates are per API call (per batch part); scripted lists go first.

    - ``error_rate``: share of calls answered with a status drawn from ``error_statuses``
      (429/503 carry ``Retry-After: retry_after`` when it is set).
    - ``drop_rate``: share of HTTP requests whose connection is closed without an answer.
    - ``batch_part_failure_rate``: share of batch parts answered 500/503 while the rest succeed.
    - ``delete_after_list``: after each messages.list answer, delete this many of the listed
      messages (so a following get finds them gone: 404).
    - ``fail_next``: statuses for the next API calls, in order (deterministic tests).
    - ``drop_next``: close the connection of the next N HTTP requests.
    """

    seed: int = 0
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (429, 500, 503)
    retry_after: float | None = None
    drop_rate: float = 0.0
    batch_part_failure_rate: float = 0.0
    delete_after_list: int = 0
    fail_next: list[int] = field(default_factory=list)
    drop_next: int = 0


@dataclass(frozen=True, slots=True)
class CallRecord:
    method: str  # "messages.get", ... or "http" for a dropped request
    status: int
    units: int
    in_batch: bool


@dataclass(slots=True)
class _GMessage:
    gid: str
    thread_id: str
    fixture: FixtureMessage
    labels: list[str]
    history_id: int
    internal_ms: int
    _mime: EmailMessage | None = None
    _tokens: list[str] | None = None
    _token_set: frozenset[str] | None = None

    @property
    def mime(self) -> EmailMessage:
        if self._mime is None:
            self._mime = build_mime(self.fixture)
        return self._mime

    def tokens(self) -> tuple[list[str], frozenset[str]]:
        if self._tokens is None:
            f = self.fixture
            people = " ".join(f"{p.name} {p.email}" for p in (f.sender, *f.to, *f.cc))
            self._tokens = _words(" ".join((f.subject, _plain_text(f), people)))
            self._token_set = frozenset(self._tokens)
        assert self._token_set is not None
        return self._tokens, self._token_set


class EmulatorError(Exception):
    """An API error answer: HTTP status, Google error reason and message."""

    def __init__(self, status: int, reason: str, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.retry_after = retry_after


# --------------------------------------------------------------------------- rendering


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _addr(p: Person) -> str:
    return formataddr((p.name, p.email)) if p.name else p.email


def build_mime(f: FixtureMessage) -> EmailMessage:
    """The RFC 822 message for a fixture: text/plain, text/html, multipart/alternative, or a
    multipart/report delivery notification when the fixture's Content-Type says so."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = _addr(f.sender)
    if f.to:
        msg["To"] = ", ".join(_addr(p) for p in f.to)
    if f.cc:
        msg["Cc"] = ", ".join(_addr(p) for p in f.cc)
    msg["Subject"] = f.subject
    msg["Date"] = format_datetime(f.date.astimezone(UTC))
    msg["Message-ID"] = f"<{f.message_id}>"
    if f.in_reply_to:
        msg["In-Reply-To"] = f"<{f.in_reply_to}>"
    if f.references:
        msg["References"] = " ".join(f"<{r}>" for r in f.references)
    extra = {k: v for k, v in f.headers.items() if k.lower() != "content-type"}
    for key, value in extra.items():
        msg[key] = value
    declared = next((v for k, v in f.headers.items() if k.lower() == "content-type"), "")
    text = f.text if f.text is not None else ("" if f.html is None else None)
    if declared.lower().startswith("multipart/report"):
        msg.set_content(text or "")
        msg.make_mixed()
        msg.set_type("multipart/report")
        msg.set_param("report-type", "delivery-status")
        failed = next(
            (v for k, v in f.headers.items() if k.lower() == "x-failed-recipients"), "unknown"
        )
        per_message, per_recipient = Message(), Message()
        per_message["Reporting-MTA"] = "dns; mx.emulator.invalid"
        per_recipient["Final-Recipient"] = f"rfc822; {failed}"
        per_recipient["Action"] = "failed"
        per_recipient["Status"] = "5.1.1"
        ds = EmailMessage()
        ds.add_header("Content-Type", "message/delivery-status")
        ds.set_payload([per_message, per_recipient])
        msg.attach(ds)
        return msg
    if text is not None:
        msg.set_content(text)
        if f.html is not None:
            msg.add_alternative(f.html, subtype="html")
    elif f.html is not None:
        msg.set_content(f.html, subtype="html")
    return msg


def _payload(
    part: EmailMessage, part_id: str, *, with_body: bool, only: set[str] | None
) -> dict[str, Any]:
    headers = [
        {"name": k, "value": str(v)} for k, v in part.items() if only is None or k.lower() in only
    ]
    out: dict[str, Any] = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        "filename": part.get_filename() or "",
        "headers": headers,
    }
    if not with_body:
        return out
    if part.get_content_type() == "message/delivery-status":
        blocks = part.get_payload()
        assert isinstance(blocks, list)
        raw_ds = b"\n".join(b.as_bytes() for b in blocks if isinstance(b, Message))
        out["body"] = {"size": len(raw_ds), "data": _b64url(raw_ds)}
    elif part.is_multipart():
        out["body"] = {"size": 0}
        children = part.get_payload()
        assert isinstance(children, list)
        out["parts"] = [
            _payload(c, f"{part_id + '.' if part_id else ''}{i}", with_body=True, only=None)
            for i, c in enumerate(children)
        ]
    else:
        data = part.get_payload(decode=True)
        raw = data if isinstance(data, bytes) else b""
        out["body"] = {"size": len(raw), "data": _b64url(raw)} if raw else {"size": 0}
    return out


_TAG_RE = re.compile(r"<[^>]*>")
_WS_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")


def _plain_text(f: FixtureMessage) -> str:
    if f.text is not None:
        return f.text
    if f.html is not None:
        return html_lib.unescape(_TAG_RE.sub(" ", f.html))
    return ""


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD_RE.findall(text)]


def _snippet(f: FixtureMessage) -> str:
    # Gmail's snippet: the first ~200 characters of the visible text, HTML-escaped.
    return html_lib.escape(_WS_RE.sub(" ", _plain_text(f)).strip()[:200], quote=True)


# --------------------------------------------------------------------------- q parsing

_Q_TOKEN = re.compile(r'-?[^\s()"]+:"[^"]*"|-?"[^"]*"|-(?=\()|\(|\)|[^\s()"]+')
_FIELDS = {
    "from",
    "to",
    "cc",
    "subject",
    "in",
    "label",
    "after",
    "before",
    "newer_than",
    "older_than",
    "rfc822msgid",
}
Node = tuple[Any, ...]


def parse_q(q: str) -> Node:
    """Parse a Gmail search string into a tree; raises ``EmulatorError`` 400 on bad syntax."""
    tokens: list[str] = _Q_TOKEN.findall(q)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def parse_and(stop_at_paren: bool) -> Node:
        items: list[Node] = []
        while (tok := peek()) is not None and not (tok == ")" and stop_at_paren):
            if tok == ")":
                raise EmulatorError(400, "invalidArgument", "Invalid query: unbalanced ')'.")
            items.append(parse_or())
        return ("and", items)

    def parse_or() -> Node:
        items = [parse_unary()]
        while peek() == "OR":
            take()
            if peek() is None:
                break
            items.append(parse_unary())
        return items[0] if len(items) == 1 else ("or", items)

    def parse_unary() -> Node:
        tok = take()
        if tok == "-":
            return ("not", parse_unary())
        if tok == "(":
            inner = parse_and(True)
            if peek() != ")":
                raise EmulatorError(400, "invalidArgument", "Invalid query: missing ')'.")
            take()
            return inner
        if tok.startswith("-") and len(tok) > 1:
            return ("not", _atom(tok[1:]))
        return _atom(tok)

    return parse_and(False)


def _atom(tok: str) -> Node:
    if tok.startswith('"'):
        return ("phrase", _words(tok.strip('"')))
    name, sep, value = tok.partition(":")
    if sep and name.lower() in _FIELDS and value:
        return ("field", name.lower(), value.strip('"'))
    words = _words(tok)
    return ("phrase", words) if len(words) != 1 else ("word", words[0])


def _parse_when(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    parts = re.split(r"[/-]", value)
    if len(parts) != 3:
        raise EmulatorError(400, "invalidArgument", f"Invalid date in query: {value}")
    y, m, d = (int(p) for p in parts)
    return datetime(y, m, d, tzinfo=UTC)


def _relative(value: str) -> timedelta:
    m = re.fullmatch(r"(\d+)([dmy])", value)
    if not m:
        raise EmulatorError(400, "invalidArgument", f"Invalid relative date in query: {value}")
    n, unit = int(m.group(1)), m.group(2)
    return timedelta(days=n * {"d": 1, "m": 30, "y": 365}[unit])


def _has_phrase(tokens: list[str], token_set: frozenset[str], words: list[str]) -> bool:
    if not words:
        return True
    if any(w not in token_set for w in words):
        return False
    n = len(words)
    first = words[0]
    return any(
        tokens[i] == first and tokens[i : i + n] == words for i in range(len(tokens) - n + 1)
    )


def _people_match(people: tuple[Person, ...], value: str) -> bool:
    v = value.casefold()
    for p in people:
        if v in p.email.casefold():
            return True
        if _has_phrase(_words(p.name), frozenset(_words(p.name)), _words(value)):
            return True
    return False


def _matches(node: Node, m: _GMessage, now: datetime) -> bool:
    kind = node[0]
    if kind == "and":
        return all(_matches(n, m, now) for n in node[1])
    if kind == "or":
        return any(_matches(n, m, now) for n in node[1])
    if kind == "not":
        return not _matches(node[1], m, now)
    tokens, token_set = m.tokens()
    if kind == "word":
        return node[1] in token_set
    if kind == "phrase":
        return _has_phrase(tokens, token_set, node[1])
    name: str = node[1]
    value: str = node[2]
    f = m.fixture
    if name == "from":
        return _people_match((f.sender,), value)
    if name == "to":
        return _people_match(f.to, value)
    if name == "cc":
        return _people_match(f.cc, value)
    if name == "subject":
        sub = _words(f.subject)
        return _has_phrase(sub, frozenset(sub), _words(value))
    if name in ("in", "label"):
        return value.upper() in m.labels or (value.lower() == "anywhere")
    if name == "rfc822msgid":
        return f.message_id.strip("<>").casefold() == value.strip("<>").casefold()
    when = f.date.astimezone(UTC)
    if name == "after":
        return when >= _parse_when(value)
    if name == "before":
        return when < _parse_when(value)
    if name == "newer_than":
        return when >= now - _relative(value)
    return when < now - _relative(value)  # older_than


# --------------------------------------------------------------------------- partial responses


def _parse_fields(spec: str) -> dict[str, Any]:
    """``"messages(id,threadId),nextPageToken"`` → nested dict of wanted keys (``{}`` = all)."""
    pos = 0

    def parse_list() -> dict[str, Any]:
        nonlocal pos
        out: dict[str, Any] = {}
        name = ""
        while pos < len(spec):
            ch = spec[pos]
            pos += 1
            if ch == ",":
                if name:
                    _put(out, name, {})
                name = ""
            elif ch == "(":
                _put(out, name, parse_list())
                name = ""
            elif ch == ")":
                break
            elif not ch.isspace():
                name += ch
        if name:
            _put(out, name, {})
        return out

    return parse_list()


def _put(out: dict[str, Any], path: str, sub: dict[str, Any]) -> None:
    head, _, rest = path.partition("/")
    if rest:
        inner = out.setdefault(head, {})
        if inner is not None:
            _put(inner, rest, sub)
    else:
        existing = out.get(head)
        out[head] = {**existing, **sub} if existing and sub else sub


def _select(value: Any, wanted: dict[str, Any]) -> Any:
    if not wanted:
        return value
    if isinstance(value, list):
        return [_select(v, wanted) for v in value]
    if isinstance(value, dict):
        return {k: _select(v, wanted[k]) for k, v in value.items() if k in wanted}
    return value


# --------------------------------------------------------------------------- the emulator


class GmailEmulator:
    """Serves ``mailbox`` over HTTP on 127.0.0.1 at a free port; use as a context manager.

    ``token`` is the access token accepted at first; ``/token`` hands out new ones for the
    refresh token ``refresh_token``. ``clock`` (monotonic seconds) drives rate enforcement;
    ``now`` (aware UTC) drives ``newer_than``/``older_than``.
    """

    def __init__(
        self,
        mailbox: Mailbox,
        *,
        token: str = "emulator-access-token",
        refresh_token: str = "emulator-refresh-token",
        faults: FaultPlan | None = None,
        enforce_rate: bool = False,
        units_per_minute: int = 6000,
        seed: int = 0,
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
        scopes: tuple[str, ...] = DEFAULT_SCOPES,
    ) -> None:
        self.mailbox = Mailbox(owner=mailbox.owner, time_zone=mailbox.time_zone)
        self.scopes = frozenset(scopes)
        self._token_scopes: dict[str, frozenset[str]] = {token: self.scopes}
        #: draft id → {"id", "threadId", "messageId", "raw"} of each draft created
        self.drafts: dict[str, dict[str, str]] = {}
        self.faults = faults or FaultPlan(seed=seed)
        self.enforce_rate = enforce_rate
        self.units_per_minute = units_per_minute
        self.refresh_token = refresh_token
        self.token = token
        self.port = port
        self.calls: list[CallRecord] = []
        self.http_requests = 0
        self._clock = clock
        self._now = now or (lambda: datetime.now(UTC))
        self._rng = random.Random(self.faults.seed if faults else seed)
        self._lock = threading.RLock()
        self._tokens: set[str] = {token}
        self._revoked = False
        self._spend: list[tuple[float, int]] = []
        self._by_id: dict[str, _GMessage] = {}
        self._order: list[_GMessage] = []  # newest first, as Gmail lists
        self._threads: dict[str, list[_GMessage]] = {}
        self._thread_of_key: dict[str, str] = {}
        self._history: list[tuple[int, str, _GMessage]] = []  # (historyId, kind, message)
        self._history_id = _HISTORY_BASE
        self._min_history = _HISTORY_BASE
        self._list_cache: dict[tuple[str, str], list[_GMessage]] = {}
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        for f in sorted(mailbox.messages, key=lambda m: m.date):
            self._insert(f, record=False)
        self._min_history = self._history_id

    # ---------------------------------------------------------------- mailbox state

    def _insert(
        self, f: FixtureMessage, *, record: bool, labels: list[str] | None = None
    ) -> _GMessage:
        with self._lock:
            ms = int(f.date.timestamp() * 1000)
            h = int(hashlib.sha1(f.id.encode()).hexdigest()[:5], 16)
            gid = f"{ms:011x}{h:05x}"
            while gid in self._by_id:
                h = (h + 1) % 0x100000
                gid = f"{ms:011x}{h:05x}"
            thread_id = self._thread_of_key.setdefault(f.thread, gid)
            if labels is None:
                labels = ["SENT"] if f.direction == "sent" else ["INBOX", "UNREAD"]
            self._history_id += 1
            m = _GMessage(gid, thread_id, f, labels, self._history_id, ms)
            self._by_id[gid] = m
            self._threads.setdefault(thread_id, []).append(m)
            self._threads[thread_id].sort(key=lambda x: x.internal_ms)
            self._order.append(m)
            self._order.sort(key=lambda x: (x.internal_ms, x.gid), reverse=True)
            self._history.append((self._history_id, "messageAdded", m))
            self._list_cache.clear()
            self.mailbox.add(f)
            return m

    def add_message(self, message: FixtureMessage) -> str:
        """Deliver (or record as sent) a new message; returns its Gmail id. Bumps the history."""
        return self._insert(message, record=True).gid

    def delete_message(self, gid: str) -> None:
        with self._lock:
            m = self._by_id.pop(gid, None)
            if m is None:
                return
            self._order.remove(m)
            self._threads[m.thread_id].remove(m)
            if not self._threads[m.thread_id]:
                del self._threads[m.thread_id]
            self._history_id += 1
            self._history.append((self._history_id, "messageDeleted", m))
            self._list_cache.clear()

    def gmail_id(self, fixture_id: str) -> str:
        with self._lock:
            for m in self._by_id.values():
                if m.fixture.id == fixture_id:
                    return m.gid
        raise KeyError(fixture_id)

    def expire_history(self) -> None:
        """Forget all history so far: any older ``startHistoryId`` now gets 404."""
        with self._lock:
            self._history_id += 1  # the mailbox moves on; only ids from now on are valid
            self._min_history = self._history_id

    def grant(self, scopes: tuple[str, ...]) -> None:
        """The person grants ``scopes`` (say, after ``--drafts``): live tokens now hold them."""
        with self._lock:
            self.scopes = frozenset(scopes)
            for token in self._tokens:
                self._token_scopes[token] = self.scopes

    def revoke(self) -> None:
        """Revoke the grant: access tokens stop working and refreshing gives ``invalid_grant``."""
        with self._lock:
            self._revoked = True
            self._tokens.clear()

    @property
    def quota_units(self) -> int:
        with self._lock:
            return sum(c.units for c in self.calls)

    @property
    def history_id(self) -> int:
        return self._history_id

    # ---------------------------------------------------------------- server

    def __enter__(self) -> GmailEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        emulator = self

        class Handler(_Handler):
            pass

        Handler.emulator = emulator
        try:
            self._server = EmulatorHTTPServer(("127.0.0.1", self.port), Handler)
        except OSError as exc:
            raise OSError(
                exc.errno,
                f"Port {self.port} on 127.0.0.1 is busy ({exc.strerror}); pick another port or use 0.",
            ) from exc
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the emulator first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def endpoint(self) -> str:
        """The ``api_endpoint`` for googleapiclient's client_options."""
        return self.base_url + "/"

    @property
    def token_uri(self) -> str:
        return self.base_url + "/token"

    # ---------------------------------------------------------------- faults & quota

    def _should_drop(self) -> bool:
        with self._lock:
            self.http_requests += 1
            if self.faults.drop_next > 0:
                self.faults.drop_next -= 1
                dropped = True
            else:
                dropped = self.faults.drop_rate > 0 and self._rng.random() < self.faults.drop_rate
            if dropped:
                self.calls.append(CallRecord("http", 0, 0, False))
            return dropped

    def _injected(self, *, in_batch: bool) -> EmulatorError | None:
        with self._lock:
            status: int | None = None
            if self.faults.fail_next:
                status = self.faults.fail_next.pop(0)
            elif self.faults.error_rate > 0 and self._rng.random() < self.faults.error_rate:
                status = self._rng.choice(self.faults.error_statuses)
            elif (
                in_batch
                and self.faults.batch_part_failure_rate > 0
                and self._rng.random() < self.faults.batch_part_failure_rate
            ):
                status = self._rng.choice((500, 503))
            if status is None:
                return None
            ra = self.faults.retry_after if status in (429, 503) else None
            reason = {429: "rateLimitExceeded", 403: "userRateLimitExceeded"}.get(
                status, "backendError"
            )
            return EmulatorError(status, reason, "Injected fault.", retry_after=ra)

    def _charge(self, method: str, *, in_batch: bool) -> None:
        units = UNITS.get(method, 5)
        with self._lock:
            now = self._clock()
            self._spend = [(t, u) for t, u in self._spend if now - t < 60.0]
            if self.enforce_rate:
                spent = sum(u for _, u in self._spend)
                if spent + units > self.units_per_minute:
                    wait = 60.0 - (now - self._spend[0][0]) if self._spend else 1.0
                    self.calls.append(CallRecord(method, 429, 0, in_batch))
                    raise EmulatorError(
                        429,
                        "userRateLimitExceeded",
                        "User-rate limit exceeded.",
                        retry_after=max(1.0, round(wait, 3)),
                    )
            self._spend.append((now, units))
            self.calls.append(CallRecord(method, 200, units, in_batch))

    # ---------------------------------------------------------------- dispatch

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes, *, in_batch: bool
    ) -> tuple[int, dict[str, str], bytes]:
        """One API request → (status, headers, body). Batch parts come through here too."""
        url = urllib.parse.urlsplit(target)
        query_string = url.query
        if method == "POST" and headers.get("x-http-method-override", "").upper() == "GET":
            # Google's clients turn a GET whose URL passes 2,048 characters into a POST with the
            # query string as a form body (googleapiclient: MAX_URI_LENGTH); Google accepts it.
            method = "GET"
            form = body.decode("utf-8", "replace")
            query_string = "&".join(x for x in (query_string, form) if x)
            body = b""
        query = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        path = url.path
        try:
            if path == "/token" and method == "POST":
                return self._token(body)
            if path.rstrip("/") in ("/batch/gmail/v1", "/batch") and method == "POST":
                return self._batch(headers, body)
            name, args = self._route(method, path)
            granted = self._authorize(headers)
            needed = _NEEDS_SCOPE.get(name)
            if needed is not None and not needed & granted:
                raise EmulatorError(
                    403,
                    "insufficientPermissions",
                    "Request had insufficient authentication scopes.",
                )
            injected = self._injected(in_batch=in_batch)
            if injected is not None:
                with self._lock:
                    self.calls.append(CallRecord(name, injected.status, 0, in_batch))
                raise injected
            self._charge(name, in_batch=in_batch)
            result = getattr(self, "_api_" + name.replace(".", "_"))(query, body, *args)
            fields = query.get("fields", [""])[0]
            if fields:
                result = _select(result, _parse_fields(fields))
            return 200, {"Content-Type": _JSON}, json.dumps(result).encode()
        except EmulatorError as exc:
            return self._error(exc)
        except Exception as exc:  # an emulator bug must look like a Google 500, not a hang
            log.exception("emulator failed on %s %s", method, target)
            return self._error(EmulatorError(500, "backendError", f"Emulator error: {exc}"))

    def _error(self, exc: EmulatorError) -> tuple[int, dict[str, str], bytes]:
        payload = {
            "error": {
                "code": exc.status,
                "message": exc.message,
                "errors": [{"message": exc.message, "domain": "global", "reason": exc.reason}],
                "status": HTTPStatus(exc.status).name
                if exc.status in HTTPStatus._value2member_map_
                else "",
            }
        }
        out = {"Content-Type": _JSON}
        if exc.retry_after is not None:
            out["Retry-After"] = str(exc.retry_after)
        return exc.status, out, json.dumps(payload).encode()

    _ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = (
        ("GET", re.compile(r"/gmail/v1/users/([^/]+)/profile"), "getProfile"),
        ("GET", re.compile(r"/gmail/v1/users/([^/]+)/messages"), "messages.list"),
        ("POST", re.compile(r"/gmail/v1/users/([^/]+)/messages/send"), "messages.send"),
        ("GET", re.compile(r"/gmail/v1/users/([^/]+)/messages/([^/]+)"), "messages.get"),
        ("GET", re.compile(r"/gmail/v1/users/([^/]+)/threads"), "threads.list"),
        ("GET", re.compile(r"/gmail/v1/users/([^/]+)/threads/([^/]+)"), "threads.get"),
        ("GET", re.compile(r"/gmail/v1/users/([^/]+)/history"), "history.list"),
        ("POST", re.compile(r"/gmail/v1/users/([^/]+)/drafts"), "drafts.create"),
    )

    def _route(self, method: str, path: str) -> tuple[str, tuple[str, ...]]:
        for verb, pattern, name in self._ROUTES:
            m = pattern.fullmatch(path)
            if m and verb == method:
                user = urllib.parse.unquote(m.group(1))
                if user not in ("me", self.mailbox.owner.email):
                    raise EmulatorError(403, "forbidden", "Delegation denied for " + user)
                return name, tuple(urllib.parse.unquote(g) for g in m.groups()[1:])
        raise EmulatorError(404, "notFound", f"No such method: {method} {path}")

    def _authorize(self, headers: dict[str, str]) -> frozenset[str]:
        """The scopes of the bearer token; 401 when it is not a live token."""
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        with self._lock:
            ok = token in self._tokens
            scopes = self._token_scopes.get(token, self.scopes)
        if not ok:
            raise EmulatorError(401, "authError", "Request had invalid authentication credentials.")
        return scopes

    def _token(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        form = urllib.parse.parse_qs(body.decode("utf-8"))
        grant = form.get("grant_type", [""])[0]
        refresh = form.get("refresh_token", [""])[0]
        with self._lock:
            if grant != "refresh_token":
                payload = {"error": "unsupported_grant_type"}
                return 400, {"Content-Type": _JSON}, json.dumps(payload).encode()
            if self._revoked or refresh != self.refresh_token:
                payload = {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                }
                return 400, {"Content-Type": _JSON}, json.dumps(payload).encode()
            asked = frozenset(form.get("scope", [""])[0].split())
            if asked - self.scopes:
                payload = {
                    "error": "invalid_scope",
                    "error_description": "Some requested scopes were not granted.",
                }
                return 400, {"Content-Type": _JSON}, json.dumps(payload).encode()
            scopes = asked or self.scopes
            token = "ya29.emu-" + secrets.token_urlsafe(16)
            self._tokens.add(token)
            self._token_scopes[token] = scopes
        granted: dict[str, Any] = {
            "access_token": token,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": " ".join(sorted(scopes)),
        }
        return 200, {"Content-Type": _JSON}, json.dumps(granted).encode()

    # ---------------------------------------------------------------- batch

    def _batch(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        ctype = headers.get("content-type", "")
        if not ctype.startswith("multipart/mixed"):
            return self._error(EmulatorError(400, "badRequest", "Batch must be multipart/mixed."))
        parsed = BytesParser(policy=email.policy.compat32).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
        )
        parts = parsed.get_payload() if parsed.is_multipart() else []
        assert isinstance(parts, list)
        if len(parts) > MAX_BATCH:
            return self._error(
                EmulatorError(400, "badRequest", f"Too many requests in a batch (max {MAX_BATCH}).")
            )
        outer_auth = headers.get("authorization", "")
        boundary = "batch_" + secrets.token_hex(8)
        chunks: list[bytes] = []
        for part in parts:
            if not isinstance(part, Message):
                continue
            content_id = str(part.get("Content-ID", ""))
            raw = part.get_payload(decode=False)
            raw_bytes = raw.encode("utf-8") if isinstance(raw, str) else b""
            head, _, inner_body = raw_bytes.replace(b"\r\n", b"\n").partition(b"\n\n")
            lines = head.decode("utf-8").split("\n")
            verb, target, _ = ([*lines[0].split(" ", 2), "", ""])[:3]
            inner_headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                inner_headers[k.strip().lower()] = v.strip()
            inner_headers.setdefault("authorization", outer_auth)
            status, h, content = self.handle(verb, target, inner_headers, inner_body, in_batch=True)
            reason = HTTPStatus(status).phrase
            head_lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in h.items()]
            rid = content_id.strip()
            rid = "<response-" + rid[1:] if rid.startswith("<") else rid
            chunks.append(
                (
                    f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: {rid}\r\n\r\n"
                    + "\r\n".join(head_lines)
                    + "\r\n\r\n"
                ).encode()
                + content
                + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, b"".join(chunks)

    # ---------------------------------------------------------------- API methods

    def _arg(self, query: dict[str, list[str]], name: str, default: str = "") -> str:
        return query.get(name, [default])[0]

    def _max_results(self, query: dict[str, list[str]], default: int, cap: int) -> int:
        try:
            value = int(self._arg(query, "maxResults", str(default)))
        except ValueError:
            raise EmulatorError(400, "invalidArgument", "Invalid maxResults") from None
        return max(1, min(value, cap))

    def _api_getProfile(self, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        with self._lock:
            return {
                "emailAddress": self.mailbox.owner.email,
                "messagesTotal": len(self._by_id),
                "threadsTotal": len(self._threads),
                "historyId": str(self._history_id),
            }

    def _filtered(self, query: dict[str, list[str]]) -> list[_GMessage]:
        labels = query.get("labelIds", [])
        q = self._arg(query, "q")
        key = (",".join(sorted(labels)), q)
        with self._lock:
            cached = self._list_cache.get(key)
            if cached is not None:
                return cached
            tree = parse_q(q) if q.strip() else None
            now = self._now()
            result = [
                m
                for m in self._order
                if all(label in m.labels for label in labels)
                and (tree is None or _matches(tree, m, now))
            ]
            self._list_cache[key] = result
            return result

    def _page(
        self,
        items: list[Any],
        query: dict[str, list[str]],
        default: int,
    ) -> tuple[list[Any], str | None]:
        """Keyset paging, like Gmail's page tokens: the token names the last item served, so a
        message deleted (or added) between two pages neither skips nor repeats one. ``items``
        are messages (newest first, keyed by id) or history records (oldest first, by id)."""
        key = _page_key
        size = self._max_results(query, default, 500)
        token = self._arg(query, "pageToken")
        start = 0
        if token:
            if len(items) > 1 and key(items[0]) > key(items[-1]):  # descending
                start = next((i for i, x in enumerate(items) if key(x) < token), len(items))
            else:
                start = next((i for i, x in enumerate(items) if key(x) > token), len(items))
        page = items[start : start + size]
        nxt = key(page[-1]) if page and start + size < len(items) else None
        return page, nxt

    def _api_messages_list(self, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        found = self._filtered(query)
        page, nxt = self._page(found, query, 100)
        out: dict[str, Any] = {"resultSizeEstimate": len(found)}
        if page:
            out["messages"] = [{"id": m.gid, "threadId": m.thread_id} for m in page]
        if nxt:
            out["nextPageToken"] = nxt
        for m in page[: self.faults.delete_after_list]:
            self.delete_message(m.gid)
        return out

    def _render(self, m: _GMessage, fmt: str, headers_wanted: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": m.gid,
            "threadId": m.thread_id,
            "labelIds": list(m.labels),
            "snippet": _snippet(m.fixture),
            "sizeEstimate": len(m.mime.as_bytes()) if fmt in ("full", "raw") else 512,
            "historyId": str(m.history_id),
            "internalDate": str(m.internal_ms),
        }
        if fmt == "metadata":
            only = {h.lower() for h in headers_wanted} if headers_wanted else None
            out["payload"] = _payload(m.mime, "", with_body=False, only=only)
            out["payload"]["mimeType"] = m.mime.get_content_type()
        elif fmt == "full":
            out["payload"] = _payload(m.mime, "", with_body=True, only=None)
        elif fmt == "raw":
            out["raw"] = _b64url(m.mime.as_bytes())
        elif fmt != "minimal":
            raise EmulatorError(400, "invalidArgument", f"Invalid format: {fmt}")
        return out

    def _api_messages_get(
        self, query: dict[str, list[str]], body: bytes, gid: str
    ) -> dict[str, Any]:
        with self._lock:
            m = self._by_id.get(gid)
        if m is None:
            raise EmulatorError(404, "notFound", "Requested entity was not found.")
        return self._render(m, self._arg(query, "format", "full"), query.get("metadataHeaders", []))

    def _api_threads_list(self, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        found = self._filtered(query)
        seen: dict[str, _GMessage] = {}
        for m in found:
            seen.setdefault(m.thread_id, m)
        threads = list(seen.values())
        page, nxt = self._page(threads, query, 100)
        out: dict[str, Any] = {"resultSizeEstimate": len(threads)}
        if page:
            with self._lock:
                out["threads"] = [
                    {
                        "id": m.thread_id,
                        "snippet": _snippet(self._threads[m.thread_id][-1].fixture),
                        "historyId": str(max(x.history_id for x in self._threads[m.thread_id])),
                    }
                    for m in page
                ]
        if nxt:
            out["nextPageToken"] = nxt
        return out

    def _api_threads_get(
        self, query: dict[str, list[str]], body: bytes, tid: str
    ) -> dict[str, Any]:
        with self._lock:
            members = list(self._threads.get(tid, []))
        if not members:
            raise EmulatorError(404, "notFound", "Requested entity was not found.")
        fmt = self._arg(query, "format", "full")
        wanted = query.get("metadataHeaders", [])
        return {
            "id": tid,
            "historyId": str(max(m.history_id for m in members)),
            "messages": [self._render(m, fmt, wanted) for m in members],
        }

    def _api_history_list(self, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        start_s = self._arg(query, "startHistoryId")
        if not start_s.isdigit():
            raise EmulatorError(400, "invalidArgument", "Missing or invalid startHistoryId.")
        start = int(start_s)
        types = set(query.get("historyTypes", [])) or {"messageAdded", "messageDeleted"}
        label = self._arg(query, "labelId")
        with self._lock:
            if start < self._min_history:
                raise EmulatorError(404, "notFound", "Requested entity was not found.")
            records = [
                (hid, kind, m)
                for hid, kind, m in self._history
                if hid > start and kind in types and (not label or label in m.labels)
            ]
            current = self._history_id
        page, nxt = self._page(records, query, 100)
        out: dict[str, Any] = {"historyId": str(current)}
        if page:
            out["history"] = [
                {
                    "id": str(hid),
                    "messages": [{"id": m.gid, "threadId": m.thread_id}],
                    _HISTORY_KEYS[kind]: [
                        {
                            "message": {
                                "id": m.gid,
                                "threadId": m.thread_id,
                                "labelIds": list(m.labels),
                            }
                        }
                    ],
                }
                for hid, kind, m in page
            ]
        if nxt:
            out["nextPageToken"] = nxt
        return out

    def _parse_raw(self, raw_b64: str, *, fallback_id: str) -> FixtureMessage:
        try:
            raw = base64.urlsafe_b64decode(raw_b64 + "=" * (-len(raw_b64) % 4))
            msg = BytesParser(policy=email.policy.default).parsebytes(raw)
        except (ValueError, TypeError) as exc:
            raise EmulatorError(400, "invalidArgument", "Invalid raw message.") from exc
        assert isinstance(msg, EmailMessage)

        def people(header: str) -> tuple[Person, ...]:
            return tuple(
                Person(email=a, name=n) for n, a in getaddresses(msg.get_all(header, [])) if a
            )

        text_part = msg.get_body(("plain",))
        html_part = msg.get_body(("html",))
        date_h = msg.get("Date")
        date = parsedate_to_datetime(str(date_h)).astimezone(UTC) if date_h else self._now()
        mid = (
            str(msg.get("Message-ID", "")).strip().strip("<>") or f"{fallback_id}@emulator.invalid"
        )
        in_reply_to = str(msg.get("In-Reply-To", "")).strip().strip("<>") or None
        refs = tuple(re.findall(r"<([^<>\s]+)>", str(msg.get("References", ""))))
        sender = people("From")
        core = {
            "from",
            "to",
            "cc",
            "subject",
            "date",
            "message-id",
            "in-reply-to",
            "references",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
        }
        extra = {k: str(v) for k, v in msg.items() if k.lower() not in core}
        thread = None
        with self._lock:
            for m in self._by_id.values():
                if in_reply_to and m.fixture.message_id == in_reply_to:
                    thread = m.fixture.thread
        return FixtureMessage(
            id=fallback_id,
            thread=thread or "sent-" + fallback_id,
            message_id=mid,
            in_reply_to=in_reply_to,
            references=refs,
            sender=sender[0] if sender else self.mailbox.owner,
            to=people("To"),
            cc=people("Cc"),
            subject=str(msg.get("Subject", "")),
            date=date,
            direction="sent",
            headers=extra,
            text=text_part.get_content() if text_part is not None else None,  # type: ignore[attr-defined]
            html=html_part.get_content() if html_part is not None else None,  # type: ignore[attr-defined]
            truth=Truth(),
        )

    def _api_messages_send(self, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        try:
            data = json.loads(body or b"{}")
        except json.JSONDecodeError as exc:
            raise EmulatorError(400, "invalidArgument", "Body is not JSON.") from exc
        raw = data.get("raw")
        if not isinstance(raw, str) or not raw:
            raise EmulatorError(
                400, "invalidArgument", "'raw' RFC822 payload message string required."
            )
        fixture = self._parse_raw(raw, fallback_id="api-" + secrets.token_hex(6))
        m = self._insert(fixture, record=True)
        return {"id": m.gid, "threadId": m.thread_id, "labelIds": list(m.labels)}

    def _api_drafts_create(self, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        try:
            data = json.loads(body or b"{}")
        except json.JSONDecodeError as exc:
            raise EmulatorError(400, "invalidArgument", "Body is not JSON.") from exc
        message = data.get("message") or {}
        raw = message.get("raw")
        if not isinstance(raw, str) or not raw:
            raise EmulatorError(400, "invalidArgument", "Draft message 'raw' is required.")
        fixture = self._parse_raw(raw, fallback_id="draft-" + secrets.token_hex(6))
        thread_id = str(message.get("threadId") or "")
        with self._lock:
            members = self._threads.get(thread_id)
            if thread_id and not members:
                raise EmulatorError(404, "notFound", "Requested entity was not found.")
            if members:  # the draft joins the thread it names
                fixture = dataclasses.replace(fixture, thread=members[0].fixture.thread)
            m = self._insert(fixture, record=True, labels=["DRAFT"])
            draft_id = "r" + m.gid
            self.drafts[draft_id] = {
                "id": draft_id,
                "threadId": m.thread_id,
                "messageId": m.gid,
                "raw": raw,
            }
        return {
            "id": draft_id,
            "message": {"id": m.gid, "threadId": m.thread_id, "labelIds": ["DRAFT"]},
        }


def _page_key(item: Any) -> str:
    """Sort key of a listed item as a page token: a message's id, a history record's id."""
    return f"{item[0]:012d}" if isinstance(item, tuple) else str(item.gid)


class _Handler(BaseHTTPRequestHandler):
    emulator: GmailEmulator
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.emulator._should_drop():
            # A dropped connection: close without a status line (the client sees a reset).
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, out_headers, content = self.emulator.handle(
            method, self.path, headers, body, in_batch=False
        )
        self.send_response(status)
        for k, v in out_headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")


def main(argv: list[str] | None = None) -> None:
    """``python -m connectors.emulators.gmail [--mailbox FILE | --seed N --sent N] [--port P]``.

    Serves until interrupted; prints one JSON line with the endpoint, token URI and tokens.
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Serve a mailbox as the Gmail API on 127.0.0.1.")
    parser.add_argument("--mailbox", help="mailbox JSON fixture (.json or .json.gz)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sent", type=int, default=200)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    if args.mailbox:
        from pathlib import Path

        try:
            box = Mailbox.load(Path(args.mailbox))
        except (OSError, ValueError, KeyError) as exc:
            sys.exit(
                f"error: cannot load mailbox {args.mailbox} ({exc}); pass a mailbox JSON file."
            )
    else:
        from connectors.emulators.generator import generate_mailbox

        start = datetime.now(UTC) - timedelta(days=args.days)
        box = generate_mailbox(seed=args.seed, sent=args.sent, start=start, days=args.days)
    emulator = GmailEmulator(box, port=args.port)
    try:
        emulator.start()
    except OSError as exc:
        sys.exit(f"error: {exc.strerror or exc}")
    print(
        json.dumps(
            {
                "endpoint": emulator.endpoint,
                "token_uri": emulator.token_uri,
                "token": emulator.token,
                "refresh_token": emulator.refresh_token,
            }
        ),
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
