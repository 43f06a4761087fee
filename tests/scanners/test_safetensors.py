"""Safetensors scanner: real files are clean, each loader rejection and differential is a finding."""

from __future__ import annotations

import contextlib
import io
import json
import struct
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors import deserialize
from safetensors.numpy import save, save_file

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.safetensors import SafetensorsScanner


def _artifact(data: bytes) -> Artifact:
    return Artifact(path="m.safetensors", format=Format.SAFETENSORS, size=len(data), opener=lambda: io.BytesIO(data))


def _scan(data: bytes) -> list[Finding]:
    return list(SafetensorsScanner().scan(_artifact(data), ScanContext()))


def _file(header: dict[str, object] | bytes, data: bytes = b"") -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


def _rules(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def _loader_accepts(data: bytes) -> bool:
    try:
        deserialize(data)
    except Exception:
        return False
    return True


F32 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}


def test_files_written_by_safetensors_are_clean(tmp_path: Path) -> None:
    tensors = {
        "w": np.zeros((4, 3), dtype=np.float32),
        "b": np.arange(3, dtype=np.int64),
        "h": np.ones((2, 2, 2), dtype=np.float16),
        "flag": np.array([True, False]),
        "scalar": np.array(1.5, dtype=np.float64),
        "empty": np.zeros((0, 5), dtype=np.uint8),
    }
    assert _scan(save(tensors)) == []
    assert _scan(save(tensors, metadata={"format": "pt", "note": "trained on public data"})) == []
    path = tmp_path / "model.safetensors"
    save_file(tensors, str(path))
    assert _scan(path.read_bytes()) == []


def test_header_length_over_loader_cap() -> None:
    data = struct.pack("<Q", 100_000_001) + b"{}"
    findings = _scan(data)
    assert _rules(findings) == {"MW-SAFETENSORS-001"}
    assert "100 MB" in findings[0].message and findings[0].location.offset == 0


def test_header_length_past_end_and_short_file() -> None:
    assert _rules(_scan(struct.pack("<Q", 50) + b"{}")) == {"MW-SAFETENSORS-001"}
    assert "truncated" in _scan(b"\x01\x02")[0].message


def test_not_utf8_not_json_not_object() -> None:
    for raw in (b'{"a":"\xff"}', b"{nope", b"[1, 2]", b'{"a": NaN}'):
        findings = _scan(_file(raw))
        assert _rules(findings) == {"MW-SAFETENSORS-001"}, raw
        assert findings[0].message.startswith("cannot parse as safetensors")


def test_deep_nesting_is_a_budget_error() -> None:
    raw = b'{"__metadata__":' + b"[" * 500 + b"]" * 500 + b"}"
    try:
        _scan(_file(raw))
    except BudgetExceeded as exc:
        assert exc.resource == "json_depth"
    else:
        raise AssertionError("expected BudgetExceeded")


def test_metadata_values_must_be_strings() -> None:
    data = _file({"__metadata__": {"epochs": 3}})
    assert not _loader_accepts(data)
    assert _rules(_scan(data)) == {"MW-SAFETENSORS-001"}
    assert _rules(_scan(_file({"__metadata__": ["x"]}))) == {"MW-SAFETENSORS-001"}


def test_metadata_with_code_or_url_is_low() -> None:
    findings = _scan(_file({"__metadata__": {"x": "__import__('os').system('id')", "y": "see https://evil.example/x"}}))
    assert {f.rule_id for f in findings} == {"MW-SAFETENSORS-005"}
    assert len(findings) == 2 and all(f.severity == Severity.LOW for f in findings)


def test_invalid_tensor_entries() -> None:
    cases = [
        {"a": {**F32, "dtype": "F31"}},
        {"a": {**F32, "shape": [-2]}},
        {"a": {**F32, "shape": [2.0]}},
        {"a": {**F32, "shape": [3]}},
        {"a": {**F32, "data_offsets": [8, 0]}},
        {"a": {**F32, "data_offsets": [0, 80]}},
        {"a": {**F32, "shape": [2**40, 2**40]}},
        {"a": {**F32, "dtype": "F4", "shape": [3], "data_offsets": [0, 2]}},
        {"a": "tensor"},
    ]
    for header in cases:
        data = _file(header, b"\0" * 8)
        assert not _loader_accepts(data), header
        assert "MW-SAFETENSORS-002" in _rules(_scan(data)), header


def test_sub_byte_dtype_that_fits_is_clean() -> None:
    data = _file({"a": {"dtype": "F4", "shape": [4], "data_offsets": [0, 2]}}, b"\0\0")
    assert _loader_accepts(data)
    assert _scan(data) == []


def test_ignored_fields_are_low() -> None:
    findings = _scan(_file({"a": {**F32, "payload": "x" * 10}}, b"\0" * 8))
    assert [(f.rule_id, f.severity) for f in findings] == [("MW-SAFETENSORS-002", Severity.LOW)]


def test_gap_overlap_and_trailing_bytes() -> None:
    gap = _file({"a": {**F32, "shape": [1], "data_offsets": [4, 8]}}, b"\0" * 8)
    overlap = _file({"a": F32, "b": {**F32, "shape": [1], "data_offsets": [4, 8]}}, b"\0" * 8)
    trailing = _file({"a": F32}, b"\0" * 8 + b"PK\x03\x04 hidden")
    for data, word in ((gap, "gap"), (overlap, "overlaps"), (trailing, "after the last tensor")):
        assert not _loader_accepts(data)
        findings = _scan(data)
        assert _rules(findings) == {"MW-SAFETENSORS-003"}
        assert word in findings[0].message


def test_duplicate_tensor_key_is_a_differential() -> None:
    raw = b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'
    data = _file(raw, b"\0" * 8)
    assert _loader_accepts(data)  # the loader keeps the last definition
    findings = _scan(data)
    assert _rules(findings) == {"MW-SAFETENSORS-004"}
    dup_meta = _file(b'{"__metadata__":{"a":"1"},"__metadata__":{"b":"2"}}')
    assert not _loader_accepts(dup_meta)
    assert "two __metadata__" in _scan(dup_meta)[0].message


def test_many_problems_are_capped() -> None:
    header = {f"t{i}": {**F32, "dtype": "BAD"} for i in range(80)}
    findings = _scan(_file(header))
    assert len(findings) == 51
    assert "further" in findings[-1].message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(BudgetExceeded):
        _scan(data)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fuzz_mutated_real_file(data: st.DataObject) -> None:
    base = bytearray(save({"w": np.zeros((2, 3), dtype=np.float32), "b": np.ones(2, dtype=np.int8)}))
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(base) - 1))
        base[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(base)))
    with contextlib.suppress(BudgetExceeded):
        _scan(bytes(base[:cut]))
