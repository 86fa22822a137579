"""Per-account sync locks, so two ``reftrack sync`` runs never sync the same account at once.

- SQLite: an OS file lock (``filelock``) on ``<data_dir>/locks/account-<id>.lock``; the OS releases
  it when the process dies, even by kill -9.
- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection held for the
  run; the server releases it when that connection ends.

Both are try-locks: the second run does not wait, it skips the account (``AccountBusy``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import text

from sync.errors import ReftrackError
from sync.store import Store


class AccountBusy(ReftrackError):
    """Another reftrack process is syncing this account right now."""


def _advisory_key(account_id: int) -> int:
    # a stable 63-bit key in reftrack's own namespace
    return (zlib.crc32(b"reftrack-sync") << 31) ^ account_id


@contextmanager
def account_lock(store: Store, *, account_id: int, lock_dir: Path) -> Iterator[None]:
    if store.is_sqlite:
        lock_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(lock_dir / f"account-{account_id}.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise AccountBusy("another reftrack sync holds this account; skipped") from None
        try:
            yield
        finally:
            lock.release()
        return
    conn = store.engine.connect()
    try:
        key = _advisory_key(account_id)
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
        conn.commit()
        if not got:
            raise AccountBusy("another reftrack sync holds this account; skipped")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
    finally:
        conn.close()
