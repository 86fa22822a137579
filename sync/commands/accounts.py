"""``reftrack accounts`` (list linked mailboxes and their state) and ``reftrack config``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from sync.accounts import credential_source, list_accounts
from sync.cli_app import app, console
from sync.config import get_config
from sync.store import open_store


@app.command("accounts")
def accounts_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List linked accounts: provider, address, status, where the credential key lives, last sync."""
    store = open_store(get_config())
    with store.session_scope() as session:
        rows: list[dict[str, Any]] = [
            {
                "id": a.id,
                "provider": a.provider,
                "address": a.address,
                "status": a.status,
                "reason": a.status_reason,
                "time_zone": a.time_zone,
                "key": credential_source(session, account_id=a.id) if a.id is not None else "",
                "last_sync_at": a.last_sync_at.isoformat() if a.last_sync_at else None,
            }
            for a in list_accounts(session)
        ]
    if as_json:
        console.print_json(json.dumps(rows))
        return
    if not rows:
        console.print("No accounts yet: run `reftrack auth gmail` or `reftrack auth outlook`.")
        return
    table = Table("id", "provider", "address", "status", "key stored in", "time zone", "last sync")
    for r in rows:
        status = r["status"] + (f" ({r['reason']})" if r["reason"] else "")
        table.add_row(
            str(r["id"]),
            r["provider"],
            r["address"],
            status,
            r["key"] or "-",
            r["time_zone"],
            r["last_sync_at"] or "never",
        )
    console.print(table)


@app.command("config")
def config_command() -> None:
    """Print the effective configuration (after env vars and the TOML file) as JSON."""
    config = get_config()
    data = json.loads(config.model_dump_json())
    data["effective_database_url"] = config.effective_database_url
    console.print_json(json.dumps(data))
