"""Benchmark: initial then no-change Graph sync of a generated mailbox against the local emulator.

Usage: ``.venv/bin/python scripts/bench_graph_sync.py [--sent 10000] [--seed 7] [--page-size 100]
[--bodies sent|relevant|all]``

The emulator (and the generated mailbox it serves) runs in a child process, so ``peak_rss_mb`` is
the sync side only: connector, HTTP client and the orchestrator stand-in, which keeps pages in a
dict committed per page with their cursors, as ``sync`` does in one transaction.

Prints ONE JSON object: ``sent`` (sent messages in the mailbox), ``messages`` (both folders),
``requests`` (HTTP requests of the initial sync, a $batch counted once), ``graph_operations``
(each $batch item counted, as Graph's throttling does), ``pages``, ``response_mb`` (bytes the
emulator answered), ``bodies_fetched``, ``noop_sync_requests``, ``wall_s`` (initial sync),
``noop_wall_s``, ``peak_rss_mb``, ``emulator_peak_rss_mb``, ``ask_recall`` (ground-truth asks
stored with their body, the prefilter ``core.classify.may_be_ask`` standing in for sync's
``is_candidate``) and ``reply_recall`` (ground-truth replies to asks stored with their body).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectors.base import MailMessage, SyncContext  # noqa: E402
from connectors.graph import GraphConnector  # noqa: E402
from core.classify import may_be_ask  # noqa: E402

START = datetime(2025, 9, 1, tzinfo=UTC)
TOKEN = "bench"


def _serve(args: argparse.Namespace, conn: Connection) -> None:
    """Child process: generate the mailbox, serve it, answer the parent's questions."""
    from connectors.emulators.generator import generate_mailbox
    from connectors.emulators.graph import GraphEmulator, immutable_id

    mailbox = generate_mailbox(seed=args.seed, sent=args.sent, start=START, days=args.days)
    asks = [m for m in mailbox.sent if m.truth.is_ask]
    ask_ids = {m.message_id for m in asks}
    truth = {
        "sent": len(mailbox.sent),
        "messages": len(mailbox),
        "asks": [immutable_id(m.id) for m in asks],
        "replies": [
            immutable_id(m.id)
            for m in mailbox
            if m.direction == "received" and m.in_reply_to in ask_ids
        ],
    }
    with GraphEmulator(mailbox, token=TOKEN, seed=args.seed) as emu:
        conn.send({"endpoint": emu.graph_endpoint, **truth})
        while (command := conn.recv()) != "stop":
            assert command == "stats"
            conn.send(
                {
                    "requests": emu.requests,
                    "graph_operations": emu.graph_requests,
                    "bytes": emu.bytes_sent,
                    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                }
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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

    parent, child = mp.Pipe()
    server = mp.get_context("spawn").Process(target=_serve, args=(args, child), daemon=True)
    server.start()
    info: dict[str, Any] = parent.recv()

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

    def stats() -> dict[str, Any]:
        parent.send("stats")
        answer: dict[str, Any] = parent.recv()
        return answer

    connector = GraphConnector(
        lambda: TOKEN, endpoint=info["endpoint"], page_size=args.page_size, bodies=args.bodies
    )
    try:
        before = stats()
        t0 = time.perf_counter()
        pages = run(connector)
        wall = time.perf_counter() - t0
        after_initial = stats()
        t1 = time.perf_counter()
        run(connector)
        noop_wall = time.perf_counter() - t1
        after_noop = stats()
    finally:
        connector.close()
        parent.send("stop")
        server.join(timeout=10)

    def fetched(ids: list[str]) -> float | None:
        if not ids:
            return None
        return round(sum(1 for i in ids if i in stored and stored[i].has_body) / len(ids), 4)

    result = {
        "sent": info["sent"],
        "messages": info["messages"],
        "stored": len(stored),
        "requests": after_initial["requests"] - before["requests"],
        "graph_operations": after_initial["graph_operations"] - before["graph_operations"],
        "pages": pages,
        "response_mb": round((after_initial["bytes"] - before["bytes"]) / 1e6, 2),
        "bodies_fetched": sum(m.has_body for m in stored.values()),
        "noop_sync_requests": after_noop["requests"] - after_initial["requests"],
        "wall_s": round(wall, 3),
        "noop_wall_s": round(noop_wall, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "emulator_peak_rss_mb": round(after_noop["rss_mb"], 1),
        "ask_recall": fetched(info["asks"]),
        "reply_recall": fetched(info["replies"]),
        "page_size": args.page_size,
        "bodies": args.bodies,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
