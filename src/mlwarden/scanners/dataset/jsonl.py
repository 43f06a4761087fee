"""JSON Lines: one record per line, flattened into columns named by the path to each string leaf.

``{"user": {"email": "a@b.ru"}, "tags": ["x"]}`` gives the columns ``user.email`` and ``tags[]``.
Lines are read with a length limit (a longer line is skipped and counted, never buffered whole),
nesting deeper than ``max_depth`` is not followed, and integers count as values too, because
national identifiers and phone numbers are often stored as numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from mlwarden.scanners.dataset.reader import Batch, Opener, ReadOptions, ReadStats
from mlwarden.scanners.dataset.sampling import Sampler

__all__ = ["Leaf", "iter_lines", "leaves", "parse_record", "read_jsonl"]

_MAX_LEAVES = 10_000
_SKIP_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Leaf:
    """A string (or integer) value inside a record, and where to write a replacement for it."""

    path: str
    container: Any
    key: Any
    value: str


def iter_lines(stream: BinaryIO, *, limit: int, stats: ReadStats) -> Iterator[tuple[int, bytes]]:
    """``(line number, line)`` for every line up to ``limit`` bytes; longer lines are skipped and counted."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        stats.bytes_read += len(line)
        if len(line) > limit and not line.endswith(b"\n"):
            stats.skip(number)
            while line and not line.endswith(b"\n"):
                line = stream.readline(_SKIP_CHUNK)
                stats.bytes_read += len(line)
            continue
        yield number, line


def parse_record(line: bytes, number: int, stats: ReadStats) -> Any | None:
    """The JSON value on a line, or ``None`` for a blank line or one that is not JSON (counted)."""
    if not line.strip():
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        stats.invalid_utf8 += 1
        if stats.first_invalid_byte is None:
            stats.first_invalid_byte = stats.bytes_read - len(line) + exc.start
        text = line.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        stats.skip(number)
        return None


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def leaves(record: Any, *, max_depth: int) -> Iterator[Leaf]:
    """Every string or integer leaf of ``record`` with its dotted path, depth-first, bounded."""
    top = _scalar(record)
    if top is not None:
        yield Leaf("$", None, None, top)
        return
    stack: list[tuple[str, Any, int]] = [("", record, 0)]
    count = 0
    while stack and count < _MAX_LEAVES:
        prefix, node, depth = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            path = (f"{prefix}.{key}" if prefix else str(key)) if isinstance(node, dict) else f"{prefix}[]"
            text = _scalar(value)
            if text is not None:
                count += 1
                yield Leaf(path, node, key, text)
            elif isinstance(value, dict | list) and depth + 1 < max_depth:
                stack.append((path, value, depth + 1))


def read_jsonl(
    opener: Opener, *, options: ReadOptions, stats: ReadStats, sampler: Sampler | None = None
) -> Iterator[Batch]:
    """Batches of sampled records, one column per leaf path (at most ``max_columns`` paths)."""
    stats.engine = "json"
    with opener() as stream:
        columns: dict[str, list[str | None]] = {}
        first, rows = 0, 0
        for number, line in iter_lines(stream, limit=options.max_line_bytes, stats=stats):
            index = stats.rows
            stats.rows += 1
            rows += 1
            if sampler is None or sampler.take(index, len(line)):
                _add_record(columns, parse_record(line, number, stats), options, stats)
            if rows >= options.batch_rows:
                yield Batch(first, rows, tuple(columns.items()))
                columns, first, rows = {}, stats.rows, 0
        if rows:
            yield Batch(first, rows, tuple(columns.items()))


def _add_record(columns: dict[str, list[str | None]], record: Any, options: ReadOptions, stats: ReadStats) -> None:
    if record is None:
        return
    for leaf in leaves(record, max_depth=options.max_depth):
        values = columns.get(leaf.path)
        if values is None:
            if len(columns) >= options.max_columns:
                stats.columns_dropped += 1
                continue
            values = columns[leaf.path] = []
        values.append(leaf.value)
