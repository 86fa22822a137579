"""``reftrack serve`` (the add-in backend under uvicorn) and ``reftrack addin manifest|deployment``.

``serve`` checks that the port is free before starting, so a busy port ends with one sentence
(not a traceback). ``addin manifest`` prints the Outlook add-in manifest XML and ``addin
deployment`` the Google Workspace add-on HTTP deployment JSON, both for a given public base URL.

The ``plugin`` package is imported inside the commands: nothing at import time depends on it.
"""

from __future__ import annotations

import errno
import importlib
import json
import socket
from pathlib import Path
from typing import Annotated, Any

import typer

from sync.cli_app import app, console, emit, fail
from sync.config import get_config
from sync.errors import ReftrackError

addin_app = typer.Typer(
    help="Outlook add-in manifest and Gmail add-on deployment.", no_args_is_help=True
)
app.add_typer(addin_app, name="addin")


def _plugin(module: str) -> Any:
    # imported by name: the import-linter contract forbids sync importing plugin statically
    return importlib.import_module(f"plugin.{module}")


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


@app.command("serve")
def serve_command(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (serve.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (serve.port).")] = None,
) -> None:
    """Run the add-in backend (Outlook task pane API, Gmail add-on cards, account linking)."""
    import uvicorn

    config = get_config()
    bind_host = host or config.serve.host
    bind_port = config.serve.port if port is None else port
    try:
        free = port_is_free(bind_host, bind_port)
    except OSError as exc:
        fail(f"Cannot listen on {bind_host}:{bind_port} ({exc.strerror}); check --host.")
    if not free:
        fail(
            f"Port {bind_port} on {bind_host} is already in use; stop the other server or pass --port."
        )
    application = _plugin("app").create_app(config)
    console.print(
        f"reftrack add-in backend on http://{bind_host}:{bind_port} (public URL {config.serve.base_url})",
        markup=False,
        highlight=False,
    )
    uvicorn.run(
        application, host=bind_host, port=bind_port, log_level="warning", proxy_headers=True
    )


@addin_app.command("manifest")
def manifest_command(
    base_url: Annotated[
        str, typer.Option("--base-url", help="Public https URL of `reftrack serve`.")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print the Outlook add-in manifest (XML) for a server at BASE_URL."""
    config = get_config()
    try:
        xml = _plugin("outlook").render_manifest(base_url, client_id=config.serve.entra_client_id)
    except ReftrackError as exc:
        fail(str(exc))
    _emit(xml, output)


@addin_app.command("deployment")
def deployment_command(
    base_url: Annotated[
        str, typer.Option("--base-url", help="Public https URL of `reftrack serve`.")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print the Google Workspace add-on HTTP deployment descriptor (JSON) for BASE_URL."""
    try:
        base = _plugin("outlook").check_base_url(base_url)
    except ReftrackError as exc:
        fail(str(exc))
    descriptor = _plugin("gmail_addon").deployment_descriptor(base)
    _emit(json.dumps(descriptor, indent=2) + "\n", output)


def _emit(text: str, output: Path | None) -> None:
    if emit(text, output):
        console.print(f"Wrote {output}", markup=False, highlight=False)
