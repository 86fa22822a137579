"""The CLI: --help everywhere, exit codes 0/1/2, one-line errors, `db upgrade` idempotent."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
import typer

from sync.cli import app, main


def _all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd: click.Command, prefix: list[str]) -> None:
        paths.append(prefix)
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", _all_command_paths(), ids=lambda p: " ".join(p) or "reftrack")
def test_cli_help_on_every_command(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*path, "--help"])
    assert info.value.code == 0
    assert "Usage:" in capsys.readouterr().out


def test_cli_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("accounts", "auth", "db", "config"):
        assert name in out


def test_cli_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


def run_cli(args: list[str]) -> int:
    """Exit code of ``reftrack ARGS`` run in-process (Click exits, our errors return)."""
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_cli_bad_config_is_one_line_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REFTRACK_DIGEST__HOUR", "99")
    code = run_cli(["accounts"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: Config key 'digest.hour'") and err.count("\n") == 1


def test_cli_db_upgrade_twice_changes_nothing() -> None:
    first = subprocess.run(
        [sys.executable, "-m", "sync.cli", "db", "upgrade"], capture_output=True, text=True
    )
    second = subprocess.run(
        [sys.executable, "-m", "sync.cli", "db", "upgrade"], capture_output=True, text=True
    )
    assert first.returncode == 0 and "upgraded empty" in first.stdout
    assert second.returncode == 0 and "nothing to do" in second.stdout
