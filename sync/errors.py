"""Errors a person can meet, each ending in one sentence that says what to do.

``ReftrackError`` is caught by the CLI entry point and printed as ``error: <message>`` with exit
code 1 — never a traceback (``--verbose`` adds the traceback to the log).
"""

from __future__ import annotations


class ReftrackError(Exception):
    """An error with a message fit to show a person as it is."""


class ConfigError(ReftrackError):
    """The configuration (environment or TOML file) has a bad value."""


class StoreError(ReftrackError):
    """The database cannot be reached or upgraded."""
