"""``reftrack asks | stats | export | mark | snooze | done | ignore | track | digest``.

The person's view of tracked asks and their overrides. Overrides go through ``sync.asks`` (stored
on the Ask and as "user" events, so they beat the classifier on every later sync); the digest goes
through ``sync.digest`` (printed, written as HTML, or sent at most once per account per day).
Every command works on all accounts unless ``--account`` names one (id, address or
``provider:address``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlmodel import Session

from core.digest import compute_stats, render_html, render_text
from core.models import Account
from core.policy import MANUAL_CHOICES, OPEN_STATES
from sync.accounts import get_account, list_accounts
from sync.asks import (
    business_calendar,
    close_ask,
    first_replies,
    ignore_thread,
    list_ask_rows,
    mark_ask,
    policy_settings,
    snooze_ask,
    track_thread,
)
from sync.cli_app import app, console, emit, fail
from sync.config import get_config
from sync.digest import build_account_digest, collect_views, send_digest_if_due
from sync.store import open_store

AccountOption = Annotated[
    str | None,
    typer.Option("--account", "-a", help="Only this account (id, address or provider:address)."),
]


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _session() -> Iterator[Session]:
    store = open_store(get_config())
    with store.session_scope() as session:
        yield session


def _accounts(session: Session, selector: str | None) -> Sequence[Account]:
    if selector:
        account = get_account(session, selector)
        if account is None:
            fail(f"No account matches {selector!r}; run `reftrack accounts` to see them.")
        return [account]
    accounts = list_accounts(session)
    if not accounts:
        fail("No accounts yet: run `reftrack auth gmail` or `reftrack auth outlook` first.")
    return accounts


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _ask_records(
    session: Session, accounts: Sequence[Account], *, everything: bool
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for account in accounts:
        calendar = business_calendar(account, policy_settings(account))
        rows = list_ask_rows(session, account_id=account.id)
        firsts = first_replies(session, asked={r.ask.thread_id: r.ask.asked_at for r in rows})
        for r in rows:
            a = r.ask
            if not everything and a.state not in OPEN_STATES:
                continue
            due = a.next_action_due
            first = firsts.get(a.thread_id)
            records.append(
                {
                    "id": a.id,
                    "account": account.address,
                    "thread": a.thread_id,
                    "thread_key": r.thread.thread_key,
                    "subject": r.thread.subject,
                    "contact": r.contact_address,
                    "contact_name": r.contact_name,
                    "kind": a.kind,
                    "company": a.target_company,
                    "role": a.target_role,
                    "state": a.state,
                    "outcome": a.outcome,
                    "manual_outcome": a.manual_outcome,
                    "next_action": a.next_action,
                    "next_action_due": _iso(due),
                    "due_local": calendar.local_date(
                        due.replace(tzinfo=UTC) if due.tzinfo is None else due
                    ).isoformat()
                    if due
                    else None,
                    "follow_up_count": a.follow_up_count,
                    "asked_at": _iso(a.asked_at),
                    "first_reply_at": _iso(first.sent_at) if first else None,
                    "thanked_at": _iso(a.thanked_at),
                    "snoozed_until": _iso(a.snoozed_until),
                    "ooo_until": _iso(a.ooo_until),
                    "bounced_addresses": a.bounced_addresses,
                }
            )
    return records


@app.command("asks")
def asks_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    everything: Annotated[
        bool, typer.Option("--all", help="Include finished asks (done, declined, cold, closed).")
    ] = False,
    account: AccountOption = None,
) -> None:
    """List tracked asks: who, what, state, and the next action with its date."""
    with _session() as session:
        records = _ask_records(session, _accounts(session, account), everything=everything)
    if as_json:
        console.print_json(json.dumps(records))
        return
    if not records:
        console.print("No open asks." + ("" if everything else " (`--all` shows finished ones.)"))
        return
    table = Table("ask", "thread", "who", "what", "state", "next", "due")
    for r in records:
        what = " · ".join(x for x in (r["kind"].replace("_", " "), r["role"], r["company"]) if x)
        action = (r["next_action"] or "-").replace("_", " ")
        if r["next_action"] == "follow_up":
            action += f" #{r['follow_up_count'] + 1}"
        table.add_row(
            str(r["id"]),
            str(r["thread"]),
            r["contact_name"] or r["contact"],
            what,
            r["state"].replace("_", " ") + (" (by you)" if r["manual_outcome"] else ""),
            action,
            r["due_local"] or "-",
        )
    console.print(table)


@app.command("stats")
def stats_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    account: AccountOption = None,
) -> None:
    """A few numbers per account: asks, open, response rate, median days to a reply, by state."""
    now = _now()
    out: list[dict[str, Any]] = []
    with _session() as session:
        for acc in _accounts(session, account):
            views, _ = collect_views(session, account=acc, now=now, since=now)
            s = compute_stats(views)
            out.append(
                {
                    "account": acc.address,
                    "asks": s.total_asks,
                    "open": s.open_asks,
                    "replied": s.replied,
                    "response_rate": None if s.response_rate is None else round(s.response_rate, 4),
                    "median_days_to_reply": None
                    if s.median_days_to_reply is None
                    else round(s.median_days_to_reply, 2),
                    "by_state": s.by_state,
                }
            )
    if as_json:
        console.print_json(json.dumps(out))
        return
    table = Table("account", "asks", "open", "replied", "response rate", "median reply", "by state")
    for r in out:
        rate = "-" if r["response_rate"] is None else f"{round(r['response_rate'] * 100)}%"
        median = "-" if r["median_days_to_reply"] is None else f"{r['median_days_to_reply']} d"
        states = ", ".join(f"{k} {v}" for k, v in r["by_state"].items()) or "-"
        table.add_row(
            r["account"], str(r["asks"]), str(r["open"]), str(r["replied"]), rate, median, states
        )
    console.print(table)


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv or json.")
    ] = ExportFormat.CSV,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    account: AccountOption = None,
) -> None:
    """Export every ask (open and finished) as CSV or JSON."""
    with _session() as session:
        records = _ask_records(session, _accounts(session, account), everything=True)
    if fmt is ExportFormat.JSON:
        text = json.dumps(records, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        fields = list(records[0]) if records else ["id"]
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: _csv_safe(v) for k, v in r.items()})
        text = buffer.getvalue()
    if emit(text, output):
        console.print(f"Wrote {len(records)} ask(s) to {output}.")


def _csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in values that came from mail (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@app.command("mark")
def mark_command(
    ask: Annotated[str, typer.Argument(help="Ask number (from `reftrack asks`).")],
    outcome: Annotated[
        str, typer.Option("--outcome", "-o", help=f"One of: {', '.join(MANUAL_CHOICES)}.")
    ],
) -> None:
    """Set an ask's outcome by hand; it beats the classifier from now on."""
    with _session() as session:
        row = mark_ask(session, ask, outcome=outcome, now=_now())
        console.print(f"Ask #{row.id} is now {row.state}; next: {_next(row.next_action)}.")


@app.command("snooze")
def snooze_command(
    ask: Annotated[str, typer.Argument(help="Ask number (from `reftrack asks`).")],
    days: Annotated[int, typer.Option("--days", "-d", help="Calendar days to wait (1-365).")] = 7,
) -> None:
    """Hide an ask's next action for N days."""
    with _session() as session:
        row = snooze_ask(session, ask, days=days, now=_now())
        until = row.snoozed_until.date().isoformat() if row.snoozed_until else "?"
        console.print(f"Ask #{row.id} snoozed until {until}.")


@app.command("done")
def done_command(
    ask: Annotated[str, typer.Argument(help="Ask number (from `reftrack asks`).")],
) -> None:
    """Close an ask: nothing more to do for it."""
    with _session() as session:
        row = close_ask(session, ask, now=_now())
        console.print(f"Ask #{row.id} closed.")


@app.command("ignore")
def ignore_command(
    thread: Annotated[
        str, typer.Argument(help="Thread number (from `reftrack asks`) or provider thread id.")
    ],
    account: AccountOption = None,
) -> None:
    """Not an ask: stop tracking this thread for good (undo with `reftrack track`)."""
    with _session() as session:
        account_id = _accounts(session, account)[0].id if account else None
        row = ignore_thread(session, thread, now=_now(), account_id=account_id)
        console.print(f"Thread {row.id} ({row.subject or row.thread_key}) is ignored.")


@app.command("track")
def track_command(
    thread: Annotated[str, typer.Argument(help="Thread number or provider thread id.")],
    kind: Annotated[
        str | None,
        typer.Option(help="job_referral, introduction, recommendation or client_referral."),
    ] = None,
    account: AccountOption = None,
) -> None:
    """Track a thread the classifier missed (the first message you sent in it is the ask)."""
    with _session() as session:
        account_id = _accounts(session, account)[0].id if account else None
        row = track_thread(session, thread, now=_now(), account_id=account_id, kind=kind)
        console.print(
            f"Tracking it as ask #{row.id} ({row.state}); next: {_next(row.next_action)}."
        )


def _next(action: str | None) -> str:
    return (action or "nothing").replace("_", " ")


def _clock(today: str | None, account: Account) -> datetime:
    """Now, or noon of ``today`` in the account's time zone."""
    if today is None:
        return _now()
    try:
        day = date.fromisoformat(today)
    except ValueError:
        fail(f"--today {today!r} is not a date; write it as YYYY-MM-DD.")
    calendar = business_calendar(account, policy_settings(account))
    return datetime.combine(day, time(12), tzinfo=calendar.tz).astimezone(UTC)


@app.command("digest")
def digest_command(
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the HTML digest to this file.")
    ] = None,
    send: Annotated[
        bool,
        typer.Option(
            "--send", help="Send it through the account (at most once per day per account)."
        ),
    ] = False,
    account: AccountOption = None,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Pretend it is this date (YYYY-MM-DD), at noon local."),
    ] = None,
) -> None:
    """Print today's digest (plain text); --html writes the HTML version; --send emails it."""
    config = get_config()
    store = open_store(config)
    with store.session_scope() as session:
        accounts = list(_accounts(session, account))
    for acc in accounts:
        now = _clock(today, acc)
        with store.session_scope() as session:
            fresh = session.get(Account, acc.id)
            assert fresh is not None
            digest = build_account_digest(session, account=fresh, now=now)
        if len(accounts) > 1:
            console.rule(acc.address)
        typer.echo(render_text(digest))
        if html is not None:
            target = (
                html if len(accounts) == 1 else html.with_name(f"{html.stem}.{acc.id}{html.suffix}")
            )
            try:
                target.write_text(render_html(digest), encoding="utf-8")
            except OSError as exc:
                fail(f"Cannot write {target} ({exc.strerror}); pick a writable path.")
            console.print(f"Wrote the HTML digest to {target}.")
        if send:
            from sync.connect import open_connector

            connector = open_connector(store.session_factory, account=acc, config=config)
            result = send_digest_if_due(
                store.session_factory, account=acc, connector=connector, now=now, force_hour=True
            )
            console.print(f"{acc.address}: digest {result.replace('_', ' ')}.")
