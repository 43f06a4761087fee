"""The inventory store: the ``Store`` protocol and ``SqlStore``, its SQLAlchemy implementation.

Every write is one transaction: a scan with its artifacts, findings and access records lands whole
or not at all, and a lineage import is all-or-nothing. Driver errors come out as ``StoreError`` with
the URL's password masked. Callers (the CLI, the guard, the integrity commands) open a store after
their main work; nothing on the scan path imports this package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol

from sqlalchemy import Connection, insert, select

from mlwarden import __version__
from mlwarden.core.findings import ScanResult
from mlwarden.store import _sql
from mlwarden.store.graph import LineageGraph
from mlwarden.store.lineage_query import lineage_graph
from mlwarden.store.migrate import upgrade
from mlwarden.store.records import (
    AccessRecord,
    ArtifactRef,
    LineageEdge,
    SignatureRecord,
    StoredArtifact,
    StoredScan,
    current_actor,
    normalise_path,
    utc,
)
from mlwarden.store.scan_query import load_scan
from mlwarden.store.schema import access_log, artifacts, findings, lineage_edges, scan_artifacts, scans, signatures
from mlwarden.store.url import EngineOptions, create_store_engine, mask_url, translate_errors

__all__ = ["SqlStore", "Store"]


class Store(Protocol):
    """What the CLI, the guard and the integrity commands need from an inventory store."""

    def save_scan(self, result: ScanResult) -> int: ...
    def findings_since(self, previous_scan: int, current_scan: int | None = None) -> frozenset[str]: ...
    def artifact(self, sha256: str) -> StoredArtifact | None: ...
    def add_lineage(self, edge: LineageEdge) -> bool: ...
    def lineage_of(self, artifact: str) -> LineageGraph: ...
    def record_access(self, record: AccessRecord) -> None: ...
    def record_signature(self, record: SignatureRecord) -> int: ...
    def close(self) -> None: ...


class SqlStore:
    """A store at any SQLAlchemy URL; the schema is migrated to head when it opens."""

    def __init__(self, url: str, *, options: EngineOptions | None = None, migrate: bool = True) -> None:
        self.options = options or EngineOptions()
        self.display_url = mask_url(url)
        self._url = url
        with translate_errors(url, busy_timeout=self.options.busy_timeout):
            self._engine = create_store_engine(url, self.options)
            try:
                self.revision = upgrade(self._engine)[1] if migrate else ""
            except BaseException:
                self._engine.dispose()
                raise
        self._writer = self._engine.execution_options(mlwarden_begin="IMMEDIATE")

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release every pooled connection."""
        self._engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with translate_errors(self._url, busy_timeout=self.options.busy_timeout), self._writer.begin() as connection:
            yield connection

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with translate_errors(self._url, busy_timeout=self.options.busy_timeout), self._engine.connect() as connection:
            yield connection

    # Scans ---------------------------------------------------------------------------------------

    def save_scan(self, result: ScanResult) -> int:
        """Store a scan with its artifacts, findings (open and suppressed) and access records; return its id."""
        now = datetime.now(UTC)
        with self._write() as connection:
            scan_id = _sql.insert_scan(connection, result)
            ids: dict[int, ArtifactRef] = {}
            for record in result.artifacts:
                ref = ArtifactRef(
                    path=record.path,
                    member=record.member or "",
                    sha256=record.sha256 or "",
                    format=record.format,
                    size=record.size,
                )
                ids.setdefault(_sql.get_or_create_artifact(connection, ref, now), ref)
            if ids:
                connection.execute(insert(scan_artifacts), [{"scan_id": scan_id, "artifact_id": i} for i in ids])
            _sql.insert_findings(connection, scan_id, result)
            accesses = [_scan_access(scan_id, ref, now) for ref in ids.values()]
            self._insert_access(connection, accesses)
        return scan_id

    def load_scan(self, scan_id: int) -> StoredScan | None:
        """A stored scan with its artifacts and findings, or ``None``."""
        with self._read() as connection:
            return load_scan(connection, scan_id)

    def latest_scan(self) -> int | None:
        """The id of the newest scan, or ``None`` when the store holds none."""
        with self._read() as connection:
            return connection.execute(select(scans.c.id).order_by(scans.c.id.desc()).limit(1)).scalar()

    def previous_scan(self, scan_id: int) -> int | None:
        """The newest earlier scan over the same targets (what "new since last scan" compares with)."""
        with self._read() as connection:
            key = connection.execute(select(scans.c.targets_key).where(scans.c.id == scan_id)).scalar()
            if key is None:
                return None
            query = select(scans.c.id).where(scans.c.targets_key == key, scans.c.id < scan_id)
            return connection.execute(query.order_by(scans.c.id.desc()).limit(1)).scalar()

    def findings_since(self, previous_scan: int, current_scan: int | None = None) -> frozenset[str]:
        """Fingerprints of open findings in ``current_scan`` (default: the latest) absent from ``previous_scan``."""
        current = current_scan if current_scan is not None else self.latest_scan()
        if current is None:
            return frozenset()
        with self._read() as connection:
            return self._fingerprints(connection, current) - self._fingerprints(connection, previous_scan)

    @staticmethod
    def _fingerprints(connection: Connection, scan_id: int) -> frozenset[str]:
        query = select(findings.c.fingerprint).where(findings.c.scan_id == scan_id, findings.c.status == "open")
        return frozenset(connection.execute(query).scalars())

    # Artifacts and lineage -----------------------------------------------------------------------

    def artifact(self, sha256: str) -> StoredArtifact | None:
        """The first-seen artifact with this content digest, or ``None``."""
        with self._read() as connection:
            query = select(artifacts).where(artifacts.c.sha256 == sha256.lower()).order_by(artifacts.c.id).limit(1)
            row = connection.execute(query).first()
            return _sql.artifact_from_row(row) if row is not None else None

    def versions(self, path: str) -> list[StoredArtifact]:
        """Every recorded version (digest) of one path, oldest first (DATA-05)."""
        with self._read() as connection:
            query = select(artifacts).where(artifacts.c.path == normalise_path(path)).order_by(artifacts.c.id)
            return [_sql.artifact_from_row(row) for row in connection.execute(query)]

    def add_lineage(self, edge: LineageEdge) -> bool:
        """Record one edge; ``False`` when the same edge from the same source was already there."""
        return self.add_lineage_many([edge]) == 1

    def add_lineage_many(self, edges: Iterable[LineageEdge], accessed: Sequence[AccessRecord] = ()) -> int:
        """Record many edges (and the access records of the files read to find them) in one transaction."""
        now = datetime.now(UTC)
        added = 0
        with self._write() as connection:
            for edge in edges:
                added += self._insert_edge(connection, edge, now)
            self._insert_access(connection, accessed)
        return added

    @staticmethod
    def _insert_edge(connection: Connection, edge: LineageEdge, now: datetime) -> int:
        source = _sql.get_or_create_artifact(connection, edge.from_artifact, now)
        target = _sql.get_or_create_artifact(connection, edge.to_artifact, now)
        values = {
            "from_artifact": source,
            "to_artifact": target,
            "relation": edge.relation,
            "source": edge.source,
            "params": _sql._jsonable(dict(edge.params)),
            "created_at": edge.created_at or now,
        }
        statement = _sql.insert_ignore(connection, lineage_edges).values(**values).returning(lineage_edges.c.id)
        return 0 if connection.execute(statement).first() is None else 1

    def lineage_of(self, artifact: str, *, max_nodes: int = 2000) -> LineageGraph:
        """Everything upstream and downstream of ``artifact`` (a path, URI or SHA-256 prefix of 8+ hex digits)."""
        with self._read() as connection:
            return lineage_graph(connection, artifact, max_nodes=max_nodes)

    # Access log and signatures -------------------------------------------------------------------

    def record_access(self, record: AccessRecord) -> None:
        """Append one DATA-10 access record (who, which operation, which artifact, when)."""
        with self._write() as connection:
            self._insert_access(connection, [record])

    @staticmethod
    def _insert_access(connection: Connection, records: Sequence[AccessRecord]) -> None:
        if not records:
            return
        actor = current_actor()
        now = datetime.now(UTC)
        rows = [
            {
                "at": r.at or now,
                "actor": (r.actor or actor)[:255],
                "operation": r.operation[:64],
                "artifact_path": r.artifact_path,
                "artifact_sha256": r.artifact_sha256,
                "tool_version": __version__,
                "detail": _sql._jsonable(dict(r.detail)),
            }
            for r in records
        ]
        connection.execute(insert(access_log), rows)

    def access_log(self, *, sha256: str | None = None, limit: int = 100) -> list[AccessRecord]:
        """The newest access records, optionally for one artifact digest."""
        query = select(access_log).order_by(access_log.c.id.desc()).limit(limit)
        if sha256:
            query = query.where(access_log.c.artifact_sha256 == sha256.lower())
        with self._read() as connection:
            return [
                AccessRecord(
                    operation=r.operation,
                    artifact_path=r.artifact_path,
                    artifact_sha256=r.artifact_sha256,
                    detail=r.detail,
                    actor=r.actor,
                    at=utc(r.at),
                )
                for r in connection.execute(query)
            ]

    def record_signature(self, record: SignatureRecord) -> int:
        """Record a signature (or a new verification of it); return its id.

        For the integrity commands: call after ``mlwarden sign`` wrote a bundle (``verified=None``) and
        after ``mlwarden verify`` (``verified=True/False``, ``verified_at``). The same (digest, signer,
        bundle digest) is one row; a later call updates its verification fields. Also appends an
        access record (``sign`` or ``verify``).
        """
        now = datetime.now(UTC)
        identity = (
            signatures.c.artifact_sha256 == record.artifact_sha256,
            signatures.c.signer_fingerprint == record.signer_fingerprint,
            signatures.c.bundle_sha256 == record.bundle_sha256,
        )
        values = {
            "artifact_sha256": record.artifact_sha256,
            "signer_fingerprint": record.signer_fingerprint,
            "bundle_sha256": record.bundle_sha256,
            "bundle_path": record.bundle_path,
            "method": record.method,
            "artifact_path": normalise_path(record.artifact_path),
            "recorded_at": now,
        }
        with self._write() as connection:
            connection.execute(_sql.insert_ignore(connection, signatures).values(**values))
            if record.verified is not None:
                verified = {"verified": record.verified, "verified_at": record.verified_at or now}
                connection.execute(signatures.update().where(*identity).values(**verified))
            operation = "sign" if record.verified is None else "verify"
            access = AccessRecord(
                operation=operation,
                artifact_path=str(values["artifact_path"]),
                artifact_sha256=record.artifact_sha256,
                at=now,
            )
            self._insert_access(connection, [access])
            return int(connection.execute(select(signatures.c.id).where(*identity)).scalar_one())

    def signatures_of(self, sha256: str) -> list[SignatureRecord]:
        """Every recorded signature over one artifact digest."""
        with self._read() as connection:
            rows = connection.execute(select(signatures).where(signatures.c.artifact_sha256 == sha256.lower()))
            return [
                SignatureRecord(
                    artifact_sha256=r.artifact_sha256,
                    signer_fingerprint=r.signer_fingerprint,
                    bundle_path=r.bundle_path,
                    bundle_sha256=r.bundle_sha256,
                    method=r.method,
                    artifact_path=r.artifact_path,
                    verified=r.verified,
                    verified_at=r.verified_at,
                )
                for r in rows
            ]


def _scan_access(scan_id: int, ref: ArtifactRef, now: datetime) -> AccessRecord:
    return AccessRecord(
        operation="scan",
        artifact_path=normalise_path(ref.path),
        artifact_sha256=ref.sha256,
        detail={"scan_id": scan_id, "member": ref.member},
        at=now,
    )
