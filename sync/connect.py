"""Builds the connector for an account from its stored credentials (one factory per provider).

``sync.connect_gmail.open_gmail`` and ``sync.connect_graph.open_graph`` do the provider-specific
part (credentials, endpoints, persisting refreshed tokens); this module only dispatches, so adding a
provider is one new module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from sqlmodel import Session

from connectors.base import Connector
from core.models import Account
from sync.config import Config
from sync.errors import ReftrackError

_FACTORIES = {
    "gmail": ("sync.connect_gmail", "open_gmail"),
    "graph": ("sync.connect_graph", "open_graph"),
}


def open_connector(
    session_factory: Callable[[], Session], *, account: Account, config: Config
) -> Connector:
    try:
        module_name, func_name = _FACTORIES[account.provider]
    except KeyError:
        raise ReftrackError(
            f"Account {account.address} uses unknown provider {account.provider!r}; remove it and link it again."
        ) from None
    factory = getattr(importlib.import_module(module_name), func_name)
    connector: Connector = factory(session_factory, account=account, config=config)
    return connector
