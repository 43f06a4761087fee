"""Reading a stored scan back: the scan row, its artifacts and its findings."""

from __future__ import annotations

from sqlalchemy import Connection, select

from mlwarden.store._sql import artifact_from_row
from mlwarden.store.records import StoredFinding, StoredScan, utc
from mlwarden.store.schema import artifacts, findings, scan_artifacts, scans

__all__ = ["load_scan"]


def load_scan(connection: Connection, scan_id: int) -> StoredScan | None:
    """The scan ``scan_id`` with its artifacts and findings (ordered as inserted), or ``None``."""
    row = connection.execute(select(scans).where(scans.c.id == scan_id)).first()
    if row is None:
        return None
    joined = artifacts.join(scan_artifacts, scan_artifacts.c.artifact_id == artifacts.c.id)
    query = select(artifacts).select_from(joined).where(scan_artifacts.c.scan_id == scan_id).order_by(artifacts.c.id)
    stored_artifacts = tuple(artifact_from_row(item) for item in connection.execute(query))
    finding_query = select(findings).where(findings.c.scan_id == scan_id).order_by(findings.c.id)
    stored_findings = tuple(
        StoredFinding(
            fingerprint=f.fingerprint,
            rule_id=f.rule_id,
            severity=f.severity,
            status=f.status,
            path=f.path,
            member=f.member,
            line=f.line,
            message=f.message,
        )
        for f in connection.execute(finding_query)
    )
    return StoredScan(
        id=int(row.id),
        started_at=utc(row.started_at),
        finished_at=utc(row.finished_at),
        tool_version=str(row.tool_version),
        targets=tuple(row.targets),
        actor=str(row.actor),
        artifacts=stored_artifacts,
        findings=stored_findings,
        errors=tuple(row.errors),
    )
