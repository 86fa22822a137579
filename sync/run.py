"""``reftrack sync``: sync every active account, each in isolation, then send its digest when due.

For one account::

    lock (file lock / advisory lock; busy → skip)
      → open the connector (stored credential; expired grant → needs_reauth)
      → for each page: ONE transaction = store messages (classified) + cursors + refresh asks
      → send the day's digest when due (at most once per local day)

Invariants:
- Cursors advance only together with the data they cover, so a run killed at any point (kill -9)
  and started again ends with the same database as an uninterrupted run.
- One account's failure (revoked grant, provider outage, database error) is reported in its own
  result and never stops the others.
- ``now`` is passed in (a clock), never read inside, so the demo and tests can fix "today".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlmodel import col, select

from connectors.base import Connector, MailMessage, SyncContext
from connectors.errors import AuthExpired, ConnectorError, CursorExpired, RateLimited
from core.classify import classify_sent, may_be_ask, snippet_rules_out_ask
from core.models import Account, AccountStatus, Ask, Thread
from core.text import visible_text
from sync.accounts import get_account, list_accounts, mark_needs_reauth
from sync.asks import refresh_threads
from sync.config import Config
from sync.connect import open_connector
from sync.errors import ReftrackError
from sync.ingest import (
    known_provider_ids,
    load_cursors,
    prune_visible_text,
    reset_cursor,
    store_page,
    tracked_thread_keys,
)
from sync.locks import AccountBusy, account_lock
from sync.store import Store

log = logging.getLogger(__name__)

ConnectorFactory = Callable[[Store, Account, Config], Connector]
ProgressHook = Callable[[str, int], None]  # (account label, messages stored so far)


@dataclass(slots=True)
class AccountResult:
    account: str
    status: str  # "synced" | "skipped" | "needs_reauth" | "failed"
    new_messages: int = 0
    pages: int = 0
    asks_changed: int = 0
    digest: str = ""
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("synced", "skipped")

    def line(self) -> str:
        if self.status == "synced":
            text = (
                f"{self.account}: synced {self.new_messages} new message(s) in {self.pages} page(s), "
                f"{self.asks_changed} ask(s) changed"
            )
            if self.digest:
                text += f", digest {self.digest}"
            return text + f" ({self.seconds:.1f} s)"
        if self.status == "skipped":
            return f"{self.account}: skipped ({self.error})"
        return f"{self.account}: {self.status.replace('_', ' ')}: {self.error}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def default_connector_factory(store: Store, account: Account, config: Config) -> Connector:
    return open_connector(store.session_factory, account=account, config=config)


def _context(store: Store, account_id: int, since: datetime) -> SyncContext:
    def known_messages(ids: Sequence[str]) -> set[str]:
        with store.session() as session:
            return known_provider_ids(session, account_id=account_id, ids=ids)

    def known_threads(keys: Sequence[str]) -> set[str]:
        with store.session() as session:
            return tracked_thread_keys(session, account_id=account_id, keys=keys)

    def is_candidate(msg: MailMessage) -> bool:
        """May this sent message be an ask (so its thread's replies matter)?

        With the body at hand the classifier's own verdict decides (what it rejects is never
        tracked, so its replies would be fetched for nothing); with headers and snippet only, the
        high-recall pre-check does."""
        if msg.direction != "sent":
            return False
        if msg.has_body:
            body = visible_text(text=msg.body_text, html=msg.body_html)
            return classify_sent(subject=msg.subject, body=body, headers=dict(msg.headers)).is_ask
        return may_be_ask(subject=msg.subject, snippet=msg.snippet)

    return SyncContext(
        since=since,
        known_messages=known_messages,
        known_threads=known_threads,
        is_candidate=is_candidate,
        rules_out=snippet_rules_out_ask,
    )


def _sync_pages(
    store: Store,
    connector: Connector,
    *,
    account_id: int,
    now: datetime,
    config: Config,
    result: AccountResult,
    progress: ProgressHook | None,
) -> None:
    since = now - timedelta(days=config.sync_window_days)
    for attempt in range(2):
        with store.session() as session:
            cursors = load_cursors(session, account_id=account_id)
        try:
            for page in connector.sync(cursors, context=_context(store, account_id, since)):
                with store.session_scope() as session:
                    account = session.get(Account, account_id)
                    assert account is not None
                    stored = store_page(session, account=account, page=page)
                    if stored.thread_ids:
                        result.asks_changed += refresh_threads(
                            session, account=account, thread_ids=sorted(stored.thread_ids), now=now
                        )
                result.pages += 1
                result.new_messages += stored.new_messages
                if progress is not None:
                    progress(result.account, result.new_messages)
            return
        except CursorExpired as exc:
            if attempt:
                raise
            log.warning(
                "%s: cursor for %s expired; resyncing that folder", result.account, exc.folder
            )
            with store.session_scope() as session:
                reset_cursor(session, account_id=account_id, folder=exc.folder)


def refresh_due(store: Store, *, account_id: int, now: datetime) -> int:
    """Re-evaluate every open ask of the account at ``now`` (time passing makes nudges due)."""
    with store.session_scope() as session:
        account = session.get(Account, account_id)
        assert account is not None
        thread_ids = session.exec(
            select(Ask.thread_id)
            .join(Thread, col(Thread.id) == col(Ask.thread_id))
            .where(Ask.account_id == account_id)
        ).all()
        return (
            refresh_threads(session, account=account, thread_ids=list(thread_ids), now=now)
            if thread_ids
            else 0
        )


def sync_account(
    store: Store,
    config: Config,
    account: Account,
    *,
    now: datetime,
    send_digest: bool = True,
    connector_factory: ConnectorFactory = default_connector_factory,
    progress: ProgressHook | None = None,
) -> AccountResult:
    assert account.id is not None
    label = f"{account.provider}:{account.address}"
    result = AccountResult(account=label, status="synced")
    started = time.monotonic()
    try:
        with account_lock(store, account_id=account.id, lock_dir=config.data_dir / "locks"):
            connector = connector_factory(store, account, config)
            _sync_pages(
                store,
                connector,
                account_id=account.id,
                now=now,
                config=config,
                result=result,
                progress=progress,
            )
            result.asks_changed += refresh_due(store, account_id=account.id, now=now)
            with store.session_scope() as session:
                prune_visible_text(session, account_id=account.id)
                row = session.get(Account, account.id)
                if row is not None:
                    row.last_sync_at = now
            if send_digest:
                from sync.digest import send_digest_if_due

                with store.session() as session:
                    fresh = session.get(Account, account.id)
                assert fresh is not None
                result.digest = send_digest_if_due(
                    store.session_factory, account=fresh, connector=connector, now=now
                )
    except AccountBusy as exc:
        result.status, result.error = "skipped", str(exc)
    except AuthExpired as exc:
        result.status, result.error = "needs_reauth", str(exc)
        with store.session_scope() as session:
            mark_needs_reauth(session, account_id=account.id, reason=str(exc))
    except RateLimited as exc:
        wait = f" (retry after {exc.retry_after:.0f} s)" if exc.retry_after else ""
        result.status, result.error = (
            "failed",
            f"the provider is throttling this mailbox{wait}; the next run continues where this one stopped.",
        )
    except ConnectorError as exc:
        # connector messages already say what to do; add the advice only to a bare statement
        message = str(exc).strip()
        if not message.endswith("."):
            message += "; the next run continues where this one stopped."
        result.status, result.error = "failed", message
    except (OperationalError, DBAPIError) as exc:
        result.status = "failed"
        result.error = (
            f"database error ({type(exc.orig).__name__ if exc.orig else type(exc).__name__}: "
            f"{str(exc.orig or exc).splitlines()[0]}); nothing was half-saved, run `reftrack sync` again."
        )
    except SQLAlchemyError as exc:
        result.status, result.error = (
            "failed",
            f"database error ({exc.__class__.__name__}); run `reftrack sync` again.",
        )
    except ReftrackError as exc:
        result.status, result.error = "failed", str(exc)
    result.seconds = time.monotonic() - started
    log.info("%s", result.line())
    return result


def sync_all(
    store: Store,
    config: Config,
    *,
    now: datetime,
    account_selector: str | None = None,
    send_digest: bool = True,
    connector_factory: ConnectorFactory = default_connector_factory,
    progress: ProgressHook | None = None,
) -> list[AccountResult]:
    """Sync the selected account, or every active one; each in isolation."""
    with store.session() as session:
        if account_selector:
            account = get_account(session, account_selector)
            if account is None:
                raise ReftrackError(
                    f"No account {account_selector!r}; see `reftrack accounts` for ids and addresses."
                )
            accounts = [account]
        else:
            accounts = [
                a for a in list_accounts(session) if a.status != AccountStatus.DISABLED.value
            ]
    results = []
    for account in accounts:
        if account.status == AccountStatus.NEEDS_REAUTH.value:
            command = "gmail" if account.provider == "gmail" else "outlook"
            results.append(
                AccountResult(
                    account=f"{account.provider}:{account.address}",
                    status="needs_reauth",
                    error=f"{account.status_reason or 'the grant was revoked'}; run `reftrack auth {command}` again.",
                )
            )
            continue
        results.append(
            sync_account(
                store,
                config,
                account,
                now=now,
                send_digest=send_digest,
                connector_factory=connector_factory,
                progress=progress,
            )
        )
    return results
