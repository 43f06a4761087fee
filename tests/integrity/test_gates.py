"""Scan-then-sign and safe_load: refuse hostile files (canary payloads), load benign ones safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.factories.pickle_builder import PickleBuilder

from mlwarden.core.findings import Severity
from mlwarden.integrity.attest import ScanRefusedError
from mlwarden.integrity.mismatch import IntegrityError
from mlwarden.integrity.safe_load import LoadRefusedError, safe_load
from mlwarden.integrity.sign import sign


def _malicious(path: Path, canary: Path) -> Path:
    path.write_bytes(PickleBuilder(protocol=2).call_global("os", "system", f"touch {canary}").stop().data)
    return path


def test_sign_scan_refuses_a_malicious_pickle(model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    _malicious(model_dir / "model.pkl", canary)
    with pytest.raises(ScanRefusedError) as caught:
        sign(model_dir, private_key=keypair[0], signature=tmp_path / "m.sig", scan=True)
    assert caught.value.outcome.failing >= 1
    assert not (tmp_path / "m.sig").exists()
    assert not canary.exists()


def test_sign_scan_passes_below_the_fail_level(model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path) -> None:
    signed = sign(model_dir, private_key=keypair[0], signature=tmp_path / "m.sig", scan=True, fail_on=Severity.LOW)
    assert signed.attestation is not None
    assert signed.attestation["fail_on"] == "low" and signed.attestation["passed"] is True


def test_safe_load_refuses_a_malicious_torch_file(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    evil = _malicious(tmp_path / "evil.pt", canary)
    with pytest.raises(LoadRefusedError, match="refusing to load"):
        safe_load(evil)
    assert not canary.exists()


def _torch_file(path: Path) -> Path:
    torch = pytest.importorskip("torch")
    torch.save({"weight": torch.arange(6, dtype=torch.float32).reshape(2, 3)}, path)
    return path


def test_safe_load_loads_a_benign_state_dict(tmp_path: Path) -> None:
    state = safe_load(_torch_file(tmp_path / "ok.pt"))
    assert list(state) == ["weight"] and state["weight"].shape == (2, 3)


def test_safe_load_verifies_first(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    (tmp_path / "model").mkdir()
    weights = _torch_file(tmp_path / "model" / "ok.pt")
    sign(tmp_path / "model", private_key=keypair[0], signature=tmp_path / "m.sig")
    state = safe_load(weights, public_key=keypair[1], signature=tmp_path / "m.sig", root=tmp_path / "model")
    assert "weight" in state
    weights.write_bytes(weights.read_bytes() + b"\0")
    with pytest.raises(IntegrityError):
        safe_load(weights, public_key=keypair[1], signature=tmp_path / "m.sig", root=tmp_path / "model")


def test_numpy_and_safetensors_loaders(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    np.save(tmp_path / "a.npy", np.arange(4))
    assert safe_load(tmp_path / "a.npy", loader="numpy").tolist() == [0, 1, 2, 3]
    safetensors_numpy.save_file({"w": np.ones(3, dtype=np.float32)}, str(tmp_path / "w.safetensors"))
    assert safe_load(tmp_path / "w.safetensors", loader="safetensors")["w"].tolist() == [1.0, 1.0, 1.0]
