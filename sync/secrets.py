"""Credentials at rest: encrypted with Fernet, the key in the OS keyring or a 0600 key file.

Invariants:
- Plain credentials never reach the database or a log; ``Credential.ciphertext`` holds Fernet tokens.
- The key comes from the OS keyring when one is usable, else from ``key_file`` (created with mode
  0600, refused when its permissions are looser). ``Credential.key_source`` records which, and
  ``reftrack accounts`` shows it.
- Writers compare-and-swap on ``Credential.version`` so two processes refreshing the same token
  cache cannot silently overwrite each other: ``save_credential(..., expected_version=v)`` raises
  ``CredentialConflict`` when someone else wrote first.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import update
from sqlmodel import Session, select

from core.models import Credential, utcnow
from sync.config import Config
from sync.errors import ReftrackError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "reftrack"
KEYRING_USER = "credential-encryption-key"


class CredentialConflict(ReftrackError):
    """Another process updated the credential since we read it."""


@dataclass(frozen=True, slots=True)
class Cipher:
    fernet: Fernet
    source: str  # "keyring" | "keyfile"

    def encrypt(self, data: bytes) -> bytes:
        return self.fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self.fernet.decrypt(token)
        except InvalidToken as exc:
            raise ReftrackError(
                "Stored credentials cannot be decrypted with this machine's key; "
                "run `reftrack auth` again for this account."
            ) from exc


def _keyring_key() -> bytes | None:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or "fail" in type(backend).__module__:
            return None
        value = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
        if value is None:
            value = Fernet.generate_key().decode()
            keyring.set_password(KEYRING_SERVICE, KEYRING_USER, value)
        return value.encode()
    except Exception as exc:  # any keyring backend error means: no usable keyring here
        log.debug("no usable keyring: %s", exc)
        return None


def _file_key(path: Path) -> bytes:
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ReftrackError(
                f"Key file {path} is readable by others (mode {mode:o}); run `chmod 600 {path}`."
            )
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def get_cipher(config: Config) -> Cipher:
    if config.use_keyring:
        key = _keyring_key()
        if key is not None:
            return Cipher(Fernet(key), "keyring")
    return Cipher(Fernet(_file_key(config.effective_key_file)), "keyfile")


@dataclass(frozen=True, slots=True)
class StoredCredential:
    kind: str
    data: bytes
    version: int
    key_source: str


def load_credential(
    session: Session, *, account_id: int, config: Config
) -> StoredCredential | None:
    row = session.exec(select(Credential).where(Credential.account_id == account_id)).first()
    if row is None:
        return None
    cipher = get_cipher(config)
    return StoredCredential(row.kind, cipher.decrypt(row.ciphertext), row.version, row.key_source)


def save_credential(
    session: Session,
    *,
    account_id: int,
    kind: str,
    data: bytes,
    config: Config,
    expected_version: int | None = None,
) -> int:
    """Encrypt and store; returns the new version. The caller commits.

    With ``expected_version`` the write only happens when the stored version still equals it.
    """
    cipher = get_cipher(config)
    token = cipher.encrypt(data)
    row = session.exec(select(Credential).where(Credential.account_id == account_id)).first()
    if row is None:
        if expected_version not in (None, 0):
            raise CredentialConflict("The credential was removed by another process.")
        session.add(
            Credential(
                account_id=account_id,
                kind=kind,
                ciphertext=token,
                version=1,
                key_source=cipher.source,
            )
        )
        session.flush()
        return 1
    if expected_version is None:
        expected_version = row.version
    result = session.execute(
        update(Credential)
        .where(Credential.account_id == account_id, Credential.version == expected_version)  # type: ignore[arg-type]
        .values(
            ciphertext=token,
            kind=kind,
            version=expected_version + 1,
            key_source=cipher.source,
            updated_at=utcnow(),
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise CredentialConflict("Another process updated this account's credentials first.")
    session.expire(row)
    return expected_version + 1
