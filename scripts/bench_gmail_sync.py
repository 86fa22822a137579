"""Benchmark: Gmail initial sync + a no-change incremental sync against the local emulator.

Prints ONE JSON object: sent, calls (API calls, batch parts counted one by one), http_requests,
quota_units (2026 prices), units_per_1000_sent, ask_recall, asks, noop_sync_calls, wall_s,
paced_s (virtual seconds the pacer waited to stay under --units-per-minute), peak_rss_mb (the
sync side: the emulator runs in a child process), plus the by-method call counts.

ask_recall = asks found / asks in the mailbox (``Mailbox.ask_threads()``), where an ask counts as
found when its sent message was fetched with its body AND the ``is_candidate`` hook in use says
yes (``--candidate body``, the default and what sync/run.py wires: the classifier on the body,
falling back to ``core.classify.may_be_ask`` on subject + snippet when there is no body; so this
is the recall of asks the sync would track). ``ask_recall_with_body`` drops the second condition.

``--fetch`` picks the strategy: ``message`` (the default, as sync/connect_gmail.py wires it:
prefilter q, messages.get per hit, then the rest of a thread only when ``is_candidate`` says
so), ``auto`` (prefilter q; messages.get for a hit whose thread has no other message in the
window, threads.get otherwise), ``thread`` (prefilter q, one threads.get per hit thread),
``metadata`` (prefilter q, metadata get per hit, threads.get for candidates only) or ``scan``
(no q: metadata for every sent message, threads for candidates; the baseline).

Usage: .venv/bin/python scripts/bench_gmail_sync.py --sent 10000 [--fetch thread] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection

from google.oauth2.credentials import Credentials

from connectors.base import MailMessage, SyncContext
from connectors.emulators.generator import generate_mailbox
from connectors.emulators.gmail import GmailEmulator
from connectors.gmail import GmailConnector, open_service
from core.classify import (
    GMAIL_PREFILTER_TERMS,
    classify_sent,
    may_be_ask,
    snippet_rules_out_ask,
)
from core.text import visible_text

START = datetime(2025, 1, 1, tzinfo=UTC)


class VirtualClock:
    """Shared by the pacer and the emulator's rate limiter: sleeping advances it, instantly."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


def is_candidate(m: MailMessage) -> bool:
    """The snippet-only hook (``--candidate snippet``): subject + snippet."""
    return m.direction == "sent" and may_be_ask(subject=m.subject, snippet=m.snippet)


def is_candidate_with_body(m: MailMessage) -> bool:
    """The hook sync/run.py wires (``--candidate body``): the classifier when the body is there."""
    if m.direction != "sent":
        return False
    if not m.has_body:
        return is_candidate(m)
    visible = visible_text(text=m.body_text, html=m.body_html)
    return classify_sent(subject=m.subject, body=visible, headers=dict(m.headers)).is_ask


def _serve_emulator(conn: Connection, seed: int, sent: int, days: int) -> None:
    """Child process: generate the mailbox, serve it, answer "stats", stop on "stop".

    The emulator lives here so ``peak_rss_mb`` measures the sync side only. Its rate limiter is
    off: the pacer in the parent keeps the spend under the rate on a virtual clock (``paced_s``).
    """
    box = generate_mailbox(seed=seed, sent=sent, start=START, days=days)
    asks = sorted(box.ask_threads())
    ask_messages = {
        f.message_id: f.thread for f in box.messages if f.direction == "sent" and f.truth.is_ask
    }
    with GmailEmulator(box) as emu:
        conn.send(
            {
                "endpoint": emu.endpoint,
                "token_uri": emu.token_uri,
                "refresh_token": emu.refresh_token,
                "asks": asks,
                "ask_messages": ask_messages,
            }
        )
        while (command := conn.recv()) != "stop":
            assert command == "stats"
            conn.send(
                {
                    "calls": len(emu.calls),
                    "http_requests": emu.http_requests,
                    "quota_units": emu.quota_units,
                    "by_method": dict(Counter(c.method for c in emu.calls)),
                }
            )


def run(args: argparse.Namespace) -> dict[str, object]:
    now = START + timedelta(days=args.days + 1)
    clock = VirtualClock()
    dropped = {t.strip() for t in args.drop_terms.split(",") if t.strip()}
    unknown = dropped - set(GMAIL_PREFILTER_TERMS)
    if unknown:
        raise SystemExit(
            f"--drop-terms: not prefilter terms: {sorted(unknown)}; see core.classify."
        )
    terms = tuple(t for t in GMAIL_PREFILTER_TERMS if t not in dropped)
    stored: dict[str, MailMessage] = {}
    cursors: dict[str, str] = {}

    def tracked(keys: object) -> set[str]:
        keyset = set(keys)  # type: ignore[call-overload]
        return {
            m.thread_key
            for m in stored.values()
            if m.thread_key in keyset and m.direction == "sent" and m.has_body
        }

    context = SyncContext(
        since=now - timedelta(days=args.days + 1),
        known_messages=lambda ids: {i for i in ids if i in stored},
        known_threads=tracked,
        is_candidate=is_candidate_with_body if args.candidate == "body" else is_candidate,
        rules_out=snippet_rules_out_ask if args.snippet_triage == "on" else None,
    )
    parent, child = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(
        target=_serve_emulator, args=(child, args.seed, args.sent, args.days), daemon=True
    )
    server.start()
    try:
        info = parent.recv()
        creds = Credentials(
            token="emulator-access-token",
            refresh_token=info["refresh_token"],
            token_uri=info["token_uri"],
            client_id="bench",
            client_secret="bench",
        )
        connector = GmailConnector(
            open_service(creds, api_endpoint=info["endpoint"]),
            api_endpoint=info["endpoint"],
            prefilter_terms=None if args.fetch == "scan" else terms,
            fetch="metadata" if args.fetch == "scan" else args.fetch,
            units_per_minute=args.units_per_minute,
            credentials=creds,
            sleep=clock.sleep,
            clock=clock,
            now=lambda: now,
        )
        began = time.perf_counter()
        for page in connector.sync(cursors, context=context):
            for m in page.messages:
                stored[m.provider_id] = m
            cursors = dict(page.cursors)
        wall = time.perf_counter() - began
        parent.send("stats")
        initial = parent.recv()
        for page in connector.sync(cursors, context=context):
            cursors = dict(page.cursors)
        parent.send("stats")
        after_noop = parent.recv()
        parent.send("stop")
    finally:
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()
    asks: set[str] = set(info["asks"])
    ask_messages: dict[str, str] = info["ask_messages"]
    by_mid = {m.message_id: m for m in stored.values()}
    with_body = {
        thread
        for mid, thread in ask_messages.items()
        if (m := by_mid.get(mid)) is not None and m.has_body
    }
    hook = is_candidate_with_body if args.candidate == "body" else is_candidate
    found = {t for mid, t in ask_messages.items() if t in with_body and hook(by_mid[mid])}
    units = int(initial["quota_units"])
    return {
        "sent": args.sent,
        "fetch": args.fetch,
        "candidate": args.candidate,
        "snippet_triage": args.snippet_triage,
        "ruled_out_by_snippet": connector.ruled_out,
        "prefilter_terms": len(terms) if args.fetch != "scan" else 0,
        "dropped_terms": sorted(dropped),
        "calls": initial["calls"],
        "http_requests": initial["http_requests"],
        "quota_units": units,
        "units_per_1000_sent": round(units * 1000 / args.sent, 1),
        "asks": len(asks),
        "ask_recall": round(len(found & asks) / len(asks), 4) if asks else 1.0,
        "ask_recall_with_body": round(len(with_body & asks) / len(asks), 4) if asks else 1.0,
        "noop_sync_calls": int(after_noop["calls"]) - int(initial["calls"]),
        "messages_stored": len(stored),
        "with_body": sum(1 for m in stored.values() if m.has_body),
        "wall_s": round(wall, 2),
        "paced_s": round(connector.pacer.waited, 1),
        "retries": connector.retries,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "by_method": initial["by_method"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sent", type=int, default=10000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fetch", choices=("auto", "thread", "message", "metadata", "scan"), default="message"
    )
    parser.add_argument("--units-per-minute", type=int, default=6000)
    parser.add_argument(
        "--drop-terms",
        default="",
        help='comma-separated GMAIL_PREFILTER_TERMS to leave out of q (e.g. review,"hiring manager")',
    )
    parser.add_argument(
        "--candidate",
        choices=("snippet", "body"),
        default="body",
        help="is_candidate: the classifier on the body (as sync/run.py wires it) or subject+snippet",
    )
    parser.add_argument(
        "--snippet-triage",
        choices=("on", "off"),
        default="on",
        help="skip hits whose thread snippet shows they are no ask (as sync/run.py wires it)",
    )
    print(json.dumps(run(parser.parse_args())))


if __name__ == "__main__":
    main()
