"""The one error tree every connector raises; SDK errors are mapped into it in one place per provider.

::

    ConnectorError                 anything a provider call can end in
    ├── AuthExpired                the grant is revoked or expired: the account needs re-authorization
    ├── RateLimited(retry_after)   the provider throttled us after our own retries; try again later
    ├── Transient                  outage, 5xx, timeout or reset that outlived our retries
    └── CursorExpired(folder)      the stored history/delta cursor is too old; resync that folder

Connectors raise these with ``raise ... from exc`` so the SDK error stays in the chain; ``sync``
decides what each one means for the account (mark ``needs_reauth``, retry next run, reset a cursor).
Every message is one sentence that says what to do.
"""

from __future__ import annotations


class ConnectorError(Exception):
    """Base of every error a connector raises."""


class AuthExpired(ConnectorError):
    """The stored grant no longer works; the person must run ``reftrack auth`` again."""


class RateLimited(ConnectorError):
    """The provider kept throttling after our retries; ``retry_after`` is in seconds when known."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Transient(ConnectorError):
    """A failure that should pass on its own (5xx, timeout, dropped connection)."""


class CursorExpired(ConnectorError):
    """The provider no longer knows this cursor (Gmail history 404, Graph 410 syncStateNotFound)."""

    def __init__(self, message: str, *, folder: str) -> None:
        super().__init__(message)
        self.folder = folder
