"""The lineage log: one JSON line per derived dataset in ``.mlwarden/lineage.jsonl``.

``{"from": {"path", "sha256"}, "to": {"path", "sha256"}, "operation", "params", "time"}``. Lines are
appended with one ``write`` on an ``O_APPEND`` descriptor, so concurrent runs do not interleave. A
later release moves lineage into the inventory database and imports this file; keep it append-only.
``params`` never holds a searched-for value in clear, only keyed hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["LINEAGE_LOG", "file_sha256", "record_edge"]

LINEAGE_LOG = Path(".mlwarden") / "lineage.jsonl"
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def record_edge(
    source: Path, target: Path, *, operation: str, params: Mapping[str, Any], root: Path | None = None
) -> dict[str, Any]:
    """Append the edge ``source -> target`` to the log under ``root`` (default: the current directory)."""
    edge = {
        "from": {"path": str(source.resolve()), "sha256": file_sha256(source)},
        "to": {"path": str(target.resolve()), "sha256": file_sha256(target)},
        "operation": operation,
        "params": dict(params),
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    log = (root or Path.cwd()) / LINEAGE_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(edge, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
    return edge
