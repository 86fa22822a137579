"""Schemathesis over the OpenAPI schema, in-process (ASGI), with genuine tokens: no 5xx, ever,
and every answer conforms to the schema.

Bounded (a few dozen examples per operation, no deadline) so it stays well under 30 s. Requests
carry a valid Entra token for ``/api`` and valid Google system/user ID tokens for ``/gmail`` (the
user token is put into whatever event body was generated), so the fuzzing reaches the handlers
instead of stopping at the 401.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from addin_fixtures import Keys, Minter, World, make_app
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from sync.store import Store


@pytest.fixture
def fuzz_app(sqlite_store: Store, keys: Keys, world: World) -> FastAPI:
    return make_app(sqlite_store, keys)


#: no 5xx, and every answer is one the schema documents (status, content type, body schema)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _headers_for(case: Any, mint: Minter) -> dict[str, str]:
    if not case.path.startswith("/gmail"):
        return {"Authorization": f"Bearer {mint.entra()}"}
    if isinstance(case.body, dict):
        auth = case.body.get("authorizationEventObject")
        if not isinstance(auth, dict):
            auth = case.body["authorizationEventObject"] = {}
        auth["userIdToken"] = mint.user()
    return {"Authorization": f"Bearer {mint.system(case.path)}"}


def test_openapi_fuzz_finds_no_server_error(fuzz_app: FastAPI, mint: Minter) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    labels = {op.label for op in operations}
    assert {"PATCH /api/asks/{ask_id}", "POST /gmail/action", "GET /api/thread"} <= labels
    calls: dict[str, int] = {}
    statuses: dict[str, set[int]] = {}

    def fuzz(operation: Any) -> Any:
        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call(headers=_headers_for(case, mint))
            calls[operation.label] = calls.get(operation.label, 0) + 1
            statuses.setdefault(operation.label, set()).add(response.status_code)
            case.validate_response(response, checks=CHECKS)

        return run

    for operation in operations:
        fuzz(operation)()
    assert set(calls) == labels
    # the tokens got every operation past authentication into its handler
    assert all(codes - {401} for codes in statuses.values()), statuses
