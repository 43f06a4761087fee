"""Statement helpers shared by the repository: idempotent inserts, artifact rows and scan rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Insert, Row, Table, and_, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from mlwarden.core.findings import Finding, ScanResult
from mlwarden.store.records import ArtifactRef, StoredArtifact, current_actor, normalise_path, utc
from mlwarden.store.schema import artifacts, findings, scans

__all__ = [
    "artifact_from_row",
    "finding_rows",
    "get_or_create_artifact",
    "insert_ignore",
    "scan_row",
    "targets_key",
]


def insert_ignore(connection: Connection, table: Table) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` where the dialect has it (SQLite, PostgreSQL); a plain insert elsewhere."""
    name = connection.dialect.name
    if name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    if name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return insert(table)


def artifact_from_row(row: Row[Any]) -> StoredArtifact:
    """A plain value from an ``artifacts`` row."""
    mapping = row._mapping
    return StoredArtifact(
        id=int(mapping["id"]),
        path=str(mapping["path"]),
        member=str(mapping["member"]),
        sha256=str(mapping["sha256"]),
        format=str(mapping["format"]),
        size=mapping["size"],
        first_seen=utc(mapping["first_seen"]),
    )


def get_or_create_artifact(connection: Connection, ref: ArtifactRef, now: datetime) -> int:
    """The id of the ``(path, member, sha256)`` row, inserting it first when absent (race-safe on SQLite/PG)."""
    path = normalise_path(ref.path)
    where = and_(artifacts.c.path == path, artifacts.c.member == ref.member, artifacts.c.sha256 == ref.sha256)
    found = connection.execute(select(artifacts.c.id, artifacts.c.format).where(where)).first()
    if found is not None:
        if found.format == "unknown" and ref.format != "unknown":
            connection.execute(
                artifacts.update().where(artifacts.c.id == found.id).values(format=ref.format, size=ref.size)
            )
        return int(found.id)
    values = {
        "path": path,
        "member": ref.member,
        "sha256": ref.sha256,
        "format": ref.format[:64],
        "size": ref.size,
        "first_seen": now,
    }
    connection.execute(insert_ignore(connection, artifacts).values(**values))
    return int(connection.execute(select(artifacts.c.id).where(where)).scalar_one())


def targets_key(targets: Iterable[str]) -> str:
    """A digest of the sorted, absolute targets: scans of the same targets share it ("since last scan")."""
    joined = "\x1f".join(sorted(normalise_path(target) for target in targets))
    return hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def scan_row(result: ScanResult) -> dict[str, Any]:
    """The ``scans`` row of a result."""
    errors = [
        {"path": e.path, "kind": str(e.kind), "message": e.message, "member": e.member, "scanner": e.scanner}
        for e in result.errors
    ]
    return {
        "started_at": result.started.astimezone(UTC) if result.started.tzinfo else result.started,
        "finished_at": result.finished.astimezone(UTC) if result.finished.tzinfo else result.finished,
        "tool_version": result.tool_version[:64],
        "targets": [normalise_path(target) for target in result.targets],
        "targets_key": targets_key(result.targets),
        "scanners": [{"name": run.name, "version": run.version} for run in result.scanners_run],
        "errors": _jsonable(errors),
        "notices": list(result.notices),
        "finding_count": len(result.findings),
        "actor": current_actor(),
    }


def _finding_row(scan_id: int, finding: Finding, status: str, reason: str | None) -> dict[str, Any]:
    return {
        "scan_id": scan_id,
        "fingerprint": finding.fingerprint,
        "rule_id": finding.rule_id[:64],
        "risk_id": finding.risk_id[:32],
        "stage": str(finding.stage),
        "severity": finding.severity.label,
        "confidence": finding.confidence,
        "status": status,
        "title": finding.title,
        "message": finding.message,
        "path": normalise_path(finding.location.path),
        "member": finding.location.member or "",
        "line": finding.location.line,
        "evidence": finding.evidence,
        "scanner": finding.scanner[:64],
        "scanner_version": finding.scanner_version,
        "suppression_reason": reason,
    }


def finding_rows(scan_id: int, result: ScanResult) -> Sequence[Mapping[str, Any]]:
    """One ``findings`` row per open and per suppressed finding (the reason kept with the latter)."""
    rows = [_finding_row(scan_id, finding, "open", None) for finding in result.findings]
    rows += [_finding_row(scan_id, item.finding, "suppressed", item.reason) for item in result.suppressed]
    return rows


def insert_scan(connection: Connection, result: ScanResult) -> int:
    """Insert the ``scans`` row and return its id."""
    inserted = connection.execute(insert(scans).values(**scan_row(result))).inserted_primary_key
    if inserted is None:  # pragma: no cover - every supported dialect returns the key
        raise RuntimeError("the database did not return the new scan id")
    return int(inserted[0])


def insert_findings(connection: Connection, scan_id: int, result: ScanResult) -> None:
    """Insert every finding of the result in one executemany."""
    rows = finding_rows(scan_id, result)
    if rows:
        connection.execute(insert(findings), list(rows))
