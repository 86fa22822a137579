"""Suggested texts: personal, a clear ask with an easy out, shorter on each nudge, fitting thank-yous."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from core.drafts import (
    DraftContext,
    first_name,
    how_long_ago,
    one_line,
    reply_subject,
    suggest,
    template_for,
)
from core.policy import NextAction

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)
CTX = DraftContext(
    contact_name="Dana Smith",
    contact_address="dana@corp.example",
    my_name="Alex Doe",
    kind="job_referral",
    subject="Referral for Acme?",
    asked_at=NOW - timedelta(days=9),
    now=NOW,
    company="Acme",
    role="Staff Engineer",
)


def _draft(action: NextAction, **changes: object):
    draft = suggest(action, dataclasses.replace(CTX, **changes))  # type: ignore[arg-type]
    assert draft is not None
    return draft


def test_drafts_follow_up_is_personal() -> None:
    draft = _draft(NextAction.FOLLOW_UP)
    assert draft.body.startswith("Hi Dana,")
    assert "the Staff Engineer role at Acme" in draft.body
    assert "last week" in draft.body
    assert "no pressure" in draft.body.lower() or "fine" in draft.body  # an easy out
    assert draft.body.rstrip().endswith("Alex")
    assert draft.subject == "Re: Referral for Acme?"


def test_drafts_nudges_get_shorter() -> None:
    lengths = [len(_draft(NextAction.FOLLOW_UP, nudge_number=n).body) for n in (1, 2, 3, 7)]
    assert lengths[0] > lengths[1] > lengths[2] == lengths[3]


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("agreed", "agreeing to help"),
        ("done", "Thank you for the referral"),
        ("declined", "No problem at all"),
    ],
)
def test_drafts_thank_you_fits_the_outcome(outcome: str, expected: str) -> None:
    draft = _draft(NextAction.THANK_YOU, outcome=outcome)
    assert expected in draft.body
    assert draft.template == f"drafts/thank_you_{outcome}.txt.j2"


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("introduction", "an introduction to someone at Acme"),
        ("recommendation", "a recommendation for the Staff Engineer role at Acme"),
        ("client_referral", "a client referral at Acme"),
    ],
)
def test_drafts_name_each_kind_of_ask(kind: str, phrase: str) -> None:
    assert phrase in _draft(NextAction.FOLLOW_UP, kind=kind).body


def test_drafts_without_name_company_or_role() -> None:
    body = _draft(NextAction.FOLLOW_UP, contact_name="", company=None, role=None).body
    assert body.startswith("Hi there,")
    assert "about a referral." in body


def test_drafts_flatten_hostile_values() -> None:
    body = _draft(
        NextAction.FOLLOW_UP, contact_name="Eve\r\nBcc: x@evil", company="Acme\x00\nInjected"
    ).body
    assert "\r" not in body and "\x00" not in body
    assert "Acme Injected" in body
    assert body.startswith("Hi Eve,")


def test_drafts_actions_without_text() -> None:
    assert template_for(NextAction.WAIT) is None
    assert template_for(NextAction.FIX_ADDRESS) is None
    assert template_for(NextAction.REPLY, outcome="other") is None
    assert suggest(NextAction.WAIT, CTX) is None
    assert "details they asked for" in _draft(NextAction.REPLY, outcome="needs_info").body
    assert "checking in" in _draft(NextAction.CHECK_IN).body
    assert "how it went" in _draft(NextAction.REPORT_BACK).body


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dana Smith", "Dana"),
        ("Smith, Dana", "Dana"),
        ('"Dana"', "Dana"),
        ("dana@corp.example", ""),
        ("", ""),
    ],
)
def test_drafts_first_name(name: str, expected: str) -> None:
    assert first_name(name) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "earlier today"),
        (1, "yesterday"),
        (3, "3 days ago"),
        (9, "last week"),
        (20, "2 weeks ago"),
        (70, "a few months ago"),
        (400, "a while ago"),
    ],
)
def test_drafts_how_long_ago(days: int, expected: str) -> None:
    assert how_long_ago(NOW - timedelta(days=days), NOW) == expected


def test_drafts_helpers() -> None:
    assert reply_subject("RE: hi") == "RE: hi"
    assert reply_subject("") == "Following up"
    assert one_line("a" * 300, limit=10) == "a" * 9 + "…"
