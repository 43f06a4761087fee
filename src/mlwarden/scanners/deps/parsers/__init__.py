"""One parser per dependency file kind; each turns text into a ``ParsedFile`` and never executes anything."""

from __future__ import annotations

__all__: list[str] = []
