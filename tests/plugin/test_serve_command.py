"""`reftrack serve` (busy port = one sentence; it really serves) and `reftrack addin ...`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from sync.cli import main

ROOT = Path(__file__).resolve().parents[2]
OFFICE = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
BASE = "https://reftrack.example.com"


def _main(*args: str) -> int:
    """Run the CLI in-process; Typer ends with SystemExit even on success."""
    try:
        return main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)


def _find(root: ET.Element, path: str) -> ET.Element:
    found = root.find(path)
    assert found is not None, path
    return found


def _reftrack(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=dict(os.environ),
    )


def test_serve_command_busy_port_ends_with_one_sentence() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _reftrack("serve", "--port", str(port))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"error: Port {port} on 127.0.0.1 is already in use; stop the other server or pass --port."
    ]


def test_serve_command_serves_the_app() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(
                        f"serve did not start: {process.stderr.read() if process.stderr else ''}"
                    )
                time.sleep(0.1)
        assert response.status_code == 200
        assert "/api/asks/{ask_id}" in response.json()["paths"]
        unauthenticated = httpx.get(f"http://127.0.0.1:{port}/api/asks", timeout=5)
        assert unauthenticated.status_code == 503  # no Entra app configured: says which key to set
        assert "entra_client_id" in unauthenticated.json()["error"]["message"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_addin_manifest_points_every_url_at_the_base(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFTRACK_SERVE__ENTRA_CLIENT_ID", "11111111-2222-3333-4444-555555555555")
    assert _main("addin", "manifest", "--base-url", BASE + "/") == 0
    xml = capsys.readouterr().out
    root = ET.fromstring(xml)
    assert root.tag == f"{OFFICE}OfficeApp"
    assert _find(root, f"{OFFICE}Hosts/{OFFICE}Host").get("Name") == "Mailbox"
    source = _find(
        root, f"{OFFICE}FormSettings/{OFFICE}Form/{OFFICE}DesktopSettings/{OFFICE}SourceLocation"
    )
    assert source.get("DefaultValue") == BASE + "/outlook/taskpane.html"
    urls = [
        el.get("DefaultValue") or ""
        for el in root.iter()
        if (el.get("DefaultValue") or "").startswith("http")
    ]
    assert urls and all(u.startswith(BASE + "/outlook/") for u in urls)
    assert "api://reftrack.example.com/11111111-2222-3333-4444-555555555555" in xml
    addin_id = _find(root, f"{OFFICE}Id").text
    assert _main("addin", "manifest", "--base-url", BASE) == 0
    assert _find(ET.fromstring(capsys.readouterr().out), f"{OFFICE}Id").text == addin_id  # stable


def test_addin_manifest_icons_are_served(client: object) -> None:
    from fastapi.testclient import TestClient

    assert isinstance(client, TestClient)
    for size in (16, 32, 64, 80, 128):
        response = client.get(f"/outlook/assets/icon-{size}.png")
        assert response.status_code == 200 and response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert client.get("/outlook/assets/icon-17.png").status_code == 404


def test_addin_commands_refuse_a_plain_http_base_url() -> None:
    result = _reftrack("addin", "manifest", "--base-url", "http://example.com")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is not an https URL" in result.stderr


def test_addin_deployment_writes_the_descriptor(tmp_path: Path) -> None:
    out = tmp_path / "deployment.json"
    assert _main("addin", "deployment", "--base-url", BASE, "--output", str(out)) == 0
    descriptor = json.loads(out.read_text())
    assert (
        descriptor["addOns"]["common"]["homepageTrigger"]["runFunction"] == BASE + "/gmail/homepage"
    )


def test_addin_manifest_resource_ids_all_resolve(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main("addin", "manifest", "--base-url", BASE) == 0
    root = ET.fromstring(capsys.readouterr().out)
    defined = {
        el.get("id")
        for el in root.iter()
        if el.tag.rsplit("}", 1)[-1] in ("Image", "Url", "String")
    }
    used = {el.get("resid") for el in root.iter() if el.get("resid")}
    assert used and used <= defined, used - defined
    overrides = [el for el in root.iter() if el.tag.endswith("}VersionOverrides")]
    assert [el.get("{http://www.w3.org/2001/XMLSchema-instance}type") for el in overrides] == [
        "VersionOverridesV1_0",
        "VersionOverridesV1_1",
    ]
    points = [
        el.get("{http://www.w3.org/2001/XMLSchema-instance}type")
        for el in root.iter()
        if el.tag.endswith("}ExtensionPoint")
    ]
    assert points == ["MessageReadCommandSurface"]
    assert "WebApplicationInfo" not in ET.tostring(
        root, encoding="unicode"
    )  # no client id configured
