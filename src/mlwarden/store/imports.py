"""``mlwarden lineage import``: edges from DVC, MLflow and mlwarden's own lineage log, stored in one go.

Each source is read (and DVC outputs verified) first; then every edge and the access records of the
files that were hashed are written in one transaction, so a failed import leaves nothing behind and
importing twice adds nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mlwarden.core.errors import UsageError
from mlwarden.store.dvc import DvcCheck, dvc_edges, find_dvc, read_dvc, verify_dvc
from mlwarden.store.mlflow import find_mlruns, mlflow_edges, read_mlruns
from mlwarden.store.records import AccessRecord, ArtifactRef, LineageEdge, utc
from mlwarden.store.repository import SqlStore

__all__ = ["ImportReport", "import_lineage", "read_lineage_log"]

LINEAGE_LOG = Path(".mlwarden") / "lineage.jsonl"
_MAX_LINE = 1 << 20
_MAX_LINES = 1_000_000
_RELATIONS = {"redact": "redacted-from", "forget": "erased-from"}


@dataclass(slots=True)
class ImportReport:
    """What an import found per source, the DVC verdicts, and what could not be read."""

    found: dict[str, int] = field(default_factory=dict)
    added: int = 0
    checks: list[DvcCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def mismatches(self) -> list[DvcCheck]:
        """DVC outputs whose working copy is modified or missing."""
        return [check for check in self.checks if check.status in ("modified", "missing")]


def read_lineage_log(path: Path, problems: list[str]) -> Iterator[LineageEdge]:
    """Edges of ``.mlwarden/lineage.jsonl`` (``mlwarden redact``/``forget``); bad lines become problems."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number > _MAX_LINES:
                problems.append(f"{path}: more than {_MAX_LINES} lines; the rest were not read")
                return
            if len(raw) > _MAX_LINE:
                problems.append(f"{path}:{number}: line longer than {_MAX_LINE} bytes; skipped")
                continue
            if raw.strip():
                edge = _log_edge(raw, f"{path}:{number}", problems)
                if edge is not None:
                    yield edge


def _log_edge(raw: bytes, where: str, problems: list[str]) -> LineageEdge | None:
    try:
        record = json.loads(raw)
        source, target = record["from"], record["to"]
        operation = str(record.get("operation", ""))
        when = utc(datetime.fromisoformat(record["time"])) if record.get("time") else None
        params: dict[str, Any] = {"operation": operation, **(record.get("params") or {})}
        return LineageEdge(
            from_artifact=ArtifactRef(path=str(source["path"]), sha256=str(source.get("sha256") or "")),
            to_artifact=ArtifactRef(path=str(target["path"]), sha256=str(target.get("sha256") or "")),
            relation=_RELATIONS.get(operation, "derived-from"),
            source="mlwarden",
            params=params,
            created_at=when,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problems.append(f"{where}: not a lineage record ({type(exc).__name__})")
        return None


def import_lineage(
    store: SqlStore, path: Path, *, dvc: bool | None = None, mlflow: bool | None = None, log: bool | None = None
) -> ImportReport:
    """Import from the sources found under ``path`` (``None``: auto-detect; ``True``: required)."""
    _require(path, dvc=dvc, mlflow=mlflow, log=log)
    report = ImportReport()
    edges: list[LineageEdge] = []
    accessed: list[AccessRecord] = []
    if dvc or (dvc is None and find_dvc(path)):
        project = read_dvc(path)
        report.checks = verify_dvc(project)
        report.problems += project.problems
        found = dvc_edges(project, report.checks)
        report.found["dvc"] = len(found)
        edges += found
        accessed += [_access(project.root, check) for check in report.checks if check.digests is not None]
    mlruns = find_mlruns(path)
    if mlflow or (mlflow is None and mlruns is not None):
        runs = read_mlruns(mlruns or path)
        report.problems += runs.problems
        found = mlflow_edges(runs)
        report.found["mlflow"] = len(found)
        edges += found
    log_path = path / LINEAGE_LOG
    if log or (log is None and log_path.is_file()):
        found = list(read_lineage_log(log_path, report.problems))
        report.found["mlwarden"] = len(found)
        edges += found
    report.added = store.add_lineage_many(edges, accessed)
    return report


def _require(path: Path, *, dvc: bool | None, mlflow: bool | None, log: bool | None) -> None:
    present = {"dvc": find_dvc(path), "mlflow": find_mlruns(path) is not None, "log": (path / LINEAGE_LOG).is_file()}
    asked = {"dvc": dvc, "mlflow": mlflow, "log": log}
    missing = [name for name, wanted in asked.items() if wanted and not present[name]]
    if missing:
        raise UsageError(f"no {' or '.join(missing)} lineage metadata under {path}",
                         hint="DVC: dvc.lock or *.dvc; MLflow: mlruns/; mlwarden: .mlwarden/lineage.jsonl")  # fmt: skip
    if not any(present[name] for name, wanted in asked.items() if wanted is not False):
        hint = "expected dvc.lock or *.dvc files, an mlruns/ folder, or .mlwarden/lineage.jsonl"
        raise UsageError(f"no lineage metadata found under {path}", hint=hint)


def _access(root: Path, check: DvcCheck) -> AccessRecord:
    digests = check.digests
    return AccessRecord(operation="lineage-import", artifact_path=str(root / check.output.path),
                        artifact_sha256=digests.sha256 if digests is not None else "",
                        detail={"dvc_status": check.status, "declared_in": check.output.declared_in})  # fmt: skip
