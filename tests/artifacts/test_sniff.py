"""Sniffing by content: one row per Format, built in the test, mostly under misleading names."""

from __future__ import annotations

import bz2
import io
import json
import lzma
import pickle
import struct
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tests.factories.archives import gzip_bytes, tar_bytes, zip_bytes

from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.sniff import HEAD_BYTES, sniff, tar_format, zip_format

PLAIN = {"weights": [1.5, 2.5], "name": "layer", "shape": (2,), "ok": True}


def _torch_zip(tmp: Path) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save({"w": torch.zeros(3)}, buffer)
    return buffer.getvalue()


def _torch_legacy(tmp: Path) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save({"w": torch.zeros(3)}, buffer, _use_new_zipfile_serialization=False)
    return buffer.getvalue()


def _torch_legacy_tar(tmp: Path) -> bytes:
    members = [("sys_info", pickle.dumps({"x": 1})), ("pickle", pickle.dumps(PLAIN))]
    return tar_bytes([*members, ("storages", b"\x80\x02]q\x00."), ("tensors", b"\x80\x02]q\x00.")])


def _joblib(tmp: Path) -> bytes:
    import joblib

    buffer = io.BytesIO()
    joblib.dump({"a": np.arange(4)}, buffer)
    return buffer.getvalue()


def _npy(tmp: Path) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.arange(5))
    return buffer.getvalue()


def _npz(tmp: Path) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, a=np.arange(3), b=np.ones(2))
    return buffer.getvalue()


def _hdf5(tmp: Path, userblock: int = 0) -> bytes:
    import h5py

    path = tmp / "w.h5"
    with h5py.File(path, "w", userblock_size=userblock) as handle:
        handle.create_dataset("w", data=np.arange(4))
    return path.read_bytes()


def _safetensors(tmp: Path) -> bytes:
    from safetensors.numpy import save

    data: bytes = save({"w": np.zeros(4, dtype=np.float32)})
    return data


def _gguf(tmp: Path) -> bytes:
    key = b"general.architecture"
    value = b"llama"
    kv = struct.pack("<Q", len(key)) + key + struct.pack("<I", 8) + struct.pack("<Q", len(value)) + value
    return b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + kv


def _onnx(tmp: Path) -> bytes:
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y])
    model = helper.make_model(graph, producer_name="test")
    onnx.checker.check_model(model)
    data: bytes = model.SerializeToString()
    return data


def _saved_model(tmp: Path) -> bytes:
    meta_graph = b"\x0a\x04\x0a\x02tf"  # MetaGraphDef { meta_info_def { ... } }, enough for the structure
    return b"\x08\x01" + b"\x12" + bytes([len(meta_graph)]) + meta_graph


def _v7_tar(tmp: Path) -> bytes:
    data = bytearray(tar_bytes([("old.txt", b"hello")]))
    data[257:265] = bytes(8)  # no ustar magic: a pre-POSIX (v7) header
    data[148:156] = b"        "
    data[148:156] = f"{sum(data[:512]):06o}\x00 ".encode()
    return bytes(data)


def _const(data: bytes) -> Callable[[Path], bytes]:
    return lambda _tmp: data


KERAS = zip_bytes([("metadata.json", b"{}"), ("config.json", b"{}"), ("model.weights.h5", b"")])
NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()
JOBLIB_ZF = b"ZF" + b"0x1b".ljust(19) + zlib.compress(pickle.dumps(PLAIN))

# (builder, file name, expected format). Names lie on purpose where content must win.
CASES: list[tuple[Callable[[Path], bytes], str, Format]] = [
    (_const(pickle.dumps(PLAIN, protocol=0)), "model.txt", Format.PICKLE),
    (_const(pickle.dumps(PLAIN, protocol=1)), "notes.md", Format.PICKLE),
    (_const(pickle.dumps(PLAIN, protocol=2)), "weights.bin", Format.PICKLE),
    (_const(pickle.dumps(PLAIN, protocol=4)), "x", Format.PICKLE),
    (_const(pickle.dumps(PLAIN, protocol=5)), "config.json", Format.PICKLE),
    (_torch_zip, "model.bin", Format.PYTORCH_ZIP),
    (_torch_legacy, "model.txt", Format.PYTORCH_LEGACY),
    (_torch_legacy_tar, "old.pt", Format.PYTORCH_LEGACY),
    (_joblib, "model.pkl", Format.JOBLIB),
    (_npy, "array.bin", Format.NUMPY),
    (_npz, "arrays.zip", Format.NUMPY_NPZ),
    (_hdf5, "weights.bin", Format.HDF5),
    (lambda tmp: _hdf5(tmp, userblock=512), "weights.h5", Format.HDF5),
    (
        _const(zip_bytes([("metadata.json", b"{}"), ("config.json", b"{}"), ("model.weights.h5", b"")])),
        "m.zip",
        Format.KERAS_V3,
    ),
    (_safetensors, "model.bin", Format.SAFETENSORS),
    (_gguf, "model.bin", Format.GGUF),
    (_onnx, "model.bin", Format.ONNX),
    (_saved_model, "saved_model.pb", Format.TF_SAVEDMODEL),
    (_const(zip_bytes([("a.txt", b"hello"), ("b/c.pkl", b"x")])), "data.bin", Format.ZIP),
    (_const(b"PK\x05\x06" + bytes(18)), "empty.zip", Format.ZIP),
    (_const(tar_bytes([("a.txt", b"hello")])), "a.bin", Format.TAR),
    (_v7_tar, "old.bin", Format.TAR),
    (_const(gzip_bytes(b"hello")), "a.bin", Format.GZIP),
    (_const(bz2.compress(b"hello")), "a.bin", Format.BZIP2),
    (_const(lzma.compress(b"hello")), "a.bin", Format.XZ),
    (_const(lzma.compress(b"hello" * 20, format=lzma.FORMAT_ALONE)), "a.lzma", Format.XZ),
    (_const(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(40)), "model.pt", Format.SEVEN_ZIP),
    (_const(zlib.compress(bytes(range(256)) * 4)), "a.bin", Format.ZLIB),
    (_const(JOBLIB_ZF), "model.joblib", Format.ZLIB),
    (_const(NOTEBOOK), "analysis.txt", Format.NOTEBOOK),
    (_const(b'{"a": [1, 2, {"b": null}]}'), "data", Format.JSON),
    (_const(b'{"a": 1}\n{"a": 2}\n{"a": 3}\n'), "data", Format.JSONL),
    (_const(b"model:\n  name: resnet\n  layers:\n    - conv\n    - relu\n"), "params", Format.YAML),
    (_const(b'[tool.x]\nname = "a"\nvalue = 3\n'), "settings", Format.TOML),
    (_const(b"[server]\nhost = example.org\nport = 80\n"), "settings", Format.INI),
    (_const(b"API_HOST=example.org\nDEBUG=1\n"), "settings", Format.DOTENV),
    (_const(b"flask\n"), ".env.local", Format.DOTENV),
    (_const(b"a,b,c\n1,2,3\n4,5,6\n"), "table", Format.CSV),
    (_const(b"a\tb\tc\n1\t2\t3\n"), "table", Format.TSV),
    (_const(b"numpy==2.0\nrequests>=2.31\n"), "deps", Format.REQUIREMENTS),
    (_const(b"flask\ntorch\n"), "requirements-dev.txt", Format.REQUIREMENTS),
    (_const(b"FROM python:3.11-slim\nRUN pip install flask\nCOPY . /app\n"), "build", Format.DOCKERFILE),
    (_const(b"hello\n"), "Dockerfile.gpu", Format.DOCKERFILE),
    (_const(b"import os\n\ndef main():\n    print(os.getcwd())\n"), "tool", Format.PYTHON),
    (_const(b"PAR1" + bytes(32) + b"PAR1"), "data.bin", Format.PARQUET),
    (
        _const(zip_bytes([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])),
        "t.bin",
        Format.EXCEL,
    ),
    (_const(b"This is a plain README.\nNothing more to see.\n"), "README", Format.TEXT),
    (_const(b"\x7fELF\x02\x01\x01" + bytes(1024)), "model.pkl", Format.EXECUTABLE),
    (_const(b"\x00\x01\x02\x03\xff\xfe" * 50), "model.pkl", Format.BINARY),
    (_const(b""), "model.pkl", Format.EMPTY),
]


@pytest.mark.parametrize(("build", "name", "expected"), CASES, ids=[f"{c[2].value}-{c[1]}" for c in CASES])
def test_sniff_table(build: Callable[[Path], bytes], name: str, expected: Format, tmp_path: Path) -> None:
    data = build(tmp_path)
    assert sniff(data[:HEAD_BYTES], name=name, size=len(data)) == expected


def test_every_format_has_a_row() -> None:
    assert {case[2] for case in CASES} == set(Format)


def test_text_is_not_mistaken_for_pickle() -> None:
    for text in (b"(see notes below)\n", b"cat file.txt\n", b"K.", b"]] broken", b"I think so.\n"):
        assert sniff(text, name="notes", size=len(text)) not in (Format.PICKLE, Format.JOBLIB)


def test_large_pickle_is_sniffed_from_its_head() -> None:
    data = pickle.dumps([str(i) for i in range(50_000)], protocol=0)
    assert len(data) > HEAD_BYTES
    assert sniff(data[:HEAD_BYTES], name="x.txt", size=len(data)) == Format.PICKLE


def test_zip_format_needs_one_root_for_pytorch() -> None:
    assert zip_format(["archive/data.pkl", "archive/data/0", "archive/version"]) == Format.PYTORCH_ZIP
    assert zip_format(["any_name/byteorder", "any_name/data.pkl"]) == Format.PYTORCH_ZIP
    assert zip_format(["a/data.pkl", "b/other.txt"]) == Format.ZIP
    assert zip_format(["a.npy", "b.npy"]) == Format.NUMPY_NPZ
    assert zip_format([]) == Format.ZIP


def test_tar_format_requires_only_torch_members() -> None:
    assert tar_format(["sys_info", "pickle", "storages", "tensors"]) == Format.PYTORCH_LEGACY
    assert tar_format(["sys_info", "pickle", "evil.py"]) == Format.TAR


def test_tarfile_written_tar_is_tar() -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        info = tarfile.TarInfo("x")
        archive.addfile(info, io.BytesIO(b""))
    data = buffer.getvalue()
    assert sniff(data, name="x", size=len(data)) == Format.TAR


def _onnx_fields_reordered(tmp: Path) -> bytes:
    """An ONNX model whose ir_version field comes last: protobuf parsers accept any field order."""
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Relu", ["X"], ["Y"])],
        "g",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    data = model.SerializeToString()
    assert data[0] == 0x08 and data[1] < 0x80  # ir_version first, a one-byte varint
    reordered = data[2:] + data[:2]
    assert onnx.load_from_string(reordered).ir_version == model.ir_version
    return reordered


def test_onnx_with_reordered_fields_is_onnx_by_content(tmp_path: Path) -> None:
    data = _onnx_fields_reordered(tmp_path)
    for name in ("model.onnx", "weights.bin"):
        assert sniff(data, name=name, size=len(data)) == Format.ONNX


def test_graph_def_and_text_graphs_are_tensorflow() -> None:
    node = b"\x0a\x02rf" + b"\x12\x08ReadFile"  # NodeDef name=1, op=2
    graph_def = b"\x0a" + bytes([len(node)]) + node + b"\x22\x02\x08\x01"  # node, versions{producer: 1}
    assert sniff(graph_def, name="frozen_graph.pb", size=len(graph_def)) == Format.TF_SAVEDMODEL
    assert sniff(graph_def, name="frozen_graph.bin", size=len(graph_def)) != Format.TF_SAVEDMODEL
    text = b'node {\n  name: "rf"\n  op: "ReadFile"\n}\n'
    assert sniff(text, name="saved_model.pbtxt", size=len(text)) == Format.TF_SAVEDMODEL
    assert sniff(text, name="notes.txt", size=len(text)) != Format.TF_SAVEDMODEL


def test_text_starting_with_protobuf_tag_bytes_is_not_a_model() -> None:
    for text in (b"\n\nHello world\n", b'"quoted", "csv"\n1,2\n', b":: marker\n", b"Baseline results\n", b"readme\n"):
        assert sniff(text, name="notes", size=len(text)) not in (Format.ONNX, Format.TF_SAVEDMODEL)
