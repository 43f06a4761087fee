"""Column-level classification of a dataset: which columns hold personal data, and how sure we are.

``classify_dataset(path)`` is the library entry point (also used by ``mlwarden redact``/``forget``
and the dataset scanner). It streams the file, sends the sampled values of each column to the shared
``DetectorSet`` and returns a ``DatasetProfile``; ``verdicts()`` turns one column's counts into a
classification with a Wilson 95% interval for the share of matching values.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Budget, Deadline
from mlwarden.artifacts.sniff import HEAD_BYTES, sniff
from mlwarden.core.errors import BudgetExceeded, UsageError
from mlwarden.detectors.base import Match
from mlwarden.scanners.dataset.names import name_hint
from mlwarden.scanners.dataset.profile import PERSONAL_KINDS, ColumnDetector, ColumnProfile
from mlwarden.scanners.dataset.reader import Opener, ReadOptions, ReadStats, read_batches
from mlwarden.scanners.dataset.sampling import Sampler, wilson_interval
from mlwarden.scanners.dataset.textio import MalformedData

__all__ = [
    "ClassifyOptions",
    "ColumnVerdict",
    "DatasetProfile",
    "classify_dataset",
    "default_detector",
    "profile_stream",
    "sniff_dataset",
    "verdicts",
]

_MiB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassifyOptions:
    """Sampling limits and decision thresholds; the scanner reads them from its policy options."""

    sample_rows: int = 200_000
    sample_bytes: int = 256 * _MiB
    threshold: float = 0.5
    hint_threshold: float = 0.3
    max_columns: int = 4096
    read: ReadOptions = field(default_factory=ReadOptions)

    @classmethod
    def from_options(cls, options: Mapping[str, Any], *, budget: Budget | None = None) -> ClassifyOptions:
        """Build from a scanner's option mapping (unknown keys are ignored), bounded by ``budget``."""
        block = int(options.get("block_bytes", 8 * _MiB))
        if budget is not None:
            block = min(block, budget.max_text_bytes)
        read = ReadOptions(
            block_bytes=block,
            max_line_bytes=block,
            force_stdlib=bool(options.get("force_stdlib", False)),
            batch_rows=int(options.get("batch_rows", 65_536)),
        )
        return cls(
            sample_rows=max(1, int(options.get("sample_rows", 200_000))),
            sample_bytes=max(1, int(options.get("sample_bytes", 256 * _MiB))),
            threshold=float(options.get("threshold", 0.5)),
            hint_threshold=float(options.get("hint_threshold", 0.3)),
            read=read,
        )


@dataclass(slots=True)
class DatasetProfile:
    """Everything classification learnt about one dataset; ``malformed``/``stopped`` say why it ended early."""

    path: str
    format: Format
    columns: dict[str, ColumnProfile] = field(default_factory=dict)
    stats: ReadStats = field(default_factory=ReadStats)
    rows_sampled: int = 0
    sampled: bool = False
    stride: int = 1
    malformed: MalformedData | None = None
    stopped: BudgetExceeded | None = None

    @property
    def rows(self) -> int:
        """Data rows read (sampled or not)."""
        return self.stats.rows


@dataclass(frozen=True, slots=True)
class ColumnVerdict:
    """One classification of one column.

    ``category`` is ``personal`` (the column *is* personal data), ``free-text`` (it contains some),
    ``org-id`` or ``secret``. ``hits`` of ``values`` matched; ``interval`` is the Wilson 95% interval
    of ``hits / values``.
    """

    column: str
    category: str
    kinds: tuple[tuple[str, int], ...]
    hits: int
    values: int
    interval: tuple[float, float]
    hint: str | None
    confidence: float
    example: str = ""


@lru_cache(maxsize=1)
def default_detector() -> ColumnDetector:
    """The shared default ``DetectorSet`` (built once per process: it is immutable and thread-safe)."""
    from mlwarden.detectors.detector_set import DetectorSet

    return DetectorSet.default()


def profile_stream(  # noqa: PLR0913 - keyword-only context for one dataset
    opener: Opener,
    fmt: Format,
    *,
    path: str,
    size: int,
    detector: ColumnDetector | None = None,
    options: ClassifyOptions | None = None,
    deadline: Deadline | None = None,
) -> DatasetProfile:
    """Stream a dataset and count kinds per column; malformed input and the deadline end it early."""
    options = options or ClassifyOptions()
    detector = detector or default_detector()
    excel = fmt in (Format.EXCEL, Format.ZIP)
    sampler = Sampler(options.sample_rows, options.sample_bytes, 0 if excel else size)
    profile = DatasetProfile(path=path, format=fmt)
    batches = read_batches(
        opener, fmt, options=options.read, stats=profile.stats, sampler=sampler, deadline=deadline, name=path
    )
    try:
        for batch in batches:
            for name, values in batch.columns:
                column = profile.columns.get(name)
                if column is None:
                    if len(profile.columns) >= options.max_columns:
                        continue
                    column = profile.columns[name] = ColumnProfile(name)
                column.observe(values, named(detector, name))
    except MalformedData as exc:
        profile.malformed = exc
    except BudgetExceeded as exc:
        profile.stopped = exc
    profile.rows_sampled, profile.sampled, profile.stride = sampler.rows_sampled, sampler.sampled, sampler.stride
    return profile


@dataclass(frozen=True, slots=True)
class _NamedColumn:
    """A ``ColumnDetector`` that passes the column name on as context (``ssn``, ``passport``, ``dob``)."""

    detector: Any
    name: str

    def detect_column(self, values: Sequence[str]) -> list[list[Match]]:
        result: list[list[Match]] = self.detector.detect_column(values, column_name=self.name)
        return result


def named(detector: ColumnDetector, name: str) -> ColumnDetector:
    """``detector`` with the column name as a hint when it accepts one (``DetectorSet`` does); else unchanged."""
    try:
        accepts = "column_name" in inspect.signature(detector.detect_column).parameters
    except (TypeError, ValueError):
        accepts = False
    return _NamedColumn(detector, name) if accepts else detector


def sniff_dataset(path: Path) -> Format:
    """The dataset format of a file by content (Excel workbooks by their zip content and name)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
        size = path.stat().st_size
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}", hint="check the path") from None
    fmt = sniff(head, name=path.name, size=size)
    if fmt in (Format.CSV, Format.TSV, Format.JSONL, Format.PARQUET, Format.EXCEL):
        return fmt
    if fmt is Format.ZIP and path.suffix.lower() in (".xlsx", ".xlsm"):
        return fmt
    raise UsageError(
        f"{path} is not a dataset this command reads (sniffed as {fmt.value})",
        hint="supported: CSV, TSV, JSONL, Parquet (and Excel for classification)",
    )


def classify_dataset(
    path: str | Path,
    *,
    detector: ColumnDetector | None = None,
    options: ClassifyOptions | None = None,
    budget: Budget | None = None,
) -> DatasetProfile:
    """Classify the columns of the dataset at ``path`` (format sniffed by content)."""
    target = Path(path)
    fmt = sniff_dataset(target)
    budget = budget or Budget()
    return profile_stream(
        lambda: target.open("rb"),
        fmt,
        path=str(target),
        size=target.stat().st_size,
        detector=detector,
        options=options,
        deadline=budget.deadline(),
    )


def _ranked(counts: Mapping[str, int], kinds: frozenset[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((k, n) for k, n in counts.items() if k in kinds and n), key=lambda kn: (-kn[1], kn[0])))


def verdicts(column: ColumnProfile, options: ClassifyOptions | None = None) -> list[ColumnVerdict]:
    """The classifications of one column: at most one personal/free-text, plus org-id and secret."""
    options = options or ClassifyOptions()
    found: list[ColumnVerdict] = []
    hint = name_hint(column.name)
    whole = _ranked(column.whole, PERSONAL_KINDS)
    hits = sum(n for _, n in whole)
    hinted = hint is not None and any(kind == hint for kind, _ in whole)
    threshold = options.hint_threshold if hinted else options.threshold
    if column.values and whole and hits / column.values >= threshold:
        found.append(_personal(column, whole, hits, hint if hinted else None))
    elif column.with_personal:
        found.append(_free_text(column, _ranked(column.contains, PERSONAL_KINDS), hint))
    if column.contains.get("ORG_ID"):
        found.append(_simple(column, "org-id", (("ORG_ID", column.contains["ORG_ID"]),), "ORG_ID"))
    if column.secrets:
        found.append(_simple(column, "secret", _ranked(column.secrets, frozenset(column.secrets)), "SECRET"))
    return found


def _personal(column: ColumnProfile, whole: tuple[tuple[str, int], ...], hits: int, hint: str | None) -> ColumnVerdict:
    interval = wilson_interval(hits, column.values)
    top = whole[0][0]
    score = column.confidence.get(top, 0.5) * (0.7 + 0.3 * interval[0]) + (0.1 if hint else 0.0)
    shown = tuple((kind, n) for kind, n in whole if n * 100 >= column.values) or whole[:1]
    return ColumnVerdict(
        column.name, "personal", shown, hits, column.values, interval, hint, round(min(score, 1.0), 2),
        column.examples.get(top, ""),
    )  # fmt: skip


def _free_text(column: ColumnProfile, kinds: tuple[tuple[str, int], ...], hint: str | None) -> ColumnVerdict:
    interval = wilson_interval(column.with_personal, column.values)
    score = max(column.confidence.get(kind, 0.5) for kind, _ in kinds) * 0.9
    return ColumnVerdict(
        column.name, "free-text", kinds, column.with_personal, column.values, interval, hint, round(score, 2),
        column.examples.get(kinds[0][0], ""),
    )  # fmt: skip


def _simple(column: ColumnProfile, category: str, kinds: tuple[tuple[str, int], ...], kind: str) -> ColumnVerdict:
    hits = sum(n for _, n in kinds) if category == "secret" else kinds[0][1]
    return ColumnVerdict(
        column.name, category, kinds, hits, column.values, wilson_interval(min(hits, column.values), column.values),
        None, round(column.confidence.get(kind, 0.5), 2), column.examples.get(kind, ""),
    )  # fmt: skip
