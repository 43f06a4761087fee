"""Jupyter notebooks: secrets and personal data in cells, outputs and metadata; risky code in code cells.

A notebook is JSON (nbformat 3 or 4) read with the shared bounded loader. Sources are checked as
Python (with IPython magics split off as shell commands); outputs are checked as the text a reader
of the committed file sees: streams, rich data (HTML and SVG without tags, alt text kept; base64
images skipped), error tracebacks without ANSI codes. Personal data is tallied per cell and kind, so
a printed 10,000-row DataFrame is a few findings, not thousands. A malformed notebook is a finding.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

import re2

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Location
from mlwarden.core.rules import Rule
from mlwarden.detectors.base import Match
from mlwarden.detectors.code import find_code_risks, find_shell_risks
from mlwarden.detectors.code.ipython import split_cell
from mlwarden.detectors.detector_set import DetectorSet
from mlwarden.detectors.redact import keyed_digest
from mlwarden.detectors.secrets import find_secrets
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.code_rules import CODE_RULES, NOTEBOOK_MALFORMED, NOTEBOOK_RULES, TRACEBACK_PATHS
from mlwarden.scanners.dataset.masking import mask_value
from mlwarden.scanners.sensitive_rules import PII_RULES, SECRET_RULES, pii_rule, pii_severity
from mlwarden.scanners.source import FindingFactory
from mlwarden.scanners.structured import MalformedError, iter_json_nodes, load_json
from mlwarden.scanners.textread import read_text, secret_positions

__all__ = ["MAX_PII_FINDINGS", "NotebookScanner"]

MAX_PII_FINDINGS = 100
_MAX_PIECE_CHARS = 1 << 20
_MAX_METADATA_NODES = 50_000
# nbformat 3 kept rich output under short keys; nbformat 4 uses MIME types under "data".
_V3_MIME = {
    "text": "text/plain", "html": "text/html", "svg": "image/svg+xml", "markdown": "text/markdown",
    "latex": "text/latex", "json": "application/json", "javascript": "application/javascript",
    "png": "image/png", "jpeg": "image/jpeg",
}  # fmt: skip
_NOT_DATA = frozenset({"output_type", "metadata", "prompt_number", "execution_count", "transient"})
_MARKUP = frozenset({"text/html", "image/svg+xml"})


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    options = re2.Options()
    options.max_mem = 16 << 20
    return {
        "ansi": re2.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]", options),
        "tags": re2.compile(r"<[^>]*>", options),
        "alt": re2.compile(r"(?i)\b(?:alt|title|aria-label)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", options),
        "home": re2.compile(r"(?:/home/|/Users/|[A-Za-z]:\\{1,2}Users\\{1,2})([A-Za-z0-9._-]{1,64})", options),
    }


def _text(value: Any) -> str | None:
    """A notebook multiline string: a str or a list of str; anything else is None."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    return None


def _markup_text(markup: str) -> str:
    """HTML/SVG as a reader sees it: alt/title text first, then text without tags, entities decoded."""
    pats = _patterns()
    alts = [m.group(1) or m.group(2) or "" for m in pats["alt"].finditer(markup)]
    return "\n".join([*alts, html.unescape(pats["tags"].sub(" ", markup))])


def _mime_text(mime: str, value: Any) -> str | None:
    if mime.startswith("image/") and mime != "image/svg+xml":
        return None  # base64 pixels: nothing a text detector can read
    text = _text(value)
    if text is None and isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    if text is None:
        return None
    return _markup_text(text) if mime in _MARKUP else text


def _output_texts(output: Any) -> Iterator[tuple[str, str]]:
    """(label, text) for each readable part of one output."""
    if not isinstance(output, dict):
        return
    kind = output.get("output_type")
    if kind == "stream":
        yield "stream", _text(output.get("text")) or ""
    elif kind in ("error", "pyerr"):
        trace = output.get("traceback")
        lines = [line for line in trace if isinstance(line, str)] if isinstance(trace, list) else []
        head = f"{output.get('ename', '')}: {output.get('evalue', '')}"
        yield "error", _patterns()["ansi"].sub("", "\n".join([head, *lines]))
    else:
        data = output.get("data")
        if not isinstance(data, dict):
            data = {_V3_MIME.get(k, k): v for k, v in output.items() if k not in _NOT_DATA}
        for mime, value in data.items():
            text = _mime_text(str(mime), value)
            if text:
                yield str(mime), text


def _metadata_text(metadata: Any) -> str:
    """String leaves of a metadata tree as ``key: value`` lines, so key-named credentials are found."""
    if not isinstance(metadata, dict) or not metadata:
        return ""
    lines = []
    for path, node in iter_json_nodes(metadata, max_nodes=_MAX_METADATA_NODES):
        if isinstance(node, str):
            key = path.rsplit(".", 1)[-1].split("[", 1)[0]
            lines.append(f"{key}: {node}")
    return "\n".join(lines)


@dataclass(slots=True)
class _Cell:
    number: int
    kind: str
    source: str
    outputs: list[Any]
    metadata: Any


def _cell(number: int, raw: Any, problems: list[str]) -> _Cell | None:
    if not isinstance(raw, dict):
        problems.append(f"cell {number} is not an object")
        return None
    kind = raw.get("cell_type")
    source = _text(raw.get("source", raw.get("input", "")))
    outputs = raw.get("outputs", [])
    if not isinstance(kind, str) or source is None or not isinstance(outputs, list):
        problems.append(f"cell {number} has a cell_type, source or outputs of the wrong type")
    return _Cell(
        number=number,
        kind=kind if isinstance(kind, str) else "",
        source=source or "",
        outputs=outputs if isinstance(outputs, list) else [],
        metadata=raw.get("metadata"),
    )


def _cells(doc: Any) -> tuple[list[_Cell], list[str]]:
    """Cells of nbformat 4 (``cells``) or 3 (``worksheets[].cells``), numbered from 1, and what is wrong."""
    if not isinstance(doc, dict):
        return [], ["the top level is not a JSON object"]
    raw_cells = doc.get("cells")
    if raw_cells is None and isinstance(doc.get("worksheets"), list):
        sheets = [ws.get("cells") for ws in doc["worksheets"] if isinstance(ws, dict)]
        raw_cells = [cell for cells in sheets if isinstance(cells, list) for cell in cells]
    if not isinstance(raw_cells, list):
        return [], ["there is no list of cells"]
    problems: list[str] = []
    cells = [_cell(number, raw, problems) for number, raw in enumerate(raw_cells, start=1)]
    return [cell for cell in cells if cell is not None], problems


def _is_python(doc: dict[str, Any]) -> bool:
    metadata = doc.get("metadata")
    if not isinstance(metadata, dict):
        return True
    for section, key in (("language_info", "name"), ("kernelspec", "language")):
        block = metadata.get(section)
        if isinstance(block, dict) and isinstance(block.get(key), str):
            return bool(block[key].lower().startswith("python"))
    return True


@dataclass(slots=True)
class _Tally:
    """Personal data per (cell, kind): a count and the first value's position, bounded in number."""

    seen: dict[tuple[int, str], list[Any]] = field(default_factory=dict)

    def add(self, cell: int, match: Match, value: str, where: str, line: int | None) -> None:
        entry = self.seen.get((cell, match.kind))
        if entry is None:
            if len(self.seen) < MAX_PII_FINDINGS:
                self.seen[(cell, match.kind)] = [1, match, value, where, line]
            return
        entry[0] += 1
        entry[1] = max(entry[1], match, key=lambda m: m.confidence)

    def findings(self, make: FindingFactory) -> Iterator[Finding]:
        for (cell, kind), (count, match, value, where, line) in self.seen.items():
            more = f" (+{count - 1} more)" if count > 1 else ""
            place = f"cell {cell}" if cell else "the notebook"
            yield pii_rule(match).finding(
                location=make.location(cell=cell or None, line=line),
                message=f"{count} {kind} value{'s' if count > 1 else ''} in {place}, first in {where}",
                evidence=f"{kind}: {mask_value(kind, value)}{more}",
                scanner=make.scanner,
                scanner_version=make.version,
                match_key=f"pii:{kind}:cell{cell}",
                confidence=match.confidence,
                severity=pii_severity(match),
            )


class NotebookScanner:
    """Reads one .ipynb: cells' sources, outputs and metadata; never runs or imports anything in it."""

    name: ClassVar[str] = "notebook"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.NOTEBOOK})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = (*NOTEBOOK_RULES, *CODE_RULES, *SECRET_RULES, *PII_RULES)

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings cell by cell; a notebook that is not valid JSON is one MW-NB-001 finding."""
        text = read_text(artifact, ctx)
        make = FindingFactory(artifact, self.name, self.version)
        try:
            doc = load_json(text, ctx.budget, where=artifact.display).value
        except MalformedError as exc:
            yield self._malformed(make, exc.reason)
            yield from self._raw_secrets(make, text)
            return
        cells, problems = _cells(doc)
        if problems:
            yield self._malformed(make, f"{problems[0]} ({len(problems)} problem(s))")
        yield from _Run(make, ctx, python=isinstance(doc, dict) and _is_python(doc)).notebook(doc, cells)

    def _malformed(self, make: FindingFactory, reason: str) -> Finding:
        return NOTEBOOK_MALFORMED.finding(
            location=make.location(),
            message=f"cannot parse notebook {make.artifact.basename}: {reason}",
            evidence=reason[:200],
            scanner=self.name,
            scanner_version=self.version,
            match_key=f"malformed:{reason.split(':', 1)[0][:60]}",
        )

    def _raw_secrets(self, make: FindingFactory, text: str) -> Iterator[Finding]:
        """Secrets in a broken notebook's raw text, by file line: a parse error must not hide a key."""
        for match, line, column in secret_positions(text, list(find_secrets(text))):
            location = make.location(line=line, column=column)
            yield make.secret(match, text[match.start : match.end], location, f"line {line} of the raw file")


@dataclass(slots=True)
class _Run:
    """State of one notebook scan: import aliases across cells, the PII tally, secrets already reported."""

    make: FindingFactory
    ctx: ScanContext
    python: bool
    aliases: dict[str, str] = field(default_factory=dict)
    tally: _Tally = field(default_factory=_Tally)
    reported: set[tuple[str, int, int | None]] = field(default_factory=set)
    detectors: DetectorSet = field(default_factory=DetectorSet.default)

    def notebook(self, doc: Any, cells: list[_Cell]) -> Iterator[Finding]:
        for cell in cells:
            self.ctx.deadline.check(f"{self.make.artifact.display} cell {cell.number}")
            yield from self._source(cell)
            for index, output in enumerate(cell.outputs, start=1):
                for label, text in _output_texts(output):
                    yield from self._sensitive(text, cell.number, f"output {index} ({label})", in_source=False)
                    if label == "error":
                        yield from self._traceback(text, cell.number)
            meta = _metadata_text(cell.metadata)
            yield from self._sensitive(meta, cell.number, "cell metadata", in_source=False)
        top = doc.get("metadata") if isinstance(doc, dict) else None
        yield from self._sensitive(_metadata_text(top), 0, "notebook metadata", in_source=False)
        yield from self.tally.findings(self.make)

    def _source(self, cell: _Cell) -> Iterator[Finding]:
        yield from self._sensitive(cell.source, cell.number, "source", in_source=True)
        if cell.kind != "code":
            return
        parts = split_cell(cell.source)
        if parts.python is not None and self.python:
            for match in find_code_risks(parts.python, aliases=self.aliases):
                yield self.make.code(match, cell=cell.number)
        for line, command in parts.shell:
            for risk in find_shell_risks(command):
                yield self.make.shell(risk, command, line=line, cell=cell.number)

    def _sensitive(self, text: str, cell: int, where: str, *, in_source: bool) -> Iterator[Finding]:
        if not text:
            return
        piece = text[:_MAX_PIECE_CHARS]
        matches = self.detectors.detect(piece)
        for match, line, column in secret_positions(piece, matches):
            value = piece[match.start : match.end]
            spot = where + (f", line {line}" if in_source else "")
            if match.kind != "SECRET":
                self.tally.add(cell, match, value, spot, line if in_source else None)
                continue
            spot = f"cell {cell} {spot}" if cell else spot
            ident = (keyed_digest(value), cell, line if in_source else None)
            if ident not in self.reported:
                self.reported.add(ident)
                location = self._where(cell, line if in_source else None, column if in_source else None)
                yield self.make.secret(match, value, location, spot)

    def _where(self, cell: int, line: int | None, column: int | None) -> Location:
        return self.make.location(cell=cell or None, line=line, column=column)

    def _traceback(self, text: str, cell: int) -> Iterator[Finding]:
        found = _patterns()["home"].search(text)
        if found is None:
            return
        user = found.group(1)
        shown = text[found.start() : found.start(1)] + mask_value("PERSON", user)
        yield TRACEBACK_PATHS.finding(
            location=self._where(cell, None, None),
            message=f"error output in cell {cell} shows a home directory path ({shown})",
            evidence=shown,
            scanner=self.make.scanner,
            scanner_version=self.make.version,
            match_key=f"traceback:{keyed_digest(user)}",
        )
