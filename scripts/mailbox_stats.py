"""Print JSON statistics of a synthetic mailbox: counts per kind and per outcome, threads, build time.

    .venv/bin/python scripts/mailbox_stats.py --sent 10000 [--seed 1] [--days 365] [--ask-share 0.02]
    .venv/bin/python scripts/mailbox_stats.py --demo gmail
    .venv/bin/python scripts/mailbox_stats.py --file mailbox.json.gz

One JSON object on stdout. ``hard_negatives`` counts sent messages that are not asks yet mention
referring, recommending or introducing — the look-alikes a classifier must reject.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from connectors.emulators.generator import generate_mailbox, load_demo_mailbox
from connectors.emulators.mailbox import Mailbox

LOOKALIKE = re.compile(r"refer|recommend|introduc|\bintro\b|reference|vouch", re.IGNORECASE)


def stats(mailbox: Mailbox) -> dict[str, Any]:
    sent = mailbox.sent
    asks = [m for m in sent if m.truth.is_ask]
    threads: dict[str, list[Any]] = {}
    for message in mailbox:
        threads.setdefault(message.thread, []).append(message)
    ask_threads = mailbox.ask_threads()
    replied = sum(
        1
        for key in ask_threads
        if any(m.direction == "received" and m.truth.outcome for m in threads[key])
    )
    nudged = sum(
        1
        for key in ask_threads
        if sum(1 for m in threads[key] if m.direction == "sent" and not m.truth.is_ask) > 0
    )
    return {
        "owner": mailbox.owner.email,
        "time_zone": mailbox.time_zone,
        "first": mailbox.messages[0].date.isoformat() if mailbox.messages else None,
        "last": mailbox.messages[-1].date.isoformat() if mailbox.messages else None,
        "messages": len(mailbox),
        "sent": len(sent),
        "received": len(mailbox) - len(sent),
        "threads": len(threads),
        "threads_with_replies": sum(1 for msgs in threads.values() if len(msgs) > 1),
        "asks": len(asks),
        "ask_share": round(len(asks) / len(sent), 4) if sent else 0.0,
        "asks_by_kind": dict(sorted(Counter(m.truth.kind or "" for m in asks).items())),
        "asks_naming_company": sum(1 for m in asks if m.truth.company),
        "asks_html": sum(1 for m in asks if m.html),
        "asks_in_reply_to_contact": sum(1 for m in asks if m.in_reply_to),
        "ask_threads_with_reply": replied,
        "ask_threads_without_reply": len(ask_threads) - replied,
        "ask_threads_where_user_wrote_again": nudged,
        "outcomes": dict(
            sorted(Counter(m.truth.outcome for m in mailbox if m.truth.outcome).items())
        ),
        "hard_negatives": sum(
            1 for m in sent if not m.truth.is_ask and LOOKALIKE.search(m.text or m.html or "")
        ),
        "auto_submitted": sum(1 for m in mailbox if "Auto-Submitted" in m.headers),
        "bulk_mail": sum(1 for m in mailbox if "List-Unsubscribe" in m.headers),
        "json_bytes": len(json.dumps(mailbox.to_json())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", choices=("gmail", "graph"), help="the bundled demo mailbox")
    source.add_argument("--file", type=Path, help="a mailbox JSON (.json or .json.gz)")
    parser.add_argument("--sent", type=int, default=10_000, help="sent messages to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument(
        "--start", default="2026-01-05T12:00:00+00:00", help="ISO start, with offset"
    )
    parser.add_argument("--ask-share", type=float, default=0.02)
    args = parser.parse_args()
    began = time.perf_counter()
    try:
        if args.demo:
            mailbox = load_demo_mailbox(args.demo)
        elif args.file:
            mailbox = Mailbox.load(args.file)
        else:
            mailbox = generate_mailbox(
                seed=args.seed,
                sent=args.sent,
                start=datetime.fromisoformat(args.start),
                days=args.days,
                ask_share=args.ask_share,
            )
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"Could not build the mailbox ({exc}); check the arguments and try again.")
    built = time.perf_counter() - began
    print(json.dumps({**stats(mailbox), "build_s": round(built, 3)}, indent=1))


if __name__ == "__main__":
    main()
