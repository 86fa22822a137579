"""The follow-up / thank-you policy as a table of histories → expected state, next action and date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from core.models import AskState
from core.policy import (
    Actor,
    BusinessCalendar,
    EventKind,
    NextAction,
    Overrides,
    PolicySettings,
    ThreadMessage,
    evaluate,
    is_due,
    is_thank_you,
)

NY = "America/New_York"
ME = "me@example.com"
DANA = "dana@corp.example"
LEE = "lee@corp.example"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def sent(
    at: str, text: str = "Any news?", to: tuple[str, ...] = (DANA,), ref: int | None = None
) -> ThreadMessage:
    return ThreadMessage(at=utc(at), direction="sent", sender=ME, recipients=to, text=text, ref=ref)


def got(
    at: str,
    outcome: str,
    *,
    ret: date | None = None,
    bounced: str | None = None,
    ref: int | None = None,
) -> ThreadMessage:
    return ThreadMessage(
        at=utc(at),
        direction="received",
        sender=DANA,
        outcome=outcome,
        return_date=ret,
        bounced_address=bounced,
        ref=ref,
    )


@dataclass
class Case:
    name: str
    asked: str
    history: list[ThreadMessage]
    now: str
    state: AskState
    action: NextAction | None
    due: str | None  # UTC ISO
    tz: str = NY
    recipients: tuple[str, ...] = (DANA,)
    overrides: Overrides = field(default_factory=Overrides)
    settings: PolicySettings = field(default_factory=PolicySettings)


# 2026-03-02 is a Monday; US DST starts Sunday 2026-03-08 (EST -5 → EDT -4) and ends 2026-11-01.
CASES = [
    Case(
        "first nudge five business days later, across the DST change",
        "2026-03-02T15:00",
        [],
        "2026-03-03T12:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-09T04:00",  # Mon 9 Mar 00:00 EDT
    ),
    Case(
        "friday ask skips the weekend",
        "2026-03-06T15:00",
        [],
        "2026-03-06T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-13T04:00",
    ),
    Case(
        "saturday ask counts from monday",
        "2026-03-07T15:00",
        [],
        "2026-03-07T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-13T04:00",
    ),
    Case(
        "late evening in New York is still Monday there",
        "2026-03-03T03:00",  # Mon 2 Mar 22:00 EST
        [],
        "2026-03-03T04:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-09T04:00",
    ),
    Case(
        "the same instant is Tuesday in UTC",
        "2026-03-03T03:00",
        [],
        "2026-03-03T04:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-10T00:00",
        tz="UTC",
    ),
    Case(
        "DST end in autumn: due at local midnight EST",
        "2026-10-30T15:00",  # Friday
        [],
        "2026-10-30T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-11-06T05:00",
    ),
    Case(
        "a user follow-up resets the clock and the second nudge waits ten business days",
        "2026-03-02T15:00",
        [sent("2026-03-10T14:00")],
        "2026-03-11T12:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-24T04:00",
    ),
    Case(
        "an add-on message right after the ask is not a nudge but resets the clock",
        "2026-03-02T15:00",
        [sent("2026-03-02T15:20", "Forgot to attach my CV")],
        "2026-03-03T12:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-09T04:00",
    ),
    Case(
        "after the cap the ask waits, then goes cold",
        "2026-03-02T15:00",
        [sent("2026-03-10T14:00"), sent("2026-03-24T14:00")],
        "2026-03-25T12:00",
        AskState.AWAITING_REPLY,
        NextAction.WAIT,
        "2026-04-07T04:00",
    ),
    Case(
        "gone cold once the last nudge got nothing",
        "2026-03-02T15:00",
        [sent("2026-03-10T14:00"), sent("2026-03-24T14:00")],
        "2026-04-07T12:00",
        AskState.GONE_COLD,
        None,
        None,
    ),
    Case(
        "a reply after going cold still counts",
        "2026-03-02T15:00",
        [sent("2026-03-10T14:00"), sent("2026-03-24T14:00"), got("2026-04-20T14:00", "agreed")],
        "2026-04-20T15:00",
        AskState.AGREED,
        NextAction.THANK_YOU,
        "2026-04-20T14:00",
    ),
    Case(
        "agreed: thank-you owed now",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "agreed")],
        "2026-03-03T15:00",
        AskState.AGREED,
        NextAction.THANK_YOU,
        "2026-03-03T14:00",
    ),
    Case(
        "agreed and thanked: a check-in seven business days later",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "agreed"), sent("2026-03-03T16:00", "Thank you so much!")],
        "2026-03-04T15:00",
        AskState.AGREED,
        NextAction.CHECK_IN,
        "2026-03-12T04:00",
    ),
    Case(
        "agreed, a reply that does not thank still leaves the thank-you owed",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "agreed"), sent("2026-03-03T16:00", "Resume attached.")],
        "2026-03-04T15:00",
        AskState.AGREED,
        NextAction.THANK_YOU,
        "2026-03-03T14:00",
    ),
    Case(
        "done after agreed: a new thank-you is owed",
        "2026-03-02T15:00",
        [
            got("2026-03-03T14:00", "agreed"),
            sent("2026-03-03T16:00", "Thanks!"),
            got("2026-03-05T14:00", "done"),
        ],
        "2026-03-05T15:00",
        AskState.DONE,
        NextAction.THANK_YOU,
        "2026-03-05T14:00",
    ),
    Case(
        "done and thanked: later, tell them how it went",
        "2026-03-02T15:00",
        [got("2026-03-05T14:00", "done"), sent("2026-03-05T16:00", "Thanks a lot")],
        "2026-03-06T15:00",
        AskState.DONE,
        NextAction.REPORT_BACK,
        "2026-03-19T04:00",
    ),
    Case(
        "done, thanked and reported back: nothing left",
        "2026-03-02T15:00",
        [
            got("2026-03-05T14:00", "done"),
            sent("2026-03-05T16:00", "Thanks a lot"),
            sent("2026-03-20T16:00", "I got the job."),
        ],
        "2026-03-21T15:00",
        AskState.DONE,
        None,
        None,
    ),
    Case(
        "declined: a gracious thank-you",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "declined")],
        "2026-03-03T15:00",
        AskState.DECLINED,
        NextAction.THANK_YOU,
        "2026-03-03T14:00",
    ),
    Case(
        "declined and thanked: nothing left",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "declined"), sent("2026-03-03T15:00", "Thanks anyway")],
        "2026-03-04T15:00",
        AskState.DECLINED,
        None,
        None,
    ),
    Case(
        "needs_info: the user owes a reply",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "needs_info")],
        "2026-03-03T15:00",
        AskState.NEEDS_INFO,
        NextAction.REPLY,
        "2026-03-03T14:00",
    ),
    Case(
        "needs_info answered: waiting again with a fresh clock",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "needs_info"), sent("2026-03-04T15:00", "Here is my CV")],
        "2026-03-04T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-11T04:00",
    ),
    Case(
        "out of office with a return date: return + 2 business days",
        "2026-03-02T15:00",
        [got("2026-03-02T15:01", "auto_reply", ret=date(2026, 3, 20))],
        "2026-03-03T12:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-24T04:00",
    ),
    Case(
        "out of office without a date: 5 business days after the auto-reply",
        "2026-03-02T15:00",
        [got("2026-03-03T15:01", "auto_reply")],
        "2026-03-03T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-10T04:00",
    ),
    Case(
        "a bounce is not a reply; the only address bounced → fix it, no nudge",
        "2026-03-02T15:00",
        [got("2026-03-02T15:02", "bounce", bounced=DANA)],
        "2026-03-20T12:00",
        AskState.AWAITING_REPLY,
        NextAction.FIX_ADDRESS,
        "2026-03-02T15:02",
    ),
    Case(
        "one of two addresses bounced: nudges continue for the other",
        "2026-03-02T15:00",
        [got("2026-03-02T15:02", "bounce", bounced=LEE)],
        "2026-03-03T12:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-09T04:00",
        recipients=(DANA, LEE),
    ),
    Case(
        "after a bounce the user writes to a new address: nudges resume",
        "2026-03-02T15:00",
        [
            got("2026-03-02T15:02", "bounce", bounced=DANA),
            sent("2026-03-03T15:00", "Resending", to=(LEE,)),
        ],
        "2026-03-03T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-17T04:00",
    ),
    Case(
        "manual mark beats a later classifier outcome",
        "2026-03-02T15:00",
        [got("2026-03-05T14:00", "agreed")],
        "2026-03-06T12:00",
        AskState.DECLINED,
        NextAction.THANK_YOU,
        "2026-03-04T12:00",
        overrides=Overrides(manual_outcome="declined", manual_at=utc("2026-03-04T12:00")),
    ),
    Case(
        "manual done closes the ask",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "agreed"), got("2026-03-06T14:00", "other")],
        "2026-03-06T15:00",
        AskState.CLOSED,
        None,
        None,
        overrides=Overrides(manual_outcome="closed", manual_at=utc("2026-03-04T12:00")),
    ),
    Case(
        "manual back-to-waiting restarts the clock",
        "2026-03-02T15:00",
        [got("2026-03-03T14:00", "agreed")],
        "2026-03-04T15:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-11T04:00",
        overrides=Overrides(manual_outcome="awaiting", manual_at=utc("2026-03-04T12:00")),
    ),
    Case(
        "snooze pushes the nudge",
        "2026-03-02T15:00",
        [],
        "2026-03-03T12:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-03-16T04:00",
        overrides=Overrides(snoozed_until=utc("2026-03-16T04:00")),
    ),
    Case(
        "holidays skipped when a country is configured (Thanksgiving)",
        "2026-11-23T15:00",
        [],
        "2026-11-23T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-12-01T05:00",
        settings=PolicySettings(holiday_country="US"),
    ),
    Case(
        "holidays not skipped by default",
        "2026-11-23T15:00",
        [],
        "2026-11-23T16:00",
        AskState.AWAITING_REPLY,
        NextAction.FOLLOW_UP,
        "2026-11-30T05:00",
    ),
    Case(
        "per-account settings: one nudge then cold",
        "2026-03-02T15:00",
        [sent("2026-03-04T15:00")],
        "2026-03-05T12:00",
        AskState.AWAITING_REPLY,
        NextAction.WAIT,
        "2026-03-06T05:00",
        settings=PolicySettings(first_nudge_days=2, second_nudge_days=2, max_nudges=1),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_policy_history_table(case: Case) -> None:
    cal = BusinessCalendar.for_settings(case.settings, case.tz)
    status = evaluate(
        utc(case.asked),
        case.recipients,
        case.history,
        now=utc(case.now),
        settings=case.settings,
        calendar=cal,
        overrides=case.overrides,
    )
    assert status.state is case.state
    assert status.next_action is case.action
    assert status.next_action_due == (utc(case.due) if case.due else None)


def _eval(history: list[ThreadMessage], now: str, **kw: object) -> object:
    settings = PolicySettings()
    return evaluate(
        utc("2026-03-02T15:00"),
        (DANA,),
        history,
        now=utc(now),
        settings=settings,
        calendar=BusinessCalendar(NY),
        **kw,  # type: ignore[arg-type]
    )


def test_policy_transitions_explain_every_change() -> None:
    history = [
        sent("2026-03-10T14:00", ref=2),
        sent("2026-03-24T14:00", ref=3),
        got("2026-04-20T14:00", "agreed", ref=4),
    ]
    status = _eval(history, "2026-04-21T00:00")
    kinds = [(t.kind, t.to_state, t.actor) for t in status.transitions]  # type: ignore[attr-defined]
    assert kinds == [
        (EventKind.FOLLOW_UP_SENT, "awaiting_reply", Actor.POLICY),
        (EventKind.FOLLOW_UP_SENT, "awaiting_reply", Actor.POLICY),
        (EventKind.STATE_CHANGED, "gone_cold", Actor.POLICY),
        (EventKind.STATE_CHANGED, "agreed", Actor.CLASSIFIER),
    ]
    assert all(t.reason for t in status.transitions)  # type: ignore[attr-defined]
    assert status.transitions[2].at == utc("2026-04-07T04:00")  # type: ignore[attr-defined]
    assert status.transitions[3].message_ref == 4  # type: ignore[attr-defined]


def test_policy_evaluate_is_deterministic() -> None:
    history = [got("2026-03-03T14:00", "agreed", ref=5), sent("2026-03-03T16:00", "thanks!", ref=6)]
    assert _eval(history, "2026-03-05T00:00") == _eval(list(reversed(history)), "2026-03-05T00:00")


def test_policy_ignores_the_asking_message_and_earlier_mail() -> None:
    history = [
        sent("2026-03-02T15:00", "Could you refer me?", ref=1),
        got("2026-03-01T10:00", "agreed", ref=0),
    ]
    status = _eval(history, "2026-03-03T00:00", ask_ref=1)
    assert status.state is AskState.AWAITING_REPLY  # type: ignore[attr-defined]
    assert status.follow_up_count == 0  # type: ignore[attr-defined]


def test_policy_bounce_is_never_a_reply() -> None:
    status = _eval([got("2026-03-02T15:02", "bounce", bounced=DANA)], "2026-03-03T00:00")
    assert status.first_reply_at is None  # type: ignore[attr-defined]
    assert status.bounced_addresses == (DANA,)  # type: ignore[attr-defined]


def test_policy_auto_reply_keeps_the_return_date() -> None:
    status = _eval(
        [got("2026-03-02T15:02", "auto_reply", ret=date(2026, 3, 20))], "2026-03-03T00:00"
    )
    assert status.ooo_until == date(2026, 3, 20)  # type: ignore[attr-defined]
    assert status.first_reply_at is None  # type: ignore[attr-defined]


def test_policy_vague_reply_after_outcome_changes_nothing() -> None:
    history = [
        got("2026-03-03T14:00", "done"),
        got("2026-03-04T14:00", "other"),
        got("2026-03-05T14:00", "agreed"),
    ]
    status = _eval(history, "2026-03-06T00:00")
    assert status.state is AskState.DONE  # type: ignore[attr-defined]


def test_policy_needs_info_after_agreed_returns_to_agreed() -> None:
    history = [
        got("2026-03-03T14:00", "agreed"),
        sent("2026-03-03T15:00", "Thank you!"),
        got("2026-03-04T14:00", "needs_info"),
        sent("2026-03-04T15:00", "Here it is."),
    ]
    status = _eval(history, "2026-03-05T00:00")
    assert status.state is AskState.AGREED  # type: ignore[attr-defined]
    assert status.next_action is NextAction.CHECK_IN  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thank you so much!", True),
        ("thanks", True),
        ("Really appreciate it", True),
        ("Here's my CV", False),
        ("Thanksgiving plans?", False),
        ("Any news? Cheers, Alex", False),
    ],
)
def test_policy_is_thank_you(text: str, expected: bool) -> None:
    assert is_thank_you(text) is expected


def test_policy_is_due_uses_the_local_day() -> None:
    cal = BusinessCalendar(NY)
    due = utc("2026-03-09T04:00")
    assert is_due(due, now=utc("2026-03-09T12:00"), calendar=cal)
    assert not is_due(due, now=utc("2026-03-09T03:00"), calendar=cal)  # still Sunday in NY
    assert not is_due(None, now=utc("2026-03-09T12:00"), calendar=cal)


def test_policy_settings_from_mapping_layers_and_validates() -> None:
    s = PolicySettings.from_mapping(
        {"first_nudge_days": 3, "max_nudges": 3}, {"max_nudges": 1, "junk": 1}
    )
    assert (s.first_nudge_days, s.max_nudges, s.second_nudge_days) == (3, 1, 10)
    with pytest.raises(ValueError, match="first_nudge_days must be a whole number"):
        PolicySettings(first_nudge_days=-1)


def test_policy_calendar_rejects_unknown_zone_and_country() -> None:
    with pytest.raises(ValueError, match="IANA name"):
        BusinessCalendar("Mars/Olympus")
    with pytest.raises(ValueError, match="ISO country code"):
        BusinessCalendar("UTC", "XX")


def test_policy_business_days_between() -> None:
    cal = BusinessCalendar(NY)
    assert cal.business_days_between(utc("2026-03-06T15:00"), utc("2026-03-10T15:00")) == 2


@pytest.mark.corpus
def test_policy_thank_you_detection_on_real_templates(corpora) -> None:
    """Thank-you and progress-update templates count as thanks; nudges without thanks do not."""
    folder = corpora / "referral-examples"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    found = {}
    for path in sorted(folder.glob("*.txt")):
        if path.name.startswith(("thank-you_", "followup-nudge_", "update_")):
            body = path.read_text(encoding="utf-8").split("\n", 2)[2]  # drop the provenance line
            found[path.name] = is_thank_you(body)
    assert found, "no follow-up templates in the corpus"
    for name, thanked in found.items():
        assert thanked is not name.startswith("followup-nudge_"), name
