"""Fault-injection soak: a full ``sync_all`` under every fault the emulators support equals a clean one.

Role: the reliability check of issue 7 ("the emulators inject every fault they support at a high
rate for a full sync of a 5,000-message mailbox; the result equals a fault-free sync"). Two
generated mailboxes (one Gmail, one Microsoft 365 account, ``--sent`` sent messages each, about
as many received) are synced through ``sync.run.sync_all`` with connectors built by a
``connector_factory`` whose sleep is free (a virtual clock), first under faults, rerunning
``sync_all`` until every account reports ``synced`` (at most ``--max-rounds`` runs), then without
faults into a second database. The two databases are compared by natural keys (provider ids,
thread keys, addresses; cursors excluded).

Faults, drawn from seeded ``random.Random``s at ``--rate`` per request (one run = same faults):

- Gmail (``FaultPlan`` + ``SoakGmailEmulator``): 429/500/503 on API calls and batch parts, with
  and without Retry-After; dropped connections; partial batch failures; a message deleted
  between messages.list and its get (only messages never served and alone in their thread, so a
  fault-free sync of the soak's final mailbox is the right reference); history expiry between
  runs.
- Graph (``SoakGraphEmulator``, faults drawn per request instead of scripted): 429 with and
  without Retry-After, 503, 504, 410 syncStateNotFound on deltaLinks and (rarely, as each one
  restarts the folder) mid-round on nextLinks, dropped connections, duplicate (replayed) items;
  besides, the first run loses its delta state mid-round and every run after a Gmail history
  expiry finds its Graph deltaLink gone (scripted ``Fault("410")``).

Prints ONE JSON object: messages (in the mailboxes), stored, sent, rounds, results (per round and
account), faults (injected per kind and provider), retries, wall_s, soak_s, reference_s, equal,
and ``differences`` (the first few natural keys that differ) when not equal.

Usage: .venv/bin/python scripts/soak.py [--sent 2500] [--rate 0.2] [--seed 7] [--max-rounds 25]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from google.oauth2.credentials import Credentials
from sqlmodel import select

from connectors.base import Connector
from connectors.emulators.generator import generate_mailbox
from connectors.emulators.gmail import EmulatorError, FaultPlan, GmailEmulator
from connectors.emulators.graph import Fault, GraphEmulator
from connectors.emulators.mailbox import Mailbox, Person
from connectors.gmail import SCOPES, GmailConnector, open_service
from connectors.graph import GraphConnector
from core.classify import GMAIL_PREFILTER_TERMS
from core.models import Account, Ask, Contact, Event, Message, Thread
from sync.config import Config, load_config
from sync.run import AccountResult, sync_all
from sync.store import Store, open_store

START = datetime(2026, 5, 4, tzinfo=UTC)
DAYS = 90
NOW = START + timedelta(days=DAYS + 3)
GRAPH_TOKEN = "soak-graph-token"
GMAIL_TOKEN = "soak-gmail-token"
GRAPH_OWNER = Person("pat@contoso.example", "Pat Kim")


# --------------------------------------------------------------------------- faulty emulators


class SoakGmailEmulator(GmailEmulator):
    """``GmailEmulator`` whose injected faults are counted by kind, half of the 429/503s without
    Retry-After, and whose delete-between-list-and-get only deletes never-served messages alone
    in their thread."""

    def __init__(self, mailbox: Mailbox, *, faults: FaultPlan, **kwargs: Any) -> None:
        self.delete_budget = faults.delete_after_list
        faults.delete_after_list = 0  # done here instead, on never-served messages only
        super().__init__(mailbox, faults=faults, **kwargs)
        self.fault_counts: Counter[str] = Counter()
        self.deleted_fixture_ids: set[str] = set()
        self._served: set[str] = set()
        self._soak_rng = random.Random(faults.seed + 1)

    def _should_drop(self) -> bool:
        dropped = super()._should_drop()
        if dropped:
            with self._lock:
                self.fault_counts["dropped_connection"] += 1
        return dropped

    def _injected(self, *, in_batch: bool) -> EmulatorError | None:
        err = super()._injected(in_batch=in_batch)
        if err is None:
            return None
        with self._lock:
            if err.retry_after is not None and self._soak_rng.random() < 0.5:
                err.retry_after = None
            where = "batch_part" if in_batch else "call"
            after = "" if err.status == 500 else ("_retry_after" if err.retry_after else "_bare")
            self.fault_counts[f"{where}_{err.status}{after}"] += 1
        return err

    def _render(self, m: Any, fmt: str, headers_wanted: list[str]) -> dict[str, Any]:
        with self._lock:
            self._served.add(m.gid)
        return super()._render(m, fmt, headers_wanted)

    def _api_messages_list(self, query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        out = super()._api_messages_list(query, body)
        if self.delete_budget:
            listed = [str(m["id"]) for m in out.get("messages") or []]
            with self._lock:
                # Only a message alone in its thread and never served: deleting one of a longer
                # thread changes what a sync fetches in ways a fault-free sync of the final
                # mailbox cannot reproduce (the thread of a deleted hit is still fetched).
                fresh = [
                    gid
                    for gid in listed
                    if gid not in self._served
                    and len(self._threads.get(self._by_id[gid].thread_id, ())) == 1
                ][: self.delete_budget]
                for gid in fresh:
                    self.deleted_fixture_ids.add(self._by_id[gid].fixture.id)
                    self.delete_message(gid)
                    self.fault_counts["deleted_between_list_and_get"] += 1
        return out

    def delete_same_in(self, other: GmailEmulator) -> None:
        """Delete from ``other`` what faults deleted here. (Deleting keeps a thread's id, as in
        Gmail; a mailbox built without those messages would give some threads other ids.)"""
        for fixture_id in sorted(self.deleted_fixture_ids):
            other.delete_message(other.gmail_id(fixture_id))


_GRAPH_KINDS: dict[str, tuple[str, ...]] = {
    "batch": ("429", "429-no-retry-after", "503", "504", "drop"),
    "message": ("429", "429-no-retry-after", "503", "504", "drop"),
    "delta": ("429", "429-no-retry-after", "503", "504", "drop", "duplicate"),
    "nextlink": ("429", "429-no-retry-after", "503", "504", "drop", "duplicate"),
    "deltalink": ("429", "429-no-retry-after", "503", "504", "drop", "duplicate", "410"),
}


class SoakGraphEmulator(GraphEmulator):
    """``GraphEmulator`` drawing a fault for each matching request at ``rate`` (scripted faults
    first), counted by kind and target. A 410 mid-round restarts the whole folder, so it is drawn
    at ``nextlink_410_rate`` only."""

    def __init__(
        self,
        mailbox: Mailbox,
        *,
        rate: float,
        seed: int,
        nextlink_410_rate: float = 0.01,
        **kwargs: Any,
    ) -> None:
        super().__init__(mailbox, seed=seed, **kwargs)
        self.rate = rate
        self.nextlink_410_rate = nextlink_410_rate
        self.fault_counts: Counter[str] = Counter()
        self._soak_rng = random.Random(seed + 2)

    def _take_fault(self, target: str) -> Fault | None:
        scripted = super()._take_fault(target)
        with self._lock:
            fault = scripted
            if (
                fault is None
                and target == "nextlink"
                and self.rate
                and self._soak_rng.random() < self.nextlink_410_rate
            ):
                fault = Fault("410", on=target)
            kinds = _GRAPH_KINDS.get(target)
            if fault is None and kinds and self._soak_rng.random() < self.rate:
                fault = Fault(self._soak_rng.choice(kinds), on=target)  # type: ignore[arg-type]
            if fault is not None:
                self.fault_counts[f"{target}_{fault.kind}"] += 1
        return fault


# --------------------------------------------------------------------------- wiring


class VirtualClock:
    """Monotonic seconds that move only when a connector sleeps: waits cost no real time."""

    def __init__(self) -> None:
        self.t = 50_000.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)
        self.slept += max(0.0, seconds)


def mailboxes(*, sent: int, seed: int) -> tuple[Mailbox, Mailbox]:
    gmail = generate_mailbox(seed=seed, sent=sent, start=START, days=DAYS, ask_share=0.05)
    graph = generate_mailbox(
        seed=seed + 1, sent=sent, start=START, days=DAYS, ask_share=0.05, owner=GRAPH_OWNER
    )
    return gmail, graph


@dataclass
class Wiring:
    """What a ``connector_factory`` needs: the emulators and a clock; counts retries it saw."""

    gmail: GmailEmulator
    graph: GraphEmulator
    clock: VirtualClock = field(default_factory=VirtualClock)
    connectors: list[Connector] = field(default_factory=list)
    wrap: Callable[[Connector], Connector] | None = None  # tests: a deliberately broken connector

    def factory(self, store: Store, account: Account, config: Config) -> Connector:
        connector: Connector
        if account.provider == "gmail":
            creds = Credentials(  # type: ignore[no-untyped-call]
                token=GMAIL_TOKEN,
                refresh_token=self.gmail.refresh_token,
                token_uri=self.gmail.token_uri,
                client_id="soak-client",
                client_secret="soak-secret",
                scopes=list(SCOPES),
            )
            connector = GmailConnector(
                open_service(creds, api_endpoint=self.gmail.endpoint, timeout=30),
                api_endpoint=self.gmail.endpoint,
                prefilter_terms=GMAIL_PREFILTER_TERMS,
                units_per_minute=config.gmail.units_per_minute,
                credentials=creds,
                sleep=self.clock.sleep,
                clock=self.clock,
                now=lambda: NOW,
            )
        else:
            connector = GraphConnector(
                lambda: GRAPH_TOKEN,
                endpoint=self.graph.graph_endpoint,
                mailbox_key=f"soak:{self.graph.base_url}",
                sleep=self.clock.sleep,
            )
        self.connectors.append(connector)
        return self.wrap(connector) if self.wrap else connector

    def retries(self) -> int:
        total = 0
        for c in self.connectors:
            if isinstance(c, GmailConnector):
                total += c.retries
        return total

    def close(self) -> None:
        for c in self.connectors:
            if isinstance(c, GraphConnector):
                c.close()


def new_store(path: Path, gmail_box: Mailbox, graph_box: Mailbox) -> Store:
    store = open_store(url=f"sqlite:///{path}")
    with store.session_scope() as session:
        for provider, box in (("gmail", gmail_box), ("graph", graph_box)):
            session.add(
                Account(provider=provider, address=box.owner.email, time_zone="America/New_York")
            )
    return store


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The database by natural keys (provider ids, thread keys, addresses); cursors left out."""
    with store.session() as session:
        accounts = {a.id: (a.provider, a.address) for a in session.exec(select(Account)).all()}
        threads = {
            t.id: (accounts[t.account_id], t.thread_key) for t in session.exec(select(Thread))
        }
        asks = {a.id: threads[a.thread_id] for a in session.exec(select(Ask)).all()}
        return {
            "accounts": sorted((*accounts[a.id], a.status) for a in session.exec(select(Account))),
            "threads": sorted(threads.values()),
            "messages": sorted(
                (
                    accounts[m.account_id],
                    m.provider_id,
                    threads[m.thread_id][1],
                    m.message_id or "",
                    m.direction,
                    m.is_ask,
                    m.kind or "",
                    m.outcome or "",
                    m.has_body,
                    m.visible_text or "",
                )
                for m in session.exec(select(Message)).all()
            ),
            "asks": sorted(
                (
                    threads[a.thread_id],
                    a.kind,
                    a.state,
                    a.next_action or "",
                    str(a.next_action_due),
                    a.follow_up_count,
                    a.outcome or "",
                    a.bounced_addresses or "",
                )
                for a in session.exec(select(Ask)).all()
            ),
            "events": sorted(
                (
                    asks.get(e.ask_id, (("", ""), ""))[1],
                    e.kind,
                    e.from_state or "",
                    e.to_state or "",
                    e.reason or "",
                )
                for e in session.exec(select(Event)).all()
            ),
            "contacts": sorted(
                (accounts[c.account_id], c.address, c.sent_count, c.received_count)
                for c in session.exec(select(Contact)).all()
            ),
        }


def differences(
    a: dict[str, list[Any]], b: dict[str, list[Any]], *, limit: int = 5
) -> dict[str, Any]:
    """Per table: rows only in the soak database and rows only in the reference (a few each)."""
    out: dict[str, Any] = {}
    for table in sorted(set(a) | set(b)):
        left, right = Counter(map(repr, a.get(table, []))), Counter(map(repr, b.get(table, [])))
        only_soak, only_ref = list((left - right).elements()), list((right - left).elements())
        if only_soak or only_ref:
            out[table] = {
                "only_soak": only_soak[:limit],
                "only_reference": only_ref[:limit],
                "counts": [len(only_soak), len(only_ref)],
            }
    return out


def soak_config(workdir: Path) -> Config:
    """A config of its own in ``workdir`` (an empty TOML file, locks under ``workdir/data``), so
    neither the person's config file nor their data directory is touched."""
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    toml = workdir / "soak.toml"
    toml.write_text("# scripts/soak.py: defaults only\n", encoding="utf-8")
    return load_config(toml, data_dir=data_dir, use_keyring=False, sync_window_days=365)


def _results(results: list[AccountResult]) -> list[dict[str, Any]]:
    return [
        {"account": r.account, "status": r.status, "new_messages": r.new_messages, "error": r.error}
        for r in results
    ]


def run_soak(
    *,
    sent: int = 2500,
    seed: int = 7,
    rate: float = 0.2,
    max_rounds: int = 25,
    nextlink_410_rate: float = 0.01,
    workdir: Path | None = None,
    wrap_connector: Callable[[Connector], Connector] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Soak sync then reference sync; returns the summary (``equal`` says whether they match).

    ``wrap_connector`` wraps each soak-side connector (tests use it to prove a lossy connector is
    caught); the reference sync always uses the plain connectors.
    """
    started = time.perf_counter()
    gmail_box, graph_box = mailboxes(sent=sent, seed=seed)
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="soak-")))
        config = soak_config(workdir)
        plan = FaultPlan(
            seed=seed,
            error_rate=rate,
            error_statuses=(429, 500, 503),
            retry_after=1.0,
            drop_rate=rate / 4,
            drop_next=1,  # at least one, however few requests a round needs
            batch_part_failure_rate=rate,
            delete_after_list=1,
        )
        gmail = SoakGmailEmulator(gmail_box, faults=plan, now=lambda: NOW, token=GMAIL_TOKEN)
        graph = SoakGraphEmulator(
            graph_box,
            rate=rate,
            seed=seed,
            nextlink_410_rate=nextlink_410_rate,
            token=GRAPH_TOKEN,
        )
        stack.enter_context(gmail)
        stack.enter_context(graph)
        wiring = Wiring(gmail, graph, wrap=wrap_connector)
        soak_store = new_store(workdir / "soak.db", gmail_box, graph_box)
        rounds: list[list[dict[str, Any]]] = []
        history_expiries = 0
        # besides the drawn faults, the first round loses its delta state mid-round for certain
        graph.inject(Fault("410", on="nextlink"))
        synced = False
        for number in range(1, max_rounds + 1):
            results = sync_all(
                soak_store,
                config,
                now=NOW,
                send_digest=False,
                connector_factory=wiring.factory,
            )
            rounds.append(_results(results))
            if log:
                log(f"round {number}: " + "; ".join(r.line() for r in results))
            if number >= 2 and all(r.status == "synced" for r in results):
                synced = True
                break
            # between runs: the Gmail history the stored cursor points at expires (once at least,
            # then every third run), so the next run takes the bounded-resync path
            # (and the next Graph run finds its deltaLink gone)
            if number == 1 or number % 3 == 0:
                gmail.expire_history()
                graph.inject(Fault("410", on="deltalink"))
                history_expiries += 1
        wiring.close()
        soak_s = time.perf_counter() - started
        gmail.fault_counts["history_expired_between_runs"] = history_expiries
        ref_started = time.perf_counter()
        clean_gmail = stack.enter_context(
            GmailEmulator(gmail_box, now=lambda: NOW, token=GMAIL_TOKEN)
        )
        gmail.delete_same_in(clean_gmail)  # the mailbox as the soak left it
        clean_graph = stack.enter_context(GraphEmulator(graph_box, token=GRAPH_TOKEN))
        clean = Wiring(clean_gmail, clean_graph)
        ref_store = new_store(workdir / "reference.db", gmail_box, graph_box)
        ref_results = sync_all(
            ref_store, config, now=NOW, send_digest=False, connector_factory=clean.factory
        )
        clean.close()
        reference_s = time.perf_counter() - ref_started
        soaked, reference = snapshot(soak_store), snapshot(ref_store)
        equal = synced and soaked == reference
        summary: dict[str, Any] = {
            "messages": len(gmail_box) + len(graph_box),
            "messages_per_provider": {"gmail": len(gmail_box), "graph": len(graph_box)},
            "sent": len(gmail_box.sent) + len(graph_box.sent),
            "stored": len(soaked["messages"]),
            "asks": len(soaked["asks"]),
            "rounds": len(rounds),
            "synced": synced,
            "results": rounds,
            "reference_results": _results(ref_results),
            "faults": {
                "gmail": dict(sorted(gmail.fault_counts.items())),
                "graph": dict(sorted(graph.fault_counts.items())),
            },
            "faults_total": sum(gmail.fault_counts.values()) + sum(graph.fault_counts.values()),
            "gmail_retries": wiring.retries(),
            "virtual_wait_s": round(wiring.clock.slept, 1),
            "soak_s": round(soak_s, 2),
            "reference_s": round(reference_s, 2),
            "wall_s": round(time.perf_counter() - started, 2),
            "equal": equal,
        }
        if not equal:
            summary["differences"] = differences(soaked, reference)
        return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sent", type=int, default=2500, help="sent messages per mailbox")
    parser.add_argument("--rate", type=float, default=0.2, help="fault rate per request")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-rounds", type=int, default=25)
    parser.add_argument("--verbose", action="store_true", help="one line per round on stderr")
    args = parser.parse_args(argv)
    if args.sent < 10 or not 0 <= args.rate < 1 or args.max_rounds < 2:
        parser.error("use --sent ≥ 10, 0 ≤ --rate < 1 and --max-rounds ≥ 2")
    say = (lambda line: print(line, file=sys.stderr)) if args.verbose else None
    summary = run_soak(
        sent=args.sent, seed=args.seed, rate=args.rate, max_rounds=args.max_rounds, log=say
    )
    print(json.dumps(summary))
    return 0 if summary["equal"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
