"""Fixtures for the add-in backend tests (helpers and the world they build: ``addin_fixtures``)."""

from __future__ import annotations

from addin_fixtures import app, client, keys, mint, sqlite_store, world, world_template

__all__ = ["app", "client", "keys", "mint", "sqlite_store", "world", "world_template"]
