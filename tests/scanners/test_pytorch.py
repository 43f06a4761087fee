"""PyTorch container scanner: benign torch files stay clean, every known container trick is caught.

Hostile files are built here from raw pickle opcodes and zip bytes; nothing is ever loaded. Each
payload would create a canary file in tmp_path if it were unpickled; the tests assert it never is.
"""

from __future__ import annotations

import io
import struct
import tarfile
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
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
from mlwarden.scanners.pytorch import PyTorchScanner
from mlwarden.scanners.pytorch.pickles import read_frame

torch = pytest.importorskip("torch")


class TinyNet(torch.nn.Module):  # type: ignore[misc]
    """A small module for full-model pickles and TorchScript."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(4, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.fc(x))


def save_torchscript(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # torch.jit.script is deprecated, still loadable
        torch.jit.save(torch.jit.script(TinyNet()), str(path))


def canary_pickle(canary: Path) -> bytes:
    """Protocol 2: os.system('touch <canary>') -- would create the canary if unpickled."""
    command = f"touch {canary}".encode()
    return b"\x80\x02cos\nsystem\n(X" + struct.pack("<I", len(command)) + command + b"tR."


def scan_file(path: Path, fmt: Format = Format.PYTORCH_ZIP, ctx: ScanContext | None = None) -> list[Finding]:
    artifact = Artifact(path=path.name, format=fmt, size=path.stat().st_size, opener=lambda: path.open("rb"))
    return list(PyTorchScanner().scan(artifact, ctx or ScanContext()))


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def critical(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id.startswith("MW-PICKLE") and f.severity >= Severity.HIGH]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def stored_zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point of some tests
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def torch_like(payload: bytes, *, folder: str = "archive", extra: list[tuple[str, bytes]] | None = None) -> bytes:
    benign = b"\x80\x02}q\x00."
    members = [
        (f"{folder}/data.pkl", payload or benign),
        (f"{folder}/version", b"3\n"),
        (f"{folder}/data/0", b"\0" * 16),
    ]
    return stored_zip(members + (extra or []))


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary"
    yield path
    assert not path.exists(), "the payload ran"


# --- benign files -----------------------------------------------------------------------------


def test_state_dict_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "sd.pt"
    torch.save(TinyNet().state_dict(), path)
    assert scan_file(path) == []


def test_optimizer_state_is_clean(tmp_path: Path) -> None:
    net = TinyNet()
    optimizer = torch.optim.Adam(net.parameters())
    net(torch.ones(1, 4)).sum().backward()
    optimizer.step()
    path = tmp_path / "opt.pt"
    torch.save({"model": net.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3}, path)
    assert scan_file(path) == []


def test_full_module_reports_only_the_custom_class_import(tmp_path: Path) -> None:
    # A pickled nn.Module imports its class's module on load (weights_only=True refuses it); the
    # pickle analysis says so for our test class and nothing else: torch's own globals are known.
    path = tmp_path / "full.pt"
    torch.save(TinyNet(), path)
    findings = scan_file(path)
    assert [f.match_key for f in findings] == [f"{__name__}.TinyNet"]
    assert findings[0].severity < Severity.CRITICAL


def test_torchscript_gets_only_the_info_note(tmp_path: Path) -> None:
    path = tmp_path / "ts.pt"
    save_torchscript(path)
    findings = scan_file(path)
    assert [(f.rule_id, f.severity) for f in findings] == [("MW-TORCH-009", Severity.INFO)]


def test_legacy_pickle_format_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "legacy.pt"
    torch.save(
        {"w": torch.arange(10.0), "b": torch.zeros(3, dtype=torch.int64)}, path, _use_new_zipfile_serialization=False
    )
    assert scan_file(path, Format.PYTORCH_LEGACY) == []


def test_legacy_with_shared_storages_is_clean(tmp_path: Path) -> None:
    base = torch.arange(20.0)
    path = tmp_path / "legacy_views.pt"
    torch.save(
        {"a": base, "b": base[5:], "c": torch.ones(2, dtype=torch.float16)}, path, _use_new_zipfile_serialization=False
    )
    assert scan_file(path, Format.PYTORCH_LEGACY) == []


# --- hostile zip checkpoints ------------------------------------------------------------------


def test_payload_in_data_pkl(tmp_path: Path, canary: Path) -> None:
    findings = scan_file(write(tmp_path / "m.pt", torch_like(canary_pickle(canary))))
    hits = critical(findings)
    assert hits and hits[0].location.member == "archive/data.pkl"
    assert "os.system" in hits[0].match_key or "system" in hits[0].match_key


def test_payload_under_renamed_folder(tmp_path: Path, canary: Path) -> None:
    findings = scan_file(write(tmp_path / "m.pt", torch_like(canary_pickle(canary), folder="not_archive")))
    assert critical(findings)[0].location.member == "not_archive/data.pkl"


def test_payload_in_second_pickle_and_extensionless_member(tmp_path: Path, canary: Path) -> None:
    extra = [("archive/extra.pkl", canary_pickle(canary)), ("archive/extra/notes", canary_pickle(canary))]
    findings = scan_file(write(tmp_path / "m.pt", torch_like(b"", extra=extra)))
    members = {f.location.member for f in critical(findings)}
    assert members == {"archive/extra.pkl", "archive/extra/notes"}


def test_deflated_payload(tmp_path: Path, canary: Path) -> None:
    data = stored_zip([("a/data.pkl", canary_pickle(canary)), ("a/version", b"3\n")], zipfile.ZIP_DEFLATED)
    assert critical(scan_file(write(tmp_path / "m.pt", data)))


def _corrupt_crc(data: bytes, name: bytes) -> bytes:
    out = bytearray(data)
    for sig, crc_at in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        pos = out.find(sig)
        while pos >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(name)] == name:
                out[pos + crc_at : pos + crc_at + 4] = b"\xde\xad\xbe\xef"
            pos = out.find(sig, pos + 4)
    return bytes(out)


def test_bad_crc_is_read_anyway_and_reported(tmp_path: Path, canary: Path) -> None:
    data = _corrupt_crc(torch_like(canary_pickle(canary)), b"archive/data.pkl")
    path = write(tmp_path / "m.pt", data)
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read("archive/data.pkl")  # what zipfile-based scanners trip on
    findings = scan_file(path)
    assert "MW-TORCH-002" in rules(findings)
    assert critical(findings)


def test_duplicate_name_second_copy_malicious(tmp_path: Path, canary: Path) -> None:
    data = torch_like(b"", extra=[("archive/data.pkl", canary_pickle(canary))])
    findings = scan_file(write(tmp_path / "m.pt", data))
    assert "MW-TORCH-003" in rules(findings)
    assert critical(findings)


def test_case_variant_duplicate_is_reported(tmp_path: Path, canary: Path) -> None:
    data = torch_like(b"", extra=[("ARCHIVE/DATA.PKL", canary_pickle(canary))])
    findings = scan_file(write(tmp_path / "m.pt", data))
    assert "MW-TORCH-003" in rules(findings)
    assert critical(findings)


def test_local_header_name_mismatch(tmp_path: Path, canary: Path) -> None:
    data = bytearray(torch_like(canary_pickle(canary)))
    local = data.find(b"PK\x03\x04")
    data[local + 30 : local + 30 + len(b"archive/data.pkl")] = b"archive/data.txt"
    findings = scan_file(write(tmp_path / "m.pt", bytes(data)))
    assert "MW-TORCH-004" in rules(findings)
    assert critical(findings)


def test_zip_pickle_polyglot(tmp_path: Path, canary: Path) -> None:
    real = tmp_path / "real.pt"
    torch.save({"w": torch.ones(2)}, real)
    findings = scan_file(write(tmp_path / "poly.pt", canary_pickle(canary) + real.read_bytes()), Format.PYTORCH_ZIP)
    assert "MW-TORCH-006" in rules(findings)
    assert any(f.location.member is None for f in critical(findings))


def test_zip64_end_record_disagreement(tmp_path: Path) -> None:
    real = tmp_path / "real.pt"
    torch.save({"w": torch.ones(2)}, real)
    data = bytearray(real.read_bytes())
    eocd = data.rfind(b"PK\x05\x06")
    data[eocd + 10 : eocd + 12] = struct.pack("<H", 3)  # total entries no longer matches ZIP64
    assert "MW-TORCH-007" in rules(scan_file(write(tmp_path / "m.pt", bytes(data))))


def test_hidden_local_entry_is_scanned(tmp_path: Path, canary: Path) -> None:
    visible = torch_like(b"")
    hidden = stored_zip([("archive/hidden.pkl", canary_pickle(canary))])
    hidden_local = hidden[: hidden.find(b"PK\x01\x02")]
    cd_at = visible.find(b"PK\x01\x02")
    eocd_at = visible.rfind(b"PK\x05\x06")
    central = visible[cd_at:eocd_at]
    eocd = bytearray(visible[eocd_at:])
    eocd[16:20] = struct.pack("<I", cd_at + len(hidden_local))
    data = visible[:cd_at] + hidden_local + central + bytes(eocd)
    findings = scan_file(write(tmp_path / "m.pt", data))
    assert "MW-TORCH-008" in rules(findings)
    assert critical(findings)[0].location.member == "archive/hidden.pkl"


def test_pickle_in_tensor_storage_is_only_a_note(tmp_path: Path, canary: Path) -> None:
    data = stored_zip([("archive/data.pkl", b"\x80\x02}q\x00."), ("archive/data/0", canary_pickle(canary))])
    findings = scan_file(write(tmp_path / "m.pt", data))
    assert [(f.rule_id, f.severity) for f in findings] == [("MW-TORCH-011", Severity.INFO)]
    assert "os.system" in findings[0].evidence


def test_torchscript_code_calling_os(tmp_path: Path) -> None:
    path = tmp_path / "ts.pt"
    save_torchscript(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("ts/code/__torch__/evil.py", "def f(x: int) -> int:\n  os.system('id')\n  return x\n")
    findings = scan_file(path)
    assert "MW-TORCH-010" in rules(findings)


def test_missing_data_pkl_and_root_entry(tmp_path: Path) -> None:
    assert "MW-TORCH-005" in rules(scan_file(write(tmp_path / "a.pt", stored_zip([("archive/version", b"3\n")]))))
    assert "MW-TORCH-005" in rules(scan_file(write(tmp_path / "b.pt", stored_zip([("data.pkl", b"N.")]))))


# --- hostile legacy files ---------------------------------------------------------------------


def test_legacy_payload_in_sys_info(tmp_path: Path, canary: Path) -> None:
    real = tmp_path / "legacy.pt"
    torch.save({"w": torch.ones(3)}, real, _use_new_zipfile_serialization=False)
    data = real.read_bytes()
    with real.open("rb") as stream:
        ends = [0]
        for _ in range(3):
            ends.append(read_frame(stream, ends[-1]).end)
    forged = data[: ends[2]] + canary_pickle(canary) + data[ends[3] :]
    findings = scan_file(write(tmp_path / "evil.pt", forged), Format.PYTORCH_LEGACY)
    assert critical(findings)
    assert not rules(findings) & {"MW-TORCH-001", "MW-TORCH-008"}


def test_legacy_trailing_pickle_is_noted(tmp_path: Path, canary: Path) -> None:
    real = tmp_path / "legacy.pt"
    torch.save({"w": torch.ones(3)}, real, _use_new_zipfile_serialization=False)
    findings = scan_file(write(tmp_path / "t.pt", real.read_bytes() + canary_pickle(canary)), Format.PYTORCH_LEGACY)
    assert [f.rule_id for f in findings] == ["MW-TORCH-011"]


def test_legacy_tar_payload(tmp_path: Path, canary: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in (("sys_info", b"\x80\x02}q\x00."), ("pickle", canary_pickle(canary))):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    findings = scan_file(write(tmp_path / "old.pt", buffer.getvalue()), Format.PYTORCH_LEGACY)
    assert "MW-TORCH-012" in rules(findings)
    assert critical(findings)[0].location.member == "pickle"


def _tar(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_legacy_tar_records_skip_raw_bytes(tmp_path: Path, canary: Path) -> None:
    # storages: count, (key, location, type) pickle, int64 count + raw float32s, then a views pickle;
    # the payload sits in the views pickle, reachable only by skipping the raw bytes by their size.
    args = b"\x80\x02(X\x01\x00\x00\x00kX\x03\x00\x00\x00cpuctorch\nFloatStorage\ntq\x00."
    raw = struct.pack("<q", 3) + b"\x80\x02cos\nsystem"  # 3 float32s (12 bytes) that look like opcodes
    storages = b"\x80\x02K\x01." + args + raw + canary_pickle(canary)
    tensors = b"\x80\x02K\x00."
    data = _tar([("sys_info", b"\x80\x02}q\x00."), ("storages", storages), ("tensors", tensors), ("pickle", b"N.")])
    findings = scan_file(write(tmp_path / "old.pt", data), Format.PYTORCH_LEGACY)
    assert "MW-TORCH-001" not in rules(findings)
    hits = critical(findings)
    assert [f.location.member for f in hits] == ["storages"]
    assert hits[0].location.offset is not None and hits[0].location.offset > len(args)


def test_plain_garbage_is_malformed(tmp_path: Path) -> None:
    assert "MW-TORCH-001" in rules(scan_file(write(tmp_path / "g.pt", b"\xff" * 100), Format.PYTORCH_LEGACY))


# --- robustness -------------------------------------------------------------------------------


def _scan_bytes_like_engine(data: bytes, tmp: Path) -> None:
    path = tmp / "fuzz.pt"
    path.write_bytes(data)
    budget = Budget(max_seconds_per_artifact=5.0, max_member_bytes=1 << 20)
    try:
        for finding in scan_file(path, ctx=ScanContext(budget=budget, deadline=budget.deadline())):
            assert finding.rule_id
    except BudgetExceeded:
        pass


def _mutations() -> st.SearchStrategy[Callable[[bytes], bytes]]:
    def flip(pos: int, value: int) -> Callable[[bytes], bytes]:
        return lambda b: b[: pos % len(b)] + bytes([value]) + b[pos % len(b) + 1 :]

    def cut(pos: int) -> Callable[[bytes], bytes]:
        return lambda b: b[: pos % len(b)]

    return st.one_of(
        st.builds(flip, st.integers(0, 1 << 16), st.integers(0, 255)), st.builds(cut, st.integers(0, 1 << 16))
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(_mutations(), min_size=1, max_size=4), deflate=st.booleans())
def test_fuzz_mutated_torch_zip(tmp_path: Path, mutations: list[Callable[[bytes], bytes]], deflate: bool) -> None:
    members = [("archive/data.pkl", b"\x80\x02}q\x00X\x01\x00\x00\x00aq\x01K\x01s."), ("archive/x.pkl", b"\x80\x04N.")]
    data = stored_zip(
        [*members, ("archive/data/0", b"\x00" * 64)], zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    )
    for mutate in mutations:
        data = mutate(data) or b"P"
    _scan_bytes_like_engine(data, tmp_path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.binary(max_size=64), mutations=st.lists(_mutations(), min_size=1, max_size=3))
def test_fuzz_mutated_legacy(tmp_path: Path, prefix: bytes, mutations: list[Callable[[bytes], bytes]]) -> None:
    real = tmp_path / "legacy.pt"
    if not real.exists():
        torch.save({"w": torch.ones(3)}, real, _use_new_zipfile_serialization=False)
    data = prefix + real.read_bytes()
    for mutate in mutations:
        data = mutate(data) or b"\x80"
    _scan_bytes_like_engine(data, tmp_path)


@pytest.mark.slow
def test_big_checkpoint_memory_stays_flat(tmp_path: Path) -> None:
    path = tmp_path / "big.pt"
    torch.save({"w": torch.zeros(75 * 1024 * 1024, dtype=torch.float32), "b": torch.ones(10)}, path)
    assert path.stat().st_size > 300 * 1024 * 1024
    tracemalloc.start()
    try:
        findings = scan_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert findings == []
    assert peak < 50 * 1024 * 1024, f"peak Python allocations {peak / 1e6:.1f} MB"
