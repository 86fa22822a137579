"""The ASGI app of the add-in backend (FastAPI): wiring, the shared context, and JSON errors.

``create_app(config, ...)`` builds the app around one ``PluginContext`` (config, store, token
verifiers, clock, OAuth stand-ins) kept in ``app.state.ctx``; the signing keys, the clock and the
OAuth client factories are parameters so tests run the real code against local stand-ins.

Invariants:
- Every error is JSON ``{"error": {"code": ..., "message": ...}}`` with one sentence that says what
  to do; 401 for a token that fails verification, 404 for unknown or foreign ids, 422 for a bad
  body, 503 when the server is not configured for the caller's kind of client. No traceback leaks.
- Handlers are plain ``def`` (run in the thread pool): token key fetches and the database block.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from plugin.auth import (
    AuthError,
    Clock,
    EntraVerifier,
    GoogleVerifier,
    SigningKeys,
    entra_jwks,
    google_certs,
    system_clock,
)
from sync.asks import AskNotFound
from sync.config import Config
from sync.errors import ReftrackError
from sync.store import Store, open_store

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered as JSON with ``status``; ``message`` is shown to the person."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class ErrorDetail(BaseModel):
    code: str = Field(description="unauthorized, not_found, invalid_request, conflict, ...")
    message: str = Field(description="One sentence that says what to do.")


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses (all share ``ErrorBody``)."""
    meaning = {
        400: "The request cannot be carried out as asked",
        401: "The token is missing or failed verification",
        404: "Unknown id, or not in your linked mailboxes",
        409: "The ask service refused the change",
        422: "Invalid parameters or body",
        503: "The server is not configured for this kind of client",
    }
    return {code: {"model": ErrorBody, "description": meaning[code]} for code in statuses}


def not_found(what: str = "ask") -> ApiError:
    return ApiError(404, "not_found", f"No such {what} in your linked mailboxes.")


@dataclass
class PluginContext:
    config: Config
    store: Store
    clock: Clock
    entra: EntraVerifier | None
    google: GoogleVerifier | None
    # OAuth client factories for linking (replaced by local stand-ins in tests); see plugin.linking
    oauth: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def require_entra(self) -> EntraVerifier:
        if self.entra is None:
            raise ApiError(
                503,
                "not_configured",
                "The server has no Entra app configured; set serve.entra_client_id.",
            )
        return self.entra

    def require_google(self) -> GoogleVerifier:
        if self.google is None:
            raise ApiError(
                503,
                "not_configured",
                "The server has no Gmail add-on configured; set serve.google_addon_service_account "
                "and serve.google_addon_client_id.",
            )
        return self.google

    def endpoint_url(self, path: str) -> str:
        return self.config.serve.base_url.rstrip("/") + path


def get_context(request: Request) -> PluginContext:
    ctx: PluginContext = request.app.state.ctx
    return ctx


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def create_app(
    config: Config,
    *,
    store: Store | None = None,
    entra_keys: SigningKeys | None = None,
    google_keys: SigningKeys | None = None,
    clock: Clock = system_clock,
    oauth: dict[str, Callable[..., Any]] | None = None,
) -> FastAPI:
    """The add-in backend for ``config``; keys, clock and OAuth factories may be injected."""
    from plugin import api, gmail_addon, linking
    from plugin.outlook import routes as outlook_routes

    serve = config.serve
    entra = (
        EntraVerifier(
            client_id=serve.entra_client_id,
            scope=serve.entra_scope,
            keys=entra_keys or entra_jwks(),
            tenant_allowlist=frozenset(t.lower() for t in serve.tenant_allowlist),
            clock=clock,
        )
        if serve.entra_client_id
        else None
    )
    google = (
        GoogleVerifier(
            service_account=serve.google_addon_service_account,
            client_id=serve.google_addon_client_id,
            keys=google_keys or google_certs(),
            clock=clock,
        )
        if serve.google_addon_service_account and serve.google_addon_client_id
        else None
    )
    app = FastAPI(
        title="reftrack add-in backend",
        version="1",
        description="REST API of the reftrack Outlook task pane and Gmail add-on. Every request "
        "carries a verified token; every id is scoped to the caller's linked mailboxes.",
    )
    app.state.ctx = PluginContext(
        config=config,
        store=store or open_store(config),
        clock=clock,
        entra=entra,
        google=google,
        oauth=dict(oauth or {}),
    )

    @app.exception_handler(ApiError)
    def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(AuthError)
    def _auth_error(_request: Request, exc: AuthError) -> JSONResponse:
        return _error(401, "unauthorized", str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RequestValidationError)
    def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        msg = str(first.get("msg", "invalid request"))
        return _error(
            422, "invalid_request", f"Invalid value for '{where}': {msg}; fix the request."
        )

    @app.exception_handler(StarletteHTTPException)
    def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "http_error"
        return _error(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(ReftrackError)
    def _reftrack(_request: Request, exc: ReftrackError) -> JSONResponse:
        # the ask service refused (e.g. a thread with no sent message cannot be tracked)
        if isinstance(exc, AskNotFound):
            return _error(404, "not_found", "No such ask in your linked mailboxes.")
        return _error(409, "conflict", str(exc))

    app.include_router(api.router)
    app.include_router(gmail_addon.router)
    app.include_router(linking.router)
    app.include_router(outlook_routes.router)
    return app
