"""Streaming batch readers for tabular datasets: CSV/TSV here, JSONL, Parquet and Excel beside it.

Every reader yields ``Batch`` values holding the sampled rows of one block as string columns, and
keeps counts of what it had to skip in a ``ReadStats``. CSV is read with pyarrow's streaming reader
when the ``data`` extra is installed (every column as a string, rows with the wrong number of fields
skipped and counted) and with the standard ``csv`` module otherwise. Nothing is loaded whole: memory
is bounded by the block size.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from mlwarden.artifacts.encoding import decode_bytes
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Deadline
from mlwarden.core.extras import is_available, require
from mlwarden.scanners.dataset.sampling import Sampler
from mlwarden.scanners.dataset.textio import MalformedData, Utf8Repair, bounded_lines, guess_delimiter

__all__ = [
    "DATASET_FORMATS",
    "Batch",
    "Column",
    "Opener",
    "ReadOptions",
    "ReadStats",
    "csv_header",
    "read_batches",
    "read_csv",
    "unique_names",
]

Opener = Callable[[], BinaryIO]
Column = tuple[str, list[str | None]]
DATASET_FORMATS = frozenset({Format.CSV, Format.TSV, Format.JSONL, Format.PARQUET})
_MiB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    """Bounds for the readers; ``force_stdlib`` skips pyarrow even when it is installed."""

    block_bytes: int = 8 * _MiB
    max_line_bytes: int = 8 * _MiB
    max_depth: int = 8
    max_columns: int = 4096
    batch_rows: int = 65_536
    force_stdlib: bool = False


@dataclass(slots=True)
class ReadStats:
    """What a reader met on the way: rows read and skipped, invalid bytes, the engine used."""

    rows: int = 0
    skipped: int = 0
    first_skipped: int | None = None
    invalid_utf8: int = 0
    first_invalid_byte: int | None = None
    bytes_read: int = 0
    columns_dropped: int = 0
    unbalanced_quotes: bool = False
    engine: str = ""

    def skip(self, row: int) -> None:
        """Count one unusable row (``row`` is its 1-based number in the file)."""
        self.skipped += 1
        if self.first_skipped is None:
            self.first_skipped = row

    def absorb(self, repair: Utf8Repair) -> None:
        """Take the UTF-8 repair counters of a finished (or failed) text stream."""
        self.bytes_read = repair.bytes_read
        self.invalid_utf8 = repair.invalid
        self.first_invalid_byte = repair.first_invalid
        self.unbalanced_quotes = repair.quotes % 2 == 1


@dataclass(frozen=True, slots=True)
class Batch:
    """A block of rows: where it starts, how many rows it had and the sampled rows' string columns.

    For CSV and Parquet every column list has one entry per sampled row; for JSONL a column holds
    every string leaf found under that path, so list elements each count as one value.
    """

    first_row: int
    rows: int
    columns: tuple[Column, ...]


def _all_rows(sampler: Sampler | None, first_row: int, rows: int, nbytes: int) -> range:
    return range(rows) if sampler is None else sampler.plan(first_row, rows, nbytes)


def unique_names(header: list[str]) -> list[str]:
    """Column names to report: blanks become ``column_N`` and repeats get `` (2)``, `` (3)``…"""
    seen: dict[str, int] = {}
    names: list[str] = []
    for index, name in enumerate(header):
        base = name if name.strip() else f"column_{index + 1}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    return names


def _column_name(names: list[str], index: int) -> str:
    """The header's name for a column, or ``column_N`` for a column the header does not have."""
    return names[index] if index < len(names) else f"column_{index + 1}"


def csv_header(opener: Opener, *, tab: bool, limit: int) -> tuple[str, list[str]]:
    """The delimiter and the header row, read from the first block of the file."""
    with opener() as stream:
        head = stream.read(min(limit, 4 * _MiB))
    text = decode_bytes(head)
    if "\n" not in text and "\r" not in text and len(head) >= min(limit, 4 * _MiB):
        raise MalformedData("the header line is longer than the block size", row=0, offset=0)
    delimiter = guess_delimiter(text, tab=tab)
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error as exc:
        raise MalformedData(f"the header cannot be parsed: {exc}", row=0, offset=0) from None
    return delimiter, header


def read_csv(
    opener: Opener, *, tab: bool, options: ReadOptions, stats: ReadStats, sampler: Sampler | None = None
) -> tuple[str, list[str], Iterator[Batch]]:
    """The delimiter, the header and the batches of a CSV/TSV file (pyarrow when available)."""
    delimiter, header = csv_header(opener, tab=tab, limit=options.block_bytes)
    arrow = is_available("pyarrow") and not options.force_stdlib
    reader = _arrow_csv if arrow else _stdlib_csv
    stats.engine = "pyarrow" if arrow else "stdlib"
    return delimiter, header, reader(opener, delimiter, len(header), options, stats, sampler)


def _arrow_csv(
    opener: Opener, delimiter: str, width: int, options: ReadOptions, stats: ReadStats, sampler: Sampler | None
) -> Iterator[Batch]:
    pa = require("pyarrow", extra="data")
    pcsv = require("pyarrow.csv", extra="data")
    names = [f"c{i}" for i in range(width)]

    def invalid(row: Any) -> str:
        stats.skip(stats.rows + stats.skipped + 2)
        return "skip"

    with opener() as raw:
        repair = Utf8Repair(raw, chunk_bytes=min(options.block_bytes, 4 * _MiB))
        try:
            reader = pcsv.open_csv(
                io.BufferedReader(repair, buffer_size=_MiB),
                read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=options.block_bytes),
                parse_options=pcsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, invalid_row_handler=invalid
                ),
                convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
            )
            for record_batch in reader:
                rows = record_batch.num_rows
                picks = _all_rows(sampler, stats.rows, rows, _text_bytes(record_batch))
                yield Batch(stats.rows, rows, _arrow_columns(pa, record_batch, picks))
                stats.rows += rows
        except pa.ArrowInvalid as exc:
            raise MalformedData(str(exc).split("\n", 1)[0], row=stats.rows, offset=repair.bytes_read) from None
        finally:
            stats.absorb(repair)


def _text_bytes(record_batch: Any) -> int:
    """About how many bytes of CSV text a batch came from: its string data plus one separator per cell.

    pyarrow reads ahead, so bytes consumed from the file say little about the rows in one batch.
    """
    total = int(record_batch.num_rows) * max(int(record_batch.num_columns), 1)
    for column in record_batch.columns:
        buffers = column.buffers()
        if len(buffers) > 2 and buffers[2] is not None:
            total += int(buffers[2].size)
    return total


def _arrow_columns(pa: Any, record_batch: Any, picks: range) -> tuple[Column, ...]:
    if len(picks) != record_batch.num_rows:
        record_batch = record_batch.take(pa.array(picks, type=pa.int64()))
    return tuple((str(i), record_batch.column(i).to_pylist()) for i in range(record_batch.num_columns))


def _stdlib_csv(
    opener: Opener, delimiter: str, width: int, options: ReadOptions, stats: ReadStats, sampler: Sampler | None
) -> Iterator[Batch]:
    # NOTE: the field size limit is process-wide in the csv module; we set a bounded one, never sys.maxsize.
    csv.field_size_limit(options.max_line_bytes)
    with opener() as raw:
        repair = Utf8Repair(raw)
        text = io.TextIOWrapper(io.BufferedReader(repair), encoding="utf-8", newline="")
        reader = csv.reader(bounded_lines(text, limit=options.max_line_bytes), delimiter=delimiter, strict=True)
        try:
            next(reader, None)
            yield from _row_batches(reader, width, options, stats, sampler, repair)
        except (csv.Error, MalformedData) as exc:
            raise MalformedData(str(exc), row=stats.rows, offset=repair.bytes_read) from None
        finally:
            stats.absorb(repair)


def _row_batches(
    rows: Iterator[list[str]],
    width: int,
    options: ReadOptions,
    stats: ReadStats,
    sampler: Sampler | None,
    repair: Utf8Repair,
) -> Iterator[Batch]:
    pending: list[list[str]] = []
    consumed = 0
    for row in rows:
        if not row:
            continue
        if len(row) != width:
            stats.skip(stats.rows + len(pending) + stats.skipped + 2)
            continue
        pending.append(row)
        if len(pending) >= options.batch_rows:
            yield _list_batch(pending, width, stats, sampler, repair.bytes_read - consumed)
            consumed = repair.bytes_read
            pending = []
    if pending:
        yield _list_batch(pending, width, stats, sampler, repair.bytes_read - consumed)


def _list_batch(rows: list[list[str]], width: int, stats: ReadStats, sampler: Sampler | None, nbytes: int) -> Batch:
    picks = _all_rows(sampler, stats.rows, len(rows), nbytes)
    chosen = rows if len(picks) == len(rows) else [rows[i] for i in picks]
    columns: tuple[Column, ...] = (
        tuple((str(i), list(values)) for i, values in enumerate(zip(*chosen, strict=True)))
        if chosen
        else tuple((str(i), []) for i in range(width))
    )
    batch = Batch(stats.rows, len(rows), columns)
    stats.rows += len(rows)
    return batch


def read_batches(  # noqa: PLR0913 - keyword-only context for one read
    opener: Opener,
    fmt: Format,
    *,
    options: ReadOptions,
    stats: ReadStats,
    sampler: Sampler | None = None,
    deadline: Deadline | None = None,
    name: str = "",
) -> Iterator[Batch]:
    """Batches of any dataset format with named columns (CSV columns by their header)."""
    if fmt in (Format.CSV, Format.TSV):
        _, header, batches = read_csv(opener, tab=fmt is Format.TSV, options=options, stats=stats, sampler=sampler)
        names = unique_names(header)
        source: Iterator[Batch] = (
            Batch(b.first_row, b.rows, tuple((_column_name(names, int(k)), v) for k, v in b.columns)) for b in batches
        )
    elif fmt is Format.JSONL:
        from mlwarden.scanners.dataset.jsonl import read_jsonl

        source = read_jsonl(opener, options=options, stats=stats, sampler=sampler)
    elif fmt is Format.PARQUET:
        from mlwarden.scanners.dataset.columnar import read_parquet

        source = read_parquet(opener, options=options, stats=stats, sampler=sampler)
    elif fmt is Format.EXCEL or (fmt is Format.ZIP and name.lower().endswith((".xlsx", ".xlsm"))):
        from mlwarden.scanners.dataset.columnar import read_excel

        source = read_excel(opener, options=options, stats=stats, sampler=sampler)
    else:
        raise MalformedData(f"not a dataset format: {fmt.value}")
    for item in source:
        if deadline is not None:
            deadline.check("dataset")
        yield item
