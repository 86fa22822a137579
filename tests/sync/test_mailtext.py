"""`reftrack extract`, `reftrack classify` (the evaluation contract) and `reftrack eval`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sync.cli import app

runner = CliRunner()


def test_mailtext_classify_contract_in_order(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "direction": "sent", "subject": "Favor", "body": "Could you refer me for the role?"},
        {"id": "b", "direction": "received", "subject": "Re: Favor", "body": "<p>Done, I referred you!</p>",
         "headers": {"Content-Type": "text/html"}},
        {"id": "c", "direction": "sent", "subject": "Lunch", "body": "Lunch on Tuesday?"},
    ]  # fmt: skip
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    res = runner.invoke(app, ["classify", str(f)])
    assert res.exit_code == 0, res.output
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert all(list(o) == ["id", "is_ask", "kind", "outcome", "confidence", "reason"] for o in out)
    assert (
        out[0]["is_ask"] is True and out[0]["kind"] == "job_referral" and out[0]["outcome"] is None
    )
    assert out[1]["outcome"] == "done" and out[1]["is_ask"] is None
    assert out[2]["is_ask"] is False


def test_mailtext_classify_reads_stdin() -> None:
    line = json.dumps(
        {"id": "x", "direction": "received", "subject": "", "body": "Sure, happy to!"}
    )
    res = runner.invoke(app, ["classify", "-"], input=line + "\n")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["outcome"] == "agreed"


def test_mailtext_classify_bad_input_is_one_line_error(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text("{not json}\n", encoding="utf-8")
    res = runner.invoke(app, ["classify", str(f)])
    assert res.exit_code == 1
    assert "line 1 is not valid JSON" in res.output and "Traceback" not in res.output
    f.write_text(
        json.dumps({"id": "1", "direction": "sideways", "body": ""}) + "\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["classify", str(f)])
    assert res.exit_code == 1 and "direction" in res.output
    res = runner.invoke(app, ["classify", str(tmp_path / "missing.jsonl")])
    assert res.exit_code == 1 and "no such file" in res.output


def test_mailtext_extract_eml_and_html(tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(
        b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nYes, will do.\r\n\r\n"
        b"On Mon, Jan 1, 2026 at 9:00 AM B <b@example.com> wrote:\r\n> can you refer me?\r\n"
    )
    res = runner.invoke(app, ["extract", str(eml)])
    assert res.exit_code == 0 and res.stdout.strip() == "Yes, will do."
    page = tmp_path / "b.html"
    page.write_text("<div>Top text</div><blockquote>quoted</blockquote>", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(page)])
    assert res.stdout.strip() == "Top text"


def test_mailtext_eval_prints_scores_and_confusion(tmp_path: Path) -> None:
    f = tmp_path / "lab.jsonl"
    rows = [
        {"id": "1", "direction": "sent", "subject": "", "body": "Would you refer me for the job?",
         "expected": {"is_ask": True, "kind": "job_referral"}},
        {"id": "2", "direction": "sent", "subject": "", "body": "See you at lunch.",
         "expected": {"is_ask": False, "kind": None}},
        {"id": "3", "direction": "received", "subject": "", "body": "Unfortunately I can't help.",
         "expected": {"outcome": "declined"}},
    ]  # fmt: skip
    f.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    res = runner.invoke(app, ["eval", str(f)])
    assert res.exit_code == 0, res.output
    assert "precision" in res.stdout and "confusion" in res.stdout and "declined" in res.stdout
    res = runner.invoke(app, ["eval", str(f), "--json"])
    data = json.loads(res.stdout)
    assert data["ask"]["f1"] == 1.0 and data["outcome"]["declined"]["recall"] == 1.0


def test_mailtext_eval_default_labelled_set_runs() -> None:
    res = runner.invoke(app, ["eval", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["sent"] >= 300 and data["received"] >= 250
