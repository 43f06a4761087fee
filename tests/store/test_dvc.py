"""DVC: dvc.lock and .dvc parsing, working-copy verification (match, modified, missing, CRLF, .dir) and edges."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.store.helpers import dvc_project, md5

from mlwarden.store.dvc import dvc_edges, find_dvc, read_dvc, verify_dvc
from mlwarden.store.hashing import file_digests


def test_matching_modified_and_missing(tmp_path: Path) -> None:
    root = dvc_project(tmp_path)
    assert find_dvc(root)
    project = read_dvc(root)
    assert [s.name for s in project.stages] == ["train"]
    checks = {c.output.path: c for c in verify_dvc(project)}
    assert checks["data/train.csv"].status == "match"
    assert checks["model.pkl"].status == "match"
    assert checks["metrics.json"].status == "missing"
    (root / "model.pkl").write_bytes(b"tampered")
    modified = {c.output.path: c for c in verify_dvc(project)}["model.pkl"]
    assert modified.status == "modified"
    assert md5(b"model-bytes") in modified.detail


def test_stage_deps_to_outs_become_edges_with_versions(tmp_path: Path) -> None:
    root = dvc_project(tmp_path)
    project = read_dvc(root)
    edges = dvc_edges(project, verify_dvc(project))
    assert len(edges) == 4
    first = next(e for e in edges if e.from_artifact.path.endswith("train.csv") and e.to_artifact.path.endswith(".pkl"))
    assert first.source == "dvc" and first.relation == "derived-from"
    assert first.params["stage"] == "train" and first.params["cmd"] == "python train.py"
    assert first.from_artifact.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    missing = next(e for e in edges if e.to_artifact.path.endswith("metrics.json"))
    assert missing.to_artifact.sha256 == ""
    assert first.from_artifact.path == str(root.resolve() / "data" / "train.csv")


def test_dvc_files_and_legacy_crlf_rule(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    text = b"x,y\r\n1,2\r\n"
    (tmp_path / "data" / "raw.csv").write_bytes(text)
    legacy_md5 = md5(text.replace(b"\r\n", b"\n"))
    (tmp_path / "data" / "raw.csv.dvc").write_text(f"outs:\n- md5: {legacy_md5}\n  path: raw.csv\n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\x00\r\n")
    blob_md5 = md5(b"\x00\n")
    (tmp_path / "blob.bin.dvc").write_text(f"outs:\n- md5: {blob_md5}\n  path: blob.bin\n", encoding="utf-8")
    project = read_dvc(tmp_path)
    checks = {c.output.path: c for c in verify_dvc(project)}
    assert checks["data/raw.csv"].status == "match"
    assert "CRLF" in checks["data/raw.csv"].detail
    assert checks["blob.bin"].status == "modified"  # binary files were never converted
    (tmp_path / "data" / "raw.csv.dvc").write_text(
        f"outs:\n- md5: {legacy_md5}\n  hash: md5\n  path: raw.csv\n", encoding="utf-8"
    )
    assert {c.output.path: c for c in verify_dvc(read_dvc(tmp_path))}["data/raw.csv"].status == "modified"


def test_crlf_split_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mlwarden.store.hashing as hashing

    data = b"ab\r\ncd\r\n\r\n"
    (tmp_path / "f").write_bytes(data)
    monkeypatch.setattr(hashing, "_CHUNK", 3)  # a CR lands at a chunk boundary
    assert file_digests(tmp_path / "f", dos2unix=True).md5_dos2unix == md5(data.replace(b"\r\n", b"\n"))


def test_directory_with_and_without_manifest(tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.png").write_bytes(b"A")
    (images / "b.png").write_bytes(b"BB")
    dir_md5 = "0123456789abcdef0123456789abcdef.dir"
    (tmp_path / "images.dvc").write_text(
        f"outs:\n- md5: {dir_md5}\n  size: 3\n  nfiles: 2\n  hash: md5\n  path: images\n", encoding="utf-8"
    )
    (check,) = verify_dvc(read_dvc(tmp_path))
    assert check.status == "partial" and "count and total size only" in check.detail
    manifest = tmp_path / ".dvc" / "cache" / "files" / "md5" / dir_md5[:2] / dir_md5[2:]
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps([{"md5": md5(b"A"), "relpath": "a.png"}, {"md5": md5(b"BB"), "relpath": "b.png"}]))
    (check,) = verify_dvc(read_dvc(tmp_path))
    assert check.status == "match"
    (images / "b.png").write_bytes(b"XX")
    (images / "c.png").write_bytes(b"C")
    (check,) = verify_dvc(read_dvc(tmp_path))
    assert check.status == "modified"
    assert check.problems == ("modified: b.png", "not in the manifest: c.png")
    manifest.unlink()
    (check,) = verify_dvc(read_dvc(tmp_path))
    assert check.status == "modified" and "3 file(s), DVC recorded 2" in check.detail


def test_paths_outside_the_project_and_devices_are_never_opened(tmp_path: Path) -> None:
    (tmp_path / "escape.dvc").write_text("outs:\n- md5: abc\n  path: ../../../../etc/passwd\n", encoding="utf-8")
    (tmp_path / "dev.dvc").write_text("outs:\n- md5: abc\n  path: /dev/zero\n", encoding="utf-8")
    statuses = {c.output.path: c.status for c in verify_dvc(read_dvc(tmp_path))}
    assert set(statuses.values()) == {"unverifiable"}


def test_dvc_import_files_give_imported_from_edges(tmp_path: Path) -> None:
    (tmp_path / "data.xml").write_bytes(b"<x/>")
    (tmp_path / "data.xml.dvc").write_text(
        "deps:\n- path: data/data.xml\n  repo:\n    url: https://example.com/dataset-registry\n    rev_lock: f31f5c4\n"
        f"outs:\n- md5: {md5(b'<x/>')}\n  path: data.xml\n",
        encoding="utf-8",
    )
    project = read_dvc(tmp_path)
    (edge,) = dvc_edges(project, verify_dvc(project))
    assert edge.relation == "imported-from"
    assert edge.from_artifact.path == "https://example.com/dataset-registry#data/data.xml@f31f5c4"


def test_malformed_files_become_problems(tmp_path: Path) -> None:
    (tmp_path / "dvc.lock").write_text("stages: [unclosed\n", encoding="utf-8")
    (tmp_path / "a.dvc").write_text("- just a list\n", encoding="utf-8")
    (tmp_path / "bomb.dvc").write_text("a: &a [x, x]\n" + "".join(f"b{i}: *a\n" for i in range(200)), encoding="utf-8")
    project = read_dvc(tmp_path)
    assert len(project.problems) == 3
    assert any("aliases" in p for p in project.problems)
    assert verify_dvc(project) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_fuzzed_dvc_files_never_crash(tmp_path: Path, text: str) -> None:
    (tmp_path / "dvc.lock").write_text(text, encoding="utf-8", errors="replace")
    (tmp_path / "x.dvc").write_text(text, encoding="utf-8", errors="replace")
    project = read_dvc(tmp_path)
    dvc_edges(project, verify_dvc(project))
