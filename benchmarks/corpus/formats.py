"""Writers for non-pickle model formats, shared by the benign and hostile halves of the corpus.

Keras archives and H5 files are assembled from JSON with zipfile/h5py (no TensorFlow needed), ONNX models with
onnx.helper, GGUF files with struct, following each format's public specification.
"""

from __future__ import annotations

import base64
import io
import json
import marshal
import struct
import zipfile
from typing import Any

KERAS_VERSION = "3.10.0"


# --- Keras --------------------------------------------------------------------------------------------------------
def keras_obj(module: str, class_name: str, config: Any, registered_name: str | None = None) -> dict[str, Any]:
    """One serialized Keras object, in the v3 ``config.json`` shape."""
    return {"module": module, "class_name": class_name, "config": config, "registered_name": registered_name}


def dense_layer(name: str, units: int, activation: str = "relu") -> dict[str, Any]:
    init = keras_obj("keras.initializers", "GlorotUniform", {"seed": None})
    zeros = keras_obj("keras.initializers", "Zeros", {})
    config = {
        "name": name,
        "trainable": True,
        "dtype": "float32",
        "units": units,
        "activation": activation,
        "use_bias": True,
        "kernel_initializer": init,
        "bias_initializer": zeros,
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }
    return keras_obj("keras.layers", "Dense", config)


def input_layer(width: int) -> dict[str, Any]:
    return keras_obj(
        "keras.layers",
        "InputLayer",
        {"batch_shape": [None, width], "dtype": "float32", "sparse": False, "name": "input_layer"},
    )


def sequential(layers: list[dict[str, Any]], name: str = "sequential") -> dict[str, Any]:
    config = {"name": name, "trainable": True, "dtype": "float32", "layers": layers}
    model = keras_obj("keras", "Sequential", config)
    model["build_config"] = {"input_shape": [None, 4]}
    model["compile_config"] = None
    return model


def lambda_code_b64(technique: str) -> str:
    """What Keras' func_dump stores: base64 of the marshalled code object of a lambda (compiled, never run)."""
    source = f"lambda x: (open('/tmp/mlwarden-canary-{technique}', 'w').close(), x)[1]"
    code = compile(source, "<lambda>", "eval").co_consts[0]
    return base64.b64encode(marshal.dumps(code)).decode("ascii") + "\n"


def lambda_layer_v3(technique: str) -> dict[str, Any]:
    fn = {"class_name": "__lambda__", "config": {"code": lambda_code_b64(technique), "defaults": None, "closure": None}}
    return keras_obj(
        "keras.layers",
        "Lambda",
        {"name": "lambda", "trainable": True, "dtype": "float32", "function": fn, "arguments": {}},
    )


def weights_h5(layer_names: list[str]) -> bytes:
    import h5py
    import numpy as np

    out = io.BytesIO()
    with h5py.File(out, "w") as f:
        for name in layer_names:
            group = f.create_group(f"layers/{name}/vars")
            group.create_dataset("0", data=np.ones((4, 2), dtype="float32"))
            group.create_dataset("1", data=np.zeros((2,), dtype="float32"))
        f.create_group("optimizer/vars")
    return out.getvalue()


def keras_archive(model: dict[str, Any], layer_names: list[str]) -> bytes:
    """A ``.keras`` v3 archive: config.json, metadata.json, model.weights.h5."""
    meta = {"keras_version": KERAS_VERSION, "date_saved": "2025-06-01@12:00:00"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("metadata.json", json.dumps(meta))
        zf.writestr("config.json", json.dumps(model))
        zf.writestr("model.weights.h5", weights_h5(layer_names))
    return out.getvalue()


def keras_h5(model_config: dict[str, Any], layer_names: list[str]) -> bytes:
    """A legacy Keras 2 HDF5 model: ``model_config`` JSON attribute plus a model_weights group."""
    import h5py
    import numpy as np

    out = io.BytesIO()
    with h5py.File(out, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(model_config)
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = [n.encode() for n in layer_names]
        for name in layer_names:
            g = weights.create_group(name)
            g.attrs["weight_names"] = [f"{name}/kernel:0".encode()]
            g.create_dataset(f"{name}/kernel:0", data=np.ones((4, 2), dtype="float32"))
    return out.getvalue()


# --- ONNX ---------------------------------------------------------------------------------------------------------
def onnx_linear(external_location: str | None = None) -> bytes:
    """A tiny Y = X @ W + B model; W optionally stored as external data at ``external_location``."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.ones((4, 2), dtype=np.float32), name="W")
    if external_location is not None:
        weight.ClearField("raw_data")
        weight.data_location = TensorProto.EXTERNAL
        for key, value in (("location", external_location), ("offset", "0"), ("length", "32")):
            entry = weight.external_data.add()
            entry.key, entry.value = key, value
    bias = numpy_helper.from_array(np.zeros((2,), dtype=np.float32), name="B")
    nodes = [helper.make_node("MatMul", ["X", "W"], ["XW"]), helper.make_node("Add", ["XW", "B"], ["Y"])]
    graph = helper.make_graph(
        nodes,
        "linear",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 2])],
        [weight, bias],
    )
    model = helper.make_model(graph, producer_name="mlwarden-bench", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    if external_location is None:
        onnx.checker.check_model(model)
    return model.SerializeToString()


# --- GGUF ---------------------------------------------------------------------------------------------------------
GGUF_UINT32, GGUF_STRING, GGUF_ARRAY = 4, 8, 9


def _gguf_str(text: str) -> bytes:
    raw = text.encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw


def _gguf_kv(key: str, value: str | int | list[str]) -> bytes:
    if isinstance(value, str):
        return _gguf_str(key) + struct.pack("<I", GGUF_STRING) + _gguf_str(value)
    if isinstance(value, int):
        return _gguf_str(key) + struct.pack("<II", GGUF_UINT32, value)
    items = b"".join(_gguf_str(v) for v in value)
    return _gguf_str(key) + struct.pack("<IIQ", GGUF_ARRAY, GGUF_STRING, len(value)) + items


def gguf_file(chat_template: str, name: str = "tiny-llama") -> bytes:
    """GGUF v3 with llama metadata, a vocabulary, a chat template and one 4x4 F32 tensor."""
    kvs: list[tuple[str, str | int | list[str]]] = [
        ("general.architecture", "llama"),
        ("general.name", name),
        ("general.alignment", 32),
        ("llama.context_length", 2048),
        ("llama.embedding_length", 4),
        ("llama.block_count", 1),
        ("tokenizer.ggml.model", "llama"),
        ("tokenizer.ggml.tokens", ["<unk>", "<s>", "</s>", "hello"]),
        ("tokenizer.chat_template", chat_template),
    ]
    header = b"GGUF" + struct.pack("<IQQ", 3, 1, len(kvs)) + b"".join(_gguf_kv(k, v) for k, v in kvs)
    tensor_info = _gguf_str("token_embd.weight") + struct.pack("<I", 2) + struct.pack("<QQ", 4, 4)
    tensor_info += struct.pack("<IQ", 0, 0)
    body = header + tensor_info
    body += b"\x00" * ((32 - len(body) % 32) % 32)
    return body + struct.pack("<16f", *([0.5] * 16))
