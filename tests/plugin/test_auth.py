"""Token verification: every forged, misdirected or stale token is a 401; genuine ones pass."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
import pytest
from addin_fixtures import (
    ADDON_CLIENT,
    ADDON_SA,
    BASE,
    CLIENT_ID,
    GRAPH_AUDIENCE,
    NOW,
    OID_A,
    TENANT_A,
    TENANT_B,
    TENANT_C,
    Keys,
    Minter,
    bearer,
    entra_claims,
    google_claims,
    sign,
)
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from plugin.auth import AuthError, EntraVerifier, GoogleVerifier, JwksKeys, StaticKeys


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_with_public_key(claims: dict[str, Any], keys: Keys) -> str:
    """The classic algorithm-confusion forgery: HMAC keyed with the RSA public key's PEM."""
    pem = keys.entra.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "entra-1"}).encode())
    body = _b64(json.dumps(claims).encode())
    mac = hmac.new(pem, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


ENTRA_FORGERIES: dict[str, Callable[[Keys], str]] = {
    "wrong_key": lambda k: sign(entra_claims(), k.rogue, "entra-1"),
    "unknown_kid": lambda k: sign(entra_claims(), k.entra, "not-a-key"),
    "wrong_audience": lambda k: sign(entra_claims(aud="api://someone-else"), k.entra, "entra-1"),
    "graph_audience": lambda k: sign(entra_claims(aud=GRAPH_AUDIENCE), k.entra, "entra-1"),
    "graph_url_audience": lambda k: sign(
        entra_claims(aud="https://graph.microsoft.com"), k.entra, "entra-1"
    ),
    "wrong_issuer": lambda k: sign(
        entra_claims(iss="https://login.example.net/evil/v2.0"), k.entra, "entra-1"
    ),
    "issuer_of_other_tenant": lambda k: sign(
        entra_claims(iss=f"https://login.microsoftonline.com/{TENANT_B}/v2.0"), k.entra, "entra-1"
    ),
    "v1_issuer": lambda k: sign(
        entra_claims(iss=f"https://sts.windows.net/{TENANT_A}/"), k.entra, "entra-1"
    ),
    "expired": lambda k: sign(
        entra_claims(exp=int((NOW - timedelta(hours=2)).timestamp())), k.entra, "entra-1"
    ),
    "not_yet_valid": lambda k: sign(
        entra_claims(nbf=int((NOW + timedelta(hours=1)).timestamp())), k.entra, "entra-1"
    ),
    "alg_none": lambda k: jwt.encode(entra_claims(), None, algorithm="none"),  # type: ignore[arg-type]
    "alg_hs256_confusion": lambda k: _hs256_with_public_key(entra_claims(), k),
    "another_tenant": lambda k: sign(entra_claims(tid=TENANT_C), k.entra, "entra-1"),
    "missing_scope": lambda k: sign(entra_claims(scp="Mail.Read User.Read"), k.entra, "entra-1"),
    "app_only_token": lambda k: sign(
        {key: v for key, v in entra_claims().items() if key != "scp"} | {"roles": ["x"]},
        k.entra,
        "entra-1",
    ),
    "no_oid": lambda k: sign(
        {key: v for key, v in entra_claims().items() if key != "oid"}, k.entra, "entra-1"
    ),
    "no_exp": lambda k: sign(
        {key: v for key, v in entra_claims().items() if key != "exp"}, k.entra, "entra-1"
    ),
    "garbage": lambda k: "not.a.jwt",
}


#: why each forgery must fail: the 401 has to be for the right reason, not by accident
WHY = {
    "alg_hs256_confusion": "algorithm",
    "alg_none": "algorithm",
    "another_tenant": "tenant",
    "app_only_token": "scope",
    "expired": "expired",
    "garbage": "well-formed",
    "graph_audience": "audience",
    "graph_url_audience": "audience",
    "issuer_of_other_tenant": "issuer",
    "missing_scope": "scope",
    "no_exp": "'exp'",
    "no_oid": "oid",
    "not_yet_valid": "not valid yet",
    "unknown_kid": "unknown key",
    "v1_issuer": "issuer",
    "wrong_audience": "audience",
    "wrong_issuer": "issuer",
    "wrong_key": "signature",
    "other_service_account": "service account",
    "system_alg_none": "algorithm",
    "system_email_unverified": "not verified",
    "system_expired": "expired",
    "system_for_other_endpoint": "audience",
    "system_for_other_host": "audience",
    "system_token_as_user_token": "audience",
    "system_wrong_issuer": "issuer",
    "system_wrong_key": "signature",
    "user_token_expired": "expired",
    "user_token_for_other_client": "audience",
    "user_token_missing": "user ID token",
    "user_token_wrong_key": "signature",
}


@pytest.mark.parametrize("case", sorted(ENTRA_FORGERIES))
def test_api_rejects_forged_entra_token_with_401(client: TestClient, keys: Keys, case: str) -> None:
    token = ENTRA_FORGERIES[case](keys)
    response = client.get("/api/me", headers=bearer(token))
    assert response.status_code == 401, (case, response.text)
    assert response.headers["www-authenticate"] == "Bearer"
    error = response.json()["error"]
    assert error["code"] == "unauthorized" and WHY[case] in error["message"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}],
    ids=["none", "basic", "empty"],
)
def test_api_rejects_missing_token_with_401(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/api/asks", headers=headers)
    assert response.status_code == 401


def test_api_accepts_genuine_entra_token(client: TestClient, mint: Minter) -> None:
    response = client.get("/api/me", headers=bearer(mint.entra()))
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["user_key"] == f"entra:{TENANT_A}:{OID_A}"
    assert [a["address"] for a in me["accounts"]] == ["alice@contoso.example"]


def test_api_accepts_app_id_uri_audience_and_second_allowed_tenant(
    client: TestClient, mint: Minter
) -> None:
    assert (
        client.get("/api/me", headers=bearer(mint.entra(aud=f"api://{CLIENT_ID}"))).status_code
        == 200
    )
    other = mint.entra(tid=TENANT_B, oid="0b0b0b0b-2222-2222-2222-222222222222")
    assert client.get("/api/me", headers=bearer(other)).status_code == 200


def test_entra_verifier_accepts_any_tenant_without_allowlist(keys: Keys) -> None:
    verifier = EntraVerifier(
        client_id=CLIENT_ID,
        scope="access_as_user",
        keys=StaticKeys({"entra-1": keys.entra.public_key()}),
        clock=lambda: NOW,
    )
    identity = verifier.verify(sign(entra_claims(tid=TENANT_C), keys.entra, "entra-1"))
    assert identity.user_key.startswith(f"entra:{TENANT_C}:")


def test_entra_verifier_uses_the_injected_clock(keys: Keys) -> None:
    token = sign(entra_claims(), keys.entra, "entra-1")
    later = EntraVerifier(
        client_id=CLIENT_ID,
        scope="access_as_user",
        keys=StaticKeys({"entra-1": keys.entra.public_key()}),
        clock=lambda: NOW + timedelta(hours=3),
    )
    with pytest.raises(AuthError, match="expired"):
        later.verify(token)


# ---- Google add-on ---------------------------------------------------------------------------

HOME = "/gmail/homepage"


def _event(user_token: str | None) -> dict[str, Any]:
    auth = {"userIdToken": user_token} if user_token else {}
    return {"commonEventObject": {"hostApp": "GMAIL"}, "authorizationEventObject": auth}


GOOGLE_FORGERIES: dict[str, Callable[[Keys, Minter], tuple[str, str | None]]] = {
    # a genuine Google-signed system token, but for another project's add-on service account
    "other_service_account": lambda k, m: (
        m.system(HOME, email="service-999@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"),
        m.user(),
    ),
    "system_email_unverified": lambda k, m: (m.system(HOME, email_verified=False), m.user()),
    "system_for_other_endpoint": lambda k, m: (m.system("/gmail/action"), m.user()),
    "system_for_other_host": lambda k, m: (
        sign(
            google_claims(aud="https://evil.test" + HOME, email=ADDON_SA, email_verified=True),
            k.google,
            "google-1",
        ),
        m.user(),
    ),
    "system_wrong_key": lambda k, m: (
        sign(
            google_claims(aud=BASE + HOME, email=ADDON_SA, email_verified=True), k.rogue, "google-1"
        ),
        m.user(),
    ),
    "system_expired": lambda k, m: (
        m.system(HOME, exp=int((NOW - timedelta(hours=2)).timestamp())),
        m.user(),
    ),
    "system_alg_none": lambda k, m: (
        jwt.encode(
            google_claims(aud=BASE + HOME, email=ADDON_SA, email_verified=True),
            None,  # type: ignore[arg-type]
            algorithm="none",
        ),
        m.user(),
    ),
    "system_wrong_issuer": lambda k, m: (m.system(HOME, iss="https://evil.example"), m.user()),
    "user_token_missing": lambda k, m: (m.system(HOME), None),
    "user_token_for_other_client": lambda k, m: (
        m.system(HOME),
        sign(
            google_claims(aud="other.apps.googleusercontent.com", sub="g-bob"), k.google, "google-1"
        ),
    ),
    "user_token_wrong_key": lambda k, m: (
        m.system(HOME),
        sign(google_claims(aud=ADDON_CLIENT, sub="g-bob"), k.rogue, "google-1"),
    ),
    "user_token_expired": lambda k, m: (
        m.system(HOME),
        m.user(exp=int((NOW - timedelta(hours=2)).timestamp())),
    ),
    # the system token replayed as the user token: wrong audience
    "system_token_as_user_token": lambda k, m: (m.system(HOME), m.system(HOME)),
}


@pytest.mark.parametrize("case", sorted(GOOGLE_FORGERIES))
def test_gmail_addon_rejects_forged_google_tokens_with_401(
    client: TestClient, keys: Keys, mint: Minter, case: str
) -> None:
    system, user = GOOGLE_FORGERIES[case](keys, mint)
    response = client.post(HOME, json=_event(user), headers=bearer(system))
    assert response.status_code == 401, (case, response.text)
    assert WHY[case] in response.json()["error"]["message"]


def test_gmail_addon_rejects_request_without_system_token(client: TestClient, mint: Minter) -> None:
    assert client.post(HOME, json=_event(mint.user())).status_code == 401


def test_gmail_addon_accepts_genuine_tokens(client: TestClient, mint: Minter) -> None:
    response = client.post(HOME, json=_event(mint.user()), headers=bearer(mint.system(HOME)))
    assert response.status_code == 200, response.text
    assert "navigations" in response.json()["action"]


def test_google_verifier_names_user_by_sub(keys: Keys, mint: Minter) -> None:
    verifier = GoogleVerifier(
        service_account=ADDON_SA,
        client_id=ADDON_CLIENT,
        keys=StaticKeys({"google-1": keys.google.public_key()}),
        clock=lambda: NOW,
    )
    identity = verifier.verify_user(mint.user(sub="g-42", email="x@example.com"))
    assert (identity.user_key, identity.email) == ("google:g-42", "x@example.com")
    unverified = verifier.verify_user(
        mint.user(sub="g-43", email="y@example.com", email_verified=False)
    )
    assert unverified.email == ""


# ---- the production key source (PyJWKClient) against a local JWKS endpoint --------------------


def _jwks_server(keys: Keys) -> Any:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(keys.entra.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "entra-1", "use": "sig", "alg": "RS256"}]}).encode()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server, seen


def test_jwks_keys_fetch_the_tenants_key_set(keys: Keys) -> None:
    server, seen = _jwks_server(keys)
    try:
        port = server.server_address[1]
        source = JwksKeys(f"http://127.0.0.1:{port}/{{tenant}}/discovery/v2.0/keys")
        verifier = EntraVerifier(
            client_id=CLIENT_ID, scope="access_as_user", keys=source, clock=lambda: NOW
        )
        assert verifier.verify(sign(entra_claims(), keys.entra, "entra-1")).user_key.endswith(OID_A)
        assert seen == [f"/{TENANT_A}/discovery/v2.0/keys"]
        with pytest.raises(AuthError, match="unknown key"):
            verifier.verify(sign(entra_claims(), keys.entra, "rotated-away"))
    finally:
        server.shutdown()
        server.server_close()
    unreachable = JwksKeys(f"http://127.0.0.1:{port}/{{tenant}}/keys")
    with pytest.raises(AuthError, match="could not be fetched"):
        unreachable.key_for(sign(entra_claims(), keys.entra, "entra-1"), tenant=TENANT_A)
