"""``reftrack db upgrade`` / ``reftrack db status``: run or inspect the schema migrations."""

from __future__ import annotations

from sync.cli_app import console, db_app
from sync.config import get_config
from sync.store import current_revision, head_revision, make_engine, upgrade


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the latest revision (a no-op when current)."""
    config = get_config()
    engine = make_engine(config.effective_database_url)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    url = engine.url.render_as_string(hide_password=True)
    if before == after:
        console.print(f"{url}: already at revision {after}; nothing to do.", highlight=False)
    else:
        console.print(f"{url}: upgraded {before or 'empty'} -> {after}.", highlight=False)


@db_app.command("status")
def db_status() -> None:
    """Show the database URL, its schema revision and the latest one."""
    config = get_config()
    engine = make_engine(config.effective_database_url)
    try:
        current, head = current_revision(engine), head_revision(engine)
    finally:
        engine.dispose()
    state = "current" if current == head else "needs `reftrack db upgrade`"
    console.print(
        f"{engine.url.render_as_string(hide_password=True)}: revision {current or 'none'} "
        f"(latest {head}): {state}",
        highlight=False,
    )
