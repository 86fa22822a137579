"""Who is calling: verification of Entra ID access tokens and Google add-on ID tokens (PyJWT).

Every request to the add-in backend carries a token; a request whose token fails any check below is
answered 401 and touches nothing. The signing keys come from a ``SigningKeys`` source so that the
production JWKS endpoints (Microsoft's per-tenant keys, Google's certs) can be replaced in tests by
locally generated RSA keys; the clock is passed in, never read from the system inside a check.

Entra ID (Outlook task pane), ``EntraVerifier.verify``:
- header ``alg`` in the allowlist (RS256 only: ``none`` and HMAC algorithms are refused before any
  key is looked up), ``kid`` known to the tenant's JWKS, signature valid;
- ``tid`` well formed and, when ``serve.tenant_allowlist`` is set, in it;
- ``iss`` == ``https://login.microsoftonline.com/{tid}/v2.0`` for the token's own ``tid``;
- ``aud`` == our API (``entra_client_id`` or ``api://{entra_client_id}``): a Microsoft Graph token
  is not ours;
- ``scp`` contains ``serve.entra_scope``; ``exp``/``nbf`` against the injected clock (60 s leeway);
- the user key is ``entra:{tid}:{oid}``.

Google (Gmail add-on, HTTP runtime), ``GoogleVerifier``:
- the system ID token (``Authorization: Bearer``) is signed by Google, ``iss`` is Google,
  ``aud`` == the endpoint URL that was called, ``email`` == ``serve.google_addon_service_account``
  and ``email_verified`` is true: only our add-on deployment can call us;
- the user ID token (``authorizationEventObject.userIdToken``) is signed by Google with
  ``aud`` == ``serve.google_addon_client_id``; the user key is ``google:{sub}``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import jwt

ALLOWED_ALGORITHMS: tuple[str, ...] = ("RS256",)
LEEWAY_SECONDS = 60
MICROSOFT_LOGIN = "https://login.microsoftonline.com"
GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v3/certs"
GOOGLE_ISSUERS = frozenset({"https://accounts.google.com", "accounts.google.com"})
_TENANT_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class AuthError(Exception):
    """The token was missing or failed a check; the message says which (safe to show)."""


@dataclass(frozen=True, slots=True)
class Identity:
    """A verified caller."""

    user_key: str  # "entra:<tid>:<oid>" | "google:<sub>"
    identity_provider: str  # "entra" | "google"
    email: str = ""


class SigningKeys(Protocol):
    """Resolves the public key that should have signed ``token`` (by its ``kid``)."""

    def key_for(self, token: str, *, tenant: str | None = None) -> Any: ...


@dataclass
class JwksKeys:
    """Keys fetched from a JWKS URL (cached by PyJWT); ``{tenant}`` in the URL is filled per token."""

    url_template: str
    _clients: dict[str, jwt.PyJWKClient] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def key_for(self, token: str, *, tenant: str | None = None) -> Any:
        url = self.url_template.format(tenant=tenant or "common")
        with self._lock:
            client = self._clients.get(url)
            if client is None:
                client = jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=10)
                self._clients[url] = client
        try:
            return client.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            raise AuthError("The signing keys could not be fetched; try again shortly.") from exc
        except jwt.PyJWKClientError as exc:
            raise AuthError("The token is signed with an unknown key.") from exc


def entra_jwks() -> JwksKeys:
    return JwksKeys(MICROSOFT_LOGIN + "/{tenant}/discovery/v2.0/keys")


def google_certs() -> JwksKeys:
    return JwksKeys(GOOGLE_CERTS_URL)


@dataclass(frozen=True, slots=True)
class StaticKeys:
    """A fixed ``kid`` → public key map (local keys; also useful for an offline key set)."""

    keys: Mapping[str, Any]

    def key_for(self, token: str, *, tenant: str | None = None) -> Any:
        kid = _header(token).get("kid")
        if not isinstance(kid, str) or kid not in self.keys:
            raise AuthError("The token is signed with an unknown key.")
        return self.keys[kid]


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header."""
    if not authorization:
        raise AuthError("Missing Authorization header; send 'Authorization: Bearer <token>'.")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("The Authorization header must be 'Bearer <token>'.")
    return token.strip()


def _header(token: str) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise AuthError("The token is not a well-formed JWT.") from exc
    if header.get("alg") not in ALLOWED_ALGORITHMS:
        raise AuthError(f"Token algorithm {header.get('alg')!r} is not accepted.")
    return header


def _unverified_claims(token: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise AuthError("The token is not a well-formed JWT.") from exc
    if not isinstance(claims, dict):
        raise AuthError("The token is not a well-formed JWT.")
    return claims


def _decode(
    token: str,
    key: Any,
    *,
    audience: Sequence[str],
    issuer: str | Sequence[str],
    now: datetime,
) -> dict[str, Any]:
    """Signature, ``aud`` and ``iss`` by PyJWT; ``exp``/``nbf`` against the injected clock."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=list(ALLOWED_ALGORITHMS),
            audience=list(audience),
            issuer=issuer,
            options={
                "require": ["exp", "iss", "aud"],
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
            },
        )
    except jwt.InvalidAudienceError as exc:
        raise AuthError("The token was issued for another audience.") from exc
    except jwt.InvalidIssuerError as exc:
        raise AuthError("The token was issued by an unexpected issuer.") from exc
    except jwt.InvalidSignatureError as exc:
        raise AuthError("The token signature is invalid.") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise AuthError(f"The token lacks the {exc.claim!r} claim.") from exc
    except jwt.PyJWTError as exc:
        raise AuthError(f"The token is invalid ({exc}).") from exc
    stamp = now.timestamp()
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise AuthError("The token's 'exp' claim is not a number.")
    if stamp > exp + LEEWAY_SECONDS:
        raise AuthError("The token has expired; get a new one.")
    if nbf is not None:
        if not isinstance(nbf, int | float) or isinstance(nbf, bool):
            raise AuthError("The token's 'nbf' claim is not a number.")
        if stamp < nbf - LEEWAY_SECONDS:
            raise AuthError("The token is not valid yet.")
    return claims


@dataclass(frozen=True, slots=True)
class EntraVerifier:
    """Validates Entra ID v2 access tokens issued for our API (the Outlook add-in's NAA tokens)."""

    client_id: str
    scope: str
    keys: SigningKeys
    tenant_allowlist: frozenset[str] = frozenset()
    clock: Clock = system_clock

    @property
    def audiences(self) -> tuple[str, ...]:
        if self.client_id.startswith("api://"):
            return (self.client_id,)
        return (self.client_id, f"api://{self.client_id}")

    def verify(self, token: str) -> Identity:
        _header(token)
        tid = _unverified_claims(token).get("tid")
        if not isinstance(tid, str) or not _TENANT_RE.match(tid):
            raise AuthError("The token has no valid tenant id ('tid').")
        tid = tid.lower()
        if self.tenant_allowlist and tid not in self.tenant_allowlist:
            raise AuthError("This server does not accept users of your organization (tenant).")
        key = self.keys.key_for(token, tenant=tid)
        claims = _decode(
            token,
            key,
            audience=self.audiences,
            issuer=f"{MICROSOFT_LOGIN}/{tid}/v2.0",
            now=self.clock(),
        )
        scopes = str(claims.get("scp") or "").split()
        if self.scope not in scopes:
            raise AuthError(f"The token does not grant the '{self.scope}' scope.")
        oid = claims.get("oid")
        if not isinstance(oid, str) or not oid:
            raise AuthError("The token has no user object id ('oid').")
        email = claims.get("preferred_username") or claims.get("upn") or claims.get("email") or ""
        return Identity(f"entra:{tid}:{oid.lower()}", "entra", str(email))


@dataclass(frozen=True, slots=True)
class GoogleVerifier:
    """Validates the Google Workspace add-on's system ID token and the user's ID token."""

    service_account: str
    client_id: str
    keys: SigningKeys
    clock: Clock = system_clock

    def verify_system(self, token: str, *, audience: str) -> None:
        """The request comes from our add-on deployment (signed by Google for our endpoint)."""
        _header(token)
        key = self.keys.key_for(token)
        claims = _decode(
            token, key, audience=(audience,), issuer=list(GOOGLE_ISSUERS), now=self.clock()
        )
        if str(claims.get("email", "")).lower() != self.service_account.lower():
            raise AuthError("The request was not sent by this add-on's service account.")
        if claims.get("email_verified") is not True:
            raise AuthError("The add-on service account's email is not verified.")

    def verify_user(self, token: str) -> Identity:
        """The user the add-on runs for (only a verified user ID token names them)."""
        _header(token)
        key = self.keys.key_for(token)
        claims = _decode(
            token, key, audience=(self.client_id,), issuer=list(GOOGLE_ISSUERS), now=self.clock()
        )
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise AuthError("The user ID token has no subject ('sub').")
        email = claims.get("email") if claims.get("email_verified") is True else ""
        return Identity(f"google:{sub}", "google", str(email or ""))
