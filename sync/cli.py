"""The ``reftrack`` command: imports every command module in ``sync/commands`` and runs the app.

Errors a person can meet (``ReftrackError`` and the connector error tree) are printed as one line
and exit 1; usage errors exit 2 (Click); Ctrl-C exits 130. ``--verbose`` logs the traceback.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

import sync.commands
from connectors.errors import ConnectorError
from sync.cli_app import app, err_console
from sync.errors import ReftrackError

log = logging.getLogger("reftrack")


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(sync.commands.__path__), key=lambda i: i.name):
        importlib.import_module(f"sync.commands.{info.name}")


_load_commands()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; Click itself exits 0/2 (and 1 via ``typer.Exit``), our errors exit 1 here."""
    try:
        app(args=argv, prog_name="reftrack")
    except (ReftrackError, ConnectorError) as exc:
        log.debug("failed", exc_info=True)
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        err_console.print("interrupted; nothing half-saved: run the command again to continue.")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
