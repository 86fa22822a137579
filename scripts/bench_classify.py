"""Benchmark the classifier on one core and print JSON.

Workloads (each run for at least ``--seconds``, single process, single thread):
- ``labelled``: the labelled set (tests/data/labelled/*.jsonl: sent asks and non-asks, replies,
  auto-replies, bounces; plain text and HTML) through ``classify_sent`` / ``classify_reply``,
  exactly what ``reftrack classify`` does per line. Every message is about referrals, so most
  cues fire: the pessimistic figure.
- ``enron``: real corporate mail (../shared/corpora/enron, when present) — the raw text body
  (quoted history, forwards and all) through ``classify_sent``: what a mailbox mostly holds.
- ``may_be_ask``: the snippet pre-filter on subject + the first 200 characters.

Usage: ``python scripts/bench_classify.py [--seconds 1.5] [--repeat 5]``; each workload is run
``--repeat`` times and the fastest run is reported with all runs' rates. Target: >= 2,000 messages/s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.classify import may_be_ask  # noqa: E402
from core.classify_eval import classify_row  # noqa: E402
from core.text import parse_mime  # noqa: E402


def _run(items: list[Any], fn: Callable[[Any], object], seconds: float) -> dict[str, float | None]:
    for it in items[:50]:  # warm the regex caches
        fn(it)
    n = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    deadline = start + seconds
    while True:
        for it in items:
            fn(it)
        n += len(items)
        if time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {
        "messages": n,
        "seconds": round(elapsed, 3),
        "messages_per_second": round(n / elapsed, 1),
        # CPU time of this process only: the one-core figure even when the machine is busy
        "messages_per_cpu_second": round(n / cpu, 1) if cpu > 0 else None,
        "ms_per_message": round(1000 * elapsed / n, 4),
    }


def _best_of(
    items: list[Any], fn: Callable[[Any], object], seconds: float, repeat: int
) -> dict[str, Any]:
    """The fastest of ``repeat`` runs, with every run's rate: on a shared machine the slower
    runs measure the neighbours (the same commit has ranged 1,300-2,200 msg/s within minutes)."""
    runs = [_run(items, fn, seconds) for _ in range(repeat)]
    rates = sorted(float(r["messages_per_second"] or 0.0) for r in runs)
    best = next(r for r in runs if r["messages_per_second"] == rates[-1])
    return {
        **best,
        "runs_messages_per_second": rates,
        "median_messages_per_second": rates[len(rates) // 2],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=1.5, help="length of one run")
    ap.add_argument(
        "--repeat", type=int, default=5, help="runs per workload; the fastest is reported"
    )
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rows: list[dict[str, Any]] = []
    for f in sorted((ROOT / "tests" / "data" / "labelled").glob("*.jsonl")):
        with f.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    out: dict[str, Any] = {
        "python": platform.python_version(),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "machine": platform.machine(),
        "cores_used": 1,
        "target_messages_per_second": 2000,
    }
    out["labelled"] = {
        "distinct": len(rows),
        **_best_of(rows, classify_row, args.seconds, args.repeat),
    }
    out["labelled"]["html_share"] = round(
        sum(1 for r in rows if "<" in str(r["body"]) and "</" in str(r["body"])) / len(rows), 3
    )
    corpora = Path(os.environ.get("REFTRACK_CORPORA") or ROOT.parent / "shared" / "corpora")
    manifest = corpora / "enron" / "manifest.csv"
    if manifest.is_file():
        with manifest.open(newline="", encoding="utf-8") as fh:
            paths = [corpora / "enron" / r["path"] for r in csv.DictReader(fh)]
        mails = [parse_mime(p.read_bytes()) for p in paths]
        items = [
            {"id": str(i), "direction": "sent", "subject": m.subject, "body": m.text or ""}
            for i, m in enumerate(mails)
        ]
        body_chars = sorted(len(it["body"]) for it in items)
        out["enron_raw_bodies"] = {
            "distinct": len(items),
            "median_body_chars": body_chars[len(body_chars) // 2],
            **_best_of(items, classify_row, args.seconds, args.repeat),
        }
        snippets = [(m.subject, (m.text or "")[:200]) for m in mails]
        out["may_be_ask"] = _best_of(
            snippets, lambda s: may_be_ask(subject=s[0], snippet=s[1]), args.seconds, args.repeat
        )
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
