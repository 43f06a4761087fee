"""Streaming rewrite of a dataset: read batches, transform them, write the same format.

``redact`` and ``forget`` differ only in the transform. CSV/TSV keep their delimiter, header and
line ending; JSONL keeps every untouched line byte for byte; Parquet keeps its schema.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import UsageError
from mlwarden.core.extras import require
from mlwarden.scanners.dataset.jsonl import Leaf, iter_lines, leaves, parse_record
from mlwarden.scanners.dataset.reader import ReadOptions, ReadStats, read_csv

__all__ = ["JsonRecord", "RowBatch", "rewrite_csv", "rewrite_jsonl", "rewrite_parquet"]

# A CSV batch: the column names (unique) and the rows' values, column-major; returns what to write.
RowBatch = list[list[str | None]]
TableTransform = Callable[[list[str], RowBatch], RowBatch]
ArrowTransform = Callable[[Any], Any]


@dataclass(slots=True)
class JsonRecord:
    """One JSONL line: its raw bytes, the parsed value (``None`` when unparsable) and its leaves."""

    raw: bytes
    value: Any
    leaves: list[Leaf]
    changed: bool = False
    dropped: bool = False


def _line_ending(source: Path) -> str:
    with source.open("rb") as stream:
        head = stream.read(1 << 16)
    return "\r\n" if b"\r\n" in head else "\n"


def rewrite_csv(
    source: Path, target: Path, *, tab: bool, transform: TableTransform, stats: ReadStats, options: ReadOptions
) -> list[str]:
    """Stream ``source`` through ``transform`` into ``target``; returns the header."""
    from mlwarden.scanners.dataset.reader import unique_names

    delimiter, header, batches = read_csv(lambda: source.open("rb"), tab=tab, options=options, stats=stats)
    names = unique_names(header)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator=_line_ending(source))
        writer.writerow(header)
        for batch in batches:
            columns = transform(names, [values for _, values in batch.columns])
            writer.writerows(zip(*columns, strict=True))
    return names


def _json_batches(source: Path, stats: ReadStats, options: ReadOptions) -> Iterator[list[JsonRecord]]:
    with source.open("rb") as stream:
        batch: list[JsonRecord] = []
        for number, line in iter_lines(stream, limit=options.max_line_bytes, stats=stats):
            stats.rows += 1
            value = parse_record(line, number, stats)
            found = [] if value is None else list(leaves(value, max_depth=options.max_depth))
            batch.append(JsonRecord(line, value, found, dropped=value is None and bool(line.strip())))
            if len(batch) >= 4096:
                yield batch
                batch = []
        if batch:
            yield batch


def rewrite_jsonl(
    source: Path,
    target: Path,
    *,
    transform: Callable[[list[JsonRecord]], None],
    stats: ReadStats,
    options: ReadOptions,
) -> None:
    """Stream JSON lines through ``transform`` (which edits records in place or marks them dropped)."""
    import json

    with target.open("wb") as out:
        for batch in _json_batches(source, stats, options):
            transform(batch)
            buffer = io.BytesIO()
            for record in batch:
                if record.dropped:
                    continue
                if record.changed:
                    buffer.write(json.dumps(record.value, ensure_ascii=False).encode("utf-8") + b"\n")
                else:
                    buffer.write(record.raw if record.raw.endswith(b"\n") else record.raw + b"\n")
            out.write(buffer.getvalue())


def rewrite_parquet(source: Path, target: Path, *, transform: ArrowTransform, stats: ReadStats) -> Any:
    """Stream Parquet record batches through ``transform`` into a file with the same schema."""
    pq = require("pyarrow.parquet", extra="data")
    pa = require("pyarrow", extra="data")
    try:
        parquet = pq.ParquetFile(source)
    except (pa.ArrowException, OSError) as exc:
        raise UsageError(f"{source} cannot be read as Parquet: {exc}", hint="check the file") from None
    schema = parquet.schema_arrow
    with pq.ParquetWriter(target, schema) as writer:
        for record_batch in parquet.iter_batches(batch_size=65_536):
            stats.rows += record_batch.num_rows
            writer.write_batch(transform(record_batch))
    return schema


def dataset_kind(fmt: Format) -> str:
    """``table``, ``jsonl`` or ``parquet``: which rewrite a sniffed format uses."""
    if fmt in (Format.CSV, Format.TSV):
        return "table"
    if fmt is Format.JSONL:
        return "jsonl"
    if fmt is Format.PARQUET:
        return "parquet"
    raise UsageError(f"cannot write a new version of a {fmt.value} file", hint="convert it to CSV or Parquet first")
