"""Builders of scan results for the store tests."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlwarden.core.findings import (
    ArtifactRecord,
    Finding,
    Location,
    ScannerRun,
    ScanResult,
    Severity,
    Stage,
    SuppressedFinding,
)

POSTGRES_ENV = "MLWARDEN_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    """The server URL from the environment, or fail (CI) / skip (elsewhere) with the reason."""
    url = os.environ.get(POSTGRES_ENV, "")
    if url:
        return url
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(f"{POSTGRES_ENV} is not set in CI: `make test` starts PostgreSQL with scripts/services.sh")
    pytest.skip(f'PostgreSQL not started: run eval "$(scripts/services.sh start)" or make test ({POSTGRES_ENV} unset)')


SHA = "ab" * 32


def make_finding(rule: str = "MW-TEST-001", path: str = "model.pkl", key: str = "os.system") -> Finding:
    """A finding with only what the store reads set."""
    return Finding(
        rule_id=rule,
        risk_id="MODEL-07",
        stage=Stage.MODEL,
        severity=Severity.HIGH,
        title="test finding",
        message=f"matched {key}",
        location=Location(path=path, line=3),
        evidence="os.system",
        scanner="test",
        match_key=key,
    )


def make_result(
    root: Path,
    findings: tuple[Finding, ...] = (),
    *,
    artifacts: tuple[ArtifactRecord, ...] | None = None,
    suppressed: tuple[SuppressedFinding, ...] = (),
) -> ScanResult:
    """A scan result over ``root`` with one artifact (``model.pkl``) and the given findings."""
    now = datetime.now(UTC)
    default = (ArtifactRecord(path=str(root / "model.pkl"), format="pickle", size=10, sha256=SHA),)
    return ScanResult(
        targets=(str(root),),
        tool_version="0.0.test",
        started=now,
        finished=now,
        artifacts=default if artifacts is None else artifacts,
        findings=findings,
        suppressed=suppressed,
        scanners_run=(ScannerRun(name="test", version=1),),
    )


def md5(data: bytes) -> str:
    """MD5 as DVC records it."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


TRAIN, SCRIPT, MODEL, EMPTY = b"a,b\n1,2\n", b"print('train')\n", b"model-bytes", b"{}"


def dvc_project(root: Path) -> Path:
    """A DVC project: one stage train (data/train.csv, train.py -> model.pkl, metrics.json missing)."""
    (root / "data").mkdir(parents=True)
    (root / "data" / "train.csv").write_bytes(TRAIN)
    (root / "train.py").write_bytes(SCRIPT)
    (root / "model.pkl").write_bytes(MODEL)
    lock = f"""schema: '2.0'
stages:
  train:
    cmd: python train.py
    deps:
    - path: data/train.csv
      hash: md5
      md5: {md5(TRAIN)}
      size: 8
    - path: train.py
      hash: md5
      md5: {md5(SCRIPT)}
    outs:
    - path: model.pkl
      hash: md5
      md5: {md5(MODEL)}
    - path: metrics.json
      hash: md5
      md5: {md5(EMPTY)}
"""
    (root / "dvc.lock").write_text(lock, encoding="utf-8")
    return root


RUN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build_mlruns(root: Path) -> Path:
    """One experiment, one run with a training and an evaluation dataset, a logged model and a registered version."""
    mlruns = root / "mlruns"
    exp = mlruns / "1"
    write(exp / "meta.yaml", "experiment_id: '1'\nname: churn\nlifecycle_stage: active\n")
    run = exp / RUN
    write(
        run / "meta.yaml", f"run_id: {RUN}\nrun_uuid: {RUN}\nexperiment_id: '1'\nstatus: 3\nlifecycle_stage: active\n"
    )
    write(run / "params" / "lr", "0.1")
    write(run / "params" / "epochs", "5")
    write(run / "tags" / "mlflow.runName", "brave-fox")
    write(run / "tags" / "mlflow.source.name", "train.py")
    history = [{"run_id": RUN, "artifact_path": "model", "flavors": {"python_function": {}, "sklearn": {}}}]
    write(run / "tags" / "mlflow.log-model.history", json.dumps(history))
    write(run / "artifacts" / "model" / "MLmodel", "artifact_path: model\n")
    write(run / "artifacts" / "extra" / "MLmodel", "artifact_path: extra\n")
    for input_id, dataset_id, context in (("i1", "d1", "training"), ("i2", "d2", "evaluation")):
        write(run / "inputs" / input_id / "meta.yaml",
               f"source_type: DATASET\nsource_id: {dataset_id}\ndestination_type: RUN\ndestination_id: {RUN}\n"
               f"tags:\n  mlflow.data.context: {context}\n")  # fmt: skip
    write(exp / "datasets" / "d1" / "meta.yaml",
           "name: train\ndigest: 1a2b3c\nsource_type: local\n"
           "source: '{\"uri\": \"file:///data/train.csv\"}'\n")  # fmt: skip
    write(exp / "datasets" / "d2" / "meta.yaml", "name: holdout\ndigest: 4d5e6f\nsource_type: code\nsource: '{}'\n")
    write(mlruns / "models" / "churn" / "version-1" / "meta.yaml",
           f"name: churn\nversion: 1\nsource: runs:/{RUN}/model\nrun_id: {RUN}\n")  # fmt: skip
    write(mlruns / ".trash" / "meta.yaml", "junk: [")
    return mlruns
