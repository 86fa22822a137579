"""Alembic migrations of the reftrack schema (run by ``sync.store.upgrade``)."""
