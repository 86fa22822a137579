"""Regenerate the bundled demo mailboxes (connectors/emulators/data/demo_<provider>.json.gz).

Deterministic: running it twice writes identical bytes, so a diff after running it means the
generator changed. Prints one JSON line per provider with its counts.

    .venv/bin/python scripts/make_demo_mailbox.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from connectors.emulators.generator import (
    DEMO_OWNERS,
    DEMO_TODAY,
    build_demo_mailbox,
    demo_file_name,
)

DATA = Path(__file__).resolve().parents[1] / "connectors" / "emulators" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into")
    args = parser.parse_args()
    if not args.out.is_dir():
        parser.exit(1, f"Folder {args.out} does not exist; create it or pass another --out.\n")
    for provider in DEMO_OWNERS:
        mailbox = build_demo_mailbox(provider)
        path = args.out / demo_file_name(provider)
        mailbox.save(path)
        asks = [m for m in mailbox.sent if m.truth.is_ask]
        print(
            json.dumps(
                {
                    "provider": provider,
                    "file": str(path),
                    "bytes": path.stat().st_size,
                    "today": DEMO_TODAY.isoformat(),
                    "owner": mailbox.owner.email,
                    "messages": len(mailbox),
                    "sent": len(mailbox.sent),
                    "asks": len(asks),
                    "kinds": dict(Counter(m.truth.kind or "" for m in asks)),
                    "outcomes": dict(Counter(m.truth.outcome for m in mailbox if m.truth.outcome)),
                }
            )
        )


if __name__ == "__main__":
    main()
