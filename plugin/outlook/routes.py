"""Serves the Outlook task pane (``/outlook/...``): the page, its script, runtime config, icons.

The runtime config tells the page which Entra app and scope to ask MSAL for; icons are drawn at
request time (plain PNG, one colour with a white "r" bar) so the package ships no binary files.
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import FileResponse, Response

from plugin.app import ApiError, PluginContext, get_context
from plugin.outlook import STATIC_DIR

router = APIRouter(prefix="/outlook", tags=["outlook task pane"], include_in_schema=False)
_FILES = {
    "taskpane.html": "text/html; charset=utf-8",
    "taskpane.js": "text/javascript; charset=utf-8",
    "taskpane.css": "text/css; charset=utf-8",
}
_ICON_SIZES = (16, 32, 64, 80, 128)
#: The page runs only our script and the two libraries it names; it talks to our API and, for
#: MSAL's popup fallback, to Microsoft's sign-in service; nothing is ever inlined.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' https://appsforoffice.microsoft.com https://unpkg.com",
        "connect-src 'self' https://login.microsoftonline.com",
        "img-src 'self' data:",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ]
)


@router.get("/config.json")
def taskpane_config(ctx: Annotated[PluginContext, Depends(get_context)]) -> dict[str, Any]:
    serve = ctx.config.serve
    client_id = serve.entra_client_id or ""
    app_uri = client_id if client_id.startswith("api://") else f"api://{client_id}"
    return {
        "clientId": client_id,
        "scopes": [f"{app_uri}/{serve.entra_scope}"] if client_id else [],
        "apiBase": "/api",
    }


@router.get("/{name}")
def static_file(name: Annotated[str, Path(max_length=40)]) -> FileResponse:
    if name not in _FILES:
        raise ApiError(404, "not_found", f"No file {name!r} here; open /outlook/taskpane.html.")
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if name.endswith(".html"):
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return FileResponse(STATIC_DIR / name, media_type=_FILES[name], headers=headers)


@router.get("/assets/icon-{size}.png")
def icon(size: int) -> Response:
    if size not in _ICON_SIZES:
        raise ApiError(404, "not_found", f"No {size}px icon; sizes are {_ICON_SIZES}.")
    return Response(_icon_png(size), media_type="image/png")


@lru_cache(maxsize=len(_ICON_SIZES))
def _icon_png(size: int) -> bytes:
    """A square PNG (8-bit RGB): teal background with a white vertical bar."""
    teal, white = b"\x0f\x76\x6e", b"\xff\xff\xff"
    lo, hi = size * 3 // 8, size * 5 // 8
    rows = []
    for y in range(size):
        inside_y = size // 5 <= y < size - size // 5
        row = b"".join(white if inside_y and lo <= x < hi else teal for x in range(size))
        rows.append(b"\x00" + row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
