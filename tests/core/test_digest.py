"""The digest: which asks go in which section, numbers, links, escaping, HTML + text rendering."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from core.digest import (
    AskView,
    ReplyView,
    build_digest,
    compute_stats,
    render_html,
    render_text,
    thread_link,
)
from core.policy import BusinessCalendar

NOW = datetime(2026, 3, 16, 13, 0, tzinfo=UTC)  # Monday 09:00 in New York
CAL = BusinessCalendar("America/New_York")
HOSTILE = (
    '<script>alert("x")</script><img src=x onerror="steal()"><a href="javascript:evil()">here</a>'
)


def view(n: int, **kw: object) -> AskView:
    base: dict[str, object] = {
        "ask_id": n,
        "state": "awaiting_reply",
        "next_action": "follow_up",
        "next_action_due": NOW - timedelta(hours=1),
        "kind": "job_referral",
        "contact_name": "Dana Smith",
        "contact_address": "dana@corp.example",
        "subject": f"Referral {n}",
        "asked_at": NOW - timedelta(days=8),
        "link": f"https://mail.google.com/mail/u/0/#all/t{n}",
        "company": "Acme",
        "role": "Staff Engineer",
    }
    base.update(kw)
    return AskView(**base)  # type: ignore[arg-type]


def digest(asks: list[AskView], replies: list[ReplyView] | None = None, **kw: object):
    return build_digest(
        asks,
        replies or [],
        now=NOW,
        calendar=CAL,
        account_address="alex@example.com",
        account_name="Alex Doe",
        **kw,
    )  # type: ignore[arg-type]


def test_digest_sorts_asks_into_sections() -> None:
    d = digest(
        [
            view(1),
            view(2, next_action_due=NOW + timedelta(days=3)),
            view(
                3,
                state="agreed",
                next_action="thank_you",
                outcome="agreed",
                outcome_at=NOW - timedelta(hours=3),
            ),
            view(
                4,
                state="needs_info",
                next_action="reply",
                outcome="needs_info",
                last_reply_text="Can you send your CV?",
            ),
            view(5, next_action="fix_address", bounced_addresses=("dana@corp.example",)),
            view(6, state="not_an_ask", next_action=None, next_action_due=None),
            view(7, state="closed", next_action=None, next_action_due=None),
            view(
                8, state="agreed", next_action="check_in", next_action_due=NOW - timedelta(hours=2)
            ),
        ]
    )
    assert [i.ask.ask_id for i in d.follow_up] == [8, 1]  # oldest due first
    assert [i.ask.ask_id for i in d.thank_you] == [3]
    assert [i.ask.ask_id for i in d.asked_you] == [4]
    assert [i.ask.ask_id for i in d.bounced] == [5]
    assert [i.ask.ask_id for i in d.waiting] == [2]
    assert d.follow_up[1].draft is not None and "Hi Dana" in d.follow_up[1].draft.body
    assert d.follow_up[0].label.startswith("Check in")
    assert d.thank_you[0].draft is not None and "agreeing" in d.thank_you[0].draft.body
    assert d.asked_you[0].quote == "Can you send your CV?"
    assert d.waiting[0].draft is None and d.waiting[0].when.startswith("nudge Thu 19 Mar")
    assert not d.is_empty
    assert d.subject == "reftrack: 2 follow-ups, 1 thank-you, 1 reply owed, 1 bounce (Mon 16 Mar)"


def test_digest_due_today_is_the_local_day() -> None:
    midnight_tonight_ny = datetime(2026, 3, 17, 4, 0, tzinfo=UTC)  # Tue 00:00 EDT
    d = digest(
        [
            view(1, next_action_due=midnight_tonight_ny),
            view(2, next_action_due=midnight_tonight_ny - timedelta(minutes=1)),
        ]
    )
    assert [i.ask.ask_id for i in d.follow_up] == [2]
    assert [i.ask.ask_id for i in d.waiting] == [1]


def test_digest_bounced_address_listed_while_nudges_continue() -> None:
    d = digest(
        [view(1, next_action_due=NOW + timedelta(days=2), bounced_addresses=("lee@corp.example",))]
    )
    assert [i.ask.ask_id for i in d.bounced] == [1]
    assert "lee@corp.example" in d.bounced[0].when


def test_digest_new_replies_and_empty() -> None:
    reply = ReplyView(
        1,
        NOW - timedelta(hours=2),
        "Dana Smith",
        "dana@corp.example",
        "Re: Referral",
        "other",
        "Let me check",
        "https://x.example/t",
    )
    d = digest([view(1, next_action_due=NOW + timedelta(days=3))], [reply])
    assert d.new_replies == (reply,) and not d.is_empty
    quiet = digest([view(1, next_action_due=NOW + timedelta(days=3))])
    assert quiet.is_empty
    assert "nothing due today" in quiet.subject
    assert "Nothing to do today" in render_text(quiet)
    assert "Nothing to do today" in render_html(quiet)


def test_digest_caps_sections_and_says_how_many_more() -> None:
    d = digest(
        [view(n) for n in range(30)]
        + [view(100 + n, next_action_due=NOW + timedelta(days=2)) for n in range(20)]
    )
    assert len(d.follow_up) == 25 and d.more["follow_up"] == 5 and d.count("follow_up") == 30
    assert len(d.waiting) == 15 and d.more["waiting"] == 5
    assert "and 5 more" in render_text(d)
    assert "and 5 more" in render_html(d)
    assert d.subject.startswith("reftrack: 30 follow-ups")


def test_digest_stats() -> None:
    stats = compute_stats(
        [
            view(1, first_reply_at=NOW - timedelta(days=7)),  # 1 day after the ask
            view(2, state="done", first_reply_at=NOW - timedelta(days=5)),  # 3 days
            view(3, state="gone_cold"),
            view(4, state="not_an_ask", first_reply_at=NOW),
        ]
    )
    assert (stats.total_asks, stats.open_asks, stats.replied) == (3, 1, 2)
    assert stats.response_rate == pytest.approx(2 / 3)
    assert stats.median_days_to_reply == pytest.approx(2.0)
    assert stats.response_rate_text == "67%" and stats.median_text == "2.0 days"
    empty = compute_stats([])
    assert empty.response_rate is None and empty.median_text == "–"


def test_digest_escapes_everything_from_mail() -> None:
    asks = [
        view(1, contact_name=f"Eve {HOSTILE}", subject=f"Re: {HOSTILE}", company=HOSTILE),
        view(
            2,
            state="needs_info",
            next_action="reply",
            outcome="needs_info",
            last_reply_text=HOSTILE,
            contact_name=HOSTILE,
        ),
    ]
    reply = ReplyView(
        2,
        NOW - timedelta(hours=1),
        HOSTILE,
        "e@evil.example",
        HOSTILE,
        "needs_info",
        HOSTILE,
        asks[1].link,
    )
    html = render_html(digest(asks, [reply]))
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html.lower())[0]
    assert not any(h.startswith("javascript:") for h in re.findall(r'href="([^"]*)"', html.lower()))
    assert not re.search(r"<[^>]+\sonerror=", html, re.IGNORECASE)
    assert "&lt;script&gt;" in html
    # Every link in the mail is https.
    assert all(h.startswith("https://") for h in re.findall(r'href="([^"]*)"', html))
    text = render_text(digest(asks, [reply]))
    assert "\r" not in text


def test_digest_drafts_keep_line_breaks_in_html() -> None:
    html = render_html(digest([view(1)]))
    assert "Hi Dana,<br>" in html


@pytest.mark.parametrize(
    ("provider", "key", "web", "pid", "expected"),
    [
        ("gmail", "18c2f0a", None, None, "https://mail.google.com/mail/u/0/#all/18c2f0a"),
        (
            "graph",
            "AAQk=",
            "https://outlook.office365.com/owa/?ItemID=1",
            "AAMk",
            "https://outlook.office365.com/owa/?ItemID=1",
        ),
        (
            "graph",
            "AAQk=",
            None,
            "AAMk/a+b=",
            "https://outlook.office.com/mail/deeplink/read/AAMk%2Fa%2Bb%3D",
        ),
        (
            "graph",
            "AAQk=",
            "javascript:alert(1)",
            "AAMk",
            "https://outlook.office.com/mail/deeplink/read/AAMk",
        ),
    ],
)
def test_digest_thread_link(
    provider: str, key: str, web: str | None, pid: str | None, expected: str
) -> None:
    assert thread_link(provider, key, web_link=web, provider_message_id=pid) == expected


def test_digest_text_has_sections_links_and_drafts() -> None:
    d = digest(
        [view(1), view(2, next_action_due=NOW + timedelta(days=3), ooo_until=date(2026, 3, 18))],
        [
            ReplyView(
                1,
                NOW - timedelta(hours=2),
                "Dana Smith",
                "dana@corp.example",
                "Re:\nsplit",
                "other",
                "line1\nline2",
                "https://x.example/t",
            )
        ],
    )
    text = render_text(d)
    assert "== Follow up today (1) ==" in text
    assert "Open: https://mail.google.com/mail/u/0/#all/t1" in text
    assert "    | Hi Dana," in text
    assert "out of office until Wed 18 Mar" in text
    assert '"Re: split"' in text and '"line1 line2"' in text
    assert "Response rate: 0%" in text
