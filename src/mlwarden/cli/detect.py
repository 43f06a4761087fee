"""``mlwarden detect``: run the sensitive-data detectors over JSON lines (or plain text lines).

Input: one record per line. A line that is a JSON object with a string ``text`` field is matched on
that field (other fields are ignored); any other line, JSON or not, is matched as plain text
(without its line ending). Bytes that are not valid UTF-8 are replaced by U+FFFD before matching.
Output: one JSON object per input line, in order, written as each line is read:
``{"matches": [{"start", "end", "kind", "confidence", "subtype"?}]}`` with offsets in code points
of the decoded text. ``--format json`` writes one JSON array of those objects at the end instead.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from mlwarden.core.errors import UsageError

if TYPE_CHECKING:
    from mlwarden.detectors.base import Match

__all__ = ["detect_command", "line_text", "match_record"]

_FORMATS = ("jsonl", "json")


def line_text(raw: bytes) -> str:
    """The text to match for one input line: a JSON object's ``text`` field, else the decoded line."""
    line = raw.decode("utf-8", errors="replace").removesuffix("\n").removesuffix("\r")
    if line.startswith("{"):
        try:
            record = json.loads(line)
        except ValueError:
            return line
        if isinstance(record, dict) and isinstance(record.get("text"), str):
            return str(record["text"])
    return line


def match_record(match: Match) -> dict[str, Any]:
    """The public JSON shape of one match (``subtype`` only when there is one)."""
    record: dict[str, Any] = {
        "start": match.start,
        "end": match.end,
        "kind": match.kind,
        "confidence": round(match.confidence, 3),
    }
    if match.subtype is not None:
        record["subtype"] = match.subtype
    return record


@contextmanager
def _open(source: str) -> Iterator[BinaryIO]:
    if source == "-":
        yield sys.stdin.buffer
        return
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"cannot read {source!r}: not a file", hint="pass a JSON-lines file, or '-' for stdin")
    with path.open("rb") as handle:
        yield handle


def _kinds(value: str | None) -> frozenset[str] | None:
    """The ``--kinds`` asked for; a typo is an error, not a silent run that can never match anything."""
    if not value:
        return None
    wanted = frozenset(k.strip().upper() for k in value.split(",") if k.strip())
    from mlwarden.detectors.pii import PII_KINDS  # imported on use: keeps `mlwarden --help` fast

    known = PII_KINDS | {"SECRET"}
    unknown = sorted(wanted - known)
    if unknown:
        raise UsageError(
            f"unknown kind(s) for --kinds: {', '.join(unknown)}", hint=f"choose from: {', '.join(sorted(known))}"
        )
    return wanted


def detect_command(
    source: Annotated[str, typer.Argument(help="JSON lines with a 'text' field, or '-' for stdin.")] = "-",
    output_format: Annotated[str, typer.Option("--format", help="jsonl (streaming) or json (one array).")] = "jsonl",
    kinds: Annotated[str | None, typer.Option("--kinds", help="Comma-separated kinds (default: all).")] = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0)] = 0.5,
    secrets: Annotated[bool, typer.Option("--secrets/--no-secrets", help="Also report secrets.")] = True,
) -> None:
    """Detect personal data, organisation ids and secrets in each input line; one JSON result per line."""
    if output_format not in _FORMATS:
        raise UsageError(f"unknown format {output_format!r}", hint=f"use one of: {', '.join(_FORMATS)}")
    from mlwarden.detectors.detector_set import DetectorSet

    detectors = DetectorSet(kinds=_kinds(kinds), min_confidence=min_confidence, secrets=secrets)
    collected: list[dict[str, Any]] = []
    out = sys.stdout
    with _open(source) as handle:
        for raw in handle:
            result = {"matches": [match_record(m) for m in detectors.detect(line_text(raw))]}
            if output_format == "json":
                collected.append(result)
                continue
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            if source == "-":
                out.flush()  # a script talking to us over a pipe gets each answer at once
    if output_format == "json":
        out.write(json.dumps(collected, ensure_ascii=False) + "\n")
