"""Benchmark: initial then no-change Graph sync of a generated mailbox against the local emulator.

Usage: ``.venv/bin/python scripts/bench_graph_sync.py [--sent 10000] [--seed 7] [--page-size 100]``

Prints ONE JSON object: ``sent`` (sent messages in the mailbox), ``messages`` (both folders),
``requests`` (HTTP requests of the initial sync, $batch counted once), ``graph_operations``
(each $batch item counted), ``pages``, ``response_mb`` (bytes the emulator answered), ``bodies_fetched``, ``noop_sync_requests``, ``wall_s``
(initial sync), ``noop_wall_s``, ``peak_rss_mb`` (this process: connector, orchestrator stand-in
and the emulator together), ``ask_recall`` (ground-truth asks whose body was fetched because the
cheap prefilter ``core.classify.may_be_ask`` kept them) and ``reply_recall`` (ground-truth replies
to asks fetched with their body). The orchestrator stand-in keeps pages in a dict, committed per
page with their cursors, as ``sync`` does in one transaction.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectors.base import MailMessage, SyncContext  # noqa: E402
from connectors.emulators.generator import generate_mailbox  # noqa: E402
from connectors.emulators.graph import GraphEmulator, immutable_id  # noqa: E402
from connectors.graph import GraphConnector  # noqa: E402
from core.classify import may_be_ask  # noqa: E402

START = datetime(2025, 9, 1, tzinfo=UTC)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sent", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument(
        "--bodies",
        choices=("sent", "relevant", "all"),
        default="sent",
        help="bodies inside delta pages: sent mail only (default), none, or all",
    )
    args = parser.parse_args(argv)
    if args.sent < 1 or args.page_size < 1:
        parser.error("--sent and --page-size must be positive")

    mailbox = generate_mailbox(seed=args.seed, sent=args.sent, start=START, days=args.days)
    stored: dict[str, MailMessage] = {}
    cursors: dict[str, str] = {}
    tracked: set[str] = set()

    def known_messages(ids: Sequence[str]) -> set[str]:
        return {i for i in ids if i in stored}

    def known_threads(keys: Sequence[str]) -> set[str]:
        return {k for k in keys if k in tracked}

    def is_candidate(message: MailMessage) -> bool:
        return may_be_ask(subject=message.subject, snippet=message.snippet)

    context = SyncContext(
        since=START - timedelta(days=1),
        known_messages=known_messages,
        known_threads=known_threads,
        is_candidate=is_candidate,
    )

    def run(connector: GraphConnector) -> int:
        pages = 0
        for page in connector.sync(dict(cursors), context=context):
            for message in page.messages:  # "one transaction": messages, removals, cursors
                stored[message.provider_id] = message
                if message.direction == "sent" and is_candidate(message):
                    tracked.add(message.thread_key)  # the orchestrator tracks candidate asks
            for pid in page.removed:
                stored.pop(pid, None)
            cursors.update(page.cursors)
            pages += 1
        return pages

    with GraphEmulator(mailbox, token="bench", seed=args.seed) as emu:
        connector = GraphConnector(
            lambda: "bench",
            endpoint=emu.graph_endpoint,
            page_size=args.page_size,
            bodies=args.bodies,
        )
        t0 = time.perf_counter()
        pages = run(connector)
        wall = time.perf_counter() - t0
        requests, operations = emu.requests, emu.graph_requests
        response_mb = emu.bytes_sent / 1e6
        t1 = time.perf_counter()
        run(connector)
        noop_wall = time.perf_counter() - t1
        noop_requests = emu.requests - requests
        connector.close()

    asks = [m for m in mailbox.sent if m.truth.is_ask]
    ask_ids = {m.message_id for m in asks}
    replies = [m for m in mailbox if m.direction == "received" and m.in_reply_to in ask_ids]

    def fetched(fixture_id: str) -> bool:
        message = stored.get(immutable_id(fixture_id))
        return message is not None and message.has_body

    result = {
        "sent": len(mailbox.sent),
        "messages": len(mailbox),
        "stored": len(stored),
        "requests": requests,
        "graph_operations": operations,
        "pages": pages,
        "response_mb": round(response_mb, 2),
        "bodies_fetched": sum(m.has_body for m in stored.values()),
        "noop_sync_requests": noop_requests,
        "wall_s": round(wall, 3),
        "noop_wall_s": round(noop_wall, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "ask_recall": round(sum(fetched(m.id) for m in asks) / len(asks), 4) if asks else None,
        "reply_recall": round(sum(fetched(m.id) for m in replies) / len(replies), 4)
        if replies
        else None,
        "page_size": args.page_size,
        "bodies": args.bodies,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
