"""``re.compile`` for the classifier's long alternations, with shared leading tokens factored out.

The rules are written for people to read: ``\\bunfortunately\\b|\\bcan'?t …|\\bnot in a position …``,
a hundred alternatives each starting with ``\\b``. Python's backtracking engine tries every
alternative at every position of the text, so the cost grows with the number of alternatives,
not with how many could match there. Factoring the common first token of *consecutive*
alternatives (``\\bA|\\bB|\\bC`` -> ``\\b(?:A|B|C)``, then ``not A|not B`` -> ``not (?:A|B)``)
lets the engine reject most positions after one test, which makes the big rules 2-9x faster.

The rewrite keeps the match exactly: only a run of adjacent alternatives is merged, so they are
still tried in their written order, and only when they begin with the same single-step token (a
word boundary or anchor, a literal character, a character class), which matches at most one way.
``tests/test_fastre.py`` checks every pattern that goes through here against ``re`` on the
labelled mail.

The parse tree comes from the standard library's own regex parser (``re._parser``), which is not a
public API: if it is missing or its shape changes, ``compile`` falls back to plain ``re.compile``
(the same matches, only slower).
"""

from __future__ import annotations

import re
from typing import Any

try:  # CPython's regex parser and compiler; private, so guarded
    import _sre  # type: ignore[import-not-found,unused-ignore]
    from re import _compiler, _constants, _parser  # type: ignore[attr-defined,unused-ignore]

    _SIMPLE: tuple[Any, ...] = (
        _constants.AT,
        _constants.LITERAL,
        _constants.NOT_LITERAL,
        _constants.IN,
        _constants.ANY,
    )
except ImportError:  # pragma: no cover - another Python implementation
    _parser = None

# Every factored pattern compiled here: the equivalence test compiles each source again with ``re``
# and compares (done there, not here, so that importing the classifier compiles each pattern once).
COMPILED: list[re.Pattern[str]] = []


def _head(item: tuple[Any, Any]) -> tuple[Any, str] | None:
    """A key for a single-step first token (anchor, literal, class), None for anything else."""
    op, av = item
    return (op, repr(av)) if op in _SIMPLE else None


def _anchor_first(sp: Any) -> Any:
    """Move word-boundary/anchor tests ahead of lookarounds at the start of an alternative:
    ``(?<!you )\\bhold off`` -> ``\\b(?<!you )hold off``. Zero-width tests at one position
    commute, so the match is the same, and the alternative can join a ``\\b`` run."""
    c = _constants
    lead = 0
    while lead < len(sp.data) and (
        sp.data[lead][0] is c.AT
        or (
            sp.data[lead][0] in (c.ASSERT, c.ASSERT_NOT)
            and "SUBPATTERN" not in str(sp.data[lead][1])
        )
    ):
        lead += 1
    if lead < 2:
        return sp
    head = sp.data[:lead]
    ordered = [x for x in head if x[0] is c.AT] + [x for x in head if x[0] is not c.AT]
    if ordered == head:
        return sp
    return _parser.SubPattern(sp.state, ordered + sp.data[lead:])


def _factor_alts(state: Any, alts: list[Any]) -> list[Any]:
    alts = [_anchor_first(a) for a in alts]
    out: list[Any] = []
    i = 0
    while i < len(alts):
        key = _head(alts[i].data[0]) if alts[i].data else None
        j = i + 1
        if key is not None:
            while j < len(alts) and alts[j].data and _head(alts[j].data[0]) == key:
                j += 1
        if j - i < 2:
            out.append(alts[i])
            i = j
            continue
        rests = _factor_alts(state, [_parser.SubPattern(state, a.data[1:]) for a in alts[i:j]])
        data = [alts[i].data[0]]
        if len(rests) > 1:
            data.append((_constants.BRANCH, (None, rests)))
        else:
            data.extend(rests[0].data)
        out.append(_parser.SubPattern(state, data))
        i = j
    return out


def _factor(sp: Any) -> Any:
    c = _constants
    data: list[tuple[Any, Any]] = []
    for op, av in sp.data:
        if op is c.BRANCH:
            alts = _factor_alts(sp.state, [_factor(a) for a in av[1]])
            if len(alts) == 1:
                data.extend(alts[0].data)
            else:
                data.append((op, (None, alts)))
        elif op is c.SUBPATTERN:
            group, add_flags, del_flags, inner = av
            data.append((op, (group, add_flags, del_flags, _factor(inner))))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, hi, inner = av
            data.append((op, (lo, hi, _factor(inner))))
        elif op in (c.ASSERT, c.ASSERT_NOT):
            direction, inner = av
            data.append((op, (direction, _factor(inner))))
        else:
            data.append((op, av))
    return _parser.SubPattern(sp.state, data)


def _factored(pattern: str, flags: int) -> re.Pattern[str]:
    tree = _factor(_parser.parse(pattern, flags))
    code = _compiler._code(tree, flags)
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, index in tree.state.groupdict.items():
        indexgroup[index] = name
    compiled: re.Pattern[str] = _sre.compile(
        pattern,
        flags | tree.state.flags,
        code,
        tree.state.groups - 1,
        tree.state.groupdict,
        tuple(indexgroup),
    )
    return compiled


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # mirrors re.compile
    """``re.compile(pattern, flags)`` with equal matches, faster on long alternations."""
    if _parser is None:
        return re.compile(pattern, flags)
    try:
        fast = _factored(pattern, flags)
    except Exception:  # a bad pattern (re raises its own error) or an internal API changed
        return re.compile(pattern, flags)
    COMPILED.append(fast)
    return fast
