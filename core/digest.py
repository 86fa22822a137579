"""What goes into the daily digest, and its rendering (HTML with inline CSS + plain text).

``build_digest`` is pure: it takes plain views of the account's asks and of the replies received
since the last digest, the clock and the account's business calendar, and sorts them into
sections — follow up today, say thank you, they asked you something, bounced, new replies since the
last digest, waiting (next dates) — plus a few numbers. ``render_html`` / ``render_text`` fill the
templates in ``core/templates/digest``.

Invariants:
- Everything that came from mail (names, addresses, subjects, reply text, company, role) is
  untrusted: the HTML template is autoescaped, drafts are escaped before their line breaks become
  ``<br>``, and links are only ever ``https://`` URLs built here (provider links that are not
  https are replaced by the canonical web link).
- Each section shows at most ``limit`` items (``waiting_limit`` for waiting) and says how many
  more there are, so a mailbox with thousands of asks still gets a short email.
- "Due today" means due on or before today's local date in the account's time zone.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from core.drafts import Draft, DraftContext, one_line, suggest, template_env
from core.models import AskState, Outcome
from core.policy import OPEN_STATES, BusinessCalendar, NextAction, is_due

GMAIL_THREAD_URL = "https://mail.google.com/mail/u/0/#all/{thread_key}"
OUTLOOK_DEEPLINK_URL = "https://outlook.office.com/mail/deeplink/read/{message_id}"

_DUE_SECTIONS = {
    NextAction.FOLLOW_UP: "follow_up",
    NextAction.CHECK_IN: "follow_up",
    NextAction.REPORT_BACK: "follow_up",
    NextAction.THANK_YOU: "thank_you",
    NextAction.REPLY: "asked_you",
    NextAction.FIX_ADDRESS: "bounced",
}
_KIND_LABELS = {
    "job_referral": "referral",
    "introduction": "introduction",
    "recommendation": "recommendation",
    "client_referral": "client referral",
}
_OUTCOME_LABELS = {
    Outcome.AGREED.value: "agreed",
    Outcome.DONE.value: "done it",
    Outcome.DECLINED.value: "declined",
    Outcome.NEEDS_INFO.value: "asked you something",
    Outcome.OTHER.value: "replied",
}


def thread_link(
    provider: str,
    thread_key: str,
    *,
    web_link: str | None = None,
    provider_message_id: str | None = None,
) -> str:
    """The https link that opens the thread in Gmail or Outlook on the web."""
    if provider == "gmail":
        return GMAIL_THREAD_URL.format(thread_key=quote(thread_key, safe=""))
    if web_link and web_link.startswith("https://"):
        return web_link
    return OUTLOOK_DEEPLINK_URL.format(message_id=quote(provider_message_id or thread_key, safe=""))


@dataclass(frozen=True, slots=True)
class AskView:
    """One tracked ask, as the digest sees it (built by sync from the DB)."""

    ask_id: int
    state: str
    next_action: str | None
    next_action_due: datetime | None
    kind: str
    contact_name: str
    contact_address: str
    subject: str
    asked_at: datetime
    link: str
    company: str | None = None
    role: str | None = None
    follow_up_count: int = 0
    outcome: str | None = None
    outcome_at: datetime | None = None
    first_reply_at: datetime | None = None
    bounced_addresses: tuple[str, ...] = ()
    ooo_until: date | None = None
    last_reply_text: str = ""  # their latest real reply (what they asked, for needs_info)


@dataclass(frozen=True, slots=True)
class ReplyView:
    """A real reply (not an auto-reply or bounce) received since the last digest."""

    ask_id: int
    at: datetime
    sender_name: str
    sender_address: str
    subject: str
    outcome: str | None
    snippet: str
    link: str


@dataclass(frozen=True, slots=True)
class DigestItem:
    ask: AskView
    who: str  # "Dana Smith <dana@corp.example>" or the address
    what: str  # "referral · Staff Engineer · Acme"
    label: str  # "Follow up (2nd nudge)", "Thank them: agreed", ...
    when: str  # "asked 9 days ago", "next: follow up Mon 16 Mar"
    draft: Draft | None = None
    quote: str = ""  # their words, when it helps (what they asked)


@dataclass(frozen=True, slots=True)
class Stats:
    total_asks: int
    open_asks: int
    replied: int
    response_rate: float | None  # replied / total (None when no asks)
    median_days_to_reply: float | None
    by_state: dict[str, int]

    @property
    def response_rate_text(self) -> str:
        return "–" if self.response_rate is None else f"{round(self.response_rate * 100)}%"

    @property
    def median_text(self) -> str:
        if self.median_days_to_reply is None:
            return "–"
        value = self.median_days_to_reply
        return f"{value:.1f} days" if value < 10 else f"{round(value)} days"


@dataclass(frozen=True, slots=True)
class Digest:
    account_address: str
    account_name: str
    today: date
    generated_at: datetime
    time_zone: str
    follow_up: tuple[DigestItem, ...]
    thank_you: tuple[DigestItem, ...]
    asked_you: tuple[DigestItem, ...]
    bounced: tuple[DigestItem, ...]
    new_replies: tuple[ReplyView, ...]
    waiting: tuple[DigestItem, ...]
    stats: Stats
    more: dict[str, int] = field(default_factory=dict)  # section → items not shown

    @property
    def is_empty(self) -> bool:
        """Nothing to do and nothing new (the waiting list and numbers alone are not news)."""
        return not (
            self.follow_up
            or self.thank_you
            or self.asked_you
            or self.bounced
            or self.new_replies
            or any(
                self.more.get(k)
                for k in ("follow_up", "thank_you", "asked_you", "bounced", "new_replies")
            )
        )

    def count(self, section: str) -> int:
        shown: tuple[object, ...] = getattr(self, section)
        return len(shown) + self.more.get(section, 0)

    @property
    def subject(self) -> str:
        parts = []
        for section, one, many in (
            ("follow_up", "follow-up", "follow-ups"),
            ("thank_you", "thank-you", "thank-yous"),
            ("asked_you", "reply owed", "replies owed"),
            ("bounced", "bounce", "bounces"),
            ("new_replies", "new reply", "new replies"),
        ):
            n = self.count(section)
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        summary = ", ".join(parts) if parts else "nothing due today"
        return f"reftrack: {summary} ({self.today.strftime('%a %-d %b')})"

    @property
    def preheader(self) -> str:
        return self.subject.removeprefix("reftrack: ")


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _who(ask: AskView) -> str:
    name = one_line(ask.contact_name, limit=80)
    address = one_line(ask.contact_address, limit=120)
    if name and address:
        return f"{name} <{address}>"
    return name or address or "(unknown)"


def _what(ask: AskView) -> str:
    parts = [_KIND_LABELS.get(ask.kind, ask.kind)]
    if ask.role:
        parts.append(one_line(ask.role, limit=80))
    if ask.company:
        parts.append(one_line(ask.company, limit=80))
    return " · ".join(parts)


def _day(moment: datetime | date, calendar: BusinessCalendar) -> str:
    day = moment if not isinstance(moment, datetime) else calendar.local_date(moment)
    return day.strftime("%a %-d %b")


def _ago(then: datetime, now: datetime) -> str:
    days = (now - then).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def _label(ask: AskView, action: NextAction) -> str:
    if action is NextAction.FOLLOW_UP:
        return f"Follow up ({_ordinal(ask.follow_up_count + 1)} nudge)"
    if action is NextAction.CHECK_IN:
        return "Check in: they agreed, nothing done yet"
    if action is NextAction.REPORT_BACK:
        return "Tell them how it went"
    if action is NextAction.THANK_YOU:
        return {
            "agreed": "They agreed: say thank you",
            "done": "They did it: say thank you",
            "declined": "They declined: thank them anyway",
        }.get(ask.outcome or "", "Say thank you")
    if action is NextAction.REPLY:
        if ask.outcome == "needs_info":
            return "Send them what they asked for"
        return "They replied: read and answer"
    if action is NextAction.FIX_ADDRESS:
        return "Address bounced: find a working one"
    if action is NextAction.WAIT:
        return "Waiting after the last nudge"
    return action.value


def _waiting_when(ask: AskView, action: NextAction, calendar: BusinessCalendar) -> str:
    assert ask.next_action_due is not None
    day = _day(ask.next_action_due, calendar)
    if action is NextAction.WAIT:
        return f"goes cold {day}"
    if action is NextAction.FOLLOW_UP:
        text = f"nudge {day}"
        if ask.ooo_until:
            text += f" (out of office until {_day(ask.ooo_until, calendar)})"
        return text
    if action is NextAction.CHECK_IN:
        return f"check in {day}"
    if action is NextAction.REPORT_BACK:
        return f"update them {day}"
    return f"{action.value.replace('_', ' ')} {day}"


def _draft_for(ask: AskView, action: NextAction, *, now: datetime, my_name: str) -> Draft | None:
    return suggest(
        action,
        DraftContext(
            contact_name=ask.contact_name,
            contact_address=ask.contact_address,
            my_name=my_name,
            kind=ask.kind,
            subject=ask.subject,
            asked_at=ask.asked_at,
            now=now,
            company=ask.company,
            role=ask.role,
            nudge_number=ask.follow_up_count + 1,
            outcome=ask.outcome,
        ),
    )


def compute_stats(asks: Iterable[AskView]) -> Stats:
    total = replied = open_ = 0
    by_state: dict[str, int] = {}
    delays: list[float] = []
    for ask in asks:
        if ask.state == AskState.NOT_AN_ASK.value:
            continue
        total += 1
        by_state[ask.state] = by_state.get(ask.state, 0) + 1
        if ask.state in OPEN_STATES:
            open_ += 1
        if ask.first_reply_at is not None:
            replied += 1
            delays.append(max(0.0, (ask.first_reply_at - ask.asked_at).total_seconds() / 86400))
    return Stats(
        total_asks=total,
        open_asks=open_,
        replied=replied,
        response_rate=(replied / total) if total else None,
        median_days_to_reply=statistics.median(delays) if delays else None,
        by_state=dict(sorted(by_state.items())),
    )


def build_digest(
    asks: Iterable[AskView],
    replies: Iterable[ReplyView],
    *,
    now: datetime,
    calendar: BusinessCalendar,
    account_address: str,
    account_name: str = "",
    limit: int = 25,
    waiting_limit: int = 15,
) -> Digest:
    """Sort the asks into the digest's sections (drafts only for the items shown)."""
    all_asks = list(asks)
    due: dict[str, list[tuple[datetime, AskView, NextAction]]] = {
        "follow_up": [],
        "thank_you": [],
        "asked_you": [],
        "bounced": [],
    }
    waiting: list[tuple[datetime, AskView, NextAction]] = []
    for ask in all_asks:
        if ask.state == AskState.NOT_AN_ASK.value or not ask.next_action:
            continue
        try:
            action = NextAction(ask.next_action)
        except ValueError:
            continue
        when = ask.next_action_due or now
        section = _DUE_SECTIONS.get(action)
        if section is not None and is_due(when, now=now, calendar=calendar):
            due[section].append((when, ask, action))
        elif ask.next_action_due is not None and ask.state in OPEN_STATES:
            waiting.append((when, ask, action))
    # Asks with a bounced address that still get nudged (another recipient works) are listed too.
    listed = {a.ask_id for _, a, _ in due["bounced"]}
    for ask in all_asks:
        if ask.bounced_addresses and ask.ask_id not in listed and ask.state in OPEN_STATES:
            due["bounced"].append((ask.next_action_due or now, ask, NextAction.FIX_ADDRESS))

    my_name = account_name or account_address.split("@")[0]
    more: dict[str, int] = {}

    def items(
        rows: list[tuple[datetime, AskView, NextAction]], section: str, cap: int
    ) -> tuple[DigestItem, ...]:
        rows.sort(key=lambda r: (r[0], r[1].ask_id))
        if len(rows) > cap:
            more[section] = len(rows) - cap
        out = []
        for _when, ask, action in rows[:cap]:
            if section == "waiting":
                text = _waiting_when(ask, action, calendar)
                draft = None
            elif section == "bounced":
                bounced = ", ".join(one_line(b, limit=120) for b in ask.bounced_addresses)
                text = f"bounced: {bounced}" if bounced else "bounced"
                draft = None
            else:
                text = f"asked {_ago(ask.asked_at, now)}"
                if ask.follow_up_count:
                    text += f", nudged {ask.follow_up_count}×"
                if section in ("thank_you", "asked_you") and ask.outcome_at is not None:
                    text += f"; they wrote {_ago(ask.outcome_at, now)}"
                draft = _draft_for(ask, action, now=now, my_name=my_name)
            quote_text = one_line(ask.last_reply_text, limit=280) if section == "asked_you" else ""
            label = _label(ask, action) if section != "bounced" else "Address bounced"
            out.append(DigestItem(ask, _who(ask), _what(ask), label, text, draft, quote_text))
        return tuple(out)

    reply_rows = sorted(replies, key=lambda r: (r.at, r.ask_id), reverse=True)
    if len(reply_rows) > limit:
        more["new_replies"] = len(reply_rows) - limit
    return Digest(
        account_address=account_address,
        account_name=account_name,
        today=calendar.local_date(now),
        generated_at=now,
        time_zone=calendar.time_zone,
        follow_up=items(due["follow_up"], "follow_up", limit),
        thank_you=items(due["thank_you"], "thank_you", limit),
        asked_you=items(due["asked_you"], "asked_you", limit),
        bounced=items(due["bounced"], "bounced", limit),
        new_replies=tuple(reply_rows[:limit]),
        waiting=items(waiting, "waiting", waiting_limit),
        stats=compute_stats(all_asks),
        more=more,
    )


def _context(digest: Digest) -> dict[str, object]:
    return {
        "d": digest,
        "outcome_labels": _OUTCOME_LABELS,
        "reply_label": lambda r: _OUTCOME_LABELS.get(r.outcome or "", "replied"),
        "fmt_when": lambda moment: moment.astimezone(ZoneInfo(digest.time_zone)).strftime(
            "%a %-d %b, %H:%M"
        ),
        "sections": [
            ("follow_up", "Follow up today", "#b45309"),
            ("thank_you", "Say thank you", "#047857"),
            ("asked_you", "They asked you something", "#1d4ed8"),
            ("bounced", "Bounced", "#b91c1c"),
        ],
    }


def render_html(digest: Digest) -> str:
    return template_env().get_template("digest/digest.html.j2").render(**_context(digest))


def render_text(digest: Digest) -> str:
    return (
        template_env().get_template("digest/digest.txt.j2").render(**_context(digest)).rstrip()
        + "\n"
    )
