"""Fault-injection soak of ``sync.run.sync_all`` over both emulators (``scripts/soak.py``).

The pytest version syncs a smaller mailbox pair than the script's 5,000-message one (it must stay
fast), at a higher fault rate, and checks that every fault kind was really injected, that the
runs converged (every account ``synced``) within the bound, and that the final database equals a
fault-free sync of the same mailboxes by natural keys. The comparison itself is checked too: a
missing or altered row must show up as a difference.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from connectors.base import Connector, OutgoingMessage, Profile, SyncContext, SyncPage
from connectors.emulators.generator import generate_mailbox
from connectors.emulators.gmail import FaultPlan, GmailEmulator
from connectors.emulators.graph import Fault, GraphEmulator
from scripts.soak import (
    GMAIL_TOKEN,
    GRAPH_TOKEN,
    NOW,
    START,
    Wiring,
    differences,
    mailboxes,
    main,
    new_store,
    run_soak,
    soak_config,
)
from sync.run import sync_all

# Gmail: status (and Retry-After) of API calls and batch parts, whichever they hit
GMAIL_STATUS_KINDS = ("429_retry_after", "429_bare", "500", "503_retry_after", "503_bare")
GMAIL_OTHER_KINDS = (
    "dropped_connection",
    "deleted_between_list_and_get",
    "history_expired_between_runs",
)
GRAPH_KINDS = ("429", "429-no-retry-after", "503", "504", "drop", "duplicate")


@pytest.fixture(scope="module")
def soak(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_soak(
        sent=500,
        seed=3,
        rate=0.25,
        max_rounds=25,
        nextlink_410_rate=0.05,
        workdir=tmp_path_factory.mktemp("soak"),
    )


def test_soak_final_database_equals_fault_free_sync(soak: dict[str, Any]) -> None:
    assert soak["synced"], soak["results"]
    assert soak["equal"], soak.get("differences")
    assert 2 <= soak["rounds"] <= 25
    assert soak["stored"] > 600 and soak["asks"] > 20
    assert [r["status"] for r in soak["reference_results"]] == ["synced", "synced"]


def test_soak_injects_every_fault_kind_of_both_emulators(soak: dict[str, Any]) -> None:
    gmail: dict[str, int] = soak["faults"]["gmail"]
    statuses: Counter[str] = Counter()
    for key, count in gmail.items():
        if key.startswith(("call_", "batch_part_")):
            statuses[key.removeprefix("call_").removeprefix("batch_part_")] += count
    missing = [k for k in GMAIL_STATUS_KINDS if not statuses[k]]
    missing += [k for k in GMAIL_OTHER_KINDS if not gmail.get(k)]
    assert not missing, f"Gmail faults never injected: {missing} ({gmail})"
    assert any(k.startswith("call_") for k in gmail), "calls outside batches fail too"
    assert any(k.startswith("batch_part_") for k in gmail), "partial batch failures"
    graph: dict[str, int] = soak["faults"]["graph"]
    by_kind: Counter[str] = Counter()
    for key, count in graph.items():
        by_kind[key.split("_", 1)[1]] += count
    missing = [k for k in GRAPH_KINDS if not by_kind[k]]
    assert not missing, f"Graph faults never injected: {missing} ({graph})"
    assert graph.get("deltalink_410") and graph.get("nextlink_410"), graph
    assert soak["faults_total"] > 100


class LossyConnector:
    """Forwards to a real connector but silently drops the first message it would yield."""

    def __init__(self, inner: Connector, lost: list[str]) -> None:
        self.inner, self.lost = inner, lost
        self.provider = inner.provider

    def get_profile(self) -> Profile:
        return self.inner.get_profile()

    def send(self, message: OutgoingMessage) -> str:
        return self.inner.send(message)

    def find_sent(self, message_id: str) -> bool:
        return self.inner.find_sent(message_id)

    def sync(self, cursors: Mapping[str, str], *, context: SyncContext) -> Iterator[SyncPage]:
        for page in self.inner.sync(cursors, context=context):
            if page.messages and not self.lost:
                self.lost.append(page.messages[0].provider_id)
                page = replace(page, messages=page.messages[1:])
            yield page


def test_soak_catches_a_connector_that_loses_a_message(tmp_path: Path) -> None:
    lost: list[str] = []
    summary = run_soak(
        sent=40,
        seed=5,
        rate=0.1,
        max_rounds=6,
        workdir=tmp_path,
        wrap_connector=lambda c: LossyConnector(c, lost),
    )
    assert len(lost) == 1
    assert summary["synced"] and summary["equal"] is False
    only_reference = summary["differences"]["messages"]["only_reference"]
    assert any(lost[0] in row for row in only_reference)


def test_soak_differences_names_missing_and_changed_rows() -> None:
    a: dict[str, list[Any]] = {
        "messages": [("gmail", "m1", "t1"), ("gmail", "m2", "t1")],
        "asks": [("t1", "agreed")],
    }
    b: dict[str, list[Any]] = {"messages": [("gmail", "m1", "t1")], "asks": [("t1", "declined")]}
    diff = differences(a, b)
    assert diff["messages"]["only_soak"] == [repr(("gmail", "m2", "t1"))]
    assert diff["messages"]["only_reference"] == []
    assert diff["asks"]["counts"] == [1, 1]
    assert differences(a, a) == {}


def test_soak_script_prints_one_json_object(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["--sent", "40", "--rate", "0.2", "--seed", "5", "--max-rounds", "10"])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    summary = json.loads(out[0])
    assert code == 0 and summary["equal"] is True
    for key in ("messages", "faults", "rounds", "wall_s", "equal"):
        assert key in summary


def test_soak_script_rejects_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--rate", "1.5"])
    assert stop.value.code == 2
    assert "--rate" in capsys.readouterr().err


def _list_all_deleting_one(emu: GmailEmulator) -> tuple[list[str], list[str]]:
    """Page through messages.list (5 a page), deleting the first listed message after page 1;
    returns (ids listed, ids that exist afterwards)."""
    auth = {"authorization": "Bearer emulator-access-token"}
    listed: list[str] = []
    token = ""
    while True:
        target = "/gmail/v1/users/me/messages?maxResults=5" + (
            f"&pageToken={token}" if token else ""
        )
        status, _headers, body = emu.handle("GET", target, auth, b"", in_batch=False)
        assert status == 200
        data = json.loads(body)
        ids = [m["id"] for m in data.get("messages") or []]
        if not listed:
            emu.delete_message(ids[0])  # deleted between the first page and the next
            ids = ids[1:]
        listed += ids
        token = data.get("nextPageToken", "")
        if not token:
            break
    status, _headers, body = emu.handle(
        "GET", "/gmail/v1/users/me/messages?maxResults=500", auth, b"", in_batch=False
    )
    return listed, [m["id"] for m in json.loads(body)["messages"]]


def test_gmail_emulator_listing_pages_survive_a_deletion() -> None:
    box = generate_mailbox(seed=1, sent=20, start=START, days=10)
    listed, remaining = _list_all_deleting_one(GmailEmulator(box))
    assert sorted(listed) == sorted(remaining)


def test_sync_all_failed_account_says_what_to_do_in_one_sentence(tmp_path: Path) -> None:
    gmail_box, graph_box = mailboxes(sent=20, seed=1)
    down = FaultPlan(error_rate=1.0, error_statuses=(500,))
    with (
        GmailEmulator(gmail_box, faults=down, token=GMAIL_TOKEN) as gmail,
        GraphEmulator(
            graph_box, faults=[Fault("504", on="*", times=10_000)], token=GRAPH_TOKEN
        ) as graph,
    ):
        wiring = Wiring(gmail, graph)
        store = new_store(tmp_path / "down.db", gmail_box, graph_box)
        results = sync_all(
            store,
            soak_config(tmp_path),
            now=NOW,
            send_digest=False,
            connector_factory=wiring.factory,
        )
        wiring.close()
    assert [r.status for r in results] == ["failed", "failed"]
    for result in results:
        assert ".;" not in result.error, result.error
