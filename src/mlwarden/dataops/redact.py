"""``redact``: write a copy of a dataset with every detected personal value replaced.

Modes: ``mask`` keeps format hints (``i***@e***.ru``), ``hash`` replaces a value with a keyed
HMAC token (``EMAIL_3f9a…``; never an unkeyed hash, which phone numbers and INNs cannot survive) and
``pseudonym`` with a consistent fake value of the same kind and shape. Organisation ids are never
redacted (they are not personal data); secrets are always masked, whatever the mode.
"""

from __future__ import annotations

from collections import Counter
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
from mlwarden.dataops.pseudonym import pseudonym
from mlwarden.dataops.tables import JsonRecord, RowBatch, dataset_kind, rewrite_csv, rewrite_jsonl, rewrite_parquet
from mlwarden.detectors.base import Match
from mlwarden.scanners.dataset.classify import default_detector, sniff_dataset
from mlwarden.scanners.dataset.masking import mask_value
from mlwarden.scanners.dataset.profile import PERSONAL_KINDS, ColumnDetector
from mlwarden.scanners.dataset.reader import ReadOptions, ReadStats

__all__ = ["MODES", "RedactOptions", "RedactSummary", "Replacer", "redact_dataset"]

MODES = ("mask", "hash", "pseudonym")


@dataclass(frozen=True, slots=True, kw_only=True)
class RedactOptions:
    """What to replace and how; ``kinds``/``columns`` of ``None`` mean every personal kind/column."""

    mode: str = "mask"
    kinds: frozenset[str] | None = None
    columns: frozenset[str] | None = None
    key_file: Path | None = None
    force: bool = False
    read: ReadOptions = field(default_factory=ReadOptions)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise UsageError(f"unknown mode {self.mode!r}", hint=f"choose one of: {', '.join(MODES)}")
        unknown = (self.kinds or frozenset()) - PERSONAL_KINDS - {"SECRET"}
        if unknown:
            raise UsageError(
                f"unknown or non-personal kind(s): {', '.join(sorted(unknown))}",
                hint=f"choose from: {', '.join(sorted(PERSONAL_KINDS))}",
            )


@dataclass(frozen=True, slots=True)
class RedactSummary:
    """What a run did: rows written, values replaced per kind, unparsable rows dropped."""

    source: Path
    target: Path
    rows: int
    redacted: dict[str, int]
    skipped_rows: int
    lineage: dict[str, Any]


@dataclass(slots=True)
class Replacer:
    """Replaces detected spans column by column, detecting each distinct value once per batch."""

    detector: ColumnDetector
    mode: str
    key: bytes
    kinds: frozenset[str]
    columns: frozenset[str] | None = None
    counts: Counter[str] = field(default_factory=Counter)

    def replacement(self, kind: str, text: str) -> str:
        """The replacement of one detected span."""
        if kind == "SECRET" or self.mode == "mask":
            return mask_value(kind, text)
        if self.mode == "hash":
            return f"{kind}_{keyed_hash(self.key, f'redact:{kind}', normalize_identifier(text))[:16]}"
        return pseudonym(kind, text, self.key)

    def _apply(self, value: str, matches: Sequence[Match]) -> tuple[str, list[str]]:
        out, kinds, position = [], [], 0
        for match in sorted(matches, key=lambda m: m.start):
            if match.start < position:
                continue
            out += [value[position : match.start], self.replacement(match.kind, value[match.start : match.end])]
            kinds.append(match.kind)
            position = match.end
        out.append(value[position:])
        return "".join(out), kinds

    def column(self, name: str, values: list[str | None]) -> list[str | None]:
        """``values`` with every selected span replaced (the same list when nothing matched)."""
        if self.columns is not None and name not in self.columns:
            return values
        distinct = [value for value in dict.fromkeys(values) if value and value.strip()]
        if not distinct:
            return values
        mapping: dict[str | None, tuple[str, list[str]]] = {}
        for value, matches in zip(distinct, self.detector.detect_column(distinct), strict=True):
            chosen = [m for m in matches if m.kind == "SECRET" or m.kind in self.kinds]
            if chosen:
                mapping[value] = self._apply(value, chosen)
        if not mapping:
            return values
        for seen, times in Counter(v for v in values if v in mapping).items():
            for kind in mapping[seen][1]:
                self.counts[kind] += times
        return [mapping[v][0] if v in mapping else v for v in values]

    def table(self, names: list[str], columns: RowBatch) -> RowBatch:
        """A CSV batch with every column replaced."""
        return [self.column(name, values) for name, values in zip(names, columns, strict=True)]

    def records(self, batch: list[JsonRecord]) -> None:
        """Replace in JSON records, path by path; a top-level string record is replaced whole."""
        by_path: dict[str, list[tuple[JsonRecord, int]]] = {}
        for record in batch:
            for index, leaf in enumerate(record.leaves):
                by_path.setdefault(leaf.path, []).append((record, index))
        for path, places in by_path.items():
            old = [record.leaves[i].value for record, i in places]
            new = self.column(path, list(old))
            for (record, i), before, after in zip(places, old, new, strict=True):
                if after != before:
                    leaf = record.leaves[i]
                    if leaf.container is None:
                        record.value = after
                    else:
                        leaf.container[leaf.key] = after
                    record.changed = True

    def arrow(self, record_batch: Any) -> Any:
        """A Parquet batch with its top-level text columns replaced (same schema)."""
        pa = require("pyarrow", extra="data")
        arrays = []
        for name, array in zip(record_batch.schema.names, record_batch.columns, strict=True):
            if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
                values = array.to_pylist()
                new = self.column(name, values)
                arrays.append(array if new is values else pa.array(new, type=array.type))
            else:
                arrays.append(array)
        return pa.RecordBatch.from_arrays(arrays, schema=record_batch.schema)


def redact_dataset(
    source: Path, target: Path, *, options: RedactOptions | None = None, detector: ColumnDetector | None = None
) -> RedactSummary:
    """Write ``target``, a redacted copy of ``source``, and record the lineage edge."""
    options = options or RedactOptions()
    check_paths(source, target, force=options.force)  # before sniffing: opening a FIFO would block
    fmt = sniff_dataset(source)
    kind = dataset_kind(fmt)
    key = load_key(options.key_file)
    kinds = (options.kinds or PERSONAL_KINDS) - {"ORG_ID"}
    replacer = Replacer(detector or default_detector(), options.mode, key, kinds, options.columns)
    stats = ReadStats()
    with atomic_output(source, target, force=options.force) as temporary:
        if kind == "table":
            names = rewrite_csv(
                source, temporary, tab=fmt is Format.TSV, transform=replacer.table, stats=stats, options=options.read
            )
            _check_columns(options.columns, names)
        elif kind == "jsonl":
            rewrite_jsonl(source, temporary, transform=replacer.records, stats=stats, options=options.read)
        else:
            rewrite_parquet(source, temporary, transform=replacer.arrow, stats=stats)
    params = {"mode": options.mode, "kinds": sorted(kinds), "columns": sorted(options.columns or []),
              "key_id": key_id(key), "values_redacted": dict(replacer.counts)}  # fmt: skip
    edge = record_edge(source, target, operation="redact", params=params)
    return RedactSummary(source, target, stats.rows, dict(replacer.counts), stats.skipped, edge)


def _check_columns(wanted: frozenset[str] | None, names: list[str]) -> None:
    missing = sorted((wanted or frozenset()) - set(names))
    if missing:
        raise UsageError(f"no such column(s): {', '.join(missing)}", hint=f"columns: {', '.join(names)}")
