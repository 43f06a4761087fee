"""Pickles hidden by packaging: raw LZMA ("alone"), 7z (with and without the extra), PROTO 0/1 headers and
payloads followed by a deliberately broken stream (nullifAI)."""

from __future__ import annotations

import io
import lzma
import os
import pickle
import sys
from pathlib import Path

import pytest

from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.sniff import is_lzma_alone, sniff
from mlwarden.core.findings import ScanErrorKind, ScanResult, Severity
from mlwarden.scanners.engine import ScanOptions, run_scan


def _payload(canary: Path, protocol: int = 2) -> bytes:
    command = f"touch {canary}".encode()
    return b"\x80" + bytes([protocol]) + b"cos\nsystem\nX" + len(command).to_bytes(4, "little") + command + b"\x85R."


_BROKEN_HEAD = b"\x80\x02\x8c\x02os\x8c\x06system\x93(\x8c\x05touchtR0"  # os.system("touch"), POP


def _scan(*paths: Path) -> ScanResult:
    return run_scan(list(paths), options=ScanOptions(hash_artifacts=False))


def _critical(result: ScanResult) -> set[str]:
    return {f.match_key for f in result.findings if f.severity is Severity.CRITICAL}


def test_raw_lzma_header_is_sniffed_and_bounded(tmp_path: Path) -> None:
    packed = lzma.compress(_payload(tmp_path / "canary"), format=lzma.FORMAT_ALONE)
    assert packed[0] == 0x5D
    assert is_lzma_alone(packed)
    assert sniff(packed, name="model.joblib", size=len(packed)) is Format.XZ
    assert not is_lzma_alone(b"\x5d\x00\x00\x80\x00" + b"\xff" * 8 + os.urandom(200))
    assert not is_lzma_alone(b"\x5d\x00\x00")


def test_raw_lzma_joblib_is_decompressed_and_scanned(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    target = tmp_path / "model.joblib"
    target.write_bytes(lzma.compress(_payload(canary), format=lzma.FORMAT_ALONE))
    assert "os.system" in _critical(_scan(target))
    assert not canary.exists()


@pytest.mark.parametrize("protocol", [0, 1])
def test_proto_0_and_1_headers_are_pickles(tmp_path: Path, protocol: int) -> None:
    canary = tmp_path / "canary"
    obj = b"\x80" + bytes([protocol]) + b"(cos\nsystem\nS'touch " + str(canary).encode() + b"'\no."
    target = tmp_path / "obj.pkl"
    target.write_bytes(obj)
    assert sniff(obj, name="obj.pkl", size=len(obj)) is Format.PICKLE
    assert "os.system" in _critical(_scan(target))
    assert not canary.exists()


@pytest.mark.parametrize("tail", [b"}(u\xff\xfe", b"}(u\x8c\x40cut"])
def test_payload_then_a_broken_stream_is_a_pickle(tmp_path: Path, tail: bytes) -> None:
    data = _BROKEN_HEAD + tail
    target = tmp_path / "broken.pkl"
    target.write_bytes(data)
    assert sniff(data, name="broken.pkl", size=len(data)) is Format.PICKLE
    result = _scan(target)
    assert "os.system" in _critical(result)
    assert "MW-PICKLE-004" in {f.rule_id for f in result.findings}


def test_random_bytes_after_a_proto_header_are_not_a_pickle() -> None:
    data = b"\x80\x02" + bytes(range(255, 0, -1)) * 4
    assert sniff(data, name="x.bin", size=len(data)) is not Format.PICKLE


def _seven_zip(path: Path, members: dict[str, bytes]) -> None:
    py7zr = pytest.importorskip("py7zr")
    with py7zr.SevenZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writef(io.BytesIO(data), name)


def test_7z_members_are_expanded_and_scanned(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    target = tmp_path / "model.pt"
    _seven_zip(target, {"archive/data.pkl": _payload(canary), "archive/version": b"3\n"})
    result = _scan(target)
    assert any(a.format == "7z" for a in result.artifacts)
    assert "os.system" in _critical(result)
    assert any(f.location.member == "archive/data.pkl" for f in result.findings)
    assert not canary.exists()
    assert not list(Path.cwd().glob("archive"))  # nothing extracted to a path from the archive


def test_7z_truncated_member_still_scanned(tmp_path: Path) -> None:
    target = tmp_path / "model.pt"
    _seven_zip(target, {"archive/data.pkl": _BROKEN_HEAD + b"}(u\x8c\x40cut"})
    assert "os.system" in _critical(_scan(target))


def test_7z_without_the_extra_reports_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.7z", tmp_path / "b.7z"
    _seven_zip(first, {"data.pkl": _payload(tmp_path / "c")})
    second.write_bytes(first.read_bytes())
    monkeypatch.setitem(sys.modules, "py7zr", None)  # import py7zr now raises ImportError
    result = _scan(first, second)
    missing = [e for e in result.errors if e.kind is ScanErrorKind.MISSING_EXTRA]
    assert len(missing) == 1
    assert "archive" in missing[0].hint
    not_inspected = [f for f in result.findings if f.rule_id == "MW-ARCHIVE-012"]
    assert len(not_inspected) == 2
    assert all(f.severity is Severity.LOW for f in not_inspected)


def test_7z_bomb_is_stopped(tmp_path: Path) -> None:
    target = tmp_path / "bomb.7z"
    _seven_zip(target, {"zeros.bin": b"\x00" * (8 << 20)})
    result = _scan(target)
    assert any(f.rule_id == "MW-ARCHIVE-001" or f.match_key == "ratio" for f in result.findings), [
        (f.rule_id, f.match_key) for f in result.findings
    ]


def test_pickle_module_is_not_used() -> None:
    assert pickle.HIGHEST_PROTOCOL >= 2  # the payloads above are hand-assembled, never pickle.dumps'd code
