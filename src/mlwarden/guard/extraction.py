"""Extraction-pattern detection per API key: query volume and input-space coverage (SERVE-05/06, model theft).

Legitimate clients query the part of the input space where their real data lives, and in volumes
that follow their traffic. An extraction attack sweeps the space to fit a surrogate model. So for
each key we count queries in a sliding window and the number of *distinct cells* visited, where a
cell is the tuple of per-feature bins (numeric features cut into ``buckets`` equal bins over their
configured range; categories are their own bins). A key over either threshold is flagged, or
blocked when the route says so. Memory per key is bounded: past the cell limit, more cells are
not stored (the key is already over it).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mlwarden.guard.config import ExtractionConfig, FeatureSpec

__all__ = ["ExtractionMonitor", "ExtractionSignal"]

_MAX_KEYS = 10_000


@dataclass(frozen=True, slots=True)
class ExtractionSignal:
    """Why a key looks like it is extracting the model; ``rule_id`` feeds the Decision's Reason."""

    rule_id: str
    kind: str
    message: str


@dataclass
class _KeyState:
    times: deque[float] = field(default_factory=deque)
    cells: OrderedDict[str, float] = field(default_factory=OrderedDict)


def _bin(value: object, spec: FeatureSpec, buckets: int) -> str:
    if spec.categories is not None or isinstance(value, str):
        return "c" + hashlib.blake2s(repr(value).encode(), digest_size=4).hexdigest()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "x"
    low = spec.min if spec.min is not None else 0.0
    high = spec.max if spec.max is not None else low + 1.0
    if high <= low:
        return "0"
    index = int((float(value) - low) / (high - low) * buckets)
    return str(min(max(index, 0), buckets - 1))


class ExtractionMonitor:
    """Sliding-window volume and coverage counters for one route."""

    def __init__(
        self,
        config: ExtractionConfig,
        features: Sequence[FeatureSpec],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._features = list(features)
        self._clock = clock
        self._keys: OrderedDict[str, _KeyState] = OrderedDict()

    @property
    def blocks(self) -> bool:
        """Whether a signal should block the request rather than only be recorded."""
        return self._config.action == "block"

    def observe(self, key: str, rows: Sequence[Sequence[object]]) -> ExtractionSignal | None:
        """Record one request's rows (in feature order) for ``key``; a signal when over a threshold."""
        now = self._clock()
        state = self._state(key)
        horizon = now - self._config.window_seconds
        while state.times and state.times[0] < horizon:
            state.times.popleft()
        while state.cells and next(iter(state.cells.values())) < horizon:
            state.cells.popitem(last=False)
        state.times.extend([now] * max(1, len(rows)))
        # NOTE: bound memory: once a key is over its budget, we keep the count it needs, no more.
        del_excess = len(state.times) - (self._config.max_queries + 1)
        for _ in range(max(0, del_excess)):
            state.times.popleft()
        for row in rows:
            cell = "|".join(_bin(v, f, self._config.buckets) for v, f in zip(row, self._features, strict=False))
            state.cells.pop(cell, None)
            state.cells[cell] = now
            if len(state.cells) > self._config.max_cells + 1:
                state.cells.popitem(last=False)
        return self._signal(state)

    def _signal(self, state: _KeyState) -> ExtractionSignal | None:
        if len(state.times) > self._config.max_queries:
            return ExtractionSignal(
                "MW-GUARD-EXTRACT-001",
                "extraction-volume",
                f"more than {self._config.max_queries} queries in {self._config.window_seconds:g}s",
            )
        if len(state.cells) > self._config.max_cells:
            return ExtractionSignal(
                "MW-GUARD-EXTRACT-002",
                "extraction-coverage",
                f"queries cover more than {self._config.max_cells} input-space cells",
            )
        return None

    def _state(self, key: str) -> _KeyState:
        state = self._keys.pop(key, None) or _KeyState()
        self._keys[key] = state
        if len(self._keys) > _MAX_KEYS:
            self._keys.popitem(last=False)
        return state
