"""Archive expansion: nesting, bombs, traversal, truncation, duplicates, encryption and links."""

from __future__ import annotations

import bz2
import io
import lzma
import pickle
import zlib
from pathlib import Path

import numpy as np
import pytest
from tests.artifacts.conftest import Walked, run_walk
from tests.factories.archives import (
    deep_nested_zip,
    encrypted_zip,
    gzip_bytes,
    mismatched_name_zip,
    tar_bytes,
    tar_with_links,
    truncate,
    zip_bomb,
    zip_bytes,
    zip_with_symlink,
)

from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Budget
from mlwarden.core.findings import Severity

PAYLOAD = pickle.dumps({"weights": [1.0, 2.0]})


def _walk_bytes(tmp: Path, name: str, data: bytes, budget: Budget | None = None) -> Walked:
    (tmp / name).write_bytes(data)
    return run_walk([name], budget)


def test_zip_nested_in_tar_gz_is_expanded_with_member_chains(in_tmp: Path) -> None:
    inner = zip_bytes([("model/a.pkl", PAYLOAD), ("notes.txt", b"hello\n")])
    outer = gzip_bytes(tar_bytes([("inner.zip", inner), ("readme.md", b"# hi\n")]))
    walked = _walk_bytes(in_tmp, "bundle.tar.gz", outer)
    assert [(a.display, a.format, a.depth) for a in walked.artifacts] == [
        ("bundle.tar.gz", Format.GZIP, 0),
        ("bundle.tar.gz!/bundle.tar", Format.TAR, 1),
        ("bundle.tar.gz!/bundle.tar!/inner.zip", Format.ZIP, 2),
        ("bundle.tar.gz!/bundle.tar!/inner.zip!/model/a.pkl", Format.PICKLE, 3),
        ("bundle.tar.gz!/bundle.tar!/inner.zip!/notes.txt", Format.TEXT, 3),
        ("bundle.tar.gz!/bundle.tar!/readme.md", Format.TEXT, 2),
    ]
    pkl = walked.by_display("bundle.tar.gz!/bundle.tar!/inner.zip!/model/a.pkl")
    assert pkl.path == "bundle.tar.gz" and pkl.member == "bundle.tar!/inner.zip!/model/a.pkl"
    assert pkl.fs_path is None and pkl.basename == "a.pkl" and pkl.size == len(PAYLOAD)
    assert not walked.findings and not walked.errors


def test_member_streams_are_fresh_and_seekable(in_tmp: Path) -> None:
    walked = _walk_bytes(in_tmp, "a.zip", zip_bytes([("a.pkl", PAYLOAD)]))
    member = walked.by_display("a.zip!/a.pkl")
    with member.open() as first, member.open() as second:
        assert first.read(3) == PAYLOAD[:3]
        assert second.read() == PAYLOAD
        first.seek(0)
        assert first.read() == PAYLOAD
        first.seek(-2, io.SEEK_END)
        assert first.read() == PAYLOAD[-2:]
    with member.open() as again:
        assert again.read() == PAYLOAD


def test_model_containers_are_not_expanded(in_tmp: Path) -> None:
    import torch

    checkpoint = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, checkpoint)
    arrays = io.BytesIO()
    np.savez(arrays, a=np.zeros(2))
    keras = zip_bytes([("metadata.json", b"{}"), ("config.json", b"{}"), ("model.weights.h5", b"")])
    data = zip_bytes([("ckpt.bin", checkpoint.getvalue()), ("x.npz", arrays.getvalue()), ("m.keras", keras)])
    walked = _walk_bytes(in_tmp, "models.zip", data)
    assert [(a.display, a.format) for a in walked.artifacts] == [
        ("models.zip", Format.ZIP),
        ("models.zip!/ckpt.bin", Format.PYTORCH_ZIP),
        ("models.zip!/x.npz", Format.NUMPY_NPZ),
        ("models.zip!/m.keras", Format.KERAS_V3),
    ]


@pytest.mark.parametrize(
    ("name", "data", "inner"),
    [
        ("w.pkl.gz", gzip_bytes(PAYLOAD), "w.pkl"),
        ("w.gz", gzip_bytes(PAYLOAD, fname="model.pkl"), "model.pkl"),
        ("w.pkl.bz2", bz2.compress(PAYLOAD), "w.pkl"),
        ("w.pkl.xz", lzma.compress(PAYLOAD), "w.pkl"),
        ("w.joblib", zlib.compress(PAYLOAD), "w.joblib"),
        ("old.joblib", b"ZF" + b"0x1b".ljust(19) + zlib.compress(PAYLOAD), "old.joblib"),
    ],
)
def test_single_stream_compressors_yield_one_member(in_tmp: Path, name: str, data: bytes, inner: str) -> None:
    walked = _walk_bytes(in_tmp, name, data)
    assert walked.displays == [name, f"{name}!/{inner}"]
    assert walked.artifacts[1].format == Format.PICKLE
    assert walked.read(f"{name}!/{inner}") == PAYLOAD


def test_compressed_joblib_member_is_sniffed_as_joblib(in_tmp: Path) -> None:
    import joblib

    joblib.dump({"a": np.arange(3)}, in_tmp / "m.joblib", compress=("gzip", 3))
    walked = run_walk(["m.joblib"])
    assert [a.format for a in walked.artifacts] == [Format.GZIP, Format.JOBLIB]


def test_zip_bomb_is_a_finding_measured_on_produced_bytes(in_tmp: Path) -> None:
    bomb = zip_bomb(50 * 1024 * 1024)
    assert len(bomb) < 200_000
    walked = _walk_bytes(in_tmp, "bomb.zip", bomb, Budget(max_compression_ratio=50))
    assert walked.displays == ["bomb.zip"]
    (finding,) = walked.findings
    assert finding.rule_id == "MW-ARCHIVE-001" and finding.severity == Severity.HIGH
    assert finding.risk_id == "SERVE-07" and "inflates" in finding.message


def test_member_size_and_total_limits(in_tmp: Path) -> None:
    data = zip_bytes([("a.bin", bytes(3000)), ("b.bin", bytes(3000)), ("c.bin", bytes(3000))])
    walked = _walk_bytes(in_tmp, "a.zip", data, Budget(max_member_bytes=1000))
    assert walked.rules() == ["MW-ARCHIVE-004"] and walked.displays == ["a.zip"]
    walked = _walk_bytes(in_tmp, "a.zip", data, Budget(max_total_extracted_bytes=5000))
    assert walked.rules() == ["MW-ARCHIVE-004"] and walked.displays == ["a.zip", "a.zip!/a.bin"]
    assert "max_total_extracted_bytes" in walked.findings[0].message


def test_deep_nesting_stops_with_a_finding(in_tmp: Path) -> None:
    walked = _walk_bytes(in_tmp, "deep.zip", deep_nested_zip(12), Budget(max_archive_depth=3))
    assert [a.depth for a in walked.artifacts] == [0, 1, 2, 3]
    assert walked.rules() == ["MW-ARCHIVE-002"]
    assert walked.findings[0].location.member == "level1.zip!/level2.zip!/level3.zip"


def test_self_similar_nesting_terminates_with_default_budget(in_tmp: Path) -> None:
    walked = _walk_bytes(in_tmp, "quine.zip", deep_nested_zip(40))
    assert len(walked.artifacts) == Budget().max_archive_depth + 1
    assert walked.rules() == ["MW-ARCHIVE-002"]


@pytest.mark.parametrize("name", ["../../etc/cron.d/x", "/abs/path.txt", "C:/win/x.txt", "dir\\..\\x.txt"])
def test_path_traversal_member_names_are_findings(in_tmp: Path, name: str) -> None:
    for archive, data in (("t.zip", zip_bytes([(name, b"x\n")])), ("t.tar", tar_bytes([(name, b"x\n")]))):
        walked = _walk_bytes(in_tmp, archive, data)
        assert walked.rules() == ["MW-ARCHIVE-005"], archive
        finding = walked.findings[0]
        assert finding.location.member == name and finding.evidence == name
        assert len(walked.artifacts) == 2  # the member is still scanned


def test_truncated_zip_is_a_cannot_parse_finding(in_tmp: Path) -> None:
    data = truncate(zip_bytes([("a.pkl", PAYLOAD * 50), ("b.txt", b"b" * 500)]), 0.6)
    walked = _walk_bytes(in_tmp, "cut.zip", data)
    assert walked.displays == ["cut.zip"]
    assert walked.rules() == ["MW-ARCHIVE-006"]
    assert walked.findings[0].severity == Severity.MEDIUM


def test_truncated_tar_gz_is_a_cannot_parse_finding(in_tmp: Path) -> None:
    data = truncate(gzip_bytes(tar_bytes([("a.bin", np.random.default_rng(0).bytes(20000))])), 0.5)
    walked = _walk_bytes(in_tmp, "cut.tar.gz", data)
    assert walked.displays == ["cut.tar.gz"]
    assert walked.rules() == ["MW-ARCHIVE-006"]


def test_truncated_plain_tar_is_a_cannot_parse_finding(in_tmp: Path) -> None:
    data = truncate(tar_bytes([("a.txt", b"a" * 5000)]), 0.5)
    walked = _walk_bytes(in_tmp, "cut.tar", data)
    assert walked.rules() == ["MW-ARCHIVE-006"]


def test_duplicate_zip_names_expose_both_entries(in_tmp: Path) -> None:
    data = zip_bytes([("model.pkl", PAYLOAD), ("model.pkl", b"second\n")])
    walked = _walk_bytes(in_tmp, "dup.zip", data)
    assert walked.displays == ["dup.zip", "dup.zip!/model.pkl", "dup.zip!/model.pkl#2"]
    assert walked.read("dup.zip!/model.pkl") == PAYLOAD
    assert walked.read("dup.zip!/model.pkl#2") == b"second\n"
    assert walked.rules() == ["MW-ARCHIVE-008"]


def test_encrypted_member_is_reported_not_scanned(in_tmp: Path) -> None:
    walked = _walk_bytes(in_tmp, "enc.zip", encrypted_zip())
    assert walked.displays == ["enc.zip"]
    assert walked.rules() == ["MW-ARCHIVE-007"]
    assert "encrypted" in walked.findings[0].message


def test_local_header_name_mismatch_is_a_finding(in_tmp: Path) -> None:
    walked = _walk_bytes(in_tmp, "mm.zip", mismatched_name_zip())
    assert walked.rules() == ["MW-ARCHIVE-010"]


def test_links_and_devices_in_tar_are_never_extracted(in_tmp: Path) -> None:
    walked = _walk_bytes(in_tmp, "links.tar", tar_with_links())
    assert walked.displays == ["links.tar", "links.tar!/ok.txt"]
    assert walked.rules() == ["MW-ARCHIVE-009"] * 3
    assert any(f.evidence == "/etc/passwd" for f in walked.findings)


def test_symlink_in_zip_is_a_finding(in_tmp: Path) -> None:
    walked = _walk_bytes(in_tmp, "link.zip", zip_with_symlink())
    assert walked.displays == ["link.zip"] and walked.rules() == ["MW-ARCHIVE-009"]


def test_too_many_members(in_tmp: Path) -> None:
    members = [(f"m{i}.txt", b"x\n") for i in range(5)]
    walked = _walk_bytes(in_tmp, "many.zip", zip_bytes(members), Budget(max_archive_members=3))
    assert walked.displays == ["many.zip"] and walked.rules() == ["MW-ARCHIVE-003"]
    walked = _walk_bytes(in_tmp, "many.tar", tar_bytes(members), Budget(max_archive_members=3))
    assert len(walked.artifacts) == 4 and walked.rules() == ["MW-ARCHIVE-003"]


def test_engine_hashes_and_records_members(in_tmp: Path) -> None:
    from mlwarden.scanners.engine import run_scan
    from mlwarden.scanners.registry import Registry

    (in_tmp / "a.zip").write_bytes(zip_bytes([("x.pkl", PAYLOAD)]))
    result = run_scan(["a.zip"], registry=Registry(()))
    records = {(r.path, r.member): r for r in result.artifacts}
    assert records[("a.zip", "x.pkl")].format == "pickle"
    assert records[("a.zip", "x.pkl")].sha256 is not None
    assert not result.errors
