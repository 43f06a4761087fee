"""Which rows reach the detectors, and how sure a proportion measured on them is.

Small files are read completely. A file estimated to hold more than ``max_rows`` rows (or more than
``max_bytes`` bytes) is sampled systematically: every ``stride``-th row of the whole file, so a file
sorted by country or by date is still represented end to end. The stride is re-estimated from the
bytes per row seen so far and only ever grows; the reader still streams every byte (parsing is cheap,
detection is what costs), and nothing but the current batch is held in memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Sampler", "wilson_interval"]

_Z95 = 1.959963984540054


def wilson_interval(hits: int, total: int, *, z: float = _Z95) -> tuple[float, float]:
    """The Wilson score interval (95% by default) for the proportion ``hits / total``.

    Unlike the normal approximation it stays inside 0..1 and behaves at 0% and 100%, which is where
    column shares usually sit.
    """
    if total <= 0:
        return 0.0, 1.0
    share = hits / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (share + z2 / (2 * total)) / denominator
    half = z * math.sqrt(share * (1 - share) / total + z2 / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(slots=True)
class Sampler:
    """A systematic row sampler over a stream whose length is known in bytes (and maybe in rows)."""

    max_rows: int
    max_bytes: int
    total_bytes: int
    total_rows: int | None = None
    stride: int = 1
    next_pick: int = 0
    rows_seen: int = 0
    bytes_seen: int = 0
    rows_sampled: int = 0

    @property
    def sampled(self) -> bool:
        """Whether some rows were left out of detection."""
        return self.stride > 1

    def plan(self, first_row: int, rows: int, nbytes: int) -> range:
        """The row indices (within a batch starting at ``first_row``) to look at."""
        self.rows_seen = max(self.rows_seen, first_row + rows)
        self.bytes_seen += nbytes
        self._update()
        start = max(self.next_pick - first_row, 0)
        picks = range(start, rows, self.stride)
        if picks:
            self.next_pick = first_row + picks[-1] + self.stride
            self.rows_sampled += len(picks)
        return picks

    def take(self, index: int, nbytes: int) -> bool:
        """Whether row ``index`` (counted from 0, in order) is looked at; for line-by-line readers."""
        self.rows_seen = index + 1
        self.bytes_seen += nbytes
        if index % 1024 == 1023:
            self._update()
        if index < self.next_pick:
            return False
        self.next_pick = index + self.stride
        self.rows_sampled += 1
        return True

    def _update(self) -> None:
        if self.total_bytes <= 0:
            # Size unknown: thin out by doubling the stride whenever the sample is full.
            if self.rows_sampled >= self.max_rows * self.stride.bit_length():
                self.stride *= 2
            return
        if self.total_rows is not None:
            estimate = self.total_rows
        elif self.rows_seen and self.bytes_seen:
            estimate = math.ceil(self.total_bytes * self.rows_seen / self.bytes_seen)
        else:
            return
        if estimate <= self.max_rows and self.total_bytes <= self.max_bytes:
            return
        needed = max(math.ceil(estimate / self.max_rows), math.ceil(self.total_bytes / self.max_bytes), 1)
        self.stride = max(self.stride, needed)
