"""core.fastre: the factored patterns match exactly what ``re`` matches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import core.classify  # compiles every classifier pattern through fastre
from core import fastre

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("pattern", "flags", "texts"),
    [
        (r"\bab|\bac|x", 0, ["ab", "ac", "x", "zab", "ax", "a b", ""]),
        (r"\bno|\bnot|\bnothing", 0, ["nothing here", "not now", "no", "knot", "ano"]),
        # the written order decides between alternatives that both match at one position
        (r"\b(?:ab|abc)(d?)", 0, ["abcd", "abd", "ab"]),
        (r"(?<!if )\bsent\b|(?<!when )\bsent it\b", 0, ["if sent it", "when sent it", "sent it"]),
        (
            r"(?P<w>\bhe)llo|\bhey|(?:^|[.!?]\s+)no[.!]\s",
            re.I,
            ["Hello", "HEY", "x. No. y", "No! z"],
        ),
        (r"\b(?:a|b)c|\b(?:a|b)d|", re.M, ["ac bd", "\nbd", ""]),
        # lookarounds ahead of \b commute with it: (?<!you )\bhold joins the \b run
        (
            r"\bhold on|(?<!you )\bhold off|(?=z)\bzed|\bhol",
            0,
            ["you hold off", "i hold off", "zed", "holy"],
        ),
    ],
)
def test_factored_pattern_matches_like_re(pattern: str, flags: int, texts: list[str]) -> None:
    fast, plain = fastre.compile(pattern, flags), re.compile(pattern, flags)
    assert fast.pattern == pattern and fast.flags == plain.flags
    assert fast.groupindex == plain.groupindex
    for text in texts:
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(text)], text


def test_a_bad_pattern_raises_re_error() -> None:
    with pytest.raises(re.error):
        fastre.compile(r"\b(unclosed")


def test_every_classifier_pattern_is_factored_and_equal_on_labelled_mail() -> None:
    """All ~340 patterns of core.classify* and core.text against plain ``re`` on real-looking
    text: lowercased bodies of the labelled mail and their single lines."""
    assert len(fastre.COMPILED) > 300  # every module's patterns went through fastre
    rows: list[dict[str, str]] = []
    for f in sorted(DATA.glob("labelled/fresh_*.jsonl"))[:6]:
        with f.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    texts = [str(r["body"]) for r in rows[:400]]
    texts += [t.lower() for t in texts]
    texts += [line for t in texts[-150:] for line in t.splitlines() if line.strip()][:600]
    for fast in fastre.COMPILED:
        plain = re.compile(fast.pattern, fast.flags)
        for text in texts:
            a, b = plain.search(text), fast.search(text)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), plain.pattern


def test_leading_word_boundaries_are_factored() -> None:
    """The refusal rule's ~100 alternatives, nearly all starting with a word boundary, become a
    handful at the top: the engine no longer enters every alternative at every character."""
    from re import _parser  # type: ignore[attr-defined,unused-ignore]

    def top_alternatives(tree: object) -> int:
        (op, av), *_ = tree.data  # type: ignore[attr-defined]
        return len(av[1]) if op is _parser.BRANCH else 1

    source = core.classify._DECLINED.pattern
    before = top_alternatives(_parser.parse(source))
    after = top_alternatives(fastre._factor(_parser.parse(source)))
    assert before > 80 and after * 5 < before, (before, after)
