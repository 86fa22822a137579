"""The Gmail connector: quota-aware sync of sent mail and the replies to it, sending, find-sent.

Role: implement ``connectors.base.Connector`` over google-api-python-client (also against the
local emulator, ``connectors/emulators/gmail.py``). Provider-specific data never leaves this module.

Sync, one folder key ``"history"`` whose cursor is JSON (``_Cursor``)::

    (no cursor) ──getProfile──▶ initial(stage=sent, page_token, history_id=H, after=since)
    initial(sent) ──each messages.list page (labelIds=SENT, q = after: + prefilter terms)──▶
        fetch unseen hits lazily, one batch (≤ 50) per SyncPage; those pages keep the cursor of
        the listing page in progress (a restart re-lists it, 5 units, and skips what
        ``known_messages`` says is stored); one more page then moves the cursor on
    initial(sent) done ─(resync only)─▶ initial(stage=replies): messages.list -in:sent after:X,
        fetch the ones in ``known_threads``
    initial done ──▶ history(history_id=H) ──history.list──▶ incremental pages, cursor = last
        history record applied; the final page carries the response's historyId and done=True
    history.list 404 (too old) ──getProfile──▶ initial(resync, after = last good sync − 1 day,
        bounded below by ``since``): skips known ids, then the cursor advances

Quota (2026 prices: messages.get 20, threads.get 40 units). The initial sync never gets every
sent message: a server-side ``q`` built from the classifier's prefilter terms narrows the SENT
listing, and only hits are fetched, with bodies. ``fetch`` chooses how (units per 1,000 sent,
scripts/bench_gmail_sync.py --sent 10000 --seed 7: generated mailbox, 2% asks, the 114 prefilter
terms of 2026-11-23; ask recall 1.0 in every prefiltered mode, 0.97 for the full scan):

- ``"message"`` (what sync/connect_gmail.py wires): first drop the hits that the caller's
  ``SyncContext.rules_out`` rules out from the thread snippet alone (threads.list with the same
  q, 10 units per 500 threads; only for a hit that is its thread's newest message, since a
  thread's snippet is its newest message's). Then messages.get per remaining hit, and the rest of
  a thread only when ``is_candidate`` (given the body) says so: by messages.get when one message
  is missing, threads.get when more are. **~1,370 units** (~1,360–1,410 over seeds 3, 7, 11);
  ~4,600 without the snippet triage.
- ``"auto"``: a hit whose thread has no other message in the window (one listing of the
  window's ids, 5 units per 500) costs one messages.get; other hit threads one threads.get,
  which brings the replies too. ~6,700 units.
- ``"thread"``: one threads.get per hit thread.
- ``"metadata"``: metadata get per hit, threads.get for candidates.
- no prefilter terms: metadata for every sent message (the full scan). ~35,100 units.

Without the triage the floor is 20 units per prefilter hit, and the word prefilter needed for
recall hits ~20% of generated and ~40% of real (Enron) sent mail. The triage assumes what Gmail
does and the emulator copies: a thread's snippet is its newest message's, and messages.list lists
newest first. Incremental sync fetches every new SENT message and every new message of a known
thread (one messages.get each); a no-change sync is one history.list call.

Retries: every call goes through ``_Caller``: a pacer keeps the spend of the last 60 s under
``units_per_minute``; 429, 403 rate-limit reasons, 5xx, timeouts and resets are retried with
exponential backoff and full jitter (tenacity), waiting at least ``Retry-After``. A batch retries
only its failed parts. ``send`` never blindly repeats a possibly-delivered message: after an
ambiguous failure it asks ``find_sent`` first.

Errors: every googleapiclient / google-auth / transport error is mapped in ``map_error`` into
``connectors.errors`` (``invalid_grant`` → ``AuthExpired``).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import html
import http.client
import json
import logging
import random
import socket
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, getaddresses
from typing import Any, Literal

import google.auth.exceptions
import google_auth_httplib2
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest, HttpRequest
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
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
from connectors.errors import AuthExpired, ConnectorError, RateLimited, Transient

log = logging.getLogger(__name__)

SCOPES = (
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.send",
)
#: The extra scope ``create_draft`` needs (``reftrack auth gmail --drafts`` asks for it).
COMPOSE_SCOPE = "https://www.googleapis.com/auth/gmail.compose"
DRAFT_SCOPES = (*SCOPES, COMPOSE_SCOPE)
DEFAULT_ENDPOINT = "https://gmail.googleapis.com/"
FOLDER = "history"
#: Units per call: messages.get/threads.get at the 2026 prices, the rest from Google's per-method
#: quota table. The pacer spends by it and the emulator charges by it (one table, one truth).
UNITS: dict[str, int] = {
    "getProfile": 1,
    "history.list": 2,
    "messages.list": 5,
    "messages.get": 20,
    "messages.send": 100,
    "threads.list": 10,
    "threads.get": 40,
    "drafts.create": 10,
}
BATCH_SIZE = 50  # Gmail asks for at most 50 per batch (100 is the hard limit)
LIST_PAGE = 500
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
_SCOPE_REASONS = {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}
NO_DRAFT_SCOPE = (
    "Gmail did not allow reftrack to create drafts (the grant lacks the gmail.compose scope); "
    "run `reftrack auth gmail --drafts` to allow drafts."
)
_METADATA_HEADERS = (
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    *sorted(HEADERS_THAT_MATTER),
)
FetchMode = Literal["auto", "thread", "message", "metadata"]


# --------------------------------------------------------------------------- errors


def _reason(exc: HttpError) -> str:
    try:
        details = exc.error_details
    except Exception:  # a body googleapiclient could not parse
        details = None
    if isinstance(details, list) and details and isinstance(details[0], dict):
        return str(details[0].get("reason", ""))
    return ""


def _retry_after(exc: BaseException) -> float | None:
    if isinstance(exc, HttpError):
        value = exc.resp.get("retry-after") if exc.resp is not None else None
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None


def _status(exc: BaseException) -> int:
    return int(exc.resp.status) if isinstance(exc, HttpError) and exc.resp is not None else 0


_TRANSPORT_ERRORS = (
    ConnectionError,  # includes resets and http.client.RemoteDisconnected
    TimeoutError,
    socket.timeout,
    http.client.HTTPException,
    httplib2.HttpLib2Error,
    google.auth.exceptions.TransportError,
)


def is_retryable(exc: BaseException) -> bool:
    """429, 403 rate-limit reasons, 5xx, timeouts and dropped connections are worth retrying."""
    if isinstance(exc, HttpError):
        status = _status(exc)
        return status == 429 or status >= 500 or (status == 403 and _reason(exc) in _RATE_REASONS)
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return False
    return isinstance(exc, _TRANSPORT_ERRORS)


def is_insufficient_scope(exc: BaseException) -> bool:
    """A 403 saying the token lacks a scope (not a rate limit, not a revoked grant)."""
    if not isinstance(exc, HttpError) or _status(exc) != 403:
        return False
    return _reason(exc) in _SCOPE_REASONS or "insufficient authentication scopes" in str(exc)


def map_error(exc: BaseException) -> ConnectorError:
    """The one place SDK and transport errors become ``connectors.errors`` (raise it ``from exc``)."""
    if isinstance(exc, ConnectorError):
        return exc
    if isinstance(exc, google.auth.exceptions.RefreshError):
        text = str(exc)
        if "invalid_grant" in text:
            return AuthExpired(
                "Google says the Gmail grant is expired or revoked; run `reftrack auth gmail` again."
            )
        if isinstance(exc, google.auth.exceptions.TransportError):
            return Transient("Could not reach Google's token endpoint; try again later.")
        return AuthExpired(
            f"Google refused to refresh the Gmail token ({text[:120]}); run `reftrack auth gmail` again."
        )
    if isinstance(exc, HttpError):
        status, reason = _status(exc), _reason(exc)
        if status == 401:
            return AuthExpired(
                "Gmail rejected the stored credentials; run `reftrack auth gmail` again."
            )
        if status == 429 or (status == 403 and reason in _RATE_REASONS):
            return RateLimited(
                "Gmail kept rate-limiting this account; the next sync will continue where this one stopped.",
                retry_after=_retry_after(exc),
            )
        if status == 403:
            return AuthExpired(
                f"Gmail refused access ({reason or 'forbidden'}); run `reftrack auth gmail` again and grant the requested permissions."
            )
        if status >= 500:
            return Transient(f"Gmail had a server error ({status}); try again later.")
        return ConnectorError(
            f"Gmail rejected a request ({status} {reason or exc.reason}); report this with `reftrack -v sync` output."
        )
    if isinstance(exc, _TRANSPORT_ERRORS):
        return Transient(f"The connection to Gmail failed ({type(exc).__name__}); try again later.")
    return ConnectorError(f"Unexpected Gmail failure ({type(exc).__name__}: {exc}); try again.")


# --------------------------------------------------------------------------- pacing & retrying


class Pacer:
    """Keeps the units spent in any 60 s window at or under ``units_per_minute``."""

    def __init__(
        self,
        units_per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit = units_per_minute
        self._clock = clock
        self._sleep = sleep
        self._spent: deque[tuple[float, int]] = deque()
        self.waited = 0.0

    def reserve(self, units: int) -> None:
        while True:
            now = self._clock()
            while self._spent and now - self._spent[0][0] >= 60.0:
                self._spent.popleft()
            total = sum(u for _, u in self._spent)
            if total + units <= self.limit or not self._spent:
                self._spent.append((now, units))
                return
            # Wait until enough of the oldest spend has left the window.
            need = total + units - self.limit
            freed = 0
            wait_until = self._spent[0][0]
            for t, u in self._spent:
                freed += u
                wait_until = t
                if freed >= need:
                    break
            delay = max(0.001, wait_until + 60.0 - now)
            self.waited += delay
            self._sleep(delay)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 7
    initial: float = 0.5  # seconds; the backoff doubles up to ``maximum`` with full jitter
    maximum: float = 32.0


class _Caller:
    """Paced, retried execution of single requests and batches, and token-change notification."""

    def __init__(
        self,
        service: Any,
        *,
        batch_uri: str,
        pacer: Pacer,
        policy: RetryPolicy,
        sleep: Callable[[float], None],
        credentials: Credentials | None,
        on_credentials: Callable[[Credentials], None] | None,
    ) -> None:
        self.service = service
        self.batch_uri = batch_uri
        self.pacer = pacer
        self.policy = policy
        self.sleep = sleep
        self._credentials = credentials
        self._on_credentials = on_credentials
        self._token = credentials.token if credentials is not None else None
        self.retries = 0

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_random_exponential(multiplier=self.policy.initial, max=self.policy.maximum)
        delay = float(backoff(state))
        exc = state.outcome.exception() if state.outcome is not None else None
        ra = _retry_after(exc) if exc is not None else None
        return max(delay, ra) if ra is not None else delay

    def notify_credentials(self) -> None:
        creds = self._credentials
        if creds is not None and creds.token != self._token:
            self._token = creds.token
            if self._on_credentials is not None:
                self._on_credentials(creds)

    def _count(self, state: RetryCallState) -> None:
        self.retries += 1

    def call(self, request: HttpRequest, method: str) -> Any:
        """Execute one request; returns the parsed JSON. Raises a mapped ``ConnectorError``."""

        def once() -> Any:
            self.pacer.reserve(UNITS.get(method, 5))
            return request.execute(num_retries=0)

        try:
            for attempt in Retrying(
                sleep=self.sleep,
                stop=stop_after_attempt(self.policy.attempts),
                wait=self._wait,
                retry=retry_if_exception(is_retryable),
                before_sleep=self._count,
                reraise=True,
            ):
                with attempt:
                    result = once()
            return result
        except HttpError:
            raise
        except Exception as exc:
            raise map_error(exc) from exc
        finally:
            self.notify_credentials()

    def batch(
        self, requests: Mapping[str, Callable[[], HttpRequest]], method: str
    ) -> dict[str, Any | None]:
        """Run ``requests`` (key → request factory) in batches of ``BATCH_SIZE``.

        Returns key → parsed JSON, or ``None`` for a 404 (deleted since it was listed). Failed
        parts are retried on their own with backoff; other parts are not sent again.
        """
        results: dict[str, Any | None] = {}
        pending = list(requests)
        attempt = 0
        # A batch never asks for more units than the pacer allows in a minute.
        size = max(1, min(BATCH_SIZE, self.pacer.limit // UNITS.get(method, 5)))
        try:
            while pending:
                chunk, rest = pending[:size], pending[size:]
                failed: list[str] = []
                worst: BaseException | None = None
                self.pacer.reserve(UNITS.get(method, 5) * len(chunk))
                outcome: dict[str, BaseException | Any] = {}

                batch = BatchHttpRequest(
                    callback=functools.partial(_collect, outcome), batch_uri=self.batch_uri
                )
                for key in chunk:
                    batch.add(requests[key](), request_id=key)
                try:
                    batch.execute()
                except Exception as exc:  # the whole batch failed: every part is retried
                    if not is_retryable(exc):
                        raise
                    failed, worst = list(chunk), exc
                else:
                    for key in chunk:
                        value = outcome.get(key)
                        if isinstance(value, HttpError) and _status(value) == 404:
                            results[key] = None
                        elif isinstance(value, BaseException):
                            if not is_retryable(value):
                                raise value
                            failed.append(key)
                            worst = _worse(worst, value)
                        else:
                            results[key] = value
                if failed:
                    attempt += 1
                    if attempt >= self.policy.attempts:
                        assert worst is not None
                        raise worst
                    self.retries += 1
                    delay = random.uniform(
                        0, min(self.policy.maximum, self.policy.initial * 2**attempt)
                    )
                    ra = _retry_after(worst) if worst is not None else None
                    self.sleep(max(delay, ra) if ra is not None else delay)
                else:
                    attempt = 0
                pending = failed + rest
        except ConnectorError:
            raise
        except Exception as exc:
            raise map_error(exc) from exc
        finally:
            self.notify_credentials()
        return results


def _collect(
    into: dict[str, Any], key: str, response: Any, exception: BaseException | None
) -> None:
    into[key] = exception if exception is not None else response


def _worse(a: BaseException | None, b: BaseException) -> BaseException:
    """Keep the error with the longest Retry-After (it decides how long to wait)."""
    if a is None:
        return b
    return b if (_retry_after(b) or 0) > (_retry_after(a) or 0) else a


# --------------------------------------------------------------------------- conversion


def _b64decode(data: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return b""


def _charset(headers: list[dict[str, str]]) -> str:
    for h in headers:
        if h.get("name", "").lower() == "content-type":
            value = h.get("value", "")
            for param in value.split(";")[1:]:
                key, _, val = param.strip().partition("=")
                if key.lower() == "charset" and val:
                    return val.strip('"')
    return "utf-8"


def _decode(part: Mapping[str, Any]) -> str:
    raw = _b64decode(str((part.get("body") or {}).get("data", "")))
    charset = _charset(list(part.get("headers") or []))
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def _bodies(payload: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """First text/plain and text/html bodies (attachments skipped); a delivery report's
    machine-readable status is appended to its text so bounce rules can read it."""
    text: str | None = None
    html_body: str | None = None
    status: list[str] = []
    stack = [payload]
    while stack:
        part = stack.pop(0)
        mime = str(part.get("mimeType", "")).lower()
        if part.get("parts"):
            stack[0:0] = list(part["parts"])
            continue
        if part.get("filename"):
            continue
        if mime == "text/plain" and text is None:
            text = _decode(part)
        elif mime == "text/html" and html_body is None:
            html_body = _decode(part)
        elif mime in ("message/delivery-status", "message/global-delivery-status"):
            status.append(_decode(part))
    if status:
        text = "\n".join(filter(None, [text or "", *status]))
    return text, html_body


def _people(value: str) -> tuple[Address, ...]:
    return tuple(Address(email=a, name=n) for n, a in getaddresses([value]) if a and "@" in a)


def to_mail(resource: Mapping[str, Any], *, with_body: bool) -> MailMessage:
    """A Gmail message resource (format metadata or full) as a ``MailMessage``."""
    payload = resource.get("payload") or {}
    all_headers: dict[str, str] = {}
    for h in payload.get("headers") or []:
        name = str(h.get("name", "")).lower()
        value = str(h.get("value", ""))
        all_headers[name] = f"{all_headers[name]}, {value}" if name in all_headers else value
    senders = _people(all_headers.get("from", ""))
    labels = resource.get("labelIds") or []
    text, html_body = _bodies(payload) if with_body else (None, None)
    if with_body and text is None and html_body is None:
        text = ""
    return MailMessage(
        provider="gmail",
        provider_id=str(resource["id"]),
        thread_key=str(resource.get("threadId", resource["id"])),
        message_id=normalize_msgid(all_headers.get("message-id")),
        in_reply_to=normalize_msgid(all_headers.get("in-reply-to")),
        references=parse_references(all_headers.get("references")),
        sender=senders[0] if senders else Address(email=""),
        to=_people(all_headers.get("to", "")),
        cc=_people(all_headers.get("cc", "")),
        subject=all_headers.get("subject", ""),
        sent_at=datetime.fromtimestamp(int(resource.get("internalDate", "0")) / 1000, UTC),
        direction="sent" if "SENT" in labels else "received",
        headers={k: v for k, v in all_headers.items() if k in HEADERS_THAT_MATTER},
        body_text=text,
        body_html=html_body,
        snippet=html.unescape(str(resource.get("snippet", ""))),
        web_link=f"https://mail.google.com/mail/u/0/#all/{resource.get('threadId', resource['id'])}",
    )


def _strip(msg: MailMessage) -> MailMessage:
    return dataclasses.replace(msg, body_text=None, body_html=None)


def build_query(*, after: datetime, terms: Sequence[str] | None, extra: str = "") -> str:
    """``after:<epoch> [extra] [(t1 OR t2 OR "a phrase")]`` — Gmail ``q`` for a listing."""
    parts = [f"after:{int(after.timestamp())}"]
    if extra:
        parts.append(extra)
    if terms:
        parts.append("(" + " OR ".join(terms) + ")")
    return " ".join(parts)


# --------------------------------------------------------------------------- cursor


@dataclass(frozen=True, slots=True)
class _Cursor:
    phase: Literal["initial", "history"]
    history_id: str
    stage: Literal["sent", "replies"] = "sent"
    page_token: str | None = None
    after: int = 0  # epoch seconds bounding the initial listing
    resync: bool = False
    at: int = 0  # epoch seconds of the last completed history round

    def dump(self) -> str:
        return json.dumps(
            {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, False, 0, "")}
            | {"v": 1, "phase": self.phase, "history_id": self.history_id},
            sort_keys=True,
        )

    @classmethod
    def load(cls, raw: str | None) -> _Cursor | None:
        if not raw:
            return None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            # A bare historyId (older or hand-written cursors) is still a valid history cursor.
            return cls(phase="history", history_id=raw) if raw.isdigit() else None
        if not isinstance(data, dict) or data.get("v") != 1:
            return None
        return cls(
            phase="initial" if data.get("phase") == "initial" else "history",
            history_id=str(data.get("history_id", "")),
            stage="replies" if data.get("stage") == "replies" else "sent",
            page_token=data.get("page_token"),
            after=int(data.get("after", 0)),
            resync=bool(data.get("resync", False)),
            at=int(data.get("at", 0)),
        )


# --------------------------------------------------------------------------- the connector


class GmailConnector:
    """``Connector`` for one Gmail mailbox. Build it with ``open_service`` or hand it a service."""

    provider = "gmail"

    def __init__(
        self,
        service: Any,
        *,
        api_endpoint: str | None = None,
        prefilter_terms: Sequence[str] | None = None,
        fetch: FetchMode = "auto",
        units_per_minute: int = 6000,
        credentials: Credentials | None = None,
        on_credentials: Callable[[Credentials], None] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        resync_overlap: timedelta = timedelta(days=1),
    ) -> None:
        endpoint = api_endpoint or DEFAULT_ENDPOINT
        if not endpoint.endswith("/"):
            endpoint += "/"
        self.prefilter_terms = tuple(prefilter_terms) if prefilter_terms else None
        self.fetch: FetchMode = fetch if self.prefilter_terms else "metadata"
        self.pacer = Pacer(units_per_minute, clock=clock, sleep=sleep)
        self._caller = _Caller(
            service,
            batch_uri=endpoint + "batch/gmail/v1",
            pacer=self.pacer,
            policy=retry or RetryPolicy(),
            sleep=sleep,
            credentials=credentials,
            on_credentials=on_credentials,
        )
        self._svc = service
        self._now = now
        self._overlap = resync_overlap
        self._sizes: dict[str, list[str]] | None = None
        self._snippets: dict[str, str] | None = None
        self._sent_q = ""
        self._after = datetime.fromtimestamp(0, UTC)
        self.ruled_out = 0  # sent hits never fetched: their snippet showed they are no ask

    # ---------------------------------------------------------------- small calls

    @property
    def retries(self) -> int:
        return self._caller.retries

    def _users(self) -> Any:
        return self._svc.users()

    def _call(self, request: HttpRequest, method: str) -> Any:
        try:
            return self._caller.call(request, method)
        except HttpError as exc:
            raise map_error(exc) from exc

    def get_profile(self) -> Profile:
        data = self._call(self._users().getProfile(userId="me"), "getProfile")
        return Profile(address=str(data.get("emailAddress", "")).lower())

    def _history_id_now(self) -> str:
        data = self._call(self._users().getProfile(userId="me", fields="historyId"), "getProfile")
        return str(data["historyId"])

    def find_sent(self, message_id: str) -> bool:
        return self._find_sent_id(message_id) is not None

    def _find_sent_id(self, message_id: str) -> str | None:
        mid = normalize_msgid(message_id) or message_id
        data = self._call(
            self._users()
            .messages()
            .list(userId="me", q=f"rfc822msgid:{mid}", maxResults=1, fields="messages(id)"),
            "messages.list",
        )
        found = data.get("messages") or []
        return str(found[0]["id"]) if found else None

    def send(self, message: OutgoingMessage) -> str:
        mime = EmailMessage(policy=SMTP)
        mime["From"] = formataddr((message.sender.name, message.sender.email))
        mime["To"] = ", ".join(formataddr((a.name, a.email)) for a in message.to)
        mime["Subject"] = message.subject
        mime["Date"] = format_datetime(self._now())
        mime["Message-ID"] = f"<{normalize_msgid(message.message_id) or message.message_id}>"
        for key, value in message.headers.items():
            mime[key] = value
        mime.set_content(message.text)
        if message.html is not None:
            mime.add_alternative(message.html, subtype="html")
        raw = base64.urlsafe_b64encode(mime.as_bytes()).decode("ascii")
        attempts = self._caller.policy.attempts
        last: BaseException | None = None
        for attempt in range(attempts):
            if attempt:
                delay = random.uniform(0, min(self._caller.policy.maximum, 2**attempt))
                ra = _retry_after(last) if last is not None else None
                self._caller.sleep(max(delay, ra) if ra is not None else delay)
                # The last try may have been delivered before it failed: look before resending.
                found = self._find_sent_id(message.message_id)
                if found is not None:
                    return found
            try:
                self.pacer.reserve(UNITS["messages.send"])
                data = (
                    self._users()
                    .messages()
                    .send(userId="me", body={"raw": raw})
                    .execute(num_retries=0)
                )
                return str(data.get("id", ""))
            except Exception as exc:
                if not is_retryable(exc):
                    raise map_error(exc) from exc
                last = exc
            finally:
                self._caller.notify_credentials()
        assert last is not None
        raise map_error(last) from last

    def create_draft(self, draft: DraftMessage) -> str:
        """users.drafts.create with a raw MIME reply in ``draft.thread_key`` (needs gmail.compose).

        From is left to Gmail (the mailbox owner). In-Reply-To/References and the threadId put
        the draft in the thread, as Gmail requires for a reply. A retried call whose first answer
        was lost may leave a second draft (drafts are never sent by reftrack).
        """
        mime = EmailMessage(policy=SMTP)
        mime["To"] = ", ".join(formataddr((a.name, a.email)) for a in draft.to)
        mime["Subject"] = draft.subject
        parent = normalize_msgid(draft.in_reply_to)
        if parent:
            mime["In-Reply-To"] = f"<{parent}>"
            chain = [r for r in draft.references if r != parent] + [parent]
            mime["References"] = " ".join(f"<{r}>" for r in chain)
        mime.set_content(draft.text)
        raw = base64.urlsafe_b64encode(mime.as_bytes()).decode("ascii")
        body = {"message": {"raw": raw, "threadId": draft.thread_key}}
        try:
            data = self._caller.call(
                self._users().drafts().create(userId="me", body=body), "drafts.create"
            )
        except HttpError as exc:
            if is_insufficient_scope(exc):
                raise ConnectorError(NO_DRAFT_SCOPE) from exc
            raise map_error(exc) from exc
        return str(data.get("id", ""))

    # ---------------------------------------------------------------- sync

    def sync(self, cursors: Mapping[str, str], *, context: SyncContext) -> Iterator[SyncPage]:
        state = _Cursor.load(cursors.get(FOLDER))
        if state is None:
            state = _Cursor(
                phase="initial",
                history_id=self._history_id_now(),
                after=int(context.since.timestamp()),
            )
        if state.phase == "initial":
            state = yield from self._initial(state, context)
        yield from self._incremental(state, context)

    def _page(
        self,
        messages: Iterable[MailMessage],
        state: _Cursor,
        *,
        removed: Sequence[str] = (),
        done: bool = False,
    ) -> SyncPage:
        return SyncPage(
            messages=tuple(messages),
            cursors={FOLDER: state.dump()},
            removed=tuple(removed),
            done=done,
        )

    def _list(
        self, *, q: str, label: str | None, token: str | None, threads: bool = False
    ) -> tuple[list[dict[str, str]], str | None]:
        """One page of messages.list (id, threadId) or, with ``threads``, threads.list (id,
        snippet)."""
        kind = "threads" if threads else "messages"
        kwargs: dict[str, Any] = {
            "userId": "me",
            "q": q,
            "maxResults": LIST_PAGE,
            "fields": "threads(id,snippet),nextPageToken"
            if threads
            else "messages(id,threadId),nextPageToken",
        }
        if label:
            kwargs["labelIds"] = [label]
        if token:
            kwargs["pageToken"] = token
        resource = self._users().threads() if threads else self._users().messages()
        data = self._call(resource.list(**kwargs), f"{kind}.list")
        return list(data.get(kind) or []), data.get("nextPageToken")

    def _initial(self, state: _Cursor, context: SyncContext) -> Generator[SyncPage, None, _Cursor]:
        """The listing phase (first sync, or a bounded resync); returns the history cursor."""
        after = datetime.fromtimestamp(state.after, UTC)
        self._after, self._sizes, self._snippets = after, None, None
        while True:
            if state.stage == "sent":
                q = self._sent_q = build_query(after=after, terms=self.prefilter_terms)
                listed, nxt = self._list(q=q, label="SENT", token=state.page_token)
            else:
                q = build_query(after=after, terms=None, extra="-in:sent -in:drafts")
                listed, nxt = self._list(q=q, label=None, token=state.page_token)
            ids = [m["id"] for m in listed]
            known = context.known_messages(ids) if ids else set()
            fresh = [m for m in listed if m["id"] not in known]
            if state.stage == "sent":
                resumed = {m["threadId"] for m in listed if m["id"] in known}
                groups = self._fetch_sent_hits(fresh, context, resumed_threads=resumed)
            else:
                tracked = (
                    context.known_threads(sorted({m["threadId"] for m in fresh}))
                    if fresh
                    else set()
                )
                groups = self._fetch_messages(
                    [m["id"] for m in fresh if m["threadId"] in tracked], keep_body=lambda _m: True
                )
            if nxt:
                after_page = dataclasses.replace(state, page_token=nxt)
            elif state.stage == "sent" and state.resync:
                after_page = dataclasses.replace(state, stage="replies", page_token=None)
            else:
                after_page = _Cursor(
                    phase="history", history_id=state.history_id, at=int(self._now().timestamp())
                )
            # Pages in the middle keep the cursor of the listing page in progress (a restart
            # re-lists it and skips what is stored); then one page moves the cursor on. Groups are
            # fetched lazily, so a kill never loses more than the batch in flight.
            for group in groups:
                if group:
                    yield self._page(group, state)
            yield self._page((), after_page)
            state = after_page
            if state.phase == "history":
                return state

    def _fetch_sent_hits(
        self,
        hits: list[dict[str, str]],
        context: SyncContext,
        *,
        resumed_threads: AbstractSet[str] = frozenset(),
    ) -> Iterator[list[MailMessage]]:
        """Fetch what the SENT listing found (one group per batch), per ``self.fetch``."""
        if self.fetch == "message":
            yield from self._fetch_message_first(hits, context, resumed_threads=resumed_threads)
            return
        if not hits:
            return
        users = self._users()
        if self.fetch == "metadata":
            metas = self._caller_batch(
                {
                    m["id"]: functools.partial(
                        users.messages().get,
                        userId="me",
                        id=m["id"],
                        format="metadata",
                        metadataHeaders=list(_METADATA_HEADERS),
                    )
                    for m in hits
                },
                "messages.get",
            )
            light = [to_mail(r, with_body=False) for r in metas.values() if r is not None]
            candidate_threads = {m.thread_key for m in light if context.is_candidate(m)}
            out: list[MailMessage] = [m for m in light if m.thread_key not in candidate_threads]
            if out:
                yield out
            yield from self._fetch_threads(sorted(candidate_threads), context, force_body=True)
            return
        threads = list(dict.fromkeys(m["threadId"] for m in hits))
        if self.fetch == "thread":
            yield from self._fetch_threads(threads, context, force_body=True)
            return
        # "auto": a thread whose only message in the window is the hit costs one messages.get
        # (20 units) instead of a threads.get (40); longer threads are fetched whole.
        sizes = self._thread_sizes()
        first_hit = {m["threadId"]: m["id"] for m in reversed(hits)}
        single = [first_hit[t] for t in threads if sizes.get(t, 1) <= 1]
        multi = [t for t in threads if sizes.get(t, 1) > 1]
        yield from self._fetch_messages(single, keep_body=lambda _m: True)
        yield from self._fetch_threads(multi, context, force_body=True)

    def _thread_sizes(self) -> dict[str, int]:
        return {t: len(ids) for t, ids in self._thread_members().items()}

    def _thread_members(self) -> dict[str, list[str]]:
        """The ids of each thread's messages in the sync window (one cheap listing, cached)."""
        if self._sizes is None:
            members: dict[str, list[str]] = {}
            token: str | None = None
            q = build_query(after=self._after, terms=None, extra="-in:drafts")
            while True:
                listed, token = self._list(q=q, label=None, token=token)
                for m in listed:
                    members.setdefault(m["threadId"], []).append(m["id"])
                if not token:
                    break
            self._sizes = members
        return self._sizes

    def _fetch_message_first(
        self, hits: list[dict[str, str]], context: SyncContext, *, resumed_threads: AbstractSet[str]
    ) -> Iterator[list[MailMessage]]:
        """ "message": get each hit in full (20 units) and ask ``is_candidate`` with the body;
        only candidate threads get their other messages, by messages.get when one is missing,
        by threads.get (40) when more are. Threads of hits stored by an interrupted run count as
        candidates when the caller tracks them, so a restart completes them."""
        candidates: set[str] = set()
        if context.rules_out is not None and hits:
            hits = self._without_ruled_out(hits, context.rules_out)
        for group in self._fetch_messages([m["id"] for m in hits], keep_body=lambda _m: True):
            candidates.update(
                m.thread_key for m in group if m.direction == "sent" and context.is_candidate(m)
            )
            yield group
        if resumed_threads:
            candidates |= context.known_threads(sorted(resumed_threads))
        if not candidates:
            return
        members = self._thread_members()
        wanted = sorted(candidates)
        every = [i for t in wanted for i in members.get(t, [])]
        have = context.known_messages(every) if every else set()
        missing = {t: [i for i in members.get(t, []) if i not in have] for t in wanted}
        one_each = [ids[0] for ids in missing.values() if len(ids) == 1]
        whole = [t for t, ids in missing.items() if len(ids) > 1]
        yield from self._fetch_messages(one_each, keep_body=lambda _m: True)
        yield from self._fetch_threads(whole, context, force_body=True)

    def _without_ruled_out(
        self, hits: list[dict[str, str]], rules_out: Callable[[str], bool]
    ) -> list[dict[str, str]]:
        """Drop the hits that are the newest message of their thread and whose thread snippet (a
        thread's snippet is its newest message's) ``rules_out`` says is no ask: 20 units saved
        each, for 10 units per 500 threads of listing. The newest is the first of the thread in
        the window listing (Gmail lists newest first)."""
        members = self._thread_members()
        snippets = self._thread_snippets()
        kept: list[dict[str, str]] = []
        for m in hits:
            ids = members.get(m["threadId"]) or []
            snippet = snippets.get(m["threadId"])
            if ids and ids[0] == m["id"] and snippet is not None and rules_out(snippet):
                self.ruled_out += 1
                continue
            kept.append(m)
        return kept

    def _thread_snippets(self) -> dict[str, str]:
        """Each prefilter-hit thread's snippet (threads.list with the SENT listing's q; cached)."""
        if self._snippets is None:
            snippets: dict[str, str] = {}
            token: str | None = None
            while True:
                listed, token = self._list(q=self._sent_q, label="SENT", token=token, threads=True)
                for t in listed:
                    snippets[str(t["id"])] = html.unescape(str(t.get("snippet", "")))
                if not token:
                    break
            self._snippets = snippets
        return self._snippets

    def _caller_batch(
        self, requests: Mapping[str, Callable[[], HttpRequest]], method: str
    ) -> dict[str, Any | None]:
        return self._caller.batch(requests, method)

    def _fetch_threads(
        self, thread_ids: Sequence[str], context: SyncContext, *, force_body: bool
    ) -> Iterator[list[MailMessage]]:
        users = self._users()
        for start in range(0, len(thread_ids), BATCH_SIZE):
            chunk = thread_ids[start : start + BATCH_SIZE]
            got = self._caller_batch(
                {
                    t: functools.partial(users.threads().get, userId="me", id=t, format="full")
                    for t in chunk
                },
                "threads.get",
            )
            group: list[MailMessage] = []
            for tid in chunk:
                thread = got.get(tid)
                if thread is None:
                    continue  # deleted since it was listed
                full = [
                    to_mail(r, with_body=True)
                    for r in thread.get("messages") or []
                    if "DRAFT" not in (r.get("labelIds") or [])  # the owner's unsent drafts
                ]
                keep = force_body or any(
                    m.direction == "sent" and context.is_candidate(_strip(m)) for m in full
                )
                ids = [m.provider_id for m in full]
                known = context.known_messages(ids) if ids else set()
                group.extend(m if keep else _strip(m) for m in full if m.provider_id not in known)
            yield group

    def _fetch_messages(
        self, ids: Sequence[str], *, keep_body: Callable[[MailMessage], bool]
    ) -> Iterator[list[MailMessage]]:
        users = self._users()
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            got = self._caller_batch(
                {
                    i: functools.partial(users.messages().get, userId="me", id=i, format="full")
                    for i in chunk
                },
                "messages.get",
            )
            group = []
            for i in chunk:
                r = got.get(i)
                if r is None or "DRAFT" in (r.get("labelIds") or []):
                    continue
                m = to_mail(r, with_body=True)
                group.append(m if keep_body(m) else _strip(m))
            yield group

    def _incremental(self, state: _Cursor, context: SyncContext) -> Iterator[SyncPage]:
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {
                "userId": "me",
                "startHistoryId": state.history_id,
                "historyTypes": ["messageAdded", "messageDeleted"],
                "maxResults": LIST_PAGE,
                "fields": "history(id,messagesAdded(message(id,threadId,labelIds)),messagesDeleted(message(id))),nextPageToken,historyId",
            }
            if token:
                kwargs["pageToken"] = token
            try:
                data = self._caller.call(self._users().history().list(**kwargs), "history.list")
            except HttpError as exc:
                if _status(exc) == 404:
                    yield from self._resync(state, context)
                    return
                raise map_error(exc) from exc
            records = data.get("history") or []
            added: dict[str, dict[str, Any]] = {}
            deleted: set[str] = set()
            for rec in records:
                for item in rec.get("messagesAdded") or []:
                    msg = item.get("message") or {}
                    labels = msg.get("labelIds") or []
                    if "DRAFT" in labels or "SPAM" in labels:
                        continue
                    added[str(msg["id"])] = msg
                for item in rec.get("messagesDeleted") or []:
                    deleted.add(str((item.get("message") or {}).get("id")))
            for gone in deleted:
                added.pop(gone, None)
            token = data.get("nextPageToken")
            if token:
                last_id = max((int(r["id"]) for r in records), default=int(state.history_id))
                next_state = dataclasses.replace(state, history_id=str(last_id))
            else:
                next_state = _Cursor(
                    phase="history",
                    history_id=str(data.get("historyId", state.history_id)),
                    at=int(self._now().timestamp()),
                )
            groups = self._fetch_added(list(added.values()), context)
            removed = sorted(context.known_messages(sorted(deleted))) if deleted else []
            for group in groups:
                if group:
                    yield self._page(group, state)
            yield self._page((), next_state, removed=removed, done=not token)
            state = next_state
            if not token:
                return

    def _fetch_added(
        self, added: list[dict[str, Any]], context: SyncContext
    ) -> Iterator[list[MailMessage]]:
        if not added:
            return
        ids = [str(m["id"]) for m in added]
        known = context.known_messages(ids)
        fresh = [m for m in added if str(m["id"]) not in known]
        if not fresh:
            return
        tracked = context.known_threads(sorted({str(m["threadId"]) for m in fresh}))
        wanted = [
            str(m["id"])
            for m in fresh
            if "SENT" in (m.get("labelIds") or []) or m["threadId"] in tracked
        ]

        def keep(m: MailMessage) -> bool:
            return m.thread_key in tracked or context.is_candidate(_strip(m))

        # A candidate sent as a reply in a thread we do not track: fetch that thread's context.
        orphans: set[str] = set()
        for group in self._fetch_messages(wanted, keep_body=keep):
            orphans.update(
                m.thread_key
                for m in group
                if m.direction == "sent"
                and m.thread_key not in tracked
                and m.in_reply_to
                and m.has_body
            )
            yield group
        if orphans:
            yield from self._fetch_threads(sorted(orphans), context, force_body=True)

    def _resync(self, state: _Cursor, context: SyncContext) -> Iterator[SyncPage]:
        """History too old: list the gap again (bounded), skipping what is stored, then go on."""
        floor = context.since
        if state.at:
            floor = max(floor, datetime.fromtimestamp(state.at, UTC) - self._overlap)
        log.warning("Gmail history %s expired; resyncing mail after %s", state.history_id, floor)
        fresh = _Cursor(
            phase="initial",
            history_id=self._history_id_now(),
            after=int(floor.timestamp()),
            resync=True,
        )
        after = yield from self._initial(fresh, context)
        yield from self._incremental(after, context)


def open_service(
    credentials: Credentials,
    *,
    api_endpoint: str | None = None,
    timeout: float = 60.0,
) -> Any:
    """A googleapiclient Gmail service on ``credentials`` (static discovery; no network to build)."""
    authed = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=timeout))
    options = {"api_endpoint": api_endpoint} if api_endpoint else None
    return build(
        "gmail",
        "v1",
        http=authed,
        static_discovery=True,
        cache_discovery=False,
        client_options=options,
    )
