"""``import_lineage``: DVC + MLflow + mlwarden's own lineage log into one store, all-or-nothing and idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.store.helpers import build_mlruns, dvc_project

from mlwarden.core.errors import UsageError
from mlwarden.dataops.lineage_log import record_edge
from mlwarden.store import SqlStore
from mlwarden.store.imports import import_lineage, read_lineage_log


def test_import_everything_once(store: SqlStore, tmp_path: Path) -> None:
    root = dvc_project(tmp_path / "proj")
    build_mlruns(root)
    (root / "people.csv").write_text("email\nx@example.com\n", encoding="utf-8")
    (root / "people.v2.csv").write_text("email\n[EMAIL]\n", encoding="utf-8")
    record_edge(root / "people.csv", root / "people.v2.csv", operation="redact", params={"mode": "mask"}, root=root)
    report = import_lineage(store, root)
    assert report.found == {"dvc": 4, "mlflow": 5, "mlwarden": 1}
    assert report.added == 10
    assert [c.output.path for c in report.mismatches] == ["metrics.json"]
    again = import_lineage(store, root)
    assert again.added == 0
    graph = store.lineage_of(str(root / "people.v2.csv"))
    (edge,) = graph.edges
    assert (edge.relation, edge.source, edge.params["mode"]) == ("redacted-from", "mlwarden", "mask")
    assert graph.nodes[edge.from_id].sha256  # the log records digests: the edge names versions
    operations = {r.operation for r in store.access_log(limit=50)}
    assert operations == {"lineage-import"}


def test_sources_can_be_required_or_skipped(store: SqlStore, tmp_path: Path) -> None:
    root = dvc_project(tmp_path / "proj")
    with pytest.raises(UsageError, match="no mlflow"):
        import_lineage(store, root, mlflow=True)
    with pytest.raises(UsageError, match="no lineage metadata"):
        import_lineage(store, root, dvc=False)
    with pytest.raises(UsageError, match="no lineage metadata"):
        import_lineage(store, tmp_path / "proj" / "data")
    assert import_lineage(store, root, mlflow=False, log=False).found == {"dvc": 4}


def test_lineage_log_bad_lines_are_reported(tmp_path: Path) -> None:
    log = tmp_path / "lineage.jsonl"
    good = {"from": {"path": "/a", "sha256": "aa"}, "to": {"path": "/b"}, "operation": "forget", "params": {},
            "time": "2025-01-01T12:00:00+00:00"}  # fmt: skip
    log.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"from": 1}), "", "[]"]) + "\n")
    problems: list[str] = []
    (edge,) = read_lineage_log(log, problems)
    assert edge.relation == "erased-from" and edge.created_at is not None and edge.created_at.year == 2025
    assert len(problems) == 3 and all("not a lineage record" in p for p in problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=80), st.dictionaries(st.sampled_from(["from", "to", "time", "operation",
       "params", "path"]), st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=5).map(json.dumps)),
       max_size=8))  # fmt: skip
def test_fuzzed_lineage_logs_never_crash(tmp_path: Path, lines: list[str]) -> None:
    log = tmp_path / "fuzz.jsonl"
    log.write_text("\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8", errors="replace")
    problems: list[str] = []
    for edge in read_lineage_log(log, problems):
        assert edge.source == "mlwarden"
