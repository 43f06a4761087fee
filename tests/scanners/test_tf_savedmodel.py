"""SavedModel scanner over hand-built protobufs (no TensorFlow): benign graphs are clean."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.tf_savedmodel import TfSavedModelScanner


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append(value & 0x7F | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


def _len(number: int, payload: bytes | str) -> bytes:
    raw = payload.encode() if isinstance(payload, str) else payload
    return _varint(number << 3 | 2) + _varint(len(raw)) + raw


def _attr(key: str, s: str | None = None, strings: list[str] | None = None) -> bytes:
    value = _len(2, s) if s is not None else _len(1, b"".join(_len(2, x) for x in strings or []))
    return _len(5, _len(1, key) + _len(2, value))  # NodeDef.attr map entry


def _node(name: str, op: str, *attrs: bytes) -> bytes:
    return _len(1, name) + _len(2, op) + _len(3, "input:0") + b"".join(attrs)


def _saved_model(nodes: list[bytes], functions: list[tuple[str, list[bytes]]] | None = None) -> bytes:
    graph = b"".join(_len(1, n) for n in nodes)
    library = b""
    for name, fnodes in functions or []:
        signature = _len(1, _len(1, name))  # FunctionDef.signature (OpDef.name)
        library += _len(1, signature + b"".join(_len(3, n) for n in fnodes))
    graph += _len(2, library) if library else b""
    meta = _len(1, _len(1, "serve")) + _len(2, graph)  # meta_info_def, graph_def
    return _varint(1 << 3) + _varint(1) + _len(2, meta)  # schema version 1, meta_graphs


def _benign_nodes() -> list[bytes]:
    return [
        _node("x", "Placeholder", _attr("dtype", s="")),
        _node("w", "VarHandleOp", _attr("shared_name", s="w")),
        _node("mm", "MatMul"),
        _node("save/SaveV2", "SaveV2"),
        _node("save/RestoreV2", "RestoreV2"),
        _node("save/Merge", "MergeV2Checkpoints"),
        _node("print", "PrintV2", _attr("output_stream", s="stderr")),
        _node("filename", "Const", _attr("value", s="/tmp/ckpt")),
    ]


def _scan(data: bytes, path: str = "saved_model.pb") -> list[Finding]:
    artifact = Artifact(path=path, format=Format.TF_SAVEDMODEL, size=len(data), opener=lambda: io.BytesIO(data))
    return list(TfSavedModelScanner().scan(artifact, ScanContext()))


def _rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def test_benign_savedmodel_is_clean() -> None:
    assert _scan(_saved_model(_benign_nodes(), [("__inference_call_42", [_node("relu", "Relu")])])) == []


def test_python_and_file_ops_in_graph_and_functions() -> None:
    nodes = [
        *_benign_nodes(),
        _node("cb", "PyFunc", _attr("token", s="pyfunc_0")),
        _node("steal", "ReadFile"),
        _node("dbg", "DebugIdentity", _attr("debug_urls", strings=["file:///tmp/dump"])),
        _node("leak", "PrintV2", _attr("output_stream", s="file:///tmp/out.txt")),
        _node("mm", "ImmutableConst", _attr("memory_region_name", s="/etc/passwd")),
    ]
    functions = [("__inference_f_1", [_node("w", "WriteFile"), _node("e", "EagerPyFunc")])]
    findings = _scan(_saved_model(nodes, functions))
    assert _rules(findings) == [
        "MW-TF-001",
        "MW-TF-001",
        "MW-TF-002",
        "MW-TF-002",
        "MW-TF-002",
        "MW-TF-002",
        "MW-TF-002",
    ]
    messages = " ".join(f.message for f in findings)
    assert "file:///tmp/dump" in messages and "/etc/passwd" in messages and "__inference_f_1" in messages


def test_frozen_graph_def_root_is_walked() -> None:
    # TF1 frozen graphs (*.pb for tf.compat.v1.import_graph_def) hold the nodes at the root, no SavedModel around.
    graph = b"".join(_len(1, n) for n in [*_benign_nodes(), _node("cb", "PyFuncStateless"), _node("r", "ReadFile")])
    assert _rules(_scan(graph, "frozen_graph.pb")) == ["MW-TF-001", "MW-TF-002"]
    assert _scan(b"".join(_len(1, n) for n in _benign_nodes()), "frozen_graph.pb") == []


def test_text_format_saved_model_is_read() -> None:
    # TensorFlow loads saved_model.pbtxt when there is no saved_model.pb (loader_impl.parse_saved_model).
    text = (
        "saved_model_schema_version: 1\nmeta_graphs {\n  graph_def {\n"
        '    node {\n      name: "save/SaveV2"\n      op: "SaveV2"\n    }\n'
        '    node {\n      name: "leak"\n      op: "PrintV2"\n'
        '      attr {\n        key: "output_stream"\n        value { s: "file:///tmp/leak" }\n      }\n    }\n'
        '    node {\n      name: "x"\n      op: "WriteFile"\n    }\n  }\n}\n'
    )
    findings = _scan(text.encode(), "saved_model.pbtxt")
    assert _rules(findings) == ["MW-TF-002", "MW-TF-002"]
    assert "file:///tmp/leak" in " ".join(f.message for f in findings)
    assert _scan(b'node {\n  op: "SaveV2"\n}\nnode {\n  op: "Relu"\n}\n', "saved_model.pbtxt") == []


@pytest.mark.parametrize("op", ["TextLineDataset", "TFRecordDataset", "WholeFileReaderV2", "SqlDataset", "SaveDataset"])
def test_dataset_and_reader_ops_that_open_host_paths(op: str) -> None:
    node = _node("src", op, _attr("filenames", strings=["/etc/passwd"]))
    assert _rules(_scan(_saved_model([*_benign_nodes(), node]))) == ["MW-TF-002"]


def test_malformed() -> None:
    data = _saved_model(_benign_nodes())
    assert _rules(_scan(data[: len(data) - 5])) == ["MW-TF-003"]
    assert _rules(_scan(b"\x12\xff\xff\xff\xff\x7f")) == ["MW-TF-003"]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(BudgetExceeded):
        _scan(data)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fuzz_mutated(data: st.DataObject) -> None:
    base = bytearray(_saved_model([*_benign_nodes(), _node("cb", "PyFunc")], [("f", [_node("r", "ReadFile")])]))
    for _ in range(data.draw(st.integers(1, 6))):
        base[data.draw(st.integers(0, len(base) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(BudgetExceeded):
        _scan(bytes(base[: data.draw(st.integers(0, len(base)))]))
