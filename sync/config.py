"""Configuration: ``REFTRACK_*`` environment variables over a TOML file over documented defaults.

Where the values come from, strongest first:
1. environment variables ``REFTRACK_<KEY>``; nested keys use ``__`` (``REFTRACK_DIGEST__HOUR=7``),
2. the TOML file: ``--config FILE``, else ``$REFTRACK_CONFIG``, else ``<user config dir>/config.toml``,
3. the defaults below (see README "Configuration").

Invariants: the config is validated once at start; a bad value raises ``ConfigError`` whose message
names the key and says how to fix it. Unknown keys in the TOML file are errors (typos must not pass
silently); unknown ``REFTRACK_*`` variables are ignored (tests and tools use some of their own).
"""

from __future__ import annotations

import tomllib
import zoneinfo
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from sync.errors import ConfigError

APP_NAME = "reftrack"


def default_config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FollowupSettings(_Section):
    """When to nudge and when to thank; business days in the account's time zone."""

    first_nudge_days: int = Field(5, ge=1, le=90)
    second_nudge_days: int = Field(10, ge=1, le=90)
    max_nudges: int = Field(2, ge=0, le=10)
    ooo_grace_days: int = Field(2, ge=0, le=30)
    ooo_default_days: int = Field(5, ge=1, le=60)
    checkin_after_agreed_days: int = Field(7, ge=1, le=90)
    report_back_after_done_days: int = Field(10, ge=1, le=90)  # "tell them how it went"
    holiday_country: str | None = None  # e.g. "US", "GB", "DE" (the `holidays` package)
    holiday_subdivision: str | None = None  # e.g. "CA" for California with holiday_country "US"


class DigestSettings(_Section):
    hour: int = Field(8, ge=0, le=23)  # local hour (account time zone) from which the digest is due
    send_empty: bool = False  # send even when there is nothing to say
    create_drafts: bool = False  # opt-in: needs the extra drafts scope


class GmailSettings(_Section):
    client_secrets: Path | None = None  # OAuth client JSON from Google Cloud console
    api_endpoint: str | None = None  # override (the local emulator); None = Google's
    token_uri: str | None = None  # override of the OAuth token endpoint (the emulator)
    units_per_minute: int = Field(6000, ge=100)  # per-user quota the pacer stays under
    # Gmail's server-side search for the English words of an ask (core.classify
    # GMAIL_PREFILTER_TERMS). Asks written in other languages hold none of them: with False every
    # sent message is listed and read (about 25 times the quota of the first sync).
    prefilter: bool = True


class OutlookSettings(_Section):
    client_id: str | None = None  # Entra app registration (public client)
    tenant: str = "common"  # "common", "organizations", "consumers" or a tenant id
    authority: str | None = None  # full authority URL override (tests)
    graph_endpoint: str = "https://graph.microsoft.com/v1.0"


class ServeSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8765, ge=0, le=65535)
    base_url: str = "https://localhost:8765"
    entra_client_id: str | None = None  # our API's app id (audience of add-in tokens)
    entra_scope: str = "access_as_user"
    tenant_allowlist: list[str] = Field(default_factory=list)  # empty = any tenant
    google_addon_service_account: str | None = None  # email of the add-on's service account
    google_addon_client_id: str | None = None  # audience of the user ID token
    google_oauth_client_secrets: Path | None = None  # web client for linking Gmail accounts


class Config(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REFTRACK_", env_nested_delimiter="__", extra="ignore", validate_default=True
    )

    data_dir: Path = Field(default_factory=lambda: platformdirs.user_data_path(APP_NAME))
    database_url: str | None = None  # default: SQLite file in data_dir
    key_file: Path | None = None  # default: <data_dir>/credentials.key (used without a keyring)
    use_keyring: bool = True
    time_zone: str = "UTC"  # default time zone for accounts whose provider does not tell one
    sync_window_days: int = Field(365, ge=1, le=3650)
    followup: FollowupSettings = Field(default_factory=FollowupSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    gmail: GmailSettings = Field(default_factory=GmailSettings)
    outlook: OutlookSettings = Field(default_factory=OutlookSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name like Europe/Paris"
            ) from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError("use a sqlite:/// or postgresql:// URL")
        if value.startswith("postgres:") or value.startswith("postgresql:"):
            value = "postgresql+psycopg:" + value.split(":", 1)[1]
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'reftrack.db'}"

    @property
    def effective_key_file(self) -> Path:
        return self.key_file or self.data_dir / "credentials.key"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))


_toml_path: Path | None = None
_toml_data: dict[str, Any] = {}


class _TomlSource(PydanticBaseSettingsSource):
    """Feeds the already-parsed TOML file to pydantic-settings, below the environment."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return _toml_data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_toml_data)


def _check_keys(data: dict[str, Any], model: type[BaseModel], prefix: str, path: Path) -> None:
    for key, value in data.items():
        if key not in model.model_fields:
            known = ", ".join(sorted(model.model_fields))
            raise ConfigError(
                f"Unknown key '{prefix}{key}' in {path}; remove it or use one of: {known}."
            )
        annotation = model.model_fields[key].annotation
        if (
            isinstance(value, dict)
            and isinstance(annotation, type)
            and issubclass(annotation, BaseModel)
        ):
            _check_keys(value, annotation, f"{prefix}{key}.", path)


def _env_name(loc: tuple[int | str, ...]) -> str:
    return "REFTRACK_" + "__".join(str(p).upper() for p in loc)


def load_config(path: Path | None = None, **overrides: Any) -> Config:
    """Read and validate the configuration; raises ``ConfigError`` with one clear sentence."""
    global _toml_path, _toml_data
    import os

    explicit = path is not None or bool(os.environ.get("REFTRACK_CONFIG"))
    toml_path = path or Path(os.environ.get("REFTRACK_CONFIG") or default_config_path())
    data: dict[str, Any] = {}
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"Config file {toml_path} is not valid TOML ({exc}); fix its syntax."
            ) from exc
        except OSError as exc:
            raise ConfigError(
                f"Cannot read config file {toml_path} ({exc.strerror}); check its permissions."
            ) from exc
        _check_keys(data, Config, "", toml_path)
    elif explicit:
        raise ConfigError(
            f"Config file {toml_path} does not exist; create it or drop --config/REFTRACK_CONFIG."
        )
    _toml_path, _toml_data = toml_path, data
    try:
        return Config(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in loc)
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(
            f"Config key '{key}' is invalid ({msg}); fix {_env_name(loc)} or '{key}' in {toml_path}."
        ) from exc


_current: Config | None = None
_current_path: Path | None = None


def set_config_path(path: Path | None) -> None:
    """Choose the TOML file for ``get_config`` (the CLI's ``--config``); forgets a loaded config."""
    global _current, _current_path
    _current, _current_path = None, path


def get_config() -> Config:
    """The process-wide validated config (loaded on first use)."""
    global _current
    if _current is None:
        _current = load_config(_current_path)
    return _current


def reset_config() -> None:
    """Forget the loaded config (tests that change the environment call this)."""
    set_config_path(None)
