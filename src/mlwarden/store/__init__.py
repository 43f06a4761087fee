"""The inventory store: scans, artifact versions, findings, signatures, lineage and the access log.

An adapter behind the ``Store`` protocol: SQLite in ``.mlwarden/mlwarden.db`` by default, any
SQLAlchemy URL (PostgreSQL through psycopg 3) with ``--db``. Core, scanners and detectors never
import this package (an import-linter contract holds it); the CLI calls it after a scan.
"""

from __future__ import annotations

from mlwarden.store.graph import LineageGraph
from mlwarden.store.records import AccessRecord, ArtifactRef, LineageEdge, SignatureRecord, StoredArtifact
from mlwarden.store.repository import SqlStore, Store
from mlwarden.store.url import EngineOptions, default_url, mask_url

__all__ = [
    "AccessRecord",
    "ArtifactRef",
    "EngineOptions",
    "LineageEdge",
    "LineageGraph",
    "SignatureRecord",
    "SqlStore",
    "Store",
    "StoredArtifact",
    "default_url",
    "mask_url",
    "open_store",
]


def open_store(url: str | None = None, *, options: EngineOptions | None = None) -> SqlStore:
    """Open (and migrate) the store at ``url``, default ``sqlite:///<cwd>/.mlwarden/mlwarden.db``."""
    return SqlStore(url or default_url(), options=options)
