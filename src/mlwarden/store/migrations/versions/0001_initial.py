"""The first inventory schema: scans, artifacts, findings, signatures, lineage edges and the access log.

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table of schema.py as it was at revision 0001 (frozen here on purpose)."""
    _scans_and_artifacts()
    _findings()
    _signatures()
    _lineage()
    _access_log()


def _scans_and_artifacts() -> None:
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", _TZ, nullable=False),
        sa.Column("finished_at", _TZ, nullable=False),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("targets_key", sa.String(64), nullable=False),
        sa.Column("scanners", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("notices", sa.JSON(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scans"),
    )
    op.create_index("ix_scans_targets_key_id", "scans", ["targets_key", "id"])
    op.create_table(
        "artifacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("member", sa.Text(), server_default="", nullable=False),
        sa.Column("sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("format", sa.String(64), server_default="unknown", nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("first_seen", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_artifacts"),
        sa.UniqueConstraint("path", "member", "sha256", name="uq_artifacts_path_member_sha256"),
    )
    op.create_index("ix_artifacts_sha256", "artifacts", ["sha256"])
    op.create_table(
        "scan_artifacts",
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], name="fk_scan_artifacts_scan_id_scans", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["artifact_id"], ["artifacts.id"], name="fk_scan_artifacts_artifact_id_artifacts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("scan_id", "artifact_id", name="pk_scan_artifacts"),
    )


def _findings() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("risk_id", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("member", sa.Text(), server_default="", nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("scanner", sa.String(64), nullable=False),
        sa.Column("scanner_version", sa.Integer(), nullable=False),
        sa.Column("suppression_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'suppressed')", name="ck_findings_status"),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], name="fk_findings_scan_id_scans", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_scan_id_fingerprint", "findings", ["scan_id", "fingerprint"])
    op.create_index("ix_findings_fingerprint", "findings", ["fingerprint"])


def _signatures() -> None:
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("artifact_sha256", sa.String(64), nullable=False),
        sa.Column("artifact_path", sa.Text(), server_default="", nullable=False),
        sa.Column("signer_fingerprint", sa.String(128), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("bundle_path", sa.Text(), nullable=False),
        sa.Column("bundle_sha256", sa.String(64), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("verified_at", _TZ, nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_signatures"),
        sa.UniqueConstraint("artifact_sha256", "signer_fingerprint", "bundle_sha256", name="uq_signatures_identity"),
    )


def _lineage() -> None:
    op.create_table(
        "lineage_edges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_artifact", sa.Integer(), nullable=False),
        sa.Column("to_artifact", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.CheckConstraint("source IN ('manual', 'dvc', 'mlflow', 'mlwarden')", name="ck_lineage_edges_source"),
        sa.ForeignKeyConstraint(
            ["from_artifact"], ["artifacts.id"], name="fk_lineage_edges_from_artifact_artifacts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["to_artifact"], ["artifacts.id"], name="fk_lineage_edges_to_artifact_artifacts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_lineage_edges"),
        sa.UniqueConstraint("from_artifact", "to_artifact", "relation", "source", name="uq_lineage_edges_identity"),
    )
    op.create_index("ix_lineage_edges_to_artifact", "lineage_edges", ["to_artifact"])


def _access_log() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _TZ, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("artifact_path", sa.Text(), nullable=False),
        sa.Column("artifact_sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_log"),
    )
    op.create_index("ix_access_log_artifact_sha256", "access_log", ["artifact_sha256"])
    op.create_index("ix_access_log_at", "access_log", ["at"])


def downgrade() -> None:
    """Drop everything revision 0001 created, children first."""
    for table in ("access_log", "lineage_edges", "signatures", "findings", "scan_artifacts", "artifacts", "scans"):
        op.drop_table(table)
