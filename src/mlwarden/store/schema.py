"""The inventory schema as SQLAlchemy Core tables: what the migrations build and the repository reads.

Every version of an artifact is its own row in ``artifacts``, keyed by ``(path, member, sha256)``:
that is what makes lineage point at *the* dataset a model was trained on, not at whatever the file
holds today (DATA-05). ``member`` and ``sha256`` are empty strings rather than NULL when unknown, so
the unique key holds on every database (NULL is never equal to NULL in a unique index).

Changing a table here needs a new Alembic revision in ``migrations/versions``; the migration tests
fail when the two disagree.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "LINEAGE_SOURCES",
    "access_log",
    "artifacts",
    "findings",
    "lineage_edges",
    "metadata",
    "scan_artifacts",
    "scans",
    "signatures",
]

LINEAGE_SOURCES = ("manual", "dvc", "mlflow", "mlwarden")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

scans = Table(
    "scans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("tool_version", String(64), nullable=False),
    Column("targets", JSON, nullable=False),
    Column("targets_key", String(64), nullable=False),
    Column("scanners", JSON, nullable=False),
    Column("errors", JSON, nullable=False),
    Column("notices", JSON, nullable=False),
    Column("finding_count", Integer, nullable=False),
    Column("actor", String(255), nullable=False),
    Index(None, "targets_key", "id"),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False),
    Column("member", Text, nullable=False, server_default=""),
    Column("sha256", String(64), nullable=False, server_default=""),
    Column("format", String(64), nullable=False, server_default="unknown"),
    Column("size", BigInteger, nullable=True),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("path", "member", "sha256"),
    Index(None, "sha256"),
)

scan_artifacts = Table(
    "scan_artifacts",
    metadata,
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
    Column("artifact_id", Integer, ForeignKey("artifacts.id", ondelete="CASCADE"), primary_key=True),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("rule_id", String(64), nullable=False),
    Column("risk_id", String(32), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("status", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("member", Text, nullable=False, server_default=""),
    Column("line", Integer, nullable=True),
    Column("evidence", Text, nullable=False),
    Column("scanner", String(64), nullable=False),
    Column("scanner_version", Integer, nullable=False),
    Column("suppression_reason", Text, nullable=True),
    CheckConstraint("status IN ('open', 'suppressed')", name="status"),
    Index(None, "scan_id", "fingerprint"),
    Index(None, "fingerprint"),
)

signatures = Table(
    "signatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("artifact_sha256", String(64), nullable=False),
    Column("artifact_path", Text, nullable=False, server_default=""),
    Column("signer_fingerprint", String(128), nullable=False),
    Column("method", String(32), nullable=False),
    Column("bundle_path", Text, nullable=False),
    Column("bundle_sha256", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("verified_at", DateTime(timezone=True), nullable=True),
    Column("verified", Boolean, nullable=True),
    UniqueConstraint("artifact_sha256", "signer_fingerprint", "bundle_sha256", name="uq_signatures_identity"),
)

lineage_edges = Table(
    "lineage_edges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("from_artifact", Integer, ForeignKey("artifacts.id", ondelete="CASCADE"), nullable=False),
    Column("to_artifact", Integer, ForeignKey("artifacts.id", ondelete="CASCADE"), nullable=False),
    Column("relation", String(64), nullable=False),
    Column("source", String(16), nullable=False),
    Column("params", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("source IN ('manual', 'dvc', 'mlflow', 'mlwarden')", name="source"),
    UniqueConstraint("from_artifact", "to_artifact", "relation", "source", name="uq_lineage_edges_identity"),
    Index(None, "to_artifact"),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("operation", String(64), nullable=False),
    Column("artifact_path", Text, nullable=False),
    Column("artifact_sha256", String(64), nullable=False, server_default=""),
    Column("tool_version", String(64), nullable=False),
    Column("detail", JSON, nullable=False),
    Index(None, "artifact_sha256"),
    Index(None, "at"),
)
