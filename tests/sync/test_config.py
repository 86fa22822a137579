"""Config: defaults, env over file, and one clear sentence for every bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.config import load_config
from sync.errors import ConfigError


def test_config_defaults(tmp_path: Path) -> None:
    config = load_config()
    assert config.followup.first_nudge_days == 5
    assert config.followup.second_nudge_days == 10
    assert config.followup.max_nudges == 2
    assert config.digest.hour == 8
    assert config.sync_window_days == 365
    assert config.effective_database_url.startswith("sqlite:///")


def test_config_env_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text('time_zone = "Europe/Paris"\n[digest]\nhour = 6\n')
    assert load_config(path).digest.hour == 6
    monkeypatch.setenv("REFTRACK_DIGEST__HOUR", "9")
    config = load_config(path)
    assert (config.digest.hour, config.time_zone) == (9, "Europe/Paris")


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    [
        ("[digest]\nhour = 30\n", {}, "Config key 'digest.hour' is invalid"),
        ("", {"REFTRACK_DIGEST__HOUR": "noon"}, "REFTRACK_DIGEST__HOUR"),
        ('time_zone = "Mars/Base"\n', {}, "use an IANA name"),
        ("[digest]\nhuor = 7\n", {}, "Unknown key 'digest.huor'"),
        ("[digest\nhour = 7\n", {}, "is not valid TOML"),
        ('database_url = "mysql://x"\n', {}, "use a sqlite:/// or postgresql:// URL"),
    ],
)
def test_config_errors_are_one_clear_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str], expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message


def test_config_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
