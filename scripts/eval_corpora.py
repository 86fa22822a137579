"""Evaluate reftrack's mail understanding on the shared corpora (real mail nobody here wrote).

Prints one JSON document with separate sections:

- ``visible_text``: quote/signature stripping on the reply-parsing fixtures (discourse, github,
  zapier, mail-parser-reply, talon, quotequail) — exact match after whitespace normalisation, a
  whitespace-free match for HTML cases, and the fragment checks the peers assert. ``--engines``
  compares reftrack with the quote-stripping libraries (email-reply-parser, mail-parser-reply,
  quotequail) on the same plain-text cases, when those are installed.
- ``bounce_auto_reply``: recall of ``bounce`` on the sisimai/flanker/mimekit/mikel/cpython
  delivery-status messages and of ``auto_reply`` on the rfc3834 auto-replies.
- ``false_positive_asks``: share of real non-ask mail (Enron, the negatives in
  referral-examples) that ``classify_sent`` calls an ask, with the offenders listed; the Enron
  "employment arrangements" (1.5) messages are reported apart, since some are real asks.
- ``referral_examples``: ask recall on the real ask templates.
- ``generated`` (``--generated 1,2,3``): ask precision/recall/F1, kind accuracy and reply
  macro-F1 against the ground truth of seeded synthetic mailboxes (3,000 sent messages over 120
  days each) and of both demo mailboxes. These are realistic but template-made; they are a
  regression check, not a held-out score.

The corpora are read in place (env REFTRACK_CORPORA or ../shared/corpora next to the checkout)
and never copied. Usage: ``python scripts/eval_corpora.py [--engines] [--verbose]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.text import parse_mime, visible_text


def corpora_dir() -> Path:
    env = os.environ.get("REFTRACK_CORPORA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"


@dataclass
class Case:
    source: str
    name: str
    fmt: str  # "plain" | "html"
    input: str
    expected: str | None  # exact visible text (None: fragment checks only)
    compare: str = "exact"  # "exact" (whitespace-normalised) | "nows" (all whitespace removed)
    contains: list[str] = field(default_factory=list)
    not_contains: list[str] = field(default_factory=list)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _nows(s: str) -> str:
    return re.sub(r"\s", "", s)


def _html_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


def _read(p: Path) -> str:
    return p.read_bytes().decode("utf-8", errors="replace")


def load_cases(root: Path) -> list[Case]:
    rp = root / "reply-parsing"
    cases: list[Case] = []
    d = rp / "discourse-email_reply_trimmer"
    exp = json.loads(_read(d / "expectations.json"))
    for name, fx in exp["fixtures"].items():
        if "trimmed" in fx and (d / "emails" / name).exists():
            cases.append(
                Case("discourse", name, "plain", _read(d / "emails" / name), fx["trimmed"])
            )
    for peer in ("github-email_reply_parser", "zapier-email-reply-parser", "mail-parser-reply"):
        d = rp / peer
        exp = json.loads(_read(d / "expectations.json"))
        for name, fx in exp["fixtures"].items():
            path = d / "emails" / name
            if not path.exists():
                continue
            contains: list[str] = []
            not_contains: list[str] = []
            for a in fx.get("assertions", []):
                if a["target"] in ("replies[0].body", "parse_reply(body)", "reply") and isinstance(
                    a["value"], str
                ):
                    if a["op"] == "contains":
                        contains.append(a["value"])
                    elif a["op"] == "not_contains":
                        not_contains.append(a["value"])
            vt = fx.get("visible_text")
            if vt is None and not contains and not not_contains:
                continue
            cases.append(
                Case(
                    peer.split("-")[0],
                    name,
                    "plain",
                    _read(path),
                    vt,
                    "exact",
                    contains,
                    not_contains,
                )
            )
    d = rp / "mailgun-talon"
    exp = json.loads(_read(d / "expectations.json"))
    for i, c in enumerate(exp["inline_cases"]):
        if c["function"] in ("extract_from_plain", "extract_from") and c.get("compare") == "exact":
            if c.get("content_type", "text/plain") != "text/plain":
                continue
            cases.append(Case("talon", f"inline{i}", "plain", c["input"], c["expected"]))
        elif c["function"] == "extract_from_html" and c.get("compare") in (
            "all_whitespace_removed",
            "exact",
        ):
            cases.append(
                Case("talon", f"html{i}", "html", c["input"], _html_text(c["expected"]), "nows")
            )
    for name, lst in exp["file_cases"].items():
        for c in lst:
            if c["function"] != "extract_from_html" or "expected" not in c:
                continue
            expected = c.get("expected_before_whitespace_removal") or c["expected"]
            if "<" in expected:
                expected = _html_text(expected)
            cases.append(
                Case("talon", name, "html", _read(d / "fixtures" / name), expected, "nows")
            )
    for p in sorted((d / "fixtures" / "standard_replies").glob("*_reply_text")):
        eml = p.with_name(p.name.replace("_reply_text", ".eml"))
        if eml.exists():
            mail = parse_mime(eml.read_bytes())
            cases.append(Case("talon", eml.name, "plain", mail.text or "", _read(p)))
    d = rp / "quotequail"
    exp = json.loads(_read(d / "expectations.json"))
    for i, c in enumerate(exp["inline_cases"]):
        if c["function"] == "quote_html" and c.get("check") == "equals":
            # quotequail keeps the "On ... wrote:" line in the top part; compare word content
            # of the visible chunks minus that intro line.
            top = "".join(h for vis, h in c["expected"] if vis)
            text = _html_text(top)
            text = re.sub(r"On [^\n]*wrote:\s*$", "", text.strip())
            cases.append(Case("quotequail", f"html{i}", "html", c["input"], text, "nows"))
    return cases


def _engines() -> dict[str, Callable[[str], str]]:
    engines: dict[str, Callable[[str], str]] = {
        "reftrack": lambda s: visible_text(text=s, html=None),
    }
    try:
        from email_reply_parser import EmailReplyParser as ERP

        engines["email-reply-parser"] = lambda s: ERP.parse_reply(s)
    except ImportError:
        pass
    try:
        from mailparser_reply import EmailReplyParser as MPR

        langs = ["en", "de", "nl", "fr", "it", "ja", "pl", "sv", "da", "cz", "es", "pt", "ru", "no"]
        ok = []
        for lang in langs:
            try:
                MPR(languages=[lang]).parse_reply("x")
                ok.append(lang)
            except Exception:
                continue
        mpr = MPR(languages=ok)
        engines["mail-parser-reply"] = lambda s: mpr.parse_reply(s)
    except ImportError:
        pass
    try:
        import quotequail

        def qq(s: str) -> str:
            chunks = quotequail.quote(s)
            top = "".join(t for vis, t in chunks if vis)
            return re.sub(r"On [^\n]*wrote:\s*$", "", top.strip())

        engines["quotequail"] = qq
    except ImportError:
        pass
    return engines


def _score(case: Case, out: str) -> tuple[bool | None, int, int]:
    exact: bool | None = None
    if case.expected is not None:
        if case.compare == "nows":
            exact = _nows(out) == _nows(case.expected)
        else:
            exact = _norm(out) == _norm(case.expected)
    ok = sum(1 for f in case.contains if f in out) + sum(
        1 for f in case.not_contains if f not in out
    )
    return exact, ok, len(case.contains) + len(case.not_contains)


def eval_visible(root: Path, *, engines: bool, verbose: bool) -> dict[str, Any]:
    cases = load_cases(root)
    result: dict[str, Any] = {}
    engs = _engines() if engines else {"reftrack": _engines()["reftrack"]}
    for ename, fn in engs.items():
        per: dict[str, dict[str, int]] = {}
        fails: list[str] = []
        for c in cases:
            if c.fmt == "html" and ename != "reftrack":
                continue
            try:
                out = visible_text(text=None, html=c.input) if c.fmt == "html" else fn(c.input)
            except Exception as exc:  # a library crashing counts as a miss
                out = f"<crash {type(exc).__name__}>"
            exact, ok, n = _score(c, out)
            key = f"{c.source}/{c.fmt}"
            s = per.setdefault(
                key, {"cases": 0, "exact": 0, "exact_total": 0, "checks": 0, "checks_ok": 0}
            )
            s["cases"] += 1
            if exact is not None:
                s["exact_total"] += 1
                s["exact"] += int(exact)
                if not exact:
                    fails.append(f"{c.source}/{c.name}")
            s["checks"] += n
            s["checks_ok"] += ok
            if verbose and ename == "reftrack" and exact is False:
                print(
                    f"--- {c.source}/{c.name}\nEXPECTED:\n{c.expected}\nGOT:\n{out}\n",
                    file=sys.stderr,
                )
        tot_e = sum(s["exact"] for s in per.values())
        tot_t = sum(s["exact_total"] for s in per.values())
        tot_ok = sum(s["checks_ok"] for s in per.values())
        tot_n = sum(s["checks"] for s in per.values())
        plain_e = sum(s["exact"] for k, s in per.items() if k.endswith("/plain"))
        plain_t = sum(s["exact_total"] for k, s in per.items() if k.endswith("/plain"))
        result[ename] = {
            "plain_exact": f"{plain_e}/{plain_t}",
            "plain_exact_rate": round(plain_e / plain_t, 3) if plain_t else None,
            "all_exact": f"{tot_e}/{tot_t}",
            "fragment_checks": f"{tot_ok}/{tot_n}",
            "per_source": per,
            **({"failures": fails} if verbose else {}),
        }
    return result


def _iter_mime(root: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with (root / "mime" / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        yield from ((r["path"], r) for r in csv.DictReader(fh))


def eval_bounces(root: Path, *, verbose: bool) -> dict[str, Any]:
    from core.classify import classify_reply

    bounce_total = bounce_hit = addr_total = addr_hit = 0
    auto_total = auto_hit = 0
    misses: list[str] = []
    false_bounce: list[str] = []
    non_total = 0
    for rel, row in _iter_mime(root):
        raw = (root / "mime" / rel).read_bytes()
        mail = parse_mime(raw)
        decision = classify_reply(
            subject=mail.subject, body=mail.text or mail.html or "", headers=mail.headers
        )
        name = Path(rel).name
        is_dsn = row["report_type"] == "delivery-status" or row["delivery_status_part"] == "1"
        if "sisimai" in rel and "rfc3834" in name:
            auto_total += 1
            auto_hit += decision.outcome == "auto_reply"
            if decision.outcome != "auto_reply":
                misses.append(f"{rel} -> {decision.outcome}")
        elif "/not/" in rel:
            non_total += 1
            if decision.outcome == "bounce":
                false_bounce.append(rel)
        elif (
            is_dsn
            or "/bounce/" in rel
            or ("sisimai" in rel and row["report_type"] != "feedback-report" and "arf" not in name)
        ):
            bounce_total += 1
            bounce_hit += decision.outcome == "bounce"
            if decision.outcome != "bounce":
                misses.append(f"{rel} -> {decision.outcome}")
            elif is_dsn:
                addr_total += 1
                addr_hit += decision.bounced_address is not None
        elif "sisimai" not in rel:
            non_total += 1
            if decision.outcome == "bounce":
                false_bounce.append(rel)
    return {
        "bounce_recall": f"{bounce_hit}/{bounce_total}",
        "bounce_recall_rate": round(bounce_hit / bounce_total, 3) if bounce_total else None,
        "bounced_address_found_on_dsn": f"{addr_hit}/{addr_total}",
        "auto_reply_recall": f"{auto_hit}/{auto_total}",
        "other_mime_called_bounce": f"{len(false_bounce)}/{non_total}",
        **(
            {"misses": misses, "false_bounce": false_bounce}
            if verbose
            else {"misses_sample": misses[:15]}
        ),
    }


def eval_false_positives(root: Path, *, verbose: bool) -> dict[str, Any]:
    from core.classify import classify_sent, may_be_ask

    rows = list(
        csv.DictReader((root / "enron" / "manifest.csv").open(newline="", encoding="utf-8"))
    )
    fp: list[str] = []
    fp_emp: list[str] = []
    n = n_emp = 0
    prefilter_pass = 0
    t0 = time.perf_counter()
    for r in rows:
        mail = parse_mime((root / "enron" / r["path"]).read_bytes())
        d = classify_sent(subject=mail.subject, body=mail.visible, headers=mail.headers)
        prefilter_pass += may_be_ask(subject=mail.subject, snippet=mail.visible[:200])
        line = f"{r['path']} | {mail.subject[:60]} | {d.reason}"
        if r["employment_category_1_5"] == "1":
            n_emp += 1
            if d.is_ask:
                fp_emp.append(line)
        else:
            n += 1
            if d.is_ask:
                fp.append(line)
    elapsed = time.perf_counter() - t0
    neg_dir = root / "referral-examples"
    neg_fp: list[str] = []
    negs = (
        sorted(neg_dir.glob("negative_*.txt"))
        + sorted(neg_dir.glob("thank-you_*.txt"))
        + sorted(neg_dir.glob("update_*.txt"))
    )
    for p in negs:
        body = _read(p).split("\n", 2)[-1]
        subj = ""
        m = re.match(r"Subject:\s*(.*)\n", body)
        if m:
            subj = m.group(1)
        d = classify_sent(subject=subj, body=body)
        if d.is_ask:
            neg_fp.append(f"{p.name} | {d.reason}")
    asks = sorted(neg_dir.glob("*-ask_*.txt"))
    ask_hits: list[str] = []
    ask_miss: list[str] = []
    for p in asks:
        body = _read(p).split("\n", 2)[-1]
        m = re.match(r"Subject:\s*(.*)\n", body)
        subj = m.group(1) if m else ""
        d = classify_sent(subject=subj, body=body)
        want = p.name.split("-ask")[0].replace("-", "_")
        want = {"intro": "introduction"}.get(want, want)
        (ask_hits if d.is_ask else ask_miss).append(f"{p.name} -> {d.kind} ({want}) | {d.reason}")
    return {
        "enron_non_employment": {
            "messages": n,
            "called_ask": len(fp),
            "fp_rate": round(len(fp) / n, 4) if n else None,
            "examples": fp[:20],
        },
        "enron_employment_1_5": {
            "messages": n_emp,
            "called_ask": len(fp_emp),
            "note": "category 1.5 holds some real asks/recommendations; listed for review, not a pure FP rate",
            "examples": fp_emp if verbose else fp_emp[:10],
        },
        "may_be_ask_pass_rate_on_enron": round(prefilter_pass / len(rows), 3),
        "referral_examples_negatives": {
            "messages": len(negs),
            "called_ask": len(neg_fp),
            "examples": neg_fp,
        },
        "referral_examples_asks": {
            "messages": len(asks),
            "recalled": len(ask_hits),
            "hits": ask_hits,
            "misses": ask_miss,
        },
        "enron_parse_and_classify_seconds": round(elapsed, 2),
    }


def eval_generated(seeds: list[int], *, verbose: bool) -> dict[str, Any]:
    """Score classify_sent/classify_reply against generated and demo mailboxes' ground truth."""
    from datetime import UTC, datetime

    from connectors.emulators.generator import generate_mailbox, load_demo_mailbox
    from core.classify import OUTCOMES, classify_reply, classify_sent

    def score(messages: Any) -> dict[str, Any]:
        tp = fp = fn = kind_ok = kinds = 0
        conf: dict[str, dict[str, int]] = {}
        misses: list[str] = []
        for m in messages:
            body, t = m.text or m.html or "", m.truth
            if m.direction == "sent" and t.is_ask is not None:
                d = classify_sent(subject=m.subject, body=body, headers=m.headers)
                tp += bool(t.is_ask and d.is_ask)
                fp += bool(d.is_ask and not t.is_ask)
                fn += bool(t.is_ask and not d.is_ask)
                if t.is_ask:
                    kinds += 1
                    kind_ok += d.kind == t.kind
                if bool(d.is_ask) != bool(t.is_ask) or (t.is_ask and d.kind != t.kind):
                    misses.append(f"sent {m.id}: want {t.kind}, got {d.kind} ({d.reason})")
            elif m.direction == "received" and t.outcome:
                r = classify_reply(
                    subject=m.subject, body=body, headers=m.headers, today=m.date.date()
                )
                row = conf.setdefault(t.outcome, {})
                row[r.outcome] = row.get(r.outcome, 0) + 1
                if r.outcome != t.outcome:
                    misses.append(f"reply {m.id}: want {t.outcome}, got {r.outcome} ({r.reason})")
        f1s = []
        for o in OUTCOMES:
            otp = conf.get(o, {}).get(o, 0)
            ofp = sum(v.get(o, 0) for w, v in conf.items() if w != o)
            ofn = sum(n for h, n in conf.get(o, {}).items() if h != o)
            if otp + ofn or ofp:
                f1s.append(2 * otp / (2 * otp + ofp + ofn))
        out: dict[str, Any] = {
            "asks": tp + fn,
            "ask_precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "ask_recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "ask_f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else None,
            "kind_accuracy": round(kind_ok / kinds, 4) if kinds else None,
            "replies": sum(sum(v.values()) for v in conf.values()),
            "reply_macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else None,
        }
        if verbose:
            out["misses"] = misses
        return out

    start = datetime(2026, 1, 5, tzinfo=UTC)
    res: dict[str, Any] = {}
    for seed in seeds:
        res[f"seed_{seed}"] = score(generate_mailbox(seed=seed, sent=3000, start=start, days=120))
    for provider in ("gmail", "graph"):
        res[f"demo_{provider}"] = score(load_demo_mailbox(provider))
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engines", action="store_true", help="compare quote-stripping libraries too")
    ap.add_argument("--verbose", action="store_true", help="list failures")
    ap.add_argument("--only", choices=["visible", "bounce", "fp", "generated"], default=None)
    ap.add_argument(
        "--generated", default="", help="comma-separated generator seeds to score (e.g. 1,2,3)"
    )
    args = ap.parse_args()
    try:
        seeds = [int(x) for x in args.generated.split(",") if x.strip()]
    except ValueError:
        print(json.dumps({"error": "--generated takes comma-separated integers, e.g. 1,2,3"}))
        return 2
    if args.only == "generated":
        print(json.dumps({"generated": eval_generated(seeds, verbose=args.verbose)}, indent=2))
        return 0
    root = corpora_dir()
    if not root.is_dir():
        print(json.dumps({"error": f"corpora not found at {root}; set REFTRACK_CORPORA"}))
        return 1
    out: dict[str, Any] = {"corpora": str(root.resolve())}
    if args.only in (None, "visible"):
        out["visible_text"] = eval_visible(root, engines=args.engines, verbose=args.verbose)
    if args.only in (None, "bounce"):
        out["bounce_auto_reply"] = eval_bounces(root, verbose=args.verbose)
    if args.only in (None, "fp"):
        out["false_positive_asks"] = eval_false_positives(root, verbose=args.verbose)
    if seeds:
        out["generated"] = eval_generated(seeds, verbose=args.verbose)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
