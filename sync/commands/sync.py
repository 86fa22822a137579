"""``reftrack sync``: the periodic job (cron / systemd timer). Exit 0 when every account synced."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sync.cli_app import app, console
from sync.config import get_config
from sync.run import sync_all
from sync.store import open_store


def _parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use an ISO date-time such as 2026-11-18T09:00:00+00:00") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command("sync")
def sync_command(
    account: Annotated[
        str | None,
        typer.Option(
            "--account", "-a", help="Only this account (id, address or provider:address)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable summary.")
    ] = False,
    no_digest: Annotated[
        bool, typer.Option("--no-digest", help="Do not send the daily digest even when due.")
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now", help="Pretend it is this time (ISO 8601); for replays and tests.", hidden=True
        ),
    ] = None,
) -> None:
    """Sync every active account (or --account), update the asks, and send each digest when due."""
    config = get_config()
    store = open_store(config)
    when = _parse_now(now)
    interactive = sys.stdout.isatty() and not as_json
    if interactive:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(label: str, count: int) -> None:
                if label not in tasks:
                    tasks[label] = int(bar.add_task(label, total=None))
                bar.update(tasks[label], description=f"{label}: {count} new message(s)")  # type: ignore[arg-type]

            results = sync_all(
                store,
                config,
                now=when,
                account_selector=account,
                send_digest=not no_digest,
                progress=progress,
            )
    else:
        results = sync_all(
            store, config, now=when, account_selector=account, send_digest=not no_digest
        )
    failed = [r for r in results if not r.ok]
    if as_json:
        console.print_json(
            json.dumps({"ok": not failed, "accounts": [r.to_json() for r in results]})
        )
    else:
        if not results:
            console.print(
                "No accounts to sync: run `reftrack auth gmail` or `reftrack auth outlook` first."
            )
        for r in results:
            console.print(r.line(), markup=False, highlight=False)
    if failed:
        raise typer.Exit(1)
