"""``forget``: write a new version of a dataset without one data subject's rows (GDPR art. 17, 152-FZ art. 21).

Rows are removed when a condition ``column=value`` holds (any condition by default, all with
``match_all``). ``exact`` compares the cell as written; ``normalized`` compares identifiers in a
canonical form (phones, e-mails, INN and SNILS formatting). The input is never edited, and the
lineage record stores only keyed hashes of the values searched for, never the values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import UsageError
from mlwarden.core.extras import require
from mlwarden.dataops.keys import key_id, keyed_hash, load_key
from mlwarden.dataops.lineage_log import record_edge
from mlwarden.dataops.normalize import normalize_identifier
from mlwarden.dataops.output import atomic_output, check_paths
from mlwarden.dataops.tables import JsonRecord, RowBatch, dataset_kind, rewrite_csv, rewrite_jsonl, rewrite_parquet
from mlwarden.scanners.dataset.classify import sniff_dataset
from mlwarden.scanners.dataset.reader import ReadOptions, ReadStats

__all__ = ["ForgetOptions", "ForgetSummary", "forget_rows", "parse_condition"]


def parse_condition(text: str) -> tuple[str, str]:
    """``column=value`` -> ``(column, value)``; the value may itself contain ``=``."""
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise UsageError(f"--where expects column=value, got {text!r}", hint="for example --where email=a@b.ru")
    return column.strip(), value


@dataclass(frozen=True, slots=True, kw_only=True)
class ForgetOptions:
    """The subject's identifiers and how to compare them."""

    where: tuple[tuple[str, str], ...]
    normalized: bool = False
    match_all: bool = False
    key_file: Path | None = None
    force: bool = False
    read: ReadOptions = field(default_factory=ReadOptions)

    def __post_init__(self) -> None:
        if not self.where:
            raise UsageError("forget needs at least one --where column=value", hint="--where email=a@b.ru")


@dataclass(frozen=True, slots=True)
class ForgetSummary:
    """Rows read, rows removed, unparsable rows dropped, and the lineage edge written."""

    source: Path
    target: Path
    rows: int
    removed: int
    skipped_rows: int
    lineage: dict[str, Any]


@dataclass(slots=True)
class _Matcher:
    options: ForgetOptions
    wanted: dict[str, set[str]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    removed: int = 0

    def __post_init__(self) -> None:
        for column, value in self.options.where:
            self.wanted.setdefault(column, set()).add(self._norm(value))

    def _norm(self, value: str) -> str:
        return normalize_identifier(value) if self.options.normalized else value

    def hit(self, column: str, value: str | None) -> bool:
        return value is not None and self._norm(value) in self.wanted[column]

    def decide(self, hits: Sequence[bool]) -> bool:
        return all(hits) if self.options.match_all else any(hits)

    def check(self, names: Sequence[str]) -> None:
        missing = sorted(set(self.wanted) - set(names))
        if missing:
            raise UsageError(f"no such column(s): {', '.join(missing)}", hint=f"columns: {', '.join(names)}")

    def table(self, names: list[str], columns: RowBatch) -> RowBatch:
        self.check(names)
        index = {name: i for i, name in enumerate(names)}
        flags = [[self.hit(c, v) for v in columns[index[c]]] for c in self.wanted]
        keep = [not self.decide(row) for row in zip(*flags, strict=True)] if flags else []
        self.removed += keep.count(False)
        return [[v for v, k in zip(values, keep, strict=True) if k] for values in columns]

    def records(self, batch: list[JsonRecord]) -> None:
        for record in batch:
            present: dict[str, bool] = dict.fromkeys(self.wanted, False)
            for leaf in record.leaves:
                if leaf.path in present:
                    self.seen.add(leaf.path)
                    present[leaf.path] = present[leaf.path] or self.hit(leaf.path, leaf.value)
            if record.value is not None and self.decide(list(present.values())):
                record.dropped = True
                self.removed += 1

    def arrow(self, record_batch: Any) -> Any:
        pa = require("pyarrow", extra="data")
        names = record_batch.schema.names
        self.check(names)
        values = [
            [None if v is None else str(v) for v in record_batch.column(names.index(c)).to_pylist()]
            for c in self.wanted
        ]
        drop = [
            self.decide(hits)
            for hits in zip(
                *[[self.hit(c, v) for v in vs] for c, vs in zip(self.wanted, values, strict=True)], strict=True
            )
        ]
        self.removed += sum(drop)
        return record_batch.filter(pa.array([not d for d in drop], type=pa.bool_()))


def forget_rows(source: Path, target: Path, *, options: ForgetOptions) -> ForgetSummary:
    """Write ``target`` = ``source`` minus the matching rows, and record the lineage edge."""
    check_paths(source, target, force=options.force)  # before sniffing: opening a FIFO would block
    fmt = sniff_dataset(source)
    kind = dataset_kind(fmt)
    key = load_key(options.key_file)
    matcher = _Matcher(options)
    stats = ReadStats()
    with atomic_output(source, target, force=options.force) as temporary:
        if kind == "table":
            rewrite_csv(source, temporary, tab=fmt is Format.TSV, transform=matcher.table, stats=stats,
                        options=options.read)  # fmt: skip
            if stats.rows == 0:
                matcher.check(_header(source, fmt, options.read))
        elif kind == "jsonl":
            rewrite_jsonl(source, temporary, transform=matcher.records, stats=stats, options=options.read)
            missing = sorted(set(matcher.wanted) - matcher.seen)
            if missing:
                raise UsageError(f"no record has the field(s): {', '.join(missing)}", hint="use dotted paths")
        else:
            rewrite_parquet(source, temporary, transform=matcher.arrow, stats=stats)
    params = {
        "where": [
            {"column": c, "value_hmac": keyed_hash(key, "forget", matcher._norm(v))[:32]} for c, v in options.where
        ],
        "match": "normalized" if options.normalized else "exact",
        "match_all": options.match_all,
        "key_id": key_id(key),
        "rows_removed": matcher.removed,
    }
    edge = record_edge(source, target, operation="forget", params=params)
    return ForgetSummary(source, target, stats.rows, matcher.removed, stats.skipped, edge)


def _header(source: Path, fmt: Format, read: ReadOptions) -> list[str]:
    from mlwarden.scanners.dataset.reader import csv_header, unique_names

    return unique_names(csv_header(lambda: source.open("rb"), tab=fmt is Format.TSV, limit=read.block_bytes)[1])
