"""Find risky ML code patterns in Python source with ``ast`` (never executing), bounded and stack-safe.

``ast.parse`` is fed at most ``MAX_AST_CHARS`` characters whose bracket nesting is at most
``MAX_NESTING``; deeper or larger input, and anything the parser refuses (syntax errors, Python 2,
RecursionError, MemoryError), falls back to a line-based RE2 scan of the most important patterns.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator

from mlwarden.detectors.code.calls import Hit, analyze
from mlwarden.detectors.code.fallback import scan_lines
from mlwarden.detectors.code.match import CodeMatch
from mlwarden.detectors.redact import mask
from mlwarden.detectors.secrets import find_secrets

__all__ = ["MAX_AST_CHARS", "MAX_NESTING", "MAX_SOURCE_CHARS", "find_code_risks", "masked_snippet", "split_lines"]

MAX_AST_CHARS = 2 * 1024 * 1024
MAX_SOURCE_CHARS = 32 * 1024 * 1024
MAX_NESTING = 100
_SNIPPET_CHARS = 120
_OPEN = frozenset("([{")
_CLOSE = frozenset(")]}")
_NOT_BRACKETS = re.compile(r"[^()\[\]{}]+")


def split_lines(source: str) -> list[str]:
    """Lines as the Python tokenizer counts them (``\\n``, ``\\r\\n`` and ``\\r`` only)."""
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _nesting(source: str) -> int:
    """Maximum bracket depth, counting brackets inside strings too (an overestimate is safe)."""
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", source):
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
    return deepest


def _parse(source: str) -> ast.Module | None:
    if len(source) > MAX_AST_CHARS or _nesting(source) > MAX_NESTING:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in the scanned file are not our warnings
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def masked_snippet(line: str, limit: int = _SNIPPET_CHARS) -> str:
    """One source line, stripped and bounded, with every secret on it replaced by its mask."""
    text = line.strip()[: limit * 4]
    for match in sorted(find_secrets(text), key=lambda m: m.start, reverse=True):
        text = text[: match.start] + mask(text[match.start : match.end]) + text[match.end :]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _column(line: str, byte_offset: int) -> int:
    """1-based character column from ast's UTF-8 byte offset."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", "ignore")) + 1


def _from_hit(hit: Hit, lines: list[str]) -> CodeMatch:
    number = getattr(hit.node, "lineno", 1)
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    return CodeMatch(
        key=hit.key,
        name=hit.name,
        line=number,
        column=_column(line, getattr(hit.node, "col_offset", 0)),
        end_line=getattr(hit.node, "end_lineno", None) or number,
        snippet=masked_snippet(line),
        confidence=hit.confidence,
    )


def find_code_risks(source: str, *, aliases: dict[str, str] | None = None) -> Iterator[CodeMatch]:
    """Yield risky constructs in ``source``, each once per (pattern, name, position).

    ``aliases`` carries import bindings between pieces of one program (notebook cells in order): it
    seeds name resolution and is extended with this source's imports.
    """
    text = source[:MAX_SOURCE_CHARS]
    lines = split_lines(text)
    tree = _parse(text)
    seen: set[tuple[str, str, int, int]] = set()
    if tree is None:
        for key, name, number, column, confidence in sorted(scan_lines(lines), key=lambda r: (r[2], r[3])):
            if (key, name, number, column) not in seen:
                seen.add((key, name, number, column))
                snippet = masked_snippet(lines[number - 1])
                yield CodeMatch(
                    key=key, name=name, line=number, column=column, end_line=number, snippet=snippet,
                    confidence=confidence,
                )  # fmt: skip
        return
    matches = [_from_hit(hit, lines) for hit in analyze(tree, aliases if aliases is not None else {})]
    for match in sorted(matches, key=lambda m: (m.line, m.column)):
        ident = (match.key, match.name, match.line, match.column)
        if ident not in seen:
            seen.add(ident)
            yield match
