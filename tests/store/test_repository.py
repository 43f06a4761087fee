"""SqlStore on SQLite and PostgreSQL: scans round-trip, new-since-last-scan, transactions, lineage, access log."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.store.helpers import SHA, make_finding, make_result

from mlwarden.core.errors import UsageError
from mlwarden.core.findings import ArtifactRecord, SuppressedFinding
from mlwarden.store import AccessRecord, ArtifactRef, LineageEdge, SignatureRecord, SqlStore, _sql
from mlwarden.store.schema import access_log, artifacts, findings, scans


def _count(store: SqlStore, table: object) -> int:
    with store._read() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_save_and_load_scan_round_trip(store: SqlStore, tmp_path: Path) -> None:
    finding = make_finding(path=str(tmp_path / "model.pkl"))
    quiet = SuppressedFinding(finding=make_finding(key="eval"), reason="known", expires="2099-01-01")
    scan_id = store.save_scan(make_result(tmp_path, (finding,), suppressed=(quiet,)))
    loaded = store.load_scan(scan_id)
    assert loaded is not None
    assert loaded.targets == (str(tmp_path.resolve()),)
    assert loaded.tool_version == "0.0.test"
    assert loaded.started_at is not None and loaded.started_at.tzinfo is not None
    assert [(a.path, a.sha256, a.format, a.size) for a in loaded.artifacts] == [
        (str((tmp_path / "model.pkl").resolve()), SHA, "pickle", 10)
    ]
    assert [(f.fingerprint, f.status) for f in loaded.findings] == [
        (finding.fingerprint, "open"),
        (quiet.finding.fingerprint, "suppressed"),
    ]
    assert loaded.findings[0].line == 3
    assert store.load_scan(scan_id + 100) is None
    assert store.artifact(SHA) == loaded.artifacts[0]
    assert store.artifact("cd" * 32) is None


def test_same_artifact_version_is_one_row_and_new_versions_are_kept(store: SqlStore, tmp_path: Path) -> None:
    store.save_scan(make_result(tmp_path))
    store.save_scan(make_result(tmp_path))
    changed = ArtifactRecord(path=str(tmp_path / "model.pkl"), format="pickle", size=11, sha256="cd" * 32)
    store.save_scan(make_result(tmp_path, artifacts=(changed,)))
    assert [v.sha256 for v in store.versions(str(tmp_path / "model.pkl"))] == [SHA, "cd" * 32]
    assert _count(store, artifacts) == 2
    assert _count(store, scans) == 3


def test_new_findings_since_last_scan(store: SqlStore, tmp_path: Path) -> None:
    old = make_finding(key="os.system")
    new = make_finding(key="subprocess.Popen")
    first = store.save_scan(make_result(tmp_path, (old,)))
    second = store.save_scan(make_result(tmp_path, (old, new)))
    other = store.save_scan(make_result(tmp_path / "elsewhere", (new,)))
    assert store.findings_since(first, second) == {new.fingerprint}
    assert store.findings_since(second, first) == frozenset()
    assert store.previous_scan(second) == first
    assert store.previous_scan(first) is None
    assert store.previous_scan(other) is None
    assert store.latest_scan() == other
    assert store.findings_since(first) == {new.fingerprint}


def test_suppressed_findings_are_not_new(store: SqlStore, tmp_path: Path) -> None:
    finding = make_finding()
    first = store.save_scan(make_result(tmp_path))
    second = store.save_scan(make_result(tmp_path, suppressed=(SuppressedFinding(finding=finding, reason="ok"),)))
    assert store.findings_since(first, second) == frozenset()


def test_failure_mid_save_writes_nothing(store: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object) -> None:
        raise RuntimeError("disk full half-way")

    monkeypatch.setattr(_sql, "insert_findings", explode)
    with pytest.raises(RuntimeError, match="half-way"):
        store.save_scan(make_result(tmp_path, (make_finding(),)))
    for table in (scans, artifacts, findings, access_log):
        assert _count(store, table) == 0, table


def test_failed_lineage_import_is_all_or_nothing(store: SqlStore) -> None:
    good = LineageEdge(from_artifact=ArtifactRef(path="/d/a.csv"), to_artifact=ArtifactRef(path="/m/a.pkl"),
                       relation="trained-on")  # fmt: skip
    bad = LineageEdge(from_artifact=ArtifactRef(path="/d/b.csv"), to_artifact=ArtifactRef(path="/m/b.pkl"),
                      relation="trained-on", params={"x": 1})  # fmt: skip
    object.__setattr__(bad, "source", "forged")  # bypass validation: the database CHECK must refuse it
    with pytest.raises(Exception, match=r"(?i)check|constraint|database"):
        store.add_lineage_many([good, bad])
    assert store.lineage_of("/d/a.csv").edges == ()
    assert _count(store, artifacts) == 0


def test_lineage_graph_upstream_and_downstream(store: SqlStore) -> None:
    raw = ArtifactRef(path="/data/raw.csv", sha256="11" * 32)
    clean = ArtifactRef(path="/data/clean.csv", sha256="22" * 32)
    model = ArtifactRef(path="/models/m.pkl", sha256="33" * 32)
    tuned = ArtifactRef(path="/models/m-tuned.pkl")
    store.add_lineage(LineageEdge(from_artifact=raw, to_artifact=clean, relation="derived-from", source="mlwarden",
                                  params={"operation": "redact"}))  # fmt: skip
    store.add_lineage(LineageEdge(from_artifact=clean, to_artifact=model, relation="trained-on", source="dvc"))
    store.add_lineage(LineageEdge(from_artifact=model, to_artifact=tuned, relation="fine-tuned-from"))
    unrelated = LineageEdge(from_artifact=clean, to_artifact=ArtifactRef(path="/models/other.pkl"),
                            relation="trained-on")  # fmt: skip
    store.add_lineage(unrelated)
    graph = store.lineage_of("/models/m.pkl")
    paths = {node.path for node in graph.nodes.values()}
    assert paths == {"/data/raw.csv", "/data/clean.csv", "/models/m.pkl", "/models/m-tuned.pkl"}
    assert len(graph.edges) == 3
    assert [graph.nodes[f].path for f in graph.focus] == ["/models/m.pkl"]
    by_sha = store.lineage_of("33" * 6)
    assert by_sha.focus == graph.focus
    assert store.lineage_of("/nowhere").focus == ()
    edge = next(e for e in graph.edges if e.source == "mlwarden")
    assert edge.params == {"operation": "redact"}


def test_lineage_cycles_and_truncation_terminate(store: SqlStore) -> None:
    a, b = ArtifactRef(path="/a"), ArtifactRef(path="/b")
    store.add_lineage(LineageEdge(from_artifact=a, to_artifact=b, relation="derived-from"))
    store.add_lineage(LineageEdge(from_artifact=b, to_artifact=a, relation="derived-from"))
    assert len(store.lineage_of("/a").edges) == 2
    chain = [ArtifactRef(path=f"/c{i}") for i in range(12)]
    store.add_lineage_many(
        LineageEdge(from_artifact=x, to_artifact=y, relation="derived-from") for x, y in itertools.pairwise(chain)
    )
    graph = store.lineage_of("/c0", max_nodes=5)
    assert graph.truncated


def test_invalid_relation_and_source_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="relation"):
        LineageEdge(from_artifact=ArtifactRef(path="a"), to_artifact=ArtifactRef(path="b"), relation="Trained On")
    with pytest.raises(UsageError, match="source"):
        LineageEdge(from_artifact=ArtifactRef(path="a"), to_artifact=ArtifactRef(path="b"), relation="x", source="web")


def test_access_log_and_signatures(store: SqlStore, tmp_path: Path) -> None:
    scan_id = store.save_scan(make_result(tmp_path))
    store.record_access(AccessRecord(operation="verify", artifact_path="/m.pkl", artifact_sha256=SHA))
    log = store.access_log(sha256=SHA)
    assert [(r.operation, r.detail.get("scan_id")) for r in log] == [("verify", None), ("scan", scan_id)]
    assert all("@" in r.actor and r.at is not None and r.at.tzinfo is not None for r in log)
    record = SignatureRecord(artifact_sha256=SHA, signer_fingerprint="ed25519:abc", bundle_path="/m.pkl.sig",
                             bundle_sha256="ef" * 32)  # fmt: skip
    first = store.record_signature(record)
    again = store.record_signature(SignatureRecord(**{**_fields(record), "verified": True}))
    assert first == again
    (stored,) = store.signatures_of(SHA)
    assert stored.verified is True
    assert stored.verified_at is not None
    assert [r.operation for r in store.access_log(sha256=SHA)][:2] == ["verify", "sign"]


def _fields(record: SignatureRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def test_reopening_keeps_data_and_schema(store_url: str, tmp_path: Path) -> None:
    with SqlStore(store_url) as first:
        scan_id = first.save_scan(make_result(tmp_path))
        revision = first.revision
    with SqlStore(store_url) as second:
        assert second.revision == revision
        assert second.load_scan(scan_id) is not None
