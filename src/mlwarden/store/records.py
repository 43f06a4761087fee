"""Plain values going into and coming out of the store; no SQLAlchemy object ever leaves ``store/``."""

from __future__ import annotations

import getpass
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlwarden.core.errors import UsageError

__all__ = [
    "AccessRecord",
    "ArtifactRef",
    "LineageEdge",
    "SignatureRecord",
    "StoredArtifact",
    "StoredFinding",
    "StoredScan",
    "current_actor",
    "normalise_path",
    "utc",
]

_RELATION = re.compile(r"[a-z][a-z0-9-]{0,63}")
_SOURCES = ("manual", "dvc", "mlflow", "mlwarden")


def utc(value: datetime | None) -> datetime | None:
    """Attach UTC to a naive timestamp read back from SQLite (which stores no zone)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def current_actor() -> str:
    """``user@host`` of this process, for the access log (DATA-10); never fails."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError, ImportError):
        user = "unknown"
    return f"{user}@{socket.gethostname() or 'localhost'}"[:255]


def normalise_path(path: str) -> str:
    """Local paths become absolute (resolved), so a scan, a DVC file and a manual edge name one file alike.

    URIs (``s3://…``, ``runs:/…``, ``models:/…``) are kept as written.
    """
    if not path or "://" in path or re.match(r"^[a-z][a-z0-9+.-]*:/", path):
        return path
    return str(Path(path).expanduser().resolve())


@dataclass(frozen=True, slots=True, kw_only=True)
class ArtifactRef:
    """One version of an artifact as a lineage endpoint: a path (or URI) and, when known, its SHA-256."""

    path: str
    sha256: str = ""
    member: str = ""
    format: str = "unknown"
    size: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LineageEdge:
    """``to_artifact`` was made from ``from_artifact``; ``relation`` says how, read as "TO relation FROM".

    ``source`` says who recorded the edge: ``manual`` (``mlwarden lineage add``), ``dvc``, ``mlflow``
    or ``mlwarden`` (the redact/forget lineage log).
    """

    from_artifact: ArtifactRef
    to_artifact: ArtifactRef
    relation: str
    source: str = "manual"
    params: Mapping[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if not _RELATION.fullmatch(self.relation):
            raise UsageError(
                f"invalid relation {self.relation!r}",
                hint="use lowercase words joined by '-', e.g. trained-on, derived-from, fine-tuned-from",
            )
        if self.source not in _SOURCES:
            raise UsageError(f"invalid lineage source {self.source!r}", hint=f"one of: {', '.join(_SOURCES)}")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredArtifact:
    """An artifact version as stored: ``sha256`` is empty when the content was never hashed."""

    id: int
    path: str
    member: str
    sha256: str
    format: str
    size: int | None
    first_seen: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredFinding:
    """A finding as stored with its scan; enough to diff scans and to list them again."""

    fingerprint: str
    rule_id: str
    severity: str
    status: str
    path: str
    member: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredScan:
    """A scan as stored: when, by whom, over what, and what it found."""

    id: int
    started_at: datetime | None
    finished_at: datetime | None
    tool_version: str
    targets: tuple[str, ...]
    actor: str
    artifacts: tuple[StoredArtifact, ...]
    findings: tuple[StoredFinding, ...]
    errors: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureRecord:
    """A signature over one artifact digest, as the integrity commands record it.

    ``signer_fingerprint`` identifies the key (or the Sigstore identity); ``bundle_path`` and
    ``bundle_sha256`` name the detached signature file. ``verified``/``verified_at`` are set when a
    verification ran; recording the same signature again updates them.
    """

    artifact_sha256: str
    signer_fingerprint: str
    bundle_path: str
    bundle_sha256: str
    method: str = "key"
    artifact_path: str = ""
    verified: bool | None = None
    verified_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessRecord:
    """DATA-10: which mlwarden operation touched which artifact, when, and as whom."""

    operation: str
    artifact_path: str
    artifact_sha256: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)
    actor: str = ""
    at: datetime | None = None
