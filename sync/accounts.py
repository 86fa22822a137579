"""Accounts: add or update a linked mailbox, list them, and mark one as needing re-authorization.

Invariant: one Account per (provider, address); marking ``needs_reauth`` never touches other
accounts, and the reason is kept so ``reftrack accounts`` can say what to do.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from core.models import Account, AccountStatus, Credential


def upsert_account(
    session: Session,
    provider: str,
    address: str,
    *,
    display_name: str = "",
    time_zone: str | None = None,
) -> Account:
    """The account for (provider, address), created or updated, flushed (has an id)."""
    address = address.strip().lower()
    account = session.exec(
        select(Account).where(Account.provider == provider, Account.address == address)
    ).first()
    if account is None:
        account = Account(provider=provider, address=address, display_name=display_name)
        if time_zone:
            account.time_zone = time_zone
        session.add(account)
    else:
        if display_name:
            account.display_name = display_name
        if time_zone:
            account.time_zone = time_zone
        account.status = AccountStatus.ACTIVE.value
        account.status_reason = ""
    session.flush()
    return account


def list_accounts(session: Session, *, only_active: bool = False) -> Sequence[Account]:
    query = select(Account).order_by(Account.id)  # type: ignore[arg-type]
    if only_active:
        query = query.where(Account.status == AccountStatus.ACTIVE.value)
    return session.exec(query).all()


def get_account(session: Session, selector: str) -> Account | None:
    """An account by id, by address, or by ``provider:address``."""
    if selector.isdigit():
        return session.get(Account, int(selector))
    provider, _, address = selector.rpartition(":")
    query = select(Account).where(Account.address == address.strip().lower())
    if provider:
        query = query.where(Account.provider == provider)
    return session.exec(query).first()


def mark_needs_reauth(session: Session, *, account_id: int, reason: str) -> None:
    account = session.get(Account, account_id)
    if account is not None:
        account.status = AccountStatus.NEEDS_REAUTH.value
        account.status_reason = reason
        session.add(account)


def credential_source(session: Session, *, account_id: int) -> str:
    row = session.exec(select(Credential).where(Credential.account_id == account_id)).first()
    return row.key_source if row else ""
