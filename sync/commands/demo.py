"""``reftrack demo``: run the whole loop on the bundled sample mailboxes (local emulators)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sync.cli_app import app, console


@app.command("demo")
def demo_command(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Keep the demo's database and HTML digests here (default: a temp dir).",
        ),
    ] = None,
) -> None:
    """Sync a sample Gmail and Microsoft 365 mailbox served by local emulators, print the digests, list the asks."""
    from sync.demo import run_demo

    def say(line: str) -> None:
        console.print(line, markup=False, highlight=False)

    result = run_demo(data_dir=data_dir, say=say)
    if any(not r.ok for r in result.results):
        raise typer.Exit(1)
