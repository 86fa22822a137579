"""Render a sample HTML digest and screenshot it with headless Chromium, so it can be looked at.

Usage: ``.venv/bin/python scripts/render_digest.py [--out DIR] [--html FILE] [--width 700]``

Without ``--html`` it builds a digest from built-in sample asks (every section filled, plus a hostile
reply carrying markup and script, which must show as text). Writes ``digest.html`` and
``digest.png`` to ``--out`` (default ``./digest-render``) and prints JSON with the paths and sizes.
Needs Debian's ``chromium`` (``apt-get install -y chromium``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.digest import AskView, ReplyView, build_digest, render_html  # noqa: E402
from core.policy import BusinessCalendar  # noqa: E402

NOW = datetime(2026, 3, 16, 13, 0, tzinfo=UTC)  # Monday, 09:00 in New York


def _ask(n: int, **kw: object) -> AskView:
    base: dict[str, object] = {
        "ask_id": n,
        "state": "awaiting_reply",
        "next_action": "follow_up",
        "next_action_due": NOW - timedelta(hours=2),
        "kind": "job_referral",
        "contact_name": "Dana Smith",
        "contact_address": "dana@corp.example",
        "subject": "Referral for the Staff Engineer role at Acme?",
        "asked_at": NOW - timedelta(days=8),
        "link": f"https://mail.google.com/mail/u/0/#all/18c{n:05x}",
        "company": "Acme",
        "role": "Staff Engineer",
    }
    base.update(kw)
    return AskView(**base)  # type: ignore[arg-type]


def sample_views() -> tuple[list[AskView], list[ReplyView]]:
    hostile = '<script>alert("x")</script><b onmouseover="steal()">Click</b> <a href="javascript:evil()">here</a>'
    asks = [
        _ask(1),
        _ask(
            2,
            contact_name="Priya Raman",
            contact_address="priya@globex.example",
            kind="introduction",
            company="Globex",
            role=None,
            subject="Intro to the Globex data team?",
            follow_up_count=1,
            asked_at=NOW - timedelta(days=20),
        ),
        _ask(
            3,
            state="agreed",
            next_action="thank_you",
            contact_name="Sam Lee",
            contact_address="sam@initech.example",
            company="Initech",
            role="Product Manager",
            subject="Would you refer me at Initech?",
            outcome="agreed",
            outcome_at=NOW - timedelta(hours=20),
            first_reply_at=NOW - timedelta(hours=20),
        ),
        _ask(
            4,
            state="needs_info",
            next_action="reply",
            contact_name=f"Mallory {hostile}",
            contact_address="mallory@evil.example",
            company="Umbrella",
            role=None,
            subject=f"Re: referral {hostile}",
            outcome="needs_info",
            outcome_at=NOW - timedelta(hours=5),
            first_reply_at=NOW - timedelta(hours=5),
            last_reply_text=f"Sure, can you send me your CV first? {hostile}",
        ),
        _ask(
            5,
            next_action="fix_address",
            contact_name="Old Colleague",
            contact_address="old@defunct.example",
            bounced_addresses=("old@defunct.example",),
            subject="Recommendation letter?",
            kind="recommendation",
            company=None,
            role=None,
        ),
        _ask(
            6,
            next_action_due=NOW + timedelta(days=4),
            contact_name="Jordan Kim",
            contact_address="jordan@hooli.example",
            company="Hooli",
            role="Designer",
            ooo_until=date(2026, 3, 18),
        ),
        _ask(
            7,
            state="agreed",
            next_action="check_in",
            next_action_due=NOW + timedelta(days=6),
            contact_name="Ana Costa",
            contact_address="ana@vandelay.example",
            company="Vandelay",
            outcome="agreed",
            first_reply_at=NOW - timedelta(days=3),
            asked_at=NOW - timedelta(days=6),
        ),
        _ask(
            8,
            next_action="wait",
            next_action_due=NOW + timedelta(days=9),
            follow_up_count=2,
            contact_name="Chris P",
            contact_address="chris@piedpiper.example",
            company="Pied Piper",
        ),
        _ask(
            9,
            state="done",
            next_action="report_back",
            next_action_due=NOW + timedelta(days=12),
            outcome="done",
            first_reply_at=NOW - timedelta(days=30),
            asked_at=NOW - timedelta(days=33),
            contact_name="Robin Ortiz",
            contact_address="robin@soylent.example",
            company="Soylent",
        ),
    ]
    replies = [
        ReplyView(
            3,
            NOW - timedelta(hours=20),
            "Sam Lee",
            "sam@initech.example",
            "Re: Would you refer me at Initech?",
            "agreed",
            "Happy to! Send me the job link and I'll put you in today.",
            asks[2].link,
        ),
        ReplyView(
            4,
            NOW - timedelta(hours=5),
            f"Mallory {hostile}",
            "mallory@evil.example",
            f"Re: referral {hostile}",
            "needs_info",
            f"Send your CV {hostile}",
            asks[3].link,
        ),
    ]
    return asks, replies


def render_sample() -> str:
    asks, replies = sample_views()
    digest = build_digest(
        asks,
        replies,
        now=NOW,
        calendar=BusinessCalendar("America/New_York"),
        account_address="alex@example.com",
        account_name="Alex Doe",
    )
    return render_html(digest)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html_file: Path, png: Path, *, width: int, height: int) -> None:
    browser = find_chromium()
    if browser is None:
        raise SystemExit(
            "chromium is not installed; run `apt-get update && apt-get install -y chromium`."
        )
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                html_file.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("digest-render"))
    parser.add_argument("--html", type=Path, help="screenshot this HTML file instead of the sample")
    parser.add_argument("--width", type=int, default=700)
    parser.add_argument("--height", type=int, default=2600)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    html_file = args.out / "digest.html"
    if args.html:
        html_file.write_text(args.html.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        html_file.write_text(render_sample(), encoding="utf-8")
    png = args.out / "digest.png"
    screenshot(html_file, png, width=args.width, height=args.height)
    print(
        json.dumps(
            {
                "html": str(html_file),
                "png": str(png),
                "html_bytes": html_file.stat().st_size,
                "png_bytes": png.stat().st_size,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
