"""Keras scanner: clean configs give nothing; each safe_mode bypass class and odd member is a finding.

Payloads are canaries (they would create a file in tmp_path); nothing is ever unmarshalled or run.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import marshal
import warnings
import zipfile
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.factories.archives import zip_bytes

import mlwarden
from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import BudgetExceeded, MissingExtraError
from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners import keras as keras_module
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.keras import KerasScanner


def _scan(data: bytes, fmt: Format = Format.KERAS_V3) -> list[Finding]:
    artifact = Artifact(path="m.keras", format=fmt, size=len(data), opener=lambda: io.BytesIO(data))
    return list(KerasScanner().scan(artifact, ScanContext()))


def _dense(name: str, units: int = 4) -> dict[str, Any]:
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {
            "name": name,
            "units": units,
            "activation": "relu",
            "dtype": {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": {"name": "float32"},
                "registered_name": None,
            },
            "kernel_initializer": {
                "module": "keras.initializers",
                "class_name": "GlorotUniform",
                "config": {"seed": None},
                "registered_name": None,
            },
        },
        "registered_name": None,
        "build_config": {"input_shape": [None, 8]},
    }


def _model(*layers: dict[str, Any]) -> dict[str, Any]:
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "sequential", "layers": [_dense("d1"), *layers, _dense("d2", 1)]},
        "registered_name": None,
        "compile_config": {
            "loss": {
                "module": "keras.losses",
                "class_name": "function",
                "config": "mean_squared_error",
                "registered_name": "function",
            }
        },
    }


def _keras_zip(config: dict[str, Any] | bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on the duplicate names some tests need
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("metadata.json", json.dumps({"keras_version": "3.10.0", "date_saved": "2025-01-01@00:00:00"}))
            raw = config if isinstance(config, bytes) else json.dumps(config).encode()
            zf.writestr("config.json", raw)
            zf.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
            for name, data in (extra or {}).items():
                zf.writestr(name, data)
    return buffer.getvalue()


def _canary_code(tmp_path: Path) -> str:
    target = tmp_path / "CANARY"
    source = f"lambda x: __import__('os').system('touch {target}')"
    return base64.b64encode(marshal.dumps(compile(source, "<payload>", "eval"))).decode()


def _rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def test_benign_keras_archive_is_clean() -> None:
    assert _scan(_keras_zip(_model())) == []
    assert _scan(_keras_zip(_model(), {"assets/vocab.txt": b"a\nb\n"})) == []


def test_keras3_lambda_bytecode_cve_2024_3660(tmp_path: Path) -> None:
    code = _canary_code(tmp_path)
    layer = {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {
            "name": "lam",
            "function": {"class_name": "__lambda__", "config": {"code": code, "defaults": None, "closure": None}},
        },
        "registered_name": None,
    }
    findings = _scan(_keras_zip(_model(layer)))
    assert _rules(findings) == ["MW-KERAS-001"]
    assert findings[0].severity == Severity.CRITICAL
    assert "os" in findings[0].message and "system" in findings[0].message
    assert findings[0].location.member == "config.json"
    assert not (tmp_path / "CANARY").exists()


def _lambda_ref(module: str, name: str) -> dict[str, Any]:
    function = {"module": module, "class_name": "function", "config": name, "registered_name": "function"}
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": "lam", "function": function, "arguments": {}},
    }


@pytest.mark.parametrize(
    ("module", "name", "advisory"),
    [
        ("os", "system", "CVE-2025-1550: any importable callable"),
        ("builtins", "exec", "CVE-2025-1550"),
        ("keras.utils", "get_file", "CVE-2025-8747: download and overwrite files"),
        ("keras.config", "enable_unsafe_deserialization", "CVE-2025-9906: switch safe_mode off"),
        ("keras.src.backend.common.global_state", "set_global_attribute", "CVE-2025-9906 PoC"),
        ("keras.models", "load_model", "CVE-2025-9906 chain: nested unsafe load"),
    ],
)
def test_function_references_that_bypass_safe_mode(module: str, name: str, advisory: str) -> None:
    findings = _scan(_keras_zip(_model(_lambda_ref(module, name))))
    assert _rules(findings) == ["MW-KERAS-002"], advisory
    assert findings[0].severity == Severity.CRITICAL
    assert name in findings[0].message


def test_user_function_reference_is_high_and_custom_class_medium() -> None:
    custom = {"module": "my_pkg.layers", "class_name": "MyLayer", "config": {}, "registered_name": "my_pkg>MyLayer"}
    findings = _scan(_keras_zip(_model(_lambda_ref("my_pkg.fns", "scale"), custom)))
    by_rule = {f.rule_id: f.severity for f in findings}
    assert by_rule == {"MW-KERAS-002": Severity.HIGH, "MW-KERAS-004": Severity.MEDIUM}
    registered_only = {"class_name": "Thing", "config": {}, "registered_name": "acme>Thing"}
    assert _rules(_scan(_keras_zip(_model(registered_only)))) == ["MW-KERAS-004"]
    hub = {
        "module": "keras_hub.src.models",
        "class_name": "GemmaBackbone",
        "config": {},
        "registered_name": "keras_hub>GemmaBackbone",
    }
    assert _scan(_keras_zip(_model(hub))) == []


def test_layers_that_read_files() -> None:
    tfsm = {"module": "keras.layers", "class_name": "TFSMLayer", "config": {"filepath": "/tmp/evil_savedmodel"}}
    lookup = {"module": "keras.layers", "class_name": "StringLookup", "config": {"vocabulary": "/etc/passwd"}}
    tfop = {"module": "keras.layers", "class_name": "TFOpLambda", "config": {"function": "io.write_file"}}
    benign_tfop = {"module": "keras.layers", "class_name": "TFOpLambda", "config": {"function": "math.add"}}
    findings = _scan(_keras_zip(_model(tfsm, lookup, tfop, benign_tfop)))
    assert _rules(findings) == ["MW-KERAS-003"] * 3


def test_code_and_pickle_members() -> None:
    # Code members are findings; benign pickle members are analysed and give only their own findings (none).
    extra = {"evil.py": b"import os", "assets/blob": b"\x80\x04K\x01.", "data.pkl": b"\x80\x02N."}
    findings = _scan(_keras_zip(_model(), extra))
    assert _rules(findings) == ["MW-KERAS-005"]
    assert {f.location.member for f in findings} == {"evil.py"}


def test_pickle_member_is_analysed(tmp_path: Path) -> None:
    canary = tmp_path / "CANARY"
    payload = b"\x80\x02cos\nsystem\n(X" + len(f"touch {canary}").to_bytes(4, "little") + f"touch {canary}".encode()
    payload += b"tR."
    findings = _scan(_keras_zip(_model(), {"assets/state.pkl": payload, "assets/x.bin": b"\x80\x04K\x01."}))
    assert [(f.rule_id, f.match_key, f.location.member) for f in findings] == [
        ("MW-PICKLE-001", "os.system", "assets/state.pkl")
    ]
    assert findings[0].severity is Severity.CRITICAL and findings[0].scanner == "keras"
    assert not canary.exists()


def test_duplicate_config_members_are_all_read(tmp_path: Path) -> None:
    lam = _lambda_ref("os", "system")
    data = _keras_zip(_model(), {"config.json": json.dumps(_model(lam)).encode()})
    rules = _rules(_scan(data))
    assert "MW-KERAS-002" in rules and "MW-KERAS-006" in rules


def test_malformed_archive_and_config() -> None:
    assert _rules(_scan(b"PK\x03\x04 not really a zip")) == ["MW-KERAS-006"]
    findings = _scan(_keras_zip(b"{not json"))
    assert _rules(findings) == ["MW-KERAS-006"] and "config.json" in findings[0].message


def test_config_depth_budget() -> None:
    with pytest.raises(BudgetExceeded):
        _scan(_keras_zip(b"[" * 1000 + b"]" * 1000))


def _h5(tmp_path: Path, config: dict[str, Any] | None) -> bytes:
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as h5:
        if config is not None:
            h5.attrs["model_config"] = json.dumps(config).encode("utf-8")
            h5.attrs["keras_version"] = b"2.12.0"
        group = h5.create_group("model_weights/dense")
        group.create_dataset("kernel:0", data=np.zeros((8, 4), dtype=np.float32))
    return path.read_bytes()


def _legacy_lambda(code: str) -> dict[str, Any]:
    return {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {"class_name": "Dense", "config": {"name": "d", "units": 4, "activation": "relu"}},
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "lam",
                        "function": [code, None, None],
                        "function_type": "lambda",
                        "module": "__main__",
                        "output_shape": None,
                        "output_shape_type": "raw",
                        "arguments": {},
                    },
                },
            ],
        },
    }


def _lambda_layer(tmp_path: Path) -> dict[str, Any]:
    function = {
        "class_name": "__lambda__",
        "config": {"code": _canary_code(tmp_path), "defaults": None, "closure": None},
    }
    return {"module": "keras.layers", "class_name": "Lambda", "config": {"name": "lam", "function": function}}


def test_model_json_with_lambda_is_read(tmp_path: Path) -> None:
    # model.to_json() / model_from_json(): Keras 2's model_from_json has no safe mode and unmarshals the lambda.
    legacy = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "lam",
                        "function": [_canary_code(tmp_path), None, None],
                        "function_type": "lambda",
                    },
                }
            ],
        },
        "keras_version": "2.15.0",
        "backend": "tensorflow",
    }
    for config in (_model(_lambda_layer(tmp_path)), legacy):
        data = json.dumps(config).encode()
        findings = _scan(data, Format.JSON)
        assert _rules(findings) == ["MW-KERAS-001"], config["class_name"]
    assert not (tmp_path / "CANARY").exists()


def test_other_json_is_left_alone() -> None:
    assert _scan(json.dumps(_model()).encode(), Format.JSON) == []
    hf = {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 768}
    assert _scan(json.dumps(hf).encode(), Format.JSON) == []
    mention = {"notes": "a Lambda layer", "class_name": "Sequential", "layers": 3}
    assert _scan(json.dumps(mention).encode(), Format.JSON) == []
    assert _scan(b'{"class_name": "Sequential", broken', Format.JSON) == []


def test_archive_with_only_config_json_is_a_keras_model(tmp_path: Path) -> None:
    # keras.saving deserializes config.json before it opens model.weights.h5: the weights need not be there.
    data = zip_bytes([("config.json", json.dumps(_model(_lambda_layer(tmp_path))).encode())])
    path = tmp_path / "model.keras"
    path.write_bytes(data)
    assert "MW-KERAS-001" in {f.rule_id for f in mlwarden.scan([path]).findings}
    assert not (tmp_path / "CANARY").exists()


def test_h5_benign_is_clean(tmp_path: Path) -> None:
    benign = {"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 4}}]}}
    assert _scan(_h5(tmp_path, benign), Format.HDF5) == []
    assert _scan(_h5(tmp_path, None), Format.HDF5) == []


def test_h5_lambda_with_h5py_cve_2025_9905(tmp_path: Path) -> None:
    findings = _scan(_h5(tmp_path, _legacy_lambda(_canary_code(tmp_path))), Format.HDF5)
    assert _rules(findings) == ["MW-KERAS-001"]
    assert "read with h5py" in findings[0].message
    assert not (tmp_path / "CANARY").exists()


def test_h5_lambda_by_byte_scan_without_h5py(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keras_module, "is_available", lambda name: False)
    data = _h5(tmp_path, _legacy_lambda(_canary_code(tmp_path)))
    artifact = Artifact(path="m.h5", format=Format.HDF5, size=len(data), opener=lambda: io.BytesIO(data))
    findings: list[Finding] = []
    with pytest.raises(MissingExtraError):
        for finding in KerasScanner().scan(artifact, ScanContext()):
            findings.append(finding)
    assert _rules(findings) == ["MW-KERAS-001"]
    assert "byte scan" in findings[0].message
    assert not (tmp_path / "CANARY").exists()


def test_h5_legacy_function_reference(tmp_path: Path) -> None:
    config = _legacy_lambda("")
    lam = config["config"]["layers"][1]["config"]
    lam.update(function="system", function_type="function", module="os")
    findings = _scan(_h5(tmp_path, config), Format.HDF5)
    assert _rules(findings) == ["MW-KERAS-002"] and "os.system" in findings[0].message


def test_not_hdf5_is_malformed() -> None:
    assert _rules(_scan(b"\x89HDF\r\n\x1a\n garbage", Format.HDF5)) == ["MW-KERAS-006"]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_archive_bytes(data: bytes) -> None:
    with contextlib.suppress(BudgetExceeded):
        _scan(data)
    with contextlib.suppress(BudgetExceeded):
        _scan(b"PK\x03\x04" + data)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_fuzz_mutated_archive(data: st.DataObject) -> None:
    base = bytearray(_keras_zip(_model(_lambda_ref("os", "system"))))
    for _ in range(data.draw(st.integers(1, 8))):
        base[data.draw(st.integers(0, len(base) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(BudgetExceeded):
        _scan(bytes(base))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_h5_byte_scan(data: bytes) -> None:
    payload = b'{"class_name": ' + data
    artifact = Artifact(path="m.h5", format=Format.HDF5, size=len(payload), opener=lambda: io.BytesIO(payload))
    maker = keras_module.FindingMaker(artifact, "keras", 1)
    with contextlib.suppress(BudgetExceeded):
        list(keras_module._scan_h5_bytes(artifact, ScanContext(), maker))
    with contextlib.suppress(BudgetExceeded):
        _scan(b"\x89HDF\r\n\x1a\n" + data, Format.HDF5)
