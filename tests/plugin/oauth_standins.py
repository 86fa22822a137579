"""Local stand-ins (HTTP on 127.0.0.1) for the OAuth endpoints the linking callbacks talk to:
Google's token endpoint, a Microsoft identity authority (OIDC discovery + token endpoint) and
Microsoft Graph's ``/me`` and Gmail's ``users/me/profile``. They check what the real ones check for the authorization-code grant:
the code was issued for this redirect URI, PKCE (S256) verifier matches, codes are single use.

The authorize step is a method (``authorize(query)``) rather than a page: the test reads the
redirect our server sent and "consents" by calling it, which returns the code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def _b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned_jwt(claims: dict[str, Any]) -> str:
    return ".".join([_b64url({"alg": "none", "typ": "JWT"}), _b64url(claims), ""])


@dataclass
class Grant:
    redirect_uri: str
    challenge: str
    scope: str
    nonce: str | None


@dataclass
class OAuthStandIn:
    google_email: str = "alice@contoso.example"
    ms_email: str = "alice@contoso.example"
    tenant: str = "tenant-x"
    port: int = 0
    codes: dict[str, Grant] = field(default_factory=dict)
    access_tokens: set[str] = field(default_factory=set)
    token_requests: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def authorize(self, auth_url: str) -> dict[str, str]:
        """The person consents: returns the callback query (code + state) for ``auth_url``."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}
        assert query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        code = "code-" + secrets.token_urlsafe(8)
        self.codes[code] = Grant(
            query["redirect_uri"],
            query["code_challenge"],
            query.get("scope", ""),
            query.get("nonce"),
        )
        return {"code": code, "state": query["state"]}

    def token(self, form: dict[str, str], *, microsoft: bool) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        verifier = form.get("code_verifier", "")
        digest = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if digest != grant.challenge or form.get("redirect_uri") != grant.redirect_uri:
            return 400, {
                "error": "invalid_grant",
                "error_description": "PKCE or redirect_uri mismatch",
            }
        access = "at-" + secrets.token_urlsafe(12)
        self.access_tokens.add(access)
        now = int(time.time())
        if not microsoft:
            claims = {
                "iss": "https://accounts.google.com",
                "aud": form.get("client_id"),
                "sub": "g-123",
                "email": self.google_email,
                "email_verified": True,
                "iat": now,
                "exp": now + 3600,
            }
            return 200, {
                "access_token": access,
                "refresh_token": "rt-google",
                "expires_in": 3600,
                "token_type": "Bearer",
                "scope": grant.scope,
                "id_token": unsigned_jwt(claims),
            }
        uid, utid = "00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000b2"
        claims = {
            "iss": f"https://127.0.0.1:{self.port}/{utid}/v2.0",
            "aud": form.get("client_id"),
            "sub": "ms-sub",
            "oid": uid,
            "tid": utid,
            "iat": now,
            "exp": now + 3600,
            "nonce": grant.nonce,
            "preferred_username": self.ms_email,
            "name": "Alice",
        }
        return 200, {
            "token_type": "Bearer",
            "scope": grant.scope,
            "expires_in": 3600,
            "ext_expires_in": 3600,
            "access_token": access,
            "refresh_token": "rt-ms",
            "id_token": unsigned_jwt(claims),
            "client_info": _b64url({"uid": uid, "utid": utid}),
        }

    def openid_configuration(self, tenant: str) -> dict[str, Any]:
        base = f"https://127.0.0.1:{self.port}/{tenant}"
        return {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
        }


def _handler(standin: OAuthStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            segs = [s for s in path.split("/") if s]
            if segs[-2:] == [".well-known", "openid-configuration"]:
                return self._send(200, standin.openid_configuration(segs[0]))
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if path.startswith(("/v1.0/me", "/gmail/")) and token not in standin.access_tokens:
                return self._send(401, {"error": {"code": "InvalidAuthenticationToken"}})
            if path == "/gmail/v1/users/me/profile":
                return self._send(200, {"emailAddress": standin.google_email, "historyId": "1"})
            if path == "/v1.0/me":
                return self._send(200, {"mail": standin.ms_email, "displayName": "Alice Martin"})
            if path == "/v1.0/me/mailboxSettings":
                return self._send(200, {"timeZone": "Europe/Paris"})
            return self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            path = urlsplit(self.path).path
            if path == "/google/token":
                return self._send(*standin.token(form, microsoft=False))
            if path.endswith("/oauth2/v2.0/token"):
                return self._send(*standin.token(form, microsoft=True))
            return self._send(404, {"error": "not_found"})

    return Handler


@contextmanager
def running_standin(**kwargs: Any) -> Iterator[OAuthStandIn]:
    standin = OAuthStandIn(**kwargs)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
    standin.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
