"""``reftrack extract`` / ``reftrack classify`` / ``reftrack eval``: the mail-understanding commands.

- ``extract FILE`` prints the visible text (quotes and signature removed) of a raw message
  (.eml), or of a plain-text or HTML body; ``-`` reads stdin.
- ``classify FILE.jsonl`` reads one JSON object per line
  ``{"id", "direction": "sent"|"received", "subject", "body", "headers"?}`` and writes, in order,
  one line per input ``{"id", "is_ask", "kind", "outcome", "confidence", "reason"}``. This is a
  stable contract used by an external evaluation: keys, order and types do not change.
- ``eval [PATH ...]`` scores the classifier on labelled JSONL (rows with an ``expected`` object;
  default: the repository's tests/data/labelled set) and prints precision/recall/F1 per class
  and confusion matrices (``--json`` for machine-readable output).

Invariants: bad input ends with one sentence saying what to do (exit 1), never a traceback;
nothing here writes to the database.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from core.classify_eval import classify_row, evaluate_rows, format_report
from core.text import looks_like_html, parse_mime, visible_text
from sync.cli_app import app, fail

_CONTRACT_KEYS = ("id", "is_ask", "kind", "outcome", "confidence", "reason")


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.is_file():
        fail(
            f"{path}: no such file; pass the path of an .eml, .txt or .html file (or - for stdin)."
        )
    try:
        return p.read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot be read ({exc.strerror}); check its permissions.")


def _looks_like_rfc822(data: bytes) -> bool:
    head = data[:4096].decode("utf-8", errors="replace").replace("\r\n", "\n")
    block = head.split("\n\n", 1)[0]
    lines = [ln for ln in block.split("\n") if ln and not ln[0].isspace()]
    if not lines:
        return False
    headerish = sum(1 for ln in lines if ":" in ln and " " not in ln.split(":", 1)[0])
    names = {ln.split(":", 1)[0].lower() for ln in lines if ":" in ln}
    return headerish == len(lines) and bool(
        names & {"from", "to", "subject", "date", "message-id", "received", "mime-version"}
    )


@app.command("extract")
def extract(
    file: Annotated[
        str, typer.Argument(help="An .eml message, or a plain-text/HTML body; - for stdin.")
    ],
) -> None:
    """Print the visible text of a message: quotes, signatures and HTML removed."""
    data = _read_bytes(file)
    if _looks_like_rfc822(data):
        text = parse_mime(data).visible
    else:
        body = data.decode("utf-8", errors="replace")
        text = (
            visible_text(text=None, html=body)
            if looks_like_html(body)
            else visible_text(text=body, html=None)
        )
    sys.stdout.write(text + ("\n" if text and not text.endswith("\n") else ""))


def _iter_jsonl(path: str) -> Iterator[tuple[int, Any]]:
    if path == "-":
        stream: Any = sys.stdin
    else:
        p = Path(path)
        if not p.is_file():
            fail(
                f"{path}: no such file; pass a JSONL file (one JSON object per line) or - for stdin."
            )
        stream = p.open(encoding="utf-8", errors="replace")
    try:
        for n, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                fail(
                    f"{path} line {n} is not valid JSON ({exc.msg}); "
                    "write one JSON object per line."
                )
    finally:
        if stream is not sys.stdin:
            stream.close()


@app.command("classify")
def classify(
    file: Annotated[str, typer.Argument(help="JSONL input (one message per line); - for stdin.")],
) -> None:
    """Classify messages: is each sent one an ask (which kind), what does each reply mean."""
    out = sys.stdout
    for n, row in _iter_jsonl(file):
        try:
            result = classify_row(row, where=f"line {n}")
        except ValueError as exc:
            fail(f"{exc} Each line needs id, direction (sent|received), subject and body.")
        out.write(json.dumps({k: result[k] for k in _CONTRACT_KEYS}, ensure_ascii=False) + "\n")
    out.flush()


def _default_labelled() -> list[Path]:
    root = Path(__file__).resolve().parents[2] / "tests" / "data" / "labelled"
    return sorted(root.glob("*.jsonl"))


@app.command("eval")
def eval_(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Labelled JSONL files (default: tests/data/labelled/*.jsonl)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List every misclassified row.")] = False,
) -> None:
    """Score the classifier on labelled messages: precision/recall/F1 and confusion matrices."""
    files = [Path(p) for p in paths] if paths else _default_labelled()
    if not files:
        fail(
            "no labelled set found; pass JSONL files whose rows carry an 'expected' object "
            "(see tests/data/labelled/)."
        )
    rows: list[dict[str, Any]] = []
    for f in files:
        for n, row in _iter_jsonl(str(f)):
            if not isinstance(row, dict):
                fail(f"{f} line {n}: expected a JSON object; write one object per line.")
            rows.append(row)
    if not any(isinstance(r.get("expected"), dict) for r in rows):
        fail("none of the rows has an 'expected' object, so there is nothing to score.")
    try:
        report = evaluate_rows(rows)
    except ValueError as exc:
        fail(f"{exc} Fix that row and run again.")
    if as_json:
        data = report.as_dict()
        if not errors:
            data.pop("errors", None)
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    sys.stdout.write(format_report(report) + "\n")
    if errors and report.errors:
        sys.stdout.write("ERRORS\n" + "\n".join(f"  {e}" for e in report.errors) + "\n")
