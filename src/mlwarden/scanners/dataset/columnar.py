"""Parquet (pyarrow) and Excel (openpyxl, read-only) readers; both need the ``data`` extra.

Parquet columns are turned into strings the vectorised way: text and dictionary-encoded text as is,
integers and dates cast (identifiers and birth dates are often stored that way), structs flattened
to ``outer.inner`` and lists of text joined with newlines. Other types (floats, binary, nested lists)
cannot hold the personal data we look for in a readable form and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlwarden.core.extras import require
from mlwarden.scanners.dataset.reader import Batch, Column, Opener, ReadOptions, ReadStats, unique_names
from mlwarden.scanners.dataset.sampling import Sampler
from mlwarden.scanners.dataset.textio import MalformedData

__all__ = ["parquet_text_columns", "read_excel", "read_parquet"]


def _as_text(pa: Any, pc: Any, array: Any) -> Any | None:
    types = pa.types
    kind = array.type
    if types.is_dictionary(kind):
        array = array.dictionary_decode()
        kind = array.type
    if types.is_string(kind) or types.is_large_string(kind):
        return array
    if types.is_integer(kind) or types.is_date(kind) or getattr(types, "is_string_view", lambda _: False)(kind):
        return pc.cast(array, pa.string())
    if (types.is_list(kind) or types.is_large_list(kind)) and (
        types.is_string(kind.value_type) or types.is_large_string(kind.value_type)
    ):
        return pc.binary_join(array, "\n")
    return None


def parquet_text_columns(pa: Any, pc: Any, record_batch: Any) -> list[tuple[str, Any]]:
    """``(name, string array)`` for every column of a batch that can hold readable text."""
    table = pa.Table.from_batches([record_batch])
    while any(pa.types.is_struct(field.type) for field in table.schema):
        table = table.flatten()
    found: list[tuple[str, Any]] = []
    for name, chunked in zip(table.column_names, table.columns, strict=True):
        array = chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
        text = _as_text(pa, pc, array)
        if text is not None:
            found.append((name, text))
    return found


def read_parquet(
    opener: Opener, *, options: ReadOptions, stats: ReadStats, sampler: Sampler | None = None
) -> Iterator[Batch]:
    """Batches of a Parquet file via ``iter_batches``; the row count from the footer drives sampling."""
    pa = require("pyarrow", extra="data")
    pc = require("pyarrow.compute", extra="data")
    pq = require("pyarrow.parquet", extra="data")
    stats.engine = "pyarrow"
    with opener() as stream:
        try:
            parquet = pq.ParquetFile(stream)
            if sampler is not None:
                sampler.total_rows = parquet.metadata.num_rows
            for record_batch in parquet.iter_batches(batch_size=options.batch_rows):
                rows = record_batch.num_rows
                picks = range(rows) if sampler is None else sampler.plan(stats.rows, rows, record_batch.nbytes)
                chosen = record_batch if len(picks) == rows else record_batch.take(pa.array(picks, type=pa.int64()))
                columns: tuple[Column, ...] = tuple(
                    (name, array.to_pylist()) for name, array in parquet_text_columns(pa, pc, chosen)
                )
                yield Batch(stats.rows, rows, columns)
                stats.rows += rows
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise MalformedData(f"Parquet cannot be read: {exc}", row=stats.rows) from None


def read_excel(
    opener: Opener, *, options: ReadOptions, stats: ReadStats, sampler: Sampler | None = None
) -> Iterator[Batch]:
    """Batches of every sheet of a workbook; columns are ``sheet!header`` when there are several sheets."""
    openpyxl = require("openpyxl", extra="data")
    stats.engine = "openpyxl"
    with opener() as stream:
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many unrelated types on bad input
            raise MalformedData(f"workbook cannot be read: {type(exc).__name__}: {exc}") from None
        try:
            sheets = list(workbook.worksheets)
            for sheet in sheets:
                prefix = f"{sheet.title}!" if len(sheets) > 1 else ""
                yield from _sheet_batches(sheet, prefix, options, stats, sampler)
        finally:
            workbook.close()


def _sheet_batches(
    sheet: Any, prefix: str, options: ReadOptions, stats: ReadStats, sampler: Sampler | None
) -> Iterator[Batch]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    names = [prefix + name for name in unique_names(["" if cell is None else str(cell) for cell in header])]
    columns: list[list[str | None]] = [[] for _ in names]
    first, count = stats.rows, 0
    for row in rows:
        index = stats.rows
        stats.rows += 1
        count += 1
        if sampler is None or sampler.take(index, 64):
            for position, values in enumerate(columns):
                cell = row[position] if position < len(row) else None
                values.append(None if cell is None else str(cell))
        if count >= options.batch_rows:
            yield Batch(first, count, tuple(zip(names, columns, strict=True)))
            columns, first, count = [[] for _ in names], stats.rows, 0
    if count:
        yield Batch(first, count, tuple(zip(names, columns, strict=True)))
