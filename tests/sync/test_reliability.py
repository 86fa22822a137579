"""Reliability of `reftrack sync` as a real process against both emulators.

- kill -9 at random moments (several seeds), then a normal run and the next cron run: the database
  equals the one an uninterrupted run builds, and each account's digest went out exactly once
  (a kill inside the digest send leaves its outcome unknown until the next run settles it);
- two `reftrack sync` processes started at once: no duplicate rows, no double digest.

Each database gets its own pair of emulators on the same generated mailboxes, so what one run
sends (its digest) never shows up in another run's mailbox.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from sync.digest import SETTLE_AFTER
from sync.store import forget_stores
from tests.sync.reliability_fixtures import NOW, link_accounts, running_emulators, snapshot

SYNC = [sys.executable, "-m", "sync.cli", "sync", "--now", NOW.isoformat()]
# The next cron run, same local day: a digest whose send a kill left unknown is settled by then
# (sync/digest.py waits SETTLE_AFTER before re-sending one that is not in the sent mail).
LATER = [
    sys.executable,
    "-m",
    "sync.cli",
    "sync",
    "--now",
    (NOW + SETTLE_AFTER + timedelta(minutes=1)).isoformat(),
]


def _run(
    env: dict[str, str], *, timeout: float = 120, cmd: list[str] = SYNC
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_sync_kill9_at_random_points_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    with running_emulators() as emus:
        reference = link_accounts(emus, tmp_path / "reference")
        started = time.monotonic()
        done = _run(emus.env(tmp_path / "reference"))
        full_run_s = time.monotonic() - started
        assert done.returncode == 0, done.stdout + done.stderr
        assert _run(emus.env(tmp_path / "reference"), cmd=LATER).returncode == 0
        expected = snapshot(reference)
        assert expected["digests"] and all(status == "sent" for *_x, status in expected["digests"])
        assert emus.sent_digests() == {"gmail": 1, "graph": 1}

    rng = random.Random(20261123)
    killed_mid_run = 0
    for seed in range(4):
        with running_emulators() as emus:
            data_dir = tmp_path / f"killed-{seed}"
            store = link_accounts(emus, data_dir)
            env = emus.env(data_dir)
            # Two kills in a row, each at a random moment of a run. A run that finished before
            # its moment came is followed by another (at most six runs), so a fast sync still
            # gets killed twice.
            kills = 0
            for _ in range(6):
                proc = subprocess.Popen(
                    SYNC, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                time.sleep(rng.uniform(0.05, full_run_s * 0.9))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                proc.wait(timeout=30)
                if kills == 2:
                    break
            killed_mid_run += kills
            final = _run(env)
            assert final.returncode == 0, final.stdout + final.stderr
            later = _run(env, cmd=LATER)
            assert later.returncode == 0, later.stdout + later.stderr
            assert snapshot(store) == expected, (
                f"seed {seed}: database differs from the uninterrupted run"
            )
            # however often it was killed, each account's digest went out exactly once
            assert emus.sent_digests() == {"gmail": 1, "graph": 1}, f"seed {seed}"
    assert killed_mid_run >= 4, "the kills should land while syncs are running"
    forget_stores()


@pytest.mark.slow
def test_sync_two_processes_at_once_no_duplicates_no_double_digest(tmp_path: Path) -> None:
    with running_emulators(seed=9, sent=120) as emus:
        reference = link_accounts(emus, tmp_path / "reference")
        assert _run(emus.env(tmp_path / "reference")).returncode == 0
        expected = snapshot(reference)
    with running_emulators(seed=9, sent=120) as emus:
        data_dir = tmp_path / "twice"
        store = link_accounts(emus, data_dir)
        env = emus.env(data_dir)
        procs = [
            subprocess.Popen(
                [*SYNC, "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        assert snapshot(store) == expected
        assert emus.sent_digests() == {"gmail": 1, "graph": 1}
    forget_stores()
