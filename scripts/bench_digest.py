"""Benchmark: build and render the daily digest for 10,000 asks; prints JSON with the timings.

Usage: ``.venv/bin/python scripts/bench_digest.py [--asks 10000] [--seed 7]``

Two measurements:
- ``pure``: ``core.digest.build_digest`` + HTML + text rendering over in-memory ``AskView`` rows.
- ``db``: a temporary, migrated SQLite store filled with asks (a sent ask per thread and a mix of
  replies, auto-replies and bounces), then ``sync.asks.refresh_account`` (the policy replay of every
  ask) and ``sync.digest.build_account_digest`` + rendering, as ``reftrack digest`` does it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.digest import AskView, build_digest, render_html, render_text  # noqa: E402
from core.models import Account, Contact, Message, Thread  # noqa: E402
from core.policy import BusinessCalendar  # noqa: E402
from sync.asks import refresh_account  # noqa: E402
from sync.digest import build_account_digest  # noqa: E402
from sync.store import open_store  # noqa: E402

NOW = datetime(2026, 3, 16, 13, 0, tzinfo=UTC)
OUTCOMES = ["agreed", "done", "declined", "needs_info", "other", "auto_reply", "bounce"]
KINDS = ["job_referral", "introduction", "recommendation", "client_referral"]
STATES = ["awaiting_reply", "agreed", "done", "declined", "needs_info", "replied", "gone_cold"]
ACTIONS = {
    "awaiting_reply": "follow_up",
    "agreed": "thank_you",
    "done": "report_back",
    "declined": "thank_you",
    "needs_info": "reply",
    "replied": "reply",
    "gone_cold": None,
}


def pure_views(n: int, rng: random.Random) -> list[AskView]:
    views = []
    for i in range(n):
        state = rng.choice(STATES)
        action = ACTIONS[state]
        asked = NOW - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        views.append(
            AskView(
                ask_id=i + 1,
                state=state,
                next_action=action,
                next_action_due=(NOW + timedelta(days=rng.randint(-10, 20))) if action else None,
                kind=rng.choice(KINDS),
                contact_name=f"Person {i}",
                contact_address=f"p{i}@corp{i % 97}.example",
                subject=f"Referral request {i}",
                asked_at=asked,
                link=f"https://mail.google.com/mail/u/0/#all/t{i:06x}",
                company=f"Company {i % 311}",
                role="Engineer" if i % 3 else None,
                follow_up_count=rng.randint(0, 2),
                outcome=None if state == "awaiting_reply" else state,
                outcome_at=asked + timedelta(days=2) if state != "awaiting_reply" else None,
                first_reply_at=asked + timedelta(days=rng.randint(0, 9))
                if state != "awaiting_reply"
                else None,
            )
        )
    return views


def bench_pure(n: int, rng: random.Random) -> dict[str, float]:
    views = pure_views(n, rng)
    cal = BusinessCalendar("America/New_York")
    t0 = time.perf_counter()
    digest = build_digest(views, [], now=NOW, calendar=cal, account_address="me@example.com")
    t1 = time.perf_counter()
    html = render_html(digest)
    text = render_text(digest)
    t2 = time.perf_counter()
    return {
        "build_s": round(t1 - t0, 4),
        "render_s": round(t2 - t1, 4),
        "total_s": round(t2 - t0, 4),
        "html_bytes": len(html),
        "text_bytes": len(text),
    }


def fill_db(session, n: int, rng: random.Random) -> Account:  # type: ignore[no-untyped-def]
    account = Account(
        provider="gmail", address="me@example.com", display_name="Me", time_zone="America/New_York"
    )
    session.add(account)
    session.flush()
    contacts = []
    for i in range(min(n, 3000)):
        contacts.append(
            Contact(account_id=account.id, address=f"p{i}@corp{i % 97}.example", name=f"Person {i}")
        )
    session.add_all(contacts)
    threads = [
        Thread(account_id=account.id, thread_key=f"t{i:06x}", subject=f"Referral request {i}")
        for i in range(n)
    ]
    session.add_all(threads)
    session.flush()
    messages = []
    for i, thread in enumerate(threads):
        asked = NOW - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        to = contacts[i % len(contacts)].address
        messages.append(
            Message(
                account_id=account.id,
                thread_id=thread.id,
                provider_id=f"s{i}",
                sender=account.address,
                to_addrs=to,
                subject=thread.subject,
                sent_at=asked,
                direction="sent",
                has_body=True,
                visible_text="Could you refer me?",
                is_ask=True,
                kind=rng.choice(KINDS),
                target_company=f"Company {i % 311}",
                reason="bench",
            )
        )
        for j in range(rng.choice([0, 0, 1, 1, 2])):
            outcome = rng.choice(OUTCOMES)
            messages.append(
                Message(
                    account_id=account.id,
                    thread_id=thread.id,
                    provider_id=f"r{i}.{j}",
                    sender=to,
                    sender_name=f"Person {i}",
                    to_addrs=account.address,
                    subject="Re: " + thread.subject,
                    sent_at=asked + timedelta(days=rng.randint(1, 12), hours=j),
                    direction="received",
                    has_body=True,
                    visible_text="Thanks for reaching out.",
                    outcome=outcome,
                    return_date=date(2026, 3, 20) if outcome == "auto_reply" else None,
                    bounced_address=to if outcome == "bounce" else None,
                )
            )
    session.add_all(messages)
    session.flush()
    return account


def bench_db(n: int, rng: random.Random) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(url=f"sqlite:///{Path(tmp) / 'bench.db'}")
        t0 = time.perf_counter()
        with store.session_scope() as session:
            account = fill_db(session, n, rng)
            account_id = account.id
        t1 = time.perf_counter()
        with store.session_scope() as session:
            account = session.get(Account, account_id)
            changed = refresh_account(session, account=account, now=NOW)
        t2 = time.perf_counter()
        with store.session_scope() as session:
            account = session.get(Account, account_id)
            again = refresh_account(session, account=account, now=NOW)
        t3 = time.perf_counter()
        with store.session_scope() as session:
            account = session.get(Account, account_id)
            digest = build_account_digest(session, account=account, now=NOW, refresh=False)
            html = render_html(digest)
            render_text(digest)
        t4 = time.perf_counter()
        store.engine.dispose()
    return {
        "fill_s": round(t1 - t0, 3),
        "first_refresh_s": round(t2 - t1, 3),
        "asks_created": changed,
        "idempotent_refresh_s": round(t3 - t2, 3),
        "asks_changed_on_second_refresh": again,
        "digest_build_and_render_s": round(t4 - t3, 3),
        "html_bytes": len(html),
        "open_asks": digest.stats.open_asks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = {
        "asks": args.asks,
        "pure": bench_pure(args.asks, random.Random(args.seed)),
        "db": bench_db(args.asks, random.Random(args.seed)),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
