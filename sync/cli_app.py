"""The Typer application objects every command module registers on, and shared CLI helpers.

Command modules live in ``sync/commands``; ``sync.cli`` imports them all, so a module only has to
``from sync.cli_app import app`` and decorate its functions. Exit codes: 0 ok, 1 failure, 2 usage.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from sync.config import set_config_path

app = typer.Typer(
    name="reftrack",
    help="Track the referral asks you send by email: replies, follow-ups, thank-yous, a daily digest.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
auth_app = typer.Typer(
    help="Authorize a mailbox once (Gmail or Microsoft 365).", no_args_is_help=True
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(auth_app, name="auth")
app.add_typer(db_app, name="db")

# Piped or under cron there is no terminal width: use a wide one so tables stay readable in logs.
_WIDTH = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160
console = Console(soft_wrap=True, width=_WIDTH)
err_console = Console(stderr=True, soft_wrap=True, width=_WIDTH)


def fail(message: str, *, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code`` (1 = failure)."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def emit(text: str, output: Path | None) -> bool:
    """Print ``text`` to stdout, or write it to ``output``; True when a file was written."""
    if output is None:
        typer.echo(text, nl=False)
        return False
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"Cannot write {output} ({exc.strerror}); choose another --output path.")
    return True


@app.callback()
def _global_options(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what happens (to stderr).")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="TOML config file (default: $REFTRACK_CONFIG or the user config dir)."
        ),
    ] = None,
) -> None:
    """Global options apply to every command."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    if not verbose:
        for noisy in ("googleapiclient", "msal", "httpx", "urllib3", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    set_config_path(config)
