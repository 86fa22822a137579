"""`reftrack demo`: the whole loop over both emulators, at the fixed demo day, in seconds."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from core.models import Account, Ask, DigestLog
from sync.demo import run_demo
from sync.store import open_store


def test_demo_runs_the_whole_loop(tmp_path: Path) -> None:
    lines: list[str] = []
    result = run_demo(data_dir=tmp_path / "demo", say=lines.append)
    assert [r.status for r in result.results] == ["synced", "synced"]
    assert set(result.sent.values()) == {"sent"}
    assert len(result.html_files) == 2 and all(p.stat().st_size > 2000 for p in result.html_files)
    for label, text in result.digests.items():
        assert "Follow up today" in text, label
        assert "Say thank you" in text, label
        assert "Bounced" in text, label
    store = open_store(url=f"sqlite:///{tmp_path / 'demo' / 'reftrack.db'}")
    with store.session() as session:
        accounts = session.exec(select(Account)).all()
        assert {a.provider for a in accounts} == {"gmail", "graph"}
        asks = session.exec(select(Ask)).all()
        kinds = {a.kind for a in asks}
        assert kinds == {"job_referral", "introduction", "recommendation", "client_referral"}
        states = {a.state for a in asks}
        assert {"awaiting_reply", "agreed", "needs_info"} <= states
        assert len(session.exec(select(DigestLog)).all()) == 2
    assert any("reftrack asks" in line for line in lines)
