"""The Outlook add-in: the task pane (static HTML + plain JS, no build step) and its manifest.

``render_manifest(base_url, ...)`` writes the add-in only (XML) manifest whose every URL points
under ``base_url``; ``routes`` serves the task pane, its runtime config and icons. The add-in id is
derived from the base URL (UUID5) so regenerating the manifest for the same server keeps the id.

Invariant: the page is served from the same origin as the API it calls; it holds no secret (it
gets an Entra ID token from MSAL's nested app authentication and sends it as a bearer token).
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sync.errors import ReftrackError

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
_ADDIN_NAMESPACE = uuid.UUID("6f0c3a52-9d7e-4d1b-9c1e-2f4a8e5b7d31")


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["xml", "j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def check_base_url(base_url: str) -> str:
    """The base URL without a trailing slash; an add-in must be served over https."""
    base = base_url.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ReftrackError(
            f"Base URL {base_url!r} is not an https URL; give the public https address of "
            "`reftrack serve`, e.g. https://reftrack.example.com."
        )
    return base


def api_resource(base_url: str, client_id: str) -> str:
    """The Application ID URI form Office SSO expects: ``api://<host>/<client id>``."""
    return f"api://{urlsplit(base_url).netloc}/{client_id}"


def render_manifest(
    base_url: str,
    *,
    client_id: str | None = None,
    name: str = "reftrack",
    version: str = "1.0.0.0",
) -> str:
    """The Outlook add-in manifest XML for a server at ``base_url``."""
    base = check_base_url(base_url)
    return (
        _env()
        .get_template("manifest.xml.j2")
        .render(
            base=base,
            addin_id=str(uuid.uuid5(_ADDIN_NAMESPACE, base)),
            version=version,
            provider="reftrack",
            name=name,
            client_id=client_id or "",
            resource=api_resource(base, client_id) if client_id else "",
        )
    )
