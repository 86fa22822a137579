"""Per-account sync locks: a second holder is refused at once, the lock frees when released."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.locks import AccountBusy, account_lock


def test_account_lock_refuses_a_second_holder(store, tmp_path: Path) -> None:
    with account_lock(store, account_id=7, lock_dir=tmp_path / "locks"):
        with (
            pytest.raises(AccountBusy),
            account_lock(store, account_id=7, lock_dir=tmp_path / "locks"),
        ):
            pass
        # another account is not blocked
        with account_lock(store, account_id=8, lock_dir=tmp_path / "locks"):
            pass
    # released: it can be taken again
    with account_lock(store, account_id=7, lock_dir=tmp_path / "locks"):
        pass
