"""`reftrack asks | stats | export | mark | snooze | done | ignore | track | digest` end to end (in-process)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from factories import add_account, add_ask_thread, add_reply, add_thread, at
from sqlmodel import select

from connectors.base import OutgoingMessage
from core.models import Account, Ask, DigestLog
from sync.asks import refresh_account
from sync.cli import main
from sync.config import get_config
from sync.store import open_store


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def seeded() -> dict[str, int]:
    store = open_store(get_config())
    with store.session_scope() as s:
        acc = add_account(s, time_zone="America/New_York")
        t1, _ = add_ask_thread(s, acc, asked_at=at("2026-03-02T15:00"), key="thr-one")
        t2, _ = add_ask_thread(
            s,
            acc,
            asked_at=at("2026-03-03T15:00"),
            contact="lee@x.example",
            contact_name="=HYPERLINK(1)",
            company="Globex",
        )
        add_reply(
            s, acc, t2, sent_at=at("2026-03-04T15:00"), outcome="agreed", sender="lee@x.example"
        )
        chat = add_thread(s, acc, key="thr-chat", subject="Lunch")
        refresh_account(s, account=acc, now=at("2026-03-16T16:00"))
        asks = {a.thread_id: a.id for a in s.exec(select(Ask)).all()}
        return {
            "account": acc.id,
            "ask1": asks[t1.id],
            "ask2": asks[t2.id],
            "thread1": t1.id,
            "chat": chat.id,
        }


def test_cli_asks_json_and_table(
    seeded: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["asks", "--json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} == {seeded["ask1"], seeded["ask2"]}
    one = next(r for r in rows if r["id"] == seeded["ask1"])
    assert (one["state"], one["next_action"], one["contact_name"]) == (
        "awaiting_reply",
        "follow_up",
        "Dana Smith",
    )
    code, out, _ = run(["asks"], capsys)
    assert code == 0 and "Dana" in out and "Acme" in out


def test_cli_mark_snooze_done_ignore(
    seeded: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["mark", str(seeded["ask1"]), "--outcome", "declined"], capsys)
    assert code == 0 and "declined" in out
    code, out, _ = run(["snooze", str(seeded["ask2"]), "--days", "3"], capsys)
    assert code == 0 and "snoozed until" in out
    code, out, _ = run(["done", str(seeded["ask2"])], capsys)
    assert code == 0 and "closed" in out
    code, out, _ = run(["ignore", "thr-one"], capsys)
    assert code == 0 and "ignored" in out
    code, out, _ = run(["asks", "--json", "--all"], capsys)
    states = {r["id"]: r["state"] for r in json.loads(out)}
    assert states == {seeded["ask1"]: "not_an_ask", seeded["ask2"]: "closed"}
    code, out, _ = run(["asks", "--json"], capsys)
    assert json.loads(out) == []


def test_cli_track_a_missed_thread(
    seeded: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["track", str(seeded["chat"])], capsys)
    assert code == 1 and "no message you sent" in err and "Traceback" not in err


def test_cli_errors_are_one_line(
    seeded: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["mark", "999", "--outcome", "agreed"], capsys)
    assert code == 1 and err.strip().startswith("error: There is no ask #999")
    code, _, err = run(["mark", str(seeded["ask1"]), "--outcome", "maybe"], capsys)
    assert code == 1 and "use one of" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(["asks", "--account", "nobody@example.com"], capsys)
    assert code == 1 and "reftrack accounts" in err
    code, _, err = run(["digest", "--today", "16/03/2026"], capsys)
    assert code == 1 and "YYYY-MM-DD" in err


def test_cli_export_csv_and_json(
    seeded: dict[str, int], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(["export", "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    assert {r["contact_name"] for r in rows} == {
        "Dana Smith",
        "'=HYPERLINK(1)",
    }  # formulas neutralised
    target = tmp_path / "asks.json"
    code, out, _ = run(["export", "--format", "json", "--output", str(target)], capsys)
    assert code == 0 and len(json.loads(target.read_text())) == 2


def test_cli_stats(seeded: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["stats", "--json"], capsys)
    assert code == 0
    [row] = json.loads(out)
    assert (row["asks"], row["replied"], row["response_rate"]) == (2, 1, 0.5)
    assert row["median_days_to_reply"] == 1.0


def test_cli_digest_prints_and_writes_html(
    seeded: dict[str, int], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "digest.html"
    code, out, _ = run(["digest", "--today", "2026-03-16", "--html", str(target)], capsys)
    assert code == 0
    assert "== Follow up today (1) ==" in out and "== Say thank you (1) ==" in out
    html = target.read_text()
    assert html.startswith("<!DOCTYPE html>") and "Dana Smith" in html


def test_cli_digest_send_once(
    seeded: dict[str, int], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[OutgoingMessage] = []

    class Conn:
        provider = "gmail"

        def send(self, message: OutgoingMessage) -> str:
            sent.append(message)
            return "p1"

        def find_sent(self, message_id: str) -> bool:
            return any(m.message_id == message_id for m in sent)

    import sync.connect

    monkeypatch.setattr(sync.connect, "open_connector", lambda *a, **k: Conn())
    code, out, _ = run(["digest", "--send", "--today", "2026-03-16"], capsys)
    assert code == 0 and "digest sent" in out
    code, out, _ = run(["digest", "--send", "--today", "2026-03-16"], capsys)
    assert code == 0 and "already sent" in out
    assert len(sent) == 1
    with open_store(get_config()).session() as s:
        assert [r.status for r in s.exec(select(DigestLog)).all()] == ["sent"]
        assert s.get(Account, seeded["account"]).last_digest_at is not None


def test_cli_no_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["asks"], capsys)
    assert code == 1 and "reftrack auth" in err
