"""Suggested texts for due follow-ups and thank-yous, rendered from Jinja2 templates in files.

``suggest(action, context)`` picks the template for the next action (and the nudge number or the
outcome) under ``core/templates/drafts`` and returns a ``Draft`` with a subject and a plain-text
body the person can copy and send.

Invariants:
- Templates live in files, never in code; the phrasing of what was asked is in
  ``drafts/_phrases.txt.j2`` so it is tuned in one place.
- Drafts are plain text (no autoescape): whoever shows them in HTML escapes them (the digest
  templates do). Values taken from mail (names, companies, subjects) are flattened to one line of
  printable text first, so a hostile name cannot add lines or control characters to a draft.
- Each nudge is shorter than the one before; every nudge names the ask and offers an easy out.
- Pure: the clock is passed in (``now``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from core.policy import NextAction

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
MAX_NUDGE_TEMPLATE = 3  # follow_up_3 is used for every nudge past the second


@lru_cache(maxsize=1)
def template_env() -> Environment:
    """The one Jinja2 environment for drafts and the digest (HTML templates autoescaped)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["nl2br"] = nl2br
    env.filters["oneline"] = one_line
    return env


def nl2br(value: str) -> Markup:
    """Escape text and keep its line breaks as ``<br>`` (drafts shown in HTML mail)."""
    return Markup("<br>\n").join(escape(line) for line in str(value).split("\n"))


_SPACE_RE = re.compile(r"\s+")


def one_line(value: str | None, *, limit: int = 200) -> str:
    """Printable, single-line text (control and format characters dropped), at most ``limit`` chars."""
    if not value:
        return ""
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(value))
    flat = _SPACE_RE.sub(" ", kept).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def first_name(name: str | None, address: str | None = None) -> str:
    """``"Dana Smith"`` → ``"Dana"``, ``"Smith, Dana"`` → ``"Dana"``; unknown → ``""``."""
    clean = one_line(name, limit=80).strip("\"' ")
    if not clean:
        return ""
    if "," in clean:
        clean = clean.split(",", 1)[1].strip() or clean.split(",", 1)[0].strip()
    part = clean.split(" ")[0].strip(".,;:\"'")
    return "" if "@" in part else part[:40]


def how_long_ago(then: datetime, now: datetime) -> str:
    """A friendly duration: "earlier today", "yesterday", "3 days ago", "last week", "2 weeks ago"."""
    days = (now - then).days
    if days <= 0:
        return "earlier today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    if days < 14:
        return "last week"
    if days < 60:
        return f"{days // 7} weeks ago"
    months = days // 30
    return "a few months ago" if months < 12 else "a while ago"


def reply_subject(subject: str | None) -> str:
    clean = one_line(subject, limit=200)
    if not clean:
        return "Following up"
    return clean if clean.lower().startswith("re:") else f"Re: {clean}"


@dataclass(frozen=True, slots=True)
class DraftContext:
    """What a draft may mention; values from mail are cleaned by ``suggest``."""

    contact_name: str  # display name of the person asked ("" when unknown)
    contact_address: str
    my_name: str  # the mailbox owner's display name
    kind: str  # AskKind
    subject: str
    asked_at: datetime
    now: datetime
    company: str | None = None
    role: str | None = None
    nudge_number: int = 1  # which follow-up this would be (1 = first)
    outcome: str | None = None  # the outcome a thank-you is for


@dataclass(frozen=True, slots=True)
class Draft:
    action: NextAction
    template: str
    subject: str
    body: str


def template_for(
    action: NextAction, *, nudge_number: int = 1, outcome: str | None = None
) -> str | None:
    """The template file for an action, or None when the action has no suggested text."""
    if action is NextAction.FOLLOW_UP:
        return f"drafts/follow_up_{max(1, min(nudge_number, MAX_NUDGE_TEMPLATE))}.txt.j2"
    if action is NextAction.THANK_YOU:
        fitting = outcome if outcome in ("agreed", "done", "declined") else "agreed"
        return f"drafts/thank_you_{fitting}.txt.j2"
    if action is NextAction.CHECK_IN:
        return "drafts/check_in.txt.j2"
    if action is NextAction.REPORT_BACK:
        return "drafts/report_back.txt.j2"
    if action is NextAction.REPLY and outcome == "needs_info":
        return "drafts/reply_needs_info.txt.j2"
    return None


def suggest(action: NextAction, context: DraftContext) -> Draft | None:
    """The suggested message for ``action``, or None when there is nothing to suggest."""
    name = template_for(action, nudge_number=context.nudge_number, outcome=context.outcome)
    if name is None:
        return None
    my = one_line(context.my_name, limit=80)
    values = {
        "first_name": first_name(context.contact_name, context.contact_address),
        "my_name": my,
        "my_first_name": first_name(my) or my,
        "kind": context.kind,
        "company": one_line(context.company, limit=80),
        "role": one_line(context.role, limit=80),
        "subject": one_line(context.subject, limit=120),
        "ago": how_long_ago(context.asked_at, context.now),
        "nudge_number": context.nudge_number,
        "outcome": context.outcome or "",
    }
    body = template_env().get_template(name).render(**values).strip() + "\n"
    body = re.sub(r"\n{3,}", "\n\n", body)
    return Draft(action=action, template=name, subject=reply_subject(context.subject), body=body)
