"""NumPy scanner: real np.save/np.savez files stay clean; object arrays and header tricks are reported.

Hostile files are assembled byte by byte; a payload would create the canary file if unpickled.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Budget
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.numpy_files import NumpyScanner

np = pytest.importorskip("numpy")

MAGIC = b"\x93NUMPY"


def canary_pickle(canary: Path) -> bytes:
    command = f"touch {canary}".encode()
    return b"\x80\x02cos\nsystem\n(X" + struct.pack("<I", len(command)) + command + b"tR."


def npy(header: str, data: bytes, version: tuple[int, int] = (1, 0)) -> bytes:
    raw = header.encode("utf-8" if version == (3, 0) else "latin-1")
    length = struct.pack("<H", len(raw)) if version == (1, 0) else struct.pack("<I", len(raw))
    return MAGIC + bytes(version) + length + raw + data


def scan_bytes(tmp: Path, data: bytes, fmt: Format = Format.NUMPY, ctx: ScanContext | None = None) -> list[Finding]:
    path = tmp / ("x.npz" if fmt is Format.NUMPY_NPZ else "x.npy")
    path.write_bytes(data)
    return scan_file(path, fmt, ctx)


def scan_file(path: Path, fmt: Format = Format.NUMPY, ctx: ScanContext | None = None) -> list[Finding]:
    artifact = Artifact(path=path.name, format=fmt, size=path.stat().st_size, opener=lambda: path.open("rb"))
    return list(NumpyScanner().scan(artifact, ctx or ScanContext()))


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def critical(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id.startswith("MW-PICKLE") and f.severity >= Severity.HIGH]


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary"
    yield path
    assert not path.exists(), "the payload ran"


# --- benign -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "array",
    [
        np.arange(100.0),
        np.zeros((3, 4, 5), dtype=np.int16),
        np.ones((4, 4), dtype=np.complex128, order="F"),
        np.array([True, False]),
        np.array(["abc", "de"]),
        np.array([b"x", b"yz"]),
        np.array(["2024-01-01"], dtype="datetime64[ns]"),
        np.zeros(3, dtype=[("object_id", "<i4"), ("pos", "<f8", (2,))]),
        np.zeros((0, 5)),
        np.float32(3.5),
    ],
)
def test_np_save_is_clean(tmp_path: Path, array: object) -> None:
    path = tmp_path / "a.npy"
    np.save(path, array)
    assert scan_file(path) == []


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
def test_all_header_versions_are_clean(tmp_path: Path, version: tuple[int, int]) -> None:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.arange(12).reshape(3, 4), version=version)
    assert scan_bytes(tmp_path, buffer.getvalue()) == []


def test_savez_and_savez_compressed_are_clean(tmp_path: Path) -> None:
    arrays = {"a": np.arange(1000), "b": np.zeros((300, 300)), "c": np.ones(7, dtype=np.float16)}
    np.savez(tmp_path / "p.npz", **arrays)
    np.savez_compressed(tmp_path / "c.npz", **arrays)
    assert scan_file(tmp_path / "p.npz", Format.NUMPY_NPZ) == []
    assert scan_file(tmp_path / "c.npz", Format.NUMPY_NPZ) == []


def test_benign_object_array_is_one_low_finding(tmp_path: Path) -> None:
    # np.load still needs allow_pickle=True, so a reviewer is told, but the pickle only rebuilds plain
    # values: low severity, below every default fail level (a benign file must not fail CI).
    path = tmp_path / "o.npy"
    np.save(path, np.array([1, "two", None, 3.0], dtype=object), allow_pickle=True)
    findings = scan_file(path)
    assert [(f.rule_id, f.severity) for f in findings] == [("MW-NUMPY-001", Severity.LOW)]


def test_python2_long_suffix_header_is_accepted(tmp_path: Path) -> None:
    header = "{'descr': '<i8', 'fortran_order': False, 'shape': (2L,), }\n"
    assert scan_bytes(tmp_path, npy(header, b"\0" * 16)) == []


# --- hostile ----------------------------------------------------------------------------------


@pytest.mark.parametrize("descr", ["'|O'", "'O'", "'i4,O'", "[('a', '<i4'), ('b', '|O')]", "'object'"])
def test_object_dtype_payload(tmp_path: Path, canary: Path, descr: str) -> None:
    header = f"{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}\n"
    findings = scan_bytes(tmp_path, npy(header, canary_pickle(canary)))
    assert "MW-NUMPY-001" in rules(findings)
    assert critical(findings)


def _npz(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_npz_with_payload_member_even_without_npy_name(tmp_path: Path, canary: Path) -> None:
    evil = npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", canary_pickle(canary))
    buffer = io.BytesIO()
    np.save(buffer, np.arange(3))
    findings = scan_bytes(tmp_path, _npz([("ok.npy", buffer.getvalue()), ("weights", evil)]), Format.NUMPY_NPZ)
    assert {f.location.member for f in critical(findings)} == {"weights"}
    assert "MW-NUMPY-001" in rules(findings)


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_npz_payload_in_methods_only_zipfile_reads(tmp_path: Path, canary: Path, compression: int) -> None:
    # np.load reads npz with Python's zipfile, which also inflates bzip2 and LZMA members.
    evil = npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", canary_pickle(canary))
    assert critical(scan_bytes(tmp_path, _npz([("a.npy", evil)], compression), Format.NUMPY_NPZ))


def test_npz_crc_mismatch(tmp_path: Path, canary: Path) -> None:
    evil = npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", canary_pickle(canary))
    data = bytearray(_npz([("a.npy", evil)]))
    for sig, at in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        pos = data.find(sig)
        data[pos + at : pos + at + 4] = b"\0\0\0\0"
    findings = scan_bytes(tmp_path, bytes(data), Format.NUMPY_NPZ)
    assert any(f.rule_id == "MW-NUMPY-005" and "CRC" in f.message for f in findings)
    assert critical(findings)


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (MAGIC + b"\x04\x00\x10\x00" + b" " * 16, "MW-NUMPY-002"),
        (npy("{'descr': '<f8', 'shape': (1,)}\n", b"\0" * 8), "MW-NUMPY-002"),
        (npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}\n", b"\0" * 8), "MW-NUMPY-002"),
        (npy("__import__('os')\n", b""), "MW-NUMPY-002"),
        (
            npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}" + " " * 10_001 + "\n", b"", (2, 0)),
            "MW-NUMPY-002",
        ),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,)}\n", b"\0" * 8), "MW-NUMPY-003"),
        (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}\n", b"\0" * 8), "MW-NUMPY-003"),
        (
            npy("{'descr': '<f8', 'fortran_order': False, 'shape': " + repr((1,) * 65) + "}\n", b"\0" * 8),
            "MW-NUMPY-003",
        ),
        (b"not numpy at all", "MW-NUMPY-002"),
    ],
)
def test_malformed_headers(tmp_path: Path, data: bytes, rule: str) -> None:
    assert rule in rules(scan_bytes(tmp_path, data))


def test_trailing_pickle_after_data(tmp_path: Path, canary: Path) -> None:
    data = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", b"\0" * 8 + canary_pickle(canary))
    findings = scan_bytes(tmp_path, data)
    assert [(f.rule_id, f.severity) for f in findings] == [("MW-NUMPY-004", Severity.MEDIUM)]


# --- robustness -------------------------------------------------------------------------------


_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _robust(tmp: Path, data: bytes, fmt: Format = Format.NUMPY) -> None:
    budget = Budget(max_seconds_per_artifact=5.0, max_member_bytes=1 << 20)
    with contextlib.suppress(BudgetExceeded):  # the engine turns it into MW-LIMIT-001; nothing else may escape
        scan_bytes(tmp, data, fmt, ScanContext(budget=budget, deadline=budget.deadline()))


@_SETTINGS
@given(header=st.text(max_size=300), data=st.binary(max_size=64), version=st.sampled_from([(1, 0), (2, 0), (3, 0)]))
def test_fuzz_npy_headers(tmp_path: Path, header: str, data: bytes, version: tuple[int, int]) -> None:
    _robust(tmp_path, npy(header, data, version) if version == (3, 0) else _latin(header, data, version))


def _latin(header: str, data: bytes, version: tuple[int, int]) -> bytes:
    return npy(header.encode("latin-1", "replace").decode("latin-1"), data, version)


@_SETTINGS
@given(
    descr=st.sampled_from(["'<f8'", "'|O'", "[('a', '<i4')]", "'<U3'", "{}", "[1, 2]", "'i4,O'"]),
    shape=st.lists(st.integers(-3, 1 << 40), max_size=4),
    tail=st.binary(max_size=64),
)
def test_fuzz_npy_values(tmp_path: Path, descr: str, shape: list[int], tail: bytes) -> None:
    header = f"{{'descr': {descr}, 'fortran_order': False, 'shape': {tuple(shape)!r}, }}\n"
    _robust(tmp_path, npy(header, tail))


@_SETTINGS
@given(cut=st.integers(0, 400), flip=st.integers(0, 400), value=st.integers(0, 255))
def test_fuzz_mutated_npz(tmp_path: Path, cut: int, flip: int, value: int) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, a=np.arange(4), b=np.array([1, None], dtype=object))
    data = bytearray(buffer.getvalue())
    data[flip % len(data)] = value
    _robust(tmp_path, bytes(data[: len(data) - cut]), Format.NUMPY_NPZ)
