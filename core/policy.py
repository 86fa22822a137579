"""The follow-up / thank-you rules: a pure function of an ask's history, the person's overrides and now.

Nothing here does I/O. ``evaluate`` replays the thread's messages in time order through the state
machine below and returns the ask's state, the next action with its due time, and the list of
transitions (each with a reason and an actor) that the caller stores as ``Event`` rows.

State machine (``AskState``)::

                         user writes again (resets the clock, counts a nudge)
                              ┌──────────┐
                              ▼          │
    ask ──▶ awaiting_reply ───┴──────────┘
              │   │  │  auto-reply: the next nudge waits for the return date + grace
              │   │  └ bounce: address flagged; when every recipient bounced → fix_address
              │   └ no reply after the last nudge (cap) ──▶ gone_cold ──(user writes)──▶ awaiting_reply
              ▼
      reply: agreed │ done │ declined │ needs_info │ replied(other)
      agreed ──done──▶ done        needs_info/replied ──user answers──▶ back to waiting

    Manual overrides (mark / done / ignore) force the state at the moment they were made and
    beat every later classifier outcome; snooze only pushes the due time.

Invariants:
- Every datetime in and out is timezone-aware UTC; business days are counted in the account's
  time zone (weekends and, when configured, public holidays skipped); a due time is the local
  start (00:00) of the due business day, so a morning digest on that day shows it.
- A bounce or an auto-reply is never a reply. A real reply stops nudges.
- ``evaluate`` is deterministic: the same history, overrides and ``now`` give the same result,
  so callers can replay it as often as they like and dedupe the transitions they already stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from core.models import AskState, Outcome


class NextAction(StrEnum):
    FOLLOW_UP = "follow_up"  # nudge them
    THANK_YOU = "thank_you"  # thank them for the outcome
    CHECK_IN = "check_in"  # they agreed a while ago and nothing is done yet
    REPORT_BACK = "report_back"  # tell them how it went
    REPLY = "reply"  # they asked something / wrote back: answer them
    FIX_ADDRESS = "fix_address"  # every address of the ask bounced
    WAIT = "wait"  # nothing to do; the ask goes cold at the due time


class EventKind(StrEnum):
    ASK_CREATED = "ask_created"
    STATE_CHANGED = "state_changed"
    FOLLOW_UP_SENT = "follow_up_sent"
    THANKED = "thanked"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    MANUAL = "manual"
    SNOOZED = "snoozed"


class Actor(StrEnum):
    CLASSIFIER = "classifier"
    USER = "user"
    POLICY = "policy"
    SYNC = "sync"


#: What a person may set with ``mark``: an outcome, back to waiting, closed, or not an ask.
MANUAL_AWAITING = "awaiting"
MANUAL_CLOSED = "closed"
MANUAL_NOT_AN_ASK = "not_an_ask"
MANUAL_CHOICES: tuple[str, ...] = (
    Outcome.AGREED.value,
    Outcome.DONE.value,
    Outcome.DECLINED.value,
    Outcome.NEEDS_INFO.value,
    Outcome.OTHER.value,
    MANUAL_AWAITING,
    MANUAL_CLOSED,
    MANUAL_NOT_AN_ASK,
)

#: A second message within this time of the previous one is part of the same send, not a nudge.
SAME_SEND_WINDOW = timedelta(hours=12)

OPEN_STATES: frozenset[str] = frozenset(
    {
        AskState.AWAITING_REPLY.value,
        AskState.AGREED.value,
        AskState.NEEDS_INFO.value,
        AskState.REPLIED.value,
    }
)

_REPLY_STATES: dict[str, AskState] = {
    Outcome.AGREED.value: AskState.AGREED,
    Outcome.DONE.value: AskState.DONE,
    Outcome.DECLINED.value: AskState.DECLINED,
    Outcome.NEEDS_INFO.value: AskState.NEEDS_INFO,
    Outcome.OTHER.value: AskState.REPLIED,
}
_THANKED_STATES = frozenset({AskState.AGREED, AskState.DONE, AskState.DECLINED})
_THANKS_RE = re.compile(
    # "Cheers" and "ty" are left out: they are sign-offs more often than thanks.
    r"\b(thanks?|thank\s+you|thx|grateful|gratitude|appreciated?|merci|danke|gracias)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PolicySettings:
    """Follow-up policy; defaults from config, overlaid per account (same field names)."""

    first_nudge_days: int = 5  # business days after the ask (or the user's last message)
    second_nudge_days: int = 10  # business days after the previous nudge
    max_nudges: int = 2  # then gone_cold
    ooo_grace_days: int = 2  # business days after an out-of-office return date
    ooo_default_days: int = 5  # business days after an auto-reply that names no date
    checkin_after_agreed_days: int = 7  # business days after they agreed, if nothing is done
    report_back_after_done_days: int = 10  # business days after done/thanks: tell them how it went
    holiday_country: str | None = None  # ISO 3166 code for the `holidays` package, e.g. "US"
    holiday_subdivision: str | None = None  # e.g. "CA" for California

    def __post_init__(self) -> None:
        for name in (
            "first_nudge_days",
            "second_nudge_days",
            "ooo_grace_days",
            "ooo_default_days",
            "checkin_after_agreed_days",
            "report_back_after_done_days",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"Follow-up setting {name} must be a whole number ≥ 0, not {value!r}."
                )
        if not isinstance(self.max_nudges, int) or self.max_nudges < 0:
            raise ValueError(
                f"Follow-up setting max_nudges must be a whole number ≥ 0, not {self.max_nudges!r}."
            )

    @classmethod
    def from_mapping(cls, *layers: dict[str, Any] | None) -> PolicySettings:
        """Settings from dicts, later layers winning; unknown keys are ignored."""
        names = set(cls.__dataclass_fields__)
        merged: dict[str, Any] = {}
        for layer in layers:
            if layer:
                merged.update({k: v for k, v in layer.items() if k in names})
        return cls(**merged)


@lru_cache(maxsize=64)
def _holiday_calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError as exc:
        raise ValueError(
            f"Unknown holiday calendar {country!r}"
            + (f"/{subdivision!r}" if subdivision else "")
            + "; set holiday_country to an ISO country code such as 'US' or 'FR', or leave it empty."
        ) from exc


class BusinessCalendar:
    """Business days in one time zone: weekends and optional public holidays are skipped."""

    def __init__(
        self,
        time_zone: str = "UTC",
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
    ) -> None:
        try:
            self.tz = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"Unknown time zone {time_zone!r}; use an IANA name such as 'Europe/Paris'."
            ) from exc
        self.time_zone = time_zone
        self._holidays = (
            _holiday_calendar(holiday_country, holiday_subdivision) if holiday_country else None
        )

    @classmethod
    def for_settings(cls, settings: PolicySettings, time_zone: str) -> BusinessCalendar:
        return cls(time_zone, settings.holiday_country, settings.holiday_subdivision)

    def is_business_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        return not (self._holidays is not None and day in self._holidays)

    def local_date(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.tz).date()

    def start_of_day(self, day: date) -> datetime:
        """UTC instant of local midnight (zoneinfo resolves DST gaps and folds)."""
        return datetime.combine(day, time(0), tzinfo=self.tz).astimezone(UTC)

    def add_business_days_to_date(self, day: date, days: int) -> date:
        current = day
        counted = 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_business_day(current):
                counted += 1
        if days == 0:
            while not self.is_business_day(current):
                current += timedelta(days=1)
        return current

    def add_business_days(self, moment: datetime, days: int) -> datetime:
        """Local start of the day ``days`` business days after ``moment``'s local date."""
        return self.start_of_day(self.add_business_days_to_date(self.local_date(moment), days))

    def business_days_between(self, start: datetime, end: datetime) -> int:
        """Business days after ``start``'s local date up to and including ``end``'s."""
        a, b = self.local_date(start), self.local_date(end)
        count = 0
        while a < b:
            a += timedelta(days=1)
            if self.is_business_day(a):
                count += 1
        return count


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """One stored, classified message of the ask's thread, as the policy sees it."""

    at: datetime
    direction: str  # "sent" | "received"
    ref: int | None = None  # Message.id, echoed in transitions
    sender: str = ""
    recipients: tuple[str, ...] = ()
    outcome: str | None = None  # received: Outcome value
    return_date: date | None = None  # auto-reply
    bounced_address: str | None = None  # bounce
    text: str = ""  # visible text (thank-you detection in the user's messages)
    reason: str = ""  # the classifier's reason


@dataclass(frozen=True, slots=True)
class Overrides:
    """What the person decided; beats the classifier."""

    manual_outcome: str | None = None  # one of MANUAL_CHOICES
    manual_at: datetime | None = None
    snoozed_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    at: datetime
    kind: EventKind
    from_state: str | None
    to_state: str | None
    reason: str
    actor: Actor
    message_ref: int | None = None


@dataclass(frozen=True, slots=True)
class AskStatus:
    state: AskState
    next_action: NextAction | None
    next_action_due: datetime | None
    follow_up_count: int
    outcome: str | None
    outcome_at: datetime | None
    thanked_at: datetime | None
    last_user_message_at: datetime
    first_reply_at: datetime | None
    bounced_addresses: tuple[str, ...]
    ooo_until: date | None
    transitions: tuple[Transition, ...] = field(default_factory=tuple)

    @property
    def thank_you_owed(self) -> bool:
        return self.next_action is NextAction.THANK_YOU


def is_thank_you(text: str) -> bool:
    """Whether a message the person sent thanks the other side."""
    return bool(_THANKS_RE.search(text or ""))


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _later(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


@dataclass
class _Replay:
    """Mutable state of one replay; only ``evaluate`` sees it."""

    settings: PolicySettings
    cal: BusinessCalendar
    state: AskState
    clock: datetime  # the nudge / check-in clock: the user's last message in the thread
    recipients: list[str]
    follow_ups: int = 0
    outcome: str | None = None
    outcome_at: datetime | None = None
    thank_since: datetime | None = None  # a thank-you is owed for the outcome reached then
    thanked_at: datetime | None = None
    reported_at: datetime | None = None
    first_reply_at: datetime | None = None
    ooo_until: date | None = None
    ooo_due: datetime | None = None
    resume_state: AskState = AskState.AWAITING_REPLY
    bounced: list[str] = field(default_factory=list)
    last_bounce_at: datetime | None = None
    manual: str | None = None  # the manual outcome once it is in force
    out: list[Transition] = field(default_factory=list)

    def move(
        self,
        to: AskState,
        *,
        at: datetime,
        reason: str,
        actor: Actor,
        kind: EventKind = EventKind.STATE_CHANGED,
        ref: int | None = None,
    ) -> None:
        if to is self.state and kind is EventKind.STATE_CHANGED:
            return
        self.out.append(Transition(at, kind, self.state.value, to.value, reason, actor, ref))
        self.state = to

    def note(
        self, kind: EventKind, *, at: datetime, reason: str, actor: Actor, ref: int | None
    ) -> None:
        self.out.append(
            Transition(at, kind, self.state.value, self.state.value, reason, actor, ref)
        )

    # -- time-based rules -------------------------------------------------------------------

    def cold_at(self, snoozed_until: datetime | None) -> datetime | None:
        """When an ask at the nudge cap goes cold (None while nudges remain)."""
        if self.state is not AskState.AWAITING_REPLY or self.follow_ups < self.settings.max_nudges:
            return None
        if self.all_bounced():
            return None
        days = (
            self.settings.second_nudge_days
            if self.settings.max_nudges
            else self.settings.first_nudge_days
        )
        return _later(self.cal.add_business_days(self.clock, days), self.ooo_due, snoozed_until)

    def thank_owed(self) -> bool:
        return self.thank_since is not None and (
            self.thanked_at is None or self.thanked_at < self.thank_since
        )

    def all_bounced(self) -> bool:
        return bool(self.bounced) and all(r in self.bounced for r in self.recipients)

    def advance_to(self, moment: datetime, snoozed_until: datetime | None) -> None:
        cold = self.cold_at(snoozed_until)
        if cold is not None and cold <= moment:
            self.move(
                AskState.GONE_COLD,
                at=cold,
                reason=f"no reply after {self.follow_ups} follow-up(s)",
                actor=Actor.POLICY,
            )

    # -- messages ---------------------------------------------------------------------------

    def user_message(self, msg: ThreadMessage) -> None:
        for r in msg.recipients:
            if r and r not in self.recipients:
                self.recipients.append(r)
        thanks = is_thank_you(msg.text)
        state = self.state
        if state is AskState.AWAITING_REPLY and msg.at - self.clock < SAME_SEND_WINDOW:
            pass  # an add-on to the message just sent (a forgotten CV): resets the clock, no nudge
        elif state in (AskState.AWAITING_REPLY, AskState.GONE_COLD):
            self.follow_ups += 1
            self.note(
                EventKind.FOLLOW_UP_SENT,
                at=msg.at,
                reason=f"you wrote again (follow-up {self.follow_ups})",
                actor=Actor.POLICY,
                ref=msg.ref,
            )
            self.move(
                AskState.AWAITING_REPLY,
                at=msg.at,
                reason="you wrote again after the ask went cold",
                actor=Actor.POLICY,
                ref=msg.ref,
            )
        elif state in (AskState.NEEDS_INFO, AskState.REPLIED):
            back = self.resume_state
            if back is AskState.AWAITING_REPLY:
                self.follow_ups = 0
                self.ooo_due = None
            self.move(
                back,
                at=msg.at,
                reason="you answered them; waiting for them again",
                actor=Actor.POLICY,
                ref=msg.ref,
            )
        elif state in _THANKED_STATES:
            owed = self.thank_owed()
            if owed and thanks:
                self.thanked_at = msg.at
                self.note(
                    EventKind.THANKED,
                    at=msg.at,
                    reason=f"you thanked them ({state.value})",
                    actor=Actor.POLICY,
                    ref=msg.ref,
                )
            elif (
                state is AskState.DONE
                and self.reported_at is None
                and self.thanked_at is not None
                and msg.at > self.thanked_at
            ):
                self.reported_at = msg.at
        self.clock = msg.at

    def reply(self, msg: ThreadMessage) -> None:
        outcome = msg.outcome or Outcome.OTHER.value
        if self.first_reply_at is None:
            self.first_reply_at = msg.at
        self.ooo_due = None
        self.ooo_until = None
        if self.manual is not None and self.manual != MANUAL_AWAITING:
            return  # the person's word beats the classifier
        target = _REPLY_STATES.get(outcome, AskState.REPLIED)
        state = self.state
        if state in (AskState.CLOSED, AskState.NOT_AN_ASK):
            return
        if target is AskState.REPLIED and state not in (
            AskState.AWAITING_REPLY,
            AskState.GONE_COLD,
        ):
            return  # a vague note after a clear outcome changes nothing
        if state is AskState.DONE and target is AskState.AGREED:
            return  # never regress from done
        if state is target:
            return
        self.resume_state = AskState.AGREED if state is AskState.AGREED else AskState.AWAITING_REPLY
        self.outcome = outcome
        self.outcome_at = msg.at
        if target in _THANKED_STATES:
            self.thank_since = msg.at
        why = f"reply from {msg.sender or 'them'}: {outcome}"
        if msg.reason:
            why += f" ({msg.reason})"
        self.move(target, at=msg.at, reason=why, actor=Actor.CLASSIFIER, ref=msg.ref)

    def auto_reply(self, msg: ThreadMessage) -> None:
        if self.state not in (AskState.AWAITING_REPLY, AskState.GONE_COLD):
            return
        if msg.return_date is not None:
            self.ooo_until = msg.return_date
            due = self.cal.start_of_day(
                self.cal.add_business_days_to_date(msg.return_date, self.settings.ooo_grace_days)
            )
            why = f"out of office until {msg.return_date.isoformat()}"
        else:
            due = self.cal.add_business_days(msg.at, self.settings.ooo_default_days)
            why = "out of office (no return date given)"
        self.ooo_due = _later(self.ooo_due, due)
        self.note(EventKind.AUTO_REPLY, at=msg.at, reason=why, actor=Actor.CLASSIFIER, ref=msg.ref)

    def bounce(self, msg: ThreadMessage) -> None:
        address = (msg.bounced_address or "").strip().lower()
        if not address and len(self.recipients) == 1:
            address = self.recipients[0]
        if address and address not in self.bounced:
            self.bounced.append(address)
        self.last_bounce_at = msg.at
        self.note(
            EventKind.BOUNCE,
            at=msg.at,
            reason=f"delivery to {address or 'an address'} failed",
            actor=Actor.CLASSIFIER,
            ref=msg.ref,
        )

    def force(self, manual: str, at: datetime) -> None:
        self.manual = manual
        if manual == MANUAL_CLOSED:
            target = AskState.CLOSED
        elif manual == MANUAL_NOT_AN_ASK:
            target = AskState.NOT_AN_ASK
        elif manual == MANUAL_AWAITING:
            target = AskState.AWAITING_REPLY
            self.outcome = None
            self.outcome_at = None
            self.follow_ups = 0
            self.ooo_due = None
            self.clock = at
        else:
            target = _REPLY_STATES.get(manual, AskState.REPLIED)
            self.resume_state = (
                AskState.AGREED if self.state is AskState.AGREED else AskState.AWAITING_REPLY
            )
            if self.outcome != manual:
                self.outcome = manual
                self.outcome_at = at
                if target in _THANKED_STATES:
                    self.thank_since = at
        self.out.append(
            Transition(
                at,
                EventKind.MANUAL,
                self.state.value,
                target.value,
                f"you marked it {manual}",
                Actor.USER,
            )
        )
        self.state = target

    # -- the result -------------------------------------------------------------------------

    def next_step(
        self, snoozed_until: datetime | None
    ) -> tuple[NextAction | None, datetime | None]:
        s, cal, st = self.settings, self.cal, self.state
        action: NextAction | None = None
        due: datetime | None = None
        if st is AskState.AWAITING_REPLY:
            if self.all_bounced():
                return NextAction.FIX_ADDRESS, self.last_bounce_at
            if self.follow_ups < s.max_nudges:
                days = s.first_nudge_days if self.follow_ups == 0 else s.second_nudge_days
                action, due = (
                    NextAction.FOLLOW_UP,
                    _later(cal.add_business_days(self.clock, days), self.ooo_due),
                )
            else:
                action, due = NextAction.WAIT, self.cold_at(None)
        elif st in _THANKED_STATES and self.thank_owed():
            action, due = NextAction.THANK_YOU, self.thank_since
        elif st is AskState.AGREED:
            action, due = (
                NextAction.CHECK_IN,
                cal.add_business_days(
                    _later(self.clock, self.thank_since) or self.clock,
                    s.checkin_after_agreed_days,
                ),
            )
        elif st is AskState.DONE and self.reported_at is None and s.report_back_after_done_days > 0:
            start = _later(self.thank_since, self.thanked_at) or self.clock
            action, due = (
                NextAction.REPORT_BACK,
                cal.add_business_days(start, s.report_back_after_done_days),
            )
        elif st in (AskState.NEEDS_INFO, AskState.REPLIED):
            action, due = NextAction.REPLY, self.outcome_at
        if action is not None and due is not None and snoozed_until is not None:
            due = max(due, snoozed_until)
        return action, due


def evaluate(
    asked_at: datetime,
    recipients: Sequence[str],
    messages: Iterable[ThreadMessage],
    *,
    now: datetime,
    settings: PolicySettings,
    calendar: BusinessCalendar,
    overrides: Overrides | None = None,
    ask_ref: int | None = None,
) -> AskStatus:
    """Replay the thread after the ask (``ask_ref`` is the asking message) and decide what is next."""
    asked_at = _aware(asked_at)
    now = _aware(now)
    ov = overrides or Overrides()
    snooze = _aware(ov.snoozed_until) if ov.snoozed_until else None
    manual_at = _aware(ov.manual_at) if ov.manual_at else None
    r = _Replay(
        settings=settings,
        cal=calendar,
        state=AskState.AWAITING_REPLY,
        clock=asked_at,
        recipients=[a.strip().lower() for a in recipients if a.strip()],
    )
    ordered = sorted(
        (m for m in messages if m.ref is None or m.ref != ask_ref),
        key=lambda m: (_aware(m.at), m.ref or 0),
    )
    manual_pending = ov.manual_outcome is not None and manual_at is not None
    for msg in ordered:
        at = _aware(msg.at)
        if at < asked_at or at > now:
            continue
        if manual_pending and manual_at is not None and manual_at <= at:
            r.advance_to(manual_at, None)
            r.force(str(ov.manual_outcome), manual_at)
            manual_pending = False
        if r.state in (AskState.CLOSED, AskState.NOT_AN_ASK):
            break
        r.advance_to(at, None)
        if msg.direction == "sent":
            r.user_message(msg)
        elif msg.outcome == Outcome.BOUNCE.value:
            r.bounce(msg)
        elif msg.outcome == Outcome.AUTO_REPLY.value:
            r.auto_reply(msg)
        else:
            r.reply(msg)
    if manual_pending and manual_at is not None:
        r.advance_to(min(manual_at, now), None)
        r.force(str(ov.manual_outcome), manual_at)
    elif ov.manual_outcome is not None and manual_at is None and r.manual is None:
        # An override without a time (legacy row): apply it now.
        r.force(str(ov.manual_outcome), now)
    r.advance_to(now, snooze)
    action, due = r.next_step(snooze)
    return AskStatus(
        state=r.state,
        next_action=action,
        next_action_due=due,
        follow_up_count=r.follow_ups,
        outcome=r.outcome,
        outcome_at=r.outcome_at,
        thanked_at=r.thanked_at,
        last_user_message_at=r.clock,
        first_reply_at=r.first_reply_at,
        bounced_addresses=tuple(r.bounced),
        ooo_until=r.ooo_until,
        transitions=tuple(r.out),
    )


def is_due(due: datetime | None, *, now: datetime, calendar: BusinessCalendar) -> bool:
    """Whether something due at ``due`` belongs in today's digest (due on or before today, local)."""
    if due is None:
        return False
    return calendar.local_date(due) <= calendar.local_date(now)
