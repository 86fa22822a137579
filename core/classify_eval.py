"""Scoring of the classifier on a labelled set: the `reftrack classify` contract and `reftrack eval`.

Role: turn one contract input row (``{"id", "direction", "subject", "body", "headers"?}``) into
the contract output row (``{"id", "is_ask", "kind", "outcome", "confidence", "reason"}``), and
compute precision/recall/F1 per class plus confusion matrices for rows that carry an
``expected`` object (sent: ``{"is_ask", "kind"}``; received: ``{"outcome", "return_date"?,
"bounced_address"?}``).

Invariants: pure (no I/O); a row that is not a JSON object with string fields raises
``ValueError`` with a one-sentence message naming the row, never another exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.classify import KINDS, OUTCOMES, classify_reply, classify_sent

__all__ = ["EvalReport", "classify_row", "evaluate_rows", "format_report"]


def _str_field(row: Mapping[str, Any], name: str, *, where: str) -> str:
    value = row.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where}: field '{name}' must be a string.")
    return value


def classify_row(row: Any, *, where: str = "row") -> dict[str, Any]:
    """Classify one contract input row and return the contract output row."""
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected a JSON object with id, direction, subject and body.")
    rid = row.get("id")
    if not isinstance(rid, str | int):
        raise ValueError(f"{where}: field 'id' must be a string.")
    direction = row.get("direction")
    if direction not in ("sent", "received"):
        raise ValueError(f'{where}: field \'direction\' must be "sent" or "received".')
    subject = _str_field(row, "subject", where=where)
    body = _str_field(row, "body", where=where)
    headers = row.get("headers") or {}
    if not isinstance(headers, dict):
        raise ValueError(f"{where}: field 'headers' must be an object of strings.")
    headers = {str(k): str(v) for k, v in headers.items()}
    if direction == "sent":
        d = classify_sent(subject=subject, body=body, headers=headers)
        return {
            "id": str(rid),
            "is_ask": d.is_ask,
            "kind": d.kind,
            "outcome": None,
            "confidence": d.confidence,
            "reason": d.reason,
        }
    today = None
    if isinstance(row.get("today"), str):
        try:
            today = date.fromisoformat(row["today"])
        except ValueError:
            today = None
    r = classify_reply(subject=subject, body=body, headers=headers, today=today)
    out: dict[str, Any] = {
        "id": str(rid),
        "is_ask": None,
        "kind": None,
        "outcome": r.outcome,
        "confidence": r.confidence,
        "reason": r.reason,
    }
    # Extra detail for `reftrack eval` only; the contract writer drops keys it does not own.
    out["_return_date"] = r.return_date.isoformat() if r.return_date else None
    out["_bounced_address"] = r.bounced_address
    return out


@dataclass
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvalReport:
    sent_total: int = 0
    received_total: int = 0
    ask: ClassScores | None = None
    kind_accuracy: float | None = None
    kind_total: int = 0
    outcome: dict[str, ClassScores] = field(default_factory=dict)
    outcome_macro_f1: float | None = None
    ask_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    outcome_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    return_dates: tuple[int, int] = (0, 0)
    bounced_addresses: tuple[int, int] = (0, 0)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def sc(s: ClassScores | None) -> dict[str, Any] | None:
            return None if s is None else {
                "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                "f1": round(s.f1, 4), "support": s.support,
            }  # fmt: skip

        return {
            "sent": self.sent_total,
            "received": self.received_total,
            "ask": sc(self.ask),
            "kind_accuracy": None if self.kind_accuracy is None else round(self.kind_accuracy, 4),
            "kind_total": self.kind_total,
            "outcome": {k: sc(v) for k, v in self.outcome.items()},
            "outcome_macro_f1": None
            if self.outcome_macro_f1 is None
            else round(self.outcome_macro_f1, 4),
            "ask_confusion": self.ask_confusion,
            "outcome_confusion": self.outcome_confusion,
            "return_dates_correct": f"{self.return_dates[0]}/{self.return_dates[1]}",
            "bounced_addresses_correct": f"{self.bounced_addresses[0]}/{self.bounced_addresses[1]}",
            "errors": self.errors,
        }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate_rows(rows: Iterable[Mapping[str, Any]]) -> EvalReport:
    """Score labelled rows (each with an ``expected`` object)."""
    rep = EvalReport()
    ask_tp = ask_fp = ask_fn = 0
    kind_ok = 0
    labels_ask = ["ask", "not_ask"]
    rep.ask_confusion = {a: dict.fromkeys(labels_ask, 0) for a in labels_ask}
    rep.outcome_confusion = {a: dict.fromkeys(OUTCOMES, 0) for a in OUTCOMES}
    kind_conf = {a: dict.fromkeys((*KINDS, "none"), 0) for a in KINDS}
    rd_ok = rd_n = ba_ok = ba_n = 0
    for i, row in enumerate(rows):
        exp = row.get("expected")
        if not isinstance(exp, dict):
            continue
        got = classify_row(dict(row), where=f"row {i + 1}")
        if row["direction"] == "sent":
            rep.sent_total += 1
            want = bool(exp.get("is_ask"))
            have = bool(got["is_ask"])
            rep.ask_confusion["ask" if want else "not_ask"]["ask" if have else "not_ask"] += 1
            if want and have:
                ask_tp += 1
            elif have:
                ask_fp += 1
                rep.errors.append(f"{row['id']}: false ask ({got['reason']})")
            elif want:
                ask_fn += 1
                rep.errors.append(f"{row['id']}: missed {exp.get('kind')} ask ({got['reason']})")
            if want and exp.get("kind") in KINDS:
                rep.kind_total += 1
                kind_conf[exp["kind"]][got["kind"] or "none"] += 1
                if got["kind"] == exp["kind"]:
                    kind_ok += 1
                elif have:
                    rep.errors.append(f"{row['id']}: kind {got['kind']} != {exp['kind']}")
        else:
            rep.received_total += 1
            want_o = str(exp.get("outcome"))
            have_o = str(got["outcome"])
            if want_o in rep.outcome_confusion:
                rep.outcome_confusion[want_o][have_o] += 1
            if want_o != have_o:
                rep.errors.append(f"{row['id']}: {have_o} != {want_o} ({got['reason']})")
            if "return_date" in exp and want_o == "auto_reply":
                rd_n += 1
                rd_ok += got["_return_date"] == exp["return_date"]
                if got["_return_date"] != exp["return_date"]:
                    rep.errors.append(
                        f"{row['id']}: return date {got['_return_date']} != {exp['return_date']}"
                    )
            if "bounced_address" in exp:
                ba_n += 1
                # addresses compare case-insensitively, as mail servers route them
                ba_ok += (
                    str(got["_bounced_address"] or "").lower()
                    == str(exp["bounced_address"]).lower()
                )
    if rep.sent_total:
        p, r, f = _prf(ask_tp, ask_fp, ask_fn)
        rep.ask = ClassScores(p, r, f, ask_tp + ask_fn)
        rep.kind_accuracy = kind_ok / rep.kind_total if rep.kind_total else None
        rep.ask_confusion["kinds"] = {}  # separator for display
        for k, row_ in kind_conf.items():
            rep.ask_confusion[f"kind:{k}"] = row_
        del rep.ask_confusion["kinds"]
    if rep.received_total:
        f1s = []
        for o in OUTCOMES:
            tp = rep.outcome_confusion[o][o]
            fp = sum(rep.outcome_confusion[w][o] for w in OUTCOMES if w != o)
            fn = sum(rep.outcome_confusion[o][h] for h in OUTCOMES if h != o)
            if tp + fn == 0 and fp == 0:
                continue
            p, r, f = _prf(tp, fp, fn)
            rep.outcome[o] = ClassScores(p, r, f, tp + fn)
            f1s.append(f)
        rep.outcome_macro_f1 = sum(f1s) / len(f1s) if f1s else None
    rep.return_dates = (rd_ok, rd_n)
    rep.bounced_addresses = (ba_ok, ba_n)
    return rep


def format_report(rep: EvalReport) -> str:
    """Human-readable tables: per-class P/R/F1 and confusion matrices."""
    lines: list[str] = []
    if rep.ask is not None:
        a = rep.ask
        lines.append(f"SENT ({rep.sent_total} messages)")
        lines.append(f"  {'class':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
        lines.append(
            f"  {'ask':<16}{a.precision:>10.3f}{a.recall:>10.3f}{a.f1:>10.3f}{a.support:>9}"
        )
        if rep.kind_accuracy is not None:
            lines.append(f"  kind accuracy: {rep.kind_accuracy:.3f} over {rep.kind_total} asks")
        lines.append("  confusion (rows = expected, columns = predicted):")
        cols = ["ask", "not_ask"]
        lines.append("  " + " " * 16 + "".join(f"{c:>10}" for c in cols))
        for k in ("ask", "not_ask"):
            lines.append(f"  {k:<16}" + "".join(f"{rep.ask_confusion[k][c]:>10}" for c in cols))
        kcols = [*KINDS, "none"]
        lines.append("  kind confusion:")
        lines.append("  " + " " * 16 + "".join(f"{c[:12]:>14}" for c in kcols))
        for k in KINDS:
            row = rep.ask_confusion.get(f"kind:{k}", {})
            lines.append(f"  {k:<16}" + "".join(f"{row.get(c, 0):>14}" for c in kcols))
    if rep.outcome:
        lines.append(f"RECEIVED ({rep.received_total} messages)")
        lines.append(f"  {'class':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
        for o, s in rep.outcome.items():
            lines.append(
                f"  {o:<16}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}{s.support:>9}"
            )
        lines.append(f"  macro-F1: {rep.outcome_macro_f1:.3f}")
        lines.append("  confusion (rows = expected, columns = predicted):")
        lines.append("  " + " " * 12 + "".join(f"{o[:10]:>11}" for o in OUTCOMES))
        for o in OUTCOMES:
            lines.append(
                f"  {o:<12}" + "".join(f"{rep.outcome_confusion[o][h]:>11}" for h in OUTCOMES)
            )
        lines.append(
            f"  return dates correct: {rep.return_dates[0]}/{rep.return_dates[1]}; "
            f"bounced addresses correct: {rep.bounced_addresses[0]}/{rep.bounced_addresses[1]}"
        )
    return "\n".join(lines)
